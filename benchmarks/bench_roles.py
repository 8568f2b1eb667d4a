"""How long the role-definition comparer's callbacks take (what a student waits for).

Run: ``.venv/bin/python benchmarks/bench_roles.py [calls]``. A comparer is built on a real
session (answers saved to a temporary folder, as in class) with all 32 definitions placed, the
worst case for the map; then each callback runs ``calls`` times (default 300) and the p50 and
p95 latencies are printed:

- **change a value**: a new number in "Serves" (validation, atomic save to disk, progress);
- **type a justification**: one more character in "Why there?" (saved on every keystroke);
- **next**: the "Next" button (the next definition's card and fields);
- **redraw the map**: a value changed, then "Update my map" with the sources' stances
  overlaid (32 points, 32 arrows, PNG rendering, alt text, table of differences);
- **toggle the overlay**: the check box, with the map cached when nothing changed.

The comparer does not depend on a comment thread (thread 004, the longest, matters for the
coder, not here). The budget is p95 <= 100 ms per callback. Figures belong in
docs/performance.md, not in tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from cmethics.widgets import RoleComparer, Session


def _p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]


def measure(action: Callable[[int], None], calls: int) -> tuple[float, float, float, float]:
    """Return wall-clock (p50, p95) and CPU-time (p50, p95), in ms, of ``action(i)``.

    Wall-clock time is what the student waits; CPU time is the work itself, which stays
    comparable when other processes compete for the machine (a busy shared hub, a laptop
    running other programs).
    """
    wall, cpu = [], []
    for i in range(calls):
        start, start_cpu = time.perf_counter(), time.process_time()
        action(i)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (*_p50_p95(wall), *_p50_p95(cpu))


def main(calls: int = 300) -> None:
    with tempfile.TemporaryDirectory() as root:
        session = Session("role", root=root, student="Benchmark", remember=False)
        comparer = RoleComparer(session, sliders=True)
        for index, item in enumerate(comparer.items):  # the worst case: everything placed
            comparer.go_to(item.role_id)
            comparer.serves.value = round(((index * 7) % 21 - 10) / 10, 1)
            comparer.works_by.value = round(((index * 5) % 21 - 10) / 10, 1)
            comparer.justification.value = "because"
        comparer.go(0)
        comparer.compare_box.value = True
        comparer.draw_map()

        def change(i: int) -> None:
            comparer.serves.value = round((i % 21 - 10) / 10, 1) or 0.05

        def type_one(i: int) -> None:
            comparer.justification.value += "abcdefghij"[i % 10]

        def next_definition(i: int) -> None:
            if comparer.next_button.disabled:
                comparer.go(0)
            else:
                comparer.next_button.click()

        def redraw(i: int) -> None:
            comparer.works_by.value = round((i % 21 - 10) / 10, 1) or 0.05
            comparer.draw_button.click()

        def toggle(i: int) -> None:
            comparer.compare_box.value = not comparer.compare_box.value

        rows = [
            ("change a value", change),
            ("type a justification", type_one),
            ("next", next_definition),
            ("toggle the overlay (cached)", toggle),
            ("redraw the map (value + redraw)", redraw),
        ]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"RoleComparer, 32 definitions placed, {calls} calls each, answers saved to disk "
            f"({os.cpu_count()} CPUs, load average {load:.1f} at the start):"
        )
        print(f"  {'':34s} {'wall p50':>9s} {'wall p95':>9s} {'CPU p50':>9s} {'CPU p95':>9s}")
        for label, action in rows:
            p50, p95, cpu50, cpu95 = measure(action, calls)
            flag = "" if p95 <= 100 else "  over the 100 ms budget"
            print(f"  {label:34s} {p50:7.1f}ms {p95:7.1f}ms {cpu50:7.1f}ms {cpu95:7.1f}ms{flag}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)

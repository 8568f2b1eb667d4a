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

import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from cmethics.widgets import RoleComparer, Session


def measure(action: Callable[[int], None], calls: int) -> tuple[float, float]:
    """Return (p50, p95) in milliseconds of ``action(i)`` over ``calls`` calls."""
    times = []
    for i in range(calls):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


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
        print(f"RoleComparer, 32 definitions placed, {calls} calls each, answers saved to disk:")
        for label, action in rows:
            p50, p95 = measure(action, calls)
            flag = "" if p95 <= 100 else "  (over the 100 ms budget)"
            print(f"  {label:34s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{flag}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)

"""Shared timing helpers of the widget benchmarks (bench_coder.py, bench_labs.py).

``measure`` times a student's action over many calls, ``once`` a one-off cost, ``report``
prints p50 / p95 / max against the 100 ms budget, and ``run`` runs a benchmark's ``main`` either
in this process or, with ``--kernel``, inside a Jupyter kernel where widget changes are also
sent as comm messages.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BUDGET_MS = 100.0
Result = tuple[str, list[float]]


def measure(name: str, action: Callable[[int], None], calls: int) -> Result:
    """Call ``action(i)`` for i in range(calls); return the times in ms."""
    times = []
    for i in range(calls):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    return name, times


def once(name: str, action: Callable[[], None]) -> Result:
    """Time a one-off action (a first load), in ms."""
    start = time.perf_counter()
    action()
    return name, [(time.perf_counter() - start) * 1000]


def report(name: str, times: list[float], width: int = 52) -> None:
    """Print p50 / p95 / max (or the single time of a one-off action)."""
    ordered = sorted(times)
    if len(ordered) == 1:
        print(f"  {name:<{width}} {ordered[0]:8.1f} ms   (once)")
        return
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    flag = "ok" if p95 <= BUDGET_MS else "OVER BUDGET"
    print(
        f"  {name:<{width}} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {max(ordered):6.1f} ms"
        f"   ({len(times)} calls, {flag})"
    )


def _in_kernel(script: str, calls: int) -> None:
    import nbformat
    from nbclient import NotebookClient

    folder = str(Path(script).parent)
    source = (
        f"import runpy, sys\nsys.path.insert(0, {folder!r})\n"
        f"runpy.run_path({script!r})['main']({calls})"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(notebook, timeout=1800, kernel_name="python3").execute()
    print("(inside a Jupyter kernel: widget changes are sent as comm messages)")
    for output in notebook.cells[0].outputs:
        print(output.get("text", ""), end="")


def run(script: str, main: Callable[[int], None]) -> None:
    """Command line of a widget benchmark: ``[calls] [--kernel]`` (default 300 calls)."""
    args = [a for a in sys.argv[1:] if a != "--kernel"]
    calls = int(args[0]) if args else 300
    if "--kernel" in sys.argv:
        _in_kernel(script, calls)
    else:
        main(calls)

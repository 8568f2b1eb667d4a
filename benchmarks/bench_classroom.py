"""Benchmark: the class report at 30 / 300 / 3,000 synthetic exports.

Goal (issue 7): 300 exports in at most 5 s on the project's 2-core machine.

For each size, a demo class (``classroom.demo_class``: every student codes threads 000 and 003,
19 + 5 comments, and places the 32 definitions; plus 7 broken or duplicate files) is written to a
temporary folder, then the full report is timed: read and validate every file, aggregate,
render the HTML and write the CSV files. Two figures per size:

- **in-process**: ``classroom.write_report`` in a Python process that has already imported the
  libraries (a teacher's notebook after the first run), median of ``--repeat`` runs;
- **command**: ``cmethics class-report`` in a fresh process, imports included (what a teacher
  waits for in a terminal), one run.

Usage::

    .venv/bin/python benchmarks/bench_classroom.py [--sizes 30 300 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 5.0


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"load average {load:.2f} at start"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 3000])
    parser.add_argument("--repeat", type=int, default=3, help="in-process runs per size")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    # Warm every import and cache first: the in-process figures time the report, not Python's
    # start-up (the command figures include it).
    import jsonschema  # noqa: F401
    import krippendorff  # noqa: F401
    import matplotlib.figure  # noqa: F401
    from statsmodels.stats import inter_rater  # noqa: F401

    from cmethics import classroom, corpus, course

    corpus.comments()
    course.reference_coding()
    print(f"machine: {_machine()}")
    print(f"imports and course data: {time.perf_counter() - started:.2f} s (not in the timings)")
    script = Path(sys.executable).with_name("cmethics")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"class-{n}"
            t0 = time.perf_counter()
            files = classroom.demo_class(folder, n_students=n, seed=n)
            demo_s = time.perf_counter() - t0
            size_mb = sum(f.stat().st_size for f in files) / 1e6
            runs = []
            for i in range(args.repeat):
                t0 = time.perf_counter()
                report, written = classroom.write_report(
                    folder, Path(tmp) / f"report-{n}-{i}.html", seed=0, progress=False
                )
                runs.append(time.perf_counter() - t0)
            assert report.n_submissions == n
            t0 = time.perf_counter()
            done = subprocess.run(
                [str(script), "class-report", str(folder), "--out",
                 str(Path(tmp) / f"cli-{n}.html"), "--no-progress"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            cli_s = time.perf_counter() - t0
            assert f"{n} submission(s)" in done.stdout
            html_mb = written.html.stat().st_size / 1e6
            rows.append((n, len(files), size_mb, demo_s, statistics.median(runs), min(runs),
                         cli_s, html_mb))  # fmt: skip

    print()
    print("| exports | files | input MB | in-process median s | min s | command s | HTML MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, n_files, size_mb, _demo, median, best, cli_s, html_mb in rows:
        print(
            f"| {n:,} | {n_files:,} | {size_mb:.1f} | {median:.2f} | {best:.2f} | {cli_s:.2f} "
            f"| {html_mb:.2f} |"
        )
    for n, *_, median, _best, cli_s, _html in rows:
        if n == 300:
            verdict = "met" if median <= GOAL_S else f"missed by {median - GOAL_S:.2f} s"
            print(f"\ngoal: 300 exports <= {GOAL_S:.0f} s in-process: {median:.2f} s ({verdict})")
            print(f"fresh command, imports included: {cli_s:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

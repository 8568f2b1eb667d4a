"""Build and start-up timings of the course, against the goals of the quality-gates issue.

Run: ``.venv/bin/python benchmarks/bench_book.py [--skip-clean]``. It measures, on this machine:

- ``import cmethics`` and ``import cmethics.widgets`` in fresh processes (median of 7);
- a clean strict build as ``make book`` runs it (``tools/book_cache.py`` executes the notebook
  pages in parallel, then ``jupyter-book build . -n -W --keep-going``), from an empty output
  folder in a temporary directory so the working tree's ``_build/`` is untouched;
- a no-change rebuild of that same output (the execution cache is reused);
- each exercise notebook executed headless with nbclient (answers in a temporary folder).

Prints a Markdown table for docs/performance.md. Timings are wall-clock seconds; run it on an
idle machine. Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOALS = {
    "clean strict build": 90.0,
    "no-change rebuild": 15.0,
    "import cmethics": 1.0,
    "exercise notebook": 5.0,
}


def _timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def import_time(module: str, repeats: int = 7) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def build_times(out: Path) -> tuple[float, float]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    cmd = [
        str(BIN / "jupyter-book"),
        "build",
        str(ROOT),
        "-n",
        "-W",
        "--keep-going",
        "--path-output",
        str(out),
    ]
    prepare = [sys.executable, str(ROOT / "tools" / "book_cache.py"), str(out / "_build")]
    clean = _timed(prepare, cwd=ROOT, env=env) + _timed(cmd, cwd=ROOT, env=env)
    rebuild = _timed(prepare, cwd=ROOT, env=env) + _timed(cmd, cwd=ROOT, env=env)
    return clean, rebuild


def notebook_times() -> dict[str, float]:
    import nbformat
    from nbclient import NotebookClient

    times = {}
    with tempfile.TemporaryDirectory() as answers:
        os.environ["CMETHICS_ANSWERS"] = answers
        for path in sorted((ROOT / "exercises").glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(
                notebook,
                timeout=120,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
            )
            start = time.perf_counter()
            client.execute()
            times[path.name] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-clean", action="store_true", help="skip the two builds")
    args = parser.parse_args()
    rows = [
        ("import cmethics", import_time("cmethics"), GOALS["import cmethics"]),
        ("import cmethics.widgets", import_time("cmethics.widgets"), GOALS["import cmethics"]),
    ]
    if not args.skip_clean:
        out = Path(tempfile.mkdtemp(prefix="cmethics-bench-"))
        try:
            clean, rebuild = build_times(out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        rows += [
            ("clean strict build", clean, GOALS["clean strict build"]),
            ("no-change rebuild", rebuild, GOALS["no-change rebuild"]),
        ]
    for name, seconds in notebook_times().items():
        rows.append((f"execute exercises/{name}", seconds, GOALS["exercise notebook"]))
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print("| measure | seconds | goal | met |")
    print("|---|---:|---:|---|")
    for name, seconds, goal in rows:
        print(f"| {name} | {seconds:.2f} | {goal:g} | {'yes' if seconds <= goal else 'no'} |")


if __name__ == "__main__":
    main()

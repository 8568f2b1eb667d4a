"""How long loading the corpus takes: every table, cold, in a fresh Python process.

Run: ``.venv/bin/python benchmarks/bench_corpus.py [repeats]``. Prints the median over the runs
of (a) importing ``cmethics.corpus`` (pandas included), (b) the first call of every loader (CSV
parsing and typing), (c) a second call (cached reads, copies only). The budget for (b) is 200 ms.
It also lists any build-time module the reader pulled in (there should be none: the reader never
imports the parser, the writer or spaCy).
Figures belong in docs/performance.md, not in tests.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from cmethics import corpus
t1 = time.perf_counter()
build_time = ("cmethics._parse", "cmethics.build", "cmethics.convokit", "spacy")
pulled = [m for m in build_time if m in sys.modules]
loaders = [corpus.articles, corpus.paragraphs, corpus.comments, corpus.speakers,
           corpus.trackbacks, corpus.tokens]
rows = sum(len(f()) for f in loaders)
t2 = time.perf_counter()
for f in loaders:
    f()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "cold": t2 - t1, "warm": t3 - t2, "rows": rows,
                  "pulled": pulled}))
"""


def main(repeats: int = 7) -> None:
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True
        ).stdout
        runs.append(json.loads(out))
    med = {k: statistics.median(r[k] for r in runs) for k in ("import", "cold", "warm")}
    print(f"rows loaded: {runs[0]['rows']} (all six tables), {repeats} fresh processes, median:")
    print(f"  import cmethics.corpus (with pandas): {med['import'] * 1000:7.1f} ms")
    print(f"  load every table, first call:         {med['cold'] * 1000:7.1f} ms  (budget 200 ms)")
    print(f"  load every table again (cached):      {med['warm'] * 1000:7.1f} ms")
    print(f"  build-time modules the reader loaded:  {', '.join(runs[0]['pulled']) or 'none'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)

"""The class report on a fixed synthetic class gives the same files as before the package split.

``tests/fixtures/report_before/`` was written by the single-module ``classroom.py`` (issue 11)
from ``cmethics demo-class FOLDER --students 12 --seed 12`` and ``cmethics class-report FOLDER
--seed 3``: the ten CSV tables, the per-student codings, the HTML (its generation time, the
package version and the figures' base64 replaced by placeholders), the figures' alt text and
PNG digests, the command's output and a digest of every demo export. Both seeds are fixed so
that the coder numbers, and with them Fleiss' κ, do not move (issue 13).

A deliberate change of the report's figures or wording regenerates the fixture, and the diff
of the fixture shows what changed::

    .venv/bin/python tests/test_report_unchanged.py --write
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "report_before"
STUDENTS, DEMO_SEED, REPORT_SEED = 12, 12, 3
FOLDER_NAME = "demo-class"  # shown in the HTML: fixed, not a temporary name

_DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
_GENERATED = re.compile(r"generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def _normalise(text: str, tmp: Path, version: str) -> str:
    text = text.replace(str(tmp), "<tmp>").replace(f"cmethics {version}", "cmethics <version>")
    return _GENERATED.sub("generated <time> UTC", text)


def render(tmp: Path) -> dict[str, str]:
    """Every deterministic output of the demo class's report, by fixture file name."""
    from cmethics import __version__, classroom, cli

    folder = tmp / FOLDER_NAME
    stdout = io.StringIO()
    with redirect_stdout(stdout):
        demo = ["demo-class", str(folder), "--students", str(STUDENTS), "--seed", str(DEMO_SEED)]
        assert cli.main(demo) == 0
        out = tmp / "out" / "report.html"
        args = ["class-report", str(folder), "--out", str(out), "--seed", str(REPORT_SEED)]
        assert cli.main([*args, "--no-progress"]) == 0
    files: dict[str, str] = {"cli_stdout.txt": _normalise(stdout.getvalue(), tmp, __version__)}

    # The exports themselves: the demo class is part of the package's behaviour too.
    digests = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes().replace(__version__.encode(), b"<version>")
            digests[path.relative_to(folder).as_posix()] = hashlib.sha256(data).hexdigest()
    files["demo_files.json"] = json.dumps(digests, indent=1, sort_keys=True) + "\n"

    tables = tmp / "out" / "report_tables"
    for path in sorted(tables.glob("*.csv")):
        files[f"tables/{path.name}"] = path.read_text(encoding="utf-8-sig")

    # The report object again (the same seed gives the same report) for what the files omit:
    # the per-student codings and the figures' PNG bytes.
    report = classroom.build_report(folder, seed=REPORT_SEED)
    files["codings.csv"] = report.codings.to_csv(index=False, lineterminator="\n")
    figures = {
        name: {
            "alt": fig.alt,
            "caption": fig.caption,
            "png_sha256": hashlib.sha256(fig.png).hexdigest(),
        }
        for name, fig in sorted(report.figures.items())
    }
    files["figures.json"] = json.dumps(figures, indent=1, ensure_ascii=False) + "\n"

    html = out.read_text(encoding="utf-8")
    count = iter(range(1, 100))
    html = _DATA_URI.sub(lambda _: f"data:image/png;base64,<figure {next(count)}>", html)
    files["report.html"] = _normalise(html, tmp, __version__)
    return files


def _same_cell(a: str, b: str) -> bool:
    # Exact text, or the same float up to last-digit noise (another numpy may sum differently).
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(x) and math.isnan(y))


def _csv_differences(before: str, now: str) -> list[str]:
    old, new = list(csv.reader(io.StringIO(before))), list(csv.reader(io.StringIO(now)))
    if len(old) != len(new):
        return [f"{len(old)} rows before, {len(new)} now"]
    found = []
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        if len(a) != len(b):
            found.append(f"row {i}: {len(a)} cells before, {len(b)} now")
            continue
        for j, (x, y) in enumerate(zip(a, b, strict=True)):
            if not _same_cell(x, y):
                found.append(f"row {i} ({a[0]}, {a[1] if len(a) > 1 else ''}) column {old[0][j]}: "
                             f"{x!r} before, {y!r} now")  # fmt: skip
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render(tmp_path_factory.mktemp("unchanged"))


def _saved() -> list[str]:
    return sorted(p.relative_to(FIXTURE).as_posix() for p in FIXTURE.rglob("*") if p.is_file())


def test_the_same_files_are_produced(rendered: dict[str, str]) -> None:
    assert sorted(rendered) == _saved()


@pytest.mark.parametrize("name", _saved())
def test_each_file_is_unchanged(rendered: dict[str, str], name: str) -> None:
    before = (FIXTURE / name).read_text(encoding="utf-8")
    now = rendered[name]
    if name.endswith(".csv"):
        differences = _csv_differences(before, now)
        assert not differences, f"{name}:\n" + "\n".join(differences[:20])
    else:
        assert now == before, f"{name} changed; if on purpose, regenerate (see the docstring)"


def _write() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        files = render(Path(tmp))
    for name, text in files.items():
        path = FIXTURE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit(__doc__)
    _write()

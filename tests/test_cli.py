"""The ``cmethics`` console command, end to end (the venv's own script, in a subprocess)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cmethics import classroom, cli

FIXTURE = Path(__file__).parent / "fixtures" / "class"
SCRIPT = Path(sys.executable).with_name("cmethics")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def test_class_report_end_to_end(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    shutil.copytree(FIXTURE, folder)  # a copy: even a bug could not write into the repository
    before = classroom.folder_digest(folder)
    result = run("class-report", str(folder), "--out", str(tmp_path / "out" / "report.html"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when nobody watches a terminal
    assert "4 submission(s) read from 15 file(s); 11 problem(s)" in result.stdout
    assert f"Report: {tmp_path / 'out' / 'report.html'}" in result.stdout
    assert "(10 CSV files)" in result.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "Krippendorff" in html
    tables = sorted(p.name for p in (tmp_path / "out" / "report_tables").iterdir())
    assert "coder_agreement.csv" in tables and len(tables) == 10
    assert classroom.folder_digest(folder) == before


def test_class_report_options_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "class"
    shutil.copytree(FIXTURE, folder)
    before = classroom.folder_digest(folder)
    inside = run("class-report", str(folder), "--out", str(folder / "report.html"))
    assert inside.returncode == 2 and "never modified" in inside.stderr
    missing = run("class-report", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr
    assert classroom.folder_digest(folder) == before
    # In-process for speed: custom CSV folder, progress forced on, top level only.
    code = cli.main(
        [
            "class-report",
            str(folder),
            "--out",
            str(tmp_path / "r.html"),
            "--csv-dir",
            str(tmp_path / "csv"),
            "--progress",
            "--no-recursive",
            "--seed",
            "3",
        ]
    )
    assert code == 0
    assert (tmp_path / "csv" / "problems.csv").exists()
    assert "Reading exports" in capsys.readouterr().err  # the progress bar, as asked
    assert cli.main(["class-report", str(folder), "--out", str(tmp_path / "x.html"),
                     "--csv-dir", str(folder / "tables")]) == 2  # fmt: skip
    assert classroom.folder_digest(folder) == before


def test_data_subcommand_calls_the_corpus_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmethics import build

    calls = []

    def fake_build(out_dir=None):  # the real build loads spaCy: tested in test_corpus.py
        calls.append(out_dir)
        return {"comments": Path(out_dir) / "comments.csv"}

    monkeypatch.setattr(build, "build", fake_build)
    assert cli.main(["data", "--out", str(tmp_path)]) == 0
    assert calls == [tmp_path]
    assert f"wrote comments: {tmp_path / 'comments.csv'}" in capsys.readouterr().out


def test_python_m_corpus_still_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cmethics.corpus", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "--out" in result.stdout


def test_demo_class_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo-class", str(tmp_path / "demo"), "--students", "3", "--no-broken"]) == 0
    assert "3 synthetic students" in capsys.readouterr().out
    assert len(list((tmp_path / "demo").rglob("*.json"))) == 3


def test_help_lists_the_subcommands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("class-report", "data", "demo-class"):
        assert command in result.stdout

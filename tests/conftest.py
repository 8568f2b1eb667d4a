"""Shared fixtures. Keep this file small: fixtures used by one test file live in that file."""

from __future__ import annotations

from pathlib import Path

import pytest

# The built book, its local server and the one headless Chromium are session-wide: they are
# registered here once (a fixture imported into several test modules would be created once per
# module, and Playwright's sync API allows only one instance per process).
from book_support import browser, built_book, site  # noqa: F401

from cmethics._caches import clear_caches


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Empty every cache over the data folder, so that no test sees what another one loaded."""
    clear_caches()


@pytest.fixture(scope="session")
def rebuilt_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus tables rebuilt from data/raw/ into a temporary folder (once per session).

    Building loads spaCy's French tokenizer (a few seconds), so every test that needs a fresh
    build shares this one.
    """
    from cmethics import build

    out = tmp_path_factory.mktemp("rebuilt_data")
    build.build(out)
    return out


@pytest.fixture
def scratch_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/course in a temporary data folder (CMETHICS_DATA), to break on purpose."""
    import shutil

    from cmethics._paths import course_dir

    target = tmp_path / "course"
    shutil.copytree(course_dir(), target)
    monkeypatch.setenv("CMETHICS_DATA", str(tmp_path))
    return target


@pytest.fixture
def poison(monkeypatch: pytest.MonkeyPatch):
    """``poison(module, "loader", edit=..., column=value)``: hostile text in a loader's result.

    See tests/poison.py; the real loader is restored after the test.
    """
    import functools

    from poison import poison_loader

    return functools.partial(poison_loader, monkeypatch)


def edit_once(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file (which must contain it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

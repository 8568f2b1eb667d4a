"""Shared fixtures. Keep this file small: fixtures used by one test file live in that file."""

from __future__ import annotations

from pathlib import Path

import pytest

# The built book, its local server and the one headless Chromium are session-wide: they are
# registered here once (a fixture imported into several test modules would be created once per
# module, and Playwright's sync API allows only one instance per process).
from book_support import browser, built_book, site  # noqa: F401


@pytest.fixture(scope="session")
def rebuilt_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus tables rebuilt from data/raw/ into a temporary folder (once per session).

    Building loads spaCy's French tokenizer (a few seconds), so every test that needs a fresh
    build shares this one.
    """
    from cmethics import corpus

    out = tmp_path_factory.mktemp("rebuilt_data")
    corpus.build(out)
    return out

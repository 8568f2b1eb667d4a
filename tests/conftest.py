"""Shared fixtures. Keep this file small: fixtures used by one test file live in that file."""

from __future__ import annotations

from pathlib import Path

import pytest


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

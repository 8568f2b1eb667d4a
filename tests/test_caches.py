"""Caches over the data folder: keyed on the folder they read, and all cleared by one call."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cmethics import _caches, corpus
from cmethics._paths import data_dir
from cmethics.widgets import ego as ego_module
from cmethics.widgets import ownership as ownership_module

SRC = Path(__file__).resolve().parents[1] / "src" / "cmethics"

#: functools caches that hold nothing read from the data folder, so need no clearing.
NOT_OVER_DATA = {
    "text.py:_nlp",  # the spaCy pipeline
    "answers.py:_submission_validator",  # the JSON schema
    "widgets/coder.py:_notice",  # HTML of fixed messages
    "widgets/role_map.py:_glyphs",  # glyph outlines of point labels
    "course/loading.py:_parse_cached",  # keyed on the file's bytes: an edit is a new key
}


def _copy_of_data(target: Path) -> Path:
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("raw", "convokit"))
    return target


def test_a_data_cache_gives_each_data_folder_its_own_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ego_module.profile("000", "author")
    copy = _copy_of_data(tmp_path / "data")
    comments = pd.read_csv(copy / "comments.csv", dtype=str, keep_default_na=False)
    by_author = comments.index[
        (comments["article_id"] == "000") & (comments["is_article_author"] == "True")
    ]
    assert len(by_author) > 1
    comments.drop(by_author[1:]).to_csv(copy / "comments.csv", index=False, lineterminator="\n")

    monkeypatch.setenv("CMETHICS_DATA", str(copy))
    edited = ego_module.profile("000", "author")
    assert edited["n_comments"] == 1 < real["n_comments"]
    assert edited["n_words"] < real["n_words"]

    misses = ego_module._counts.cache_info().misses
    assert ego_module.profile("000", "author") == edited
    assert ego_module._counts.cache_info().misses == misses  # the same folder: not recounted

    monkeypatch.delenv("CMETHICS_DATA")
    assert ego_module.profile("000", "author") == real


def test_clear_caches_empties_every_registered_cache() -> None:
    corpus.comments()
    ego_module.warm_up()
    ownership_module.load_mentions()
    caches = [corpus._read, ego_module._counts, ownership_module.load_mentions]
    assert all(cache.cache_info().currsize for cache in caches)
    _caches.clear_caches()
    assert [cache.cache_info().currsize for cache in caches] == [0, 0, 0]


def _cached_functions(path: Path) -> list[tuple[str, bool]]:
    """(name, registered) of each function of a module under a functools cache decorator."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        names = {ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
        if names & {"functools.cache", "functools.lru_cache", "lru_cache", "cache"}:
            found.append((node.name, "register" in names))
        elif "data_cache" in names:
            found.append((node.name, True))
    return found


def test_every_functools_cache_over_the_data_is_registered() -> None:
    unregistered = []
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        for name, registered in _cached_functions(path):
            if not registered and f"{module}:{name}" not in NOT_OVER_DATA:
                unregistered.append(f"{module}:{name}")
    assert not unregistered, (
        "a cache over the data folder must be keyed on it and registered "
        "(cmethics._caches.data_cache or register): " + ", ".join(unregistered)
    )


def test_the_exempt_caches_still_exist() -> None:
    # An entry left behind after a rename would exempt nothing and hide nothing: keep the list true.
    present = {
        f"{path.relative_to(SRC).as_posix()}:{name}"
        for path in SRC.rglob("*.py")
        for name, _registered in _cached_functions(path)
    }
    assert present >= NOT_OVER_DATA, NOT_OVER_DATA - present

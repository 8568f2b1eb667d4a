"""Hostile text for the escaping tests: one way to make a loader return poisoned data.

The widget tests check that nothing a comment, a name or a course file says can become live
markup. Each one replaces a loader (``corpus.comments``, ``corpus.thread``,
``course.role_definitions``...) by one that returns the real result with hostile strings written
in. The ``poison`` fixture (tests/conftest.py) does that replacement for the test's duration::

    def test_x(poison):
        poison(corpus, "comments", speaker=EVIL[1], text=" ".join(EVIL))
        poison(corpus, "thread", edit=hostile_rows)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pandas as pd
import pytest
from html_safety import PAYLOADS

__all__ = ["EVIL", "Poison", "cycled", "hostile_rows", "poison_loader"]

#: The hostile strings: a script tag, an image with an event handler, a javascript: URL.
EVIL: list[str] = PAYLOADS


class Poison(Protocol):
    """The ``poison`` fixture's call: ``poison(module, "loader", edit=..., column=value)``."""

    def __call__(
        self, module: object, name: str, edit: Callable[[Any], Any] | None = None, **columns: Any
    ) -> Callable[..., Any]: ...


def poison_loader(
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    edit: Callable[[Any], Any] | None = None,
    **columns: Any,
) -> Callable[..., Any]:
    """Make ``module.name`` return its real result with hostile text in it; return the real one.

    Parameters
    ----------
    monkeypatch
        The test's monkeypatch: the loader is restored after the test.
    module, name
        Where the loader lives, e.g. ``corpus`` and ``"comments"``.
    edit
        Called with the real result (a copy, for a DataFrame); it edits it in place and returns
        ``None``, or returns the poisoned value (for tuples of records).
    **columns
        For a DataFrame: set each column to a value, or to ``value(frame)`` when callable.
    """
    real = getattr(module, name)

    def poisoned(*args: Any, **kwargs: Any) -> Any:
        value = real(*args, **kwargs)
        if isinstance(value, pd.DataFrame):
            value = value.copy()
            for column, new in columns.items():
                value[column] = new(value) if callable(new) else new
        elif columns:
            raise TypeError(f"{name} returns {type(value).__name__}, not a DataFrame")
        if edit is not None:
            edited = edit(value)
            value = value if edited is None else edited
        return value

    monkeypatch.setattr(module, name, poisoned)
    return real


def cycled(suffix: str = "") -> Callable[[pd.DataFrame], list[str]]:
    """A column value: the hostile strings in turn down the rows, each followed by ``suffix``."""
    return lambda frame: [f"{EVIL[i % len(EVIL)]}{suffix}" for i in range(len(frame))]


def hostile_rows(frame: pd.DataFrame) -> None:
    """Write one payload, and a javascript: link, into the text and label of the first rows."""
    for i, payload in enumerate(EVIL):
        frame.loc[i, "text"] = f'{payload} <a href="{EVIL[2]}">x</a>'
        frame.loc[i, "speaker_label"] = payload

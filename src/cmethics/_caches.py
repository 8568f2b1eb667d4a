"""The package's caches over the data folder: declared here, keyed on the folder, cleared together.

Loaders and the widgets cache what they compute from the tables (a CSV read once, a second of
counting done once per kernel). Such a cache must not hand out the results of another data
folder (``CMETHICS_DATA`` points elsewhere: a JupyterHub image, a test's copy), so it is keyed on
the folder it read, and it must be possible to drop every one of them at once (after a rebuild
of the tables in place; before each test). Two ways in:

- ``@data_cache()`` on a function that reads the tables through the loaders: the current data
  folder becomes part of the key;
- ``@register`` on an ``functools`` cache that already takes the folder as an argument.

:func:`clear_caches` empties both kinds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, Protocol, TypeVar

from cmethics._paths import data_dir

__all__ = ["DataCache", "clear_caches", "data_cache", "register"]

P = ParamSpec("P")
R = TypeVar("R")


class _Clearable(Protocol):
    def cache_clear(self) -> None: ...


C = TypeVar("C", bound=_Clearable)

_REGISTERED: list[_Clearable] = []


def register(cache: C) -> C:
    """Add a cache (anything with ``cache_clear()``) to those :func:`clear_caches` empties.

    For ``functools`` caches whose arguments already include the data folder (see
    ``corpus._read``). Use it as the outer decorator::

        @register
        @functools.cache
        def _read(name: str, folder: str) -> pd.DataFrame: ...
    """
    _REGISTERED.append(cache)
    return cache


class DataCache(Generic[P, R]):
    """A function's results cached per data folder (``data_dir()`` at the time of the call).

    Made by :func:`data_cache`. Calls look like calls of the function; ``cache_clear()`` and
    ``cache_info()`` behave as ``functools.lru_cache``'s.
    """

    def __init__(self, function: Callable[P, R], maxsize: int | None) -> None:
        functools.update_wrapper(self, function)  # name, docstring and __wrapped__

        def in_folder(folder: str, *args: Any, **kwargs: Any) -> R:
            del folder  # part of the key only: the function reads data_dir() itself
            return function(*args, **kwargs)

        self._cached = functools.lru_cache(maxsize=maxsize)(in_folder)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        call: Callable[..., R] = self._cached  # arguments must be hashable, as for lru_cache
        return call(str(data_dir()), *args, **kwargs)

    def cache_clear(self) -> None:
        """Forget every result, for every data folder."""
        self._cached.cache_clear()

    def cache_info(self) -> Any:
        """Hits, misses and size, as ``functools.lru_cache`` reports them."""
        return self._cached.cache_info()


def data_cache(maxsize: int | None = 4) -> Callable[[Callable[P, R]], DataCache[P, R]]:
    """Decorator: cache a function's results per data folder, and register the cache.

    Parameters
    ----------
    maxsize
        How many results to keep (per argument tuple and folder together); ``None`` for no
        limit. The default keeps a few folders' worth for a function without arguments.

    Examples
    --------
    >>> @data_cache()
    ... def n_comments() -> int:
    ...     from cmethics import corpus
    ...     return len(corpus.comments())
    >>> n_comments() == n_comments()
    True
    """

    def decorate(function: Callable[P, R]) -> DataCache[P, R]:
        return register(DataCache(function, maxsize))

    return decorate


def clear_caches() -> None:
    """Empty every registered cache (all data folders).

    Call it after rewriting the tables of a folder in place; the tests call it before each test.
    Modules not imported yet have no cache to clear, and none is imported here.
    """
    for cache in _REGISTERED:
        cache.cache_clear()

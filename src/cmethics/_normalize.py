"""Whitespace normalisation for verbatim checks, shared by the corpus reader and the parser.

A leaf: it imports nothing from the package, so the reader (:mod:`cmethics.corpus`) and the
build (:mod:`cmethics._parse`, :mod:`cmethics.build`) can both use it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_ws"]

_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Normalise whitespace only, for comparing quotations with the sources.

    Any run of whitespace (spaces, tabs, line breaks, no-break space U+00A0, narrow no-break
    space U+202F ...) becomes one space; leading and trailing whitespace is removed. The text is
    also put in Unicode NFC form, which changes no visible character: it makes « é » typed as
    e + combining accent equal to the precomposed « é » of the pages (which are NFC already).
    Quotation marks and apostrophes are NOT touched: ’ and ' stay different.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalize_ws("Réponse\\u00a0: Non.\\n")
    'Réponse : Non.'
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()

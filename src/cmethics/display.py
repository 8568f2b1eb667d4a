"""Showing tables in the book and the notebooks: escaped, labelled, and styled by the theme.

pandas' ``Styler`` does not escape cell text by default, so a comment containing ``<script>``
would become live HTML in a page. Every table the course shows goes through :func:`table`, which
escapes cells, headers and the caption.
"""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["table"]


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    precision: int = 2,
    index: bool = False,
) -> Styler:
    """Return an escaped, theme-styled HTML table of ``df``.

    Parameters
    ----------
    df
        The data; any text in it (corpus comments, student answers) is treated as untrusted.
    caption
        An optional caption shown above the table (escaped).
    precision
        Decimals for floats.
    index
        Whether to show the index.

    Returns
    -------
    pandas.io.formats.style.Styler
        Displayed as an HTML ``<table class="table">``; missing values show as empty cells.

    Examples
    --------
    >>> html = table(pd.DataFrame({"text": ["<b>x</b>"]})).to_html()
    >>> "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    True
    """
    styler = (
        df.style.format(escape="html", na_rep="", precision=precision)
        .format_index(escape="html", axis=1)
        .format_index(escape="html", axis=0)
        .set_table_attributes('class="table"')
    )
    if not index:
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler

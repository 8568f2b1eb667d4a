"""Find the corpus row (paragraph or comment) that holds a quotation or an anchor: locate()."""

from __future__ import annotations

from functools import lru_cache

from cmethics._caches import register
from cmethics._normalize import normalize_ws
from cmethics._paths import data_dir

__all__ = ["locate"]


def locate(article_id: str, text: str) -> str | None:
    """Find the corpus row of an article that contains a quotation or an anchor.

    Parameters
    ----------
    article_id
        ``"000"`` … ``"004"``.
    text
        Verbatim text (whitespace-insensitive), for example a role's ``anchor``.

    Returns
    -------
    str or None
        The ``paragraph_id`` (article body) or ``comment_id`` of the one row that contains
        ``text``; None when no row or several rows contain it.
    """
    needle = normalize_ws(text)
    rows = _corpus_rows(str(data_dir()), article_id)
    hits = [row_id for row_id, row_text in rows if needle and needle in row_text]
    return hits[0] if len(hits) == 1 else None


@register
@lru_cache(maxsize=8)
def _corpus_rows(data_folder: str, article_id: str) -> tuple[tuple[str, str], ...]:
    # Normalised once per article: widgets may resolve many anchors in one callback.
    del data_folder  # part of the cache key only: another data folder, other tables
    from cmethics import corpus  # imported here: only locate() needs the corpus tables

    paragraphs = corpus.paragraphs()
    comments = corpus.comments()
    rows = [
        (str(p.paragraph_id), normalize_ws(str(p.text)))
        for p in paragraphs[paragraphs["article_id"] == article_id].itertuples()
    ]
    rows += [
        (str(c.comment_id), normalize_ws(str(c.text)))
        for c in comments[comments["article_id"] == article_id].itertuples()
    ]
    return tuple(rows)

"""Quotation marks: which words of a text stand in a quotation, and which are only marked.

The ownership and ego chapters ask whether a writer uses a phrase (« ma communauté », « nous »)
or reports it between quotation marks. :func:`quotation_spans` pairs the marks,
:func:`quotation_status` places given words, :func:`token_quotation` does it token by token.
:mod:`cmethics.text` re-exports the three and reads the documents through :func:`corpus_texts`;
this module needs only the corpus reader.
"""

from __future__ import annotations

import pandas as pd

from cmethics import corpus

__all__ = ["corpus_texts", "quotation_spans", "quotation_status", "token_quotation"]

# Opening mark -> closing mark. Apostrophes (’ ') are left out: in these pages they elide.
_PAIRED_QUOTES = {"«": "»", "“": "”"}


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations in a text.

    « … » and “ … ” pairs may nest; straight double quotes pair in order of appearance. A mark
    that is never closed opens no span, so that one typo does not turn the rest of a comment
    into a quotation.

    Parameters
    ----------
    text : str
        A paragraph or a comment.

    Returns
    -------
    list of (int, int)
        ``(open, close)`` offsets of the opening and closing marks, sorted by ``open``.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    closers = set(_PAIRED_QUOTES.values())
    for i, ch in enumerate(text):
        if ch in _PAIRED_QUOTES:
            stack.append((ch, i))
        elif ch in closers:
            for k in range(len(stack) - 1, -1, -1):
                if _PAIRED_QUOTES[stack[k][0]] == ch:
                    spans.append((stack[k][1], i))
                    del stack[k:]  # openers left inside were never closed
                    break
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i))
                straight = None
    return sorted(spans)


def quotation_status(text: str, start: int, end: int) -> str:
    """Whether the words ``text[start:end]`` are quoted, put between quotation marks, or neither.

    Parameters
    ----------
    text : str
        The paragraph or comment.
    start, end : int
        Character offsets of the words (e.g. ``start`` of a mention and the end of its match).

    Returns
    -------
    str
        ``"quoted"``: inside a quotation that holds more than these words (the writer reports
        a phrase, his own or someone else's: « ma communauté fait ceci ou cela… »);
        ``"marked"``: quotation marks around these words only, or around part of them (scare
        quotes: « gérer "sa" communauté », « "la communauté" »); ``"none"`` otherwise.
    """
    status = "none"
    words = _normalize_words(text[start:end])
    for open_, close in quotation_spans(text):
        if open_ < start and close >= end:
            if _normalize_words(text[open_ + 1 : close]) != words:
                return "quoted"
            status = "marked"
        elif start - 1 <= open_ < end or start <= close <= end:
            status = "marked"
    return status


def _normalize_words(text: str) -> str:
    """Lower-case words of ``text`` without quotation marks, one space between them."""
    for mark in ("«", "»", "“", "”", '"'):
        text = text.replace(mark, " ")
    return " ".join(text.lower().split())


def corpus_texts() -> dict[str, str]:
    """Every paragraph's and comment's text, keyed by its doc_id (as ``tokens.doc_id``)."""
    paragraphs = corpus.paragraphs()
    comments = corpus.comments()
    texts = dict(zip(paragraphs["paragraph_id"], paragraphs["text"], strict=True))
    texts.update(zip(comments["comment_id"], comments["text"], strict=True))
    return texts


def token_quotation(tokens: pd.DataFrame) -> pd.Series:
    """Whether each token stands in a quotation (:func:`quotation_status`, token by token).

    A pronoun count mixes the words a writer uses with the words he quotes or mentions: in
    « valoriser le « vous » et non le « nous » » (000-p038) the two pronouns are named, not
    addressed to anyone. The ego chapter uses this column to count pronouns with and without
    them.

    Parameters
    ----------
    tokens : DataFrame
        Rows of ``cmethics.corpus.tokens()`` (``doc_id``, ``start``, ``token``). Each row costs
        one scan of its document, so pass the rows you need (e.g. the pronouns of one page).

    Returns
    -------
    Series
        Aligned with ``tokens``, dtype string, named ``quotation``: ``"quoted"`` (inside a
        longer quotation), ``"marked"`` (quotation marks around the word itself) or ``"none"``.
    """
    texts = corpus_texts()
    status = [
        quotation_status(texts[str(d)], int(s), int(s) + len(str(t)))
        for d, s, t in zip(tokens["doc_id"], tokens["start"], tokens["token"], strict=True)
    ]
    return pd.Series(status, index=tokens.index, dtype="string", name="quotation")

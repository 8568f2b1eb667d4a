"""The corpus tables' schema: file names, column order, dtypes and row order.

A leaf shared by the reader (:mod:`cmethics.corpus`, which types what it loads) and the writer
(:mod:`cmethics.build`, which orders what it writes); it imports nothing from the package.
"""

from __future__ import annotations

__all__ = ["SORT", "TABLES"]

_S, _I, _B = "string", "Int64", "bool"

#: For each table: its columns in file order, with their pandas dtype.
TABLES: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": _S,
        "source_file": _S,
        "title": _S,
        "title_basis": _S,
        "author": _S,
        "author_basis": _S,
        "date": "datetime64[s]",
        "venue": _S,
        "venue_basis": _S,
        "theme": _S,
        "n_paragraphs": _I,
        "n_words": _I,
        "comments_claimed": _I,
        "comments_present": _I,
        "n_trackbacks": _I,
    },
    "paragraphs": {
        "article_id": _S,
        "paragraph_id": _S,
        "position": _I,
        "section": _S,
        "kind": _S,
        "text": _S,
        "n_words": _I,
    },
    "comments": {
        "comment_id": _S,
        "article_id": _S,
        "position": _I,
        "speaker": _S,
        "speaker_basis": _S,
        "speaker_id": _S,
        "is_article_author": _B,
        "author_basis": _S,
        "reply_to": _S,
        "reply_basis": _S,
        "addressee": _S,
        "addressee_speaker_id": _S,
        "depth": _I,
        "text": _S,
        "n_words": _I,
    },
    "speakers": {
        "speaker_id": _S,
        "display_name": _S,
        "pseudonym": _S,
        "role": _S,
        "article_ids": _S,
        "n_comments": _I,
    },
    "trackbacks": {"article_id": _S, "trackback_id": _S, "position": _I, "text": _S},
    "tokens": {
        "doc_id": _S,
        "doc_type": _S,
        "article_id": _S,
        "position": _I,
        "sentence": _I,
        "start": _I,
        "token": _S,
        "lower": _S,
        "is_alpha": _B,
        "is_word": _B,
        "pronoun": _S,
        "person": _I,
        "number": _S,
        "kind": _S,
        "category": _S,
    },
}

#: Row order of each committed file (the build produces it; the writer enforces it).
SORT: dict[str, list[str]] = {
    "articles": ["article_id"],
    "paragraphs": ["article_id", "position"],
    "comments": ["article_id", "position"],
    "speakers": ["speaker_id"],
    "trackbacks": ["article_id", "position"],
    "tokens": [],  # already in reading order: each article's paragraphs, then its comments
}

"""Quoting the sources inside the labs: French as printed, our translation, who said it.

Shared by the expertise sorter, the trust case and the ownership lab. Every quotation is shown
verbatim (escaped) with ``lang="fr"``, followed by its attribution and by our English
translation, labelled as ours. Speakers follow the corpus's pseudonyms: commenters appear as
"Commenter 07", article authors keep their names, and an unsigned reply in the author's voice is
"the article's author (unsigned reply)", never a name we inferred.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from cmethics import corpus
from cmethics.widgets._base import esc
from cmethics.widgets._style import MUTED, OURS, PANEL, QUOTE

__all__ = [
    "MUTED",
    "OURS",
    "PANEL",
    "QUOTE",
    "Speakers",
    "TranslationTable",
    "glossed_html",
    "quote_html",
]

UNSIGNED_AUTHOR = "the article\u2019s author (unsigned)"
UNSIGNED_REPLY = "the article\u2019s author (unsigned reply)"
UNSIGNED_COMMENTER = "an unsigned commenter"


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


class TranslationTable:
    """Our English translations, looked up by the French as quoted (whitespace-insensitive).

    Parameters
    ----------
    translations
        French passage (verbatim from the sources) -> our English translation.
    """

    def __init__(self, translations: Mapping[str, str]) -> None:
        self.french = tuple(translations)
        self._table = {corpus.normalize_ws(k): v for k, v in translations.items()}

    def get(self, quote: str) -> str | None:
        """Our translation of ``quote``, or ``None`` when we have none."""
        return self._table.get(corpus.normalize_ws(quote))


_SPAN = re.compile(r"«\s*(.*?)\s*»", re.DOTALL)


def glossed_html(text: str, table: TranslationTable) -> str:
    """English prose with « … » quotations, escaped, each followed by our translation.

    The course data quote short French phrases inside our English notes (« carte blanche »);
    as the writing guide asks, each one we can translate is followed by "(a free hand; our
    translation)". Phrases without a translation are left as they are.
    """
    parts: list[str] = []
    last = 0
    for match in _SPAN.finditer(text):
        english = table.get(match.group(1))
        if english is None:
            continue
        parts.append(esc(text[last : match.end()]))
        parts.append(f" ({esc(english)}; our translation)")
        last = match.end()
    parts.append(esc(text[last:]))
    return "".join(parts)


class Speakers:
    """Who wrote a paragraph or a comment, as the labs show it (pseudonyms for commenters).

    Built from the corpus tables when a lab is created (the loaders are cached), so that a test
    that replaces a table sees its replacement.
    """

    def __init__(self) -> None:
        comments = corpus.comments(pseudonymize=True)
        printed = corpus.comments(pseudonymize=False)
        articles = corpus.articles()
        self._authors = {
            str(a): (UNSIGNED_AUTHOR if _missing(name) else str(name))
            for a, name in zip(articles["article_id"], articles["author"], strict=True)
        }
        self._comments: dict[str, str] = {}
        for cid, speaker, author, basis in zip(
            comments["comment_id"],
            comments["speaker"],
            comments["is_article_author"],
            comments["author_basis"],
            strict=True,
        ):
            if bool(author):
                signed = basis == "signed" and not _missing(speaker)
                label = str(speaker) if signed else UNSIGNED_REPLY
            else:
                label = UNSIGNED_COMMENTER if _missing(speaker) else str(speaker)
            self._comments[str(cid)] = label
        # Commenters' printed names -> pseudonyms, to hide them in our own commentary too.
        self._aliases: dict[str, str] = {}
        for name, alias, author in zip(
            printed["speaker"], comments["speaker"], printed["is_article_author"], strict=True
        ):
            if not bool(author) and not _missing(name) and not _missing(alias) and name != alias:
                self._aliases[str(name)] = str(alias)
                # "Lucile Merra - Eureka": our notes may name the person without the company.
                person = str(name).split(" - ")[0].strip()
                if person != name and " " in person:
                    self._aliases.setdefault(person, str(alias))
        # Longest first, so that a short name inside a longer one does not cut it.
        names = sorted(self._aliases, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(n) for n in names)) if names else None

    def hide_names(self, text: str) -> str:
        """``text`` with every commenter's printed name replaced by their pseudonym."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._aliases[m.group(0)], text)

    def of(self, doc_id: str | None, article_id: str) -> str:
        """The speaker of a comment id, or of the article body when ``doc_id`` is a paragraph
        id or ``None``."""
        if doc_id and doc_id in self._comments:
            return self._comments[doc_id]
        return self._authors.get(article_id, UNSIGNED_AUTHOR)

    @staticmethod
    def where(article_id: str, doc_id: str | None) -> str:
        """Where a passage is: "source 004, comment 004-c017" or "source 004, the article"."""
        if doc_id and "-c" in doc_id:
            return f"source {article_id}, comment {doc_id}"
        if doc_id and "-p" in doc_id:
            return f"source {article_id}, the article ({doc_id})"
        return f"source {article_id}, the article"


def quote_html(
    french: str,
    english: str | None,
    attribution: str,
    extra: str = "",
    ours_label: str = "Our translation:",
) -> str:
    """A verbatim French quotation, its attribution and our translation (all escaped).

    Parameters
    ----------
    french
        The passage as printed in the source.
    english
        Our translation (``None``: none is shown).
    attribution
        "Commenter 07, source 004, comment 004-c017".
    extra
        Trusted HTML appended after the translation (the caller escapes what it puts there).
    ours_label
        The label that marks the English as ours.
    """
    ours = f'<div style="{OURS}"><em>{esc(ours_label)}</em> {esc(english)}</div>' if english else ""
    return (
        f'<blockquote lang="fr" style="{QUOTE}">{esc(french)}</blockquote>'
        f'<div style="font-size:0.88em;color:{MUTED}">{esc(attribution)}</div>{ours}{extra}'
    )

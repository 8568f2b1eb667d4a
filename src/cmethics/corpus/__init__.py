"""The five sources as tidy tables: load them and check quotations against them (the reader).

Every notebook reads the corpus through this module, never by path::

    from cmethics import corpus
    comments = corpus.comments()              # one row per comment, typed
    thread = corpus.thread("004")             # one article's comments with reply structure
    corpus.is_verbatim("Les gens ne vous appartiennent pas.")   # True

The tables live in ``data/`` as UTF-8 CSV (see ``data/README.md`` for the data dictionary) and are
rebuilt from the raw pages by ``make data``, which runs ``python -m cmethics.corpus``. Reads are
cached; every loader returns a fresh copy, so callers may modify what they get.

This package only reads: the writer is :mod:`cmethics.build` (``corpus/__main__.py`` hands
``python -m cmethics.corpus`` to it) and the ConvoKit export is :mod:`cmethics.convokit`. The
schema (:data:`TABLES`) and :func:`normalize_ws` come from leaves that both sides share, so
loading the tables never imports the parser or spaCy.

Types: ids, names and texts are pandas ``string``; counts and positions ``Int64``; flags
``bool``; ``articles.date`` is ``datetime64``. An empty cell in a CSV file is ``<NA>`` here.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from cmethics._caches import register
from cmethics._normalize import normalize_ws
from cmethics._paths import data_dir, raw_dir
from cmethics._schema import TABLES

__all__ = [
    "TABLES",
    "UNPRINTED_ADDRESSEE",
    "articles",
    "comments",
    "find_verbatim",
    "is_verbatim",
    "normalize_ws",
    "paragraphs",
    "raw_text",
    "speakers",
    "thread",
    "tokens",
    "trackbacks",
]

# --------------------------------------------------------------------------------------------
# Verbatim checks
# --------------------------------------------------------------------------------------------


@register
@functools.cache
def _normalized_pages(folder: str) -> dict[str, str]:
    """Each raw page, whitespace-normalised once (keyed by article_id)."""
    pages = {}
    for path in sorted(Path(folder).glob("*.txt")):
        pages[path.name[:3]] = normalize_ws(path.read_text(encoding="utf-8"))
    return pages


def find_verbatim(text: str) -> str | None:
    """Return the article_id of the raw page that contains ``text`` verbatim, or None.

    Both sides are compared after :func:`normalize_ws`; nothing else is forgiven (quotation
    marks, apostrophes, case, accents and ellipses must match). Quote an elided passage as its
    separate parts.

    Parameters
    ----------
    text : str
        A quotation (French, as printed on the page).

    Returns
    -------
    str or None
        "000" ... "004" for the first page (in id order) that contains it; None if none does or
        if ``text`` is blank.
    """
    needle = normalize_ws(text)
    if not needle:
        return None
    for article_id, page in _normalized_pages(str(raw_dir())).items():
        if needle in page:
            return article_id
    return None


def raw_text(article_id: str, normalized: bool = False) -> str:
    """Return one source page as stored in ``data/raw/`` (optionally whitespace-normalised).

    Parameters
    ----------
    article_id : str
        "000" ... "004".
    normalized : bool
        Apply :func:`normalize_ws` (cached), as the verbatim checks do.

    Raises
    ------
    KeyError
        For an unknown article id.
    """
    if normalized:
        return _normalized_pages(str(raw_dir()))[article_id]
    matches = sorted(raw_dir().glob(f"{article_id}_*.txt"))
    if len(matches) != 1:
        raise KeyError(article_id)
    return matches[0].read_text(encoding="utf-8")


def is_verbatim(text: str, article_id: str | None = None) -> bool:
    """Whether ``text`` is verbatim in a raw page (in ``article_id``'s page if given).

    Parameters
    ----------
    text : str
        A quotation.
    article_id : str, optional
        Restrict the check to one page.

    Returns
    -------
    bool
        True if found after whitespace normalisation (see :func:`normalize_ws`).
    """
    if article_id is None:
        return find_verbatim(text) is not None
    needle = normalize_ws(text)
    page = _normalized_pages(str(raw_dir())).get(article_id, "")
    return bool(needle) and needle in page


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


@register
@functools.cache
def _read(name: str, folder: str) -> pd.DataFrame:
    columns = TABLES[name]
    dtypes = {c: t for c, t in columns.items() if not t.startswith("datetime")}
    df = pd.read_csv(
        Path(folder) / f"{name}.csv",
        dtype=dtypes,
        keep_default_na=False,  # a token « NA » or « null » is text, not a missing value
        na_values={c: [""] for c, t in dtypes.items() if t != "bool"},
        encoding="utf-8",
    )
    for col, kind in columns.items():
        if kind.startswith("datetime"):
            df[col] = pd.to_datetime(df[col], format="%Y-%m-%d").astype(kind)
    return df[list(columns)]


def _load(name: str) -> pd.DataFrame:
    return _read(name, str(data_dir())).copy()


def articles() -> pd.DataFrame:
    """The five source articles, one row each (``articles.csv``).

    Returns
    -------
    DataFrame
        Columns: article_id, source_file, title, title_basis, author, author_basis, date,
        venue, venue_basis, theme, n_paragraphs, n_words, comments_claimed, comments_present,
        n_trackbacks. See ``data/README.md``.
    """
    return _load("articles")


def paragraphs() -> pd.DataFrame:
    """The article bodies, one row per paragraph, in page order (``paragraphs.csv``).

    Returns
    -------
    DataFrame
        Columns: article_id, paragraph_id, position, section, kind, text, n_words.
    """
    return _load("paragraphs")


def _pseudonyms() -> tuple[dict[str, str], dict[str, str]]:
    spk = _read("speakers", str(data_dir()))
    pseudonym = dict(zip(spk["speaker_id"], spk["pseudonym"], strict=True))
    role = dict(zip(spk["speaker_id"], spk["role"], strict=True))
    return pseudonym, role


#: What a pseudonymised table shows for an address naming nobody printed in the thread.
UNPRINTED_ADDRESSEE = "(not a printed commenter)"


def comments(pseudonymize: bool = False) -> pd.DataFrame:
    """Every comment of every thread, one row each, in page order (``comments.csv``).

    Parameters
    ----------
    pseudonymize : bool
        Replace names with pseudonyms: ``speaker`` becomes the row's speaker pseudonym
        (``speakers.pseudonym``: « Commenter 07 », « Unsigned commenter 03 »; article authors
        keep their published name, also on their unsigned replies); ``addressee`` becomes the
        pseudonym of the speaker it names, or « (not a printed commenter) » when it names no
        printed speaker. ``text`` is never altered.

    Returns
    -------
    DataFrame
        Columns: comment_id, article_id, position, speaker, speaker_basis, speaker_id,
        is_article_author, author_basis, reply_to, reply_basis, addressee,
        addressee_speaker_id, depth, text, n_words.
    """
    df = _load("comments")
    if pseudonymize:
        pseudonym, _role = _pseudonyms()
        df["speaker"] = df["speaker_id"].map(pseudonym).astype("string")
        named = df["addressee_speaker_id"].map(pseudonym).astype("string")
        unnamed = df["addressee"].notna() & df["addressee_speaker_id"].isna()
        df["addressee"] = named.mask(unnamed, UNPRINTED_ADDRESSEE).astype("string")
    return df


def speakers(pseudonymize: bool = False) -> pd.DataFrame:
    """Everyone who speaks in the corpus: article authors and commenters (``speakers.csv``).

    One row per speaker. Identical printed names are one speaker, also across pages; each
    unsigned comment is its own speaker, except the author's unsigned replies.

    Parameters
    ----------
    pseudonymize : bool
        Replace commenters' ``display_name`` with their pseudonym (authors keep theirs).

    Returns
    -------
    DataFrame
        Columns: speaker_id, display_name, pseudonym, role, article_ids, n_comments.
    """
    df = _load("speakers")
    if pseudonymize:
        commenter = df["role"] != "article author"
        df["display_name"] = df["display_name"].mask(commenter, df["pseudonym"])
    return df


def trackbacks() -> pd.DataFrame:
    """Trackbacks printed under an article (only 000 has them) (``trackbacks.csv``).

    Returns
    -------
    DataFrame
        Columns: article_id, trackback_id, position, text.
    """
    return _load("trackbacks")


def tokens() -> pd.DataFrame:
    """Every token of every paragraph and comment, with pronoun tags (``tokens.csv``).

    See :mod:`cmethics.text` for the tokenizer and the pronoun categories.

    Returns
    -------
    DataFrame
        Columns: doc_id, doc_type, article_id, position, sentence, start, token, lower,
        is_alpha, is_word, pronoun, person, number, kind, category.
    """
    return _load("tokens")


def thread(article_id: str, pseudonymize: bool = False) -> pd.DataFrame:
    """One article's comments in page order, with their reply structure.

    Parameters
    ----------
    article_id : str
        "000" to "004".
    pseudonymize : bool
        As in :func:`comments`; ``reply_to_speaker`` is pseudonymised too.

    Returns
    -------
    DataFrame
        Columns: comment_id, position, depth, speaker (as printed, or pseudonymised),
        speaker_label (always filled, for display: the speaker's display name, or pseudonym
        when unsigned or when ``pseudonymize=True``; the author's name on his unsigned
        replies), speaker_id, is_article_author, reply_to, reply_basis, reply_to_speaker (the
        speaker_label of the comment replied to; <NA> when there is no reply_to), addressee,
        text, n_words.

    Raises
    ------
    KeyError
        If ``article_id`` is not one of the five articles.
    """
    if article_id not in set(articles()["article_id"]):
        raise KeyError(f"no article {article_id!r}; use one of '000' ... '004'")
    df = comments(pseudonymize=pseudonymize)
    df = df[df["article_id"] == article_id].sort_values("position").reset_index(drop=True)
    spk = speakers(pseudonymize=pseudonymize)
    label = spk["display_name"].fillna(spk["pseudonym"])
    label_of = dict(zip(spk["speaker_id"], label, strict=True))
    df["speaker_label"] = df["speaker_id"].map(label_of).astype("string")
    speaker_of = dict(zip(df["comment_id"], df["speaker_id"], strict=True))
    replied = df["reply_to"].map(speaker_of)
    df["reply_to_speaker"] = replied.map(label_of).astype("string")
    cols = [
        "comment_id", "position", "depth", "speaker", "speaker_label", "speaker_id",
        "is_article_author", "reply_to", "reply_basis", "reply_to_speaker", "addressee",
        "text", "n_words",
    ]  # fmt: skip
    return df[cols]

"""The five sources as tidy tables: load them, check quotations against them, export them.

Every notebook reads the corpus through this module, never by path::

    from cmethics import corpus
    comments = corpus.comments()              # one row per comment, typed
    thread = corpus.thread("004")             # one article's comments with reply structure
    corpus.is_verbatim("Les gens ne vous appartiennent pas.")   # True

The tables live in ``data/`` as UTF-8 CSV (see ``data/README.md`` for the data dictionary) and are
rebuilt from the raw pages by ``make data``, which runs ``python -m cmethics.corpus``. Reads are
cached; every loader returns a fresh copy, so callers may modify what they get.

Types: ids, names and texts are pandas ``string``; counts and positions ``Int64``; flags
``bool``; ``articles.date`` is ``datetime64``. An empty cell in a CSV file is ``<NA>`` here.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from cmethics._paths import data_dir, raw_dir

__all__ = [
    "CONVOKIT_SCHEMA",
    "TABLES",
    "UNPRINTED_ADDRESSEE",
    "articles",
    "build",
    "comments",
    "find_verbatim",
    "is_verbatim",
    "normalize_ws",
    "paragraphs",
    "raw_text",
    "speakers",
    "thread",
    "to_convokit",
    "tokens",
    "trackbacks",
]

# --------------------------------------------------------------------------------------------
# Table schemas: file name, column order and dtype (the loaders and the writer share them)
# --------------------------------------------------------------------------------------------

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

# Row order of each committed file (the build produces it; the writer enforces it).
_SORT: dict[str, list[str]] = {
    "articles": ["article_id"],
    "paragraphs": ["article_id", "position"],
    "comments": ["article_id", "position"],
    "speakers": ["speaker_id"],
    "trackbacks": ["article_id", "position"],
    "tokens": [],  # already in reading order: each article's paragraphs, then its comments
}

# --------------------------------------------------------------------------------------------
# Whitespace and verbatim checks
# --------------------------------------------------------------------------------------------

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


@functools.cache
def _read(name: str, folder: str) -> pd.DataFrame:
    columns = TABLES[name]
    dtypes = {c: t for c, t in columns.items() if not t.startswith("datetime")}
    df = pd.read_csv(
        Path(folder) / f"{name}.csv",
        dtype=dtypes,
        keep_default_na=False,  # a token « NA » or « null » is text, not a missing value
        na_values={c: [""] for c, t in dtypes.items() if t != _B},
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


# --------------------------------------------------------------------------------------------
# Writing (make data)
# --------------------------------------------------------------------------------------------


def _write_csv(df: pd.DataFrame, path: Path, name: str) -> None:
    df = df[list(TABLES[name])]
    if _SORT[name]:
        df = df.sort_values(_SORT[name], kind="stable")
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", float_format="%.10g")


def build(out_dir: Path | str | None = None) -> dict[str, Path]:
    """Parse the raw pages and (re)write every table and the ConvoKit export.

    Deterministic: the same raw pages and ``sources.yaml`` give byte-identical files.

    Parameters
    ----------
    out_dir : path, optional
        Where to write (default: the data folder, ``data/``). The raw pages and
        ``sources.yaml`` are always read from the data folder.

    Returns
    -------
    dict of str to Path
        Each written file by name.
    """
    from cmethics import _parse  # build time only: pulls in spaCy

    src = data_dir()
    out = Path(out_dir) if out_dir is not None else src
    out.mkdir(parents=True, exist_ok=True)
    tables = _parse.build_tables(src / "raw", src / "sources.yaml")
    written: dict[str, Path] = {}
    for name in TABLES:
        path = out / f"{name}.csv"
        _write_csv(tables[name], path, name)
        written[name] = path
    # Export from the files just written, read back as the loaders read them, so the export
    # is exactly what to_convokit() gives from the committed tables.
    loaded = {name: _read.__wrapped__(name, str(out)) for name in TABLES}
    meta = _parse.read_sources(src / "sources.yaml")
    for name, path in _write_convokit(loaded, meta, out / "convokit").items():
        written[f"convokit/{name}"] = path
    _read.cache_clear()
    return written


# --------------------------------------------------------------------------------------------
# ConvoKit export
# --------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready Python value (pandas NA -> None, numpy scalars -> int/bool)."""
    if value is pd.NA or value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _convokit_records(tables: dict[str, pd.DataFrame], sources: dict[str, Any]) -> dict[str, Any]:
    arts = tables["articles"]
    paras = tables["paragraphs"]
    coms = tables["comments"]
    spk = tables["speakers"]
    authors = coms[coms["author_basis"].notna()].groupby("article_id")["speaker_id"].first()
    author_of = {}
    for _, a in arts.iterrows():
        aid = a["article_id"]
        # The author's speaker: the one who replies as author, else the one named author.
        if aid in authors.index:
            author_of[aid] = authors[aid]
        else:
            match = spk[(spk["role"] == "article author") & spk["article_ids"].str.contains(aid)]
            author_of[aid] = match["speaker_id"].iloc[0]

    utterances = []
    meta_keys = [
        "kind", "article_id", "position", "depth", "reply_basis", "is_article_author",
        "author_basis", "speaker_as_printed", "addressee", "addressee_speaker_id", "n_words",
    ]  # fmt: skip
    for _, a in arts.iterrows():
        aid = a["article_id"]
        body = paras[paras["article_id"] == aid].sort_values("position")
        meta = dict.fromkeys(meta_keys)
        meta.update(kind="article", article_id=aid, is_article_author=True)
        meta["n_words"] = _plain(a["n_words"])
        utterances.append(
            {
                "id": aid,
                "speaker": author_of[aid],
                "conversation_id": aid,
                "reply_to": None,
                "timestamp": 0,  # page order, not a time: see to_convokit
                "text": "\n\n".join(body["text"]),
                "meta": meta,
                "vectors": [],
            }
        )
        for _, c in coms[coms["article_id"] == aid].sort_values("position").iterrows():
            meta = {
                "kind": "comment",
                "article_id": aid,
                "position": _plain(c["position"]),
                "depth": _plain(c["depth"]),
                "reply_basis": c["reply_basis"],
                "is_article_author": bool(c["is_article_author"]),
                "author_basis": _plain(c["author_basis"]),
                "speaker_as_printed": _plain(c["speaker"]),
                "addressee": _plain(c["addressee"]),
                "addressee_speaker_id": _plain(c["addressee_speaker_id"]),
                "n_words": _plain(c["n_words"]),
            }
            utterances.append(
                {
                    "id": c["comment_id"],
                    "speaker": c["speaker_id"],
                    "conversation_id": aid,
                    # Top-level comments answer the article, the conversation's root.
                    "reply_to": _plain(c["reply_to"]) or aid,
                    # The pages print no dates, but ConvoKit sorts replies by timestamp and
                    # fails on null (UtteranceNode.set_children): use page order instead.
                    "timestamp": _plain(c["position"]),
                    "text": c["text"],
                    "meta": meta,
                    "vectors": [],
                }
            )

    speakers_json = {
        s["speaker_id"]: {
            "meta": {
                "display_name": _plain(s["display_name"]),
                "pseudonym": s["pseudonym"],
                "role": s["role"],
                "article_ids": s["article_ids"].split(),
                "n_comments": _plain(s["n_comments"]),
            },
            "vectors": [],
        }
        for _, s in spk.iterrows()
    }
    conversations_json = {
        a["article_id"]: {
            "meta": {
                "title": a["title"],
                "author": _plain(a["author"]),
                "date": None if pd.isna(a["date"]) else a["date"].strftime("%Y-%m-%d"),
                "venue": _plain(a["venue"]),
                "theme": a["theme"],
                "source_file": a["source_file"],
                "comments_claimed": _plain(a["comments_claimed"]),
                "comments_present": _plain(a["comments_present"]),
            },
            "vectors": [],
        }
        for _, a in arts.iterrows()
    }
    corpus_json = {
        "name": "cmethics",
        "description": (
            "CM Ethics: five French blog articles on community management (2010-2012) and "
            "their comment threads, verbatim. Each conversation is one article: the root "
            "utterance is the article body, spoken by its author; comments reply to it or to "
            "each other. The pages print no dates: timestamp is the page order (0 for the "
            "article, then the comment's position), an order and not a time."
        ),
        "course_use": " ".join(sources["course_use"].split()),
        "content_warning": " ".join(sources["content_warning"].split()),
        "provenance": "data/sources.yaml in the CM Ethics repository",
    }

    def index_of(metas: list[dict[str, Any]]) -> dict[str, list[str]]:
        types: dict[str, list[str]] = {}
        for meta in metas:
            for key, value in meta.items():
                seen = types.setdefault(key, [])
                if value is not None and str(type(value)) not in seen:
                    seen.append(str(type(value)))
        return types

    index_json = {
        "utterances-index": index_of([u["meta"] for u in utterances]),
        "speakers-index": index_of([s["meta"] for s in speakers_json.values()]),
        "conversations-index": index_of([c["meta"] for c in conversations_json.values()]),
        "overall-index": index_of([corpus_json]),
        "version": 1,
        "vectors": [],
    }
    return {
        "utterances": utterances,
        "speakers": speakers_json,
        "conversations": conversations_json,
        "corpus": corpus_json,
        "index": index_json,
    }


def _write_convokit(
    tables: dict[str, pd.DataFrame], sources: dict[str, Any], out_dir: Path
) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    records = _convokit_records(tables, sources)
    written = {}
    path = out_dir / "utterances.jsonl"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for utt in records["utterances"]:
            fh.write(json.dumps(utt, ensure_ascii=False) + "\n")
    written["utterances.jsonl"] = path
    for name in ("speakers", "conversations", "corpus", "index"):
        path = out_dir / f"{name}.json"
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(json.dumps(records[name], ensure_ascii=False, indent=1) + "\n")
        written[f"{name}.json"] = path
    return written


def to_convokit(out_dir: Path | str) -> dict[str, Path]:
    """Export the corpus in ConvoKit's on-disk format.

    ``convokit.Corpus(filename=str(out_dir))`` loads the result. One conversation per article
    (conversation_id = article_id); its root utterance (id = article_id) is the article body
    spoken by its author (001's author, unnamed, is a speaker with no display name); comments
    reply to their ``reply_to`` or, at top level, to the root. The pages print no dates, so
    ``timestamp`` holds the page order (0 for the article, then ``comments.position``): an order,
    not a time. ConvoKit needs comparable timestamps to walk a reply tree (it sorts each
    utterance's replies by timestamp and fails on null).

    Parameters
    ----------
    out_dir : path
        Folder to write ``utterances.jsonl``, ``speakers.json``, ``conversations.json``,
        ``corpus.json`` and ``index.json`` into (created if needed).

    Returns
    -------
    dict of str to Path
        Each written file by name.
    """
    from cmethics import _parse

    tables = {name: _read(name, str(data_dir())) for name in TABLES}
    sources = _parse.read_sources(data_dir() / "sources.yaml")
    return _write_convokit(tables, sources, Path(out_dir))


#: JSON Schema for the ConvoKit export, encoding what ConvoKit 5.0's loader reads
#: (convokit/model/corpus.py and corpus_helpers.py): an utterance needs an id, a speaker id (a
#: key into speakers.json), a conversation_id, a text string, ``reply_to`` (the loader also
#: accepts ``reply-to``), a timestamp (null allowed) and a meta object; speakers.json and
#: conversations.json map ids to ``{"meta": {...}, "vectors": [...]}``; index.json needs the four
#: ``*-index`` maps (type names per metadata key) and an integer version.
CONVOKIT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "utterance": {
            "type": "object",
            "required": ["id", "speaker", "conversation_id", "text", "timestamp", "meta"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "speaker": {"type": "string", "minLength": 1},
                "conversation_id": {"type": "string", "minLength": 1},
                "reply_to": {"type": ["string", "null"]},
                "reply-to": {"type": ["string", "null"]},
                "timestamp": {"type": ["integer", "number", "null"]},
                "text": {"type": "string"},
                "meta": {"type": "object"},
                "vectors": {"type": "array", "items": {"type": "string"}},
            },
            "anyOf": [{"required": ["reply_to"]}, {"required": ["reply-to"]}],
        },
        "component": {
            "type": "object",
            "required": ["meta"],
            "properties": {
                "meta": {"type": "object"},
                "vectors": {"type": "array", "items": {"type": "string"}},
            },
        },
        "components": {
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/component"},
        },
        "type_map": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "corpus": {"type": "object"},
        "index": {
            "type": "object",
            "required": [
                "utterances-index",
                "speakers-index",
                "conversations-index",
                "overall-index",
                "version",
            ],
            "properties": {
                "utterances-index": {"$ref": "#/$defs/type_map"},
                "speakers-index": {"$ref": "#/$defs/type_map"},
                "conversations-index": {"$ref": "#/$defs/type_map"},
                "overall-index": {"$ref": "#/$defs/type_map"},
                "version": {"type": "integer"},
                "vectors": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


def main(argv: list[str] | None = None) -> int:
    """Command line: rebuild the tables (``make data``)."""
    parser = argparse.ArgumentParser(
        prog="python -m cmethics.corpus",
        description="Rebuild the corpus tables in data/ from data/raw/ and data/sources.yaml.",
    )
    parser.add_argument("--out", type=Path, default=None, help="write here instead of data/")
    args = parser.parse_args(argv)
    for name, path in build(args.out).items():
        print(f"wrote {name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

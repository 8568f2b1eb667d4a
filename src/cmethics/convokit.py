"""The corpus in ConvoKit's on-disk format: the export and the schema it follows.

Cornell's ConvoKit stores a corpus as ``utterances.jsonl`` beside ``speakers.json``,
``conversations.json``, ``corpus.json`` and ``index.json``. :func:`to_convokit` writes them from
the committed tables; ``make data`` (:mod:`cmethics.build`) writes ``data/convokit/`` the same
way. :data:`CONVOKIT_SCHEMA` encodes what ConvoKit's loader requires, for the tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from cmethics import corpus
from cmethics._parse import read_sources
from cmethics._paths import data_dir
from cmethics._schema import TABLES

__all__ = ["CONVOKIT_SCHEMA", "to_convokit", "write_convokit"]


def _plain(value: Any) -> Any:
    """A JSON-ready Python value (pandas NA -> None, numpy scalars -> int/bool)."""
    if value is pd.NA or value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _author_of(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each article's author as a speaker_id: who replies as author, else the one named author."""
    coms, spk = tables["comments"], tables["speakers"]
    authors = coms[coms["author_basis"].notna()].groupby("article_id")["speaker_id"].first()
    author_of = {}
    for aid in tables["articles"]["article_id"]:
        if aid in authors.index:
            author_of[aid] = authors[aid]
        else:
            match = spk[(spk["role"] == "article author") & spk["article_ids"].str.contains(aid)]
            author_of[aid] = match["speaker_id"].iloc[0]
    return author_of


_UTTERANCE_META = [
    "kind", "article_id", "position", "depth", "reply_basis", "is_article_author",
    "author_basis", "speaker_as_printed", "addressee", "addressee_speaker_id", "n_words",
]  # fmt: skip


def _article_utterance(a: pd.Series, body: pd.DataFrame, speaker: str) -> dict[str, Any]:
    """A conversation's root: the article body, spoken by its author."""
    aid = a["article_id"]
    meta = dict.fromkeys(_UTTERANCE_META)
    meta.update(kind="article", article_id=aid, is_article_author=True)
    meta["n_words"] = _plain(a["n_words"])
    return {
        "id": aid,
        "speaker": speaker,
        "conversation_id": aid,
        "reply_to": None,
        "timestamp": 0,  # page order, not a time: see to_convokit
        "text": "\n\n".join(body["text"]),
        "meta": meta,
        "vectors": [],
    }


def _comment_utterance(c: pd.Series) -> dict[str, Any]:
    aid = c["article_id"]
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
    return {
        "id": c["comment_id"],
        "speaker": c["speaker_id"],
        "conversation_id": aid,
        # Top-level comments answer the article, the conversation's root.
        "reply_to": _plain(c["reply_to"]) or aid,
        # The pages print no dates, but ConvoKit sorts replies by timestamp and fails on null
        # (UtteranceNode.set_children): use page order instead.
        "timestamp": _plain(c["position"]),
        "text": c["text"],
        "meta": meta,
        "vectors": [],
    }


def _utterances(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each article, then its comments in page order."""
    paras, coms = tables["paragraphs"], tables["comments"]
    author_of = _author_of(tables)
    utterances = []
    for _, a in tables["articles"].iterrows():
        aid = a["article_id"]
        body = paras[paras["article_id"] == aid].sort_values("position")
        utterances.append(_article_utterance(a, body, author_of[aid]))
        for _, c in coms[coms["article_id"] == aid].sort_values("position").iterrows():
            utterances.append(_comment_utterance(c))
    return utterances


def _speakers(spk: pd.DataFrame) -> dict[str, Any]:
    return {
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


def _conversations(arts: pd.DataFrame) -> dict[str, Any]:
    return {
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


def _corpus_meta(sources: dict[str, Any]) -> dict[str, Any]:
    return {
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


def _type_index(metas: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The type names seen under each metadata key, as ConvoKit's index.json lists them."""
    types: dict[str, list[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            seen = types.setdefault(key, [])
            if value is not None and str(type(value)) not in seen:
                seen.append(str(type(value)))
    return types


def _convokit_records(tables: dict[str, pd.DataFrame], sources: dict[str, Any]) -> dict[str, Any]:
    """The content of each ConvoKit file, by file name (without extension)."""
    utterances = _utterances(tables)
    speakers = _speakers(tables["speakers"])
    conversations = _conversations(tables["articles"])
    corpus_meta = _corpus_meta(sources)
    index = {
        "utterances-index": _type_index([u["meta"] for u in utterances]),
        "speakers-index": _type_index([s["meta"] for s in speakers.values()]),
        "conversations-index": _type_index([c["meta"] for c in conversations.values()]),
        "overall-index": _type_index([corpus_meta]),
        "version": 1,
        "vectors": [],
    }
    return {
        "utterances": utterances,
        "speakers": speakers,
        "conversations": conversations,
        "corpus": corpus_meta,
        "index": index,
    }


def write_convokit(
    tables: dict[str, pd.DataFrame], sources: dict[str, Any], out_dir: Path
) -> dict[str, Path]:
    """Write the ConvoKit files for the given tables (what :func:`to_convokit` and the build call).

    Parameters
    ----------
    tables : dict of str to DataFrame
        Every table of :data:`cmethics.corpus.TABLES`, typed as the loaders type them.
    sources : dict
        ``sources.yaml`` as :func:`cmethics._parse.read_sources` reads it.
    out_dir : Path
        Folder to write into (created if needed).

    Returns
    -------
    dict of str to Path
        Each written file by name.
    """
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
    tables = {name: corpus._read(name, str(data_dir())) for name in TABLES}
    sources = read_sources(data_dir() / "sources.yaml")
    return write_convokit(tables, sources, Path(out_dir))


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

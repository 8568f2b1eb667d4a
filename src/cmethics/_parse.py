"""Parse the five raw source pages into tidy tables (build time only).

``make data`` runs ``python -m cmethics.corpus``, whose writer (:mod:`cmethics.build`) calls
:func:`build_tables` and writes the CSV files in ``data/``. Nothing here runs when a notebook loads
the corpus.

:mod:`cmethics._pages` splits each page into its body, comments and trackbacks; this module turns
the pages into tables: speakers, who is the article's author, reply resolution and tokens. The
facts a page shows (title, author, date, venue, the comment figure it prints) come from
``data/sources.yaml``, the single source of truth for provenance.

The judgment calls the pages force are listed in rule tables (:mod:`cmethics._parse_rules`, one
named record per entry, re-exported here), each with its reason, so a reader can check every one
against the raw page:

* :data:`PRINTED_NAMES`: lines or signatures taken as the commenter's printed name;
* :data:`AUTHOR_VOICE`: unsigned comments that are unmistakably the article's author replying;
* :data:`ADDRESSES`: every comment that opens by addressing someone, and what the address
  resolves to;
* :data:`CONTENT_REPLIES`: replies identified by their content alone;
* :data:`NOT_LINKED`: links considered and rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cmethics import text as textlayer
from cmethics._pages import Comment, Page, Paragraph, parse_page
from cmethics._parse_rules import (
    ADDRESSES,
    AUTHOR_VOICE,
    CONTENT_REPLIES,
    LATEST,
    LAYOUT,
    NOT_LINKED,
    PRINTED_NAMES,
    Address,
)

__all__ = [
    "ADDRESSES",
    "AUTHOR_VOICE",
    "CONTENT_REPLIES",
    "LAYOUT",
    "NOT_LINKED",
    "PRINTED_NAMES",
    "Comment",
    "Page",
    "Paragraph",
    "build_tables",
    "parse_page",
    "read_sources",
]

ARTICLE_IDS = ("000", "001", "002", "003", "004")


def read_sources(path: Path) -> dict[str, Any]:
    """Read ``sources.yaml`` (provenance and per-page facts)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --------------------------------------------------------------------------------------------
# Pages, authors, speakers, paragraphs
# --------------------------------------------------------------------------------------------

# A sentence ends at . ! ? … followed by a space, the end, or a capital (004 often omits the space
# after a full stop: « communauté.Ce »); « Sir.chamallow » is not a sentence end.
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$|[A-ZÀ-ÖØ-Þ«\"])")


def _opening(text: str) -> str:
    """The first sentence of a comment, where an opening address must stand.

    An interjection of under four words (« Yes ! Merci Fabrice ... ») extends it to the second.
    """
    match = _SENTENCE_END.search(text)
    if not match:
        return text
    if len(text[: match.end()].split()) < 4:
        second = _SENTENCE_END.search(text, match.end())
        return text[: second.end()] if second else text
    return text[: match.end()]


def _comment_id(article_id: str, comment: Comment) -> str:
    return f"{article_id}-c{comment.position:03d}"


def _author_key(article_id: str, author: str | None) -> tuple[str, str]:
    """The speaker key of an article's author (001's author is unnamed)."""
    return ("author", author or f"unnamed author of {article_id}")


def _read_pages(raw_dir: Path, sources: dict[str, Any]) -> dict[str, Page]:
    """Every raw page, parsed (keyed by article_id, in id order)."""
    pages = {}
    for aid in ARTICLE_IDS:
        raw = (raw_dir / sources[aid]["file"]).read_text(encoding="utf-8")
        pages[aid] = parse_page(aid, raw, sources[aid])
    return pages


def _author_basis(sources: dict[str, Any], pages: dict[str, Page]) -> dict[str, str]:
    """Who is the author, for each comment: ``signed``, ``voice`` (:data:`AUTHOR_VOICE`) or ""."""
    basis: dict[str, str] = {}
    for aid in ARTICLE_IDS:
        signs_as = sources[aid].get("author_signs_comments_as")
        for c in pages[aid].comments:
            cid = _comment_id(aid, c)
            signed = bool(signs_as) and c.speaker == signs_as
            voice = cid in AUTHOR_VOICE
            if voice and c.speaker:
                raise ValueError(f"{cid}: a signed comment cannot be the author's voice")
            basis[cid] = "signed" if signed else "voice" if voice else ""
    unknown = (set(AUTHOR_VOICE) | set(ADDRESSES) | set(CONTENT_REPLIES)) - set(basis)
    if unknown:
        raise ValueError(f"rules name comments that do not exist: {sorted(unknown)}")
    return basis


def _speaker_keys(
    sources: dict[str, Any], pages: dict[str, Page], author_basis: dict[str, str]
) -> tuple[dict[tuple[str, str], str], list[dict[str, Any]]]:
    """Assign speaker ids by first appearance (articles in id order, author before comments).

    Identical printed names are one speaker, across pages too; every unsigned comment is its own
    speaker unless it is the author's voice.
    """
    ids: dict[tuple[str, str], str] = {}
    rows: list[dict[str, Any]] = []

    def add(key: tuple[str, str], name: str, role: str) -> str:
        if key not in ids:
            ids[key] = f"s{len(ids) + 1:03d}"
            rows.append({"speaker_id": ids[key], "display_name": name, "role": role})
        return ids[key]

    for aid in ARTICLE_IDS:
        author = sources[aid]["author"]
        add(_author_key(aid, author), author or "", "article author")
        for c in pages[aid].comments:
            cid = _comment_id(aid, c)
            if author_basis[cid]:
                continue  # the article's author: signed or in his voice
            if c.speaker:
                add(("name", c.speaker), c.speaker, "commenter")
            else:
                add(("unsigned", cid), "", "unsigned commenter")
    return ids, rows


class _Tokens:
    """The tokens of every document (spaCy), gathered as the tables are built."""

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []

    def add(self, doc_id: str, doc_type: str, article_id: str, text: str) -> int:
        """Tokenize one document; return its number of words."""
        rows = pd.DataFrame(textlayer.annotate(text))
        rows.insert(0, "doc_id", doc_id)
        rows.insert(1, "doc_type", doc_type)
        rows.insert(2, "article_id", article_id)
        self.frames.append(rows)
        return int(rows["is_word"].sum())

    def table(self) -> pd.DataFrame:
        """``tokens``: paragraphs first, then comments, each in page order (the reading order)."""
        tokens = pd.concat(self.frames, ignore_index=True)
        order = {"paragraph": 0, "comment": 1}
        tokens = tokens.sort_values(
            ["article_id", "doc_type", "doc_id", "position"],
            key=lambda s: s.map(order) if s.name == "doc_type" else s,
            kind="stable",
        ).reset_index(drop=True)
        tokens["person"] = tokens["person"].astype("Int64")
        return tokens


def _paragraph_table(pages: dict[str, Page], tokens: _Tokens) -> pd.DataFrame:
    rows = []
    for aid in ARTICLE_IDS:
        for n, p in enumerate(pages[aid].paragraphs, start=1):
            pid = f"{aid}-p{n:03d}"
            rows.append(
                {
                    "article_id": aid,
                    "paragraph_id": pid,
                    "position": n,
                    "section": p.section,
                    "kind": p.kind,
                    "text": p.text,
                    "n_words": tokens.add(pid, "paragraph", aid, p.text),
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Reply resolution, one thread at a time in page order
# --------------------------------------------------------------------------------------------


@dataclass
class _Thread:
    """What reply resolution knows while it reads one thread in page order."""

    article_id: str
    author: str | None  # as sources.yaml names the article's author
    author_sid: str
    speaker_ids: dict[tuple[str, str], str]
    printed: set[str]  # the speaker names printed in this thread
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # earlier comments by id
    open_at_depth: dict[int, str] = field(default_factory=dict)  # 002's nesting

    def speaker_of(self, cid: str, comment: Comment, author_basis: dict[str, str]) -> str:
        """The comment's speaker_id: the author's, its printed name's, or its own if unsigned."""
        if author_basis[cid]:
            return self.author_sid
        if comment.speaker:
            return self.speaker_ids[("name", comment.speaker)]
        return self.speaker_ids[("unsigned", cid)]

    def addressed_speaker(self, cid: str, named: str | None) -> str:
        """The speaker_id an address names ("" for a name nobody printed)."""
        if named is None:
            return ""
        if named == self.author:
            return self.author_sid
        if named in self.printed and ("name", named) in self.speaker_ids:
            return self.speaker_ids[("name", named)]
        raise ValueError(f"{cid}: {named!r} is not printed in thread {self.article_id}")


def _address(thread: _Thread, cid: str, text: str, rule: Address) -> tuple[str, str]:
    """Resolve an opening address: the addressee's speaker_id and the comment replied to ("")."""
    if rule.written not in _opening(text):
        raise ValueError(f"{cid}: address {rule.written!r} not in its opening")
    sid = thread.addressed_speaker(cid, rule.speaker)
    if rule.target == LATEST:
        earlier = [k for k, r in thread.rows.items() if r["speaker_id"] == sid]
        if not earlier:
            raise ValueError(f"{cid}: {rule.speaker!r} has no earlier comment")
        return sid, earlier[-1]
    if rule.target is not None:
        if thread.rows.get(rule.target, {}).get("speaker_id") != sid:
            raise ValueError(f"{cid}: {rule.target} is not an earlier comment of {rule.speaker!r}")
        return sid, rule.target
    return sid, ""


def _reply(thread: _Thread, cid: str, comment: Comment) -> dict[str, str]:
    """``reply_to``, ``reply_basis``, ``addressee`` and ``addressee_speaker_id`` of one comment.

    An opening address first (:data:`ADDRESSES`), else a content reply (:data:`CONTENT_REPLIES`);
    the page's own nesting (002) overrides both.
    """
    reply_to, basis, addressee, addressee_sid = "", "none", "", ""
    if cid in ADDRESSES:
        addressee = ADDRESSES[cid].written
        addressee_sid, reply_to = _address(thread, cid, comment.text, ADDRESSES[cid])
        basis = "address" if reply_to else "none"
    if cid in CONTENT_REPLIES:
        if basis != "none":
            raise ValueError(f"{cid}: both an address and a content reply")
        reply_to, basis = CONTENT_REPLIES[cid].answers, "content"
        if reply_to not in thread.rows:
            raise ValueError(f"{cid}: content reply to a later or unknown comment")
    if comment.nesting_depth:
        # The page nests the reply under the last comment one level up (002).
        reply_to, basis = thread.open_at_depth[comment.nesting_depth - 1], "nesting"
    if comment.nesting_depth is not None:
        thread.open_at_depth[comment.nesting_depth] = cid
    return {
        "reply_to": reply_to,
        "reply_basis": basis,
        "addressee": addressee,
        "addressee_speaker_id": addressee_sid,
    }


def _comment_row(
    thread: _Thread, comment: Comment, author_basis: dict[str, str], tokens: _Tokens
) -> dict[str, Any]:
    aid = thread.article_id
    cid = _comment_id(aid, comment)
    sid = thread.speaker_of(cid, comment, author_basis)
    reply = _reply(thread, cid, comment)
    depth = thread.rows[reply["reply_to"]]["depth"] + 1 if reply["reply_to"] else 0
    if comment.nesting_depth is not None and depth != comment.nesting_depth:
        raise ValueError(f"{cid}: depth {depth} but nested at {comment.nesting_depth}")
    return {
        "comment_id": cid,
        "article_id": aid,
        "position": comment.position,
        "speaker": comment.speaker,
        "speaker_basis": comment.speaker_basis,
        "speaker_id": sid,
        "is_article_author": author_basis[cid] != "",
        "author_basis": author_basis[cid],
        **reply,
        "depth": depth,
        "text": comment.text,
        "n_words": tokens.add(cid, "comment", aid, comment.text),
    }


def _comment_table(
    sources: dict[str, Any],
    pages: dict[str, Page],
    author_basis: dict[str, str],
    speaker_ids: dict[tuple[str, str], str],
    tokens: _Tokens,
) -> pd.DataFrame:
    rows = []
    for aid in ARTICLE_IDS:
        author = sources[aid]["author"]
        thread = _Thread(
            article_id=aid,
            author=author,
            author_sid=speaker_ids[_author_key(aid, author)],
            speaker_ids=speaker_ids,
            printed={c.speaker for c in pages[aid].comments if c.speaker},
        )
        for c in pages[aid].comments:
            row = _comment_row(thread, c, author_basis, tokens)
            thread.rows[row["comment_id"]] = row
            rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# The other tables
# --------------------------------------------------------------------------------------------


def _speaker_table(
    rows: list[dict[str, Any]], comments: pd.DataFrame, author_id: dict[str, str]
) -> pd.DataFrame:
    """``speakers``, with stable pseudonyms numbered in speaker_id order within each role."""
    counters = {"commenter": 0, "unsigned commenter": 0}
    for row in rows:
        role = row["role"]
        authored = [a for a in ARTICLE_IDS if author_id[a] == row["speaker_id"]]
        if role == "article author":
            row["pseudonym"] = row["display_name"] or f"Unnamed author of {authored[0]}"
        else:
            counters[role] += 1
            label = "Commenter" if role == "commenter" else "Unsigned commenter"
            row["pseudonym"] = f"{label} {counters[role]:02d}"
        mine = comments[comments["speaker_id"] == row["speaker_id"]]
        row["article_ids"] = " ".join(sorted(set(authored) | set(mine["article_id"])))
        row["n_comments"] = len(mine)
    return pd.DataFrame(rows)[
        ["speaker_id", "display_name", "pseudonym", "role", "article_ids", "n_comments"]
    ]


def _trackback_table(pages: dict[str, Page]) -> pd.DataFrame:
    rows = [
        {"article_id": aid, "trackback_id": f"{aid}-t{n:02d}", "position": n, "text": t}
        for aid in ARTICLE_IDS
        for n, t in enumerate(pages[aid].trackbacks, start=1)
    ]
    return pd.DataFrame(rows, columns=["article_id", "trackback_id", "position", "text"])


def _article_table(
    sources: dict[str, Any],
    pages: dict[str, Page],
    paragraphs: pd.DataFrame,
    comments: pd.DataFrame,
) -> pd.DataFrame:
    rows = []
    for aid in ARTICLE_IDS:
        f = sources[aid]
        mine = paragraphs[paragraphs["article_id"] == aid]
        rows.append(
            {
                "article_id": aid,
                "source_file": f["file"],
                "title": f["title"],
                "title_basis": " ".join(f["title_basis"].split()),
                "author": f["author"] or "",
                "author_basis": " ".join(f["author_basis"].split()),
                "date": f["date"] or "",
                "venue": f["venue"] or "",
                "venue_basis": " ".join(f["venue_basis"].split()),
                "theme": f["theme"],
                "n_paragraphs": len(mine),
                "n_words": int(mine["n_words"].sum()),
                "comments_claimed": f["comments_claimed"],
                "comments_present": int((comments["article_id"] == aid).sum()),
                "n_trackbacks": len(pages[aid].trackbacks),
            }
        )
    articles = pd.DataFrame(rows)
    articles["comments_claimed"] = articles["comments_claimed"].astype("Int64")
    return articles


def build_tables(raw_dir: Path, sources_path: Path) -> dict[str, pd.DataFrame]:
    """Parse every page and return the corpus tables, in their committed row order.

    Parameters
    ----------
    raw_dir : Path
        Folder of the verbatim pages.
    sources_path : Path
        ``sources.yaml``.

    Returns
    -------
    dict of str to DataFrame
        ``articles``, ``paragraphs``, ``comments``, ``speakers``, ``trackbacks``, ``tokens``.
    """
    sources = read_sources(sources_path)["sources"]
    pages = _read_pages(raw_dir, sources)
    author_basis = _author_basis(sources, pages)
    speaker_ids, speaker_rows = _speaker_keys(sources, pages, author_basis)
    author_id = {aid: speaker_ids[_author_key(aid, sources[aid]["author"])] for aid in ARTICLE_IDS}
    tokens = _Tokens()
    paragraphs = _paragraph_table(pages, tokens)
    comments = _comment_table(sources, pages, author_basis, speaker_ids, tokens)
    return {
        "articles": _article_table(sources, pages, paragraphs, comments),
        "paragraphs": paragraphs,
        "comments": comments,
        "speakers": _speaker_table(speaker_rows, comments, author_id),
        "trackbacks": _trackback_table(pages),
        "tokens": tokens.table(),
    }

"""Split one raw source page into body paragraphs, comments and trackbacks (build time only).

Each page keeps its own remnants of markup, so each gets its own small set of rules
(:data:`~cmethics._parse_rules.LAYOUT`): where the article body starts and ends, which lines are
headings, how comments are delimited; one splitter per comment style. The facts a page shows (the
comment figure it prints) come from ``data/sources.yaml``. :mod:`cmethics._parse` builds the
tables from the pages split here.

Every text is taken from the page as printed: lines are only stripped of their indentation and
surrounding whitespace, so each text is verbatim after whitespace normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cmethics._normalize import normalize_ws
from cmethics._parse_rules import LAYOUT, PRINTED_NAMES

__all__ = ["Comment", "Page", "Paragraph", "parse_page"]


# --------------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    """One paragraph of an article body."""

    section: str
    kind: str
    text: str


@dataclass
class Comment:
    """One comment as the page shows it."""

    position: int
    speaker: str
    speaker_basis: str
    text: str
    nesting_depth: int | None = None
    printed_number: int | None = None


@dataclass
class Page:
    """The parsed parts of one page."""

    article_id: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    trackbacks: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _blank(line: str) -> bool:
    # str.strip() also removes NBSP, which the pages use for empty spacer paragraphs.
    return not line.strip()


def _find_line(lines: list[str], marker: str, start: int = 0) -> int:
    """Index of the only line equal to ``marker`` up to whitespace, searching from ``start``."""
    # Whitespace-normalised: the pages put NBSP where sources.yaml has plain spaces.
    marker = normalize_ws(marker)
    hits = [i for i in range(start, len(lines)) if normalize_ws(lines[i]) == marker]
    if len(hits) != 1:
        raise ValueError(f"marker {marker!r} found {len(hits)} times, expected once")
    return hits[0]


def _join_block(lines: list[str]) -> str:
    """Join a comment's lines: indentation stripped, runs of blank lines kept as one."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped:
            out.append(stripped)
        elif out and out[-1] != "":
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Article bodies
# --------------------------------------------------------------------------------------------


def _body(article_id: str, lines: list[str], comments_header: int | None) -> list[Paragraph]:
    rules = LAYOUT[article_id]
    start = _find_line(lines, rules.body_after) + 1
    if rules.body_before is not None:
        end = _find_line(lines, rules.body_before, start)
    else:
        assert comments_header is not None
        end = comments_header
    # Rules are written with plain spaces; the pages sometimes put NBSP there.
    headings = [normalize_ws(h) for h in rules.headings]
    quotes = [normalize_ws(q) for q in rules.quotes]
    seen_headings: list[str] = []
    section = ""
    paragraphs: list[Paragraph] = []
    for line in lines[start:end]:
        text = line.strip()
        norm = normalize_ws(text)
        if not text:
            continue
        if norm in headings:
            section = text
            seen_headings.append(norm)
            paragraphs.append(Paragraph(section, "heading", text))
        elif text.startswith("• "):
            paragraphs.append(Paragraph(section, "list_item", text[2:].strip()))
        elif any(norm.startswith(q) for q in quotes):
            paragraphs.append(Paragraph(section, "quote", text))
        else:
            paragraphs.append(Paragraph(section, "paragraph", text))
    if seen_headings != headings:
        raise ValueError(f"{article_id}: headings found {seen_headings}")
    return paragraphs


# --------------------------------------------------------------------------------------------
# Comment sections, one splitter per page style
# --------------------------------------------------------------------------------------------


def _comments_double_name(lines: list[str]) -> list[Comment]:
    """000: blocks of « name / same name / blank / text »."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if _blank(line):
            if current:
                groups.append(current)
                current = []
        else:
            current.append(line)
    if current:
        groups.append(current)
    if len(groups) % 2:
        raise ValueError("000: unpaired name/text groups")
    comments = []
    for k in range(0, len(groups), 2):
        names, body = groups[k], groups[k + 1]
        if len(names) != 2 or names[0].strip() != names[1].strip():
            raise ValueError(f"000: expected a doubled name, got {names!r}")
        comments.append(Comment(k // 2 + 1, names[0].strip(), "name", _join_block(body)))
    return comments


def _comments_bullets(lines: list[str]) -> list[Comment]:
    """001: each comment opens with a bullet at indent 2; continuation lines are indented."""
    blocks: list[list[str]] = []
    for line in lines:
        if line.startswith("  • "):
            blocks.append([line[4:]])
        elif blocks:
            blocks[-1].append(line)
        elif not _blank(line):
            raise ValueError(f"001: text before the first comment: {line!r}")
    return [Comment(i + 1, "", "", _join_block(b)) for i, b in enumerate(blocks)]


_NUMBERED = re.compile(r"^  (\d+)\. (.*)$")
_NESTED = re.compile(r"^( +)• (.*)$")


def _comments_numbered(article_id: str, lines: list[str]) -> list[Comment]:
    """002 and 003: numbered top-level comments; 002 nests replies as indented bullets."""
    blocks: list[tuple[int | None, int, list[str]]] = []
    for line in lines:
        numbered = _NUMBERED.match(line)
        nested = _NESTED.match(line)
        if numbered:
            blocks.append((int(numbered.group(1)), 0, [numbered.group(2)]))
        elif nested:
            # Bullets sit at indent 4, 6, 8, 10 for depths 1 to 4.
            depth = (len(nested.group(1)) - 2) // 2
            blocks.append((None, depth, [nested.group(2)]))
        elif blocks:
            blocks[-1][2].append(line)
        elif not _blank(line):
            raise ValueError(f"{article_id}: text before the first comment: {line!r}")
    numbers = [n for n, _, _ in blocks if n is not None]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{article_id}: comment numbers not consecutive: {numbers}")
    comments = []
    for i, (number, depth, body) in enumerate(blocks):
        text = _join_block(body)
        speaker, basis = "", ""
        printed = PRINTED_NAMES.get((article_id, number)) if number is not None else None
        if printed is not None:
            speaker, basis = printed
            first, _, rest = text.partition("\n")
            if basis == "line":
                if first != speaker:
                    raise ValueError(f"{article_id} #{number}: name line {first!r}")
                text = rest.strip()
            elif text.rpartition("\n")[2] != speaker:
                raise ValueError(f"{article_id} #{number}: no signature {speaker!r}")
        comments.append(
            Comment(i + 1, speaker, basis, text, depth if article_id == "002" else None, number)
        )
    return comments


_OPENER = re.compile(r"Commentaire de ([^:]*?) ?: ")


def _comments_one_line(line: str) -> list[Comment]:
    """004: one line; each comment opens with « Commentaire de NAME : » (NAME may be empty)."""
    parts = _OPENER.split(line)
    # parts = [before, name1, text1, name2, text2, ...]; only a bullet precedes the first opener.
    if parts[0].strip() not in ("", "•"):
        raise ValueError(f"004: unexpected text before the first comment: {parts[0]!r}")
    comments = []
    for k in range(1, len(parts), 2):
        name, text = parts[k].strip(), parts[k + 1].strip()
        comments.append(Comment(k // 2 + 1, name, "name" if name else "", text))
    return comments


# --------------------------------------------------------------------------------------------
# Whole page
# --------------------------------------------------------------------------------------------


def parse_page(article_id: str, raw: str, facts: dict[str, Any]) -> Page:
    """Split one raw page into body paragraphs, comments and trackbacks.

    Parameters
    ----------
    article_id : str
        "000" to "004".
    raw : str
        The page's text, exactly as stored in ``data/raw/``.
    facts : dict
        The page's entry in ``sources.yaml``.

    Returns
    -------
    Page
        Paragraphs, comments (in page order) and trackbacks.
    """
    rules = LAYOUT[article_id]
    lines = raw.split("\n")
    page = Page(article_id)
    style = rules.comment_style

    header = None
    if facts.get("comments_claimed_as_printed"):
        header = _find_line(lines, facts["comments_claimed_as_printed"])
    page.paragraphs = _body(article_id, lines, header)

    if style == "one_line":
        comment_lines = [ln for ln in lines if ln.lstrip().startswith("• Commentaire de ")]
        if len(comment_lines) != 1:
            raise ValueError("004: expected exactly one comment line")
        page.comments = _comments_one_line(comment_lines[0])
        return page

    assert header is not None and rules.comments_before is not None
    end = _find_line(lines, rules.comments_before, header + 1)
    section = lines[header + 1 : end]
    if style == "double_name":
        page.comments = _comments_double_name(section)
    elif style == "bullets":
        page.comments = _comments_bullets(section)
    else:
        page.comments = _comments_numbered(article_id, section)

    if rules.trackbacks_after is not None:
        start = _find_line(lines, rules.trackbacks_after) + 1
        for line in lines[start:]:
            match = _NUMBERED.match(line)
            if match:
                page.trackbacks.append(match.group(2).strip())
            elif not _blank(line):
                raise ValueError(f"{article_id}: unexpected trackback line {line!r}")
    return page

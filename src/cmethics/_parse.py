"""Parse the five raw source pages into tidy tables (build time only).

``make data`` runs ``python -m cmethics.corpus``, which calls :func:`build_tables` and writes the
CSV files in ``data/``. Nothing here runs when a notebook loads the corpus.

Each page keeps its own remnants of markup, so each gets its own small set of rules
(:data:`LAYOUT`): where the article body starts and ends, which lines are headings, how comments
are delimited. The facts a page shows (title, author, date, venue, the comment figure it prints)
come from ``data/sources.yaml``, the single source of truth for provenance.

The judgment calls the pages force are listed in rule tables, each with its reason, so a reader
can check every one against the raw page:

* :data:`PRINTED_NAMES`: lines or signatures taken as the commenter's printed name;
* :data:`AUTHOR_VOICE`: unsigned comments that are unmistakably the article's author replying;
* :data:`ADDRESSES`: every comment that opens by addressing someone, and what the address
  resolves to;
* :data:`CONTENT_REPLIES`: replies identified by their content alone;
* :data:`NOT_LINKED`: links considered and rejected.

Every text is taken from the page as printed: lines are only stripped of their indentation and
surrounding whitespace, so each text is verbatim after whitespace normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cmethics.corpus import normalize_ws

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


# --------------------------------------------------------------------------------------------
# Page layout: where each part of each page lies
# --------------------------------------------------------------------------------------------

#: Per page: ``body_after`` / ``body_before`` are the lines (compared up to whitespace) that
#: frame the article body; ``headings`` the lines that are section headings; ``quotes`` the starts
#: of paragraphs that quote another text in full; ``comments_before`` the line that ends the
#: comment section, which starts after the comment figure the page prints (from sources.yaml);
#: ``comment_style`` names the comment splitter.
LAYOUT: dict[str, dict[str, Any]] = {
    "000": {
        "body_after": "Les Community Managers sont-ils tous « Ego » ?",
        "body_before": "Google+ Comments",
        "headings": [
            "Définition : Here we go !",
            "Le Web comme outil de réalisation de soi",
            "L’individualisme à l’heure du social",
            "Le rôle de l’égo chez le Community Manager",
            "Ouverture d’esprit",
        ],
        # The Wikipedia-style definition of the ego, printed as a quotation on its own line.
        "quotes": ["« La représentation et la conscience que l’on a de soi-même."],
        "comments_before": "Trackbacks",
        "comment_style": "double_name",
        "trackbacks_after": "Trackbacks",
    },
    "001": {
        # « Crédit image : Wouter Hagens » is an image caption, not article text.
        "body_after": "Crédit image : Wouter Hagens",
        "body_before": "Share",
        "headings": [],
        "quotes": [],
        "comments_before": "Ecrire un commentaire",
        "comment_style": "bullets",
    },
    "002": {
        # The body starts after the « Cet article a été publié il y a ... » banner.
        "body_after": "Les informations proposées sont donc peut-être expirées.",
        "body_before": "A propos de l'auteur",
        "headings": [
            "Médias Sociaux = Liberté d’Expression ?",
            "Classification des Pros des Médias Sociaux",
            "N’ayez crainte, la cour de récréation est grande et chacun a sa place !",
        ],
        "quotes": [],
        "comments_before": "Laisser un commentaire",
        "comment_style": "numbered_nested",
    },
    "003": {
        "body_after": (
            "Community manager, une définition inadaptée à l’environnement social d’internet"
        ),
        "body_before": None,  # the comment header ends the body
        "headings": [],
        "quotes": [],
        "comments_before": "Laisser un commentaire",
        "comment_style": "numbered_nested",
    },
    "004": {
        # The techtoc.tv page frames the article: menu, call for participation and the Syntec RP
        # summary come before « L'article complet : »; the talk-show appeal comes after it.
        "body_after": "L'article complet :",
        "body_before": "APPROFONDISSONS LE SUJET EN TALKSHOW :",
        "headings": [],
        "quotes": [],
        "comments_before": None,
        "comment_style": "one_line",
    },
}


# --------------------------------------------------------------------------------------------
# Judgment calls, one table each, with reasons
# --------------------------------------------------------------------------------------------

#: Printed names that are not in a page's usual name slot. Key: (article_id, the comment's
#: number as the page prints it); value: (the name exactly as printed, where it is printed).
#: ``"line"``: a name on its own line before the text, where the page's WordPress theme prints
#: commenter names that carry no link (002 and 003 drop the linked ones); the line is the
#: speaker, not part of the text. ``"signature"``: the commenter signs at the end; the signature
#: stays in the text (the commenter typed it) and is also the speaker.
PRINTED_NAMES: dict[tuple[str, int], tuple[str, str]] = {
    ("002", 7): ("Salamandre", "line"),
    ("002", 9): ("Jst", "line"),
    ("003", 3): ("@w2YDAvid (twitter)", "line"),
    ("003", 5): ("Charly", "signature"),
}

#: Unsigned comments written unmistakably in the article author's voice. Key: comment_id;
#: value: the reason, quoting the comment.
AUTHOR_VOICE: dict[str, str] = {
    "001-c002": (
        "answers c001's « un point de challenge » with « Un défi? Allons-y! » and « Je vais tenter "
        "de répondre en commentaire »; « je me concentrais sur le sentiment d’appropriation » "
        "speaks of the article as the writer's own"
    ),
    "002-c003": (
        "« J’ai d’ailleurs hésité à faire la comparaison avec les clans des forts… »: the writer "
        "hesitated over a comparison for the article; thanks the commenters of c001-c002"
    ),
    "002-c010": (
        "« Et comme je l’écrit, ceux qui font des thèses ... sont légitimes »: the writer refers "
        "to what he wrote in the article"
    ),
}

#: Opening addresses. Key: comment_id; value: (the address as written, the speaker it names as
#: printed in the thread or as the article's author, target, reason). An address is the name or
#: handle the comment's first sentence speaks to (« @Jean », « Merci Fadhila », « Hello
#: Quentin », « Corinne ! »). target: ``"latest"`` = that speaker's latest earlier comment in the
#: thread (the default rule); a comment_id = an earlier comment of that speaker that the content
#: shows is the one answered; None = no reply_to, because the name is nobody printed in the thread
#: or because the comment answers the article itself, not a comment.
ADDRESSES: dict[str, tuple[str, str | None, str | None, str]] = {
    # 000: Ronan Boussicaud answers his commenters one by one, in their order.
    "000-c005": (
        "Ronan",
        "Ronan Boussicaud",
        None,
        "« Salut Ronan ! Un bon article »: the article",
    ),
    "000-c010": (
        "Ronan",
        "Ronan Boussicaud",
        None,
        "« Bravo Ronan pour ce super article »: the article",
    ),
    "000-c011": (
        "Helène",
        "Helene Albi",
        "000-c001",
        "« ça fait plaisir d’entendre ça » thanks c001's « Félicitations! ... Ravie de vous "
        "relire »; c007 (« très naïve ») is answered by c016 (« Ce n'est pas naïf »)",
    ),
    "000-c013": ("Arnaud", "Arnaud.mn", "latest", ""),
    "000-c014": ("Pascalou", "Pascalou", "latest", 'written « Salut "Pascalou" »'),
    "000-c015": ("Quentin", "Quentin L", "latest", ""),
    "000-c016": ("Helene", "Helene Albi", "latest", ""),
    "000-c017": ("Emily", "Emily", "latest", ""),
    "000-c019": ("Xavier", "Xavier Foucaud", "latest", "name at the end of the first sentence"),
    # 002: no commenter names are printed except two; the addressed names match nobody printed.
    "002-c003": ("Mikael", None, None, "no « Mikael » is printed on the page"),
    "002-c008": ("Olivier", None, None, "no « Olivier » is printed; the reply is nested anyway"),
    "002-c010": (
        "@Lucile",
        None,
        None,
        "no « Lucile » is printed; the content matches c004 (theses, experience), but c004 names "
        "« Lucile Merra » in the third person and two of the 17 comments the page counts are "
        "missing, so the answered comment is not certain",
    ),
    # 003
    "003-c004": ("Antonin", "Antonin", None, "« Bonjour Antonin ! ... ton article »: the article"),
    # 004
    "004-c011": (
        "Frédéric",
        "Frédéric Bascuñana",
        None,
        "« Bonjour Frédéric, ... ton angle »: the article",
    ),
    "004-c014": ("@Jean", "Jean Dubearnes", "latest", ""),
    "004-c016": ("@Frédéric", "Frédéric Bascuñana", "latest", ""),
    "004-c019": (
        "Fadhila",
        "Fadhila BRAHIMI",
        "004-c001",
        '« tu écris que le terme de "Communauté" fait plutôt référence à un idéal » takes up '
        "c001's « nous sommes face à un idéal souhaité et attendu », not the one-liner c017",
    ),
    "004-c020": ("Lucile", "Lucile Merra - Eureka", "latest", ""),
    "004-c021": ("Thomas", "Thomas Buisson", "latest", ""),
    "004-c022": ("@Cyril", "Cyril Hijar", "latest", ""),
    "004-c023": (
        "Jean",
        "Jean Dubearnes",
        "latest",
        "« les communautés ont toujours existé » takes up c016",
    ),
    "004-c024": ("@Kaes", None, None, "no « Kaes » is printed on the page"),
    "004-c026": (
        "@SirChamalow",
        "Sir.chamallow",
        "latest",
        "spelt differently from the printed « Sir.chamallow »; « le fond du problème » quotes c010",
    ),
    "004-c027": ("Marie-Laure", "Marie-Laure VIE", "latest", ""),
    "004-c029": ("Vincent", "Vincent Berthelot", "latest", ""),
    "004-c030": ("Paul", "Paul Richardet", "latest", "name at the end of the first sentence"),
    "004-c035": ("Sir.chamallow", "Sir.chamallow", "latest", ""),
    "004-c037": (
        "Fred",
        "Frédéric Bascuñana",
        "004-c021",
        "« le sophisme des CM » is the argument of c021 (« les CM ne sont désormais plus que des "
        "sophistes »), not of the article or of Bascuñana's latest comment c030",
    ),
    "004-c039": ("Guillaume", None, None, "no « Guillaume » is printed on the page"),
    "004-c040": ("Eric", "Eric Messeca", "latest", "the only Eric before it; thanks c034's praise"),
    "004-c041": ("Fabrice", "Fabrice Frossard", "latest", ""),
    "004-c042": (
        "Cédric",
        "Cedric MALLET",
        "latest",
        "« Entièrement d'accord avec Cédric », then « Tu as raison »; printed « Cedric MALLET »",
    ),
    "004-c045": ("Corinne", "Corinne Dangas", "latest", ""),
    "004-c050": (
        "Frédéric",
        "Frédéric Bascuñana",
        None,
        "« Je viens de lire ton article ! »: the article",
    ),
    "004-c055": (
        "Eric",
        "Eric Gouazé",
        "latest",
        "two Erics are printed; c055 answers c054's question",
    ),
    "004-c062": ("Bruno", "Bruno Brochenin", "latest", ""),
    "004-c068": ("Etienne", None, None, "no « Etienne » is printed on the page"),
}

#: Replies recognised by their content alone (no nesting, no opening address naming a printed
#: speaker). Key: comment_id; value: (the comment it answers, reason).
CONTENT_REPLIES: dict[str, tuple[str, str]] = {
    "000-c012": (
        "000-c002",
        "answers Benoît Faverial's long comment: « l’écriture sur le web est encore balbutiante » "
        "takes up « Internet va lui apprendre à écrire », the sandcastle images his « Comme des "
        "enfants »; it sits where Ronan answers c002 in his in-order replies (c011 -> c001, "
        "c013 -> c003)",
    ),
    "000-c018": (
        "000-c009",
        "« Je suis ravi d'entendre l'expression \"electro-choc\" » answers c009's « un petit "
        "electrochoc »",
    ),
    "001-c002": ("001-c001", "« Un défi? Allons-y! » takes up c001's « un point de challenge »"),
    "004-c008": (
        "004-c007",
        "« apporter des contrats grâce à ces followers » questions c007's « le retour ne se mesure "
        "pas en nombre de followers...mais en nombre de contrats »",
    ),
    "004-c009": (
        "004-c008",
        "« De la même façon que la conception et distribution de prospectus » answers c008's "
        "question of how followers bring contracts",
    ),
    "004-c017": (
        "004-c015",
        '« Autrement dit "vrai" ! Ou un vrai pas tout à fait faux ? » plays on c015\'s « Pas faux '
        "non plus »",
    ),
    "004-c031": (
        "004-c019",
        "« Les communautés sous-ensemble d'un réseau » takes up c019's « les communautés sont en "
        "sous-ensemble d'un réseau »",
    ),
    "004-c032": (
        "004-c020",
        "« la réponse de @Lucile est riche et précise » echoes c020's « ta réponse, riche, et "
        "précise »",
    ),
    "004-c047": (
        "004-c020",
        "« Je rebondirai sur \"et si le CM n'avait pour essence que de colmater des brêches "
        'coupables ? " » quotes c020',
    ),
    "004-c048": (
        "004-c045",
        "opens by quoting c045 (« Demander à un CM de commencer à faire son travail sans adhésion "
        "aux valeurs ... ») and answers « Frédéric, tu m'as convaincue »",
    ),
    "004-c058": (
        "004-c057",
        "« cette page devient une idéale source de curation » greets c057's list of readings",
    ),
    "004-c059": ("004-c058", "« Elle va faire date » takes up c058's « cette page »"),
    "004-c063": (
        "004-c062",
        "« encore un fulgurance bascunanienne » reacts to a Bascuñana comment: c062, just before",
    ),
}

#: Links considered and not made, so the reader sees they were not overlooked. Key: comment_id;
#: value: reason.
NOT_LINKED: dict[str, str] = {
    "000-c006": "« devant la lois j'espere ;) » answers something, but nothing printed says what",
    "002-c010": "see ADDRESSES: « @Lucile » names nobody printed",
    "003-c003": (
        "« J’essaye de ne pas lire le commentaire stupide précédent » mentions c002 only to set it "
        "aside; the comment thanks the author for the article"
    ),
    "004-c018": (
        "thanks « vous » for bringing up the term « animation »: c006 (« animateur de "
        'communauté(s) ») and c012 (« le manager est en fait un "animateur" ») both did'
    ),
    "004-c028": "« we're on the same line ;-) » names no one and quotes nothing",
    "004-c044": (
        "quotes c027 inside a parenthesis (« @Frédéric : ... ») but speaks to the whole thread "
        "(« Je plussoie sur les différentes références »)"
    ),
    "004-c046": (
        "ends « comme tu le dis Frédéric, c'est le mur direct » (c045) but answers the thread"
    ),
    "004-c067": "« Peut-être parce qu'on se précipite trop pour la nommer » answers a question no "
    "printed comment asks",
}

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


def read_sources(path: Path) -> dict[str, Any]:
    """Read ``sources.yaml`` (provenance and per-page facts)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


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
    start = _find_line(lines, rules["body_after"]) + 1
    if rules["body_before"] is not None:
        end = _find_line(lines, rules["body_before"], start)
    else:
        assert comments_header is not None
        end = comments_header
    # Rules are written with plain spaces; the pages sometimes put NBSP there.
    headings = [normalize_ws(h) for h in rules["headings"]]
    quotes = [normalize_ws(q) for q in rules["quotes"]]
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
    style = rules["comment_style"]

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

    assert header is not None
    end = _find_line(lines, rules["comments_before"], header + 1)
    section = lines[header + 1 : end]
    if style == "double_name":
        page.comments = _comments_double_name(section)
    elif style == "bullets":
        page.comments = _comments_bullets(section)
    else:
        page.comments = _comments_numbered(article_id, section)

    if "trackbacks_after" in rules:
        start = _find_line(lines, rules["trackbacks_after"]) + 1
        for line in lines[start:]:
            match = _NUMBERED.match(line)
            if match:
                page.trackbacks.append(match.group(2).strip())
            elif not _blank(line):
                raise ValueError(f"{article_id}: unexpected trackback line {line!r}")
    return page


# --------------------------------------------------------------------------------------------
# Tables
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
        facts = sources[aid]
        author = facts["author"]
        add(("author", author or f"unnamed author of {aid}"), author or "", "article author")
        for c in pages[aid].comments:
            cid = f"{aid}-c{c.position:03d}"
            if author_basis[cid]:
                continue  # the article's author: signed or in his voice
            if c.speaker:
                add(("name", c.speaker), c.speaker, "commenter")
            else:
                add(("unsigned", cid), "", "unsigned commenter")
    return ids, rows


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
    from cmethics import text as textlayer  # spaCy: build time only

    sources = read_sources(sources_path)["sources"]
    pages = {}
    for aid in ARTICLE_IDS:
        raw = (raw_dir / sources[aid]["file"]).read_text(encoding="utf-8")
        pages[aid] = parse_page(aid, raw, sources[aid])

    # Who is the author, for each comment.
    voice: dict[str, bool] = {}
    author_basis: dict[str, str] = {}
    for aid in ARTICLE_IDS:
        signs_as = sources[aid].get("author_signs_comments_as")
        for c in pages[aid].comments:
            cid = f"{aid}-c{c.position:03d}"
            signed = bool(signs_as) and c.speaker == signs_as
            voice[cid] = cid in AUTHOR_VOICE
            if voice[cid] and c.speaker:
                raise ValueError(f"{cid}: a signed comment cannot be the author's voice")
            author_basis[cid] = "signed" if signed else "voice" if voice[cid] else ""
    unknown = (set(AUTHOR_VOICE) | set(ADDRESSES) | set(CONTENT_REPLIES)) - set(voice)
    if unknown:
        raise ValueError(f"rules name comments that do not exist: {sorted(unknown)}")

    speaker_ids, speaker_rows = _speaker_keys(sources, pages, author_basis)
    author_id = {
        aid: speaker_ids[("author", sources[aid]["author"] or f"unnamed author of {aid}")]
        for aid in ARTICLE_IDS
    }

    # Documents and their tokens (spaCy), in table order.
    token_frames: list[pd.DataFrame] = []
    n_words: dict[str, int] = {}

    def tokens_of(doc_id: str, doc_type: str, aid: str, text: str) -> None:
        rows = pd.DataFrame(textlayer.annotate(text))
        rows.insert(0, "doc_id", doc_id)
        rows.insert(1, "doc_type", doc_type)
        rows.insert(2, "article_id", aid)
        token_frames.append(rows)
        n_words[doc_id] = int(rows["is_word"].sum())

    paragraph_rows = []
    for aid in ARTICLE_IDS:
        for n, p in enumerate(pages[aid].paragraphs, start=1):
            pid = f"{aid}-p{n:03d}"
            tokens_of(pid, "paragraph", aid, p.text)
            paragraph_rows.append(
                {
                    "article_id": aid,
                    "paragraph_id": pid,
                    "position": n,
                    "section": p.section,
                    "kind": p.kind,
                    "text": p.text,
                    "n_words": n_words[pid],
                }
            )

    comment_rows = []
    for aid in ARTICLE_IDS:
        facts = sources[aid]
        by_id: dict[str, dict[str, Any]] = {}
        open_at_depth: dict[int, str] = {}
        printed_in_thread = {c.speaker for c in pages[aid].comments if c.speaker}
        for c in pages[aid].comments:
            cid = f"{aid}-c{c.position:03d}"
            if author_basis[cid]:
                sid = author_id[aid]
            elif c.speaker:
                sid = speaker_ids[("name", c.speaker)]
            else:
                sid = speaker_ids[("unsigned", cid)]

            reply_to, basis = "", "none"
            addressee, addressee_sid = "", ""
            if cid in ADDRESSES:
                addressee, named, target, _why = ADDRESSES[cid]
                if addressee not in _opening(c.text):
                    raise ValueError(f"{cid}: address {addressee!r} not in its opening")
                if named is not None:
                    if named == facts["author"]:
                        addressee_sid = author_id[aid]
                    elif named in printed_in_thread and ("name", named) in speaker_ids:
                        addressee_sid = speaker_ids[("name", named)]
                    else:
                        raise ValueError(f"{cid}: {named!r} is not printed in thread {aid}")
                if target == "latest":
                    earlier = [k for k, r in by_id.items() if r["speaker_id"] == addressee_sid]
                    if not earlier:
                        raise ValueError(f"{cid}: {named!r} has no earlier comment")
                    reply_to, basis = earlier[-1], "address"
                elif target is not None:
                    if by_id.get(target, {}).get("speaker_id") != addressee_sid:
                        raise ValueError(f"{cid}: {target} is not an earlier comment of {named!r}")
                    reply_to, basis = target, "address"
            if cid in CONTENT_REPLIES:
                if basis != "none":
                    raise ValueError(f"{cid}: both an address and a content reply")
                reply_to, basis = CONTENT_REPLIES[cid][0], "content"
                if reply_to not in by_id:
                    raise ValueError(f"{cid}: content reply to a later or unknown comment")
            if c.nesting_depth:
                # The page nests the reply under the last comment one level up (002).
                reply_to, basis = open_at_depth[c.nesting_depth - 1], "nesting"
            if c.nesting_depth is not None:
                open_at_depth[c.nesting_depth] = cid
            depth = by_id[reply_to]["depth"] + 1 if reply_to else 0
            if c.nesting_depth is not None and depth != c.nesting_depth:
                raise ValueError(f"{cid}: depth {depth} but nested at {c.nesting_depth}")

            tokens_of(cid, "comment", aid, c.text)
            row = {
                "comment_id": cid,
                "article_id": aid,
                "position": c.position,
                "speaker": c.speaker,
                "speaker_basis": c.speaker_basis,
                "speaker_id": sid,
                "is_article_author": author_basis[cid] != "",
                "author_basis": author_basis[cid],
                "reply_to": reply_to,
                "reply_basis": basis,
                "addressee": addressee,
                "addressee_speaker_id": addressee_sid,
                "depth": depth,
                "text": c.text,
                "n_words": n_words[cid],
            }
            by_id[cid] = row
            comment_rows.append(row)

    comments = pd.DataFrame(comment_rows)
    paragraphs = pd.DataFrame(paragraph_rows)

    # Speakers, with stable pseudonyms numbered in speaker_id order within each role.
    counters = {"commenter": 0, "unsigned commenter": 0}
    for row in speaker_rows:
        role = row["role"]
        if role == "article author":
            aids = [a for a in ARTICLE_IDS if author_id[a] == row["speaker_id"]]
            row["pseudonym"] = row["display_name"] or f"Unnamed author of {aids[0]}"
        else:
            counters[role] += 1
            label = "Commenter" if role == "commenter" else "Unsigned commenter"
            row["pseudonym"] = f"{label} {counters[role]:02d}"
        mine = comments[comments["speaker_id"] == row["speaker_id"]]
        authored = {a for a in ARTICLE_IDS if author_id[a] == row["speaker_id"]}
        row["article_ids"] = " ".join(sorted(authored | set(mine["article_id"])))
        row["n_comments"] = len(mine)
    speakers = pd.DataFrame(speaker_rows)[
        ["speaker_id", "display_name", "pseudonym", "role", "article_ids", "n_comments"]
    ]

    trackback_rows = [
        {"article_id": aid, "trackback_id": f"{aid}-t{n:02d}", "position": n, "text": t}
        for aid in ARTICLE_IDS
        for n, t in enumerate(pages[aid].trackbacks, start=1)
    ]
    trackbacks = pd.DataFrame(
        trackback_rows, columns=["article_id", "trackback_id", "position", "text"]
    )

    article_rows = []
    for aid in ARTICLE_IDS:
        f = sources[aid]
        mine = paragraphs[paragraphs["article_id"] == aid]
        article_rows.append(
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
    articles = pd.DataFrame(article_rows)
    articles["comments_claimed"] = articles["comments_claimed"].astype("Int64")

    tokens = pd.concat(token_frames, ignore_index=True)
    # Paragraphs first, then comments, each in page order: the order documents were read.
    order = {"paragraph": 0, "comment": 1}
    tokens = tokens.sort_values(
        ["article_id", "doc_type", "doc_id", "position"],
        key=lambda s: s.map(order) if s.name == "doc_type" else s,
        kind="stable",
    ).reset_index(drop=True)
    tokens["person"] = tokens["person"].astype("Int64")

    return {
        "articles": articles,
        "paragraphs": paragraphs,
        "comments": comments,
        "speakers": speakers,
        "trackbacks": trackbacks,
        "tokens": tokens,
    }

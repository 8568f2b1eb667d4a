"""The parser's hand rules: page layouts and judgment calls, one named record per entry.

:mod:`cmethics._parse` applies these tables to the raw pages; each judgment call carries its
reason, so a reader can check every one against the page (``data/README.md`` summarises them).

The rules are Python, not data beside ``data/sources.yaml``: they are decisions about how to read
the pages, reviewed with the parser that applies them, not facts the pages show (those are in
``sources.yaml``); as code they are type-checked and linted, and a misspelt field fails at import.
``data/`` holds the corpus and its provenance only, so a regeneration compares it byte for byte.
The entries are :class:`~typing.NamedTuple` records: fields by name, and still a tuple, so
``written, speaker, target, reason = ADDRESSES[cid]`` keeps working; :class:`Layout` is a frozen
dataclass, since nothing unpacks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = [
    "ADDRESSES",
    "AUTHOR_VOICE",
    "CONTENT_REPLIES",
    "LATEST",
    "LAYOUT",
    "NOT_LINKED",
    "PRINTED_NAMES",
    "Address",
    "ContentReply",
    "Layout",
    "PrintedName",
]

#: :attr:`Address.target` for the default rule: the named speaker's latest earlier comment.
LATEST = "latest"


@dataclass(frozen=True)
class Layout:
    """Where each part of one page lies. Lines are compared up to whitespace.

    Attributes
    ----------
    body_after : str
        The line just before the article body.
    body_before : str or None
        The line just after it; None when the comment header ends the body.
    headings : tuple of str
        The body lines that are section headings, in page order.
    quotes : tuple of str
        Starts of the paragraphs that quote another text in full.
    comments_before : str or None
        The line that ends the comment section, which starts after the comment figure the page
        prints (from sources.yaml); None when the comments are on one line (004).
    comment_style : str
        The comment splitter: ``double_name``, ``bullets``, ``numbered_nested`` or ``one_line``.
    trackbacks_after : str or None
        The line after which the trackbacks are listed, if the page has any.
    """

    body_after: str
    body_before: str | None
    headings: tuple[str, ...]
    quotes: tuple[str, ...]
    comments_before: str | None
    comment_style: Literal["double_name", "bullets", "numbered_nested", "one_line"]
    trackbacks_after: str | None = None


class PrintedName(NamedTuple):
    """A commenter's name printed outside the page's usual name slot."""

    #: The name exactly as printed.
    name: str
    #: ``"line"``: on its own line before the text; ``"signature"``: signed at the end.
    where: Literal["line", "signature"]


class Address(NamedTuple):
    """An opening address and the comment it makes this one reply to."""

    #: The address as written (« @Jean », « Fadhila »); it must stand in the opening sentence.
    written: str
    #: The speaker it names, as printed in the thread or as the article's author; None when it
    #: names nobody printed.
    speaker: str | None
    #: :data:`LATEST` = that speaker's latest earlier comment in the thread (the default rule);
    #: a comment_id = an earlier comment of that speaker that the content shows is the one
    #: answered; None = no reply_to, because the name is nobody printed in the thread or because
    #: the comment answers the article itself, not a comment.
    target: str | None
    #: Why; required unless ``target`` is :data:`LATEST`.
    reason: str = ""


class ContentReply(NamedTuple):
    """A reply recognised by its content alone."""

    #: The comment_id it answers (an earlier comment of the same thread).
    answers: str
    #: What the reply quotes or takes up.
    reason: str


# --------------------------------------------------------------------------------------------
# Page layout: where each part of each page lies
# --------------------------------------------------------------------------------------------

#: Per page: where its body and comment section lie (see :class:`Layout`).
LAYOUT: dict[str, Layout] = {
    "000": Layout(
        body_after="Les Community Managers sont-ils tous « Ego » ?",
        body_before="Google+ Comments",
        headings=(
            "Définition : Here we go !",
            "Le Web comme outil de réalisation de soi",
            "L’individualisme à l’heure du social",
            "Le rôle de l’égo chez le Community Manager",
            "Ouverture d’esprit",
        ),
        # The Wikipedia-style definition of the ego, printed as a quotation on its own line.
        quotes=("« La représentation et la conscience que l’on a de soi-même.",),
        comments_before="Trackbacks",
        comment_style="double_name",
        trackbacks_after="Trackbacks",
    ),
    "001": Layout(
        # « Crédit image : Wouter Hagens » is an image caption, not article text.
        body_after="Crédit image : Wouter Hagens",
        body_before="Share",
        headings=(),
        quotes=(),
        comments_before="Ecrire un commentaire",
        comment_style="bullets",
    ),
    "002": Layout(
        # The body starts after the « Cet article a été publié il y a ... » banner.
        body_after="Les informations proposées sont donc peut-être expirées.",
        body_before="A propos de l'auteur",
        headings=(
            "Médias Sociaux = Liberté d’Expression ?",
            "Classification des Pros des Médias Sociaux",
            "N’ayez crainte, la cour de récréation est grande et chacun a sa place !",
        ),
        quotes=(),
        comments_before="Laisser un commentaire",
        comment_style="numbered_nested",
    ),
    "003": Layout(
        body_after=(
            "Community manager, une définition inadaptée à l’environnement social d’internet"
        ),
        body_before=None,  # the comment header ends the body
        headings=(),
        quotes=(),
        comments_before="Laisser un commentaire",
        comment_style="numbered_nested",
    ),
    "004": Layout(
        # The techtoc.tv page frames the article: menu, call for participation and the Syntec RP
        # summary come before « L'article complet : »; the talk-show appeal comes after it.
        body_after="L'article complet :",
        body_before="APPROFONDISSONS LE SUJET EN TALKSHOW :",
        headings=(),
        quotes=(),
        comments_before=None,
        comment_style="one_line",
    ),
}


# --------------------------------------------------------------------------------------------
# Judgment calls, one table each, with reasons
# --------------------------------------------------------------------------------------------

#: Printed names that are not in a page's usual name slot. Key: (article_id, the comment's
#: number as the page prints it); value: the name exactly as printed and where it is printed.
#: ``"line"``: a name on its own line before the text, where the page's WordPress theme prints
#: commenter names that carry no link (002 and 003 drop the linked ones); the line is the
#: speaker, not part of the text. ``"signature"``: the commenter signs at the end; the signature
#: stays in the text (the commenter typed it) and is also the speaker.
PRINTED_NAMES: dict[tuple[str, int], PrintedName] = {
    ("002", 7): PrintedName(name="Salamandre", where="line"),
    ("002", 9): PrintedName(name="Jst", where="line"),
    ("003", 3): PrintedName(name="@w2YDAvid (twitter)", where="line"),
    ("003", 5): PrintedName(name="Charly", where="signature"),
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

#: Opening addresses. Key: comment_id; value: the :class:`Address`. An address is the name or
#: handle the comment's first sentence speaks to (« @Jean », « Merci Fadhila », « Hello
#: Quentin », « Corinne ! »).
ADDRESSES: dict[str, Address] = {
    # 000: Ronan Boussicaud answers his commenters one by one, in their order.
    "000-c005": Address(
        written="Ronan",
        speaker="Ronan Boussicaud",
        target=None,
        reason="« Salut Ronan ! Un bon article »: the article",
    ),
    "000-c010": Address(
        written="Ronan",
        speaker="Ronan Boussicaud",
        target=None,
        reason="« Bravo Ronan pour ce super article »: the article",
    ),
    "000-c011": Address(
        written="Helène",
        speaker="Helene Albi",
        target="000-c001",
        reason="« ça fait plaisir d’entendre ça » thanks c001's « Félicitations! ... Ravie de vous "
        "relire »; c007 (« très naïve ») is answered by c016 (« Ce n'est pas naïf »)",
    ),
    "000-c013": Address(written="Arnaud", speaker="Arnaud.mn", target=LATEST),
    "000-c014": Address(
        written="Pascalou", speaker="Pascalou", target=LATEST, reason='written « Salut "Pascalou" »'
    ),
    "000-c015": Address(written="Quentin", speaker="Quentin L", target=LATEST),
    "000-c016": Address(written="Helene", speaker="Helene Albi", target=LATEST),
    "000-c017": Address(written="Emily", speaker="Emily", target=LATEST),
    "000-c019": Address(
        written="Xavier",
        speaker="Xavier Foucaud",
        target=LATEST,
        reason="name at the end of the first sentence",
    ),
    # 002: no commenter names are printed except two; the addressed names match nobody printed.
    "002-c003": Address(
        written="Mikael", speaker=None, target=None, reason="no « Mikael » is printed on the page"
    ),
    "002-c008": Address(
        written="Olivier",
        speaker=None,
        target=None,
        reason="no « Olivier » is printed; the reply is nested anyway",
    ),
    "002-c010": Address(
        written="@Lucile",
        speaker=None,
        target=None,
        reason=(
            "no « Lucile » is printed; the content matches c004 (theses, experience), but c004 "
            "names « Lucile Merra » in the third person and two of the 17 comments the page "
            "counts are missing, so the answered comment is not certain"
        ),
    ),
    # 003
    "003-c004": Address(
        written="Antonin",
        speaker="Antonin",
        target=None,
        reason="« Bonjour Antonin ! ... ton article »: the article",
    ),
    # 004
    "004-c011": Address(
        written="Frédéric",
        speaker="Frédéric Bascuñana",
        target=None,
        reason="« Bonjour Frédéric, ... ton angle »: the article",
    ),
    "004-c014": Address(written="@Jean", speaker="Jean Dubearnes", target=LATEST),
    "004-c016": Address(written="@Frédéric", speaker="Frédéric Bascuñana", target=LATEST),
    "004-c019": Address(
        written="Fadhila",
        speaker="Fadhila BRAHIMI",
        target="004-c001",
        reason=(
            '« tu écris que le terme de "Communauté" fait plutôt référence à un idéal » takes up '
            "c001's « nous sommes face à un idéal souhaité et attendu », not the one-liner c017"
        ),
    ),
    "004-c020": Address(written="Lucile", speaker="Lucile Merra - Eureka", target=LATEST),
    "004-c021": Address(written="Thomas", speaker="Thomas Buisson", target=LATEST),
    "004-c022": Address(written="@Cyril", speaker="Cyril Hijar", target=LATEST),
    "004-c023": Address(
        written="Jean",
        speaker="Jean Dubearnes",
        target=LATEST,
        reason="« les communautés ont toujours existé » takes up c016",
    ),
    "004-c024": Address(
        written="@Kaes", speaker=None, target=None, reason="no « Kaes » is printed on the page"
    ),
    "004-c026": Address(
        written="@SirChamalow",
        speaker="Sir.chamallow",
        target=LATEST,
        reason=(
            "spelt differently from the printed « Sir.chamallow »; « le fond du problème » quotes "
            "c010"
        ),
    ),
    "004-c027": Address(written="Marie-Laure", speaker="Marie-Laure VIE", target=LATEST),
    "004-c029": Address(written="Vincent", speaker="Vincent Berthelot", target=LATEST),
    "004-c030": Address(
        written="Paul",
        speaker="Paul Richardet",
        target=LATEST,
        reason="name at the end of the first sentence",
    ),
    "004-c035": Address(written="Sir.chamallow", speaker="Sir.chamallow", target=LATEST),
    "004-c037": Address(
        written="Fred",
        speaker="Frédéric Bascuñana",
        target="004-c021",
        reason=(
            "« le sophisme des CM » is the argument of c021 (« les CM ne sont désormais plus que "
            "des sophistes »), not of the article or of Bascuñana's latest comment c030"
        ),
    ),
    "004-c039": Address(
        written="Guillaume",
        speaker=None,
        target=None,
        reason="no « Guillaume » is printed on the page",
    ),
    "004-c040": Address(
        written="Eric",
        speaker="Eric Messeca",
        target=LATEST,
        reason="the only Eric before it; thanks c034's praise",
    ),
    "004-c041": Address(written="Fabrice", speaker="Fabrice Frossard", target=LATEST),
    "004-c042": Address(
        written="Cédric",
        speaker="Cedric MALLET",
        target=LATEST,
        reason=(
            "« Entièrement d'accord avec Cédric », then « Tu as raison »; printed « Cedric MALLET »"
        ),
    ),
    "004-c045": Address(written="Corinne", speaker="Corinne Dangas", target=LATEST),
    "004-c050": Address(
        written="Frédéric",
        speaker="Frédéric Bascuñana",
        target=None,
        reason="« Je viens de lire ton article ! »: the article",
    ),
    "004-c055": Address(
        written="Eric",
        speaker="Eric Gouazé",
        target=LATEST,
        reason="two Erics are printed; c055 answers c054's question",
    ),
    "004-c062": Address(written="Bruno", speaker="Bruno Brochenin", target=LATEST),
    "004-c068": Address(
        written="Etienne", speaker=None, target=None, reason="no « Etienne » is printed on the page"
    ),
}

#: Replies recognised by their content alone (no nesting, no opening address naming a printed
#: speaker). Key: comment_id; value: the comment it answers, and why.
CONTENT_REPLIES: dict[str, ContentReply] = {
    "000-c012": ContentReply(
        answers="000-c002",
        reason=(
            "answers Benoît Faverial's long comment: « l’écriture sur le web est encore "
            "balbutiante » takes up « Internet va lui apprendre à écrire », the sandcastle images "
            "his « Comme des enfants »; it sits where Ronan answers c002 in his in-order replies "
            "(c011 -> c001, c013 -> c003)"
        ),
    ),
    "000-c018": ContentReply(
        answers="000-c009",
        reason=(
            "« Je suis ravi d'entendre l'expression \"electro-choc\" » answers c009's « un petit "
            "electrochoc »"
        ),
    ),
    "001-c002": ContentReply(
        answers="001-c001",
        reason="« Un défi? Allons-y! » takes up c001's « un point de challenge »",
    ),
    "004-c008": ContentReply(
        answers="004-c007",
        reason=(
            "« apporter des contrats grâce à ces followers » questions c007's « le retour ne se "
            "mesure pas en nombre de followers...mais en nombre de contrats »"
        ),
    ),
    "004-c009": ContentReply(
        answers="004-c008",
        reason=(
            "« De la même façon que la conception et distribution de prospectus » answers c008's "
            "question of how followers bring contracts"
        ),
    ),
    "004-c017": ContentReply(
        answers="004-c015",
        reason=(
            '« Autrement dit "vrai" ! Ou un vrai pas tout à fait faux ? » plays on c015\'s « Pas '
            "faux non plus »"
        ),
    ),
    "004-c031": ContentReply(
        answers="004-c019",
        reason=(
            "« Les communautés sous-ensemble d'un réseau » takes up c019's « les communautés sont "
            "en sous-ensemble d'un réseau »"
        ),
    ),
    "004-c032": ContentReply(
        answers="004-c020",
        reason=(
            "« la réponse de @Lucile est riche et précise » echoes c020's « ta réponse, riche, et "
            "précise »"
        ),
    ),
    "004-c047": ContentReply(
        answers="004-c020",
        reason="« Je rebondirai sur \"et si le CM n'avait pour essence que de colmater des brêches "
        'coupables ? " » quotes c020',
    ),
    "004-c048": ContentReply(
        answers="004-c045",
        reason=(
            "opens by quoting c045 (« Demander à un CM de commencer à faire son travail sans "
            "adhésion aux valeurs ... ») and answers « Frédéric, tu m'as convaincue »"
        ),
    ),
    "004-c058": ContentReply(
        answers="004-c057",
        reason=(
            "« cette page devient une idéale source de curation » greets c057's list of readings"
        ),
    ),
    "004-c059": ContentReply(
        answers="004-c058", reason="« Elle va faire date » takes up c058's « cette page »"
    ),
    "004-c063": ContentReply(
        answers="004-c062",
        reason=(
            "« encore un fulgurance bascunanienne » reacts to a Bascuñana comment: c062, just "
            "before"
        ),
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

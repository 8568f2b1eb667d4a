"""Ownership lab: « ma communauté » or « la communauté »? Find, count, then rewrite.

Source 001 (« « Ma » communauté?… La communauté! ») mocks the community managers who say
« ma communauté »: « Les gens ne vous appartiennent pas ». The lab lets the student test the
claim on the whole corpus. The student chooses a form that can stand before « communauté »
(« ma », « notre », « sa », « la »…) and a scope (all sources, one source, article authors or
commenters), and sees every matching sentence, verbatim, with its source, its comment id, its
speaker (commenters under pseudonyms) and whether the words stand inside a quotation (a writer
who quotes « ma communauté » usually does so to criticise it). A bar chart counts every form in
the scope, split between article authors and commenters. The mentions come from
``cmethics.text.ownership_mentions()``.

Then the student rewrites three sentences of the corpus that use a possessive, "from ownership
to coexistence", in French or in English. An optional check tokenizes the rewrite (spaCy's
blank French pipeline through ``cmethics.text.annotate``) and points out any possessive still
standing before « communauté » (or "community"): a hint, never a block. Loading spaCy takes
seconds, so a lab built in a kernel starts loading it in the background at once
(:func:`load_tokenizer`); a check pressed before it is ready shows a busy sign meanwhile.

Answers (``docs/answers.md``), saved on every keystroke:

``ownership.rewrite_1``, ``ownership.rewrite_2``, ``ownership.rewrite_3``
    ``{"sentence_id": str, "text": str}``: the rewrite and the sentence it rewrites.
    ``sentence_id`` is ``"<doc_id>-s<nn>"``, the paragraph or comment id and the sentence's
    number in it as tokenized in ``cmethics.corpus.tokens()`` (e.g. ``"000-p037-s12"``).

>>> from cmethics.widgets import OwnershipLab
>>> lab = OwnershipLab()          # display(lab) in a notebook; saves nothing
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from cmethics import answer_format, corpus, text
from cmethics._caches import data_cache
from cmethics.widgets._base import Component, Session, busy, esc, figure_html, notice
from cmethics.widgets._quoting import Speakers, TranslationTable, quote_html
from cmethics.widgets._style import ACCENT, MUTED, PANEL, full_width

__all__ = [
    "CHART_ROWS",
    "FORMS",
    "PAGE_SIZE",
    "REWRITE_SOURCES",
    "TRANSLATIONS",
    "Mention",
    "OwnershipLab",
    "load_mentions",
    "load_tokenizer",
    "possessive_hints",
    "tokenizer_ready",
]

#: Matches shown per page.
PAGE_SIZE = 8

#: The forms the student can look for: ``(id, label, determiners)``; ``None`` for the two
#: groups ("every possessive", "every mention"), which are decided by the determiner's class.
FORMS: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("ma", "ma (my)", frozenset({"ma"})),
    ("mon", "mon (my)", frozenset({"mon"})),
    ("mes", "mes (my, plural)", frozenset({"mes"})),
    ("notre", "notre (our)", frozenset({"notre"})),
    ("nos", "nos (our, plural)", frozenset({"nos"})),
    ("votre", "votre (your)", frozenset({"votre"})),
    ("vos", "vos (your, plural)", frozenset({"vos"})),
    ("ton", "ton / ta / tes (your, familiar)", frozenset({"ton", "ta", "tes"})),
    ("sa", "sa / son (his, her, its, one\u2019s)", frozenset({"sa", "son"})),
    ("ses", "ses (his, her, its, plural)", frozenset({"ses"})),
    ("leur", "leur / leurs (their)", frozenset({"leur", "leurs"})),
    ("la", "la / ladite (the)", frozenset({"la", "ladite"})),
    ("les", "les (the, plural)", frozenset({"les", "lesdites"})),
    ("une", "un / une / des (a, some)", frozenset({"un", "une", "des"})),
    ("ce", "ce / cette / ces (this, these)", frozenset({"ce", "cet", "cette", "ces"})),
    ("possessive", "every possessive (ma, notre, votre, sa, leur\u2026)", None),
    ("all", "every mention, whatever comes before", None),
)

#: The chart's rows: ``(label, form ids)``; "other" gathers the rest (« de communauté »...).
CHART_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ma", ("ma",)),
    ("mon", ("mon",)),
    ("mes", ("mes",)),
    ("notre", ("notre",)),
    ("nos", ("nos",)),
    ("votre", ("votre",)),
    ("vos", ("vos",)),
    ("ton/ta/tes", ("ton",)),
    ("sa/son", ("sa",)),
    ("ses", ("ses",)),
    ("leur(s)", ("leur",)),
    ("la", ("la",)),
    ("les", ("les",)),
    ("un/une/des", ("une",)),
    ("ce/cette/ces", ("ce",)),
    ("other", ()),
)

#: The three sentences to rewrite: ``(doc_id, determiner)`` of a possessive mention.
REWRITE_SOURCES: tuple[tuple[str, str], ...] = (
    ("000-p037", "ma"),
    ("000-c010", "sa"),
    ("001-c002", "sa"),
)

#: Our English translations of the sentences to rewrite.
TRANSLATIONS = {
    "Un bon Community Manager doit ce poser la question « Que puis-je faire d’utile pour ma "
    "communauté aujourd’hui ? ».": (
        "A good Community Manager must ask himself [sic] the question \u201cWhat useful thing "
        "can I do for my community today?\u201d."
    ),
    'Comme tu le dis bien, valoriser le "vous" avant le "nous" n\'est pas évident, cela suppose '
    "de se mettre en retrait derrière sa communauté pour mieux la servir et lui apporter les "
    "informations utiles.": (
        "As you rightly say, valuing the \u201cyou\u201d before the \u201cwe\u201d is not "
        "easy: it means stepping back behind one\u2019s community in order to serve it better "
        "and bring it useful information."
    ),
    "Ça se perd aussi, si le CM n’est pas capable de montrer son intérêt sur la continuité, "
    "s’il trahit sa communauté en commettant tout autant d’actes déceptifs.": (
        "It can also be lost, if the CM is unable to show his interest over time, if he betrays "
        "his community by committing just as many deceptive acts."
    ),
}

_TRANSLATIONS = TranslationTable(TRANSLATIONS)

_QUOTATION = {
    "quoted": "inside a quotation: the writer reports these words",
    "marked": "between quotation marks: the writer holds the words at a distance",
}
_AUTHORS = ACCENT
_COMMENTERS = "#d55e00"
_LEADING_PUNCT = ".,;:!?/()[]-"
# Charts already drawn in this kernel: (scope label, counts) -> <img> HTML.
_CHARTS: dict[tuple[str, tuple[tuple[str, int, int], ...]], str] = {}


def _key(token: str) -> str:
    """A determiner as compared: NFC, lower case, ASCII apostrophe, no leading punctuation."""
    folded = unicodedata.normalize("NFC", token).lower().replace("\u2019", "'")
    return folded.lstrip(_LEADING_PUNCT)


@dataclass(frozen=True)
class Mention:
    """One « communauté » of the corpus with the word before it, ready to show."""

    doc_id: str
    article_id: str
    group: str  # "author" (an article or its author's reply) or "commenter"
    speaker: str
    determiner: str
    determiner_class: str
    quotation: str
    match: str
    sentence: str
    offset: int  # where the match starts in the sentence (-1 if not found)
    sentence_id: str

    def form_ids(self) -> set[str]:
        """The :data:`FORMS` this mention belongs to."""
        key = _key(self.determiner)
        found = {fid for fid, _label, dets in FORMS if dets is not None and key in dets}
        if self.determiner_class == "possessive":
            found.add("possessive")
        found.add("all")
        return found


@data_cache(maxsize=1)
def load_mentions() -> tuple[Mention, ...]:
    """Every « communauté » in the corpus, with speaker, quotation status and sentence id.

    Computed once per data folder (``text.ownership_mentions()`` takes about a second); after
    rewriting a table in place, call ``cmethics._caches.clear_caches()``.
    """
    frame = text.ownership_mentions()
    tokens = corpus.tokens()
    sentence_of = dict(
        zip(
            zip(tokens["doc_id"].astype(str), tokens["start"].astype(int), strict=True),
            tokens["sentence"].astype(int),
            strict=True,
        )
    )
    paragraphs = corpus.paragraphs()
    comments = corpus.comments()
    texts = dict(zip(paragraphs["paragraph_id"], paragraphs["text"], strict=True))
    texts.update(zip(comments["comment_id"], comments["text"], strict=True))
    speakers = Speakers()
    mentions = []
    for row in frame.itertuples(index=False):
        doc_id, start = str(row.doc_id), int(row.start)
        sentence, match = str(row.sentence), str(row.match)
        body = str(texts.get(doc_id, ""))
        at = body.find(sentence)
        offset = start - at if at >= 0 else -1
        if offset < 0 or sentence[offset : offset + len(match)] != match:
            offset = sentence.find(match)
        number = sentence_of.get((doc_id, start), 0)
        mentions.append(
            Mention(
                doc_id=doc_id,
                article_id=str(row.article_id),
                group="commenter" if str(row.speaker_role) == "commenter" else "author",
                speaker=speakers.of(doc_id, str(row.article_id)),
                determiner=str(row.determiner),
                determiner_class=str(row.determiner_class),
                quotation=str(row.quotation),
                match=match,
                sentence=sentence,
                offset=offset,
                sentence_id=f"{doc_id}-s{number:02d}",
            )
        )
    return tuple(mentions)


# --------------------------------------------------------------------------- the self-check

# spaCy loads once per process; the lock makes a check wait for a background load under way
# instead of loading it a second time beside it.
_TOKENIZER_LOCK = threading.Lock()
_TOKENIZER_READY = threading.Event()
_PRELOAD_STARTED = threading.Event()


def tokenizer_ready() -> bool:
    """Whether spaCy's French tokenizer is loaded in this process (checks are then instant)."""
    return _TOKENIZER_READY.is_set()


def load_tokenizer() -> None:
    """Load spaCy's French tokenizer now, once per process (2 to 6 s on a cold start).

    Called by the first check, or in the background by :meth:`OwnershipLab.preload_tokenizer`;
    a call while another thread loads it waits for that load.
    """
    with _TOKENIZER_LOCK:
        if not _TOKENIZER_READY.is_set():
            text.annotate("ma communauté")
            _TOKENIZER_READY.set()


def _load_quietly() -> None:
    # In a background thread: a failure here is met again, and said, by the check itself.
    with contextlib.suppress(Exception):
        load_tokenizer()


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


_ENGLISH = re.compile(
    r"\b(my|our|your|his|her|its|their|one's|one\u2019s)\s+(?:own\s+)?(communit(?:y|ies))\b",
    re.IGNORECASE,
)
_NOUNS = {"communauté", "communautés", "comunauté"}
_NOT_ADJECTIVES = {
    "de", "d'", "du", "des", "la", "le", "les", "l'", "un", "une", "à", "au", "aux", "en",
    "et", "ou", "ce", "cette", "ces",
}  # fmt: skip


def possessive_hints(rewrite: str) -> list[str]:
    """The possessives still standing before « communauté » or "community" in a rewrite.

    French is tokenized with ``cmethics.text.annotate`` (spaCy's blank French pipeline, loaded
    on first use); a possessive counts when it comes right before the noun, or one word before
    it with an adjective between (« sa propre communauté »); quotation marks are skipped.
    English is matched with a pattern ("my community", "their own communities").

    Parameters
    ----------
    rewrite
        The student's sentence.

    Returns
    -------
    list of str
        The phrases found, as the student wrote them (empty when none).
    """
    found: list[str] = []
    if not rewrite.strip():
        return found
    tokens = [t for t in text.annotate(rewrite) if t["token"] not in {"«", "»", '"', "“", "”"}]
    for j, token in enumerate(tokens):
        if token["lower"] not in _NOUNS:
            continue
        for distance in (1, 2):
            i = j - distance
            if i < 0:
                break
            if tokens[i]["kind"] in {"possessive", "possessive_or_object"}:
                end = token["start"] + len(token["token"])
                found.append(rewrite[tokens[i]["start"] : end])
                break
            if not tokens[i]["is_alpha"] or tokens[i]["lower"] in _NOT_ADJECTIVES:
                break
    found += [m.group(0) for m in _ENGLISH.finditer(rewrite)]
    return found


# --------------------------------------------------------------------------- the lab


class OwnershipLab(Component):
    """Find « ma / notre / la communauté » in the corpus, count them, rewrite three sentences.

    Parameters
    ----------
    session
        The student's session; ``None`` gives a preview that saves nothing.
    preload
        Start loading spaCy's tokenizer in the background now, so that the first "Check my
        rewrite" is quick. ``None`` (the default) does so only in a Jupyter kernel (JupyterLab,
        Voilà), not in tests or when the book is built.

    Attributes
    ----------
    form
        Dropdown: the word before « communauté » (« ma », « notre », « la »…, or a group).
    scope
        Dropdown: all sources, one source, article authors or commenters.
    summary
        How many matches, and how many stand inside quotations.
    matches
        The matching sentences (one page of them).
    previous_button, next_button, page_label
        Paging through the matches.
    chart
        Bar chart of every form in the scope, authors and commenters apart (with alt text).
    sentences
        The three sentences to rewrite (HTML, one per slot).
    rewrites
        Three text areas: the student's rewrites.
    check_buttons, hints
        "Check my rewrite" and its hint, one per slot.

    Notes
    -----
    Saves ``ownership.rewrite_1`` … ``ownership.rewrite_3`` (see the module docstring).
    """

    def __init__(self, session: Session | None = None, preload: bool | None = None) -> None:
        super().__init__(session, key="ownership")
        self.mentions = load_mentions()
        self._forms = {m: m.form_ids() for m in self.mentions}
        self._articles = corpus.articles()
        self._page = 0
        self._selected: list[Mention] = []
        self.targets = self._rewrite_targets()

        self.intro = widgets.HTML(self._intro_html())
        self.form = widgets.Dropdown(
            options=[(label, form_id) for form_id, label, _dets in FORMS],
            value="ma",
            description="Word before \u00ab communauté \u00bb",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="30em"),
        )
        self.scope = widgets.Dropdown(
            options=self._scope_options(),
            value="all",
            description="Where",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em"),
        )
        self.summary = widgets.HTML()
        self.matches = widgets.HTML()
        self.previous_button = widgets.Button(
            description="Previous", icon="arrow-left", tooltip="Previous matches"
        )
        self.next_button = widgets.Button(
            description="Next", icon="arrow-right", tooltip="Next matches"
        )
        self.page_label = widgets.Label()
        self.chart = widgets.HTML()

        self.sentences: list[widgets.HTML] = []
        self.rewrites: list[widgets.Textarea] = []
        self.check_buttons: list[widgets.Button] = []
        self.hints: list[widgets.HTML] = []
        slots: list[widgets.Widget] = []
        for number, target in enumerate(self.targets, start=1):
            sentence = widgets.HTML(self._target_html(number, target))
            area = widgets.Textarea(
                description=f"Your rewrite {number}",
                placeholder="Rewrite the sentence, in French or in English.",
                style={"description_width": "initial"},
                layout=full_width(height="5em"),
            )
            button = widgets.Button(
                description="Check my rewrite",
                icon="search",
                tooltip="Point out any possessive left before the word community (a hint only)",
                layout=widgets.Layout(width="auto"),
            )
            hint = widgets.HTML()
            area.observe(self._rewrite_handler(number), "value")
            button.on_click(lambda _b, n=number: self.check(n))
            self.sentences.append(sentence)
            self.rewrites.append(area)
            self.check_buttons.append(button)
            self.hints.append(hint)
            slots += [sentence, area, widgets.HBox([button]), hint]

        self.form.observe(lambda _c: self._on_query(), "value")
        self.scope.observe(lambda _c: self._on_query(), "value")
        self.previous_button.on_click(lambda _b: self.go_to_page(self._page - 1))
        self.next_button.on_click(lambda _b: self.go_to_page(self._page + 1))

        self.children = [
            self.intro,
            widgets.HTML("<h4 style='margin:0.8em 0 0.2em'>1. Find and count</h4>"),
            widgets.HBox([self.form, self.scope], layout=widgets.Layout(flex_flow="row wrap")),
            self.summary,
            self.matches,
            widgets.HBox([self.previous_button, self.page_label, self.next_button]),
            self.chart,
            widgets.HTML(
                "<h4 style='margin:0.8em 0 0.2em'>2. Rewrite three sentences from ownership "
                "to coexistence</h4><p style='margin:0.2em 0'>Each sentence below uses a "
                "possessive before \u00ab communauté \u00bb. Rewrite it so that the members are "
                "no longer something the community manager owns, but people the community "
                "manager works with, in French or in English. Keep what the writer meant. "
                "\u201cCheck my rewrite\u201d is optional: it only points out a possessive "
                "left before the word.</p>"
            ),
            *slots,
        ]
        self._on_query()
        self.attach()
        # Last, so that loading spaCy does not slow the lab's own construction.
        if _in_kernel() if preload is None else preload:
            self.preload_tokenizer()

    @staticmethod
    def preload_tokenizer() -> threading.Thread | None:
        """Load spaCy's tokenizer in a background thread (once per process; ``None`` if done)."""
        if _TOKENIZER_READY.is_set() or _PRELOAD_STARTED.is_set():
            return None
        _PRELOAD_STARTED.set()
        thread = threading.Thread(target=_load_quietly, name="cmethics-tokenizer", daemon=True)
        thread.start()
        return thread

    # -- data ---------------------------------------------------------------------------------
    def _scope_options(self) -> list[tuple[str, str]]:
        options = [("All five sources", "all")]
        for row in self._articles.itertuples(index=False):
            options.append((f"Source {row.article_id} \u2013 {row.title}", str(row.article_id)))
        options += [
            ("Article authors (the articles and their authors\u2019 replies)", "authors"),
            ("Commenters", "commenters"),
        ]
        return options

    def _in_scope(self, mention: Mention, scope: str) -> bool:
        if scope == "all":
            return True
        if scope == "authors":
            return mention.group == "author"
        if scope == "commenters":
            return mention.group == "commenter"
        return mention.article_id == scope

    def select(self, form_id: str, scope: str) -> list[Mention]:
        """The mentions of one form (an id of :data:`FORMS`) in one scope, in corpus order."""
        return [m for m in self.mentions if form_id in self._forms[m] and self._in_scope(m, scope)]

    def _rewrite_targets(self) -> list[Mention]:
        targets = []
        for doc_id, determiner in REWRITE_SOURCES:
            found = next(
                (
                    m
                    for m in self.mentions
                    if m.doc_id == doc_id and _key(m.determiner) == determiner
                ),
                None,
            )
            if found is not None:
                targets.append(found)
        return targets

    def _scope_label(self, scope: str) -> str:
        labels = dict((value, label) for label, value in self._scope_options())
        if scope == "all":
            return "the five sources"
        if scope in ("authors", "commenters"):
            return "the article authors" if scope == "authors" else "the commenters"
        return labels.get(scope, scope).replace("Source", "source", 1)

    # -- rendering ----------------------------------------------------------------------------
    def _intro_html(self) -> str:
        return (
            "<div><p style='margin:0.2em 0'>Source 001 mocks the community managers who say "
            "\u00ab ma communauté \u00bb: for its author, the members do not belong to anyone. "
            "Do the five sources and their commenters write \u00ab ma \u00bb, \u00ab notre "
            "\u00bb or \u00ab sa communauté \u00bb, or \u00ab la communauté \u00bb? Choose the "
            "word that comes before \u00ab communauté \u00bb and where to look. Every sentence "
            "is shown as printed. Watch the quotation marks: a writer who quotes \u00ab ma "
            "communauté \u00bb is usually criticising the phrase, not using it.</p></div>"
        )

    @staticmethod
    def mention_html(mention: Mention) -> str:
        """One matching sentence, verbatim and escaped, with the match highlighted."""
        sentence, offset, size = mention.sentence, mention.offset, len(mention.match)
        if offset >= 0:
            body = (
                esc(sentence[:offset]) + f"<mark style='background:#fff1a8;color:#1b1f24'>"
                f"{esc(sentence[offset : offset + size])}</mark>" + esc(sentence[offset + size :])
            )
        else:
            body = esc(sentence)
        where = Speakers.where(mention.article_id, mention.doc_id)
        status = _QUOTATION.get(mention.quotation)
        note = f" \u00b7 <em>{esc(status)}</em>" if status else ""
        return (
            f"<div style='border-left:3px solid #8a96a3;background:#fafafa;padding:0.35em "
            f"0.7em;margin:0.3em 0;border-radius:3px'><div style='font-size:0.88em;"
            f"color:{MUTED}'><strong>{esc(mention.speaker)}</strong> \u00b7 {esc(where)}{note}"
            f"</div><div lang='fr' style='white-space:pre-wrap;line-height:1.45'>{body}</div>"
            "</div>"
        )

    def _summary_html(self, form_id: str, scope: str, selected: list[Mention]) -> str:
        label = next(lab for fid, lab, _d in FORMS if fid == form_id)
        where = self._scope_label(scope)
        if not selected:
            return (
                f"<p role='status' style='margin:0.4em 0'>No match for {esc(label)} before "
                f"\u00ab communauté \u00bb in {esc(where)}. An absence is a finding too: "
                "compare with \u00ab la \u00bb.</p>"
            )
        quoted = sum(1 for m in selected if m.quotation == "quoted")
        marked = sum(1 for m in selected if m.quotation == "marked")
        used = len(selected) - quoted - marked
        authors = sum(1 for m in selected if m.group == "author")
        return (
            f"<p role='status' style='margin:0.4em 0'><strong>{len(selected)}</strong> "
            f"{'match' if len(selected) == 1 else 'matches'} for {esc(label)} before "
            f"\u00ab communauté \u00bb in {esc(where)}: {authors} by article authors, "
            f"{len(selected) - authors} by commenters. {used} used by the writer, {quoted} "
            f"inside a quotation, {marked} between quotation marks.</p>"
        )

    def _on_query(self) -> None:
        self._selected = self.select(self.form.value, self.scope.value)
        self.summary.value = self._summary_html(self.form.value, self.scope.value, self._selected)
        self.go_to_page(0)
        # Last: the sentences reach the page first, while a new scope's chart is being drawn.
        self.chart.value = self.chart_html(self.scope.value)

    def go_to_page(self, page: int) -> None:
        """Show one page of the current matches."""
        n = len(self._selected)
        pages = max(1, -(-n // PAGE_SIZE))
        self._page = max(0, min(page, pages - 1))
        first = self._page * PAGE_SIZE
        shown = self._selected[first : first + PAGE_SIZE]
        self.matches.value = "".join(self.mention_html(m) for m in shown)
        if not n:
            self.page_label.value = "No matches"
        elif len(shown) == 1:
            self.page_label.value = f"Match {first + 1} of {n}"
        else:
            self.page_label.value = f"Matches {first + 1}\u2013{first + len(shown)} of {n}"
        self.previous_button.disabled = self._page == 0
        self.next_button.disabled = self._page >= pages - 1

    def counts(self, scope: str) -> list[tuple[str, int, int]]:
        """``(row label, by article authors, by commenters)`` for every row of the chart."""
        rows = []
        in_scope = [m for m in self.mentions if self._in_scope(m, scope)]
        grouped = {fid for _label, fids in CHART_ROWS for fid in fids}
        for label, fids in CHART_ROWS:
            if fids:
                hits = [m for m in in_scope if self._forms[m] & set(fids)]
            else:
                hits = [m for m in in_scope if not self._forms[m] & grouped]
            authors = sum(1 for m in hits if m.group == "author")
            rows.append((label, authors, len(hits) - authors))
        return rows

    def chart_html(self, scope: str) -> str:
        """Horizontal bars: every form before « communauté » in the scope.

        Drawing a chart takes 0.1 s or more, so each one is drawn once per kernel and kept
        (keyed by its title and counts, so a lab rebuilt after a restart reuses it).
        """
        rows = self.counts(scope)
        key = (self._scope_label(scope), tuple(rows))
        if key in _CHARTS:
            return _CHARTS[key]
        from matplotlib.figure import Figure

        labels = [label for label, _a, _c in rows]
        authors = [a for _l, a, _c in rows]
        commenters = [c for _l, _a, c in rows]
        fig = Figure(figsize=(5.6, 4.4))
        ax = fig.add_axes((0.2, 0.1, 0.55, 0.8))
        positions = list(range(len(rows)))
        ax.barh(positions, authors, color=_AUTHORS, label="article authors")
        ax.barh(positions, commenters, left=authors, color=_COMMENTERS, label="commenters")
        ax.set_yticks(positions, labels, fontsize=8.5)
        ax.invert_yaxis()
        ax.set_xlabel("mentions of \u00ab communauté \u00bb", fontsize=9)
        ax.set_title(
            f"The word before \u00ab communauté \u00bb: {self._scope_label(scope)}", fontsize=9
        )
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        alt = (
            f"Bar chart of the word before \u00ab communauté \u00bb in "
            f"{self._scope_label(scope)}, counted separately for article authors and "
            "commenters. "
            + "; ".join(f"{label}: {a} by authors, {c} by commenters" for label, a, c in rows)
            + "."
        )
        html = figure_html(fig, alt, width="560px", tight=False, dpi=96)
        _CHARTS[key] = html
        return html

    # -- rewriting ----------------------------------------------------------------------------
    def _target_html(self, number: int, target: Mention) -> str:
        where = Speakers.where(target.article_id, target.doc_id)
        english = _TRANSLATIONS.get(target.sentence)
        return (
            f"<div style='{PANEL}'><div style='font-weight:bold;margin-bottom:0.2em'>Sentence "
            f"{number}</div>"
            + quote_html(target.sentence, english, f"{target.speaker}, {where}")
            + "</div>"
        )

    def _rewrite_handler(self, number: int) -> Any:
        def handler(change: dict[str, Any]) -> None:
            target = self.targets[number - 1]
            self.save(
                f"rewrite_{number}", {"sentence_id": target.sentence_id, "text": change["new"]}
            )

        return handler

    def check(self, number: int) -> list[str]:
        """Point out possessives left before « communauté » in rewrite ``number`` (1-3)."""
        rewrite = self.rewrites[number - 1].value
        hint = self.hints[number - 1]
        if not rewrite.strip():
            hint.value = notice("Write your rewrite first, then check it.", "info").value
            return []
        waiting = not tokenizer_ready()
        hint.value = (
            notice(
                "Checking\u2026 (the French tokenizer is still loading: a few seconds, once)",
                "info",
            ).value
            if waiting
            else ""
        )
        # Instant once spaCy is loaded; only a check that waits for it gets the busy sign.
        sign = busy(self.check_buttons[number - 1], "Checking\u2026")
        try:
            with sign if waiting else contextlib.nullcontext():
                load_tokenizer()
                found = possessive_hints(rewrite)
        except Exception:  # the check is a hint: it must never stand in the student's way
            hint.value = notice(
                "The check could not run here; your rewrite is saved all the same.", "info"
            ).value
            return []
        if found:
            listed = ", ".join(f"\u201c{f}\u201d" for f in found)
            hint.value = notice(
                f"A possessive is still there: {listed}. That can be what you mean (you may be "
                "quoting someone); if not, try the members, the people, or a sentence where "
                "they act. This is only a hint.",
                "warning",
            ).value
        else:
            hint.value = notice(
                "No possessive left before the word community. Now check that the sentence "
                "still says what the writer meant.",
                "success",
            ).value
        return found

    # -- restoring ----------------------------------------------------------------------------
    def _restore(self) -> None:
        for number, area in enumerate(self.rewrites, start=1):
            rewrite = answer_format.parse_rewrite(self.load(f"rewrite_{number}")).value
            area.value = rewrite["text"] if rewrite else ""
            self.hints[number - 1].value = ""

"""Comment coder: students code every comment of a thread against the codebook, then compare.

The codebook (``cmethics.course.codebook()``) is the only source of codes, definitions and
decision rules: each category's definitions open on demand beside the choices, so that students
apply the codebook rather than their intuition. A comment counts as coded when
``Codebook.check()`` finds no problem in its coding. Every change is saved at once.

Then "Compare with the reference coding" sets the student's codes beside the instructor key
(``cmethics.course.reference_coding()``): per comment and per category, where they differ and
why (the key's justification, and whether the key calls the case borderline), plus the thread's
agreement per category.

Answer keys (``docs/answers.md``)
---------------------------------
``coder.<comment_id>``
    ``{"stance": str | None, "themes": [str], "addressed_to": str | None,
    "ego_markers": [str], "rationale": str}`` with the codebook's code ids; written on every
    change to that comment's coding.
``coder_thread.article_id``
    The thread the student chose (``"000"`` to ``"004"``), when the coder offers the choice.
``reflection.<name>``
    The text of a :class:`CodingReflection` (the capstone's is ``reflection.disagreements``).

>>> from cmethics.widgets import CommentCoder
>>> coder = CommentCoder("003")          # display(coder) in a notebook
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ipywidgets as widgets

from cmethics import course
from cmethics.widgets._base import Component, Session, esc, notice
from cmethics.widgets.reader import (
    CommentRecord,
    SensitiveComment,
    ThreadReader,
    comment_html,
    load_thread,
    sensitive_comments,
    thread_choices,
)

__all__ = [
    "CategoryAgreement",
    "CodingReflection",
    "CommentCoder",
    "Comparison",
    "Difference",
    "compare_codings",
    "empty_coding",
    "normalize_coding",
    "reference_records",
]

THREAD_KEY = "coder_thread.article_id"


@lru_cache(maxsize=512)
def _notice(text: str, kind: str = "info") -> str:
    # notice() builds a widget; callbacks only need its HTML, and the same few messages recur.
    return notice(text, kind).value


_MUTED = "color:#3d4650"


# --------------------------------------------------------------------------- codings


def empty_coding(book: course.Codebook | None = None) -> dict[str, Any]:
    """A coding with nothing chosen: ``None`` for single choices, ``[]`` for multiple ones."""
    book = book or course.codebook()
    coding: dict[str, Any] = {c.id: [] if c.multiple else None for c in book.categories}
    coding["rationale"] = ""
    return coding


def normalize_coding(value: Any, book: course.Codebook | None = None) -> dict[str, Any]:
    """Turn a saved value (possibly hand-edited or from an older codebook) into a clean coding.

    Unknown codes are dropped, lists are put in codebook order, anything that is not a mapping
    gives an empty coding: a damaged answer never stops the coder.
    """
    book = book or course.codebook()
    coding = empty_coding(book)
    if not isinstance(value, Mapping):
        return coding
    for cat in book.categories:
        raw = value.get(cat.id)
        if cat.multiple:
            if isinstance(raw, str):
                chosen = {raw}
            elif isinstance(raw, list | tuple):
                chosen = {v for v in raw if isinstance(v, str)}
            else:
                chosen = set()
            coding[cat.id] = [code for code in cat.code_ids if code in chosen]
        elif isinstance(raw, str) and raw in cat.code_ids:
            coding[cat.id] = raw
    rationale = value.get("rationale")
    coding["rationale"] = rationale if isinstance(rationale, str) else ""
    return coding


# --------------------------------------------------------------------------- reference key


def reference_records(article_id: str) -> dict[str, course.ReferenceRecord]:
    """The instructor key of one thread, ``{comment_id: cmethics.course.ReferenceRecord}``.

    Raises
    ------
    cmethics.course.CourseDataError
        If the key is missing or malformed (the coder catches it and says so plainly).
    """
    return {r.comment_id: r for r in course.reference_coding().thread(article_id)}


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class CategoryAgreement:
    """Agreement with the key on one category, over the comparable comments."""

    category_id: str
    label: str
    multiple: bool
    compared: int
    agreeing: int
    mean_jaccard: float | None

    @property
    def share(self) -> float | None:
        """Share of compared comments where the student's codes equal the key's."""
        return self.agreeing / self.compared if self.compared else None


@dataclass(frozen=True)
class Difference:
    """One category of one comment where the student's codes differ from the key's."""

    comment_id: str
    category_id: str
    student: tuple[str, ...]
    key: tuple[str, ...]
    justification: str
    borderline: bool
    alternative: tuple[str, ...] | None

    @property
    def matches_alternative(self) -> bool:
        """Whether the student chose the key's accepted alternative for a borderline case."""
        return self.alternative is not None and set(self.student) == set(self.alternative)


@dataclass(frozen=True)
class Comparison:
    """The student's coding of a thread set beside the reference coding."""

    article_id: str
    n_comments: int
    compared: tuple[str, ...]
    not_coded: tuple[str, ...]
    no_key: tuple[str, ...]
    agreements: tuple[CategoryAgreement, ...]
    differences: tuple[Difference, ...]

    def differences_for(self, comment_id: str) -> list[Difference]:
        """The differences of one comment, in codebook order."""
        return [d for d in self.differences if d.comment_id == comment_id]


def _code_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def compare_codings(
    article_id: str,
    codings: Mapping[str, Mapping[str, Any]],
    reference: Mapping[str, course.ReferenceRecord],
    comment_ids: Iterable[str],
    book: course.Codebook | None = None,
    complete: Container[str] | None = None,
) -> Comparison:
    """Compare a student's codings of one thread with the key.

    Only comments whose coding is complete (``Codebook.check()`` finds no problem) are
    compared. Single-choice categories agree when the codes are equal; multiple-choice ones
    (themes, ego markers) when the SETS of codes are equal, and their mean Jaccard overlap
    (shared codes / codes chosen by either) is reported beside it.

    Parameters
    ----------
    article_id
        The thread.
    codings
        ``{comment_id: coding}`` as saved under ``coder.<comment_id>``.
    reference
        ``reference_records(article_id)``.
    comment_ids
        The thread's comments, in the order to report them.
    book
        The codebook (loaded when omitted).
    complete
        The ids of the fully coded comments, when the caller already knows them (the coder
        keeps them up to date, so that a comparison does not re-check every comment).
    """
    book = book or course.codebook()
    ids = list(comment_ids)
    compared, not_coded, no_key = [], [], []
    for cid in ids:
        coding = codings.get(cid)
        done = (cid in complete) if complete is not None else not book.check(coding or {})
        if coding is None or not done:
            not_coded.append(cid)
        elif cid not in reference:
            no_key.append(cid)
        else:
            compared.append(cid)
    agreements, differences = [], []
    for cat in book.categories:
        agreeing, overlaps = 0, []
        for cid in compared:
            student = _code_tuple(codings[cid].get(cat.id))
            record = reference[cid]
            key = _code_tuple(record.codes()[cat.id])
            overlaps.append(_jaccard(student, key))
            if set(student) == set(key):
                agreeing += 1
                continue
            alternative = record.alternative_codes().get(cat.id)
            differences.append(
                Difference(
                    comment_id=cid,
                    category_id=cat.id,
                    student=student,
                    key=key,
                    justification=record.justification(cat.id),
                    borderline=record.confidence == "borderline",
                    alternative=None if alternative is None else _code_tuple(alternative),
                )
            )
        agreements.append(
            CategoryAgreement(
                category_id=cat.id,
                label=cat.label,
                multiple=cat.multiple,
                compared=len(compared),
                agreeing=agreeing,
                mean_jaccard=(sum(overlaps) / len(overlaps) if cat.multiple and overlaps else None),
            )
        )
    order = {cid: i for i, cid in enumerate(ids)}
    differences.sort(key=lambda d: order[d.comment_id])
    return Comparison(
        article_id=article_id,
        n_comments=len(ids),
        compared=tuple(compared),
        not_coded=tuple(not_coded),
        no_key=tuple(no_key),
        agreements=tuple(agreements),
        differences=tuple(differences),
    )


# --------------------------------------------------------------------------- the widget


def _codes_text(book: course.Codebook, category_id: str, codes: Iterable[str]) -> str:
    cat = book.category(category_id)
    labels = {c.id: c.label for c in cat.codes}
    names = [labels.get(c, c) for c in codes]
    return ", ".join(names) if names else "no code"


def _help_html(cat: course.CodebookCategory) -> str:
    """A category's definitions and decision rules (course prose; quotes are escaped too)."""
    items = []
    for code in cat.codes:
        example = code.example
        if example.withheld or not example.quote:
            shown = f"Example ({esc(example.comment_id)}), not quoted: {esc(example.why)}"
        else:
            shown = (
                f'Example ({esc(example.comment_id)}): <span lang="fr">\u00ab\u00a0'
                f"{esc(example.quote.strip())}\u00a0\u00bb</span> \u2013 {esc(example.why)}"
            )
        items.append(
            f'<li style="margin-bottom:0.5em"><strong>{esc(code.label)}</strong>: '
            f"{esc(code.definition)}<br><em>Decision rule:</em> {esc(code.decision_rule)}"
            f'<br><span style="{_MUTED};font-size:0.9em">{shown}</span></li>'
        )
    extra = ""
    if cat.exclusive:
        extra = (
            f"<p><em>{esc(', '.join(cat.exclusive))}</em> must be chosen alone; choosing it "
            f"clears the other codes.</p>"
        )
    return f'<ul style="padding-left:1.2em;margin:0.2em 0">{"".join(items)}</ul>{extra}'


class CommentCoder(Component):
    """Code each comment of a thread against the codebook, then compare with the key.

    Parameters
    ----------
    article_id
        The thread to code (``"000"`` to ``"004"``); when omitted, the student chooses one of
        the five from a list that gives their number of comments.
    session
        The student's session (``None``: a preview that saves nothing).
    pseudonymize
        Start with pseudonyms for commenters (a check box shows the printed names).

    Attributes
    ----------
    thread
        Dropdown of the five threads (hidden when ``article_id`` is given).
    single
        ``{category_id: RadioButtons}`` for stance and addressee.
    multiple
        ``{category_id: {code_id: Checkbox}}`` for themes and ego markers.
    rationale
        The free-text rationale (saved as it is typed).
    previous_button, next_button, next_uncoded_button, jump
        Moving through the thread.
    progress
        "12 of 40 coded".
    read_thread
        Toggle: the whole thread as a reply tree (a :class:`ThreadReader`), built on demand.
    compare_button, comparison
        The comparison with the reference coding and its result.
    waiting
        The message shown, instead of the coder, until the student has started the session.

    Notes
    -----
    Saves ``coder.<comment_id>`` on every change and ``coder_thread.article_id`` when the
    student picks a thread (see the module docstring for the formats).
    """

    def __init__(
        self,
        article_id: str | None = None,
        session: Session | None = None,
        pseudonymize: bool = True,
    ) -> None:
        super().__init__(session, key="coder")
        self.book = course.codebook()
        self.fixed_thread = article_id is not None
        self.article_id: str | None = None
        self.records: tuple[CommentRecord, ...] = ()
        self.codings: dict[str, dict[str, Any]] = {}
        self._complete: set[str] = set()
        self._comparison_cache: Comparison | None = None
        self.index = 0
        self._loading = False
        self._compared = False
        self._reference: dict[str, course.ReferenceRecord] | None = None
        self._reference_error: str | None = None
        self._sensitive = sensitive_comments()
        self._placeholders: dict[str, SensitiveComment] = {}

        choices = thread_choices()
        self._valid_threads = {value for _, value in choices}
        if article_id is not None and article_id not in self._valid_threads:
            raise ValueError(f"no thread {article_id!r}; use one of {sorted(self._valid_threads)}")
        self.intro = widgets.HTML(
            f'<div style="margin-bottom:0.4em"><strong>{esc(self.book.title)}</strong> '
            f'<span style="{_MUTED}">(codebook version {esc(self.book.version)})</span><br>'
            f"{esc(self.book.instructions)}</div>"
        )
        self.thread = widgets.Dropdown(
            options=[("Choose a thread\u2026", ""), *choices],
            value="",
            description="Thread to code",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="40em", max_width="100%"),
        )
        self.show_names = widgets.Checkbox(
            value=not pseudonymize,
            description="Show commenters\u2019 names as printed on the page",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.progress = widgets.HTML()
        self.position = widgets.Label()
        self.previous_button = widgets.Button(description="Previous", icon="arrow-left")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.next_uncoded_button = widgets.Button(
            description="Next uncoded",
            icon="forward",
            tooltip="Jump to the next comment that is not fully coded",
        )
        self.jump = widgets.Dropdown(
            description="Go to comment",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="24em"),
        )
        self.card = widgets.HTML()
        self.card_box = widgets.VBox([self.card], layout=widgets.Layout(width="100%"))
        self.show_parent = widgets.Checkbox(
            value=False,
            description="Also show the comment it replies to",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.parent_card = widgets.HTML()

        self.single: dict[str, widgets.RadioButtons] = {}
        self.multiple: dict[str, dict[str, widgets.Checkbox]] = {}
        self.help: dict[str, widgets.ToggleButton] = {}
        self.help_text: dict[str, widgets.HTML] = {}
        blocks: list[widgets.Widget] = []
        for cat in self.book.categories:
            # Radio buttons carry the category's label themselves; check boxes need it here.
            title = f"<strong>{esc(cat.label)}</strong> \u2013 " if cat.multiple else ""
            heading = widgets.HTML(
                f'<div style="margin-top:0.6em">{title}<span style="{_MUTED}">'
                f"{esc(cat.question)}{' (several codes allowed)' if cat.multiple else ''}"
                "</span></div>"
            )
            if cat.multiple:
                boxes = {
                    code.id: widgets.Checkbox(
                        value=False,
                        description=code.label,
                        indent=False,
                        layout=widgets.Layout(width="auto", margin="0 1em 0 0"),
                    )
                    for code in cat.codes
                }
                for code_id, box in boxes.items():
                    box.observe(self._checkbox_handler(cat.id, code_id), "value")
                self.multiple[cat.id] = boxes
                control: widgets.Widget = widgets.HBox(
                    list(boxes.values()), layout=widgets.Layout(flex_flow="row wrap")
                )
            else:
                radio = widgets.RadioButtons(
                    options=[(code.label, code.id) for code in cat.codes],
                    value=None,
                    description=cat.label,
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="auto"),
                )
                radio.observe(self._on_change, "value")
                self.single[cat.id] = radio
                control = radio
            # A toggle rather than an Accordion: the Accordion's closed headers are grey on
            # grey (3.8:1) in the book's static previews; the definitions render on demand.
            helper = widgets.ToggleButton(
                value=False,
                description="What the codes mean",
                icon="question-circle",
                tooltip=f"Show or hide the definitions and decision rules: {cat.label}",
                layout=widgets.Layout(width="auto", align_self="flex-start"),
            )
            text = widgets.HTML()
            helper.observe(self._help_handler(cat, text), "value")
            self.help[cat.id] = helper
            self.help_text[cat.id] = text
            blocks.append(widgets.VBox([heading, control, helper, text]))
        spec = self.book.rationale
        self.rationale = widgets.Textarea(
            description=spec.label,
            placeholder=spec.prompt,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="96%", height="6em"),
        )
        self.rationale.observe(self._on_change, "value")
        self.rationale_help = widgets.HTML(
            f'<div style="{_MUTED};font-size:0.9em">{esc(spec.prompt)}'
            f"{f' (at least {spec.min_chars} characters)' if spec.min_chars else ''}</div>"
        )
        self.status = widgets.HTML()
        self.key_panel = widgets.HTML()
        self.form = widgets.VBox(
            [*blocks, self.rationale_help, self.rationale, self.status, self.key_panel],
            layout=widgets.Layout(flex="1 1 24em", min_width="20em", padding="0 0 0 0.8em"),
        )

        self.compare_button = widgets.Button(
            description="Compare with the reference coding",
            icon="balance-scale",
            style={"button_color": "#0b3d66", "text_color": "#ffffff"},
            layout=widgets.Layout(width="auto", align_self="flex-start"),
            tooltip="See where your codes differ from the instructor key, and why",
        )
        self.comparison = widgets.HTML()
        self.read_thread = widgets.ToggleButton(
            value=False,
            description="Read the whole thread",
            icon="list",
            tooltip="Show or hide the thread as a reply tree, to see a comment in context",
            layout=widgets.Layout(width="auto", align_self="flex-start", margin="0.6em 0 0 0"),
        )
        self.thread_reader_box = widgets.VBox()
        self.read_thread.observe(lambda _: self._render_reader(), "value")

        self.thread.observe(self._on_thread, "value")
        self.show_names.observe(self._on_names, "value")
        self.show_parent.observe(lambda _: self._render_parent(), "value")
        self.previous_button.on_click(lambda _: self.go_to_index(self.index - 1))
        self.next_button.on_click(lambda _: self.go_to_index(self.index + 1))
        self.next_uncoded_button.on_click(lambda _: self.next_uncoded())
        self.jump.observe(self._on_jump, "value")
        self.compare_button.on_click(lambda _: self.compare())

        reading = widgets.VBox(
            [self.card_box, self.show_parent, self.parent_card],
            layout=widgets.Layout(flex="1 1 26em", min_width="20em"),
        )
        self.workspace = widgets.VBox(
            [
                widgets.HBox([self.progress, self.position]),
                widgets.HBox(
                    [
                        self.previous_button,
                        self.next_button,
                        self.next_uncoded_button,
                        self.jump,
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                widgets.HBox([reading, self.form], layout=widgets.Layout(flex_flow="row wrap")),
                self.read_thread,
                self.thread_reader_box,
                widgets.HTML('<hr style="margin:0.8em 0">'),
                self.compare_button,
                self.comparison,
            ]
        )
        self.message = widgets.HTML()
        body = [self.thread] if not self.fixed_thread else []
        self.body = widgets.VBox([*body, self.show_names, self.message, self.workspace])
        self.waiting = widgets.HTML()
        self.children = [self.intro, self.waiting, self.body]
        if article_id is not None:
            self._set_thread(article_id)
        else:
            self._show_empty()
        self._show_when_started()
        self.attach()

    def _show_when_started(self) -> None:
        # Codes typed before the student has started could not be saved, and starting would
        # replace them with the saved ones: the coder waits for a name instead.
        waiting = self.session is not None and self.session.store is None
        self.body.layout.display = "none" if waiting else None
        self.waiting.value = (
            _notice(
                "Type your name or pseudonym at the top of the page and press Start: the "
                "coder opens then, so that every code you choose is saved.",
                "warning",
            )
            if waiting
            else ""
        )

    # -- threads --------------------------------------------------------------------------
    def _show_empty(self) -> None:
        self.article_id = None
        self.records = ()
        self.codings = {}
        self._complete = set()
        self.workspace.layout.display = "none"
        self.message.value = _notice(
            "Choose a thread in the list above to start coding. Your codes are saved as you go.",
            "info",
        )

    def _set_thread(self, article_id: str) -> None:
        """Load a thread and the student's saved codings of it (saving nothing)."""
        self.article_id = article_id
        self.records = load_thread(article_id)
        self.codings = self._saved_codings()
        self._complete = set()
        for cid in self.codings:
            self._update_complete(cid)
        self._comparison_cache = None
        self._placeholders = {}
        self._reference = None
        self._reference_error = None
        self._compared = False
        self.comparison.value = ""
        self.workspace.layout.display = None
        self.message.value = ""
        self.index = self._first_uncoded(0)
        self._rebuild_jump()
        self._render()
        self._render_reader()

    def _render_reader(self) -> None:
        # Built only when asked for, and again for another thread.
        if not self.read_thread.value or self.article_id is None:
            self.thread_reader_box.children = []
            return
        reader = self.thread_reader_box.children[0] if self.thread_reader_box.children else None
        if not isinstance(reader, ThreadReader) or reader.article_id != self.article_id:
            reader = ThreadReader(self.article_id, pseudonymize=not self.names)
        self.thread_reader_box.children = [reader]

    def _saved_codings(self) -> dict[str, dict[str, Any]]:
        codings = {}
        for record in self.records:
            value = self.load(record.comment_id)
            if value is not None:
                codings[record.comment_id] = normalize_coding(value, self.book)
        return codings

    def _on_thread(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        value = change["new"]
        if not value:
            self._show_empty()
            return
        self._set_thread(value)
        if not self._restoring and self.session is not None:
            self.session.save(THREAD_KEY, value)

    def _restore(self) -> None:
        self._show_when_started()
        if not self.fixed_thread and self.session is not None:
            saved = self.session.load(THREAD_KEY)
            if saved in self._valid_threads and saved != self.article_id:
                self._loading = True
                try:
                    self.thread.value = saved
                finally:
                    self._loading = False
        target = self.article_id if self.fixed_thread else self.thread.value
        if target:
            self._set_thread(target)

    # -- state ----------------------------------------------------------------------------
    @property
    def names(self) -> bool:
        """Whether printed names are shown instead of pseudonyms."""
        return bool(self.show_names.value)

    @property
    def current(self) -> CommentRecord | None:
        """The comment being coded."""
        return self.records[self.index] if self.records else None

    def is_coded(self, comment_id: str) -> bool:
        """Whether a comment's coding is complete (the codebook's check finds no problem)."""
        return comment_id in self._complete

    def _update_complete(self, comment_id: str) -> None:
        coding = self.codings.get(comment_id)
        if coding is not None and not self.book.check(coding):
            self._complete.add(comment_id)
        else:
            self._complete.discard(comment_id)
        self._comparison_cache = None

    def coded_count(self) -> int:
        """Number of fully coded comments in the thread."""
        return sum(self.is_coded(r.comment_id) for r in self.records)

    def _first_uncoded(self, start: int) -> int:
        n = len(self.records)
        for step in range(n):
            i = (start + step) % n
            if not self.is_coded(self.records[i].comment_id):
                return i
        return min(start, max(n - 1, 0))

    # -- moving ---------------------------------------------------------------------------
    def go_to_index(self, index: int) -> None:
        """Show comment number ``index`` (0-based, reply order; clipped to the thread)."""
        if not self.records:
            return
        self.index = max(0, min(index, len(self.records) - 1))
        self._render()

    def go_to(self, comment_id: str) -> None:
        """Show the comment with this id."""
        ids = [r.comment_id for r in self.records]
        if comment_id in ids:
            self.go_to_index(ids.index(comment_id))

    def next_uncoded(self) -> None:
        """Jump to the next comment that is not fully coded (wrapping round)."""
        if not self.records:
            return
        if self.coded_count() == len(self.records):
            self._set_status("Every comment of this thread is coded. Well done!", "success")
            return
        self.go_to_index(self._first_uncoded(self.index + 1))

    def _on_jump(self, change: dict[str, Any]) -> None:
        if self._loading or not change["new"]:
            return
        self.go_to(change["new"])

    # -- coding ---------------------------------------------------------------------------
    @staticmethod
    def _help_handler(cat: course.CodebookCategory, target: widgets.HTML) -> Any:
        def handler(change: dict[str, Any]) -> None:
            target.value = (
                f'<div style="border-left:3px solid #8a96a3;padding:0.2em 0.6em;'
                f'margin:0.2em 0 0.4em 0">{_help_html(cat)}</div>'
                if change["new"]
                else ""
            )

        return handler

    def _checkbox_handler(self, category_id: str, code_id: str) -> Any:
        def handler(change: dict[str, Any]) -> None:
            if self._loading:
                return
            cat = self.book.category(category_id)
            if change["new"] and cat.exclusive:
                boxes = self.multiple[category_id]
                # An exclusive code ("none") clears the others, and the others clear it.
                clear = (
                    [c for c in boxes if c != code_id]
                    if code_id in cat.exclusive
                    else [c for c in cat.exclusive if c in boxes]
                )
                self._loading = True
                try:
                    for other in clear:
                        boxes[other].value = False
                finally:
                    self._loading = False
            self._on_change(change)

        return handler

    def form_coding(self) -> dict[str, Any]:
        """The coding currently shown in the form."""
        coding: dict[str, Any] = {}
        for cat in self.book.categories:
            if cat.multiple:
                boxes = self.multiple[cat.id]
                coding[cat.id] = [c for c in cat.code_ids if boxes[c].value]
            else:
                coding[cat.id] = self.single[cat.id].value
        coding["rationale"] = self.rationale.value
        return coding

    def _on_change(self, _change: dict[str, Any]) -> None:
        if self._loading or self.current is None:
            return
        cid = self.current.comment_id
        was_coded = self.is_coded(cid)
        coding = self.form_coding()
        self.codings[cid] = coding
        self._update_complete(cid)
        self.save(cid, coding)
        if self.is_coded(cid) != was_coded:
            self._rebuild_jump()
            self._render_progress()
        self._render_status()
        if self._compared:
            self._render_comparison()

    def _on_names(self, _change: dict[str, Any]) -> None:
        for placeholder in self._placeholders.values():
            placeholder.refresh()
        if self.records:
            self._rebuild_jump()
            self._render()

    # -- rendering ------------------------------------------------------------------------
    def _rebuild_jump(self) -> None:
        options = []
        for i, r in enumerate(self.records, start=1):
            mark = "\u2713" if self.is_coded(r.comment_id) else "\u25cb"
            options.append(
                (f"{mark} {i}. {r.comment_id} \u00b7 {r.label(self.names)}", r.comment_id)
            )
        self._loading = True
        try:
            self.jump.options = options
            self.jump.value = self.current.comment_id if self.current else None
        finally:
            self._loading = False

    def _render_progress(self) -> None:
        n, done = len(self.records), self.coded_count()
        width = round(100 * done / n) if n else 0
        self.progress.value = (
            f'<div style="margin-right:1.2em"><strong>{done} of {n} coded</strong>'
            f'<div aria-hidden="true" style="width:12em;height:0.5em;background:#dde3ea;'
            f'border-radius:3px;margin-top:0.2em"><div style="width:{width}%;height:100%;'
            f'background:#1e6b3a;border-radius:3px"></div></div></div>'
        )

    def _render(self) -> None:
        record = self.current
        if record is None:
            return
        self.position.value = (
            f"Comment {self.index + 1} of {len(self.records)} (reply order) \u00b7 "
            f"{record.comment_id}"
        )
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index >= len(self.records) - 1
        if record.comment_id in self._sensitive:
            if record.comment_id not in self._placeholders:
                self._placeholders[record.comment_id] = SensitiveComment(
                    record, self._sensitive[record.comment_id], names=lambda: self.names
                )
            self.card_box.children = [self._placeholders[record.comment_id]]
        else:
            self.card.value = self._card_html(record)
            self.card_box.children = [self.card]
        self.show_parent.disabled = record.reply_to is None
        self._render_parent()
        self._loading = True
        try:
            self.jump.value = record.comment_id
            coding = self.codings.get(record.comment_id) or empty_coding(self.book)
            for cat in self.book.categories:
                if cat.multiple:
                    for code_id, box in self.multiple[cat.id].items():
                        box.value = code_id in coding[cat.id]
                else:
                    self.single[cat.id].value = coding[cat.id]
            self.rationale.value = coding["rationale"]
        finally:
            self._loading = False
        self._render_progress()
        self._render_status()

    def _card_html(self, record: CommentRecord) -> str:
        # The comment scrolls inside its own box (long comments run to 1,300 words); the box
        # is focusable so that keyboard users can scroll it.
        return (
            f'<div tabindex="0" role="region" aria-label="Comment {esc(record.comment_id)}" '
            f'style="max-height:26em;overflow-y:auto">{comment_html(record, self.names)}</div>'
        )

    def _render_parent(self) -> None:
        record = self.current
        if record is None or not self.show_parent.value or record.reply_to is None:
            self.parent_card.value = ""
            return
        parent = next((r for r in self.records if r.comment_id == record.reply_to), None)
        if parent is None:
            self.parent_card.value = ""
        elif parent.comment_id in self._sensitive:
            self.parent_card.value = _notice(
                f"It replies to {parent.comment_id}, which is shown only behind a content "
                "warning: go to that comment to read it.",
                "warning",
            )
        else:
            self.parent_card.value = (
                f'<div style="{_MUTED};font-size:0.9em;margin-top:0.3em">The comment it '
                f"replies to:</div>{self._card_html(parent)}"
            )

    def _render_status(self) -> None:
        record = self.current
        if record is None:
            return
        self._render_key_panel()
        problems = self.book.check(self.codings.get(record.comment_id) or empty_coding(self.book))
        if problems:
            self._set_status("Still to do for this comment: " + " ".join(problems), "info")
        else:
            self._set_status("This comment is coded. Your codes are saved.", "success")

    def _render_key_panel(self) -> None:
        # After "Compare", the current comment shows its own differences, but only once the
        # student has coded it: the key is not a shortcut around the codebook.
        record = self.current
        if not self._compared or record is None or not self.is_coded(record.comment_id):
            self.key_panel.value = ""
            return
        result = self.comparison_result()
        if result is None or record.comment_id not in result.compared:
            self.key_panel.value = ""
            return
        diffs = result.differences_for(record.comment_id)
        if not diffs:
            self.key_panel.value = _notice(
                "Reference coding: you agree with the key in every category.", "success"
            )
            return
        self.key_panel.value = (
            '<div style="border:1px solid #c8d1dc;border-radius:4px;padding:0.4em 0.7em;'
            'margin-top:0.3em"><strong>Reference coding for this comment</strong>'
            f"{self._differences_html(diffs)}</div>"
        )

    def _differences_html(self, diffs: list[Difference]) -> str:
        book = self.book
        items = []
        for d in diffs:
            label = book.category(d.category_id).label
            line = (
                f"<strong>{esc(label)}</strong>: you chose "
                f"<em>{esc(_codes_text(book, d.category_id, d.student))}</em>; the key says "
                f"<em>{esc(_codes_text(book, d.category_id, d.key))}</em>."
            )
            if d.matches_alternative:
                line += (
                    " <strong>The key marks this case as borderline and accepts your "
                    "choice as the alternative.</strong>"
                )
            elif d.borderline:
                alt = (
                    f" (its alternative: {_codes_text(book, d.category_id, d.alternative)})"
                    if d.alternative
                    else ""
                )
                line += f" The key marks this comment as borderline{esc(alt)}."
            if d.justification:
                line += f"<br><span>Why: {esc(d.justification)}</span>"
            items.append(f"<li style='margin-bottom:0.35em'>{line}</li>")
        return f"<ul style='margin:0.3em 0;padding-left:1.2em'>{''.join(items)}</ul>"

    def _set_status(self, text: str, kind: str) -> None:
        self.status.value = _notice(text, kind)

    # -- comparison -----------------------------------------------------------------------
    def reference(self) -> dict[str, course.ReferenceRecord] | None:
        """The key for this thread, or ``None`` (with a message) when it cannot be loaded."""
        if self._reference is None and self._reference_error is None and self.article_id:
            try:
                self._reference = reference_records(self.article_id)
            except (
                course.CourseDataError,
                AttributeError,
                KeyError,
                TypeError,
                ValueError,
            ) as error:
                self._reference_error = str(error)
        return self._reference

    def comparison_result(self) -> Comparison | None:
        """The comparison of the student's codings with the key (``None`` without a key)."""
        key = self.reference()
        if key is None or self.article_id is None:
            return None
        if self._comparison_cache is None or self._comparison_cache.article_id != self.article_id:
            self._comparison_cache = compare_codings(
                self.article_id,
                self.codings,
                key,
                [r.comment_id for r in self.records],
                self.book,
                complete=self._complete,
            )
        return self._comparison_cache

    def compare(self) -> None:
        """Show the comparison with the reference coding (and keep it up to date)."""
        if not self.records:
            return
        self._compared = True
        self._render_comparison()
        self._render_key_panel()

    def _render_comparison(self) -> None:
        result = self.comparison_result()
        if result is None:
            self.comparison.value = _notice(
                "The reference coding cannot be shown on this computer (the instructor key "
                "is missing or damaged). Your codes are safe; tell your teacher.",
                "warning",
            )
            return
        if not result.compared:
            self.comparison.value = _notice(
                "Code at least one comment completely (every category and the rationale) "
                "before comparing: only fully coded comments are compared.",
                "info",
            )
            return
        self.comparison.value = self._comparison_html(result)

    def _comparison_html(self, result: Comparison) -> str:
        by_id = {r.comment_id: (i, r) for i, r in enumerate(self.records, start=1)}
        rows = []
        for a in result.agreements:
            share = a.share or 0.0
            overlap = f"{a.mean_jaccard:.2f}" if a.mean_jaccard is not None else "\u2013"
            rows.append(
                f"<tr><th scope='row' style='text-align:left'>{esc(a.label)}</th>"
                f"<td>{a.agreeing} of {a.compared}</td><td>{share:.0%}</td><td>{overlap}</td></tr>"
            )
        left_out = []
        if result.not_coded:
            left_out.append(f"{len(result.not_coded)} not yet fully coded")
        if result.no_key:
            left_out.append(f"{len(result.no_key)} without a reference code")
        scope = (
            f"{len(result.compared)} of {result.n_comments} comments compared"
            + (f" ({'; '.join(left_out)}, left out)" if left_out else "")
            + "."
        )
        summary = (
            f"<p><strong>Agreement with the reference coding</strong>: {esc(scope)}</p>"
            "<table style='border-collapse:collapse;margin:0.3em 0' cellpadding='4'>"
            "<caption style='text-align:left;caption-side:bottom;font-size:0.85em;"
            f"{_MUTED}'>A single-choice category agrees when your code is the key's code. "
            "Themes and ego markers agree only when you chose exactly the key's set of codes "
            "(set equality); the mean overlap is the Jaccard index (codes in common divided "
            "by codes chosen by either of you; 1 = same set), averaged over the comments.</caption>"
            "<thead><tr><th scope='col' style='text-align:left'>Category</th>"
            "<th scope='col'>Comments agreeing</th><th scope='col'>Share</th>"
            "<th scope='col'>Mean overlap (Jaccard)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        blocks = []
        key = self.reference() or {}
        for cid in result.compared:
            diffs = result.differences_for(cid)
            if not diffs:
                continue
            number, record = by_id[cid]
            ref = key[cid]
            note = (
                f"<div style='{_MUTED};font-size:0.9em'>The key in short: {esc(ref.note)}</div>"
                if ref.note
                else ""
            )
            blocks.append(
                f"<div style='border-top:1px solid #d5dbe1;padding:0.4em 0'>"
                f"<strong>{esc(cid)}</strong> \u00b7 {esc(record.label(self.names))} "
                f"<span style='{_MUTED}'>(comment {number} of {len(self.records)})</span>"
                f"{self._differences_html(diffs)}{note}</div>"
            )
        agreeing = len(result.compared) - len(blocks)
        heading = (
            f"<p><strong>Where you differ, and why</strong>: {len(blocks)} of "
            f"{len(result.compared)} compared comments differ in at least one category; "
            f"{agreeing} agree with the key in every category. Use \u201cGo to comment\u201d "
            "to look at a comment again; the rationale is not compared.</p>"
        )
        details = (
            "<div tabindex='0' role='region' aria-label='Differences with the reference coding' "
            f"style='max-height:28em;overflow-y:auto;padding-right:0.5em'>{''.join(blocks)}</div>"
            if blocks
            else ""
        )
        return f"<div>{summary}{heading}{details}</div>"


class CodingReflection(Component):
    """A free-text reflection, saved as it is typed (``reflection.<name>``).

    Parameters
    ----------
    name
        The answer's name, e.g. ``"disagreements"``.
    prompt
        What the student is asked (shown above the box).
    session
        The student's session (``None``: a preview that saves nothing).
    label
        The text box's visible label.
    """

    def __init__(
        self,
        name: str,
        prompt: str,
        session: Session | None = None,
        label: str = "Your reflection",
    ) -> None:
        super().__init__(session, key="reflection")
        self.name = name
        self.prompt = widgets.HTML(f"<p>{esc(prompt)}</p>")
        self.text = widgets.Textarea(
            description=label,
            placeholder="Write here; your text is saved as you type.",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="96%", height="10em"),
        )
        self.count = widgets.Label("0 words")
        self.text.observe(self._on_change, "value")
        self.children = [self.prompt, self.text, self.count]
        self._enable()
        self.attach()

    def _enable(self) -> None:
        # Text typed before the student starts could not be saved and would be replaced by
        # the saved text on starting: the box opens once a name is given.
        waiting = self.session is not None and self.session.store is None
        self.text.disabled = waiting
        self.text.placeholder = (
            "Type your name or pseudonym at the top of the page and press Start first."
            if waiting
            else "Write here; your text is saved as you type."
        )

    def _on_change(self, change: dict[str, Any]) -> None:
        self.count.value = f"{len(change['new'].split())} words"
        self.save(self.name, change["new"])

    def _restore(self) -> None:
        self._enable()
        value = self.load(self.name, "")
        self.text.value = value if isinstance(value, str) else ""

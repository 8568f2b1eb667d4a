"""Comment coder: students code every comment of a thread against the codebook, then compare.

The codebook (``cmethics.course.codebook()``) is the only source of codes, definitions and
decision rules: each category's definitions open on demand beside the choices, so that students
apply the codebook rather than their intuition. A comment counts as coded when
``Codebook.check()`` finds no problem in its coding. Every change is saved at once.

Then "Compare with the reference coding" sets the student's codes beside the instructor key
(``cmethics.course.reference_coding()``): per comment and per category, where they differ and
why (the key's justification, and whether the key calls the case borderline), plus the thread's
agreement per category. The comparison itself is :mod:`cmethics.coding` (no widgets, so the
class report can use it); saved codings are read by :mod:`cmethics.answer_format`.

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

from functools import lru_cache
from typing import Any

import ipywidgets as widgets

from cmethics import answer_format, course
from cmethics.coding import (
    CategoryAgreement,
    Comparison,
    Difference,
    compare_codings,
    empty_coding,
    normalize_coding,
    reference_records,
)
from cmethics.widgets import _coder_html as html
from cmethics.widgets._base import Component, Session, notice, on_click_busy
from cmethics.widgets._style import ACCENT, full_width, names_switch
from cmethics.widgets.reader import (
    CommentRecord,
    SensitiveComment,
    ThreadReader,
    load_thread,
    sensitive_comments,
    thread_choices,
)
from cmethics.widgets.reflection import CodingReflection

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
# What a missing or malformed instructor key raises; the coder says so instead of failing.
_KEY_ERRORS = (course.CourseDataError, AttributeError, KeyError, TypeError, ValueError)


@lru_cache(maxsize=512)
def _notice(text: str, kind: str = "info") -> str:
    # notice() builds a widget; callbacks only need its HTML, and the same few messages recur.
    return notice(text, kind).value


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
        self.intro = widgets.HTML(html.intro_html(self.book))
        self.thread = widgets.Dropdown(
            options=[("Choose a thread\u2026", ""), *choices],
            value="",
            description="Thread to code",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="40em", max_width="100%"),
        )
        self.show_names = names_switch(not pseudonymize)
        self.workspace = self._build_workspace()
        self._wire()
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

    # -- building -------------------------------------------------------------------------
    def _build_workspace(self) -> widgets.VBox:
        """Everything below the choice of thread: move, read, code, compare."""
        navigation = self._build_navigation()
        reading = self._build_reading()
        self.form = self._build_form()
        self._build_comparison()
        return widgets.VBox(
            [
                widgets.HBox([self.progress, self.position]),
                navigation,
                widgets.HBox([reading, self.form], layout=widgets.Layout(flex_flow="row wrap")),
                self.read_thread,
                self.thread_reader_box,
                widgets.HTML('<hr style="margin:0.8em 0">'),
                self.compare_button,
                self.comparison,
            ]
        )

    def _build_navigation(self) -> widgets.HBox:
        """Progress, position and the buttons that move through the thread."""
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
        return widgets.HBox(
            [self.previous_button, self.next_button, self.next_uncoded_button, self.jump],
            layout=widgets.Layout(flex_flow="row wrap"),
        )

    def _build_reading(self) -> widgets.VBox:
        """The comment being coded, and optionally the one it replies to."""
        self.card = widgets.HTML()
        self.card_box = widgets.VBox([self.card], layout=widgets.Layout(width="100%"))
        self.show_parent = widgets.Checkbox(
            value=False,
            description="Also show the comment it replies to",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.parent_card = widgets.HTML()
        return widgets.VBox(
            [self.card_box, self.show_parent, self.parent_card],
            layout=widgets.Layout(flex="1 1 26em", min_width="20em"),
        )

    def _build_form(self) -> widgets.VBox:
        """One block per codebook category, then the rationale, the status and the key."""
        self.single: dict[str, widgets.RadioButtons] = {}
        self.multiple: dict[str, dict[str, widgets.Checkbox]] = {}
        self.help: dict[str, widgets.ToggleButton] = {}
        self.help_text: dict[str, widgets.HTML] = {}
        blocks = [self._build_category(cat) for cat in self.book.categories]
        spec = self.book.rationale
        self.rationale = widgets.Textarea(
            description=spec.label,
            placeholder=spec.prompt,
            style={"description_width": "initial"},
            layout=full_width(height="6em"),
        )
        self.rationale_help = widgets.HTML(html.rationale_help_html(spec))
        self.status = widgets.HTML()
        self.key_panel = widgets.HTML()
        return widgets.VBox(
            [*blocks, self.rationale_help, self.rationale, self.status, self.key_panel],
            layout=widgets.Layout(flex="1 1 24em", min_width="20em", padding="0 0 0 0.8em"),
        )

    def _build_category(self, cat: course.CodebookCategory) -> widgets.VBox:
        """A category's question, its choices and its "What the codes mean" toggle."""
        control: widgets.Widget
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
            self.multiple[cat.id] = boxes
            row = widgets.Layout(flex_flow="row wrap")
            control = widgets.HBox(list(boxes.values()), layout=row)
        else:
            control = self.single[cat.id] = widgets.RadioButtons(
                options=[(code.label, code.id) for code in cat.codes],
                value=None,
                description=cat.label,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
        # A toggle rather than an Accordion: the Accordion's closed headers are grey on grey
        # (3.8:1) in the book's static previews; the definitions render on demand.
        self.help[cat.id] = widgets.ToggleButton(
            value=False,
            description="What the codes mean",
            icon="question-circle",
            tooltip=f"Show or hide the definitions and decision rules: {cat.label}",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        self.help_text[cat.id] = widgets.HTML()
        heading = widgets.HTML(html.heading_html(cat))
        return widgets.VBox([heading, control, self.help[cat.id], self.help_text[cat.id]])

    def _build_comparison(self) -> None:
        """The compare button and its result, and the whole-thread reader toggle."""
        self.compare_button = widgets.Button(
            description="Compare with the reference coding",
            icon="balance-scale",
            style={"button_color": ACCENT, "text_color": "#ffffff"},
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

    def _wire(self) -> None:
        """Connect every control to its handler."""
        for cat in self.book.categories:
            if cat.multiple:
                for code_id, box in self.multiple[cat.id].items():
                    box.observe(self._checkbox_handler(cat.id, code_id), "value")
            else:
                self.single[cat.id].observe(self._on_change, "value")
            self.help[cat.id].observe(self._help_handler(cat, self.help_text[cat.id]), "value")
        self.rationale.observe(self._on_change, "value")
        self.read_thread.observe(lambda _: self._render_reader(), "value")
        self.thread.observe(self._on_thread, "value")
        self.show_names.observe(self._on_names, "value")
        self.show_parent.observe(lambda _: self._render_parent(), "value")
        self.previous_button.on_click(lambda _: self.go_to_index(self.index - 1))
        self.next_button.on_click(lambda _: self.go_to_index(self.index + 1))
        self.next_uncoded_button.on_click(lambda _: self.next_uncoded())
        self.jump.observe(self._on_jump, "value")
        on_click_busy(self.compare_button, "Comparing\u2026", self.compare)

    def _show_when_started(self) -> None:
        # Codes typed before the student has started could not be saved, and starting would
        # replace them with the saved ones: the coder waits for a name instead.
        waiting = self.session is not None and self.session.store is None
        self.body.layout.display = "none" if waiting else None
        wait = (
            "Type your name or pseudonym at the top of the page and press Start: the "
            "coder opens then, so that every code you choose is saved."
        )
        self.waiting.value = _notice(wait, "warning") if waiting else ""

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
            chosen = answer_format.parse_choice(self.session.load(THREAD_KEY), self._valid_threads)
            saved = chosen.value
            if saved is not None and saved != self.article_id:
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
            target.value = html.help_html(cat) if change["new"] else ""

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
        self.progress.value = html.progress_html(self.coded_count(), len(self.records))

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
            self.card.value = html.card_html(record, self.names)
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
            self.parent_card.value = html.parent_html(parent, self.names)

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
        self.key_panel.value = html.key_panel_html(self.book, diffs)

    def _set_status(self, text: str, kind: str) -> None:
        self.status.value = _notice(text, kind)

    # -- comparison -----------------------------------------------------------------------
    def reference(self) -> dict[str, course.ReferenceRecord] | None:
        """The key for this thread, or ``None`` (with a message) when it cannot be loaded."""
        if self._reference is None and self._reference_error is None and self.article_id:
            try:
                self._reference = reference_records(self.article_id)
            except _KEY_ERRORS as error:
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
        self.comparison.value = html.comparison_html(
            self.book, result, self.records, self.reference() or {}, self.names
        )

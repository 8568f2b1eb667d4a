"""Thread reader: one comment thread as an indented reply tree, filtered by speaker.

Students read a thread the way it unfolds: every reply sits under the comment it answers, with
a discreet note saying how we know ("replies to Commenter 03 (by address)"). The article's
author is marked. Commenters appear under pseudonyms unless the student chooses to see the
names as printed on the page (article authors always keep their names). Long threads are
shown ten comments at a time.

Corpus text is untrusted: it reaches the page only through ``esc()``. The abusive comment
under source 003 (``003-c002``) is never displayed without warning: it is replaced by a
collapsed placeholder with a content warning and a "Show this comment" button; not clicking
is the opt-out.

The reader is a reading aid: it writes no answers.

>>> from cmethics.widgets import ThreadReader
>>> reader = ThreadReader("004")          # display(reader) in a notebook
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from cmethics import corpus, course, threads
from cmethics.widgets._base import Component, Session, esc
from cmethics.widgets._style import ACCENT, MUTED, names_switch

__all__ = [
    "CommentRecord",
    "SensitiveComment",
    "ThreadReader",
    "comment_html",
    "load_thread",
    "sensitive_comments",
    "thread_choices",
]

PAGE_SIZE = 10
_INDENT_EM = 1.6
_MAX_INDENT = 5  # deeper replies stop shifting right, so that text stays readable

_BASIS = {
    "nesting": "by nesting",
    "address": "by address",
    "content": "by content",
}
BASIS_LEGEND = (
    "Replies are indented under the comment they answer. How we know: "
    "\u201cby nesting\u201d, the page nests the reply under it; \u201cby address\u201d, "
    "the reply names the person it answers; \u201cby content\u201d, we inferred it from "
    "what the reply says."
)


def _text(value: Any) -> str | None:
    """A cell as text, or ``None`` when it is missing."""
    return None if value is None or pd.isna(value) else str(value)


@dataclass(frozen=True)
class CommentRecord:
    """One comment of a thread, ready for display in both naming modes.

    ``*_pseudo`` fields hold the pseudonymised labels (authors keep their names), ``*_name``
    fields the names as printed on the page (pseudonyms for unsigned comments).
    """

    comment_id: str
    position: int
    tree_position: int
    depth: int
    speaker_id: str
    is_article_author: bool
    label_pseudo: str
    label_name: str
    reply_to: str | None
    reply_basis: str | None
    reply_label_pseudo: str | None
    reply_label_name: str | None
    addressee_pseudo: str | None
    addressee_name: str | None
    text: str
    n_words: int

    def label(self, names: bool) -> str:
        """The speaker as shown: printed name (``names``) or pseudonym."""
        return self.label_name if names else self.label_pseudo

    def reply_label(self, names: bool) -> str | None:
        """Who this comment answers, as shown."""
        return self.reply_label_name if names else self.reply_label_pseudo

    def addressee(self, names: bool) -> str | None:
        """Whom the comment names, as shown."""
        return self.addressee_name if names else self.addressee_pseudo


def load_thread(article_id: str) -> tuple[CommentRecord, ...]:
    """One thread's comments in reply-tree order, with both naming modes.

    Parameters
    ----------
    article_id
        ``"000"`` to ``"004"``.

    Returns
    -------
    tuple of CommentRecord
        Depth-first reply order (``cmethics.threads.tree_order``): each reply right after the
        comment it answers.

    Raises
    ------
    KeyError
        If there is no such article.
    """
    pseudo = corpus.thread(article_id, pseudonymize=True)
    named = corpus.thread(article_id, pseudonymize=False).set_index("comment_id")
    order = threads.tree_order(article_id)["comment_id"].tolist()
    rank = {cid: i + 1 for i, cid in enumerate(order)}
    records = []
    for row in pseudo.itertuples(index=False):
        cid = str(row.comment_id)
        printed = named.loc[cid]
        records.append(
            CommentRecord(
                comment_id=cid,
                position=int(row.position),
                tree_position=rank.get(cid, len(rank) + int(row.position)),
                depth=int(row.depth) if not pd.isna(row.depth) else 0,
                speaker_id=str(row.speaker_id),
                is_article_author=bool(row.is_article_author),
                label_pseudo=str(row.speaker_label),
                label_name=str(printed["speaker_label"]),
                reply_to=_text(row.reply_to),
                reply_basis=_text(row.reply_basis),
                reply_label_pseudo=_text(row.reply_to_speaker),
                reply_label_name=_text(printed["reply_to_speaker"]),
                addressee_pseudo=_text(row.addressee),
                addressee_name=_text(printed["addressee"]),
                text=_text(row.text) or "",
                n_words=int(row.n_words) if not pd.isna(row.n_words) else 0,
            )
        )
    return tuple(sorted(records, key=lambda r: r.tree_position))


def thread_choices() -> list[tuple[str, str]]:
    """Dropdown options for the five threads: ``(label, article_id)``, with comment counts."""
    articles = corpus.articles()
    options = []
    for row in articles.itertuples(index=False):
        n = int(row.comments_present)
        options.append((f"{row.article_id} \u2013 {row.title} ({n} comments)", str(row.article_id)))
    return options


def sensitive_comments() -> dict[str, str]:
    """Comments shown only behind a content warning: ``{comment_id: neutral description}``.

    Taken from the course data, so that the reader, the coder and the moderation case agree:
    the moderation case's comment and every codebook example whose quote is withheld.
    """
    case = course.moderation_case()
    found = {case.comment.comment_id: case.comment.description}
    for category in course.codebook().categories:
        for code in category.codes:
            if code.example.withheld and code.example.comment_id not in found:
                found[code.example.comment_id] = code.example.why
    return found


# --------------------------------------------------------------------------- rendering

_BOX = (
    "border-left:3px solid {border};background:{background};padding:0.45em 0.7em;"
    "margin:0.35em 0 0.35em {indent}em;border-radius:3px"
)
_META = f"font-size:0.88em;color:{MUTED};margin-bottom:0.25em"
_BADGE = (
    f"display:inline-block;background:{ACCENT};color:#ffffff;font-size:0.8em;"
    "padding:0 0.45em;border-radius:3px;margin-left:0.4em"
)


def comment_html(record: CommentRecord, names: bool, show_text: bool = True) -> str:
    """One comment as an HTML card (every piece of corpus text escaped).

    Parameters
    ----------
    record
        The comment.
    names
        Show printed names rather than pseudonyms.
    show_text
        ``False`` gives the header only (used under a content warning).
    """
    indent = min(record.depth, _MAX_INDENT) * _INDENT_EM
    author = record.is_article_author
    style = _BOX.format(
        border=ACCENT if author else "#8a96a3",
        background="#f1f6fb" if author else "#fafafa",
        indent=f"{indent:g}",
    )
    meta = [f"<strong>{esc(record.label(names))}</strong>"]
    if author:
        meta.append(f'<span style="{_BADGE}">article\u2019s author</span>')
    meta.append(f" \u00b7 {esc(record.comment_id)}")
    reply = record.reply_label(names)
    if record.reply_to and reply:
        basis = _BASIS.get(record.reply_basis or "", "")
        meta.append(f" \u00b7 replies to {esc(reply)}" + (f" ({esc(basis)})" if basis else ""))
    else:
        addressee = record.addressee(names)
        if addressee and not addressee.startswith("("):
            meta.append(f" \u00b7 addresses {esc(addressee)}")
    body = ""
    if show_text:
        body = (
            f'<div lang="fr" style="white-space:pre-wrap;line-height:1.45">{esc(record.text)}</div>'
        )
    return (
        f'<div class="cmethics-comment" data-comment="{esc(record.comment_id)}" '
        f'style="{style}"><div style="{_META}">{"".join(meta)}</div>{body}</div>'
    )


class SensitiveComment(widgets.VBox):
    """A comment kept out of sight behind a content warning until the student asks for it.

    Parameters
    ----------
    record
        The comment.
    description
        A neutral description of what the comment contains (no quotation).
    names
        Callable returning whether printed names are shown (read at render time).
    indent_em
        Left margin, to keep the comment's place in the reply tree.

    Attributes
    ----------
    warning
        The content warning (HTML, always shown).
    show_button
        "Show this comment" / "Hide this comment".
    content
        The comment itself, empty until the student clicks.
    """

    def __init__(
        self,
        record: CommentRecord,
        description: str,
        names: Callable[[], bool] = lambda: False,
        indent_em: float = 0.0,
    ) -> None:
        self.record = record
        self._names = names
        self.revealed = False
        self.warning = widgets.HTML()
        self.show_button = widgets.Button(
            description="Show this comment",
            tooltip="Display the comment's text; you can hide it again",
            icon="eye",
            layout=widgets.Layout(
                width="auto", align_self="flex-start", margin=f"0 0 0.3em {indent_em:g}em"
            ),
        )
        self.content = widgets.HTML()
        self.show_button.on_click(lambda _: self.toggle())
        self._description = description
        super().__init__([self.warning, self.show_button, self.content])
        self.refresh()

    def toggle(self) -> None:
        """Show the hidden comment, or hide it again."""
        self.revealed = not self.revealed
        self.refresh()

    def refresh(self) -> None:
        """Re-render (after a change of naming mode or of the revealed state)."""
        names = self._names()
        indent = min(self.record.depth, _MAX_INDENT) * _INDENT_EM
        self.warning.value = (
            f'<div role="note" style="border-left:4px solid #8a4b00;background:#fff4e5;'
            f"color:#4d2c00;padding:0.45em 0.7em;margin:0.35em 0 0.2em {indent:g}em;"
            f'border-radius:3px"><strong>Content warning</strong> \u00b7 '
            f"{esc(self.record.label(names))} \u00b7 {esc(self.record.comment_id)}<br>"
            f"{esc(self._description)} The comment is hidden. You can read it to judge it "
            f"for yourself, or leave it hidden and carry on: nothing is recorded either way."
            f"</div>"
        )
        self.show_button.description = "Hide this comment" if self.revealed else "Show this comment"
        self.show_button.icon = "eye-slash" if self.revealed else "eye"
        self.content.value = comment_html(self.record, names) if self.revealed else ""


class ThreadReader(Component):
    """One comment thread as an indented reply tree, with a speaker filter.

    Parameters
    ----------
    article_id
        The thread: ``"000"`` to ``"004"``.
    session
        The student's session; the reader saves nothing, so ``None`` is the usual choice.
    pseudonymize
        Start with pseudonyms for commenters (the default) rather than printed names. A
        check box lets the student switch.

    Attributes
    ----------
    speaker
        Dropdown: "All speakers" or one speaker (with their number of comments).
    show_names
        Check box: printed names instead of pseudonyms.
    previous_button, next_button, page_label
        Paging through long threads (ten comments a page).
    body
        The comments shown.

    Notes
    -----
    Writes no answers.
    """

    def __init__(
        self,
        article_id: str,
        session: Session | None = None,
        pseudonymize: bool = True,
    ) -> None:
        super().__init__(session, key=f"reader.{article_id}")
        self.article_id = article_id
        self.records = load_thread(article_id)
        self._by_id = {r.comment_id: r for r in self.records}
        self._sensitive_text = sensitive_comments()
        self._placeholders: dict[str, SensitiveComment] = {}
        self._html_pool: list[widgets.HTML] = []
        self._page = 0

        self.header = widgets.HTML(self._header_html())
        self.speaker = widgets.Dropdown(
            description="Speaker",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="30em"),
        )
        self.show_names = names_switch(value=not pseudonymize)
        self.previous_button = widgets.Button(
            description="Previous", icon="arrow-left", tooltip="Previous comments"
        )
        self.next_button = widgets.Button(
            description="Next", icon="arrow-right", tooltip="Next comments"
        )
        self.page_label = widgets.Label()
        self.legend = widgets.HTML(
            f'<div style="font-size:0.85em;color:{MUTED};margin:0.2em 0">{esc(BASIS_LEGEND)}</div>'
        )
        self.body = widgets.VBox(layout=widgets.Layout(width="100%"))

        self._set_speaker_options()
        self.speaker.observe(self._on_filter, "value")
        self.show_names.observe(self._on_names, "value")
        self.previous_button.on_click(lambda _: self.go_to_page(self._page - 1))
        self.next_button.on_click(lambda _: self.go_to_page(self._page + 1))
        self.children = [
            self.header,
            widgets.HBox(
                [self.speaker, self.show_names], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.legend,
            self.body,
            widgets.HBox([self.previous_button, self.page_label, self.next_button]),
        ]
        self._render()
        self.attach()

    # -- data -----------------------------------------------------------------------------
    def _header_html(self) -> str:
        row = corpus.articles().set_index("article_id").loc[self.article_id]
        author = _text(row["author"]) or "not named on the page"
        claimed = row["comments_claimed"]
        count = f"{int(row['comments_present'])} comments on the saved page"
        if not pd.isna(claimed) and int(claimed) != int(row["comments_present"]):
            count += f" (the page announces {int(claimed)})"
        return (
            f'<div style="margin-bottom:0.3em"><span style="font-size:1.1em" lang="fr">'
            f"<strong>{esc(row['title'])}</strong></span><br>"
            f'<span style="color:{MUTED}">Source {esc(self.article_id)} \u00b7 '
            f"article by {esc(author)} \u00b7 {esc(count)}</span></div>"
        )

    @property
    def names(self) -> bool:
        """Whether printed names are shown instead of pseudonyms."""
        return bool(self.show_names.value)

    def _set_speaker_options(self) -> None:
        counts: dict[str, int] = {}
        first: dict[str, CommentRecord] = {}
        for r in sorted(self.records, key=lambda r: r.position):
            counts[r.speaker_id] = counts.get(r.speaker_id, 0) + 1
            first.setdefault(r.speaker_id, r)
        # The article's author first, then commenters in order of first appearance.
        ordered = sorted(first.values(), key=lambda r: (not r.is_article_author, r.position))
        options = [(f"All speakers ({len(self.records)} comments)", "")]
        for r in ordered:
            n = counts[r.speaker_id]
            role = " (article\u2019s author)" if r.is_article_author else ""
            noun = "comment" if n == 1 else "comments"
            options.append((f"{r.label(self.names)}{role} \u2013 {n} {noun}", r.speaker_id))
        current = self.speaker.value
        self.speaker.options = options
        self.speaker.value = current if current in {v for _, v in options} else ""

    def filtered(self) -> list[CommentRecord]:
        """The comments that the speaker filter keeps, in reply-tree order."""
        chosen = self.speaker.value
        if not chosen:
            return list(self.records)
        return [r for r in self.records if r.speaker_id == chosen]

    @property
    def page_count(self) -> int:
        """Number of pages for the current filter."""
        return max(1, -(-len(self.filtered()) // PAGE_SIZE))

    def visible(self) -> list[CommentRecord]:
        """The comments on the current page."""
        start = self._page * PAGE_SIZE
        return self.filtered()[start : start + PAGE_SIZE]

    # -- events ---------------------------------------------------------------------------
    def _on_filter(self, _change: dict[str, Any]) -> None:
        self._page = 0
        self._render()

    def _on_names(self, _change: dict[str, Any]) -> None:
        self._set_speaker_options()
        for placeholder in self._placeholders.values():
            placeholder.refresh()
        self._render()

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (0-based; clipped to the pages that exist)."""
        self._page = max(0, min(page, self.page_count - 1))
        self._render()

    def go_to(self, comment_id: str) -> None:
        """Show the page that holds ``comment_id`` (clearing the speaker filter if needed)."""
        ids = [r.comment_id for r in self.filtered()]
        if comment_id not in ids:
            self.speaker.value = ""
            ids = [r.comment_id for r in self.filtered()]
        if comment_id in ids:
            self.go_to_page(ids.index(comment_id) // PAGE_SIZE)

    # -- rendering ------------------------------------------------------------------------
    def placeholder(self, comment_id: str) -> SensitiveComment:
        """The content-warning placeholder of a sensitive comment (created once)."""
        if comment_id not in self._placeholders:
            record = self._by_id[comment_id]
            self._placeholders[comment_id] = SensitiveComment(
                record,
                self._sensitive_text[comment_id],
                names=lambda: self.names,
                indent_em=min(record.depth, _MAX_INDENT) * _INDENT_EM,
            )
        return self._placeholders[comment_id]

    def _html_widget(self, index: int, value: str) -> widgets.HTML:
        while len(self._html_pool) <= index:
            self._html_pool.append(widgets.HTML())
        self._html_pool[index].value = value
        return self._html_pool[index]

    def _render(self) -> None:
        # Consecutive ordinary comments share one HTML widget; a sensitive comment gets its
        # own placeholder. Widgets are reused between pages, so paging stays fast.
        children: list[widgets.Widget] = []
        run: list[str] = []
        used = 0
        for record in self.visible():
            if record.comment_id in self._sensitive_text:
                if run:
                    children.append(self._html_widget(used, "".join(run)))
                    used, run = used + 1, []
                children.append(self.placeholder(record.comment_id))
            else:
                run.append(comment_html(record, self.names))
        if run or not children:
            children.append(self._html_widget(used, "".join(run) or "<p>No comment to show.</p>"))
        self.body.children = children
        total = len(self.filtered())
        start = self._page * PAGE_SIZE
        shown = len(self.visible())
        if not total:
            self.page_label.value = "No comments"
        elif shown == 1:  # one speaker's only comment, or a last page of one
            self.page_label.value = f"Comment {start + 1} of {total}"
        else:
            self.page_label.value = f"Comments {start + 1}\u2013{start + shown} of {total}"
        self.previous_button.disabled = self._page == 0
        self.next_button.disabled = self._page >= self.page_count - 1

    def html(self) -> str:
        """Every HTML value currently shown in the comment area (for tests and previews)."""
        parts = []
        for child in self.body.children:
            if isinstance(child, SensitiveComment):
                parts.extend([child.warning.value, child.content.value])
            elif isinstance(child, widgets.HTML):
                parts.append(child.value)
        return "".join(parts)

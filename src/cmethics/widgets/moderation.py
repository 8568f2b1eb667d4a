"""Moderation case: the abusive comment under source 003, behind a content warning.

The second comment under source 003 (``003-c002``) is made of obscene and racist insults. The
case (``cmethics.course.moderation_case()``) asks the student what a community manager should do
about it. The comment's text is loaded from the corpus only when the student asks to read it,
after a content warning; an explicit opt-out gives a neutral description instead, and the whole
case can be done without ever seeing the comment. The student then chooses a response, justifies
it, and only then sees its consequences, what the course's texts and today's professional codes
say about it, and how the other responses compare.

>>> from cmethics.widgets import ModerationCase
>>> case = ModerationCase()          # display(case) in a notebook; saves nothing
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from cmethics import answer_format, corpus, course
from cmethics.widgets._base import Component, Session, esc, notice, plural, primary_button
from cmethics.widgets._style import MUTED, OURS, PANEL, QUOTE, WARNING, full_width

__all__ = [
    "MIN_CHARS",
    "STAKEHOLDERS",
    "TRANSLATIONS",
    "ModerationCase",
    "translation",
]

#: Characters of justification needed before the consequences are shown.
MIN_CHARS = 200

#: Who bears a consequence, in plain English (``consequences[].for`` in the course data).
STAKEHOLDERS = {
    "readers": "Readers",
    "targets": "The people targeted by the insults",
    "the_site": "The site (or the brand)",
    "the_cm": "You, the community manager",
    "the_author_of_the_comment": "The comment\u2019s author",
}

#: Our English translations of the passages the case quotes, keyed by the French as quoted.
TRANSLATIONS = {
    "J’essaye de ne pas lire le commentaire stupide précédent.": (
        "I am trying not to read the stupid previous comment."
    ),
    "Donc le contre pouvoir se met en place naturellement dès que quelqu'un prend une place "
    'que "la communauté" n\'estime pas appropriée': (
        "So the counter-power sets itself up naturally as soon as someone takes a place that "
        "\u201cthe community\u201d does not consider appropriate"
    ),
    "je laisse souvent ma communauté gérer les trolls": (
        "I often let my community deal with the trolls"
    ),
    "lorsqu’un internaute ressent un ton hautain ou dédaigneux, il ne l’attribut pas à la "
    "personne qui tape sur son ccccccclavier mais bien à l’enseigne qu’il représente.": (
        "when web users sense a haughty or scornful tone, they do not attribute it to the "
        "person typing on the kkkkkkkeyboard [sic] but to the brand that person represents."
    ),
    "une simple réponse personnalisé, humoristique ou honnête aura un toujours un impact "
    "plus direct": (
        "a simple personal, humorous or honest reply will always have a more direct impact"
    ),
    "vous co-existez dans un espace que vous contribuez à rendre plus structuré et efficace "
    "pour répondre à leurs besoins": (
        "you co-exist in a space that you help to make more structured and effective in "
        "meeting their needs"
    ),
    "la « profession » que j’exerce requiert un tacte particulier et une éthique forte": (
        "the \u201cprofession\u201d I practise requires particular tact and strong ethics"
    ),
    "La confiance ça se travaille dans le temps, ça se gagne par des petits actes enchaînés "
    "qui montre l’attention que l’on porte au groupe.": (
        "Trust is built over time; it is earned through a chain of small acts that show the "
        "attention one pays to the group."
    ),
    "si l'on imagine que les communautés ont un réel besoin d'aide, de support, "
    "d'accompagnement, simple, loyal et efficace": (
        "if we imagine that communities have a real need for help, support and guidance that "
        "is simple, loyal and effective"
    ),
    "Gérer est en effet un bien grand mot : quand on parle de maintenir tout une communauté "
    "en congruence avec toute une organisation, ce n'est jamais que de l'ajustement "
    "permanent.": (
        "\u201cManage\u201d is indeed a big word: when we talk about keeping a whole "
        "community in line with a whole organisation, it is never more than constant "
        "adjustment."
    ),
    "outils verifications des intervenants (limites du nombres de caracteres, outils de "
    "captcha).Je trouve que l'apparition de tous ces outils sont semblable a une course a "
    "l'armement": (
        "tools for checking contributors (limits on the number of characters, captcha "
        "tools). I find that the arrival of all these tools is like an arms race"
    ),
    "leurs tentatives de contrôle ressemblent à une farce ubuesque, une parodie d'autorité.": (
        "their attempts at control look like an Ubu-esque farce, a parody of authority."
    ),
    "Il est le ventre mou de la comm', coincé entre les nécessités impérieuses du business "
    "et celles de la modération.": (
        "He is the soft underbelly of communications, caught between the pressing needs of "
        "business and those of moderation."
    ),
}

_NORMALISED = {corpus.normalize_ws(k): v for k, v in TRANSLATIONS.items()}


def translation(quote: str) -> str | None:
    """Our English translation of a passage the case quotes (``None`` if we have none)."""
    return _NORMALISED.get(corpus.normalize_ws(quote))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


class ModerationCase(Component):
    """The moderation case: content warning, opt-out, a response to choose and justify.

    Parameters
    ----------
    session
        The student's session; ``None`` for a preview that saves nothing.

    Attributes
    ----------
    show_button, skip_button
        Read the comment (after the warning) or skip it and use the description.
    comment_view
        The comment, empty until the student asks for it (and again after "Hide").
    choice
        ``RadioButtons`` of the responses (none chosen at first).
    justification
        ``Textarea`` for the written justification.
    reveal_button
        "See the consequences": disabled, with the reason under it and in its tooltip, until a
        response is chosen and the justification has at least ``MIN_CHARS`` characters.
    feedback
        Consequences, the texts' arguments and the references' principles for the choice.
    compare_with, comparison
        Another response to compare with, and its panel.

    Notes
    -----
    Saved answers (in the session's exercise, ``role`` in the course):

    Whether the student read the comment or skipped it is NOT saved: the content warning
    promises that this choice is not part of the answer, so it never reaches the exported
    file or the class report. After a restart the case starts again from the warning.

    ``moderation.choice``
        The chosen response's id (``data/course/moderation_case.yaml``), or ``null``.
    ``moderation.justification``
        The justification (text), saved on every change.
    ``moderation.first_choice``
        The response chosen when the consequences were first shown (a later change of mind is
        in ``moderation.choice``).
    ``moderation.feedback_seen``
        ``true`` once the consequences have been shown.
    """

    def __init__(self, session: Session | None = None) -> None:
        super().__init__(session, key="moderation")
        self.case = course.moderation_case()
        self._options = {o.id: o for o in self.case.options}
        self._speakers = corpus.comments(pseudonymize=True).set_index("comment_id")["speaker"]
        self._showing = False
        self.viewed = False
        self.opted_out = False
        self.feedback_seen = False
        self._first_choice: str | None = None

        warning = self.case.content_warning
        self.header = widgets.HTML(self._header_html())
        self.warning = widgets.HTML(self._warning_html())
        self.show_button = widgets.Button(
            description=warning.show_label,
            icon="eye",
            tooltip="Display the comment; you can hide it again",
            layout=widgets.Layout(width="auto"),
        )
        self.skip_button = primary_button(
            description=warning.opt_out_label,
            icon="eye-slash",
            tooltip="Work from a neutral description; you will not see the comment",
            layout=widgets.Layout(width="auto"),
        )
        self.comment_view = widgets.HTML()
        self.description = widgets.HTML()
        self.reactions = widgets.HTML(self._reactions_html())
        self.choice = widgets.RadioButtons(
            options=[(o.label, o.id) for o in self.case.options],
            value=None,
            description="Your response",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.choice_description = widgets.HTML()
        self.guidance = widgets.HTML(self._guidance_html())
        self.justification = widgets.Textarea(
            description="Your justification",
            placeholder=(
                "Say what you would do and why: whom it protects, what it costs, one passage "
                "from the texts and one professional reference."
            ),
            style={"description_width": "initial"},
            layout=full_width(height="9em"),
        )
        self.counter = widgets.HTML()
        self.reveal_button = primary_button(
            description="See the consequences",
            icon="balance-scale",
            tooltip="Show what follows from your choice and what the texts and codes say",
            layout=widgets.Layout(width="auto"),
        )
        self.status = widgets.HTML()
        self.feedback = widgets.HTML()
        self.compare_with = widgets.Dropdown(
            description="Compare with",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em", display="none"),
        )
        self.comparison = widgets.HTML()

        self.show_button.on_click(lambda _b: self.toggle_comment())
        self.skip_button.on_click(lambda _b: self.opt_out())
        self.choice.observe(self._on_choice, "value")
        self.justification.observe(self._on_justify, "value")
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.compare_with.observe(lambda _c: self._show_comparison(), "value")

        self.children = [
            self.header,
            self.warning,
            widgets.HBox(
                [self.show_button, self.skip_button], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.comment_view,
            self.description,
            self.reactions,
            widgets.HTML("<h4 style='margin:0.8em 0 0.2em'>What do you do?</h4>"),
            self.choice,
            self.choice_description,
            self.guidance,
            self.justification,
            self.counter,
            widgets.HBox([self.reveal_button]),  # keeps the button its natural width
            self.status,
            self.feedback,
            self.compare_with,
            self.comparison,
        ]
        self._refresh()
        self.attach()

    # -- fixed text ---------------------------------------------------------------------------
    def _header_html(self) -> str:
        return (
            f"<div><h4 style='margin:0.2em 0'>{esc(self.case.title)}</h4>"
            f"<p style='margin:0.3em 0'>{esc(self.case.situation)}</p></div>"
        )

    def _warning_html(self) -> str:
        warning = self.case.content_warning
        return (
            f"<div role='note' style='{WARNING}'><strong>{esc(warning.title)}</strong><br>"
            f"{esc(warning.text)}</div>"
        )

    def _speaker(self, comment_id: str | None, printed: str | None) -> str:
        if comment_id is None:
            return "the article\u2019s author" if printed in (None, "unsigned") else str(printed)
        alias = self._speakers.get(comment_id)
        return "an unsigned commenter" if _missing(alias) else str(alias)

    def _quote_html(self, quote: Any, extra: str) -> str:
        where = f"source {quote.article_id}"
        where += f", comment {quote.comment_id}" if quote.comment_id else ", the article itself"
        speaker = self._speaker(quote.comment_id, getattr(quote, "speaker", None))
        english = translation(quote.quote)
        ours = (
            f"<div style='{OURS}'><em>Our translation:</em> {esc(english)}</div>" if english else ""
        )
        return (
            f"<blockquote lang='fr' style='{QUOTE}'>{esc(quote.quote)}</blockquote>"
            f"<div style='font-size:0.88em;color:{MUTED}'>{esc(speaker)}, {esc(where)}</div>"
            f"{ours}{extra}"
        )

    def _reactions_html(self) -> str:
        if not self.case.reactions_in_thread:
            return ""
        parts = [
            self._quote_html(r, f"<p style='margin:0.2em 0'>{esc(r.note)}</p>")
            for r in self.case.reactions_in_thread
        ]
        return "<h4 style='margin:0.8em 0 0.2em'>How the thread reacted</h4>" + "".join(parts)

    def _guidance_html(self) -> str:
        competent = next(
            (i for i, level in enumerate(self.case.rubric.levels) if level.label == "Competent"),
            len(self.case.rubric.levels) - 2,
        )
        items = "".join(
            f"<li><strong>{esc(c.label)}</strong>: {esc(c.descriptors[competent])}</li>"
            for c in self.case.rubric.criteria
        )
        return (
            "<p style='margin:0.6em 0 0.2em'>Then justify your choice: at least "
            f"{MIN_CHARS} characters (about 35 words); a strong justification is usually "
            "100\u2013200 words. What a sound justification does:</p>"
            f"<ul style='margin:0.2em 0'>{items}</ul>"
        )

    # -- the comment --------------------------------------------------------------------------
    def comment_text(self) -> str:
        """The abusive comment's text, from the corpus (called only when the student asks)."""
        comments = corpus.comments(pseudonymize=True).set_index("comment_id")
        return str(comments.loc[self.case.comment.comment_id, "text"])

    def toggle_comment(self) -> None:
        """Show the comment (after the warning the student has read), or hide it again."""
        if self.comment_view.value:
            self.comment_view.value = ""
        else:
            comment = self.case.comment
            speaker = self._speaker(comment.comment_id, None)
            self.comment_view.value = (
                f"<div style='{PANEL}'><div style='font-size:0.88em;color:{MUTED}'>"
                f"{esc(speaker)} \u00b7 source {esc(comment.article_id)}, comment "
                f"{esc(comment.comment_id)} ({_ordinal(comment.position)} comment on the "
                "page)</div>"
                f"<div lang='fr' style='white-space:pre-wrap;margin:0.4em 0'>"
                f"{esc(self.comment_text())}</div>"
                f"<div style='font-size:0.88em;color:{MUTED}'>We do not translate it: the "
                "description of the case says what it contains.</div></div>"
            )
            self.viewed = True
        self._refresh()

    def opt_out(self) -> None:
        """Work from the neutral description: hide the comment if shown, never load it."""
        self.comment_view.value = ""
        self.opted_out = True
        self._refresh()

    # -- answering ----------------------------------------------------------------------------
    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._showing:
            return
        self.save("choice", change["new"])
        self._refresh()
        if self.feedback_seen:
            self._show_feedback()

    def _on_justify(self, change: dict[str, Any]) -> None:
        if self._showing:
            return
        self.save("justification", change["new"])
        self._update_counter()

    def missing(self) -> list[str]:
        """What the student still has to do before seeing the consequences (empty: nothing)."""
        problems = []
        if self.choice.value is None:
            problems.append("choose a response")
        length = len(self.justification.value.strip())
        if length < MIN_CHARS:
            problems.append(
                f"write at least {MIN_CHARS} characters of justification "
                f"({plural(MIN_CHARS - length, 'more character')})"
            )
        return problems

    def reveal(self) -> None:
        """Show the consequences of the chosen response, once it is chosen and justified."""
        problems = self.missing()
        if problems:
            self.status.value = notice(
                "Before seeing the consequences, " + " and ".join(problems) + ".", "warning"
            ).value
            return
        self.status.value = ""
        if not self.feedback_seen:
            self.feedback_seen = True
            self._first_choice = self.choice.value
            self.save("first_choice", self.choice.value)
            self.save("feedback_seen", True)
        self._show_feedback()

    # -- restoring and rendering --------------------------------------------------------------
    def _restore(self) -> None:
        self.viewed = False  # never remembered (see the class docstring)
        self.opted_out = False
        # The lenient reader: whatever a hand-edited file holds, the case opens.
        seen = answer_format.parse_flag(self.load("feedback_seen", False)).value
        self.feedback_seen = seen is True
        first = answer_format.parse_choice(self.load("first_choice"), self._options)
        self._first_choice = first.value
        choice = answer_format.parse_choice(self.load("choice"), self._options).value
        justification = answer_format.parse_text(self.load("justification", "")).value or ""
        self._showing = True
        try:
            self.comment_view.value = ""  # never shown again without a new click
            self.choice.value = choice
            self.justification.value = justification
        finally:
            self._showing = False
        self._refresh()
        if self.feedback_seen and self.choice.value is not None:
            self._show_feedback()
        else:
            self.feedback.value = ""
            self.comparison.value = ""
            self.compare_with.layout.display = "none"

    def _refresh(self) -> None:
        shown = bool(self.comment_view.value)
        self.show_button.description = (
            "Hide the comment" if shown else self.case.content_warning.show_label
        )
        self.show_button.icon = "eye-slash" if shown else "eye"
        if self.opted_out and not shown:
            self.description.value = (
                f"<div style='{OURS}'>{esc(self.case.content_warning.opt_out_text)}</div>"
            )
        elif self.viewed and not shown:
            self.description.value = (
                f"<div style='font-size:0.9em;color:{MUTED}'>The comment is hidden. "
                f"{esc(self.case.comment.description)}</div>"
            )
        else:
            self.description.value = ""
        option = self._options.get(self.choice.value) if self.choice.value else None
        self.choice_description.value = (
            f"<p style='margin:0.2em 0 0.4em;color:{MUTED}'>{esc(option.description)}</p>"
            if option
            else ""
        )
        self._update_counter()

    def _update_counter(self) -> None:
        length = len(self.justification.value.strip())
        words = len(self.justification.value.split())
        colour = "#1e4620" if length >= MIN_CHARS else MUTED
        problems = self.missing()
        # The button says no until the case says yes, and the line under the box says why.
        self.reveal_button.disabled = bool(problems)
        if problems:
            todo = " and ".join(problems)
            why = f"To see the consequences, {todo}."
            self.reveal_button.tooltip = why
        else:
            why = "You can now see the consequences."
            self.reveal_button.tooltip = (
                "Show what follows from your choice and what the texts and codes say"
            )
        self.counter.value = (
            f"<span style='color:{colour};font-size:0.9em'>{plural(length, 'character')}, "
            f"{plural(words, 'word')}. {esc(why)}</span>"
        )
        if not problems and self.status.value:
            self.status.value = ""  # an earlier "Before seeing the consequences…" is now past

    def option_html(self, option_id: str, heading: str) -> str:
        """One response with its consequences and arguments (all text escaped)."""
        option = self._options[option_id]
        consequences = "".join(
            f"<li><strong>{esc(STAKEHOLDERS.get(c.for_, c.for_))}:</strong> {esc(c.text)}</li>"
            for c in option.consequences
        )
        sources = "".join(
            self._quote_html(
                a, f"<p style='margin:0.2em 0 0.6em'><em>Our commentary:</em> {esc(a.argument)}</p>"
            )
            for a in option.arguments_from_sources
        )
        references = []
        for a in option.arguments_from_references:
            ref = course.professional_reference(a.reference_id)
            year = f", {ref.year}" if ref.year else ""
            references.append(
                f"<li><strong>{esc(ref.short_label)}</strong> ({esc(ref.title)}, "
                f"{esc(ref.organisation)}{esc(year)}): {esc(a.argument)}"
                f"<br><span style='color:{MUTED};font-size:0.92em'><em>What it says on "
                f"moderation, in general:</em> {esc(ref.principles.moderation)}</span></li>"
            )
        return (
            f"<div style='{PANEL}'><h4 style='margin:0.2em 0'>{esc(heading)}: "
            f"{esc(option.label)}</h4><p style='margin:0.2em 0'>{esc(option.description)}</p>"
            "<h5 style='margin:0.6em 0 0.2em'>Consequences</h5>"
            f"<ul style='margin:0.2em 0'>{consequences}</ul>"
            "<h5 style='margin:0.6em 0 0.2em'>What the course\u2019s texts say</h5>"
            f"{sources}"
            "<h5 style='margin:0.6em 0 0.2em'>What today\u2019s codes and references imply "
            "(our paraphrase)</h5>"
            f"<ul style='margin:0.2em 0'>{''.join(references)}</ul></div>"
        )

    def _show_feedback(self) -> None:
        chosen = self.choice.value
        if chosen is None:
            return
        intro = ""
        if self._first_choice and self._first_choice != chosen:
            first = self._options[self._first_choice].label
            intro = (
                f"<p style='margin:0.3em 0;color:{MUTED}'>You first chose \u201c{esc(first)}"
                "\u201d; your answer is now the response below. Say in your justification "
                "what made you change.</p>"
            )
        self.feedback.value = intro + self.option_html(chosen, "Your choice")
        others = [(o.label, o.id) for o in self.case.options if o.id != chosen]
        current = self.compare_with.value
        self._showing = True
        try:
            self.compare_with.options = others
            ids = [value for _label, value in others]
            self.compare_with.value = current if current in ids else ids[0]
        finally:
            self._showing = False
        self.compare_with.layout.display = None
        self._show_comparison()

    def _show_comparison(self) -> None:
        if self._showing or self.compare_with.value is None or not self.feedback_seen:
            return
        self.comparison.value = self.option_html(self.compare_with.value, "Compare with")

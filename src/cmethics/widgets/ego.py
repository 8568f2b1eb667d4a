"""Ego lab: predict, then compute, how often a speaker says "I", "we" and "you".

Source 000 asks community managers to put their ego aside, and its author sums the exercise up
as valuing « vous » (you) rather than « nous » (we). Does the thread itself do so? The student
picks a speaker (the article, its author's replies, one commenter, all commenters), predicts
the rate of first-person singular, first-person plural and second-person pronouns per 100
words, records the prediction, and only then computes the real profile with
``cmethics.text.pronoun_profile``. A bar chart puts prediction and result side by side, and a
reflection closes the lab.

>>> from cmethics.widgets import EgoLab
>>> lab = EgoLab()          # display(lab) in a notebook; saves nothing without a session
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from cmethics import answer_format, corpus, text
from cmethics._caches import data_cache
from cmethics.widgets._base import (
    Component,
    Session,
    esc,
    figure_html,
    notice,
    on_click_busy,
    plural,
    primary_button,
)
from cmethics.widgets._style import (
    ACCENT,
    BORDER,
    MUTED,
    TRANSLATION_BAR,
    full_width,
    names_switch,
)
from cmethics.widgets.reader import thread_choices

__all__ = [
    "CLAIM_FRENCH",
    "CLAIM_TRANSLATION",
    "PRONOUNS",
    "EgoLab",
    "profile",
    "subjects",
    "warm_up",
]

#: The article's sentence that the lab tests (verbatim, source 000, article body).
CLAIM_FRENCH = (
    "Ce qui amène à un exercice peu évident visant à valoriser le « vous » et non le « nous »."
)
#: Our translation of :data:`CLAIM_FRENCH`.
CLAIM_TRANSLATION = (
    "Which makes for a far-from-easy exercise: valuing the \u201cyou\u201d and not the "
    "\u201cwe\u201d."
)

#: The three rates the student predicts: (key, label, French forms counted).
PRONOUNS = (
    ("i", "I", "je, j\u2019, me, moi, mon, ma, mes\u2026"),
    ("we", "We", "nous, notre, nos\u2026"),
    ("you", "You", "tu, te, toi, ton\u2026 and vous, votre, vos\u2026"),
)

#: Below this many words, rates per 100 words swing with a single pronoun.
SMALL_SAMPLE = 100

# The prediction in the grey of our translations, the counts in the student's accent colour.
_PREDICTED = TRANSLATION_BAR
_ACTUAL = ACCENT
_CELL = f"border:1px solid {BORDER};padding:0.25em 0.6em;text-align:right"


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def subjects(article_id: str, names: bool = False) -> list[tuple[str, str]]:
    """Whose words can be profiled in one thread: ``(label, subject id)`` for a Dropdown.

    Parameters
    ----------
    article_id
        ``"000"`` to ``"004"``.
    names
        Label commenters by their names as printed instead of pseudonyms (authors always keep
        their names; unsigned commenters always have a pseudonym).

    Returns
    -------
    list of (str, str)
        ``"body"`` (the article itself), ``"author"`` (its author's replies, if any),
        ``"commenters"`` (every other comment together), then one ``speaker_id`` per commenter
        in order of first appearance.
    """
    paragraphs = corpus.paragraphs()
    body_words = int(paragraphs.loc[paragraphs["article_id"] == article_id, "n_words"].sum())
    pseudo = corpus.comments(pseudonymize=True)
    pseudo = pseudo[pseudo["article_id"] == article_id].sort_values("position")
    printed = corpus.comments(pseudonymize=False).set_index("comment_id")
    options = [(f"The article itself ({body_words} words)", "body")]
    by_author = pseudo[pseudo["is_article_author"].astype(bool)]
    others = pseudo[~pseudo["is_article_author"].astype(bool)]
    if len(by_author):
        first = by_author.iloc[0]["speaker"]
        who = "" if _missing(first) or str(first).startswith("Unnamed") else f", {first}"
        n = len(by_author)
        options.append(
            (
                f"The article\u2019s author in the thread{who} ({n} comment{'s' * (n != 1)})",
                "author",
            )
        )
    if len(others):
        n = len(others)
        options.append((f"All commenters together ({n} comment{'s' * (n != 1)})", "commenters"))
    counts = others.groupby("speaker_id", sort=False).size()
    for speaker_id, n in counts.items():
        row = others[others["speaker_id"] == speaker_id].iloc[0]
        label = str(row["speaker"])
        if names:
            as_printed = printed.loc[row["comment_id"], "speaker"]
            label = label if _missing(as_printed) else str(as_printed)
        options.append((f"{label} ({n} comment{'s' * (n != 1)})", str(speaker_id)))
    return options


_COUNTED = ("i", "we", "you", "you_vous", "you_tu", "on")


@data_cache(maxsize=1)
def _counts() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw pronoun counts per speaker of every thread, and per article body (once per data folder).

    Counts and word totals add up, so any group of speakers is profiled exactly by summing
    rows: each "Compute" is then a lookup, not a pass over the tokens.
    """
    comments = corpus.comments()
    columns = ["comment_id", "text", "article_id", "speaker_id", "is_article_author"]
    by_speaker = text.pronoun_profile(
        comments[columns], by=["article_id", "speaker_id", "is_article_author"]
    )
    n_comments = comments.groupby(["article_id", "speaker_id"]).size().rename("n_comments")
    by_speaker = by_speaker.merge(n_comments.reset_index(), on=["article_id", "speaker_id"])
    paragraphs = corpus.paragraphs()
    body = text.pronoun_profile(paragraphs[["paragraph_id", "text", "article_id"]], by="article_id")
    body["n_comments"] = 0
    return by_speaker, body


def warm_up() -> None:
    """Count every thread and load matplotlib now, so that the first "Compute" is quick."""
    import matplotlib.figure  # noqa: F401  (seconds on a cold start: at construction, not click)

    _counts()


def profile(article_id: str, subject: str) -> dict[str, float | int]:
    """The pronoun profile of one subject of one thread.

    Parameters
    ----------
    article_id
        ``"000"`` to ``"004"``.
    subject
        ``"body"``, ``"author"``, ``"commenters"`` or a ``speaker_id``.

    Returns
    -------
    dict
        ``n_words``, ``n_comments`` (0 for the body) and, per 100 words (two decimals), ``i``,
        ``we``, ``you``, ``you_vous`` (the « vous » forms among ``you``), ``you_tu`` and ``on``,
        as ``cmethics.text.pronoun_profile`` counts them.

    Raises
    ------
    KeyError
        If the subject has no words in that thread.
    """
    by_speaker, body = _counts()
    if subject == "body":
        rows = body[body["article_id"] == article_id]
    else:
        rows = by_speaker[by_speaker["article_id"] == article_id]
        author = rows["is_article_author"].astype(bool)
        if subject == "author":
            rows = rows[author]
        elif subject == "commenters":
            rows = rows[~author]
        else:
            rows = rows[rows["speaker_id"] == subject]
    words = int(rows["n_words"].sum())
    if rows.empty or words == 0:
        raise KeyError(f"nothing to profile for {subject!r} in {article_id}")
    result: dict[str, float | int] = {
        "n_words": words,
        "n_comments": int(rows["n_comments"].sum()),
    }
    for key in _COUNTED:
        result[key] = round(100 * float(rows[key].sum()) / words, 2)
    return result


def _prediction(value: Any) -> dict[str, float] | None:
    """A saved prediction in the documented shape, or ``None`` if unusable."""
    return answer_format.parse_ego_prediction(value).value


class EgoLab(Component):
    """Predict, then compute, the pronoun profile of the speakers of a thread.

    Parameters
    ----------
    session
        The student's session; ``None`` for a preview that saves nothing.
    article_id
        The thread shown first (source 000, the ego article, by default); a Dropdown offers
        the other threads.
    pseudonymize
        Start with pseudonyms for commenters; a check box shows names as printed.

    Attributes
    ----------
    thread, subject
        Dropdowns: which thread, whose words.
    predictions
        ``{"i": BoundedFloatText, "we": …, "you": …}``: predicted rates per 100 words.
    record_button, compute_button
        Record the prediction; compute the real profile (needs a recorded prediction).
    result
        The table, the « vous » note and the chart (HTML).
    reflection
        ``Textarea`` for the closing reflection.

    Notes
    -----
    Saved answers (exercise ``ego``):

    ``ego.prediction.<article_id>.<subject>``
        ``{"i": float, "we": float, "you": float}``, rates per 100 words; written on every
        change of a field and by "Record my prediction". ``subject`` is ``body``, ``author``,
        ``commenters`` or a speaker id (``s002``).
    ``ego.result.<article_id>.<subject>``
        ``{"prediction": {"i", "we", "you"}, "actual": {"i", "we", "you", "you_vous",
        "you_tu", "on", "n_words", "n_comments"}}``, written at the first "Compute": the
        prediction as it stood before the student saw the result. The prediction fields are
        then locked for that subject.
    ``ego.reflection``
        The reflection (text), saved on every change.
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        article_id: str = "000",
        pseudonymize: bool = True,
    ) -> None:
        super().__init__(session, key="ego")
        warm_up()  # a few seconds once per kernel, here rather than at the first click
        self._showing = False
        self._predictions: dict[str, dict[str, float]] = {}
        self._results: dict[str, dict[str, Any]] = {}

        self.claim = widgets.HTML(self._claim_html())
        self.thread = widgets.Dropdown(
            options=thread_choices(),
            value=article_id,
            description="Thread",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="40em"),
        )
        self.show_names = names_switch(value=not pseudonymize)
        self.subject = widgets.Dropdown(
            options=subjects(article_id, names=not pseudonymize),
            description="Whose words?",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="40em"),
        )
        self.predictions = {
            key: widgets.BoundedFloatText(
                value=0.0,
                min=0.0,
                max=100.0,
                step=0.5,
                description=f"{label} ({forms}) per 100 words",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="34em"),
            )
            for key, label, forms in PRONOUNS
        }
        self.record_button = widgets.Button(
            description="Record my prediction",
            icon="pencil",
            tooltip="Keep these three numbers as your prediction",
            layout=widgets.Layout(width="auto"),
        )
        self.compute_button = primary_button(
            description="Compute",
            icon="calculator",
            tooltip="Count the pronouns in these words",
        )
        self.status = widgets.HTML()
        self.result = widgets.HTML()
        self.reflection = widgets.Textarea(
            description="Reflection",
            placeholder=(
                "Was your prediction close? Whom does this speaker put first: themself, a "
                "\u201cwe\u201d, or the reader? Does the thread follow the article\u2019s "
                "advice?"
            ),
            style={"description_width": "initial"},
            layout=full_width(height="7em"),
        )

        self.thread.observe(self._on_thread, "value")
        self.subject.observe(lambda _c: self._show(), "value")
        self.show_names.observe(self._on_names, "value")
        for field in self.predictions.values():
            field.observe(self._on_predict, "value")
        self.record_button.on_click(lambda _b: self.record())
        on_click_busy(self.compute_button, "Computing\u2026", self.compute)
        self.reflection.observe(self._on_reflect, "value")

        self.children = [
            self.claim,
            widgets.HBox(
                [self.thread, self.show_names], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.subject,
            widgets.HTML(
                "<p style='margin:0.6em 0 0.2em'><strong>1. Predict.</strong> How many of "
                "each per 100 words? A rate of 2 means about one in every 50 words. Then press "
                "\u201cRecord my prediction\u201d.</p>"
            ),
            *self.predictions.values(),
            widgets.HTML(
                "<p style='margin:0.6em 0 0.2em'><strong>2. Compute</strong> the real profile "
                "and compare.</p>"
            ),
            widgets.HBox([self.record_button, self.compute_button]),
            self.status,
            self.result,
            widgets.HTML(
                "<p style='margin:0.6em 0 0.2em'><strong>3. Reflect</strong> in a few "
                "sentences, using at least two speakers you computed.</p>"
            ),
            self.reflection,
        ]
        self._show()
        self.attach()

    # -- text ---------------------------------------------------------------------------------
    @staticmethod
    def _claim_html() -> str:
        return (
            "<div><p style='margin:0.2em 0'>Source 000 argues that community managers should "
            "set their ego aside. Its author, Ronan Boussicaud, writes:</p>"
            "<blockquote lang='fr' style='border-left:4px solid #1f4e79;margin:0.4em 0;"
            f"padding:0.3em 0.8em;background:#f5f8fb;color:#1b1f24'>{esc(CLAIM_FRENCH)}"
            "</blockquote>"
            "<div style='border-left:4px solid #8a9bb0;padding:0.2em 0.8em;margin:0.4em 0'>"
            f"<em>Our translation:</em> {esc(CLAIM_TRANSLATION)}</div>"
            "<p style='margin:0.2em 0'>Do the people in the thread do what the article asks? "
            "Predict first, then count. We count pronouns and possessives per 100 words; "
            "\u00ab\u00a0on\u00a0\u00bb is counted apart, not as \u201cwe\u201d.</p></div>"
        )

    # -- state --------------------------------------------------------------------------------
    @property
    def item(self) -> str:
        """The current thread and subject, as used in answer keys (``"000.s002"``)."""
        return f"{self.thread.value}.{self.subject.value}"

    def _restore(self) -> None:
        self._predictions = {}
        self._results = {}
        if self.session is not None and self.session.store is not None:
            for key, value in self.session.store.all().items():
                if key.startswith("ego.prediction."):
                    prediction = _prediction(value)
                    if prediction is not None:
                        self._predictions[key.removeprefix("ego.prediction.")] = prediction
                elif key.startswith("ego.result."):
                    result = answer_format.parse_ego_result(value).value
                    if result is not None:
                        self._results[key.removeprefix("ego.result.")] = result
        reflection = answer_format.parse_text(self.load("reflection", "")).value or ""
        self._showing = True
        try:
            self.reflection.value = reflection
        finally:
            self._showing = False
        self._show()

    # -- events -------------------------------------------------------------------------------
    def _on_thread(self, change: dict[str, Any]) -> None:
        self._showing = True
        try:
            self.subject.options = subjects(change["new"], names=bool(self.show_names.value))
            self.subject.value = "body"
        finally:
            self._showing = False
        self._show()

    def _on_names(self, change: dict[str, Any]) -> None:
        current = self.subject.value
        self._showing = True
        try:
            self.subject.options = subjects(self.thread.value, names=bool(change["new"]))
            self.subject.value = current
        finally:
            self._showing = False
        self._show()

    def _on_predict(self, _change: dict[str, Any]) -> None:
        if self._showing or self.item in self._results:
            return
        self.record(quiet=True)

    def _on_reflect(self, change: dict[str, Any]) -> None:
        if self._showing:
            return
        self.save("reflection", change["new"])

    def record(self, quiet: bool = False) -> None:
        """Save the three predicted rates for the current subject."""
        if self.item in self._results:
            self.status.value = notice(
                "Your prediction for these words was recorded before you computed; it stays "
                "as it was.",
                "info",
            ).value
            return
        prediction = {key: round(float(field.value), 2) for key, field in self.predictions.items()}
        self._predictions[self.item] = prediction
        self.save(f"prediction.{self.item}", prediction)
        if not quiet:
            self.status.value = notice(
                "Prediction recorded. Now press \u201cCompute\u201d.", "success"
            ).value
        else:
            self.status.value = ""

    def compute(self) -> None:
        """Compute the real profile, record the prediction it is compared with, and chart both."""
        item = self.item
        if item not in self._predictions and item not in self._results:
            self.status.value = notice(
                "First type your three predictions and press \u201cRecord my prediction\u201d "
                "(0 is a possible answer).",
                "warning",
            ).value
            return
        try:
            actual = profile(self.thread.value, self.subject.value)
        except KeyError:
            self.status.value = notice("There are no words to count here.", "warning").value
            return
        if item not in self._results:
            prediction = self._predictions[item]
            self._results[item] = {"prediction": prediction}
            self.save(f"result.{item}", {"prediction": prediction, "actual": dict(actual)})
        self._show()

    # -- rendering ----------------------------------------------------------------------------
    def _subject_label(self) -> str:
        labels = {value: label for label, value in self.subject.options}
        # "Commenter 02 (1 comment)" -> "Commenter 02": the counts are stated beside it.
        return labels.get(self.subject.value, "").rsplit(" (", 1)[0]

    def _show(self) -> None:
        item = self.item
        done = self._results.get(item)
        prediction = done["prediction"] if done else self._predictions.get(item)
        self._showing = True
        try:
            for key, field in self.predictions.items():
                field.value = prediction[key] if prediction else 0.0
                field.disabled = done is not None
        finally:
            self._showing = False
        self.record_button.disabled = done is not None
        if done is None:
            self.result.value = ""
            self.status.value = (
                ""
                if prediction is None
                else f"<span style='color:{MUTED}'>Prediction recorded for these words.</span>"
            )
            return
        self.status.value = (
            f"<span style='color:{MUTED}'>Your prediction was recorded before you computed; "
            "it is kept as it was.</span>"
        )
        self.result.value = self.result_html(done["prediction"], profile(*item.split(".", 1)))

    def result_html(self, prediction: dict[str, float], actual: dict[str, Any]) -> str:
        """Table, « vous » note and chart for one subject (all text escaped)."""
        who = self._subject_label()
        rows = "".join(
            f"<tr><th scope='row' style='{_CELL};text-align:left'>{label}</th>"
            f"<td style='{_CELL}'>{prediction[key]:.1f}</td>"
            f"<td style='{_CELL}'>{actual[key]:.1f}</td></tr>"
            for key, label, _forms in PRONOUNS
        )
        table = (
            "<table style='border-collapse:collapse;margin:0.4em 0'><thead><tr>"
            f"<th style='{_CELL};text-align:left'>Per 100 words</th>"
            f"<th style='{_CELL}'>Your prediction</th><th style='{_CELL}'>Actual</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
        words = int(actual["n_words"])
        parts = [
            f"<p style='margin:0.3em 0'><strong>{esc(who)}</strong>: {plural(words, 'word')} "
            "counted.</p>",
            table,
            "<p style='margin:0.3em 0'>Of the \u201cyou\u201d forms, "
            f"{actual['you_vous']:.1f} per 100 words are \u00ab\u00a0vous\u00a0\u00bb forms "
            f"and {actual['you_tu']:.1f} \u00ab\u00a0tu\u00a0\u00bb forms. "
            "\u00ab\u00a0vous\u00a0\u00bb may be the polite singular (one reader, or the "
            "author addressed politely) as well as the plural (readers, the community): the "
            "count cannot tell them apart, so read the comments before concluding. "
            f"\u00ab\u00a0on\u00a0\u00bb: {actual['on']:.1f} per 100 words.</p>",
        ]
        if words < SMALL_SAMPLE:
            parts.append(
                notice(
                    f"Only {plural(words, 'word')}: with so few, one pronoun more or less "
                    "changes the rate a lot. Compare with caution.",
                    "warning",
                ).value
            )
        parts.append(self.chart_html(who, prediction, actual))
        return "".join(parts)

    @staticmethod
    def chart_html(who: str, prediction: dict[str, float], actual: dict[str, Any]) -> str:
        """Bar chart of prediction against actual, with alt text that states the numbers."""
        from matplotlib.figure import Figure

        labels = [label for _key, label, _forms in PRONOUNS]
        keys = [key for key, _label, _forms in PRONOUNS]
        fig = Figure(figsize=(5.6, 3.0))
        ax = fig.add_axes((0.1, 0.15, 0.62, 0.72))
        positions = range(len(keys))
        ax.bar(
            [p - 0.2 for p in positions],
            [prediction[k] for k in keys],
            width=0.4,
            color="white",
            edgecolor=_PREDICTED,
            hatch="//",
            label="your prediction",
        )
        ax.bar(
            [p + 0.2 for p in positions],
            [actual[k] for k in keys],
            width=0.4,
            color=_ACTUAL,
            label="actual",
        )
        ax.set_xticks(list(positions), labels)
        ax.set_ylabel("per 100 words", fontsize=9)
        ax.set_title(who if len(who) < 60 else who[:57] + "\u2026", fontsize=9.5)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
        alt = (
            f"Bar chart for {who}, pronouns per 100 words, your prediction against the actual "
            "rate: "
            + "; ".join(
                f"{label}: predicted {prediction[k]:.1f}, actual {actual[k]:.1f}"
                for k, label in zip(keys, labels, strict=True)
            )
            + f". {plural(int(actual['n_words']), 'word')} counted."
        )
        return figure_html(fig, alt, width="520px")

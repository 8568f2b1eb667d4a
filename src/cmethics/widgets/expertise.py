"""Expertise sorter: assign statements and profiles to the typology of source 002.

Source 002 (Guillaume Sagnes, « Je ne suis pas un Expert Médias Sociaux, juste un Gourou ! »)
sorts the professionals of social media into four types, the consultant or specialist, the
person in the shadows, the expert and the guru, and mentions a fifth, the intern community
manager, only in brackets. The sorter shows fourteen items one at a time
(``cmethics.course.expertise_items()``): ten statements quoted verbatim from the threads (with
our translation) and four fictional profiles, marked as such. The student assigns each to a
type and sees at once what the course's key says, the article's own definition quoted in
French with our translation, and why. The student may change an answer at any time; the score
("9 of 14 matched the key") counts the current answers. Some items accept two answers: the key
says why.

Answers (``docs/answers.md``), one key per item, saved on every change:

``expertise.<item_id>`` (e.g. ``expertise.item_04``)
    ``{"answer": type_id, "matches_key": bool}``; ``type_id`` is an ``id`` of
    ``course.expertise_typology()`` (``consultant_specialiste``, ``homme_de_l_ombre``,
    ``expert``, ``gourou``, ``stagiaire``); ``matches_key`` is whether the key accepts it.

>>> from cmethics.widgets import ExpertiseSorter
>>> sorter = ExpertiseSorter()          # display(sorter) in a notebook; saves nothing
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cmethics import answer_format, course
from cmethics.widgets._base import Component, Session, esc
from cmethics.widgets._quoting import Speakers, TranslationTable, glossed_html, quote_html
from cmethics.widgets._style import MUTED, OURS, PANEL

__all__ = [
    "TRANSLATIONS",
    "ExpertiseSorter",
    "short_gloss",
    "translation",
]

#: Our English translations of every French passage the sorter shows (the typology's
#: definitions, the items quoted from the threads, the feedback quotations).
TRANSLATIONS = {
    # The typology's defining passages (source 002).
    "Pas expert et n’ayant pas fait généralement d’études en Community Management (euh, ça "
    "n’existe pas, hein ?), il essaye d’apporter son savoir faire et de sensibiliser sur le "
    "sujet. Généralement, il est motivé par une passion « un peu » débordante… De plus, il "
    "tente de partager son travail et souhaite affiner ses connaissances avec les autres.": (
        "No expert, and generally without any studies in Community Management (er, that "
        "doesn\u2019t exist, does it?), he tries to bring his know-how and to raise awareness "
        "of the subject. Generally he is driven by a passion that is \u201ca little\u201d "
        "overflowing\u2026 Moreover, he tries to share his work and wants to refine his "
        "knowledge with others."
    ),
    "On ne le connait pas, on ne l’entend pas et pourtant ses compétences sont largement au "
    "dessus de la moyenne. Par choix dans la grande majorité des cas, son travail est caché et "
    "il ne recherche pas la « médiatisation ». Son expertise est souvent de grande qualité et "
    "sa technicité est très poussée.": (
        "We don\u2019t know him, we don\u2019t hear him, and yet his skills are well above "
        "average. By choice, in the great majority of cases, his work is hidden and he does "
        "not seek \u201cmedia exposure\u201d. His expertise is often of high quality and his "
        "technical skill very advanced."
    ),
    "Et là, aucune crainte, il est légitime et doit être une référence dans son domaine. Ce "
    "n’est donc pas un « wannabee » mais quelqu’un qui assume son titre. On peut donc lui faire "
    "une relative confiance quand à son partage sur les médias sociaux.": (
        "And here, no worries: he is legitimate and must be a reference in his field. So he "
        "is not a \u201cwannabee\u201d but someone who owns his title. We can therefore "
        "trust him, relatively, as to what he shares on social media."
    ),
    "il est attendu de l’expert qu’il s’exprime et qu’il prenne parti dans des débats ou des "
    "interrogations à sa portée.": (
        "the expert is expected to speak up and to take sides in debates or questions within "
        "his reach."
    ),
    "Eux-mêmes qui prêchent la « bonne parole » unique et qui ne supportent pas que l’on parle "
    "d’une manière différente à la leur.": (
        "The very ones who preach the one and only \u201cgood word\u201d and cannot bear "
        "anyone speaking in a way different from theirs."
    ),
    "Un gourou désigne communément en Occident un maître à penser, ou plus généralement une "
    "personne qui réunit des adeptes.": (
        "In the West, a guru commonly means a master thinker, or more generally a person who "
        "gathers followers."
    ),
    "le « il n’y a que moi qui… » permet aux Gourous de tacler gentiment l’autre qui serait "
    "tenter d’apporter une vision différente, moins élitiste et plus accessible.": (
        "the \u201conly I can\u2026\u201d lets Gurus gently tackle anyone who might be "
        "tempted [sic] to offer a different vision, less elitist and more accessible."
    ),
    "Car, dans le petit monde des pros des médias sociaux, on a 4 catégories d’intervenants "
    "(5, si je rajoute le stagiaire Community Manager):": (
        "Because, in the small world of social media pros, we have 4 categories of players "
        "(5 if I add the intern Community Manager):"
    ),
    # Shorter feedback quotations.
    "il est légitime et doit être une référence dans son domaine": (
        "he is legitimate and must be a reference in his field"
    ),
    "On ne le connait pas, on ne l’entend pas et pourtant ses compétences sont largement au "
    "dessus de la moyenne.": (
        "We don\u2019t know him, we don\u2019t hear him, and yet his skills are well above average."
    ),
    "prêchent la « bonne parole » unique": "preach the one and only \u201cgood word\u201d",
    "Le consultant stricto sensu se contente de formuler des conseils : il fournit à son client "
    "des recommandations issues de l’expérience": (
        "The consultant in the strict sense merely gives advice: he provides his client with "
        "recommendations drawn from experience"
    ),
    "il essaye d’apporter son savoir faire et de sensibiliser sur le sujet": (
        "he tries to bring his know-how and to raise awareness of the subject"
    ),
    "le « il n’y a que moi qui… » permet aux Gourous de tacler gentiment l’autre": (
        "the \u201conly I can\u2026\u201d lets Gurus gently tackle the other"
    ),
    "qui ne supportent pas que l’on parle d’une manière différente à la leur": (
        "who cannot bear anyone speaking in a way different from theirs"
    ),
    "(5, si je rajoute le stagiaire Community Manager)": (
        "(5 if I add the intern Community Manager)"
    ),
    "Par choix dans la grande majorité des cas, son travail est caché et il ne recherche pas la "
    "« médiatisation ».": (
        "By choice, in the great majority of cases, his work is hidden and he does not seek "
        "\u201cmedia exposure\u201d."
    ),
    "De plus, il tente de partager son travail et souhaite affiner ses connaissances avec les "
    "autres.": (
        "Moreover, he tries to share his work and wants to refine his knowledge with others."
    ),
    "Mais être Expert ne signifie pas avoir carte blanche et oublier comment on en est arrivé "
    "là.": (
        "But being an Expert does not mean having carte blanche and forgetting how you got there."
    ),
    # Short phrases that our notes and explanations quote.
    "4 catégories d’intervenants": "4 categories of players",
    "une référence dans son domaine": "a reference in his field",
    "homme de l’ombre": "person in the shadows",
    "carte blanche": "a free hand",
    "souvent de grande qualité": "often of high quality",
    "trop d'entreprises confient ce poste à des stagiaires": (
        "too many companies give this job to interns"
    ),
    "il n’y a que moi qui…": "only I can\u2026",
    "Par choix": "by choice",
    # The items quoted from the threads.
    "il y a des personnes qui travaillent sur le net et la com depuis plus de 10 ans et qui "
    "peuvent tout à fait être considérés comme des experts, de manière tout à fait légitime.": (
        "there are people who have been working on the web and in communications for more "
        "than 10 years and who can quite rightly be considered experts, entirely legitimately."
    ),
    "Il s’agit d’une référence ouverte, accessible qui partage, échange et guide. Mais c’est "
    "aussi une personne qui à acquis sa notoriété par le contenu, les échanges et les débats "
    "qu’il a eu.": (
        "It is an open, accessible reference who shares, exchanges and guides. But it is also "
        "a person who has earned their reputation through content, exchanges and the debates "
        "they have had."
    ),
    "Le problème c’est qu’en France, il y’a vraiment des maitres à pensé. Mais ceux-ci "
    "connaissent tellement bien les réactions Française qu’il se cache.": (
        "The problem is that in France there really are master thinkers. But they know French "
        "reactions so well that they hide."
    ),
    "Je suis bien d’accord avec toi, que les vrais experts ne sont pas forcément ceux que l’on "
    "voit.": "I quite agree with you that the real experts are not necessarily the ones we see.",
    "Par contre, c’est ce côté “j’ai la parole sainte” qui me dérange, d’autant plus sur un "
    "secteur qui évolue plus vite que notre réflexion.": (
        "On the other hand, it is this \u201cI hold the holy word\u201d side that bothers me, "
        "all the more in a sector that moves faster than our thinking."
    ),
    "Justement un expert de qualité ne donnera jamais de solutions toutes faites : sinon "
    "comment il gagne sa vie en conseillant les gens sur-mesure ?": (
        "Precisely: a good expert will never give ready-made solutions; otherwise, how would "
        "they earn a living advising people on a made-to-measure basis?"
    ),
    "Une certaine maturité, du recul et un grain de génération Y permet sans devenir un EXPERT "
    "(ça veut dire quoi aujourd’hui ????) de faire du bon travail et d’aider modestement mais "
    "concrètement des patrons de société à apprivoiser et à ne plus avoir peur des réseaux.": (
        "A certain maturity, some distance and a touch of Generation Y make it possible, "
        "without becoming an EXPERT (what does that mean today????), to do good work and to "
        "help company bosses, modestly but concretely, to tame social networks and stop being "
        "afraid of them."
    ),
    "Les autres sont des escrocs, moi je détiens la vérité.": (
        "The others are crooks; I hold the truth."
    ),
    "Ne pas laisser non plus les ayatollahs et autres gourous du secteur nous confisquer les "
    "concepts, les placer à un niveau tel que toute assertion à leurs côtés n'obtient qu'une "
    "sorte de haussement d'épaules virtuel, méprisant et blasé.": (
        "Nor should we let the ayatollahs and other gurus of the sector confiscate the concepts "
        "from us and place them at such a level that any assertion beside theirs gets only a "
        "sort of virtual shrug, contemptuous and jaded."
    ),
    "bien des community managers ne sont rien d'autres que des paumés et des stagiaires à qui "
    "on a dit de faire ce que j'appelel du leveling": (
        "many community managers are nothing but lost souls and interns who have been told to "
        "do what I call [sic] \u201cleveling\u201d"
    ),
}

_TRANSLATIONS = TranslationTable(TRANSLATIONS)

_MATCH = "#1e4620"
_OTHER = "#663c00"


def translation(quote: str) -> str | None:
    """Our English translation of a passage the sorter quotes (``None`` if we have none)."""
    return _TRANSLATIONS.get(quote)


def short_gloss(gloss: str) -> str:
    """The first clause of a type's English gloss: "The consultant or specialist"."""
    head = gloss.split(":", 1)[0].strip()
    return head if 0 < len(head) <= 60 else gloss[:60].rstrip() + "\u2026"


def _join_or(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]


class ExpertiseSorter(Component):
    """Sort statements and profiles into the typology of source 002, with immediate feedback.

    Parameters
    ----------
    session
        The student's session; ``None`` gives a preview that saves nothing.

    Attributes
    ----------
    typology, items
        The course data (``course.expertise_typology()``, ``course.expertise_items()``).
    show_types
        Toggle: show or hide the five types with their defining passages.
    item_picker
        Dropdown: go to any item (answered items are marked).
    card
        The current item: the statement (French, with our translation) or the profile.
    choice
        Radio buttons: the type the student assigns.
    feedback
        What the key says, the article's definition and our explanation (after a choice).
    previous_button, next_button, next_unanswered_button
        Navigation.
    score
        "9 of 14 matched the key", with the number answered.

    Notes
    -----
    Saves ``expertise.<item_id>`` = ``{"answer": type_id, "matches_key": bool}`` on every
    change (see the module docstring).
    """

    def __init__(self, session: Session | None = None) -> None:
        super().__init__(session, key="expertise")
        self.typology = course.expertise_typology()
        self.items = course.expertise_items()
        self._types = {t.id: t for t in self.typology}
        self._speakers = Speakers()
        self.answers: dict[str, str] = {}
        self._index = 0
        self._showing = False

        self.intro = widgets.HTML(self._intro_html())
        self.show_types = widgets.ToggleButton(
            value=False,
            description="Show the five types",
            icon="book",
            tooltip="Show or hide source 002's definitions of each type",
            layout=widgets.Layout(width="auto"),
        )
        self.types_view = widgets.HTML()
        self.item_picker = widgets.Dropdown(
            description="Item",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em"),
        )
        self.card = widgets.HTML()
        self.choice = widgets.RadioButtons(
            options=[self._option(t) for t in self.typology],
            value=None,
            description="Your answer",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.feedback = widgets.HTML()
        self.previous_button = widgets.Button(
            description="Previous", icon="arrow-left", tooltip="Previous item"
        )
        self.next_button = widgets.Button(
            description="Next", icon="arrow-right", tooltip="Next item"
        )
        self.next_unanswered_button = widgets.Button(
            description="Next unanswered",
            icon="forward",
            tooltip="Go to the next item you have not answered yet",
            layout=widgets.Layout(width="auto"),
        )
        self.score = widgets.HTML()

        self.show_types.observe(lambda _c: self._render_types(), "value")
        self.item_picker.observe(self._on_pick, "value")
        self.choice.observe(self._on_choice, "value")
        self.previous_button.on_click(lambda _b: self.go_to_index(self._index - 1))
        self.next_button.on_click(lambda _b: self.go_to_index(self._index + 1))
        self.next_unanswered_button.on_click(lambda _b: self.next_unanswered())

        self.children = [
            self.intro,
            widgets.HBox([self.show_types]),
            self.types_view,
            self.item_picker,
            self.card,
            self.choice,
            self.feedback,
            widgets.HBox(
                [self.previous_button, self.next_button, self.next_unanswered_button],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            self.score,
        ]
        self._render()
        self.attach()

    # -- fixed text ---------------------------------------------------------------------------
    def _option(self, kind: Any) -> tuple[str, str]:
        extra = ", mentioned only in passing" if kind.in_passing else ""
        return (f"{kind.label} ({short_gloss(kind.gloss).lower()}{extra})", kind.id)

    def _label(self, type_id: str) -> str:
        kind = self._types[type_id]
        return f"{kind.label} ({short_gloss(kind.gloss).lower()})"

    def _attribution(self, article_id: str, comment_id: str | None) -> str:
        speaker = self._speakers.of(comment_id, article_id)
        return f"{speaker}, {Speakers.where(article_id, comment_id)}"

    def _intro_html(self) -> str:
        n_quotes = sum(1 for i in self.items if i.kind == "quote")
        n_profiles = len(self.items) - n_quotes
        return (
            "<div><p style='margin:0.2em 0'>Source 002 sorts the professionals of social "
            "media into four types and mentions a fifth, the intern, only in passing. Assign "
            f"each of the {len(self.items)} items to the type it fits best: {n_quotes} are "
            f"statements quoted from the comment threads, {n_profiles} are fictional profiles "
            "written for this exercise. As soon as you choose, you see what the course\u2019s "
            "key says and why, with the article\u2019s own words. You can change your answer "
            "at any time; some items accept two answers.</p></div>"
        )

    def types_html(self) -> str:
        """The typology: each type's name (French), our gloss, and its defining passages."""
        parts = []
        for kind in self.typology:
            quotes = "".join(
                quote_html(
                    q.quote, translation(q.quote), self._attribution(q.article_id, q.comment_id)
                )
                for q in kind.quotes
            )
            passing = (
                f"<p style='margin:0.2em 0;color:{MUTED}'>Mentioned only in passing. "
                f"{glossed_html(kind.note or '', _TRANSLATIONS)}</p>"
                if kind.in_passing
                else ""
            )
            parts.append(
                f"<div style='{PANEL}'><h4 lang='fr' style='margin:0.1em 0'>{esc(kind.label)}"
                f"</h4><div style='{OURS}'><em>Our gloss:</em> {esc(kind.gloss)}</div>"
                f"{passing}{quotes}</div>"
            )
        return "".join(parts)

    def card_html(self, index: int) -> str:
        """One item: the statement quoted (with our translation) or the fictional profile."""
        item = self.items[index]
        head = (
            f"<div style='font-size:0.9em;color:{MUTED};margin-top:0.6em'>Item {index + 1} of "
            f"{len(self.items)} \u00b7 "
            + ("a statement from the threads" if item.kind == "quote" else "a fictional profile")
            + "</div>"
        )
        if item.kind == "quote":
            body = quote_html(
                item.text,
                translation(item.text),
                self._attribution(item.article_id or "", item.comment_id),
            )
        else:
            body = (
                f"<div style='{PANEL};background:#fbfaf5'><div style='font-size:0.88em;"
                f"color:{MUTED}'>Written for this exercise: not from the sources.</div>"
                f"<p style='margin:0.3em 0'>{esc(item.text)}</p></div>"
            )
        return head + body

    def feedback_html(self, index: int, answer: str | None) -> str:
        """What the key says about ``answer``, the article's definition and our explanation."""
        if answer is None or answer not in self._types:
            return ""
        item = self.items[index]
        expected = [self._label(t) for t in item.expected]
        if answer in item.expected:
            if len(expected) > 1:
                verdict = f"Your answer matches the key, which accepts {_join_or(expected)}."
            else:
                verdict = "Your answer matches the key."
            colour = _MATCH
        else:
            verdict = (
                f"The key reads this item as {_join_or(expected)}. Compare the definitions "
                "below: keep your answer if you can argue it from the text, or change it."
            )
            colour = _OTHER
        parts = [
            f"<div role='status' style='{PANEL};border-left:4px solid {colour}'>"
            f"<p style='margin:0.2em 0;color:{colour}'><strong>{esc(verdict)}</strong></p>",
            "<p style='margin:0.5em 0 0.1em'>What source 002 says:</p>",
            quote_html(
                item.feedback.quote,
                translation(item.feedback.quote),
                self._attribution(item.feedback.article_id, None),
            ),
            f"<p style='margin:0.4em 0'><em>Our explanation:</em> "
            f"{glossed_html(item.feedback.explanation, _TRANSLATIONS)}</p>",
        ]
        if item.ambiguity:
            parts.append(
                f"<p style='margin:0.4em 0'><em>Why two answers are accepted:</em> "
                f"{glossed_html(item.ambiguity, _TRANSLATIONS)}</p>"
            )
        if answer not in item.expected:
            kind = self._types[answer]
            definition = kind.quotes[0]
            parts.append(
                f"<p style='margin:0.5em 0 0.1em'>How source 002 describes your choice, "
                f"{esc(self._label(answer))}:</p>"
                + quote_html(
                    definition.quote,
                    translation(definition.quote),
                    self._attribution(definition.article_id, definition.comment_id),
                )
            )
        parts.append("</div>")
        return "".join(parts)

    # -- answers ------------------------------------------------------------------------------
    def matches_key(self, item_id: str) -> bool | None:
        """Whether the current answer to ``item_id`` is accepted by the key (``None``: none)."""
        answer = self.answers.get(item_id)
        if answer is None:
            return None
        item = next(i for i in self.items if i.id == item_id)
        return answer in item.expected

    def score_counts(self) -> tuple[int, int]:
        """``(matched, answered)`` over the current answers."""
        matched = sum(1 for i in self.items if self.matches_key(i.id))
        return matched, len(self.answers)

    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._showing:
            return
        item = self.items[self._index]
        answer = change["new"]
        if answer is None:
            return
        self.answers[item.id] = answer
        self.save(item.id, {"answer": answer, "matches_key": answer in item.expected})
        self.feedback.value = self.feedback_html(self._index, answer)
        self._render_progress()

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._showing or change["new"] is None:
            return
        self.go_to_index(int(change["new"]))

    # -- navigation ---------------------------------------------------------------------------
    @property
    def current(self) -> Any:
        """The item shown."""
        return self.items[self._index]

    def go_to_index(self, index: int) -> None:
        """Show the item at ``index`` (clamped to the list)."""
        self._index = max(0, min(index, len(self.items) - 1))
        self._render()

    def go_to(self, item_id: str) -> None:
        """Show the item with this id."""
        self.go_to_index(next(k for k, i in enumerate(self.items) if i.id == item_id))

    def next_unanswered(self) -> None:
        """Go to the next item without an answer (wrapping round); say so when all are done."""
        n = len(self.items)
        for step in range(1, n + 1):
            k = (self._index + step) % n
            if self.items[k].id not in self.answers:
                self.go_to_index(k)
                return
        self._render_progress(all_done=True)

    # -- restoring and rendering --------------------------------------------------------------
    def _restore(self) -> None:
        self.answers = {}
        for item in self.items:
            # A hand-edited or outdated file may hold anything: keep only known types.
            answer = answer_format.parse_expertise_choice(self.load(item.id), self._types).value
            if answer is not None:
                self.answers[item.id] = answer
        self._render()

    def _render_types(self) -> None:
        self.types_view.value = self.types_html() if self.show_types.value else ""
        self.show_types.description = (
            "Hide the five types" if self.show_types.value else "Show the five types"
        )

    def _render(self) -> None:
        item = self.items[self._index]
        answer = self.answers.get(item.id)
        self._showing = True
        try:
            self.choice.value = answer
        finally:
            self._showing = False
        self.card.value = self.card_html(self._index)
        self.feedback.value = self.feedback_html(self._index, answer)
        self.previous_button.disabled = self._index == 0
        self.next_button.disabled = self._index == len(self.items) - 1
        self._render_progress()

    def _picker_options(self) -> list[tuple[str, int]]:
        options = []
        for k, item in enumerate(self.items):
            mark = "\u2713 answered" if item.id in self.answers else "not answered"
            kind = "statement" if item.kind == "quote" else "fictional profile"
            options.append((f"{k + 1}. {kind} ({mark})", k))
        return options

    def _render_progress(self, all_done: bool = False) -> None:
        matched, answered = self.score_counts()
        n = len(self.items)
        # Keep the picker's marks in step with the answers, and its value on the current item.
        self._showing = True
        try:
            self.item_picker.options = self._picker_options()
            self.item_picker.value = self._index
        finally:
            self._showing = False
        if answered == 0:
            text = f"0 of {n} answered yet."
        else:
            text = (
                f"{matched} of {n} matched the key ({answered} of {n} answered). The key is a "
                "reading of the article, not the last word: an answer you can argue from the "
                "text is worth keeping."
            )
        if all_done and answered == n:
            text = "Every item has an answer. " + text
        self.score.value = f"<p role='status' style='margin:0.4em 0;color:{MUTED}'>{esc(text)}</p>"

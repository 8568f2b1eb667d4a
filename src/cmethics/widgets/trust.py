"""Trust case: a branching scenario drawn from source 004, argued from the texts.

Source 004 (Frédéric Bascuñana, « Le Community Management n'existe pas ») imagines a brand
whose 800,000 fans learn that it uses palm oil. The case (``cmethics.course.trust_scenario()``)
makes the student that brand's community manager: at each step they read the situation,
choose, and see the consequence together with the passages of the sources that argue it
(French as printed, our translation beside it). The path ends in one of five endings. The
student then justifies the path in writing. "Start again" begins a new path and keeps the
previous ones, so that paths can be compared.

Answers (``docs/answers.md``), saved on every change:

``trust.attempts``
    List of finished (or abandoned) paths, oldest first: ``{"path": ["<node_id>/<choice_id>",
    ...], "ending": ending_id}``; ``ending`` is ``null`` for a path abandoned with "Start
    again" before an ending. Ids are those of ``data/course/trust_scenario.yaml``.
``trust.current``
    The path in progress, as the same list of ``"<node_id>/<choice_id>"`` (empty when a path
    has just ended or not begun), so that a restarted kernel resumes where the student was.
``trust.justification``
    The written justification of the path (str).

>>> from cmethics.widgets import TrustCase
>>> case = TrustCase()          # display(case) in a notebook; saves nothing
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cmethics import answer_format, course
from cmethics.widgets._base import Component, Session, esc, notice, plural, primary_button
from cmethics.widgets._quoting import Speakers, TranslationTable, quote_html
from cmethics.widgets._style import MUTED, PANEL, full_width

__all__ = [
    "OUTCOMES",
    "TRANSLATIONS",
    "TrustCase",
    "translation",
]

#: How an ending's outcome is named to the student.
OUTCOMES = {
    "good": "a good outcome",
    "mixed": "a mixed outcome",
    "bad": "a bad outcome",
}

#: Our English translations of every French passage the case quotes.
TRANSLATIONS = {
    "Tant qu'on s'extasie sur 800.000 fans agglutinés sur une fan page dédiée aux mérites d'un "
    "gentil chocolat bien emballé, on ne fait de mal à personne.": (
        "As long as we go into raptures over 800,000 fans crowded onto a fan page devoted to "
        "the merits of a nice, well-wrapped chocolate, we do no harm to anyone."
    ),
    'Quand les mêmes "fans" apprendront que la marque concernée utilise de l\'huile de palme en '
    "contribuant outrageusement à la déforestation, le capital confiance aura du plomb dans "
    "l'aile.": (
        "When the same \u201cfans\u201d learn that the brand in question uses palm oil and "
        "contributes outrageously to deforestation, its trust capital will be badly wounded."
    ),
    "La meilleure façon de commencer à trahir une communauté, c'est de la tenir comme acquise.": (
        "The best way to start betraying a community is to take it for granted."
    ),
    "on ne peut pas cacher la forêt des critiques et des faiblesses par l'arbre de la "
    "communauté.": (
        "you cannot hide the forest of criticism and weaknesses behind the tree of the community."
    ),
    "une simple réponse personnalisé, humoristique ou honnête aura un toujours un impact plus "
    "direct qu’un jeux concours national mené tambour battant.": (
        "a simple personalised, humorous or honest reply will always have a more direct impact "
        "than a national competition run with great fanfare."
    ),
    "Même si la personnalité du Community Manager est importante, il reste dépendant du "
    "positionnement de la marque qu'il représente.": (
        "Even if the Community Manager\u2019s personality matters, he remains dependent on the "
        "positioning of the brand he represents."
    ),
    "Car en un instant, une image de marque peut basculer... justement grâce/à cause des "
    "communautés !": (
        "Because in an instant a brand image can tip over... precisely thanks to / because of "
        "communities!"
    ),
    "Comment amener les gens à croire à quelque chose en laquelle vous ne croyez pas vous "
    "même?": "How do you get people to believe in something you do not believe in yourself?",
    "Il faudra retravailler le fond, ne plus se contenter de la forme, mériter la confiance de "
    "ses pairs en commençant ainsi par ne plus les prendre pour un club de Panurge.": (
        "Substance will have to be reworked, form will no longer be enough; one will have to "
        "deserve the trust of one\u2019s peers, starting by no longer taking them for a flock "
        "of Panurge\u2019s sheep."
    ),
    "leurs tentatives de contrôle ressemblent à une farce ubuesque, une parodie d'autorité.": (
        "their attempts at control look like an Ubu-esque farce, a parody of authority."
    ),
    "Ça se perd aussi, si le CM n’est pas capable de montrer son intérêt sur la continuité, "
    "s’il trahit sa communauté en commettant tout autant d’actes déceptifs.": (
        "It can also be lost, if the CM is unable to show his interest over time, if he betrays "
        "his community by committing just as many deceptive acts."
    ),
    "Les marques ne pourront plus se contenter d'avoir un discours - ne tireront leur épingle "
    "de ce jeu dangereux que celles qui ont eu des convictions qu'elles se sont donné les "
    "moyens d'assumer.": (
        "Brands will no longer be able to make do with having a discourse: the only ones to "
        "come out of this dangerous game well will be those that had convictions and gave "
        "themselves the means to stand by them."
    ),
    "Un bon CM est un CM dont le discours tangible n'a pas à couvrir le discours sous-jacent de "
    "la marque.": (
        "A good CM is a CM whose tangible discourse does not have to cover the brand\u2019s "
        "underlying discourse."
    ),
    "si le fond n'est pas au rendez-vous, le meilleur animateur du monde aura grand mal à "
    "passer le cap de ce qui ne serait alors perçu que comme une série d'effets de manche. ce "
    'que dans un autre temps on appelait des "sophismes". L’esbroufe dure un temps - le public '
    "se réveille toujours.": (
        "if the substance is not there, the best community animator in the world will have "
        "great trouble getting past what would then be seen only as a series of theatrical "
        "flourishes, what in another time were called \u201csophisms\u201d. Bluff lasts for "
        "a while; the public always wakes up."
    ),
    "Car au bout d'un moment , le rideau va se déchirer et la vérité éclatera.": (
        "Because after a while the curtain will tear and the truth will come out."
    ),
    "Cela passera toujours par une communication transparente, un travail éditorial qui "
    "dépasse slogan et design habiles pour se confronter aux terres instables du dialogue": (
        "This will always go through transparent communication, editorial work that goes "
        "beyond clever slogans and design to face the unstable ground of dialogue"
    ),
    "Il faut également que l’entreprise soit dotée d’une conscience, qu’elle soit soucieuse des "
    "enjeux de sociétés majeurs, par exemple, le respect de l’environnement": (
        "The company must also have a conscience, be concerned about major societal issues, "
        "for example respect for the environment"
    ),
    "le CM ne sera pas un manitou sympa qui réalisera au moyen d'une technique rodée le miracle "
    "que la direction générale doit accomplir toute seule : donner du sens et du fond à sa "
    "propre mission.": (
        "the CM will not be a friendly wizard who, with a well-honed technique, performs the "
        "miracle that top management must accomplish on its own: giving meaning and substance "
        "to its own mission."
    ),
    "Demander à un CM de commencer à faire son travail sans adhésion aux valeurs relève du même "
    "degré de liberté : décider tout seul d'aller droit dans un mur.": (
        "Asking a CM to start doing the job without adhering to the values comes down to the "
        "same degree of freedom: deciding on your own to head straight into a wall."
    ),
    "j'ai littéralement, et même violemment, claqué la porte.": (
        "I literally, even violently, slammed the door."
    ),
    "c'est tjrs périlleux de claquer les portes : ça a vite fait de vous rebondir au visage ;)": (
        "it\u2019s always risky to slam doors: they can quickly bounce back in your face ;)"
    ),
    "Le CM est un vecteur, qui doit donc s'ajuster des deux côtés.": (
        "The CM is a vector, who must therefore adjust on both sides."
    ),
    "L'important, quand on souhaite monter une communauté et la faire vivre, c'est que les gens "
    "qui la composent parlent entre eux.": (
        "What matters, when you want to build a community and keep it alive, is that the "
        "people in it talk to each other."
    ),
    "feindre de se préoccuper des attentes des internautes pour simplement leur faire faire ce "
    "que vous désirez ne restera jamais que la matérialisation d’un jeu de mime.": (
        "pretending to care about web users\u2019 expectations simply to make them do what you "
        "want will never be anything more than a mime show."
    ),
    "Et la défiance peut à son tour mener à une sourde colère.": (
        "And distrust can in turn lead to a muffled anger."
    ),
    'le sophiste est un "marchand de discours".C\'est son grand point commun avec le CM.': (
        "the sophist is a \u201cmerchant of discourse\u201d. That is what he most has in "
        "common with the CM."
    ),
    "on ne peut pas durablement travailler sans éthique": (
        "one cannot work without ethics for long"
    ),
    "restaurer un lien cassé, redorer une image demande du temps, c'est comme renouer après une "
    "trahison": (
        "restoring a broken link, polishing up an image again, takes time; it is like making "
        "up after a betrayal"
    ),
    "C'est un peu comme l'Amour : la confiance s'entretient.": (
        "It\u2019s a bit like Love: trust has to be maintained."
    ),
    "le consommateur est déjà prêt à payer le prix de cette transparence - il en fait "
    "explicitement la demande": (
        "the consumer is already prepared to pay the price of this transparency; he explicitly "
        "asks for it"
    ),
}

_TRANSLATIONS = TranslationTable(TRANSLATIONS)

_OUTCOME_COLOURS = {"good": "#1e4620", "mixed": "#663c00", "bad": "#611a15"}


def translation(quote: str) -> str | None:
    """Our English translation of a passage the case quotes (``None`` if we have none)."""
    return _TRANSLATIONS.get(quote)


def _step(node_id: str, choice_id: str) -> str:
    return f"{node_id}/{choice_id}"


class TrustCase(Component):
    """The palm-oil scenario: choose, see the consequence argued from the texts, justify.

    Parameters
    ----------
    session
        The student's session; ``None`` gives a preview that saves nothing.

    Attributes
    ----------
    scenario
        ``course.trust_scenario()``.
    path
        The current path: list of ``(node_id, choice_id)``.
    attempts
        The saved attempts (see the module docstring).
    history
        The steps taken so far, each with its consequence and arguments.
    situation
        The current step (or the ending reached).
    choice
        Radio buttons: the choices of the current step.
    choose_button
        "Choose this" (commits the selected choice).
    justification
        Text area: the justification of the path (shown once an ending is reached).
    restart_button
        "Start again": a new path; the previous one is kept.
    attempts_view
        The previous paths.

    Notes
    -----
    Saves ``trust.attempts``, ``trust.current`` and ``trust.justification`` (see the module
    docstring).
    """

    def __init__(self, session: Session | None = None) -> None:
        super().__init__(session, key="trust")
        self.scenario = course.trust_scenario()
        self._speakers = Speakers()
        self._nodes = {n.id: n for n in self.scenario.nodes}
        self._endings = {e.id: e for e in self.scenario.endings}
        self.path: list[tuple[str, str]] = []
        self.attempts: list[dict[str, Any]] = []
        self._showing = False

        self.header = widgets.HTML(self._header_html())
        self.history = widgets.HTML()
        self.situation = widgets.HTML()
        self.choice = widgets.RadioButtons(
            options=[],
            value=None,
            description="Your choice",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.choose_button = primary_button(
            "Choose this",
            icon="check",
            tooltip="Take this choice and see what follows",
            layout=widgets.Layout(width="auto"),
        )
        self.status = widgets.HTML()
        self.guidance = widgets.HTML()
        self.justification = widgets.Textarea(
            description="Your justification",
            placeholder=(
                "Which choices did you make and why? Quote at least two passages from the "
                "texts. What would you change?"
            ),
            style={"description_width": "initial"},
            layout=full_width(height="10em"),
        )
        self.counter = widgets.HTML()
        self.restart_button = widgets.Button(
            description="Start again",
            icon="redo",
            tooltip="Begin a new path; your previous paths are kept",
            layout=widgets.Layout(width="auto"),
        )
        self.attempts_view = widgets.HTML()
        self.justification_box = widgets.VBox([self.guidance, self.justification, self.counter])
        # Buttons sit in rows so that they keep their own width instead of the column's.
        self.choice_box = widgets.VBox([self.choice, widgets.HBox([self.choose_button])])

        self.choose_button.on_click(lambda _b: self.choose())
        self.restart_button.on_click(lambda _b: self.start_again())
        self.justification.observe(self._on_justify, "value")

        self.children = [
            self.header,
            self.history,
            self.situation,
            self.choice_box,
            self.status,
            self.justification_box,
            widgets.HBox([self.restart_button]),
            self.attempts_view,
        ]
        self._render()
        self.attach()

    # -- fixed text ---------------------------------------------------------------------------
    def _attribution(self, quote: Any) -> str:
        speaker = self._speakers.of(quote.comment_id, quote.article_id)
        return f"{speaker}, {Speakers.where(quote.article_id, quote.comment_id)}"

    def argument_html(self, argument: Any) -> str:
        """One passage with its attribution, our translation and our commentary."""
        return quote_html(
            argument.quote,
            translation(argument.quote),
            self._attribution(argument),
            extra=(
                f"<p style='margin:0.2em 0 0.6em'><em>Our commentary:</em> "
                f"{esc(self._speakers.hide_names(argument.argument))}</p>"
            ),
        )

    def _header_html(self) -> str:
        quotes = "".join(
            quote_html(q.quote, translation(q.quote), self._attribution(q))
            for q in self.scenario.source_quotes
        )
        return (
            f"<div><h4 style='margin:0.2em 0'>{esc(self.scenario.title)}</h4>"
            f"<p style='margin:0.3em 0'>{esc(self.scenario.intro)}</p>"
            "<p style='margin:0.4em 0 0.1em'>Where the scenario comes from:</p>"
            f"{quotes}</div>"
        )

    def _guidance_html(self) -> str:
        rubric = self.scenario.rubric
        competent = next(
            (i for i, level in enumerate(rubric.levels) if level.label == "Competent"),
            max(0, len(rubric.levels) - 2),
        )
        items = "".join(
            f"<li><strong>{esc(c.label)}</strong>: {esc(c.descriptors[competent])}</li>"
            for c in rubric.criteria
        )
        return (
            "<h4 style='margin:0.8em 0 0.2em'>Justify your path</h4>"
            "<p style='margin:0.2em 0'>Explain the path you took (150 to 300 words). You are "
            "assessed on your reasons, not on the ending you reached. A sound justification "
            f"does this:</p><ul style='margin:0.2em 0'>{items}</ul>"
        )

    # -- the path -----------------------------------------------------------------------------
    @property
    def position(self) -> str:
        """Where the student is: a node id, or an ending id once the path has ended."""
        if not self.path:
            return self.scenario.start
        node_id, choice_id = self.path[-1]
        return self._choice(node_id, choice_id).leads_to

    @property
    def ended(self) -> bool:
        """Whether the current path has reached an ending."""
        return self.scenario.is_ending(self.position)

    def _choice(self, node_id: str, choice_id: str) -> Any:
        return next(c for c in self._nodes[node_id].choices if c.id == choice_id)

    def choose(self, choice_id: str | None = None) -> None:
        """Take the selected choice (or ``choice_id``) at the current step."""
        if self.ended:
            return
        choice_id = choice_id if choice_id is not None else self.choice.value
        node = self._nodes[self.position]
        if choice_id not in {c.id for c in node.choices}:
            self.status.value = notice("Choose one of the options first.", "warning").value
            return
        self.status.value = ""
        self.path.append((node.id, choice_id))
        steps = [_step(n, c) for n, c in self.path]
        if self.ended:
            self.attempts.append({"path": steps, "ending": self.position})
            self.save("attempts", self.attempts)
            self.save("current", [])
        else:
            self.save("current", steps)
        self._render()

    def start_again(self) -> None:
        """Begin a new path; a path abandoned before its ending is kept with ``ending: null``."""
        if self.path and not self.ended:
            self.attempts.append({"path": [_step(n, c) for n, c in self.path], "ending": None})
            self.save("attempts", self.attempts)
        self.path = []
        self.save("current", [])
        self.status.value = ""
        self._render()

    def _on_justify(self, change: dict[str, Any]) -> None:
        if self._showing:
            return
        self.save("justification", change["new"])
        self._update_counter()

    # -- restoring ----------------------------------------------------------------------------
    def _restore(self) -> None:
        # Paths that do not fit the scenario (a hand-edited file, a scenario changed since)
        # are dropped by the lenient reader.
        saved = self.load("attempts", [])
        self.attempts = answer_format.parse_trust_attempts(saved, self.scenario).value or []
        current = answer_format.parse_trust_path(self.load("current", []), self.scenario).value
        self.path = current or []
        if self.path and self.ended:
            # A path that reached its ending lives in the attempts; do not reopen it.
            self.path = []
        text = answer_format.parse_text(self.load("justification", "")).value or ""
        self._showing = True
        try:
            self.justification.value = text
        finally:
            self._showing = False
        self._render()

    # -- rendering ----------------------------------------------------------------------------
    def _step_html(self, number: int, node_id: str, choice_id: str) -> str:
        node = self._nodes[node_id]
        choice = self._choice(node_id, choice_id)
        arguments = "".join(self.argument_html(a) for a in choice.arguments)
        return (
            f"<div style='{PANEL}'><div style='font-size:0.88em;color:{MUTED}'>Situation {number}: "
            f"{esc(node.title)}</div><p style='margin:0.2em 0'>You chose: "
            f"<strong>{esc(choice.label)}</strong></p><p style='margin:0.2em 0'>"
            f"<em>What follows:</em> {esc(choice.consequence)}</p>"
            "<p style='margin:0.4em 0 0.1em'>What the texts say:</p>"
            f"{arguments}</div>"
        )

    def ending_html(self, ending_id: str) -> str:
        """The ending reached: its outcome, what happens, and the passages behind it."""
        ending = self._endings[ending_id]
        colour = _OUTCOME_COLOURS.get(ending.outcome, MUTED)
        arguments = "".join(self.argument_html(a) for a in ending.arguments)
        return (
            f"<div role='status' style='{PANEL};border-left:4px solid {colour}'>"
            f"<h4 style='margin:0.2em 0;color:{colour}'>Ending: {esc(ending.title)} "
            f"({esc(OUTCOMES.get(ending.outcome, ending.outcome))})</h4>"
            f"<p style='margin:0.3em 0'>{esc(ending.text)}</p>"
            + (
                f"<p style='margin:0.4em 0 0.1em'>What the texts say:</p>{arguments}"
                if arguments
                else ""
            )
            + "<p style='margin:0.4em 0'>There is no score: justify your path below, then "
            "press <strong>Start again</strong> to try another path if you wish.</p></div>"
        )

    def _node_html(self, node_id: str) -> str:
        node = self._nodes[node_id]
        number = len(self.path) + 1
        return (
            f"<div style='margin-top:0.6em'><h4 style='margin:0.2em 0'>Situation {number}: "
            f"{esc(node.title)}</h4><p style='margin:0.2em 0'>{esc(node.situation)}</p></div>"
        )

    def path_label(self, steps: list[str], ending: str | None) -> str:
        """A path in words: the choices' labels, then the ending."""
        labels = []
        for step in steps:
            node_id, choice_id = step.split("/")
            labels.append(self._choice(node_id, choice_id).label)
        end = (
            f"ending: {self._endings[ending].title} ({OUTCOMES[self._endings[ending].outcome]})"
            if ending
            else "left before an ending"
        )
        return " \u2192 ".join(labels) + f" \u2192 {end}"

    def _attempts_html(self) -> str:
        if not self.attempts:
            return ""
        rows = "".join(
            f"<li>{esc(self.path_label(a['path'], a['ending']))}</li>" for a in self.attempts
        )
        return (
            "<h4 style='margin:0.8em 0 0.2em'>Your paths so far</h4>"
            f"<ol style='margin:0.2em 0'>{rows}</ol>"
        )

    def _render(self) -> None:
        self.history.value = "".join(
            self._step_html(k + 1, n, c) for k, (n, c) in enumerate(self.path)
        )
        position = self.position
        if self.scenario.is_ending(position):
            self.situation.value = self.ending_html(position)
            self.choice_box.layout.display = "none"
        else:
            node = self._nodes[position]
            self.situation.value = self._node_html(position)
            self._showing = True
            try:
                self.choice.options = [(c.label, c.id) for c in node.choices]
                self.choice.value = None
            finally:
                self._showing = False
            self.choice_box.layout.display = None
        # The justification is about a path: offer it once one has ended (now or before).
        has_ending = (
            self.ended
            or any(a["ending"] for a in self.attempts)
            or bool(self.justification.value.strip())
        )
        self.justification_box.layout.display = None if has_ending else "none"
        if has_ending and not self.guidance.value:
            self.guidance.value = self._guidance_html()
        self.restart_button.disabled = not self.path
        self.attempts_view.value = self._attempts_html()
        self._update_counter()

    def _update_counter(self) -> None:
        words = len(self.justification.value.split())
        self.counter.value = (
            f"<span style='color:{MUTED};font-size:0.9em'>{plural(words, 'word')} "
            "(aim for 150 to 300)</span>"
        )

"""The trust case, driven like a student would: choices taken, endings reached, paths justified."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from poison import Poison
from widget_support import EVIL, all_html, live_markup_problems

from cmethics import corpus, course
from cmethics.answers import slugify
from cmethics.widgets import Session, TrustCase
from cmethics.widgets import trust as trust_module

esc = trust_module.esc

GOOD_PATH = ["holding_reply", "push_back", "commit", "let_discuss"]


def saved(root: Path, student: str = "ada") -> dict:
    return json.loads((root / slugify(student) / "trust.json").read_text(encoding="utf-8"))[
        "answers"
    ]


def every_path(
    scenario: course.TrustScenario, node: str, path: list[str]
) -> Iterator[tuple[list[str], str]]:
    """Every path through the scenario, as choice ids, with the ending it reaches."""
    if scenario.is_ending(node):
        yield path, node
        return
    for choice in scenario.node(node).choices:
        yield from every_path(scenario, choice.leads_to, [*path, choice.id])


def walk(case: TrustCase, choices: list[str]) -> None:
    for choice_id in choices:
        case.choice.value = choice_id
        case.choose_button.click()


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("trust", root=tmp_path, student="Ada", remember=False)


def test_the_case_opens_on_the_first_step_with_its_sources() -> None:
    case = TrustCase()
    scenario = course.trust_scenario()
    start = scenario.node(scenario.start)
    assert case.position == scenario.start and not case.ended
    assert esc(start.situation) in case.situation.value
    assert [v for _label, v in case.choice.options] == [c.id for c in start.choices]
    assert case.choice.value is None
    for quote in scenario.source_quotes:
        assert esc(quote.quote) in case.header.value
        assert esc(trust_module.translation(quote.quote)) in case.header.value
    assert "Our translation:" in case.header.value
    # Nothing to justify or restart before a path exists.
    assert case.justification_box.layout.display == "none"
    assert case.restart_button.disabled


def test_a_choice_must_be_selected_before_it_is_taken(session: Session, tmp_path: Path) -> None:
    case = TrustCase(session)
    case.choose_button.click()
    assert "Choose one of the options first" in case.status.value
    assert case.path == []
    assert not (tmp_path / slugify("Ada") / "trust.json").exists()


def test_each_choice_shows_its_consequence_argued_from_the_texts(
    session: Session, tmp_path: Path
) -> None:
    case = TrustCase(session)
    case.choice.value = "hide_comments"
    case.choose_button.click()
    assert saved(tmp_path) == {"trust.current": ["revelation/hide_comments"]}
    choice = course.trust_scenario().node("revelation").choices[1]
    history = case.history.value
    assert esc(choice.label) in history and esc(choice.consequence) in history
    for argument in choice.arguments:
        assert esc(argument.quote) in history
        assert esc(trust_module.translation(argument.quote)) in history
        assert esc(argument.argument) in history
    assert "Our translation:" in history and "Our commentary:" in history
    # The commenter (Flavien Chantrel, 004-c036) appears under a pseudonym.
    assert "Flavien Chantrel" not in history and "Commenter 27" in history
    assert "comment 004-c036" in history
    assert case.position == "censorship"
    assert esc(course.trust_scenario().node("censorship").situation) in case.situation.value
    assert not case.restart_button.disabled


def test_reaching_an_ending_saves_the_attempt_and_asks_for_a_justification(
    session: Session, tmp_path: Path
) -> None:
    case = TrustCase(session)
    walk(case, GOOD_PATH)
    assert case.ended and case.position == "end_trust"
    answers = saved(tmp_path)
    assert answers["trust.attempts"] == [
        {
            "path": [
                "revelation/holding_reply",
                "holding/push_back",
                "boardroom/commit",
                "open_plan/let_discuss",
            ],
            "ending": "end_trust",
        }
    ]
    assert answers["trust.current"] == []
    ending = course.trust_scenario().ending("end_trust")
    assert "Ending: Trust slowly rebuilt (a good outcome)" in case.situation.value
    assert esc(ending.text) in case.situation.value
    assert case.choice_box.layout.display == "none"
    assert case.justification_box.layout.display is None
    assert "Justify your path" in case.guidance.value
    assert "not on the ending you reached" in case.guidance.value
    case.justification.value = "I chose to pause the contest because"
    assert saved(tmp_path)["trust.justification"] == "I chose to pause the contest because"
    assert "7 words" in case.counter.value
    # Clicking again at an ending does nothing.
    case.choose_button.click()
    assert len(saved(tmp_path)["trust.attempts"]) == 1


def test_start_again_keeps_every_previous_path(session: Session, tmp_path: Path) -> None:
    case = TrustCase(session)
    walk(case, GOOD_PATH)
    case.restart_button.click()
    assert case.path == [] and case.position == "revelation"
    walk(case, ["keep_schedule", "delete_critics"])
    case.restart_button.click()  # abandoned before an ending: kept, with no ending
    walk(case, ["go_to_management", "refused", "resign"])
    attempts = saved(tmp_path)["trust.attempts"]
    assert [a["ending"] for a in attempts] == ["end_trust", None, "end_door"]
    assert attempts[1]["path"] == ["revelation/keep_schedule", "silence/delete_critics"]
    view = case.attempts_view.value
    assert view.count("<li>") == 3
    assert "left before an ending" in view
    assert "ending: You leave (a mixed outcome)" in view
    # The justification box stays offered after starting again.
    case.restart_button.click()
    assert case.justification_box.layout.display is None


def test_every_ending_can_be_reached_and_every_passage_has_our_translation() -> None:
    scenario = course.trust_scenario()
    paths = list(every_path(scenario, scenario.start, []))
    assert {ending for _path, ending in paths} == {e.id for e in scenario.endings}
    case = TrustCase()
    for path, ending in paths:
        case.start_again()
        walk(case, path)
        assert case.ended and case.position == ending
        assert esc(scenario.ending(ending).title) in case.situation.value
    assert len(case.attempts) == len(paths)
    quotes = [q.quote for q in scenario.source_quotes]
    quotes += [a.quote for n in scenario.nodes for c in n.choices for a in c.arguments]
    quotes += [a.quote for e in scenario.endings for a in e.arguments]
    for quote in quotes:
        assert trust_module.translation(quote), f"no translation for {quote[:50]!r}"
    for french in trust_module.TRANSLATIONS:
        assert corpus.is_verbatim(french), french


def test_commenters_named_in_our_commentary_appear_under_pseudonyms() -> None:
    case = TrustCase()
    walk(case, ["keep_schedule", "generic_statement", "back_to_management", "refused"])
    walk(case, ["honest_minimum"])  # ends on "A fragile truce", argued by Lucile Merra (004-c002)
    html = case.situation.value + case.history.value
    assert "Lucile Merra" not in html
    assert "Commenter 15 in 004" in html


def test_a_path_in_progress_and_past_attempts_survive_a_kernel_restart(tmp_path: Path) -> None:
    first = TrustCase(Session("trust", root=tmp_path, student="Ada", remember=False))
    walk(first, GOOD_PATH)
    first.justification.value = "Trust follows substance."
    first.restart_button.click()
    walk(first, ["keep_schedule", "escalate"])
    again = TrustCase(Session("trust", root=tmp_path, student="Ada", remember=False))
    assert again.path == [("revelation", "keep_schedule"), ("silence", "escalate")]
    assert again.position == "boardroom"
    assert "Situation 3: In the boardroom" in again.situation.value
    assert len(again.attempts) == 1 and again.attempts[0]["ending"] == "end_trust"
    assert again.justification.value == "Trust follows substance."
    assert again.justification_box.layout.display is None
    walk(again, ["commit", "curate"])
    assert [a["ending"] for a in saved(tmp_path)["trust.attempts"]] == ["end_trust", "end_fragile"]


def test_a_corrupt_or_hand_edited_file_is_survived(tmp_path: Path) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "trust.json").write_text('{"schema": ', encoding="utf-8")
    session = Session("trust", root=tmp_path, student="Ada", remember=False)
    TrustCase(session)
    assert "could not be read" in all_html(session.bar)
    session.store.update(
        {
            "trust.attempts": [
                {"path": ["revelation/holding_reply", "holding/no_such_choice"], "ending": None},
                {"path": ["silence/delete_critics"], "ending": "end_revolt"},
                {"path": ["revelation/keep_schedule"], "ending": ["end_trust"]},
                "not an attempt",
                {"path": ["revelation/go_to_management"], "ending": None},
            ],
            "trust.current": ["revelation", 3],
            "trust.justification": {"text": "x"},
        }
    )
    again = TrustCase(Session("trust", root=tmp_path, student="Ada", remember=False))
    assert again.attempts == [{"path": ["revelation/go_to_management"], "ending": None}]
    assert again.path == [] and again.position == "revelation"
    assert again.justification.value == ""
    session.store.set("trust.attempts", "everything")
    assert TrustCase(Session("trust", root=tmp_path, student="Ada", remember=False)).attempts == []


def test_preview_without_session_saves_nothing(tmp_path: Path) -> None:
    case = TrustCase()
    walk(case, GOOD_PATH)
    case.justification.value = "A preview."
    case.restart_button.click()
    assert len(case.attempts) == 1
    assert not any(tmp_path.rglob("*.json"))


def test_untrusted_text_never_becomes_live_markup(poison: Poison, tmp_path: Path) -> None:
    poison(corpus, "comments", speaker=EVIL[1], text=" ".join(EVIL))
    session = Session("trust", root=tmp_path, student=EVIL[2], remember=False)
    case = TrustCase(session)
    walk(case, ["hide_comments", "admit_and_restore", "refused", "resign"])
    case.justification.value = " ".join(EVIL)
    assert "&lt;img src=x onerror=alert(1)&gt;" in case.history.value  # the speaker, escaped
    html = all_html(case) + all_html(session.bar)
    case.restart_button.click()
    walk(case, ["keep_schedule"])
    html += all_html(case) + all_html(session.bar)
    assert not live_markup_problems(html), live_markup_problems(html)


def test_the_word_count_of_a_one_word_justification_is_singular(session: Session) -> None:
    case = TrustCase(session)
    case.justification.value = "Trust."
    assert "1 word (aim for 150 to 300)" in case.counter.value

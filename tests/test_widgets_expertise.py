"""The expertise sorter, driven like a student would: items assigned, feedback read, revised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from poison import Poison
from widget_support import EVIL, all_html, live_markup_problems

from cmethics import corpus, course
from cmethics.answers import slugify
from cmethics.widgets import ExpertiseSorter, Session
from cmethics.widgets import expertise as expertise_module

esc = expertise_module.esc


def saved(root: Path, student: str = "ada") -> dict:
    return json.loads((root / slugify(student) / "expertise.json").read_text(encoding="utf-8"))[
        "answers"
    ]


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("expertise", root=tmp_path, student="Ada", remember=False)


def test_every_item_and_every_type_of_source_002_is_offered() -> None:
    sorter = ExpertiseSorter()
    items = course.expertise_items()
    assert [i.id for i in sorter.items] == [i.id for i in items]
    assert len(sorter.items) == 14
    assert sum(1 for i in items if i.kind == "fictional_profile") == 4
    assert [value for _label, value in sorter.choice.options] == [
        t.id for t in course.expertise_typology()
    ]
    labels = [label for label, _value in sorter.choice.options]
    assert any("mentioned only in passing" in label for label in labels)
    assert "0 of 14 answered" in sorter.score.value
    assert sorter.choice.value is None and sorter.feedback.value == ""


def test_a_quoted_item_shows_the_french_as_printed_our_translation_and_a_pseudonym() -> None:
    sorter = ExpertiseSorter()
    sorter.go_to("item_07")  # Salamandre, a commenter under 002
    card = sorter.card.value
    item = sorter.current
    assert '<blockquote lang="fr"' in card and esc(item.text) in card
    assert "Our translation:" in card
    assert esc(expertise_module.translation(item.text)) in card
    assert "comment 002-c012" in card
    assert "Salamandre" not in card and "Commenter 10" in card
    # An unsigned reply in the author's voice is the author's, never a name we inferred.
    sorter.go_to("item_04")
    assert "the article\u2019s author (unsigned reply)" in sorter.card.value
    # Article authors keep their names.
    sorter.go_to("item_09")
    assert "Frédéric Bascuñana" in sorter.card.value
    # Fictional profiles are marked as such and are not presented as quotations.
    sorter.go_to("item_11")
    assert "Fictional profile." in sorter.card.value
    assert "not from the sources" in sorter.card.value
    assert "blockquote" not in sorter.card.value


def test_choosing_saves_at_once_and_the_feedback_quotes_the_article(
    session: Session, tmp_path: Path
) -> None:
    sorter = ExpertiseSorter(session)
    item = sorter.current  # item_01: the key says expert
    assert item.expected == ("expert",)
    sorter.choice.value = "gourou"
    assert saved(tmp_path) == {"expertise.item_01": {"answer": "gourou", "matches_key": False}}
    feedback = sorter.feedback.value
    assert "The key reads this item as L\u2019Expert" in feedback
    assert esc(item.feedback.quote) in feedback
    assert esc(expertise_module.translation(item.feedback.quote)) in feedback
    assert esc(item.feedback.explanation) in feedback and "Our explanation:" in feedback
    # The definition of the type the student chose, to compare.
    gourou = next(t for t in course.expertise_typology() if t.id == "gourou")
    assert esc(gourou.quotes[0].quote) in feedback
    assert "0 of 14 matched the key (1 of 14 answered)" in sorter.score.value
    # Revising is allowed and overwrites the answer.
    sorter.choice.value = "expert"
    assert saved(tmp_path)["expertise.item_01"] == {"answer": "expert", "matches_key": True}
    assert "Your answer matches the key." in sorter.feedback.value
    assert esc(gourou.quotes[0].quote) not in sorter.feedback.value
    assert "1 of 14 matched the key (1 of 14 answered)" in sorter.score.value


def test_an_ambiguous_item_accepts_both_answers_and_says_why(
    session: Session, tmp_path: Path
) -> None:
    sorter = ExpertiseSorter(session)
    sorter.go_to("item_02")
    item = sorter.current
    assert set(item.expected) == {"expert", "gourou"}
    for answer in ("gourou", "expert"):
        sorter.choice.value = answer
        assert saved(tmp_path)["expertise.item_02"] == {"answer": answer, "matches_key": True}
        assert "which accepts" in sorter.feedback.value
        assert "Why two answers are accepted:" in sorter.feedback.value
        assert esc(item.ambiguity) in sorter.feedback.value
    sorter.choice.value = "stagiaire"
    assert saved(tmp_path)["expertise.item_02"]["matches_key"] is False


def test_navigation_and_the_picker_follow_the_answers(session: Session) -> None:
    sorter = ExpertiseSorter(session)
    assert sorter.previous_button.disabled
    sorter.next_button.click()
    assert sorter.current.id == "item_02"
    sorter.previous_button.click()
    assert sorter.current.id == "item_01"
    sorter.choice.value = "expert"
    assert sorter.item_picker.options[0][0] == "1. statement (\u2713 answered)"
    sorter.next_unanswered_button.click()
    assert sorter.current.id == "item_02" and sorter.choice.value is None
    sorter.item_picker.value = 13
    assert sorter.current.id == "item_14"
    assert sorter.next_button.disabled
    assert "fictional profile" in sorter.item_picker.options[13][0]
    # Going back shows the saved answer and its feedback again.
    sorter.go_to("item_01")
    assert sorter.choice.value == "expert"
    assert "matches the key" in sorter.feedback.value


def test_answering_everything_gives_a_score_without_judgement(session: Session) -> None:
    sorter = ExpertiseSorter(session)
    for k, item in enumerate(sorter.items):
        sorter.go_to_index(k)
        # Match the key on the first nine, choose a type outside it on the rest.
        wrong = next(t for t in sorter._types if t not in item.expected)
        sorter.choice.value = item.expected[0] if k < 9 else wrong
    assert sorter.score_counts() == (9, 14)
    assert "9 of 14 matched the key (14 of 14 answered)" in sorter.score.value
    for word in ("wrong", "fail", "bad"):
        assert word not in sorter.score.value.lower()
    sorter.next_unanswered_button.click()
    assert "Every item has an answer." in sorter.score.value


def test_answers_survive_a_kernel_restart_and_the_key_is_recomputed(tmp_path: Path) -> None:
    first = ExpertiseSorter(Session("expertise", root=tmp_path, student="Ada", remember=False))
    first.choice.value = "expert"
    first.go_to("item_05")
    first.choice.value = "homme_de_l_ombre"
    # A hand-edited file claims a match that the key does not give.
    store = first.session.store
    store.set("expertise.item_05", {"answer": "homme_de_l_ombre", "matches_key": True})
    again = ExpertiseSorter(Session("expertise", root=tmp_path, student="Ada", remember=False))
    assert again.answers == {"item_01": "expert", "item_05": "homme_de_l_ombre"}
    assert again.choice.value == "expert"
    assert again.score_counts() == (1, 2)
    again.go_to("item_05")
    assert again.choice.value == "homme_de_l_ombre"
    assert "The key reads this item as Le fameux Gourou" in again.feedback.value


def test_a_corrupt_or_hand_edited_file_is_survived(tmp_path: Path) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "expertise.json").write_text("{not json", encoding="utf-8")
    session = Session("expertise", root=tmp_path, student="Ada", remember=False)
    sorter = ExpertiseSorter(session)
    assert "could not be read" in all_html(session.bar)
    assert list((tmp_path / slugify("Ada")).glob("expertise.corrupt-*.json"))
    session.store.update(
        {
            "expertise.item_01": {"answer": "astrologer", "matches_key": True},
            "expertise.item_02": "gourou",
            "expertise.item_03": {"answer": ["gourou"]},
        }
    )
    again = ExpertiseSorter(Session("expertise", root=tmp_path, student="Ada", remember=False))
    assert again.answers == {}
    assert again.choice.value is None
    assert sorter.choice.value is None
    again.choice.value = "expert"
    assert saved(tmp_path)["expertise.item_01"] == {"answer": "expert", "matches_key": True}


def test_preview_without_session_saves_nothing(tmp_path: Path) -> None:
    sorter = ExpertiseSorter()
    sorter.choice.value = "gourou"
    sorter.show_types.value = True
    assert "Your answer" not in sorter.score.value
    assert "0 of 14 matched the key (1 of 14 answered)" in sorter.score.value
    assert not any(tmp_path.rglob("*.json"))


def test_the_typology_shows_each_type_with_its_definition_and_our_gloss() -> None:
    sorter = ExpertiseSorter()
    assert sorter.types_view.value == ""
    sorter.show_types.value = True
    view = sorter.types_view.value
    assert sorter.show_types.description == "Hide the five types"
    for kind in course.expertise_typology():
        assert esc(kind.label) in view and esc(kind.gloss) in view
        for quote in kind.quotes:
            assert esc(quote.quote) in view
            assert esc(expertise_module.translation(quote.quote)) in view
    assert view.count("Our gloss:") == 5
    assert "Mentioned only in passing." in view
    sorter.show_types.value = False
    assert sorter.types_view.value == ""


def test_every_passage_shown_has_our_translation_and_every_translation_is_verbatim() -> None:
    quotes = [q.quote for t in course.expertise_typology() for q in t.quotes]
    for item in course.expertise_items():
        quotes.append(item.feedback.quote)
        if item.kind == "quote":
            quotes.append(item.text)
    for quote in quotes:
        assert expertise_module.translation(quote), f"no translation for {quote[:50]!r}"
    for french in expertise_module.TRANSLATIONS:
        assert corpus.is_verbatim(french), french


def test_french_phrases_in_our_notes_get_our_translation_inline() -> None:
    notes = [t.note or "" for t in course.expertise_typology()]
    for item in course.expertise_items():
        notes += [item.feedback.explanation, item.ambiguity or ""]
    phrases = [p for note in notes for p in re.findall(r"«\s*(.*?)\s*»", note)]
    assert phrases
    for phrase in phrases:
        assert expertise_module.translation(phrase), f"no translation for « {phrase} »"
    sorter = ExpertiseSorter()
    sorter.go_to("item_14")
    sorter.choice.value = "gourou"
    assert "« carte blanche » (a free hand; our translation)" in sorter.feedback.value
    sorter.show_types.value = True
    assert "(4 categories of players; our translation)" in sorter.types_view.value


def test_untrusted_text_never_becomes_live_markup(poison: Poison, tmp_path: Path) -> None:
    evil = " ".join(EVIL)

    def hostile_items(items: tuple) -> tuple:
        return tuple(
            item.model_copy(
                update={
                    "text": evil,
                    "ambiguity": evil if item.ambiguity else None,
                    "feedback": item.feedback.model_copy(
                        update={
                            "quote": evil,
                            "explanation": f"« {evil} » « carte blanche » {evil}",
                        }
                    ),
                }
            )
            for item in items
        )

    poison(corpus, "comments", speaker=EVIL[1], text=evil)
    poison(course, "expertise_items", edit=hostile_items)
    session = Session("expertise", root=tmp_path, student=EVIL[0], remember=False)
    session.store.set("expertise.item_03", {"answer": EVIL[1], "matches_key": True})
    sorter = ExpertiseSorter(session)
    sorter.show_types.value = True
    for item_id, answer in (("item_01", "gourou"), ("item_02", "expert")):
        sorter.go_to(item_id)
        sorter.choice.value = answer
        html = all_html(sorter) + all_html(session.bar)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sorter.card.value
        assert "&lt;img src=x onerror=alert(1)&gt;" in sorter.feedback.value
        assert not live_markup_problems(html), live_markup_problems(html)
    sorter.go_to("item_03")
    assert sorter.choice.value is None

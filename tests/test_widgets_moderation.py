"""The moderation case, driven like a student would: warning, opt-out, choice, justification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from poison import Poison
from widget_support import EVIL, all_html, live_markup_problems

from cmethics import corpus, course
from cmethics.answers import slugify
from cmethics.widgets import ModerationCase, Session
from cmethics.widgets import moderation as moderation_module

ABUSIVE_ID = "003-c002"


def abusive_text() -> str:
    comments = corpus.comments().set_index("comment_id")
    return str(comments.loc[ABUSIVE_ID, "text"])


def fragment() -> str:
    """A distinctive piece of the abusive comment (to look for it, never to print it)."""
    return corpus.normalize_ws(abusive_text())[:40]


def saved(root: Path) -> dict:
    path = root / slugify("Ada") / "role.json"
    return json.loads(path.read_text(encoding="utf-8"))["answers"] if path.exists() else {}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("role", root=tmp_path, student="Ada", remember=False)


def test_the_case_is_the_abusive_comment_under_003() -> None:
    case = course.moderation_case()
    assert case.comment.comment_id == ABUSIVE_ID
    assert len(abusive_text()) > 20


def test_the_comment_is_nowhere_until_the_student_asks_after_the_warning(
    session: Session, tmp_path: Path
) -> None:
    case_widget = ModerationCase(session)
    html = all_html(case_widget)
    assert fragment() not in corpus.normalize_ws(html)
    assert "Content warning" in case_widget.warning.value
    assert case_widget.show_button.description == "Show the comment"
    case_widget.show_button.click()
    assert fragment() in corpus.normalize_ws(case_widget.comment_view.value)
    assert saved(tmp_path) == {}  # reading or skipping is never recorded
    case_widget.show_button.click()  # "Hide the comment"
    assert case_widget.comment_view.value == ""
    assert fragment() not in corpus.normalize_ws(all_html(case_widget))


def test_opting_out_gives_the_description_and_never_the_comment(
    session: Session, tmp_path: Path
) -> None:
    case_widget = ModerationCase(session)
    case_widget.skip_button.click()
    assert saved(tmp_path) == {}
    assert "You chose not to read the comment" in case_widget.description.value
    # The whole case can be done without seeing the comment.
    case_widget.choice.value = "delete_and_note"
    case_widget.justification.value = "I remove it and say so. " * 12
    case_widget.reveal_button.click()
    assert "Consequences" in case_widget.feedback.value
    assert fragment() not in corpus.normalize_ws(all_html(case_widget))
    assert not any(k in saved(tmp_path) for k in ("moderation.viewed", "moderation.opted_out"))


def test_choose_justify_then_see_consequences_and_compare(session: Session, tmp_path: Path) -> None:
    case_widget = ModerationCase(session)
    case_widget.reveal_button.click()
    assert "choose a response" in case_widget.status.value
    case_widget.choice.value = "leave_it"
    assert saved(tmp_path)["moderation.choice"] == "leave_it"
    assert "neither answer nor remove" in case_widget.choice_description.value
    case_widget.justification.value = "Too short."
    assert saved(tmp_path)["moderation.justification"] == "Too short."
    case_widget.reveal_button.click()
    assert "at least 200 characters" in case_widget.status.value
    assert case_widget.feedback.value == ""
    text = "Leaving it shifts the work to readers, but deleting it silently hides the rules. " * 3
    case_widget.justification.value = text
    assert "characters" in case_widget.counter.value
    case_widget.reveal_button.click()
    feedback = case_widget.feedback.value
    option = course.moderation_case().option("leave_it")
    for consequence in option.consequences:
        assert moderation_module.esc(consequence.text) in feedback
    for argument in option.arguments_from_sources:
        assert moderation_module.esc(argument.quote) in feedback
        assert moderation_module.esc(moderation_module.translation(argument.quote)) in feedback
    assert "Our translation:" in feedback and "(our paraphrase)" in feedback
    assert "ACM Code of Ethics" in feedback and "What it says on moderation" in feedback
    answers = saved(tmp_path)
    assert answers["moderation.first_choice"] == "leave_it"
    assert answers["moderation.feedback_seen"] is True
    # Compare with the others.
    assert "leave_it" not in [v for _l, v in case_widget.compare_with.options]
    case_widget.compare_with.value = "report"
    assert "Remove it, keep a record and report it" in case_widget.comparison.value
    # A change of mind after the feedback: the first choice is kept, the new one shown.
    case_widget.choice.value = "delete_and_note"
    answers = saved(tmp_path)
    assert answers["moderation.choice"] == "delete_and_note"
    assert answers["moderation.first_choice"] == "leave_it"
    assert "You first chose" in case_widget.feedback.value


def test_every_quoted_passage_is_verbatim_and_has_our_translation() -> None:
    case = course.moderation_case()
    quotes = [r.quote for r in case.reactions_in_thread]
    for option in case.options:
        quotes += [a.quote for a in option.arguments_from_sources]
    for quote in quotes:
        assert moderation_module.translation(quote), f"no translation for {quote[:40]!r}"
    for french in moderation_module.TRANSLATIONS:
        assert corpus.is_verbatim(french), french


def test_restore_after_a_kernel_restart_never_reshows_the_comment(tmp_path: Path) -> None:
    first = ModerationCase(Session("role", root=tmp_path, student="Ada", remember=False))
    first.show_button.click()
    first.choice.value = "ban_block"
    first.justification.value = "Block: racist abuse is not a debate. " * 8
    first.reveal_button.click()
    again = ModerationCase(Session("role", root=tmp_path, student="Ada", remember=False))
    assert again.comment_view.value == ""
    assert fragment() not in corpus.normalize_ws(all_html(again))
    assert "Content warning" in again.warning.value  # back to the warning, nothing remembered
    assert again.choice.value == "ban_block"
    assert again.justification.value.startswith("Block: racist abuse")
    assert "Delete it and block its author" in again.feedback.value
    # Skipping is not recorded either: on reopening the student chooses again, freely.
    skipper = Session("role", root=tmp_path, student="Bo", remember=False)
    ModerationCase(skipper).skip_button.click()
    reopened = ModerationCase(Session("role", root=tmp_path, student="Bo", remember=False))
    assert reopened.description.value == "" and reopened.comment_view.value == ""
    assert not (tmp_path / slugify("Bo") / "role.json").exists()


def test_a_corrupt_or_hand_edited_file_is_survived(tmp_path: Path) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "role.json").write_text("\x00\x01", encoding="utf-8")
    session = Session("role", root=tmp_path, student="Ada", remember=False)
    case_widget = ModerationCase(session)
    assert "could not be read" in all_html(session.bar)
    session.store.update(
        {
            "moderation.choice": "not_an_option",
            "moderation.justification": ["x"],
            "moderation.viewed": "yes",
            "moderation.feedback_seen": True,
        }
    )
    again = ModerationCase(Session("role", root=tmp_path, student="Ada", remember=False))
    assert again.choice.value is None and again.justification.value == ""
    assert not again.viewed
    assert again.feedback.value == ""
    assert case_widget.choice.value is None


def test_preview_without_session_saves_nothing(tmp_path: Path) -> None:
    case_widget = ModerationCase()
    case_widget.skip_button.click()
    case_widget.choice.value = "delete"
    assert not any(tmp_path.rglob("*.json"))


def test_untrusted_text_never_becomes_live_markup(poison: Poison, tmp_path: Path) -> None:
    poison(corpus, "comments", text=" ".join(EVIL), speaker=EVIL[1])
    session = Session("role", root=tmp_path, student=EVIL[2], remember=False)
    case_widget = ModerationCase(session)
    case_widget.show_button.click()
    case_widget.choice.value = "report"
    case_widget.justification.value = " ".join(EVIL) * 5
    case_widget.reveal_button.click()
    html = all_html(case_widget) + all_html(session.bar)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in case_widget.comment_view.value
    assert not live_markup_problems(html), live_markup_problems(html)


def test_the_consequences_button_stays_disabled_and_says_why_until_the_threshold(
    session: Session,
) -> None:
    # Issue 12: below 200 characters the button looked ready to press.
    case_widget = ModerationCase(session)
    assert case_widget.reveal_button.disabled
    assert "choose a response" in case_widget.reveal_button.tooltip
    case_widget.choice.value = "leave_it"
    case_widget.justification.value = "x"
    assert case_widget.reveal_button.disabled
    assert "1 character, 1 word." in case_widget.counter.value
    assert "199 more characters" in case_widget.counter.value
    assert "199 more characters" in case_widget.reveal_button.tooltip
    case_widget.justification.value = "y" * (moderation_module.MIN_CHARS - 1)
    assert case_widget.reveal_button.disabled and "1 more character)" in case_widget.counter.value
    case_widget.justification.value = "y" * moderation_module.MIN_CHARS
    assert not case_widget.reveal_button.disabled
    assert "You can now see the consequences" in case_widget.counter.value
    case_widget.choice.value = None
    assert case_widget.reveal_button.disabled

"""The one reader of the answer format: every kind of answer, once strict and once lenient.

Strict is the class report's reading (problems listed with the report's own wording, nothing
repaired); lenient is the exercises' (damaged answers repaired so that nothing stops a student).
Hostile values (wrong types, NaN, huge numbers, huge lists, unknown codes) must neither crash
nor flood the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cmethics import answer_format as af
from cmethics import course

BOOK = course.codebook()
COMPLETE = {
    "stance": "extends",
    "themes": ["trust", "role"],
    "addressed_to": "article_author",
    "ego_markers": ["none"],
    "rationale": "  The words show it.  ",
}
PATH = ["revelation/keep_schedule", "silence/delete_critics", "censorship/block_and_filter"]
HUGE = 10**400  # json.loads makes such an int, and float() of it overflows


# --------------------------------------------------------------------------- codings


def test_a_coding_read_strictly_is_the_reports_row() -> None:
    value, problems = af.parse_coding(COMPLETE, BOOK, strict=True)
    assert problems == ()
    assert value == {
        "stance": "extends",
        "themes": ("role", "trust"),  # codebook order, hashable
        "addressed_to": "article_author",
        "ego_markers": ("none",),
        "rationale": "The words show it.",
    }


def test_strict_lists_unknown_codes_in_the_reports_words_and_keeps_the_rest() -> None:
    hostile = {**COMPLETE, "stance": "strongly_agrees", "themes": ["trust", "zzz", 3]}
    value, problems = af.parse_coding(hostile, BOOK, strict=True)
    assert problems == (
        "stance: unknown code 'strongly_agrees'",
        "themes: unknown code 'zzz'",
        "themes: unknown code 3",
    )
    assert value is not None and value["stance"] is None and value["themes"] == ("trust",)


@pytest.mark.parametrize(
    ("value", "problem"),
    [([], "not a coding (a list)"), ("extends", "not a coding (a str)"), (None, None)],
)
def test_strict_gives_no_coding_for_a_non_mapping(value: Any, problem: str | None) -> None:
    result = af.parse_coding(value, BOOK, strict=True)
    assert result.value is None
    assert result.problems == ("not a coding (a NoneType)",) if problem is None else (problem,)


def test_strict_themes_left_empty_count_as_answered_only_beside_other_answers() -> None:
    assert af.parse_coding({"stance": "agrees"}, BOOK, strict=True).value["themes"] == ()
    assert af.parse_coding({"rationale": "only words"}, BOOK, strict=True) == (None, ())
    assert af.parse_coding({"themes": 7}, BOOK, strict=True).problems == ("themes: not a list",)


def test_a_coding_read_leniently_is_repaired_for_the_coder() -> None:
    hostile = {
        "stance": ["extends"],  # not a string: dropped
        "themes": ("trust", "zzz", "ego", None),
        "addressed_to": "nobody",
        "ego_markers": "none",  # a bare string for a list
        "rationale": 42,
    }
    value, problems = af.parse_coding(hostile, BOOK)
    assert value == {
        "stance": None,
        "themes": ["ego", "trust"],
        "addressed_to": None,
        "ego_markers": ["none"],
        "rationale": "",
    }
    assert "addressed_to: unknown code 'nobody'" in problems  # said, though repaired
    assert af.parse_coding(float("nan"), BOOK).value == af.empty_coding(BOOK)


def test_a_huge_list_of_unknown_codes_is_read_quickly_and_listed_briefly() -> None:
    hostile = {**COMPLETE, "themes": ["zzz"] * 1_000_000}
    strict = af.parse_coding(hostile, BOOK, strict=True)
    assert len(strict.problems) == af.MAX_PROBLEMS + 1
    assert strict.problems[-1] == f"and {1_000_000 - af.MAX_PROBLEMS} more problems"
    assert af.parse_coding(hostile, BOOK).value["themes"] == []


def test_a_pasted_essay_as_a_code_is_shown_short() -> None:
    (problem,) = af.parse_coding({"stance": "x" * 100_000}, BOOK, strict=True).problems
    assert problem.startswith("stance: unknown code 'xxx") and len(problem) < 100


# --------------------------------------------------------------------------- role placements


def test_a_placement_read_strictly_is_rounded_and_stripped() -> None:
    value = {"serves": 0.5, "works_by": -0.333, "justification": " brand first "}
    assert af.parse_placement(value, strict=True) == (
        {"serves": 0.5, "works_by": -0.33, "justification": "brand first"},
        (),
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([0.5, 0.5], "not a placement (a list)"),
        ({"serves": 3, "works_by": 0}, "serves = 3 is outside [-1, 1]"),
        ({"serves": 0, "works_by": "0.5"}, "works_by is not a number"),
        ({"serves": True, "works_by": 0}, "serves is not a number"),
        ({"serves": float("nan"), "works_by": 0}, "serves = nan is outside [-1, 1]"),
        ({"serves": 0, "works_by": float("-inf")}, "works_by = -inf is outside [-1, 1]"),
        ({"serves": HUGE, "works_by": 0}, "serves = a 1329-bit integer is outside [-1, 1]"),
        ({"works_by": 0}, "serves is not a number"),
    ],
)
def test_strict_rejects_a_placement_off_the_map(value: Any, problem: str) -> None:
    assert af.parse_placement(value, strict=True) == (None, (problem,))


def test_lenient_keeps_a_placement_as_the_comparer_restores_it() -> None:
    value = {"serves": 1, "works_by": -0.004, "justification": [" not text "]}
    assert af.parse_placement(value).value == {"serves": 1.0, "works_by": -0.0, "justification": ""}
    assert af.parse_placement({"serves": 0.5, "works_by": 0, "justification": " t "}).value == {
        "serves": 0.5,
        "works_by": 0.0,
        "justification": " t ",  # as typed: the student is still editing it
    }
    assert af.parse_placement({"serves": 2, "works_by": 0}).value is None  # nothing to repair


def test_rounding_changes_nothing_the_comparer_saved() -> None:
    # The comparer saves round(x, 2); reading it rounds again, which is the identity.
    for hundredths in range(-100, 101):
        saved = round(hundredths / 100 + 1e-9, 2)
        value = af.parse_placement({"serves": saved, "works_by": saved}, strict=True).value
        assert value is not None and value["serves"] == saved


# --------------------------------------------------------------------------- simple values


def test_text_flags_and_choices_in_both_modes() -> None:
    assert af.parse_text(" as typed ", strict=True) == (" as typed ", ())
    assert af.parse_text(["x"], strict=True) == (None, ("not text (a list)",))
    assert af.parse_text(12) == ("", ("not text (a int)",))
    assert af.parse_flag(True, strict=True) == (True, ())
    assert af.parse_flag("yes", strict=True) == (None, ("not true or false (a str)",))
    assert af.parse_flag(1) == (False, ("not true or false (a int)",))
    options = {"delete", "report"}
    assert af.parse_choice("delete", options, strict=True) == ("delete", ())
    assert af.parse_choice(None, options, strict=True) == (None, ())  # null: not chosen yet
    assert af.parse_choice("nuke", options) == (None, ("unknown choice 'nuke'",))
    assert af.parse_choice(["delete"], options) == (None, ("not an id (a list)",))  # no crash


def test_an_expertise_answer_in_both_modes() -> None:
    good = {"answer": "gourou", "matches_key": False}
    assert af.parse_expertise_choice(good, strict=True) == ("gourou", ())
    stale = {"answer": "gourou", "matches_key": "no"}
    assert af.parse_expertise_choice(stale, strict=True) == (
        None,
        ("matches_key: not true or false (a str)",),
    )
    assert af.parse_expertise_choice(stale).value == "gourou"  # the sorter recomputes the key
    unknown = af.parse_expertise_choice({"answer": "wizard", "matches_key": True})
    assert unknown == (None, ("answer: unknown type 'wizard'",))
    assert af.parse_expertise_choice("gourou").problems == ("not an expertise answer (a str)",)


def test_an_ownership_rewrite_in_both_modes() -> None:
    good = {"sentence_id": "000-p037-s12", "text": "La communauté décide."}
    assert af.parse_rewrite(good, strict=True) == (good, ())
    damaged = {"sentence_id": 12, "text": "Ma phrase."}
    assert af.parse_rewrite(damaged, strict=True) == (
        None,
        ("sentence_id: not a sentence id (12)",),
    )
    assert af.parse_rewrite(damaged).value == {"sentence_id": None, "text": "Ma phrase."}
    assert af.parse_rewrite(None).value == {"sentence_id": None, "text": ""}


# --------------------------------------------------------------------------- ego lab


def test_an_ego_prediction_in_both_modes() -> None:
    assert af.parse_ego_prediction({"i": 2.346, "we": 0, "you": 100}, strict=True) == (
        {"i": 2.35, "we": 0.0, "you": 100.0},
        (),
    )
    for bad, problem in [
        ({"i": -1, "we": 0, "you": 0}, "i = -1 is not a rate from 0 to 100"),
        ({"i": 1, "we": float("nan"), "you": 0}, "we = nan is not a rate from 0 to 100"),
        ({"i": 1, "we": 1, "you": HUGE}, "you = a 1329-bit integer is not a rate from 0 to 100"),
        ({"i": 1, "we": 1}, "you = None is not a rate from 0 to 100"),
    ]:
        assert af.parse_ego_prediction(bad, strict=True) == (None, (problem,))
        assert af.parse_ego_prediction(bad).value is None  # nothing to repair to


def test_an_ego_result_in_both_modes() -> None:
    prediction = {"i": 1.0, "we": 2.0, "you": 3.0}
    saved = {"prediction": prediction, "actual": {"i": 0.5, "n_words": 300}}
    assert af.parse_ego_result(saved, strict=True) == (saved, ())
    assert af.parse_ego_result(saved).value == {"prediction": prediction}
    broken = {"prediction": prediction, "actual": "lost"}
    assert af.parse_ego_result(broken, strict=True) == (None, ("actual: not a profile (a str)",))
    assert af.parse_ego_result(broken).value == {"prediction": prediction}


# --------------------------------------------------------------------------- trust case


def test_a_trust_path_in_both_modes() -> None:
    assert af.parse_trust_path(PATH, strict=True) == (
        [
            ("revelation", "keep_schedule"),
            ("silence", "delete_critics"),
            ("censorship", "block_and_filter"),
        ],
        (),
    )
    off = ["revelation/keep_schedule", "censorship/block_and_filter"]
    expected = ("step 2: 'censorship/block_and_filter' is not a choice at 'silence'",)
    assert af.parse_trust_path(off, strict=True) == (None, expected)
    assert af.parse_trust_path(off) == ([], expected)  # lenient: start the case again
    assert af.parse_trust_path({"path": PATH}).problems == ("not a path (a dict)",)


def test_trust_attempts_in_both_modes() -> None:
    attempts = [
        {"path": PATH, "ending": "end_revolt"},
        {"path": PATH[:1], "ending": None},
        {"path": PATH, "ending": "end_of_the_world"},
        "not an attempt",
    ]
    strict = af.parse_trust_attempts(attempts, strict=True)
    assert strict == (
        None,
        ("attempt 3: unknown ending 'end_of_the_world'", "attempt 4: not an attempt (a str)"),
    )
    assert af.parse_trust_attempts(attempts).value == attempts[:2]
    many = af.parse_trust_attempts(["x"] * 100_000)
    assert many.value == [] and len(many.problems) == af.MAX_PROBLEMS + 1


# --------------------------------------------------------------------------- any key


def test_every_answer_the_demo_class_saved_is_read_strictly_without_a_problem(
    tmp_path: Path,
) -> None:
    from cmethics.classroom import demo_class

    demo_class(tmp_path, n_students=4, broken=False)
    kinds = set()
    for path in tmp_path.rglob("*.json"):
        for content in json.loads(path.read_text(encoding="utf-8"))["exercises"].values():
            for key, value in content["answers"].items():
                assert af.parse_answer(key, value, strict=True).problems == (), key
                kinds.add(key.split(".")[0])
    assert {"coder", "coder_thread", "roles", "moderation", "ego", "reflection"} <= kinds


def test_an_unknown_key_is_kept_leniently_and_refused_strictly() -> None:
    assert af.parse_answer("future.thing", {"a": 1}) == ({"a": 1}, ("not a known answer",))
    assert af.parse_answer("future.thing", {"a": 1}, strict=True).value is None
    assert af.parse_answer("trust.current", PATH, strict=True).ok
    assert af.parse_answer("ownership.rewrite_2", {"text": "x"}).value["text"] == "x"


def test_the_reader_and_the_coding_logic_import_without_widgets() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cmethics.answer_format as a; assert 'pandas' not in sys.modules, 'pandas'; "
        "import cmethics.coding; assert 'ipywidgets' not in sys.modules, 'ipywidgets'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

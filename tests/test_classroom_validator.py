"""The submission validator (fastjsonschema) says what is wrong in jsonschema's words (issue 13).

The class report quotes these messages to the teacher ("not a CM Ethics submission: 'exported_at'
is a required property"): the switch away from jsonschema, whose import cost a second, must not
change them. jsonschema itself is the reference here (a test may import it; the report may not).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cmethics.answers import MAX_NAME_CHARS, SUBMISSION_JSON_SCHEMA, load_submission

GOOD: dict[str, Any] = {
    "schema": "cmethics.submission/1",
    "student": "Ada",
    "exported_at": "2026-03-12T10:00:00+00:00",
    "course_version": "0.1.0",
    "exercises": {"ego": {"created": "x", "updated": "y", "answers": {"a": 1}}},
}

BAD = {
    "an exercise file": {
        "schema": "cmethics.answers/1",
        "exercise": "role",
        "student": "Saved but not exported",
        "created": "2026-03-12T09:00:00+00:00",
        "updated": "2026-03-12T09:00:00+00:00",
        "answers": {},
    },
    "a list": [GOOD],
    "a number as name": {**GOOD, "student": 3},
    "an empty name": {**GOOD, "student": ""},
    "a long name": {**GOOD, "student": "x" * (MAX_NAME_CHARS + 1)},
    "another schema": {**GOOD, "schema": "something else"},
    "no exercises": {k: v for k, v in GOOD.items() if k != "exercises"},
    "exercises as a list": {**GOOD, "exercises": []},
    "an exercise as text": {**GOOD, "exercises": {"ego": "done"}},
    "an exercise without answers": {**GOOD, "exercises": {"ego": {"created": "", "updated": ""}}},
    "answers as a list": {
        **GOOD,
        "exercises": {"ego": {"created": "", "updated": "", "answers": []}},
    },
    "a number as version": {**GOOD, "course_version": 1},
}


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_good_submission_is_read(tmp_path: Path) -> None:
    jsonschema.Draft202012Validator(SUBMISSION_JSON_SCHEMA).validate(GOOD)
    assert load_submission(_write(tmp_path, GOOD)) == GOOD


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_message_is_jsonschemas(tmp_path: Path, case: str) -> None:
    with pytest.raises(jsonschema.ValidationError) as reference:
        jsonschema.Draft202012Validator(SUBMISSION_JSON_SCHEMA).validate(BAD[case])
    with pytest.raises(ValueError) as found:
        load_submission(_write(tmp_path, BAD[case]))
    expected = f"not a CM Ethics submission: {reference.value.message}"
    if len(expected) > 200:  # a long value is cut: the report's problems stay short
        assert str(found.value).startswith(expected[:100]) and len(str(found.value)) < 200
    else:
        assert str(found.value) == expected


def test_a_date_is_not_checked_here(tmp_path: Path) -> None:
    # As with jsonschema (no format checker): the report itself says what is wrong with a date.
    odd = {**GOOD, "exported_at": "yesterday"}
    assert load_submission(_write(tmp_path, odd))["exported_at"] == "yesterday"

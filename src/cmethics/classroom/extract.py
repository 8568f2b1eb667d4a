"""Answer extraction: the codings, role placements and other answers out of each submission."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cmethics import answer_format, course
from cmethics.classroom.reading import Problem, Submission

__all__ = ["Extracted", "coder_codings", "extract_answers"]

_COMMENT_ID = re.compile(r"^00[0-4]-c\d{3}$")


def _latest_answers(sub: Submission) -> dict[str, tuple[str, Any]]:
    """Every answer of a submission, ``{key: (exercise, value)}``.

    The same key can be saved by two exercises (the role comparer is in ``role`` and in the
    ``capstone``): the exercise updated last wins, because it holds the student's latest view.
    """
    exercises = sub.data["exercises"]
    ordered = sorted(exercises.items(), key=lambda item: str(item[1].get("updated", "")))
    merged: dict[str, tuple[str, Any]] = {}
    for exercise, content in ordered:
        for key, value in content["answers"].items():
            merged[str(key)] = (exercise, value)
    return merged


@dataclass
class Extracted:
    """The answers of a class, as :func:`extract_answers` sorted them."""

    codings: pd.DataFrame
    positions: pd.DataFrame
    leaves: list[tuple[int, str, str, Any]]  # coder, exercise, key, value
    answer_problems: list[Problem]


def _flatten(key: str, value: Any, depth: int = 0) -> Iterable[tuple[str, Any]]:
    # Nested mappings become dotted keys (``ego.prediction.000.body.i``); three levels at most,
    # deeper structures are kept whole (and then shown nowhere but counted).
    if isinstance(value, Mapping) and depth < 3:
        for sub_key, sub_value in value.items():
            yield from _flatten(f"{key}.{sub_key}", sub_value, depth + 1)
    else:
        yield key, value


def extract_answers(
    submissions: Sequence[Submission],
    book: course.Codebook,
    comment_ids: set[str],
    rng: random.Random,
) -> Extracted:
    """Sort every answer of every submission: codings, role placements, the other answers.

    Coder numbers are shuffled with ``rng``; unusable answers are listed as problems.
    """
    coding_rows: list[dict[str, Any]] = []
    position_rows: list[dict[str, Any]] = []
    leaves: list[tuple[int, str, str, Any]] = []
    problems: list[Problem] = []
    known_points = set(course.role_map_points()["point_id"].astype(str))
    # Coder numbers are a random permutation: nothing in the tables follows the file order.
    numbers = list(range(1, len(submissions) + 1))
    rng.shuffle(numbers)
    for coder, sub in zip(numbers, submissions, strict=True):
        for key, (exercise, value) in _latest_answers(sub).items():
            if key.startswith("coder."):
                comment_id = key[len("coder.") :]
                if not _COMMENT_ID.match(comment_id) or comment_id not in comment_ids:
                    problems.append(Problem(sub.file, key, "no such comment in the corpus"))
                    continue
                coding, issues = answer_format.parse_coding(value, book, strict=True)
                for issue in issues:
                    problems.append(Problem(sub.file, key, issue))
                if coding is not None:
                    coding_rows.append(
                        {"coder": coder, "comment_id": comment_id, "exercise": exercise, **coding}
                    )
            elif key.startswith("roles."):
                point_id = key[len("roles.") :]
                if point_id not in known_points:
                    problems.append(Problem(sub.file, key, "no such definition on the role map"))
                    continue
                position, placement_issues = answer_format.parse_placement(value, strict=True)
                for issue in placement_issues:
                    problems.append(Problem(sub.file, key, issue))
                if position is not None:
                    position_rows.append({"coder": coder, "point_id": point_id, **position})
            else:
                for leaf_key, leaf in _flatten(key, value):
                    leaves.append((coder, exercise, leaf_key, leaf))
    columns = ["coder", "comment_id", "exercise", *(c.id for c in book.categories), "rationale"]
    # dtype=object: codes stay str / tuple / None (pandas would turn None into NaN in a str
    # column, and "not answered" must stay distinguishable from a code).
    codings = pd.DataFrame(coding_rows, columns=columns, dtype=object)
    codings["coder"] = codings["coder"].astype("int64")
    codings.insert(1, "article_id", codings["comment_id"].map(lambda c: c[:3]))
    positions = pd.DataFrame(
        position_rows, columns=["coder", "point_id", "serves", "works_by", "justification"]
    )
    return Extracted(codings, positions, leaves, problems)


def coder_codings(
    submissions: Sequence[Submission],
    book: course.Codebook | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Every comment coding of every submission, one row per (coder, comment).

    Parameters
    ----------
    submissions
        From :func:`read_submissions`.
    book
        The codebook (``course.codebook()`` when omitted).
    seed
        Fixes the random numbering of the coders (1..n, not in file order).

    Returns
    -------
    pandas.DataFrame
        ``coder`` (anonymous number), ``article_id``, ``comment_id``, ``exercise``, one column
        per codebook category (a code id, a tuple of code ids for multiple-choice categories,
        or ``None`` when not answered) and ``rationale``.
    """
    book = book or course.codebook()
    from cmethics import corpus

    ids = set(corpus.comments()["comment_id"].astype(str))
    return extract_answers(submissions, book, ids, random.Random(seed)).codings

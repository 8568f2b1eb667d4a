"""Comparing a student's coding of a thread with the instructor key: pure logic, no widgets.

The comment coder (``cmethics.widgets.coder``) shows the comparison to the student; the class
report can use it without importing ipywidgets. Codings are read with
:func:`cmethics.answer_format.parse_coding` (``normalize_coding`` here is its lenient mode).

>>> from cmethics.coding import compare_codings, reference_records
>>> key = reference_records("003")          # {comment_id: ReferenceRecord}
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cmethics import course
from cmethics.answer_format import empty_coding, parse_coding

__all__ = [
    "CategoryAgreement",
    "Comparison",
    "Difference",
    "compare_codings",
    "empty_coding",
    "normalize_coding",
    "reference_records",
]


def normalize_coding(value: Any, book: course.Codebook | None = None) -> dict[str, Any]:
    """Turn a saved value (possibly hand-edited or from an older codebook) into a clean coding.

    The lenient reading of :func:`cmethics.answer_format.parse_coding`: unknown codes are
    dropped, lists are put in codebook order, anything that is not a mapping gives an empty
    coding, so a damaged answer never stops the coder.
    """
    coding = parse_coding(value, book).value
    return coding if coding is not None else empty_coding(book)  # lenient: never None


# --------------------------------------------------------------------------- reference key


def reference_records(article_id: str) -> dict[str, course.ReferenceRecord]:
    """The instructor key of one thread, ``{comment_id: cmethics.course.ReferenceRecord}``.

    Raises
    ------
    cmethics.course.CourseDataError
        If the key is missing or malformed (the coder catches it and says so plainly).
    """
    return {r.comment_id: r for r in course.reference_coding().thread(article_id)}


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class CategoryAgreement:
    """Agreement with the key on one category, over the comparable comments."""

    category_id: str
    label: str
    multiple: bool
    compared: int
    agreeing: int
    mean_jaccard: float | None

    @property
    def share(self) -> float | None:
        """Share of compared comments where the student's codes equal the key's."""
        return self.agreeing / self.compared if self.compared else None


@dataclass(frozen=True)
class Difference:
    """One category of one comment where the student's codes differ from the key's."""

    comment_id: str
    category_id: str
    student: tuple[str, ...]
    key: tuple[str, ...]
    justification: str
    borderline: bool
    alternative: tuple[str, ...] | None

    @property
    def matches_alternative(self) -> bool:
        """Whether the student chose the key's accepted alternative for a borderline case."""
        return self.alternative is not None and set(self.student) == set(self.alternative)


@dataclass(frozen=True)
class Comparison:
    """The student's coding of a thread set beside the reference coding."""

    article_id: str
    n_comments: int
    compared: tuple[str, ...]
    not_coded: tuple[str, ...]
    no_key: tuple[str, ...]
    agreements: tuple[CategoryAgreement, ...]
    differences: tuple[Difference, ...]

    def differences_for(self, comment_id: str) -> list[Difference]:
        """The differences of one comment, in codebook order."""
        return [d for d in self.differences if d.comment_id == comment_id]


def _code_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def compare_codings(
    article_id: str,
    codings: Mapping[str, Mapping[str, Any]],
    reference: Mapping[str, course.ReferenceRecord],
    comment_ids: Iterable[str],
    book: course.Codebook | None = None,
    complete: Container[str] | None = None,
) -> Comparison:
    """Compare a student's codings of one thread with the key.

    Only comments whose coding is complete (``Codebook.check()`` finds no problem) are
    compared. Single-choice categories agree when the codes are equal; multiple-choice ones
    (themes, ego markers) when the SETS of codes are equal, and their mean Jaccard overlap
    (shared codes / codes chosen by either) is reported beside it.

    Parameters
    ----------
    article_id
        The thread.
    codings
        ``{comment_id: coding}`` as saved under ``coder.<comment_id>``.
    reference
        ``reference_records(article_id)``.
    comment_ids
        The thread's comments, in the order to report them.
    book
        The codebook (loaded when omitted).
    complete
        The ids of the fully coded comments, when the caller already knows them (the coder
        keeps them up to date, so that a comparison does not re-check every comment).
    """
    book = book or course.codebook()
    ids = list(comment_ids)
    compared, not_coded, no_key = [], [], []
    for cid in ids:
        coding = codings.get(cid)
        done = (cid in complete) if complete is not None else not book.check(coding or {})
        if coding is None or not done:
            not_coded.append(cid)
        elif cid not in reference:
            no_key.append(cid)
        else:
            compared.append(cid)
    agreements, differences = [], []
    for cat in book.categories:
        agreeing, overlaps = 0, []
        for cid in compared:
            student = _code_tuple(codings[cid].get(cat.id))
            record = reference[cid]
            key = _code_tuple(record.codes()[cat.id])
            overlaps.append(_jaccard(student, key))
            if set(student) == set(key):
                agreeing += 1
                continue
            alternative = record.alternative_codes().get(cat.id)
            differences.append(
                Difference(
                    comment_id=cid,
                    category_id=cat.id,
                    student=student,
                    key=key,
                    justification=record.justification(cat.id),
                    borderline=record.confidence == "borderline",
                    alternative=None if alternative is None else _code_tuple(alternative),
                )
            )
        agreements.append(
            CategoryAgreement(
                category_id=cat.id,
                label=cat.label,
                multiple=cat.multiple,
                compared=len(compared),
                agreeing=agreeing,
                mean_jaccard=(sum(overlaps) / len(overlaps) if cat.multiple and overlaps else None),
            )
        )
    order = {cid: i for i, cid in enumerate(ids)}
    differences.sort(key=lambda d: order[d.comment_id])
    return Comparison(
        article_id=article_id,
        n_comments=len(ids),
        compared=tuple(compared),
        not_coded=tuple(not_coded),
        no_key=tuple(no_key),
        agreements=tuple(agreements),
        differences=tuple(differences),
    )

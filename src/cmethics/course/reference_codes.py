"""The comment coder's instructor key (``reference_coding.yaml``), checked against the codebook."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field, model_validator

from cmethics.course._model import ArticleId, CommentId, CourseDataError, Id, Text, _Model, _unique
from cmethics.course.codes import codebook
from cmethics.course.loading import _load, _path

__all__ = [
    "REFERENCE_CATEGORIES",
    "ReferenceAlternative",
    "ReferenceCode",
    "ReferenceCodes",
    "ReferenceCoding",
    "ReferenceRecord",
    "reference_coding",
]

#: The codebook categories the key codes, in the codebook's display order.
REFERENCE_CATEGORIES = ("stance", "themes", "addressed_to", "ego_markers")


class ReferenceCode(_Model):
    """The key's code for a single-choice category, with its justification."""

    code: Id
    justification: Text


class ReferenceCodes(_Model):
    """The key's codes for a multiple-choice category (possibly none), with the justification."""

    codes: tuple[Id, ...]
    justification: Text


class ReferenceAlternative(_Model):
    """The coding a careful coder could reasonably choose instead, category by category."""

    stance: Id | None = None
    themes: tuple[Id, ...] | None = None
    addressed_to: Id | None = None
    ego_markers: tuple[Id, ...] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> ReferenceAlternative:
        if all(getattr(self, c) is None for c in REFERENCE_CATEGORIES):
            raise ValueError("an alternative must name at least one category")
        return self


class ReferenceRecord(_Model):
    """The instructor's coding of one comment, each code with its justification."""

    comment_id: CommentId
    article_id: ArticleId
    quote: str | None
    withheld: bool = False
    stance: ReferenceCode
    themes: ReferenceCodes
    addressed_to: ReferenceCode
    ego_markers: ReferenceCodes
    note: Text
    confidence: Literal["clear", "borderline"]
    alternative: ReferenceAlternative | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ReferenceRecord:
        cid = self.comment_id
        if not cid.startswith(self.article_id):
            raise ValueError(f"{cid} is not in article {self.article_id}")
        if self.withheld == (self.quote is not None):
            raise ValueError(f"{cid}: give a quote, or quote: null with withheld: true")
        if (self.confidence == "borderline") != (self.alternative is not None):
            raise ValueError(f"{cid}: a borderline record needs an alternative, a clear one none")
        if self.alternative is not None:
            chosen = self.codes()
            for cat, alt in self.alternative_codes().items():
                # Order does not matter in multiple-choice categories.
                same = (
                    sorted(alt) == sorted(chosen[cat])
                    if isinstance(alt, list)
                    else alt == chosen[cat]
                )
                if same:
                    raise ValueError(f"{cid}: the alternative {cat} is the key's own coding")
        return self

    def codes(self) -> dict[str, Any]:
        """The key's codes: ``{"stance": str, "themes": [str], "addressed_to": str,
        "ego_markers": [str]}``."""
        return {
            "stance": self.stance.code,
            "themes": list(self.themes.codes),
            "addressed_to": self.addressed_to.code,
            "ego_markers": list(self.ego_markers.codes),
        }

    def answer(self) -> dict[str, Any]:
        """The record as a comment coder's answer (the ``coder.<comment_id>`` value of
        ``docs/answers.md``), with the note as rationale, ready for :meth:`Codebook.check`."""
        return {**self.codes(), "rationale": self.note}

    def justification(self, category_id: str) -> str:
        """The justification of the key's code(s) for one category (``KeyError`` if unknown)."""
        if category_id not in REFERENCE_CATEGORIES:
            raise KeyError(category_id)
        return getattr(self, category_id).justification

    def alternative_codes(self) -> dict[str, Any]:
        """The alternative coding, only the categories that differ (empty when clear)."""
        if self.alternative is None:
            return {}
        out: dict[str, Any] = {}
        for cat in REFERENCE_CATEGORIES:
            alt = getattr(self.alternative, cat)
            if alt is not None:
                out[cat] = alt if isinstance(alt, str) else list(alt)
        return out


class ReferenceCoding(_Model):
    """The instructor key of the comment coder (``reference_coding.yaml``)."""

    schema_version: Literal[1]
    codebook_version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    description: Text
    records: tuple[ReferenceRecord, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> ReferenceCoding:
        _unique([r.comment_id for r in self.records], "comment")
        return self

    def record(self, comment_id: str) -> ReferenceRecord:
        """Return the record of one comment (``KeyError`` if the key has none)."""
        for r in self.records:
            if r.comment_id == comment_id:
                return r
        raise KeyError(comment_id)

    def answer(self, comment_id: str) -> dict[str, Any]:
        """The key's coding of one comment in the ``coder.<comment_id>`` answer format."""
        return self.record(comment_id).answer()

    def thread(self, article_id: str) -> tuple[ReferenceRecord, ...]:
        """The records of one thread, in page order."""
        return tuple(r for r in self.records if r.article_id == article_id)

    def frame(self) -> pd.DataFrame:
        """One row per comment: ids, codes, justifications, note, confidence, alternative.

        ``themes``, ``ego_markers`` and the ``alternative`` columns of multiple-choice
        categories hold tuples (use ``DataFrame.explode`` to count them); the other text
        columns have the ``string`` dtype. A fresh copy on every call.
        """
        rows = []
        for r in self.records:
            alt = r.alternative_codes()
            row: dict[str, Any] = {
                "comment_id": r.comment_id,
                "article_id": r.article_id,
                "stance": r.stance.code,
                "themes": r.themes.codes,
                "addressed_to": r.addressed_to.code,
                "ego_markers": r.ego_markers.codes,
            }
            for cat in REFERENCE_CATEGORIES:
                row[f"{cat}_justification"] = r.justification(cat)
            row["note"] = r.note
            row["confidence"] = r.confidence
            for cat in REFERENCE_CATEGORIES:
                value = alt.get(cat)
                row[f"alternative_{cat}"] = tuple(value) if isinstance(value, list) else value
            rows.append(row)
        frame = pd.DataFrame(rows)
        tuples = ("themes", "ego_markers", "alternative_themes", "alternative_ego_markers")
        for col in frame.columns:
            if col not in tuples:
                frame[col] = frame[col].astype("string")
        return frame


def reference_coding() -> ReferenceCoding:
    """Load the instructor key of the comment coder: one coded record per comment.

    Every code is checked against the codebook on load (unknown code, several codes in a
    single-choice category, ``none`` combined with a marker), so that a key and a codebook
    that drifted apart fail here rather than in the comparison a student sees.

    Returns
    -------
    ReferenceCoding
        ``records`` in page order; ``record(comment_id)``, ``answer(comment_id)`` (the
        ``coder.<comment_id>`` answer format, note as rationale), ``thread(article_id)`` and
        ``frame()`` (one row per comment).

    Raises
    ------
    CourseDataError
        If ``data/course/reference_coding.yaml`` is missing or malformed, or a record does
        not satisfy ``codebook().check``.

    Examples
    --------
    >>> key = reference_coding()
    >>> key.answer("004-c005")["stance"]
    'disagrees'
    """
    key = _load("reference_coding", ReferenceCoding)
    book = codebook()
    for rec in key.records:
        answers = [rec.answer()]
        if rec.alternative is not None:
            answers.append({**rec.answer(), **rec.alternative_codes()})
        for answer in answers:
            problems = book.check(answer)
            if problems:
                raise CourseDataError(
                    f"{_path('reference_coding')}: {rec.comment_id}: {' '.join(problems)}"
                )
    return key

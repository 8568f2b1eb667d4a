"""Models shared by several course files: quotations, stances on the role map, rubrics."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from cmethics.course._model import ArticleId, AxisValue, CommentId, Id, Text, _Model, _unique

__all__ = [
    "Argument",
    "AxisPosition",
    "Quotation",
    "Reaction",
    "Rubric",
    "RubricCriterion",
    "RubricLevel",
    "Stance",
]


class Quotation(_Model):
    """A verbatim quotation from a raw page, with where it comes from."""

    article_id: ArticleId
    quote: Text
    comment_id: CommentId | None = None
    speaker: str | None = None

    @model_validator(mode="after")
    def _comment_in_article(self) -> Quotation:
        if self.comment_id is not None and not self.comment_id.startswith(self.article_id):
            raise ValueError(f"comment {self.comment_id} is not in article {self.article_id}")
        return self


class Argument(Quotation):
    """A quotation used as an argument, with our English commentary."""

    argument: Text


class Reaction(Quotation):
    """A quotation showing how the thread reacted, with a note."""

    note: Text


class AxisPosition(_Model):
    """A position on one axis of the role map, in [-1, 1], with its justification."""

    value: AxisValue
    justification: Text


class Stance(_Model):
    """A position on both axes: ``serves`` (brand -1 .. community +1) and ``works_by``
    (control -1 .. trust +1)."""

    serves: AxisPosition
    works_by: AxisPosition


class RubricLevel(_Model):
    score: Annotated[int, Field(ge=0)]
    label: Text


class RubricCriterion(_Model):
    id: Id
    label: Text
    descriptors: tuple[Text, ...]


class Rubric(_Model):
    """A teacher's rubric: criteria, each with one descriptor per level."""

    description: Text
    levels: tuple[RubricLevel, ...] = Field(min_length=2)
    criteria: tuple[RubricCriterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _levels_match(self) -> Rubric:
        scores = [lv.score for lv in self.levels]
        if scores != list(range(len(scores))):
            raise ValueError(f"level scores must be 0, 1, 2, ... in order, got {scores}")
        _unique([c.id for c in self.criteria], "criterion")
        for c in self.criteria:
            if len(c.descriptors) != len(self.levels):
                raise ValueError(
                    f"criterion {c.id!r} has {len(c.descriptors)} descriptors for "
                    f"{len(self.levels)} levels"
                )
        return self

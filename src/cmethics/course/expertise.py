"""The expertise sorter's data (``expertise.yaml``): source 002's typology and the items to sort."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from cmethics.course._model import ArticleId, CommentId, Id, Text, _Model, _unique
from cmethics.course.loading import _load
from cmethics.course.shared import Quotation

__all__ = [
    "ExpertiseItem",
    "ExpertiseType",
    "Feedback",
    "expertise_items",
    "expertise_typology",
]


class ExpertiseType(_Model):
    """One type of source 002's typology, with its defining quotations."""

    id: Id
    label: Text
    gloss: Text
    in_passing: bool
    note: str | None = None
    quotes: tuple[Quotation, ...] = Field(min_length=1)


class Feedback(_Model):
    """Feedback shown after sorting an item: the article's definition, quoted, explained."""

    article_id: ArticleId
    quote: Text
    explanation: Text


class ExpertiseItem(_Model):
    """A statement (verbatim) or a fictional profile to assign to the typology."""

    id: Id
    kind: Literal["quote", "fictional_profile"]
    text: Text
    article_id: ArticleId | None
    comment_id: CommentId | None
    speaker: str | None
    expected: tuple[Id, ...] = Field(min_length=1)
    ambiguity: str | None
    feedback: Feedback

    @model_validator(mode="after")
    def _kind_fields(self) -> ExpertiseItem:
        if self.kind == "quote":
            if self.article_id is None or self.speaker is None:
                raise ValueError(f"item {self.id!r}: a quote needs article_id and speaker")
            if self.comment_id is not None and not self.comment_id.startswith(self.article_id):
                raise ValueError(f"item {self.id!r}: {self.comment_id} not in {self.article_id}")
        else:
            if self.article_id or self.comment_id or self.speaker:
                raise ValueError(f"item {self.id!r}: a fictional profile has no source fields")
            if not self.text.startswith("Fictional profile."):
                raise ValueError(f"item {self.id!r}: start the text with 'Fictional profile.'")
        if len(self.expected) > 1 and not self.ambiguity:
            raise ValueError(f"item {self.id!r}: several expected types need an ambiguity note")
        return self


class _ExpertiseFile(_Model):
    schema_version: Literal[1]
    source_article_id: ArticleId
    typology: tuple[ExpertiseType, ...] = Field(min_length=2)
    items: tuple[ExpertiseItem, ...] = Field(min_length=10, max_length=14)

    @model_validator(mode="after")
    def _cross(self) -> _ExpertiseFile:
        types = [t.id for t in self.typology]
        _unique(types, "type")
        _unique([i.id for i in self.items], "item")
        for item in self.items:
            unknown = set(item.expected) - set(types)
            if unknown:
                raise ValueError(f"item {item.id!r} expects unknown type(s) {sorted(unknown)}")
        return self


def expertise_typology() -> tuple[ExpertiseType, ...]:
    """Load the typology of source 002 (consultant, man in the shadows, expert, guru, intern).

    Raises
    ------
    CourseDataError
        If ``data/course/expertise.yaml`` is missing or malformed.
    """
    return _load("expertise", _ExpertiseFile).typology


def expertise_items() -> tuple[ExpertiseItem, ...]:
    """Load the expertise sorter's items, each with its expected type(s) and feedback.

    Raises
    ------
    CourseDataError
        If ``data/course/expertise.yaml`` is missing or malformed, or an item expects a type
        that the typology does not define.
    """
    return _load("expertise", _ExpertiseFile).items

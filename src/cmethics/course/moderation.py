"""The moderation case (``moderation_case.yaml``): the abusive comment, the options, the rubric."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from cmethics.course._model import ArticleId, CommentId, CourseDataError, Id, Text, _Model, _unique
from cmethics.course.loading import _load, _path
from cmethics.course.references import professional_references
from cmethics.course.shared import Argument, Reaction, Rubric

__all__ = [
    "CommentRef",
    "Consequence",
    "ContentWarning",
    "ModerationCase",
    "ModerationOption",
    "ReferenceArgument",
    "moderation_case",
]


class Consequence(_Model):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    for_: Annotated[Id, Field(alias="for")]
    text: Text


class ReferenceArgument(_Model):
    reference_id: Id
    argument: Text


class ModerationOption(_Model):
    """One possible response to the abusive comment, with its argued consequences."""

    id: Id
    label: Text
    description: Text
    consequences: tuple[Consequence, ...] = Field(min_length=1)
    arguments_from_sources: tuple[Argument, ...] = Field(min_length=1)
    arguments_from_references: tuple[ReferenceArgument, ...] = Field(min_length=1)


class ContentWarning(_Model):
    title: Text
    text: Text
    show_label: Text
    opt_out_label: Text
    opt_out_text: Text


class CommentRef(_Model):
    comment_id: CommentId
    article_id: ArticleId
    position: Annotated[int, Field(ge=1)]
    description: Text


class ModerationCase(_Model):
    """The moderation case (``moderation_case.yaml``)."""

    schema_version: Literal[1]
    id: Id
    title: Text
    comment: CommentRef
    content_warning: ContentWarning
    situation: Text
    reactions_in_thread: tuple[Reaction, ...] = ()
    options: tuple[ModerationOption, ...] = Field(min_length=5, max_length=7)
    rubric: Rubric

    @model_validator(mode="after")
    def _ids(self) -> ModerationCase:
        _unique([o.id for o in self.options], "option")
        return self

    def option(self, option_id: str) -> ModerationOption:
        """Return the option with this id (``KeyError`` if there is none)."""
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)


def moderation_case() -> ModerationCase:
    """Load the moderation case; its reference ids are checked against the references.

    Raises
    ------
    CourseDataError
        If ``data/course/moderation_case.yaml`` is malformed or cites an unknown reference.
    """
    case = _load("moderation", ModerationCase)
    known = {r.id for r in professional_references()}
    for opt in case.options:
        for arg in opt.arguments_from_references:
            if arg.reference_id not in known:
                raise CourseDataError(
                    f"{_path('moderation')}: option {opt.id!r} cites unknown reference "
                    f"{arg.reference_id!r}"
                )
    return case

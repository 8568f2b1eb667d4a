"""Today's professional references (``professional_references.yaml``), paraphrased and cited."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from cmethics.course._model import Id, Text, Url, _Model, _unique
from cmethics.course.loading import _load
from cmethics.course.shared import Stance

__all__ = [
    "Principles",
    "ProfessionalReference",
    "RegisterEntry",
    "Verification",
    "professional_reference",
    "professional_references",
]


class Principles(_Model):
    """What a reference says about the three questions the cases ask."""

    moderation: Text
    disclosure: Text
    whom_served: Text


class Verification(_Model):
    checked: tuple[Text, ...] = Field(min_length=1)
    not_checked: tuple[Text, ...] = ()


class RegisterEntry(_Model):
    number: Annotated[str, Field(pattern=r"^RNCP\d+$")]
    holder: Text
    level: Annotated[int, Field(ge=1, le=8)]
    registered_until: date


class ProfessionalReference(_Model):
    """A present-day professional definition or code, paraphrased, with its citation."""

    id: Id
    short_label: Text
    title: Text
    organisation: Text
    year: Annotated[int, Field(ge=1990, le=2100)] | None
    url: Url
    other_urls: tuple[Url, ...] = ()
    kind: Literal["code_of_ethics", "certificate", "state_register", "skills_framework"]
    summary: Text
    stance: Stance
    principles: Principles
    examples: tuple[RegisterEntry, ...] = ()
    verification: Verification


class _ReferencesFile(_Model):
    schema_version: Literal[1]
    references: tuple[ProfessionalReference, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> _ReferencesFile:
        _unique([r.id for r in self.references], "reference")
        return self


def professional_references() -> tuple[ProfessionalReference, ...]:
    """Load today's professional references (paraphrased), in file order.

    Raises
    ------
    CourseDataError
        If ``data/course/professional_references.yaml`` is missing or malformed.
    """
    return _load("references", _ReferencesFile).references


def professional_reference(reference_id: str) -> ProfessionalReference:
    """Return one professional reference by id (``KeyError`` if unknown)."""
    for ref in professional_references():
        if ref.id == reference_id:
            return ref
    raise KeyError(reference_id)

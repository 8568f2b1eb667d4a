"""The role map's data (``role_definitions.yaml``): axes, the sources' definitions, the points."""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from cmethics.course._model import ArticleId, CommentId, Id, Text, _Model, _unique, _ws
from cmethics.course.anchors import locate
from cmethics.course.loading import _load
from cmethics.course.references import professional_references
from cmethics.course.shared import Stance

__all__ = [
    "AxisSpec",
    "RoleAxes",
    "RoleDefinition",
    "role_axes",
    "role_definitions",
    "role_map_points",
]


class AxisSpec(_Model):
    min_label: Text
    max_label: Text
    question: Text


class RoleAxes(_Model):
    """The two axes of the role map and their end labels."""

    serves: AxisSpec
    works_by: AxisSpec


class RoleDefinition(_Model):
    """One definition of the role proposed by a source, with its own stance."""

    id: Id
    label: Text
    gloss: Text
    quote: Text
    anchor: Text
    article_id: ArticleId
    comment_id: CommentId | None
    speaker: Text
    speaker_role: Literal["article_author", "commenter"]
    speaker_attitude: Literal["endorses", "rejects", "qualifies", "questions"]
    note: str | None = None
    stance: Stance

    @model_validator(mode="after")
    def _anchor_in_quote(self) -> RoleDefinition:
        if _ws(self.anchor) not in _ws(self.quote):
            raise ValueError(f"role {self.id!r}: anchor {self.anchor!r} is not in its quote")
        if self.comment_id is not None and not self.comment_id.startswith(self.article_id):
            raise ValueError(f"role {self.id!r}: {self.comment_id} is not in {self.article_id}")
        return self


class _RolesFile(_Model):
    schema_version: Literal[1]
    axes: RoleAxes
    roles: tuple[RoleDefinition, ...] = Field(min_length=12)

    @model_validator(mode="after")
    def _ids(self) -> _RolesFile:
        _unique([r.id for r in self.roles], "role")
        return self


def role_axes() -> RoleAxes:
    """Return the two axes of the role map with the labels of their ends."""
    return _load("roles", _RolesFile).axes


def role_definitions(resolve_ids: bool = False) -> pd.DataFrame:
    """Load every definition of the role proposed by the sources, one row per definition.

    Parameters
    ----------
    resolve_ids
        Also add ``source_id``: the ``paragraph_id`` or ``comment_id`` of the corpus row that
        holds the definition, found with :func:`locate` from its ``anchor`` (needs the corpus
        tables).

    Returns
    -------
    pandas.DataFrame
        Columns ``role_id``, ``label``, ``gloss``, ``quote``, ``anchor``, ``article_id``,
        ``comment_id`` (missing for the article body), ``speaker``, ``speaker_role``,
        ``speaker_attitude``, ``note``, ``serves``, ``serves_justification``, ``works_by``,
        ``works_by_justification``. Text columns have the ``string`` dtype, the axes
        ``float64``. A fresh copy on every call: changing it does not change the data.

    Raises
    ------
    CourseDataError
        If ``data/course/role_definitions.yaml`` is missing or malformed.
    """
    roles = _load("roles", _RolesFile).roles
    rows = [
        {
            "role_id": r.id,
            "label": r.label,
            "gloss": r.gloss,
            "quote": r.quote,
            "anchor": r.anchor,
            "article_id": r.article_id,
            "comment_id": r.comment_id,
            "speaker": r.speaker,
            "speaker_role": r.speaker_role,
            "speaker_attitude": r.speaker_attitude,
            "note": r.note,
            "serves": r.stance.serves.value,
            "serves_justification": r.stance.serves.justification,
            "works_by": r.stance.works_by.value,
            "works_by_justification": r.stance.works_by.justification,
        }
        for r in roles
    ]
    frame = pd.DataFrame(rows)
    if resolve_ids:
        frame["source_id"] = [locate(r.article_id, r.anchor) for r in roles]
    return _typed(frame)


def role_map_points() -> pd.DataFrame:
    """The points of the role map: the sources' definitions and today's references.

    Returns
    -------
    pandas.DataFrame
        One row per point with ``point_id``, ``kind`` (``"source"`` or ``"reference"``),
        ``label``, ``article_id`` (missing for references), ``speaker`` (the organisation
        for references), ``serves``, ``works_by`` and both justifications.
    """
    roles = role_definitions()
    src = pd.DataFrame(
        {
            "point_id": roles["role_id"],
            "kind": "source",
            "label": roles["label"],
            "article_id": roles["article_id"],
            "speaker": roles["speaker"],
            "serves": roles["serves"],
            "serves_justification": roles["serves_justification"],
            "works_by": roles["works_by"],
            "works_by_justification": roles["works_by_justification"],
        }
    )
    ref = pd.DataFrame(
        [
            {
                "point_id": r.id,
                "kind": "reference",
                "label": r.short_label,
                "article_id": None,
                "speaker": r.organisation,
                "serves": r.stance.serves.value,
                "serves_justification": r.stance.serves.justification,
                "works_by": r.stance.works_by.value,
                "works_by_justification": r.stance.works_by.justification,
            }
            for r in professional_references()
        ]
    )
    return _typed(pd.concat([src, ref], ignore_index=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    # Text as the nullable "string" dtype so that missing comment ids are <NA>, not None or
    # NaN, whatever pandas' default string inference is.
    for col in frame.columns:
        if col in ("serves", "works_by"):
            frame[col] = frame[col].astype("float64")
        else:
            frame[col] = frame[col].astype("string")
    return frame

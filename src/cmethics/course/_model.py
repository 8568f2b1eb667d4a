"""The base of every course-data model: the error, the field types and the validation helpers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ArticleId",
    "AxisValue",
    "CommentId",
    "CourseDataError",
    "Id",
    "Text",
    "Url",
]

_WS = re.compile(r"\s+")


class CourseDataError(ValueError):
    """A file of ``data/course/`` is missing, not valid YAML, or does not match its schema."""


# --------------------------------------------------------------------------- field types

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
ArticleId = Annotated[str, Field(pattern=r"^00[0-4]$")]
CommentId = Annotated[str, Field(pattern=r"^00[0-4]-c\d{3}$")]
Text = Annotated[str, Field(min_length=1)]
AxisValue = Annotated[float, Field(ge=-1.0, le=1.0)]
Url = Annotated[str, Field(pattern=r"^https://\S+$")]


def _ws(text: str) -> str:
    # Whitespace-insensitive comparison, the same normalisation as the fidelity rule.
    return _WS.sub(" ", text).strip()


class _Model(BaseModel):
    # Frozen so that cached loaders can hand out the same object safely; extra="forbid" so that
    # a misspelt key in a YAML file is reported instead of ignored.
    model_config = ConfigDict(frozen=True, extra="forbid")


def _unique(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what} id {i!r}")
        seen.add(i)

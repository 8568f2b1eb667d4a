"""Read and validate one file of ``data/course/``: file names, parse cache and error messages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cmethics._paths import course_dir
from cmethics.course._model import CourseDataError

__all__ = ["FILES"]

FILES = {
    "codebook": "codebook.yaml",
    "roles": "role_definitions.yaml",
    "references": "professional_references.yaml",
    "expertise": "expertise.yaml",
    "moderation": "moderation_case.yaml",
    "trust": "trust_scenario.yaml",
    "reference_coding": "reference_coding.yaml",
}


M = TypeVar("M", bound=BaseModel)


def _path(key: str) -> Path:
    return course_dir() / FILES[key]


@lru_cache(maxsize=32)
def _parse_cached(path: str, content: bytes, model: type[M]) -> M:
    # Keyed on the file's bytes, not its modification time (too coarse on some file systems):
    # an edited file is re-validated (a teacher fixing a typo in a running notebook), while
    # repeated calls from widget callbacks cost one small read and no parsing.
    try:
        raw = yaml.safe_load(content.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CourseDataError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CourseDataError(f"{path} must hold a YAML mapping at the top level")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CourseDataError(f"{path} does not match its schema:\n{_explain(exc)}") from exc


def _explain(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def _load(key: str, model: type[M]) -> M:
    path = _path(key)
    try:
        content = path.read_bytes()
    except FileNotFoundError as exc:
        raise CourseDataError(f"missing course data file: {path}") from exc
    return _parse_cached(str(path), content, model)

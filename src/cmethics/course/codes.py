"""The comment coder's codebook (``codebook.yaml``): categories, codes and the check of a coding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from cmethics.course._model import ArticleId, CommentId, Id, Text, _Model, _unique
from cmethics.course.loading import _load

__all__ = [
    "Code",
    "CodeExample",
    "Codebook",
    "CodebookCategory",
    "RationaleSpec",
    "codebook",
]


class CodeExample(_Model):
    """One example of a code: a comment id and a verbatim quote (withheld for abuse)."""

    comment_id: CommentId
    article_id: ArticleId
    quote: str | None
    withheld: bool = False
    why: Text

    @model_validator(mode="after")
    def _quote_or_withheld(self) -> CodeExample:
        if self.withheld == (self.quote is not None):
            raise ValueError("give a quote, or quote: null with withheld: true")
        if not self.comment_id.startswith(self.article_id):
            raise ValueError(f"comment {self.comment_id} is not in article {self.article_id}")
        return self


class Code(_Model):
    """One code of a category: label, definition, decision rule, example."""

    id: Id
    label: Text
    definition: Text
    decision_rule: Text
    example: CodeExample


class CodebookCategory(_Model):
    """A coding category (stance, themes, …) and its codes."""

    id: Id
    label: Text
    question: Text
    multiple: bool
    required: bool
    min_choices: Annotated[int, Field(ge=0)] = 1
    exclusive: tuple[Id, ...] = ()
    codes: tuple[Code, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> CodebookCategory:
        ids = [c.id for c in self.codes]
        _unique(ids, f"code in category {self.id!r}")
        unknown = set(self.exclusive) - set(ids)
        if unknown:
            raise ValueError(f"exclusive codes {sorted(unknown)} are not codes of {self.id!r}")
        return self

    @property
    def code_ids(self) -> tuple[str, ...]:
        """The ids of this category's codes, in order."""
        return tuple(c.id for c in self.codes)


class RationaleSpec(_Model):
    label: Text
    prompt: Text
    required: bool
    min_chars: Annotated[int, Field(ge=0)] = 0


class Codebook(_Model):
    """The comment coder's codebook (``codebook.yaml``)."""

    schema_version: Literal[1]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    instructions: Text
    categories: tuple[CodebookCategory, ...] = Field(min_length=1)
    rationale: RationaleSpec

    @model_validator(mode="after")
    def _categories(self) -> Codebook:
        ids = [c.id for c in self.categories]
        _unique(ids, "category")
        missing = {"stance", "themes", "addressed_to", "ego_markers"} - set(ids)
        if missing:
            raise ValueError(f"missing categories {sorted(missing)}")
        return self

    def category(self, category_id: str) -> CodebookCategory:
        """Return the category with this id (``KeyError`` if there is none)."""
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def check(self, answer: Mapping[str, Any]) -> list[str]:
        """List what is wrong or missing in one comment's coding (empty when complete).

        Parameters
        ----------
        answer
            ``{category_id: code_id}`` for single-choice categories, ``{category_id:
            [code_id, ...]}`` for multiple-choice ones, and ``"rationale": str``.

        Returns
        -------
        list of str
            Plain-English problems, in codebook order, ready to show to a student.
        """
        problems: list[str] = []
        for cat in self.categories:
            value = answer.get(cat.id)
            chosen: list[str]
            if value is None or value == "" or value == []:
                chosen = []
            elif isinstance(value, str):
                chosen = [value]
            else:
                chosen = list(value)
            unknown = [v for v in chosen if v not in cat.code_ids]
            if unknown:
                problems.append(f"{cat.label}: unknown code(s) {', '.join(unknown)}.")
                continue
            if not cat.multiple and len(chosen) > 1:
                problems.append(f"{cat.label}: choose only one code.")
            needed = cat.min_choices if cat.multiple else (1 if cat.required else 0)
            if cat.required and len(chosen) < max(needed, 1):
                problems.append(f"{cat.label}: not coded yet.")
            clash = [e for e in cat.exclusive if e in chosen]
            if clash and len(chosen) > 1:
                problems.append(f"{cat.label}: {clash[0]!r} cannot be combined with other codes.")
        rationale = str(answer.get("rationale") or "").strip()
        if self.rationale.required and len(rationale) < max(self.rationale.min_chars, 1):
            problems.append(
                f"{self.rationale.label}: write at least {self.rationale.min_chars} characters."
            )
        return problems


def codebook() -> Codebook:
    """Load the comment coder's codebook.

    Returns
    -------
    Codebook
        Categories ``stance``, ``themes``, ``addressed_to`` and ``ego_markers``, each with
        its codes (label, definition, decision rule, example), and the rationale field.

    Raises
    ------
    CourseDataError
        If ``data/course/codebook.yaml`` is missing or malformed.
    """
    return _load("codebook", Codebook)

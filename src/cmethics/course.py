"""The course's own hand-made data: codebook, role definitions, references and cases.

The files live in ``data/course/`` (see its ``README.md`` for every field). Each loader reads
one YAML file, validates it against a typed schema and returns immutable models or a
DataFrame; a malformed file raises :class:`CourseDataError` naming the file and the faulty
field, so a teacher who edits a file sees what to fix instead of a widget failing later.

>>> from cmethics import course
>>> book = course.codebook()
>>> [c.id for c in book.categories]
['stance', 'themes', 'addressed_to', 'ego_markers']
>>> roles = course.role_definitions()          # one row per definition, with its stance

The models are pydantic models (pydantic ships with spaCy, a core dependency): frozen, with
unknown keys rejected, so a typo in a YAML key is an error rather than a silently ignored
field. Verbatim fidelity of the quotations is checked by the test suite against
``data/raw/``, not at load time, so that loading stays fast and works without the raw pages.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cmethics._paths import course_dir, data_dir

__all__ = [
    "REFERENCE_CATEGORIES",
    "AxisPosition",
    "Code",
    "CodeExample",
    "Codebook",
    "CodebookCategory",
    "CourseDataError",
    "Ending",
    "ExpertiseItem",
    "ExpertiseType",
    "ModerationCase",
    "ModerationOption",
    "ProfessionalReference",
    "Quotation",
    "ReferenceAlternative",
    "ReferenceCode",
    "ReferenceCodes",
    "ReferenceCoding",
    "ReferenceRecord",
    "RoleAxes",
    "Rubric",
    "ScenarioChoice",
    "ScenarioNode",
    "Stance",
    "TrustScenario",
    "codebook",
    "expertise_items",
    "expertise_typology",
    "locate",
    "moderation_case",
    "professional_reference",
    "professional_references",
    "reference_coding",
    "role_axes",
    "role_definitions",
    "role_map_points",
    "trust_scenario",
]

FILES = {
    "codebook": "codebook.yaml",
    "roles": "role_definitions.yaml",
    "references": "professional_references.yaml",
    "expertise": "expertise.yaml",
    "moderation": "moderation_case.yaml",
    "trust": "trust_scenario.yaml",
    "reference_coding": "reference_coding.yaml",
}

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


# --------------------------------------------------------------------------- shared pieces


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


# --------------------------------------------------------------------------- codebook


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


# --------------------------------------------------------------------------- role definitions


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


# --------------------------------------------------------------------------- references


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


# --------------------------------------------------------------------------- expertise


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


# --------------------------------------------------------------------------- moderation case


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


# --------------------------------------------------------------------------- trust scenario


class ScenarioChoice(_Model):
    id: Id
    label: Text
    leads_to: Id
    consequence: Text
    arguments: tuple[Argument, ...] = Field(min_length=1)


class ScenarioNode(_Model):
    """A step of the scenario: a situation and 2 to 4 choices."""

    id: Id
    title: Text
    situation: Text
    choices: tuple[ScenarioChoice, ...] = Field(min_length=2, max_length=4)


class Ending(_Model):
    """An ending of the scenario."""

    id: Id
    title: Text
    outcome: Literal["good", "mixed", "bad"]
    text: Text
    arguments: tuple[Argument, ...] = ()


class TrustScenario(_Model):
    """The branching trust scenario (``trust_scenario.yaml``)."""

    schema_version: Literal[1]
    id: Id
    title: Text
    intro: Text
    source_quotes: tuple[Quotation, ...] = ()
    start: Id
    nodes: tuple[ScenarioNode, ...] = Field(min_length=6, max_length=10)
    endings: tuple[Ending, ...] = Field(min_length=2)
    rubric: Rubric

    @model_validator(mode="after")
    def _graph(self) -> TrustScenario:
        node_ids = [n.id for n in self.nodes]
        ending_ids = [e.id for e in self.endings]
        _unique(node_ids + ending_ids, "node or ending")
        if self.start not in node_ids:
            raise ValueError(f"start {self.start!r} is not a node")
        targets = set(node_ids) | set(ending_ids)
        for n in self.nodes:
            _unique([c.id for c in n.choices], f"choice in node {n.id!r}")
            for c in n.choices:
                if c.leads_to not in targets:
                    raise ValueError(f"{n.id}.{c.id} leads to unknown {c.leads_to!r}")
        unreached = targets - self._reachable_from(self.start)
        if unreached:
            raise ValueError(f"unreachable from the start: {sorted(unreached)}")
        # Every node must still lead to some ending: no loop that traps the student.
        trapped = [n for n in node_ids if not (self._reachable_from(n) & set(ending_ids))]
        if trapped:
            raise ValueError(f"no ending can be reached from {trapped}")
        return self

    def _reachable_from(self, start: str) -> set[str]:
        edges = {n.id: [c.leads_to for c in n.choices] for n in self.nodes}
        seen, queue = {start}, deque([start])
        while queue:
            for nxt in edges.get(queue.popleft(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def node(self, node_id: str) -> ScenarioNode:
        """Return the node with this id (``KeyError`` if it is not a node)."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def ending(self, ending_id: str) -> Ending:
        """Return the ending with this id (``KeyError`` if it is not an ending)."""
        for e in self.endings:
            if e.id == ending_id:
                return e
        raise KeyError(ending_id)

    def is_ending(self, target_id: str) -> bool:
        """Tell whether a choice's ``leads_to`` is an ending rather than a node."""
        return any(e.id == target_id for e in self.endings)


# --------------------------------------------------------------------------- reference coding


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


# --------------------------------------------------------------------------- loading

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


def trust_scenario() -> TrustScenario:
    """Load the branching trust scenario; its graph is checked on load.

    Every choice leads to an existing node or ending, every node and ending is reachable
    from the start, and an ending can be reached from every node.

    Raises
    ------
    CourseDataError
        If ``data/course/trust_scenario.yaml`` is missing or malformed.
    """
    return _load("trust", TrustScenario)


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


def locate(article_id: str, text: str) -> str | None:
    """Find the corpus row of an article that contains a quotation or an anchor.

    Parameters
    ----------
    article_id
        ``"000"`` … ``"004"``.
    text
        Verbatim text (whitespace-insensitive), for example a role's ``anchor``.

    Returns
    -------
    str or None
        The ``paragraph_id`` (article body) or ``comment_id`` of the one row that contains
        ``text``; None when no row or several rows contain it.
    """
    from cmethics import corpus  # imported here: only this helper needs the corpus tables

    needle = corpus.normalize_ws(text)
    rows = _corpus_rows(str(data_dir()), article_id)
    hits = [row_id for row_id, row_text in rows if needle and needle in row_text]
    return hits[0] if len(hits) == 1 else None


@lru_cache(maxsize=8)
def _corpus_rows(data_folder: str, article_id: str) -> tuple[tuple[str, str], ...]:
    # Normalised once per article: widgets may resolve many anchors in one callback.
    del data_folder  # part of the cache key only: another data folder, other tables
    from cmethics import corpus

    paragraphs = corpus.paragraphs()
    comments = corpus.comments()
    rows = [
        (str(p.paragraph_id), corpus.normalize_ws(str(p.text)))
        for p in paragraphs[paragraphs["article_id"] == article_id].itertuples()
    ]
    rows += [
        (str(c.comment_id), corpus.normalize_ws(str(c.text)))
        for c in comments[comments["article_id"] == article_id].itertuples()
    ]
    return tuple(rows)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    # Text as the nullable "string" dtype so that missing comment ids are <NA>, not None or
    # NaN, whatever pandas' default string inference is.
    for col in frame.columns:
        if col in ("serves", "works_by"):
            frame[col] = frame[col].astype("float64")
        else:
            frame[col] = frame[col].astype("string")
    return frame

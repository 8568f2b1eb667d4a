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

Import everything from ``cmethics.course``. Each file's models and loader live in one module:

- ``codes``: ``codebook.yaml``, :func:`codebook`;
- ``roles``: ``role_definitions.yaml``, :func:`role_axes`, :func:`role_definitions` and
  :func:`role_map_points` (the sources' definitions with today's references);
- ``references``: ``professional_references.yaml``, :func:`professional_references`,
  :func:`professional_reference`;
- ``expertise``: ``expertise.yaml``, :func:`expertise_typology`, :func:`expertise_items`;
- ``moderation``: ``moderation_case.yaml``, :func:`moderation_case`;
- ``trust``: ``trust_scenario.yaml``, :func:`trust_scenario`;
- ``reference_codes``: ``reference_coding.yaml`` (the instructor key), :func:`reference_coding`.

Below them: ``shared`` (quotations, stances and rubrics used by several files), ``anchors``
(:func:`locate`: a quotation's row in the corpus tables), ``loading`` (the file names, the
parse cache keyed on a file's path and content, the error messages) and ``_model`` (the base
model, the field types, :class:`CourseDataError`). The codebook's and the key's modules are
not called ``codebook`` and ``reference_coding`` because those names are the loaders, which
would hide the modules.
"""

from __future__ import annotations

# ``X as X``: names outside __all__ (models nested in the public ones, FILES, the caches that a
# test may clear) stay reachable here as they were before the split.
from cmethics.course._model import CourseDataError
from cmethics.course.anchors import _corpus_rows as _corpus_rows
from cmethics.course.anchors import locate
from cmethics.course.codes import Code, Codebook, CodebookCategory, CodeExample, codebook
from cmethics.course.codes import RationaleSpec as RationaleSpec
from cmethics.course.expertise import (
    ExpertiseItem,
    ExpertiseType,
    expertise_items,
    expertise_typology,
)
from cmethics.course.expertise import Feedback as Feedback
from cmethics.course.loading import FILES as FILES
from cmethics.course.loading import _load as _load
from cmethics.course.loading import _parse_cached as _parse_cached
from cmethics.course.loading import _path as _path
from cmethics.course.moderation import CommentRef as CommentRef
from cmethics.course.moderation import Consequence as Consequence
from cmethics.course.moderation import ContentWarning as ContentWarning
from cmethics.course.moderation import ModerationCase, ModerationOption, moderation_case
from cmethics.course.moderation import ReferenceArgument as ReferenceArgument
from cmethics.course.reference_codes import (
    REFERENCE_CATEGORIES,
    ReferenceAlternative,
    ReferenceCode,
    ReferenceCodes,
    ReferenceCoding,
    ReferenceRecord,
    reference_coding,
)
from cmethics.course.references import Principles as Principles
from cmethics.course.references import (
    ProfessionalReference,
    professional_reference,
    professional_references,
)
from cmethics.course.references import RegisterEntry as RegisterEntry
from cmethics.course.references import Verification as Verification
from cmethics.course.roles import AxisSpec as AxisSpec
from cmethics.course.roles import RoleAxes, role_axes, role_definitions, role_map_points
from cmethics.course.roles import RoleDefinition as RoleDefinition
from cmethics.course.shared import Argument as Argument
from cmethics.course.shared import AxisPosition, Quotation, Rubric, Stance
from cmethics.course.shared import Reaction as Reaction
from cmethics.course.shared import RubricCriterion as RubricCriterion
from cmethics.course.shared import RubricLevel as RubricLevel
from cmethics.course.trust import (
    Ending,
    ScenarioChoice,
    ScenarioNode,
    TrustScenario,
    trust_scenario,
)

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

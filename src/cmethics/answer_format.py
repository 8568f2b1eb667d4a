"""The students' answer format: the one reader of every saved answer, strict or lenient.

The exercises (``cmethics.widgets``) save plain JSON values under ``<component>.<item>`` keys
(``docs/answers.md`` lists them all); the class report (``cmethics.classroom``) reads the same
values from the students' exports. Both read them here, so that a hand-edited file, an answer
from an older codebook or a damaged export is judged by one set of rules.

Every kind of answer has one function, ``parse_<kind>(value, ..., *, strict=False)``, that
returns a :class:`ParseResult` ``(value, problems)``:

- ``problems`` lists, in both modes, every way the value departs from the format, in plain
  English (the class report shows them to the teacher as they are);
- **strict** (the class report): nothing is repaired or guessed; an answer that departs from
  the format gives ``value=None``. One exception, because the report has always counted codings
  so: each category of a coding stands alone, so an unknown code is left out (and listed) while
  the coding's other categories are kept;
- **lenient** (the exercises restoring a student's work): what can be repaired is repaired
  (unknown codes dropped, lists put in codebook order, wrong types replaced by "not answered"),
  so that a damaged answer never stops an exercise; ``value`` is what the exercise starts from.

Numbers are read at the precision the exercises save them, two decimals, in both modes: the
role comparer and the ego lab round what they save, so rounding on reading changes nothing for
their own answers and makes a hand-edited ``0.333`` read as ``0.33`` everywhere.

The module is pure (no widgets, no pandas): the course data it needs (codebook, scenario,
choices) is passed in, or loaded from ``cmethics.course`` when omitted.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from cmethics.course import Codebook, TrustScenario

__all__ = [
    "AXES",
    "MAX_PROBLEMS",
    "PREDICTION_KEYS",
    "ParseResult",
    "empty_coding",
    "parse_answer",
    "parse_choice",
    "parse_coding",
    "parse_ego_prediction",
    "parse_ego_result",
    "parse_expertise_choice",
    "parse_flag",
    "parse_placement",
    "parse_rewrite",
    "parse_text",
    "parse_trust_attempts",
    "parse_trust_path",
]

T = TypeVar("T")

#: The two axes of a role placement (``roles.<role_id>``), each a number in [-1, 1].
AXES = ("serves", "works_by")
#: The three predicted rates of the ego lab, per 100 words (``ego.prediction.*``).
PREDICTION_KEYS = ("i", "we", "you")
#: Problems listed per answer; a hostile value (a list of a million unknown codes) gives this
#: many and one line that counts the rest, instead of a million lines in the class report.
MAX_PROBLEMS = 20

_DECIMALS = 2
_SENTENCE_ID = re.compile(r"^[\w-]+-s\d{2,}$")
_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4


class ParseResult(NamedTuple, Generic[T]):
    """What a reader makes of one saved answer: the value to use, and what was wrong.

    Unpacks as ``value, problems = parse_...(...)``.
    """

    value: T | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the answer follows the format exactly (no problem found)."""
        return not self.problems


class _Problems:
    """Collects problems, keeping :data:`MAX_PROBLEMS` and counting the others."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.more = 0

    def add(self, text: str, *shown: Any) -> None:
        """Add ``text``, followed by the short ``repr`` of ``shown`` if given."""
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(text + "".join(_shown(v) for v in shown))
        else:
            self.more += 1  # no repr is built: a hostile list costs no time or memory

    def __bool__(self) -> bool:
        return bool(self.items)

    def done(self) -> tuple[str, ...]:
        more = (f"and {self.more} more problems",) if self.more else ()
        return (*self.items, *more)


def _shown(value: Any) -> str:
    """``repr`` of a value, shortened: a pasted essay or a huge number stays one short line."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a {value.bit_length()}-bit integer"  # repr fails beyond 4,300 digits
    return _REPR.repr(value)


def _type(value: Any) -> str:
    return type(value).__name__


def _number(value: Any) -> float | None:
    """A JSON number as a finite float, or ``None`` (booleans, NaN, infinities, huge ints)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _codebook(book: Codebook | None) -> Codebook:
    if book is not None:
        return book
    from cmethics import course  # loaded on demand: the module stays importable without data

    return course.codebook()


def _scenario(scenario: TrustScenario | None) -> TrustScenario:
    if scenario is not None:
        return scenario
    from cmethics import course

    return course.trust_scenario()


# --------------------------------------------------------------------------- codings


def empty_coding(book: Codebook | None = None) -> dict[str, Any]:
    """A coding with nothing chosen: ``None`` for single choices, ``[]`` for multiple ones."""
    book = _codebook(book)
    coding: dict[str, Any] = {c.id: [] if c.multiple else None for c in book.categories}
    coding["rationale"] = ""
    return coding


def _strict_coding(value: Mapping[str, Any], book: Codebook, found: _Problems) -> dict[str, Any]:
    coding: dict[str, Any] = {}
    for cat in book.categories:
        raw = value.get(cat.id)
        if cat.multiple:
            items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
            if raw is not None and not isinstance(raw, str | list):
                found.add(f"{cat.id}: not a list")
            known = set(cat.code_ids)
            chosen = set()
            for item in items:
                if isinstance(item, str) and item in known:
                    chosen.add(item)
                else:
                    found.add(f"{cat.id}: unknown code ", item)
            ordered = tuple(c for c in cat.code_ids if c in chosen)
            coding[cat.id] = ordered if ordered else None
        elif raw is None or raw == "":
            coding[cat.id] = None
        elif isinstance(raw, str) and raw in cat.code_ids:
            coding[cat.id] = raw
        else:
            found.add(f"{cat.id}: unknown code ", raw)
            coding[cat.id] = None
    answered = any(v is not None for v in coding.values())
    for cat in book.categories:
        # Themes may be left empty: once anything else is answered, "no theme" is an answer.
        if cat.multiple and cat.min_choices == 0 and answered and coding[cat.id] is None:
            coding[cat.id] = ()
    # A rationale that is not text reads as none, silently: the report has always done so.
    rationale = value.get("rationale")
    coding["rationale"] = rationale.strip() if isinstance(rationale, str) else ""
    return coding


def _lenient_coding(value: Mapping[str, Any], book: Codebook) -> dict[str, Any]:
    coding = empty_coding(book)
    for cat in book.categories:
        raw = value.get(cat.id)
        if cat.multiple:
            if isinstance(raw, str):
                chosen = {raw}
            elif isinstance(raw, list | tuple):
                chosen = {v for v in raw if isinstance(v, str)}
            else:
                chosen = set()
            coding[cat.id] = [code for code in cat.code_ids if code in chosen]
        elif isinstance(raw, str) and raw in cat.code_ids:
            coding[cat.id] = raw
    rationale = value.get("rationale")
    coding["rationale"] = rationale if isinstance(rationale, str) else ""
    return coding


def parse_coding(
    value: Any, book: Codebook | None = None, *, strict: bool = False
) -> ParseResult[dict[str, Any]]:
    """Read one ``coder.<comment_id>`` answer.

    Parameters
    ----------
    value
        The saved value: ``{"stance": str, "themes": [str], "addressed_to": str,
        "ego_markers": [str], "rationale": str}`` with the codebook's code ids.
    book
        The codebook (``cmethics.course.codebook()`` when omitted).
    strict
        Read it as the class report counts it (see the module docstring).

    Returns
    -------
    ParseResult
        Strict: ``{category: code | tuple of codes | None, "rationale": str}`` in codebook order,
        ``None`` meaning "not answered" (a multiple-choice category that may stay empty is
        ``()`` once anything else is answered), the rationale stripped; ``value`` is ``None``
        when nothing is answered. Unknown codes are left out and listed. Lenient: the coder's
        editable coding (``None`` or a code for single choices, a list in codebook order for
        multiple ones, the rationale as typed), an empty coding for anything unusable.
    """
    book = _codebook(book)
    found = _Problems()
    if not isinstance(value, Mapping):
        found.add(f"not a coding (a {_type(value)})")
        return ParseResult(None if strict else empty_coding(book), found.done())
    coding = _strict_coding(value, book, found)
    if strict:
        answered = any(v is not None for k, v in coding.items() if k != "rationale")
        return ParseResult(coding if answered else None, found.done())
    return ParseResult(_lenient_coding(value, book), found.done())


# --------------------------------------------------------------------------- role placements


def parse_placement(value: Any, *, strict: bool = False) -> ParseResult[dict[str, Any]]:
    """Read one ``roles.<role_id>`` answer: ``{"serves", "works_by", "justification"}``.

    Both axes must be numbers in [-1, 1]; they are rounded to two decimals in both modes (the
    comparer saves them so). A placement with an unusable axis cannot be repaired: ``value`` is
    ``None`` in both modes, with the first problem found.

    Parameters
    ----------
    value
        The saved value.
    strict
        Strict strips the justification (the report shows it); lenient keeps it as typed.

    Returns
    -------
    ParseResult
        ``{"serves": float, "works_by": float, "justification": str}`` or ``None``.
    """
    if not isinstance(value, Mapping):
        return ParseResult(None, (f"not a placement (a {_type(value)})",))
    out: dict[str, Any] = {}
    for axis in AXES:
        raw = value.get(axis)
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return ParseResult(None, (f"{axis} is not a number",))
        number = _number(raw)
        if number is None or not -1.0 <= number <= 1.0:
            return ParseResult(None, (f"{axis} = {_shown(raw)} is outside [-1, 1]",))
        out[axis] = round(number, _DECIMALS)
    # A justification that is not text reads as none, silently, as the report always did.
    justification = value.get("justification")
    text = justification if isinstance(justification, str) else ""
    out["justification"] = text.strip() if strict else text
    return ParseResult(out)


# --------------------------------------------------------------------------- simple values


def parse_text(value: Any, *, strict: bool = False) -> ParseResult[str]:
    """Read a free-text answer (justifications, reflections): a string, kept as typed.

    Lenient gives ``""`` for anything that is not text; strict gives ``None``.
    """
    if isinstance(value, str):
        return ParseResult(value)
    return ParseResult(None if strict else "", (f"not text (a {_type(value)})",))


def parse_flag(value: Any, *, strict: bool = False) -> ParseResult[bool]:
    """Read a yes/no answer (``moderation.feedback_seen``): only ``true`` counts as yes.

    Lenient gives ``False`` for anything but ``True``; strict gives ``None`` for a non-boolean.
    """
    if isinstance(value, bool):
        return ParseResult(value)
    return ParseResult(None if strict else False, (f"not true or false (a {_type(value)})",))


def parse_choice(value: Any, choices: Collection[str], *, strict: bool = False) -> ParseResult[str]:
    """Read one id from a closed set (a moderation response, the thread to code).

    ``null`` means "not chosen" (``value`` ``None``, no problem). An id outside ``choices`` or a
    non-string is a problem; both modes then give ``None`` (there is nothing to repair to).

    Parameters
    ----------
    value
        The saved value.
    choices
        The ids allowed (``cmethics.course.moderation_case()`` options' ids, the thread ids).
    strict
        Accepted for symmetry: both modes read a choice the same way.
    """
    if value is None:
        return ParseResult(None)
    if not isinstance(value, str):
        return ParseResult(None, (f"not an id (a {_type(value)})",))
    if value not in choices:
        return ParseResult(None, (f"unknown choice {_shown(value)}",))
    return ParseResult(value)


def parse_expertise_choice(
    value: Any, type_ids: Collection[str] | None = None, *, strict: bool = False
) -> ParseResult[str]:
    """Read one ``expertise.<item_id>`` answer, ``{"answer": type_id, "matches_key": bool}``.

    Returns the chosen type id (the sorter recomputes ``matches_key`` from the key, so lenient
    ignores it; strict requires a boolean).

    Parameters
    ----------
    value
        The saved value.
    type_ids
        The typology's ids (``cmethics.course.expertise_typology()`` when omitted).
    strict
        Require the documented shape exactly.
    """
    if type_ids is None:
        from cmethics import course

        type_ids = {t.id for t in course.expertise_typology()}
    if not isinstance(value, Mapping):
        return ParseResult(None, (f"not an expertise answer (a {_type(value)})",))
    answer = value.get("answer")
    problems: tuple[str, ...] = ()
    if not isinstance(answer, str) or answer not in type_ids:
        problems += (f"answer: unknown type {_shown(answer)}",)
        answer = None
    matches = value.get("matches_key")
    if not isinstance(matches, bool):
        problems += (f"matches_key: not true or false (a {_type(matches)})",)
    return ParseResult(None if strict and problems else answer, problems)


def parse_rewrite(value: Any, *, strict: bool = False) -> ParseResult[dict[str, Any]]:
    """Read one ``ownership.rewrite_<n>`` answer, ``{"sentence_id": str, "text": str}``.

    Lenient keeps the text whatever else is wrong (``""`` when there is none) and the sentence
    id when it is a string; strict requires both, the id as ``"<doc_id>-s<nn>"``.
    """
    found = _Problems()
    if not isinstance(value, Mapping):
        found.add(f"not a rewrite (a {_type(value)})")
        return ParseResult(None if strict else {"sentence_id": None, "text": ""}, found.done())
    sentence_id, text = value.get("sentence_id"), value.get("text")
    if not isinstance(sentence_id, str) or not _SENTENCE_ID.match(sentence_id):
        found.add(f"sentence_id: not a sentence id ({_shown(sentence_id)})")
    if not isinstance(text, str):
        found.add(f"text: not text (a {_type(text)})")
    out = {
        "sentence_id": sentence_id if isinstance(sentence_id, str) else None,
        "text": text if isinstance(text, str) else "",
    }
    return ParseResult(None if strict and found else out, found.done())


# --------------------------------------------------------------------------- the ego lab


def parse_ego_prediction(value: Any, *, strict: bool = False) -> ParseResult[dict[str, float]]:
    """Read one ``ego.prediction.<article_id>.<subject>``: ``{"i", "we", "you"}`` rates.

    Each rate is a number from 0 to 100 per 100 words, rounded to two decimals in both modes. A
    prediction with an unusable rate cannot be repaired: ``value`` is ``None`` in both modes.
    """
    if not isinstance(value, Mapping):
        return ParseResult(None, (f"not a prediction (a {_type(value)})",))
    out: dict[str, float] = {}
    for key in PREDICTION_KEYS:
        raw = value.get(key)
        number = _number(raw)
        if number is None or not 0.0 <= number <= 100.0:
            return ParseResult(None, (f"{key} = {_shown(raw)} is not a rate from 0 to 100",))
        out[key] = round(number, _DECIMALS)
    return ParseResult(out)


def parse_ego_result(value: Any, *, strict: bool = False) -> ParseResult[dict[str, Any]]:
    """Read one ``ego.result.<article_id>.<subject>``: ``{"prediction": …, "actual": …}``.

    The lab needs only the prediction back (the actual profile is recomputed from the corpus):
    lenient gives ``{"prediction": …}``; strict also requires ``actual`` to map names to finite
    numbers and gives ``{"prediction": …, "actual": …}``.
    """
    if not isinstance(value, Mapping):
        return ParseResult(None, (f"not a result (a {_type(value)})",))
    prediction, problems = parse_ego_prediction(value.get("prediction"))
    problems = tuple(f"prediction: {p}" for p in problems)
    actual = value.get("actual")
    if not isinstance(actual, Mapping):
        problems += (f"actual: not a profile (a {_type(actual)})",)
    elif any(_number(v) is None for v in actual.values()):
        problems += ("actual: not every rate is a number",)
    if prediction is None or (strict and problems):
        return ParseResult(None, problems)
    if strict:
        profile = dict(actual) if isinstance(actual, Mapping) else {}
        return ParseResult({"prediction": prediction, "actual": profile}, problems)
    return ParseResult({"prediction": prediction}, problems)


# --------------------------------------------------------------------------- the trust case


def _trust_path(steps: Any, scenario: TrustScenario) -> tuple[list[tuple[str, str]] | None, str]:
    """A saved path as ``(node, choice)`` pairs from the start, or ``None`` and why not."""
    if not isinstance(steps, list):
        return None, f"not a path (a {_type(steps)})"
    nodes = {n.id: n for n in scenario.nodes}
    path: list[tuple[str, str]] = []
    here = scenario.start
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, str) or step.count("/") != 1 or here not in nodes:
            return None, f"step {number}: {_shown(step)} is not a step of the scenario"
        node_id, choice_id = step.split("/")
        choices = {c.id: c for c in nodes[here].choices}
        if node_id != here or choice_id not in choices:
            return None, f"step {number}: {_shown(step)} is not a choice at {here!r}"
        path.append((node_id, choice_id))
        here = choices[choice_id].leads_to
    return path, ""


def parse_trust_path(
    value: Any, scenario: TrustScenario | None = None, *, strict: bool = False
) -> ParseResult[list[tuple[str, str]]]:
    """Read ``trust.current``: a list of ``"<node_id>/<choice_id>"`` steps from the start.

    Returns the path as ``(node_id, choice_id)`` pairs. A path that leaves the scenario (a
    hand-edited file, a scenario changed since) gives ``None`` strict, ``[]`` lenient (the
    student starts the case again).

    Parameters
    ----------
    value
        The saved value.
    scenario
        The scenario (``cmethics.course.trust_scenario()`` when omitted).
    strict
        See above.
    """
    path, problem = _trust_path(value, _scenario(scenario))
    if path is None:
        return ParseResult(None if strict else [], (problem,))
    return ParseResult(path)


def parse_trust_attempts(
    value: Any, scenario: TrustScenario | None = None, *, strict: bool = False
) -> ParseResult[list[dict[str, Any]]]:
    """Read ``trust.attempts``: ``[{"path": [steps], "ending": ending_id | null}, ...]``.

    Lenient keeps every attempt whose path fits the scenario and whose ending is ``null`` or an
    ending's id, and drops the others; strict gives ``None`` if any attempt is unusable.
    """
    scenario = _scenario(scenario)
    if not isinstance(value, list):
        return ParseResult(None if strict else [], (f"not a list of attempts (a {_type(value)})",))
    endings = {e.id for e in scenario.endings}
    found = _Problems()
    kept: list[dict[str, Any]] = []
    for number, attempt in enumerate(value, start=1):
        if not isinstance(attempt, Mapping):
            found.add(f"attempt {number}: not an attempt (a {_type(attempt)})")
            continue
        path, problem = _trust_path(attempt.get("path"), scenario)
        ending = attempt.get("ending")
        if path is None:
            found.add(f"attempt {number}: {problem}")
        elif not (ending is None or (isinstance(ending, str) and ending in endings)):
            found.add(f"attempt {number}: unknown ending {_shown(ending)}")
        else:
            kept.append({"path": list(attempt["path"]), "ending": ending})
    return ParseResult(None if strict and found else kept, found.done())


# --------------------------------------------------------------------------- any key


def parse_answer(key: str, value: Any, *, strict: bool = False) -> ParseResult[Any]:
    """Read any saved answer by its key, with the course's own data as context.

    Parameters
    ----------
    key
        The full key, e.g. ``"coder.004-c017"``, ``"roles.connecteur"``, ``"trust.attempts"``.
    value
        The saved value.
    strict
        Strict or lenient (see the module docstring).

    Returns
    -------
    ParseResult
        As the kind's own ``parse_*`` function; a key that is not part of the format gives the
        value unchanged (lenient) or ``None`` (strict), with the problem "not a known answer".
    """
    from cmethics import course

    component, _, item = key.partition(".")
    simple: dict[str, Callable[[Any], ParseResult[Any]]] = {
        "moderation.choice": lambda v: parse_choice(v, _moderation_ids(), strict=strict),
        "moderation.first_choice": lambda v: parse_choice(v, _moderation_ids(), strict=strict),
        "moderation.justification": lambda v: parse_text(v, strict=strict),
        "moderation.feedback_seen": lambda v: parse_flag(v, strict=strict),
        "trust.attempts": lambda v: parse_trust_attempts(v, strict=strict),
        "trust.current": lambda v: parse_trust_path(v, strict=strict),
        "trust.justification": lambda v: parse_text(v, strict=strict),
        "ego.reflection": lambda v: parse_text(v, strict=strict),
        "coder_thread.article_id": lambda v: parse_choice(v, _thread_ids(), strict=strict),
    }
    if key in simple:
        return simple[key](value)
    if component == "coder" and item:
        return parse_coding(value, course.codebook(), strict=strict)
    if component == "roles" and item:
        return parse_placement(value, strict=strict)
    if component == "expertise" and item:
        return parse_expertise_choice(value, strict=strict)
    if component == "reflection" and item:
        return parse_text(value, strict=strict)
    if component == "ownership" and re.fullmatch(r"rewrite_\d+", item):
        return parse_rewrite(value, strict=strict)
    if key.startswith("ego.prediction."):
        return parse_ego_prediction(value, strict=strict)
    if key.startswith("ego.result."):
        return parse_ego_result(value, strict=strict)
    return ParseResult(None if strict else value, ("not a known answer",))


def _moderation_ids() -> set[str]:
    from cmethics import course

    return {o.id for o in course.moderation_case().options}


def _thread_ids() -> set[str]:
    from cmethics import corpus

    return set(corpus.articles()["article_id"].astype(str))

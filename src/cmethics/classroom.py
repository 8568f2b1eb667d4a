"""The class report: every student's export in a folder, compared side by side.

A teacher collects the files that "Export my work" writes (``cmethics.answers``, schema
``cmethics.submission/1``) into one folder, for example an LMS's "download all submissions"
unzipped, and runs::

    cmethics class-report SUBMISSIONS_DIR --out report.html

or, in a notebook, :func:`write_report`. The report is one self-contained HTML file (no
network, figures embedded) and a folder of CSV files with the same tables. It shows:

- **comment coder**: the distribution of codes per comment, agreement between the students per
  category and overall (Krippendorff's α, Fleiss' κ), agreement of the class with the reference
  coding, and the most contested comments with their text and the students' rationales;
- **role comparer**: the class's mean position of every definition, with its spread, beside
  the sources' own stance;
- **other exercises**: the distribution of every answer drawn from a closed set (choice ids,
  yes/no, short lists of ids), summaries of numeric answers, and the free-text answers;
- **problems**: every file that was skipped and why, and every answer left out and why.

Reading rules
-------------
- The folder is read **recursively** (LMS downloads put each student's files in a folder of
  their own); hidden files and folders (``.name``) and ``__MACOSX`` are skipped, symbolic links
  to folders are not followed. ``recursive=False`` reads the top level only.
- Every ``*.json`` file is validated with :func:`cmethics.answers.load_submission`. A file that
  is empty, larger than :data:`MAX_FILE_BYTES` (5 MB; an export is usually well under 100 kB),
  not UTF-8, not JSON, of another schema version, or not a submission is listed under
  "problems" and skipped. Other files are listed as ignored.
- Several exports of the same student (same name or pseudonym, compared as
  :func:`cmethics.answers.slugify` does) keep the latest ``exported_at``; the others are listed.
- The input folder is only ever read: the report refuses to write into it.

Anonymity
---------
Names appear nowhere in the report's analyses: rationales and free text are shown without a
label, in an order shuffled anew for every report (``seed`` fixes it). Only the problems
section names files, and file names often contain the student's name.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import os
import random
import re
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cmethics import __version__, course
from cmethics.answers import ANSWERS_SCHEMA, SUBMISSION_SCHEMA, load_submission, slugify

__all__ = [
    "MAX_FILE_BYTES",
    "NONE_CHOSEN",
    "OVERALL_LOWEST",
    "OVERALL_MEAN",
    "POOLED",
    "PROBLEM_KINDS",
    "WITHHELD_TEXT",
    "ClassReport",
    "Figure",
    "Problem",
    "ReadResult",
    "ReportFiles",
    "Submission",
    "build_report",
    "code_distribution",
    "coder_agreement",
    "coder_codings",
    "comment_summary",
    "demo_class",
    "fleiss_kappa",
    "folder_digest",
    "krippendorff_alpha",
    "read_submissions",
    "reference_agreement",
    "role_positions",
    "write_report",
]

#: Files larger than this are not read (5 MB). An export of every exercise is usually under
#: 100 kB; a bigger file is almost certainly not an export, and reading many of them would
#: make the report slow for everybody.
MAX_FILE_BYTES = 5_000_000

#: Kinds of problem, in the order the report lists them, with their plain-English title.
PROBLEM_KINDS: dict[str, str] = {
    "empty": "Empty file",
    "too_large": "File too large",
    "encoding": "Not UTF-8 text",
    "json": "Not valid JSON",
    "schema_version": "Another schema version",
    "not_submission": "Not a submission",
    "bad_date": "Export time unreadable",
    "unreadable": "Could not be read",
    "duplicate": "Earlier export of the same student",
    "ignored": "Not a .json file (ignored)",
}

#: What the report shows instead of a withheld comment's text.
WITHHELD_TEXT = "withheld: abusive comment, see the moderation case"

#: The "code" of a multiple-choice category answered with no code (e.g. no theme).
NONE_CHOSEN = "(none chosen)"

#: The ``code`` of the summary rows of :func:`coder_agreement` (category ``overall``).
OVERALL_MEAN = "(mean of categories)"
OVERALL_LOWEST = "(lowest category)"
POOLED = "(pooled)"

_COMMENT_ID = re.compile(r"^00[0-4]-c\d{3}$")
# A "category-like" string: an id or a short label without spaces (choice ids, thread ids).
_ID_LIKE = re.compile(r"^[\w.:/+-]{1,64}$")
_MAX_LIST = 12  # longer lists are not "short lists" of choices
_CONTESTED_TEXT_CHARS = 900
_RATIONALE_CHARS = 400
_FREE_TEXT_CHARS = 600
_FREE_TEXT_SHOWN = 200  # per key in the HTML; the CSV has every one
_RATIONALES_SHOWN = 8
_JUSTIFICATIONS_SHOWN = 5
_ANSWER_PROBLEMS_SHOWN = 100
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Problem:
    """A file that was skipped (or an answer that was left out), and why."""

    file: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Submission:
    """One student's export, validated.

    Attributes
    ----------
    file
        Path relative to the submissions folder (``/``-separated).
    student
        The name or pseudonym as typed (never shown in the report's analyses).
    exported_at
        When the student exported (timezone-aware; naive times are taken as UTC).
    data
        The submission as loaded by :func:`cmethics.answers.load_submission`.
    """

    file: str
    student: str
    exported_at: datetime
    data: dict[str, Any] = field(repr=False, compare=False)

    @property
    def student_key(self) -> str:
        """The identity used to find duplicate exports (the answers folder's slug)."""
        return slugify(self.student)


@dataclass
class ReadResult:
    """What :func:`read_submissions` found in a folder."""

    submissions: list[Submission]
    problems: list[Problem]
    n_files: int


def _candidate_files(folder: Path, recursive: bool) -> list[Path]:
    # Sorted for a deterministic report; hidden entries and macOS zip debris are skipped
    # because LMS downloads and unzipping leave them, and they are never exports.
    found: list[Path] = []
    if recursive:
        for root, dirs, files in os.walk(folder, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
            found.extend(Path(root) / f for f in files if not f.startswith("."))
    else:
        found = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _classify_load_error(path: Path, message: str) -> tuple[str, str]:
    if message.startswith("not UTF-8"):
        return "encoding", (
            f"{message}. Probably re-saved by another program; ask the student to export again."
        )
    if message.startswith("not valid JSON"):
        return "json", f"{message}. The file is damaged or was edited by hand."
    if message.startswith("schema "):
        return "schema_version", f"{message}. Update cmethics, or ask for a new export."
    hint = ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("schema") == ANSWERS_SCHEMA:
            hint = (
                " It is one exercise's answers file, not an export: ask the student to press "
                "'Export my work' and hand in the file from exports/."
            )
    except (OSError, ValueError):
        pass
    return "not_submission", message.rstrip(".") + "." + hint


def _read_one(path: Path, rel: str, max_bytes: int) -> Submission | Problem:
    try:
        size = path.stat().st_size
        if size == 0:
            return Problem(rel, "empty", "The file is empty (0 bytes).")
        if size > max_bytes:
            return Problem(
                rel,
                "too_large",
                f"{size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit; an export is "
                "usually under 0.1 MB. Check the file, or raise the limit (--max-mb).",
            )
        data = load_submission(path)
    except ValueError as error:
        kind, reason = _classify_load_error(path, str(error))
        return Problem(rel, kind, reason)
    except RecursionError:
        return Problem(rel, "json", "not valid JSON: nested too deeply.")
    except OSError as error:
        return Problem(rel, "unreadable", f"could not be read: {error.strerror or error}.")
    except Exception as error:  # one odd file must never stop the report
        return Problem(rel, "unreadable", f"could not be read: {type(error).__name__}: {error}")
    try:
        exported = _parse_time(data["exported_at"])
    except (TypeError, ValueError):
        return Problem(
            rel, "bad_date", f"exported_at {data['exported_at']!r} is not an ISO 8601 date-time."
        )
    return Submission(rel, data["student"], exported, data)


def _want_progress(progress: bool | None) -> bool:
    # Only when asked, or when a person watches a terminal: never in tests or notebooks' logs.
    if progress is not None:
        return progress
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def read_submissions(
    folder: Path | str,
    *,
    recursive: bool = True,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool | None = None,
) -> ReadResult:
    """Read and validate every export in a folder; list every file that cannot be used.

    Parameters
    ----------
    folder
        The submissions folder. It is only read, never modified.
    recursive
        Also read sub-folders (the default: LMS downloads nest one folder per student).
    max_bytes
        Files larger than this are skipped and listed (default :data:`MAX_FILE_BYTES`).
    progress
        Show a progress bar (tqdm, on stderr); ``None`` shows it only in an interactive
        terminal.

    Returns
    -------
    ReadResult
        ``submissions`` (one per student: the latest export), ``problems`` (skipped files
        and earlier exports, with the reason) and ``n_files`` (files looked at).

    Raises
    ------
    NotADirectoryError
        If ``folder`` is not a folder.
    """
    from tqdm.auto import tqdm

    base = Path(folder)
    if not base.is_dir():
        raise NotADirectoryError(f"not a folder: {base}")
    files = _candidate_files(base, recursive)
    loaded: list[Submission] = []
    problems: list[Problem] = []
    show = _want_progress(progress)
    for path in tqdm(files, desc="Reading exports", unit="file", disable=not show, leave=False):
        rel = path.relative_to(base).as_posix()
        if path.suffix.lower() != ".json":
            problems.append(
                Problem(rel, "ignored", "Not a .json file: the report reads only the exports.")
            )
            continue
        result = _read_one(path, rel, max_bytes)
        (loaded if isinstance(result, Submission) else problems).append(result)

    # One submission per student: the latest export wins, ties broken by file name.
    by_student: dict[str, list[Submission]] = {}
    for sub in loaded:
        by_student.setdefault(sub.student_key, []).append(sub)
    kept: list[Submission] = []
    for subs in by_student.values():
        subs.sort(key=lambda s: (s.exported_at, s.file))
        latest = subs[-1]
        kept.append(latest)
        for older in subs[:-1]:
            problems.append(
                Problem(
                    older.file,
                    "duplicate",
                    f"Exported {older.exported_at:%Y-%m-%d %H:%M} UTC; the same student's later "
                    f"export {latest.file} ({latest.exported_at:%Y-%m-%d %H:%M} UTC) is used.",
                )
            )
    kept.sort(key=lambda s: s.file)
    order = {kind: i for i, kind in enumerate(PROBLEM_KINDS)}
    problems.sort(key=lambda p: (order.get(p.kind, 99), p.file))
    return ReadResult(kept, problems, len(files))


def folder_digest(folder: Path | str) -> str:
    """A SHA-256 digest of every file's relative path, size and content under ``folder``.

    Two equal digests taken before and after a report show that the report changed nothing
    in the submissions folder (the tests and the teacher notebook use it).
    """
    digest = hashlib.sha256()
    base = Path(folder)
    for root, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() if path.is_file() else b"<not a file>")
            digest.update(b"\0")
    return digest.hexdigest()


# --------------------------------------------------------------------------- answers


def _latest_answers(sub: Submission) -> dict[str, tuple[str, Any]]:
    """Every answer of a submission, ``{key: (exercise, value)}``.

    The same key can be saved by two exercises (the role comparer is in ``role`` and in the
    ``capstone``): the exercise updated last wins, because it holds the student's latest view.
    """
    exercises = sub.data["exercises"]
    ordered = sorted(exercises.items(), key=lambda item: str(item[1].get("updated", "")))
    merged: dict[str, tuple[str, Any]] = {}
    for exercise, content in ordered:
        for key, value in content["answers"].items():
            merged[str(key)] = (exercise, value)
    return merged


def _parse_coding(value: Any, book: course.Codebook) -> tuple[dict[str, Any] | None, list[str]]:
    """One ``coder.<comment_id>`` value as ``{category: code | tuple | None}`` plus problems.

    ``None`` for a category means "not answered". A multiple-choice category that may be left
    empty (``min_choices == 0``, the themes) counts as answered, with no code, as soon as the
    student answered anything else for the comment. Unknown codes are left out and reported
    (unlike the coder's own tolerant reading, the teacher must see them).
    """
    if not isinstance(value, Mapping):
        return None, [f"not a coding (a {type(value).__name__})"]
    problems: list[str] = []
    coding: dict[str, Any] = {}
    for cat in book.categories:
        raw = value.get(cat.id)
        if cat.multiple:
            items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
            if raw is not None and not isinstance(raw, str | list):
                problems.append(f"{cat.id}: not a list")
            chosen = []
            for item in items:
                if isinstance(item, str) and item in cat.code_ids:
                    chosen.append(item)
                else:
                    problems.append(f"{cat.id}: unknown code {item!r}")
            ordered = tuple(c for c in cat.code_ids if c in chosen)
            coding[cat.id] = ordered if ordered else None
        elif raw is None or raw == "":
            coding[cat.id] = None
        elif isinstance(raw, str) and raw in cat.code_ids:
            coding[cat.id] = raw
        else:
            problems.append(f"{cat.id}: unknown code {raw!r}")
            coding[cat.id] = None
    answered = any(v is not None for v in coding.values())
    for cat in book.categories:
        if cat.multiple and cat.min_choices == 0 and answered and coding[cat.id] is None:
            coding[cat.id] = ()
    rationale = value.get("rationale")
    coding["rationale"] = rationale.strip() if isinstance(rationale, str) else ""
    return (coding if answered else None), problems


def _parse_position(value: Any) -> tuple[dict[str, Any] | None, str | None]:
    if not isinstance(value, Mapping):
        return None, f"not a placement (a {type(value).__name__})"
    out: dict[str, Any] = {}
    for axis in ("serves", "works_by"):
        number = value.get(axis)
        if isinstance(number, bool) or not isinstance(number, int | float):
            return None, f"{axis} is not a number"
        if not math.isfinite(number) or not -1.0 <= number <= 1.0:
            return None, f"{axis} = {number!r} is outside [-1, 1]"
        out[axis] = float(number)
    justification = value.get("justification")
    out["justification"] = justification.strip() if isinstance(justification, str) else ""
    return out, None


@dataclass
class _Extracted:
    codings: pd.DataFrame
    positions: pd.DataFrame
    leaves: list[tuple[int, str, str, Any]]  # coder, exercise, key, value
    answer_problems: list[Problem]


def _flatten(key: str, value: Any, depth: int = 0) -> Iterable[tuple[str, Any]]:
    # Nested mappings become dotted keys (``ego.prediction.000.body.i``); three levels at most,
    # deeper structures are kept whole (and then shown nowhere but counted).
    if isinstance(value, Mapping) and depth < 3:
        for sub_key, sub_value in value.items():
            yield from _flatten(f"{key}.{sub_key}", sub_value, depth + 1)
    else:
        yield key, value


def _extract(
    submissions: Sequence[Submission],
    book: course.Codebook,
    comment_ids: set[str],
    rng: random.Random,
) -> _Extracted:
    coding_rows: list[dict[str, Any]] = []
    position_rows: list[dict[str, Any]] = []
    leaves: list[tuple[int, str, str, Any]] = []
    problems: list[Problem] = []
    known_points = set(course.role_map_points()["point_id"].astype(str))
    # Coder numbers are a random permutation: nothing in the tables follows the file order.
    numbers = list(range(1, len(submissions) + 1))
    rng.shuffle(numbers)
    for coder, sub in zip(numbers, submissions, strict=True):
        for key, (exercise, value) in _latest_answers(sub).items():
            if key.startswith("coder."):
                comment_id = key[len("coder.") :]
                if not _COMMENT_ID.match(comment_id) or comment_id not in comment_ids:
                    problems.append(Problem(sub.file, key, "no such comment in the corpus"))
                    continue
                coding, issues = _parse_coding(value, book)
                for issue in issues:
                    problems.append(Problem(sub.file, key, issue))
                if coding is not None:
                    coding_rows.append(
                        {"coder": coder, "comment_id": comment_id, "exercise": exercise, **coding}
                    )
            elif key.startswith("roles."):
                point_id = key[len("roles.") :]
                if point_id not in known_points:
                    problems.append(Problem(sub.file, key, "no such definition on the role map"))
                    continue
                position, issue = _parse_position(value)
                if issue:
                    problems.append(Problem(sub.file, key, issue))
                if position is not None:
                    position_rows.append({"coder": coder, "point_id": point_id, **position})
            else:
                for leaf_key, leaf in _flatten(key, value):
                    leaves.append((coder, exercise, leaf_key, leaf))
    columns = ["coder", "comment_id", "exercise", *(c.id for c in book.categories), "rationale"]
    # dtype=object: codes stay str / tuple / None (pandas would turn None into NaN in a str
    # column, and "not answered" must stay distinguishable from a code).
    codings = pd.DataFrame(coding_rows, columns=columns, dtype=object)
    codings["coder"] = codings["coder"].astype("int64")
    codings.insert(1, "article_id", codings["comment_id"].map(lambda c: c[:3]))
    positions = pd.DataFrame(
        position_rows, columns=["coder", "point_id", "serves", "works_by", "justification"]
    )
    return _Extracted(codings, positions, leaves, problems)


def coder_codings(
    submissions: Sequence[Submission],
    book: course.Codebook | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Every comment coding of every submission, one row per (coder, comment).

    Parameters
    ----------
    submissions
        From :func:`read_submissions`.
    book
        The codebook (``course.codebook()`` when omitted).
    seed
        Fixes the random numbering of the coders (1..n, not in file order).

    Returns
    -------
    pandas.DataFrame
        ``coder`` (anonymous number), ``article_id``, ``comment_id``, ``exercise``, one column
        per codebook category (a code id, a tuple of code ids for multiple-choice categories,
        or ``None`` when not answered) and ``rationale``.
    """
    book = book or course.codebook()
    from cmethics import corpus

    ids = set(corpus.comments()["comment_id"].astype(str))
    return _extract(submissions, book, ids, random.Random(seed)).codings


# --------------------------------------------------------------------------- agreement


def krippendorff_alpha(matrix: np.ndarray) -> tuple[float, str]:
    """Krippendorff's α (nominal) of a coders × units matrix of code numbers (NaN = missing).

    Computed by the ``krippendorff`` package. Returns ``(alpha, note)``; α is NaN, with a
    note saying why, when no unit has two codes or when every code is the same (α is then
    undefined: there is no variation to agree about).
    """
    import krippendorff

    values = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    if values.shape[1] == 0:
        return math.nan, "no comment coded by two students"
    if np.unique(values[~np.isnan(values)]).size < 2:
        return math.nan, "undefined: every student chose the same code"
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")), ""


def _complete_block(matrix: np.ndarray) -> np.ndarray | None:
    """The largest complete coders × units block found greedily (``None`` if < 2 coders).

    Fleiss' κ needs every coder on every unit. Starting from every coder and unit with a
    code, the coder or unit with the largest share of missing codes is dropped (a coder on
    ties) until no code is missing.
    """
    present = ~np.isnan(matrix)
    rows = np.flatnonzero(present.any(axis=1))
    cols = np.flatnonzero(present.any(axis=0))
    missing = ~present[np.ix_(rows, cols)]
    miss_r = missing.sum(axis=1).astype(float)
    miss_c = missing.sum(axis=0).astype(float)
    alive_r = np.ones(len(rows), dtype=bool)
    alive_c = np.ones(len(cols), dtype=bool)
    n_r, n_c = len(rows), len(cols)
    while n_r >= 2 and n_c >= 1:
        share_r = np.where(alive_r, miss_r / n_c, -1.0)
        share_c = np.where(alive_c, miss_c / n_r, -1.0)
        i, j = int(share_r.argmax()), int(share_c.argmax())
        if share_r[i] <= 0 and share_c[j] <= 0:
            break
        if share_r[i] >= share_c[j]:
            alive_r[i] = False
            n_r -= 1
            miss_c -= missing[i]
        else:
            alive_c[j] = False
            n_c -= 1
            miss_r -= missing[:, j]
    if n_r < 2 or n_c < 1:
        return None
    return matrix[np.ix_(rows[alive_r], cols[alive_c])]


def fleiss_kappa(matrix: np.ndarray) -> tuple[float, int, int, str]:
    """Fleiss' κ of a coders × units matrix (NaN = missing), on its largest complete block.

    Computed by ``statsmodels.stats.inter_rater`` (``aggregate_raters``, ``fleiss_kappa``).

    Returns
    -------
    tuple
        ``(kappa, n_coders, n_units, note)``: the coders and units of the complete block
        κ was computed on (see :func:`_complete_block`), and why κ is NaN when it is.
    """
    from statsmodels.stats import inter_rater

    block = _complete_block(matrix)
    if block is None:
        return math.nan, 0, 0, "fewer than two students coded the same comments"
    table, _ = inter_rater.aggregate_raters(block.T.astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        kappa = float(inter_rater.fleiss_kappa(table, method="fleiss"))
    note = "" if math.isfinite(kappa) else "undefined: every student chose the same code"
    return kappa, block.shape[0], block.shape[1], note


@dataclass
class _Decision:
    category: str
    code: str  # "" for a single-choice category
    matrix: np.ndarray  # coders x comments


def _decisions(
    codings: pd.DataFrame, comment_ids: Sequence[str], book: course.Codebook
) -> list[_Decision]:
    """Coders × comments matrices: one per single-choice category, one per code otherwise."""
    coders = np.sort(codings["coder"].unique())
    row = np.searchsorted(coders, codings["coder"].to_numpy())
    col_of = {cid: i for i, cid in enumerate(comment_ids)}
    col = codings["comment_id"].map(col_of).to_numpy()
    shape = (len(coders), len(comment_ids))
    out: list[_Decision] = []
    for cat in book.categories:
        values = codings[cat.id].to_numpy(dtype=object)
        answered = np.array([v is not None for v in values], dtype=bool)
        if not cat.multiple:
            number = {code: float(i) for i, code in enumerate(cat.code_ids)}
            m = np.full(shape, np.nan)
            m[row[answered], col[answered]] = [number[v] for v in values[answered]]
            out.append(_Decision(cat.id, "", m))
            continue
        for code in cat.code_ids:
            m = np.full(shape, np.nan)
            m[row[answered], col[answered]] = [float(code in v) for v in values[answered]]
            out.append(_Decision(cat.id, code, m))
    return out


def _measure(scope: str, category: str, code: str, matrix: np.ndarray) -> dict[str, Any]:
    alpha, alpha_note = krippendorff_alpha(matrix)
    kappa, k_coders, k_units, kappa_note = fleiss_kappa(matrix)
    present = ~np.isnan(matrix)
    pairable = present[:, present.sum(axis=0) >= 2]
    notes = "; ".join(dict.fromkeys(n for n in (alpha_note, kappa_note) if n))
    return {
        "article_id": scope,
        "category": category,
        "code": code,
        "alpha": alpha,
        "alpha_n_coders": int(pairable.any(axis=1).sum()),
        "alpha_n_units": int(pairable.shape[1]),
        "alpha_n_values": int(pairable.sum()),
        "kappa": kappa,
        "kappa_n_coders": k_coders,
        "kappa_n_units": k_units,
        "note": notes,
    }


def coder_agreement(
    codings: pd.DataFrame,
    comments: pd.DataFrame | None = None,
    book: course.Codebook | None = None,
) -> pd.DataFrame:
    """Agreement between the students, per thread and over all threads.

    For each scope (a thread, then ``"all"``):

    - a single-choice category (stance, addressee): Krippendorff's α (nominal) and Fleiss' κ
      over the comments, a unit being one comment;
    - a multiple-choice category (themes, ego markers): α and κ **per code**, each code being
      a present/absent decision on each comment, and a ``(pooled)`` row that treats every
      (comment, code) pair as one present/absent unit;
    - ``overall``: ``(mean of categories)``, the mean of the category rows (stance, themes
      pooled, addressee, ego markers pooled), and ``(lowest category)``, the lowest of them:
      Krippendorff judges a set of variables by its least reliable one. (Pooling every
      decision of every category into one α is avoided on purpose: with each category's codes
      kept apart, the expected disagreement is inflated and α looks better than any category.)

    α uses every coding (missing codes allowed). κ needs every coder on every unit: it is
    computed on the largest complete block of coders × units (found greedily), and
    ``kappa_n_coders`` / ``kappa_n_units`` say which n it rests on.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``category``, ``code``, ``alpha``, ``alpha_n_coders``,
        ``alpha_n_units`` (units coded by at least two students), ``alpha_n_values``,
        ``kappa``, ``kappa_n_coders``, ``kappa_n_units``, ``note``.
    """
    book = book or course.codebook()
    if comments is None:
        from cmethics import corpus

        comments = corpus.comments()
    columns = [
        "article_id",
        "category",
        "code",
        "alpha",
        "alpha_n_coders",
        "alpha_n_units",
        "alpha_n_values",
        "kappa",
        "kappa_n_coders",
        "kappa_n_units",
        "note",
    ]
    rows: list[dict[str, Any]] = []
    scopes = sorted(codings["article_id"].unique())
    if scopes:
        scopes.append("all")
    for scope in scopes:
        subset = codings if scope == "all" else codings[codings["article_id"] == scope]
        ids = comments["comment_id"].astype(str)
        if scope != "all":
            ids = ids[comments["article_id"].astype(str) == scope]
        decisions = _decisions(subset, list(ids), book)
        category_rows: list[dict[str, Any]] = []
        for cat in book.categories:
            mine = [d for d in decisions if d.category == cat.id]
            if not cat.multiple:
                result = _measure(scope, cat.id, "", mine[0].matrix)
                rows.append(result)
                category_rows.append(result)
                continue
            for d in mine:
                rows.append(_measure(scope, cat.id, d.code, d.matrix))
            # Pooled: every (comment, code) pair is one present/absent unit.
            result = _measure(scope, cat.id, POOLED, np.hstack([d.matrix for d in mine]))
            rows.append(result)
            category_rows.append(result)
        for code, combine, note in (
            (OVERALL_MEAN, _nanmean, "mean of the category rows"),
            (OVERALL_LOWEST, _nanmin, "lowest of the category rows"),
        ):
            rows.append(
                {
                    "article_id": scope,
                    "category": "overall",
                    "code": code,
                    "alpha": combine([r["alpha"] for r in category_rows]),
                    "kappa": combine([r["kappa"] for r in category_rows]),
                    "note": note,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    for col in (
        "alpha_n_coders",
        "alpha_n_units",
        "alpha_n_values",
        "kappa_n_coders",
        "kappa_n_units",
    ):
        frame[col] = frame[col].astype("Int64")
    return frame


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if isinstance(v, float) and math.isfinite(v)]


def _nanmin(values: Sequence[float]) -> float:
    finite = _finite(values)
    return min(finite) if finite else math.nan


def _nanmean(values: Sequence[float]) -> float:
    finite = _finite(values)
    return sum(finite) / len(finite) if finite else math.nan


# --------------------------------------------------------------------------- distributions


def _key_frame() -> pd.DataFrame:
    return course.reference_coding().frame().set_index("comment_id")


def _answered(values: pd.Series) -> np.ndarray:
    # A boolean array, not a Series: an empty object Series used as a mask would select columns.
    return np.array([v is not None for v in values], dtype=bool)


def _as_set_label(value: Any) -> str | None:
    if value is None:
        return None
    return "+".join(value) if value else NONE_CHOSEN


def code_distribution(codings: pd.DataFrame, book: course.Codebook | None = None) -> pd.DataFrame:
    """How many students chose each code, per comment and category.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``comment_id``, ``category``, ``code``, ``n`` (students who chose
        it), ``n_coders`` (students who answered that category for that comment), ``share``
        (``n / n_coders``; for multiple-choice categories the shares can add up to more than
        1) and ``in_key`` (whether the reference coding has that code).
    """
    book = book or course.codebook()
    key = _key_frame()
    parts = []
    for cat in book.categories:
        sub = codings[["article_id", "comment_id", cat.id]].rename(columns={cat.id: "code"})
        sub = sub[_answered(sub["code"])]
        n_coders = sub.groupby("comment_id").size().rename("n_coders")
        if cat.multiple:
            # An answered category with no code counts as "(none chosen)": that is a choice.
            sub = sub.assign(code=sub["code"].map(lambda v: v if v else (NONE_CHOSEN,)))
            sub = sub.explode("code")
        counts = sub.groupby(["article_id", "comment_id", "code"]).size().rename("n")
        counts = counts.reset_index().join(n_coders, on="comment_id")
        counts.insert(2, "category", cat.id)
        parts.append(counts)
    columns = ["article_id", "comment_id", "category", "code", "n", "n_coders", "share", "in_key"]
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame(columns=columns)
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    frame["share"] = frame["n"] / frame["n_coders"]

    def in_key(row: Any) -> bool:
        if row.comment_id not in key.index:
            return False
        value = key.at[row.comment_id, row.category]
        if isinstance(value, tuple):
            return value == () if row.code == NONE_CHOSEN else row.code in value
        return row.code == value

    frame["in_key"] = [in_key(r) for r in frame.itertuples()]
    order = {c.id: i for i, c in enumerate(book.categories)}
    code_order = {(c.id, code): i for c in book.categories for i, code in enumerate(c.code_ids)}
    frame["_c"] = frame["category"].map(order)
    pairs = zip(frame["category"], frame["code"], strict=True)
    frame["_k"] = [code_order.get(pair, 99) for pair in pairs]
    frame = frame.sort_values(["comment_id", "_c", "_k"]).drop(columns=["_c", "_k"])
    frame["n"] = frame["n"].astype("int64")
    frame["n_coders"] = frame["n_coders"].astype("int64")
    return frame[columns].reset_index(drop=True)


def _pairwise_agreement(counts: Iterable[int]) -> float:
    counts = list(counts)
    n = sum(counts)
    if n < 2:
        return math.nan
    return sum(c * (c - 1) for c in counts) / (n * (n - 1))


def _entropy(counts: Iterable[int]) -> float:
    counts = [c for c in counts if c]
    n = sum(counts)
    # max(0, ...): one code only gives -0.0, which would print as "-0.000".
    return max(0.0, -sum(c / n * math.log2(c / n) for c in counts)) if n else math.nan


def comment_summary(codings: pd.DataFrame, book: course.Codebook | None = None) -> pd.DataFrame:
    """One row per coded comment: the class's modal code, the key's, and how contested it is.

    For each category: the modal code (a multiple-choice category's modal *set*, e.g.
    ``role+trust``), its share, the key's code(s), the share of students who chose exactly the
    key's, and the pairwise agreement (share of pairs of students who chose the same code or
    set: Fleiss' per-comment agreement). ``agreement`` is the mean of the categories' pairwise
    agreements and ``stance_entropy`` the entropy (bits) of the stance codes; the contested
    comments are those with the lowest ``agreement`` (ties: highest entropy).
    """
    book = book or course.codebook()
    key = _key_frame()
    records = []
    for comment_id, group in codings.groupby("comment_id", sort=True):
        rec: dict[str, Any] = {
            "article_id": comment_id[:3],
            "comment_id": comment_id,
            "n_coders": int(group["coder"].nunique()),
        }
        agreements = []
        for cat in book.categories:
            labels = [
                _as_set_label(v) if cat.multiple else v for v in group[cat.id] if v is not None
            ]
            counts = Counter(labels)
            n = sum(counts.values())
            key_value = key.at[comment_id, cat.id] if comment_id in key.index else None
            if key_value is None:
                key_label = None
            else:
                key_label = _as_set_label(tuple(key_value)) if cat.multiple else str(key_value)
            # Ties broken by label, so that the random coder order never changes the mode.
            modal, modal_n = (
                min(counts.items(), key=lambda i: (-i[1], i[0])) if counts else (None, 0)
            )
            agreement = _pairwise_agreement(counts.values())
            rec[f"{cat.id}_n"] = n
            rec[f"{cat.id}_modal"] = modal
            rec[f"{cat.id}_modal_share"] = modal_n / n if n else math.nan
            rec[f"{cat.id}_key"] = key_label
            rec[f"{cat.id}_key_share"] = counts.get(key_label, 0) / n if n else math.nan
            rec[f"{cat.id}_agreement"] = agreement
            if not math.isnan(agreement):
                agreements.append(agreement)
            if cat.id == "stance":
                rec["stance_entropy"] = _entropy(counts.values())
        rec["agreement"] = float(np.mean(agreements)) if agreements else math.nan
        rec["key_confidence"] = (
            str(key.at[comment_id, "confidence"]) if comment_id in key.index else None
        )
        records.append(rec)
    return pd.DataFrame.from_records(records)


def reference_agreement(codings: pd.DataFrame, book: course.Codebook | None = None) -> pd.DataFrame:
    """How often the class's codings equal the reference coding, per thread and category.

    A multiple-choice category matches when the *set* of codes equals the key's. For a
    ``borderline`` record the key gives an alternative coding; ``share_key_or_alternative``
    counts a coding that equals either.

    Returns
    -------
    pandas.DataFrame
        ``article_id`` (a thread or ``"all"``), ``category``, ``n_codings``, ``n_key``,
        ``share_key``, ``n_key_or_alternative``, ``share_key_or_alternative``.
    """
    book = book or course.codebook()
    key = _key_frame()
    rows = []
    for cat in book.categories:
        sub = codings[["article_id", "comment_id", cat.id]]
        sub = sub[_answered(sub[cat.id])]
        sub = sub[sub["comment_id"].isin(key.index)]
        key_value = sub["comment_id"].map(key[cat.id])
        alt_value = sub["comment_id"].map(key[f"alternative_{cat.id}"])
        if cat.multiple:
            chosen = sub[cat.id].map(lambda v: frozenset(v))
            exact = chosen == key_value.map(lambda v: frozenset(v))
            alt = [
                isinstance(a, tuple) and c == frozenset(a)
                for c, a in zip(chosen, alt_value, strict=True)
            ]
        else:
            exact = sub[cat.id] == key_value.astype(object)
            alt = [
                isinstance(a, str) and c == a for c, a in zip(sub[cat.id], alt_value, strict=True)
            ]
        frame = pd.DataFrame({"article_id": sub["article_id"], "exact": exact.to_numpy(dtype=bool)})
        frame["either"] = frame["exact"].to_numpy() | np.asarray(alt, dtype=bool)
        for scope, part in [*frame.groupby("article_id"), ("all", frame)]:
            n = len(part)
            rows.append(
                {
                    "article_id": scope,
                    "category": cat.id,
                    "n_codings": n,
                    "n_key": int(part["exact"].sum()),
                    "share_key": part["exact"].mean() if n else math.nan,
                    "n_key_or_alternative": int(part["either"].sum()),
                    "share_key_or_alternative": part["either"].mean() if n else math.nan,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "article_id",
            "category",
            "n_codings",
            "n_key",
            "share_key",
            "n_key_or_alternative",
            "share_key_or_alternative",
        ],
    )
    order = {c.id: i for i, c in enumerate(book.categories)}
    frame["_s"] = frame["article_id"].map(lambda a: (a == "all", a))
    frame["_c"] = frame["category"].map(order)
    return frame.sort_values(["_s", "_c"]).drop(columns=["_s", "_c"]).reset_index(drop=True)


# --------------------------------------------------------------------------- role map


def role_positions(positions: pd.DataFrame, points: pd.DataFrame | None = None) -> pd.DataFrame:
    """The class's position of every definition on the role map, beside the source's own.

    Parameters
    ----------
    positions
        One row per (coder, definition): ``point_id``, ``serves``, ``works_by``.
    points
        ``course.role_map_points()`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per point of the map, in the map's order: ``number`` (1..n, the figure's
        labels), ``point_id``, ``kind``, ``label``, ``source_serves``, ``source_works_by``,
        ``n``, ``serves_mean``, ``serves_sd``, ``works_by_mean``, ``works_by_sd`` (sample
        standard deviations, NaN below two placements) and ``distance`` (from the class's
        mean to the source's stance).
    """
    points = course.role_map_points() if points is None else points
    grouped = positions.groupby("point_id")
    stats = pd.DataFrame(
        {
            "n": grouped.size(),
            "serves_mean": grouped["serves"].mean(),
            "serves_sd": grouped["serves"].std(ddof=1),
            "works_by_mean": grouped["works_by"].mean(),
            "works_by_sd": grouped["works_by"].std(ddof=1),
        }
    )
    frame = pd.DataFrame(
        {
            "number": range(1, len(points) + 1),
            "point_id": points["point_id"].astype(str),
            "kind": points["kind"].astype(str),
            "label": points["label"].astype(str),
            "source_serves": points["serves"].astype(float),
            "source_works_by": points["works_by"].astype(float),
        }
    ).join(stats, on="point_id")
    frame["n"] = frame["n"].fillna(0).astype("int64")
    for column in ("serves_mean", "serves_sd", "works_by_mean", "works_by_sd"):
        frame[column] = frame[column].astype("float64")  # object when nobody placed anything
    frame["distance"] = np.hypot(
        frame["serves_mean"] - frame["source_serves"],
        frame["works_by_mean"] - frame["source_works_by"],
    )
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- other answers


def _categorical(value: Any) -> list[str] | None:
    """The category label(s) of an answer, or ``None`` if it is not categorical."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, str):
        return [value] if _ID_LIKE.match(value) else None
    if (
        isinstance(value, list)
        and len(value) <= _MAX_LIST
        and all(isinstance(v, str) and _ID_LIKE.match(v) for v in value)
    ):
        return list(value) if value else ["(empty list)"]
    return None


def _other_answers(
    leaves: Sequence[tuple[int, str, str, Any]], rng: random.Random
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Distributions of categorical answers, numeric summaries and free text, per key.

    A key is free text as soon as one of its answers is text that is not an id (spaces, or
    longer than 64 characters): a one-word reflection must not make a reflection categorical.
    """
    by_key: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for coder, exercise, key, value in leaves:
        if value is None:
            continue
        by_key.setdefault((exercise, key), []).append((coder, value))
    dist_rows: list[dict[str, Any]] = []
    num_rows: list[dict[str, Any]] = []
    text_rows: list[dict[str, Any]] = []
    for (exercise, key), values in sorted(by_key.items()):
        texts = [v for _, v in values if isinstance(v, str)]
        if any(not _ID_LIKE.match(t) for t in texts):
            kept = [t.strip() for t in texts if t.strip()]
            rng.shuffle(kept)
            text_rows.extend({"exercise": exercise, "key": key, "text": t} for t in kept)
            continue
        numbers = [
            float(v)
            for _, v in values
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        ]
        if numbers and len(numbers) == len(values):
            series = pd.Series(numbers)
            num_rows.append(
                {
                    "exercise": exercise,
                    "key": key,
                    "n": len(numbers),
                    "mean": series.mean(),
                    "sd": series.std(ddof=1),
                    "min": series.min(),
                    "median": series.median(),
                    "max": series.max(),
                }
            )
            continue
        labelled = [(c, _categorical(v)) for c, v in values]
        labelled = [(c, labels) for c, labels in labelled if labels is not None]
        if not labelled:
            continue
        n_students = len({c for c, _ in labelled})
        counts = Counter(label for _, labels in labelled for label in dict.fromkeys(labels))
        for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            dist_rows.append(
                {
                    "exercise": exercise,
                    "key": key,
                    "value": label,
                    "n": n,
                    "n_students": n_students,
                    "share": n / n_students,
                }
            )
    return (
        pd.DataFrame(dist_rows, columns=["exercise", "key", "value", "n", "n_students", "share"]),
        pd.DataFrame(
            num_rows, columns=["exercise", "key", "n", "mean", "sd", "min", "median", "max"]
        ),
        pd.DataFrame(text_rows, columns=["exercise", "key", "text"]),
    )


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """An embedded figure: PNG bytes and the alt text that states its key numbers."""

    png: bytes = field(repr=False)
    alt: str
    caption: str

    @property
    def data_uri(self) -> str:
        """``data:image/png;base64,...``, for an ``<img src>`` that needs no file."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def html(self) -> str:
        """An ``<img>`` tag with the alt text escaped, for a notebook's ``HTML`` display."""
        import html

        return (
            f'<img src="{self.data_uri}" alt="{html.escape(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto">'
        )


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def _agreement_figure(agreement: pd.DataFrame, book: course.Codebook) -> Figure | None:
    from matplotlib.figure import Figure as MplFigure

    rows = agreement[
        (agreement["code"].isin(["", POOLED, OVERALL_MEAN])) & (agreement["article_id"] != "all")
    ]
    if rows.empty:
        return None
    categories = [c.id for c in book.categories] + ["overall"]
    labels = {c.id: c.label for c in book.categories} | {"overall": "Mean of the categories"}
    threads = sorted(rows["article_id"].unique())
    fig = MplFigure(figsize=(7.5, 0.55 * len(threads) * len(categories) / 2 + 1.6))
    ax = fig.subplots()
    height = 0.8 / len(categories)
    colours = ["#1f4e79", "#8c510a", "#2d6a4f", "#6a3d9a", "#4d4d4d"]
    parts = []
    for i, cat in enumerate(categories):
        values = []
        for t in threads:
            hit = rows[(rows["article_id"] == t) & (rows["category"] == cat)]["alpha"]
            values.append(float(hit.iloc[0]) if len(hit) else math.nan)
        ypos = np.arange(len(threads)) + i * height
        ax.barh(
            ypos,
            np.nan_to_num(values),
            height=height,
            label=labels[cat],
            color=colours[i % len(colours)],
        )
        parts.append(
            f"{labels[cat]}: "
            + ", ".join(
                f"thread {t} {v:.2f}" if math.isfinite(v) else f"thread {t} undefined"
                for t, v in zip(threads, values, strict=True)
            )
        )
    ax.set_yticks(np.arange(len(threads)) + 0.4 - height / 2, [f"Thread {t}" for t in threads])
    ax.invert_yaxis()
    for x, style in ((0.667, ":"), (0.8, "--")):
        ax.axvline(x, color="#333333", linestyle=style, linewidth=1)
    ax.set_xlim(min(-0.2, float(np.nanmin(rows["alpha"].to_numpy(float), initial=0))), 1.0)
    ax.axvline(0, color="#000000", linewidth=0.8)
    ax.set_xlabel("Krippendorff's α (dotted: 0.667, dashed: 0.800)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize=8, frameon=False)
    fig.tight_layout()
    alt = (
        "Bar chart of Krippendorff's alpha between the students, per thread. "
        + "; ".join(parts)
        + ". Reference lines at 0.667 and 0.800."
    )
    return Figure(_png(fig), alt, "Agreement between the students (Krippendorff's α) per thread.")


def _role_figure(table: pd.DataFrame, axes: course.RoleAxes) -> Figure | None:
    from matplotlib.figure import Figure as MplFigure

    placed = table[table["n"] > 0]
    if placed.empty:
        return None
    fig = MplFigure(figsize=(8, 8))
    ax = fig.subplots()
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    for r in placed.itertuples():
        ax.plot(
            [r.source_serves, r.serves_mean],
            [r.source_works_by, r.works_by_mean],
            color="#9aa5b1",
            linewidth=0.8,
            zorder=1,
        )
    ax.errorbar(
        placed["serves_mean"],
        placed["works_by_mean"],
        xerr=placed["serves_sd"].fillna(0),
        yerr=placed["works_by_sd"].fillna(0),
        fmt="o",
        color="#1f4e79",
        ecolor="#7fa6c9",
        elinewidth=1,
        capsize=2,
        markersize=6,
        label="Class mean (bars: ± 1 standard deviation)",
        zorder=3,
    )
    ax.scatter(
        placed["source_serves"],
        placed["source_works_by"],
        marker="s",
        facecolors="none",
        edgecolors="#8c510a",
        s=40,
        linewidths=1.4,
        label="The source's own stance",
        zorder=2,
    )
    for r in placed.itertuples():
        ax.annotate(
            str(r.number),
            (r.serves_mean, r.works_by_mean),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7,
            color="#0b2e4f",
        )
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.set_xlabel(f"Whom it serves: {axes.serves.min_label} (−1) … {axes.serves.max_label} (+1)")
    ax.set_ylabel(f"How it works: {axes.works_by.min_label} (−1) … {axes.works_by.max_label} (+1)")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    fig.tight_layout()
    gaps = placed.sort_values("distance", ascending=False).head(3)
    gap_text = "; ".join(
        f"{r.number} {r.label}: class ({r.serves_mean:+.2f}, {r.works_by_mean:+.2f}), "
        f"source ({r.source_serves:+.2f}, {r.source_works_by:+.2f})"
        for r in gaps.itertuples()
    )
    spread = placed[["serves_sd", "works_by_sd"]].mean()
    alt = (
        f"Role map: the class's mean position of {len(placed)} definitions (filled dots, numbered "
        "as in the table; bars one standard deviation) beside the sources' own stances (hollow "
        f"squares). Median placements per definition: {int(placed['n'].median())}. Mean distance "
        f"between class and source: {placed['distance'].mean():.2f}. Mean standard deviation: "
        f"{spread['serves_sd']:.2f} (whom it serves), {spread['works_by_sd']:.2f} (how it "
        f"works). Largest gaps: {gap_text}."
    )
    return Figure(_png(fig), alt, "The class's role map beside the sources' stances.")


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportFiles:
    """Where :meth:`ClassReport.write` put the report."""

    html: Path
    csv_dir: Path
    csv: dict[str, Path]


def _csv_safe(value: Any) -> Any:
    # Spreadsheets run a cell that starts with = + - @ as a formula: student text must not.
    if isinstance(value, str) and value.startswith(_CSV_FORMULA):
        return "'" + value
    return value


def _truncate(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class ClassReport:
    """The class report: the aggregated tables, the figures, the problems.

    Build it with :func:`build_report`; write it with :meth:`write`. Every table of
    :meth:`tables` is written as a CSV file; the HTML shows them with the figures.
    """

    folder: Path
    generated_at: datetime
    n_files: int
    n_submissions: int
    problems: pd.DataFrame
    answer_problems: pd.DataFrame
    codings: pd.DataFrame = field(repr=False)
    coder_distribution: pd.DataFrame = field(repr=False)
    coder_agreement: pd.DataFrame = field(repr=False)
    coder_reference: pd.DataFrame = field(repr=False)
    coder_comments: pd.DataFrame = field(repr=False)
    contested: list[dict[str, Any]] = field(repr=False)
    role_positions: pd.DataFrame = field(repr=False)
    role_justifications: dict[str, list[str]] = field(repr=False)
    answer_distribution: pd.DataFrame = field(repr=False)
    numeric_answers: pd.DataFrame = field(repr=False)
    free_text: pd.DataFrame = field(repr=False)
    figures: dict[str, Figure] = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The aggregated tables written as CSV, by file stem (no names, no per-student rows)."""
        return {
            "problems": self.problems,
            "answer_problems": self.answer_problems,
            "coder_agreement": self.coder_agreement,
            "coder_reference_agreement": self.coder_reference,
            "coder_comments": self.coder_comments,
            "coder_distribution": self.coder_distribution,
            "role_positions": self.role_positions,
            "answer_distribution": self.answer_distribution,
            "numeric_answers": self.numeric_answers,
            "free_text": self.free_text,
        }

    def summary(self) -> str:
        """One paragraph: submissions, problems by kind, threads coded."""
        kinds = Counter(self.problems["kind"]) if len(self.problems) else Counter()
        listed = ", ".join(f"{n} {PROBLEM_KINDS.get(k, k).lower()}" for k, n in kinds.items())
        threads = sorted(self.codings["article_id"].unique())
        text = (
            f"{self.n_submissions} submission(s) read from {self.n_files} file(s); "
            f"{len(self.problems)} problem(s)" + (f" ({listed})" if listed else "") + "."
        )
        if threads:
            text += f" Comment coder: {self.codings['coder'].nunique()} student(s), threads "
            text += ", ".join(threads) + "."
        if len(self.answer_problems):
            text += f" {len(self.answer_problems)} answer(s) left out (see the problems)."
        return text

    def to_html(self) -> str:
        """The report as one self-contained HTML page (no script, no external resource)."""
        from jinja2 import Environment, PackageLoader

        env = Environment(
            loader=PackageLoader("cmethics", "templates"),
            autoescape=True,  # student input and corpus text are untrusted, always
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["num"] = _fmt_number
        env.filters["pct"] = _fmt_share
        template = env.get_template("class_report.html.j2")
        return template.render(**self._view())

    def write(self, out: Path | str, csv_dir: Path | str | None = None) -> ReportFiles:
        """Write the HTML file and the CSV tables (UTF-8 with BOM, for spreadsheets).

        Parameters
        ----------
        out
            The HTML file to write.
        csv_dir
            Folder for the CSV files; ``<out stem>_tables`` beside ``out`` when omitted.

        Raises
        ------
        ValueError
            If ``out`` or ``csv_dir`` is inside the submissions folder (it is never modified).
        """
        html_path = Path(out)
        folder = (
            Path(csv_dir)
            if csv_dir is not None
            else html_path.with_name(f"{html_path.stem}_tables")
        )
        inside = self.folder.resolve()
        for target in (html_path, folder):
            if target.resolve().is_relative_to(inside):
                raise ValueError(
                    f"{target} is inside the submissions folder {self.folder}: write the report "
                    "elsewhere, the submissions folder is never modified"
                )
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(self.to_html(), encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for name, frame in self.tables().items():
            path = folder / f"{name}.csv"
            frame.map(_csv_safe).to_csv(path, index=False, encoding="utf-8-sig")
            written[name] = path
        return ReportFiles(html_path, folder, written)

    def figure_html(self, name: str) -> str:
        """One figure (``"agreement"`` or ``"role_map"``) as an ``<img>`` with alt text."""
        return self.figures[name].html() if name in self.figures else ""

    # ------------------------------------------------------------------ view model

    def _view(self) -> dict[str, Any]:
        book = course.codebook()
        labels = {c.id: c.label for c in book.categories}
        code_labels = {(c.id, k.id): k.label for c in book.categories for k in c.codes}
        agreement = self.coder_agreement
        summary_codes = ["", POOLED, OVERALL_MEAN, OVERALL_LOWEST]
        main = agreement[agreement["code"].isin(summary_codes)]
        per_code = agreement[~agreement["code"].isin(summary_codes)]
        threads = list(dict.fromkeys(main["article_id"]))
        comments_by_thread = []
        summary = (
            self.coder_comments.set_index("comment_id")
            if len(self.coder_comments)
            else pd.DataFrame()
        )
        for article_id, part in self.coder_distribution.groupby("article_id", sort=True):
            rows = []
            for comment_id, group in part.groupby("comment_id", sort=True):
                cells = []
                for cat in book.categories:
                    g = group[group["category"] == cat.id]
                    cells.append(
                        [
                            {
                                "label": code_labels.get((cat.id, r.code), r.code),
                                "n": int(r.n),
                                "share": float(r.share),
                                "in_key": bool(r.in_key),
                            }
                            for r in g.sort_values("n", ascending=False).itertuples()
                        ]
                    )
                s = summary.loc[comment_id] if comment_id in summary.index else None
                rows.append(
                    {
                        "comment_id": comment_id,
                        "n_coders": int(s["n_coders"]) if s is not None else 0,
                        "agreement": float(s["agreement"]) if s is not None else math.nan,
                        "cells": cells,
                    }
                )
            comments_by_thread.append({"article_id": article_id, "rows": rows})
        free_text = []
        # Rationales and justifications are shown beside their comment or definition above;
        # the HTML lists the other written answers (the CSV has them all).
        other_text = self.free_text[~self.free_text["key"].str.match(r"^(coder|roles)\.")]
        for (exercise, key), part in other_text.groupby(["exercise", "key"], sort=True):
            texts = [_truncate(t, _FREE_TEXT_CHARS) for t in part["text"].head(_FREE_TEXT_SHOWN)]
            free_text.append({"exercise": exercise, "key": key, "texts": texts, "n": len(part)})
        distributions = [
            {"exercise": e, "key": k, "rows": part.to_dict("records")}
            for (e, k), part in self.answer_distribution.groupby(["exercise", "key"], sort=True)
        ]
        role_table = self.role_positions
        dispersed = []
        if len(role_table):
            spread = role_table.assign(
                spread=role_table[["serves_sd", "works_by_sd"]].mean(axis=1)
            ).dropna(subset=["spread"])
            for r in spread.sort_values("spread", ascending=False).head(5).itertuples():
                dispersed.append(
                    {
                        "number": r.number,
                        "label": r.label,
                        "spread": r.spread,
                        "justifications": self.role_justifications.get(r.point_id, []),
                    }
                )
        problem_counts = Counter(self.problems["kind"]) if len(self.problems) else Counter()
        return {
            "title": "CM Ethics: class report",
            "generated_at": self.generated_at,
            "folder_name": self.folder.name or str(self.folder),
            "summary": self.summary(),
            "n_files": self.n_files,
            "n_submissions": self.n_submissions,
            "n_coders": int(self.codings["coder"].nunique()),
            "threads": [t for t in threads if t != "all"],
            "labels": labels,
            "code_labels": code_labels,
            "agreement_main": main.to_dict("records"),
            "agreement_codes": per_code.to_dict("records"),
            "reference": self.coder_reference.to_dict("records"),
            "comments_by_thread": comments_by_thread,
            "contested": self.contested,
            "roles": role_table.to_dict("records"),
            "dispersed": dispersed,
            "distributions": distributions,
            "numeric": self.numeric_answers.to_dict("records"),
            "free_text": free_text,
            "problems": self.problems.to_dict("records"),
            "problem_titles": PROBLEM_KINDS,
            "problem_counts": [
                (title, problem_counts[kind])
                for kind, title in PROBLEM_KINDS.items()
                if problem_counts[kind]
            ],
            "answer_problems": self.answer_problems.head(_ANSWER_PROBLEMS_SHOWN).to_dict("records"),
            "n_answer_problems": len(self.answer_problems),
            "figures": self.figures,
            "version": __version__,
            "max_mb": MAX_FILE_BYTES / 1e6,
        }


def _fmt_number(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float | np.floating):
        return f"{value:.{digits}f}"
    return str(value)


def _fmt_share(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.0f}%"


def _label_set(value: str | None, category: str, code_labels: Mapping[Any, str]) -> str:
    """``"role+trust"`` as ``"Role + Trust"``, with the codebook's labels."""
    if value is None:
        return "–"
    if value == NONE_CHOSEN:
        return value
    return " + ".join(code_labels.get((category, c), c) for c in value.split("+"))


def _contested(
    summary: pd.DataFrame,
    codings: pd.DataFrame,
    book: course.Codebook,
    rng: random.Random,
    n: int,
) -> list[dict[str, Any]]:
    from cmethics import corpus

    if summary.empty:
        return []
    comments = corpus.comments(pseudonymize=True).set_index("comment_id")
    withheld = {course.moderation_case().comment.comment_id} | {
        r.comment_id for r in course.reference_coding().records if r.withheld
    }
    key = course.reference_coding()
    candidates = summary[summary["n_coders"] >= 2].copy()
    candidates["_entropy"] = candidates["stance_entropy"].fillna(0)
    candidates = candidates.sort_values(
        ["agreement", "_entropy", "comment_id"], ascending=[True, False, True]
    ).head(n)
    code_labels = {(c.id, k.id): k.label for c in book.categories for k in c.codes}
    out = []
    for r in candidates.itertuples():
        comment = comments.loc[r.comment_id]
        text = (
            WITHHELD_TEXT
            if r.comment_id in withheld
            else _truncate(str(comment["text"]), _CONTESTED_TEXT_CHARS)
        )
        group = codings[codings["comment_id"] == r.comment_id]
        rationales = [
            {
                "stance": code_labels.get(("stance", s), s or "not coded"),
                "text": _truncate(t, _RATIONALE_CHARS),
            }
            for s, t in zip(group["stance"], group["rationale"], strict=True)
            if t
        ]
        rng.shuffle(rationales)
        record = key.record(r.comment_id)
        categories = []
        for cat in book.categories:
            counts = Counter(
                (_as_set_label(v) if cat.multiple else v) for v in group[cat.id] if v is not None
            )
            categories.append(
                {
                    "label": cat.label,
                    "counts": [
                        (_label_set(lab, cat.id, code_labels), k) for lab, k in counts.most_common()
                    ],
                    "key": _label_set(getattr(r, f"{cat.id}_key"), cat.id, code_labels),
                    "agreement": getattr(r, f"{cat.id}_agreement"),
                }
            )
        speaker = comment["speaker"]
        out.append(
            {
                "comment_id": r.comment_id,
                "article_id": r.article_id,
                "speaker": "unsigned" if pd.isna(speaker) else str(speaker),
                "text": text,
                "withheld": r.comment_id in withheld,
                "n_coders": r.n_coders,
                "agreement": r.agreement,
                "stance_entropy": r.stance_entropy,
                "categories": categories,
                "key_note": record.note,
                "key_confidence": record.confidence,
                "rationales": rationales[:_RATIONALES_SHOWN],
                "n_rationales": len(rationales),
            }
        )
    return out


def build_report(
    folder: Path | str,
    *,
    recursive: bool = True,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool | None = None,
    seed: int | None = None,
    n_contested: int = 10,
) -> ClassReport:
    """Read a submissions folder and compute every table and figure of the class report.

    Parameters
    ----------
    folder
        The submissions folder (read only).
    recursive, max_bytes, progress
        As for :func:`read_submissions`.
    seed
        Fixes the anonymous order of rationales and free text (shuffled anew otherwise).
    n_contested
        How many contested comments to show.

    Returns
    -------
    ClassReport
        Write it with :meth:`ClassReport.write`; its tables are DataFrames.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = demo_class(folder, n_students=5, seed=1)
    >>> report = build_report(folder, seed=1)
    >>> report.n_submissions
    5
    """
    from cmethics import corpus

    rng = random.Random(seed)
    result = read_submissions(folder, recursive=recursive, max_bytes=max_bytes, progress=progress)
    book = course.codebook()
    comments = corpus.comments()
    extracted = _extract(result.submissions, book, set(comments["comment_id"].astype(str)), rng)
    codings = extracted.codings
    summary = comment_summary(codings, book)
    agreement = coder_agreement(codings, comments, book)
    positions = role_positions(extracted.positions)
    justifications: dict[str, list[str]] = {}
    for point_id, part in extracted.positions.groupby("point_id"):
        texts = [_truncate(t, _RATIONALE_CHARS) for t in part["justification"] if t]
        rng.shuffle(texts)
        justifications[str(point_id)] = texts[:_JUSTIFICATIONS_SHOWN]
    distribution, numeric, free_text = _other_answers(extracted.leaves, rng)
    # Rationales and justifications join the free text in the CSV (anonymous, shuffled), so
    # that no written answer is missing from the report's files.
    written = [
        {"exercise": e, "key": f"coder.{c}.rationale", "text": t}
        for e, c, t in zip(
            codings["exercise"], codings["comment_id"], codings["rationale"], strict=True
        )
        if t
    ] + [
        {"exercise": "role", "key": f"roles.{p}.justification", "text": t}
        for p, t in zip(
            extracted.positions["point_id"], extracted.positions["justification"], strict=True
        )
        if t
    ]
    rng.shuffle(written)
    free_text_all = pd.concat(
        [free_text, pd.DataFrame(written, columns=["exercise", "key", "text"])], ignore_index=True
    )
    figures = {}
    fig = _agreement_figure(agreement, book)
    if fig is not None:
        figures["agreement"] = fig
    fig = _role_figure(positions, course.role_axes())
    if fig is not None:
        figures["role_map"] = fig
    problems = pd.DataFrame(
        [(p.file, p.kind, p.reason) for p in result.problems], columns=["file", "kind", "reason"]
    )
    answer_problems = pd.DataFrame(
        [(p.file, p.kind, p.reason) for p in extracted.answer_problems],
        columns=["file", "key", "reason"],
    )
    return ClassReport(
        folder=Path(folder),
        generated_at=datetime.now(UTC),
        n_files=result.n_files,
        n_submissions=len(result.submissions),
        problems=problems,
        answer_problems=answer_problems,
        codings=codings,
        coder_distribution=code_distribution(codings, book),
        coder_agreement=agreement,
        coder_reference=reference_agreement(codings, book),
        coder_comments=summary,
        contested=_contested(summary, codings, book, rng, n_contested),
        role_positions=positions,
        role_justifications=justifications,
        answer_distribution=distribution,
        numeric_answers=numeric,
        free_text=free_text_all,
        figures=figures,
    )


def write_report(
    folder: Path | str,
    out: Path | str,
    csv_dir: Path | str | None = None,
    **options: Any,
) -> tuple[ClassReport, ReportFiles]:
    """Build the report of ``folder`` and write it: ``out`` (HTML) and the CSV tables.

    ``options`` are those of :func:`build_report`. Returns the report and where it went.
    """
    report = build_report(folder, **options)
    return report, report.write(out, csv_dir)


# --------------------------------------------------------------------------- demo class

_RATIONALES = (
    "The commenter {verb} the article; I chose {code} rather than {other} because of how "
    "the argument is framed.",
    "Mostly {code}: the comment {verb} the post, though one sentence could suggest {other}.",
    "I hesitated with {other}, but the decision rule points to {code}.",
    "I coded {code}, because the comment {verb} the author's claim.",
    "The wording made me pick {code}; {other} would need a clearer sign in the text.",
)
_VERBS = ("echoes", "questions", "builds on", "pushes back on", "sidesteps", "qualifies")
_JUSTIFY = {
    "brand": "This definition puts the brand first, so I placed it toward the brand side.",
    "community": "The role is about listening to the community, so it sits on the community side.",
    "middle": "Hard to place: it serves both, so I kept it near the middle.",
    "trust": "It relies on the members themselves, so it is on the trust side.",
    "control": "The speaker describes control of the conversation more than trust.",
}
_REFLECTIONS = (
    "I disagreed with the key mostly on stance: the line between nuances and disagrees is thin "
    "when a comment is ironic.",
    "Our group coded the addressee differently because replies to other members also speak to "
    "the author. The decision rule should say what to do then.",
    "I learned that my first impression was often 'agrees' when the comment only praised the "
    "writing. I would add an example of pure thanks to the codebook.",
    "Coding themes was easier than ego markers; self-promotion is hard to prove from the text "
    "alone.",
    "The abusive comment was easy to code but hard to decide about; I opted out of reading it "
    "and used the description.",
)
_MODERATION = (
    "Deleting protects the people targeted, and a short note keeps the moderation visible to "
    "readers so that it does not look like censorship of criticism.",
    "I would hide it pending review and check the site's rules first; a public reply would give "
    "the comment more attention than it deserves.",
    "Leaving it signals that the site accepts racist insults. Removal is the minimum.",
)


def _demo_coding(
    record: course.ReferenceRecord, book: course.Codebook, skill: float, rng: random.Random
) -> dict[str, Any]:
    """The key's coding of one comment, perturbed the way a student's would be."""
    coding = record.answer()
    alt = record.alternative_codes()
    for cat in book.categories:
        if cat.id in alt and rng.random() < 0.35:
            coding[cat.id] = alt[cat.id]
        elif not cat.multiple and rng.random() < skill:
            others = [c for c in cat.code_ids if c != coding[cat.id] and c != "abusive"]
            coding[cat.id] = rng.choice(others)
        elif cat.multiple:
            chosen = set(coding[cat.id])
            for code in cat.code_ids:
                if code not in cat.exclusive and rng.random() < skill / 3:
                    chosen ^= {code}
            chosen -= set(cat.exclusive) if chosen - set(cat.exclusive) else set()
            if not chosen and cat.min_choices > 0:
                chosen = set(cat.exclusive[:1]) or {cat.code_ids[0]}
            coding[cat.id] = [c for c in cat.code_ids if c in chosen]
    stance = book.category("stance")
    label = {c.id: c.label.lower() for c in stance.codes}
    others = [c for c in stance.code_ids if c not in (coding["stance"], "abusive")]
    other = rng.choice(others)
    coding["rationale"] = rng.choice(_RATIONALES).format(
        verb=rng.choice(_VERBS), code=label[coding["stance"]], other=label[other]
    )
    return coding


def _demo_justification(serves: float, works_by: float, rng: random.Random) -> str:
    if rng.random() < 0.2:
        return ""  # some placements are left unjustified
    if abs(serves) >= abs(works_by):
        side = "middle" if abs(serves) < 0.2 else "brand" if serves < 0 else "community"
    else:
        side = "control" if works_by < 0 else "trust"
    return _JUSTIFY[side]


def demo_class(
    folder: Path | str,
    n_students: int = 24,
    seed: int = 0,
    *,
    threads: Sequence[str] = ("000", "003"),
    broken: bool = True,
) -> list[Path]:
    """Write a synthetic class's exports into ``folder``, as an LMS download would look.

    Each student gets a folder ``NNN_demo-student-NN/`` with one export. Codings perturb the
    reference coding (a student-specific error rate; the key's alternative on borderline
    comments), role placements perturb the sources' own stances, and the moderation case,
    ego lab and capstone reflection get plausible answers. Some students stop coding early or
    skip the abusive comment. With ``broken``, a few deliberately bad files are added (empty,
    truncated JSON, another schema version, an exercise file instead of an export, Latin-1
    text, a stray non-JSON file) plus an earlier export of student 1, so that the report's
    problems section has something to show.

    Never point this at ``data/``: it is for temporary folders (the teacher notebook, the
    tests, the benchmark).

    Parameters
    ----------
    folder
        Where to write (created if needed).
    n_students
        Number of students.
    seed
        Random seed: the same seed gives the same files.
    threads
        The threads every student was asked to code.
    broken
        Add the bad files and the duplicate.

    Returns
    -------
    list of pathlib.Path
        Every file written, good and bad.
    """
    rng = random.Random(seed)
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    book = course.codebook()
    key = course.reference_coding()
    points = course.role_map_points()
    options = [o.id for o in course.moderation_case().options]
    moderation_weights = [3, 1, 2, 6, 4, 1, 2][: len(options)]
    start = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    width = max(2, len(str(n_students)))
    written: list[Path] = []

    def stamp(moment: datetime) -> str:
        return moment.isoformat(timespec="seconds")

    def export(student: str, moment: datetime, exercises: dict[str, Any]) -> dict[str, Any]:
        return {
            "schema": SUBMISSION_SCHEMA,
            "student": student,
            "exported_at": stamp(moment),
            "course_version": __version__,
            "exercises": exercises,
        }

    def write(path: Path, payload: dict[str, Any] | bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(payload, bytes):
            path.write_bytes(payload)
        else:
            text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            path.write_text(text, encoding="utf-8")
        written.append(path)
        return path

    first_payload: dict[str, Any] | None = None
    for i in range(1, n_students + 1):
        student = f"Demo student {i:0{width}d}"
        slug = slugify(student)
        skill = rng.uniform(0.05, 0.3)
        began = start + timedelta(minutes=rng.randint(0, 40))
        done = began + timedelta(minutes=rng.randint(30, 80))
        coder_answers: dict[str, Any] = {}
        for article_id in threads:
            records = key.thread(article_id)
            stop = len(records) if rng.random() < 0.85 else rng.randint(1, len(records))
            for record in records[:stop]:
                if record.withheld and rng.random() < 0.25:
                    continue  # opted out of reading the abusive comment
                coder_answers[f"coder.{record.comment_id}"] = _demo_coding(record, book, skill, rng)
        reflection = " ".join(rng.sample(_REFLECTIONS, 2))
        capstone = {
            **coder_answers,
            "coder_thread.article_id": threads[0],
            "reflection.disagreements": reflection,
        }
        bias = (rng.gauss(0, 0.15), rng.gauss(0, 0.15))
        role_answers: dict[str, Any] = {}
        for p in points.itertuples():
            if rng.random() < 0.1:
                continue  # not placed
            serves = max(-1.0, min(1.0, p.serves + bias[0] + rng.gauss(0, 0.25)))
            works_by = max(-1.0, min(1.0, p.works_by + bias[1] + rng.gauss(0, 0.25)))
            role_answers[f"roles.{p.point_id}"] = {
                "serves": round(serves, 2),
                "works_by": round(works_by, 2),
                "justification": _demo_justification(serves, works_by, rng),
            }
        choice = rng.choices(options, weights=moderation_weights)[0]
        first = choice if rng.random() < 0.7 else rng.choice(options)
        role_answers.update(
            {
                "moderation.choice": choice,
                "moderation.first_choice": first,
                "moderation.feedback_seen": True,
                "moderation.justification": rng.choice(_MODERATION),
            }
        )
        ego = {
            "ego.prediction.000.body": {
                "i": round(rng.uniform(0.5, 4), 1),
                "we": round(rng.uniform(0, 2), 1),
                "you": round(rng.uniform(0.5, 5), 1),
            },
            "ego.reflection": rng.choice(_REFLECTIONS),
        }
        exercises = {
            "capstone": {"created": stamp(began), "updated": stamp(done), "answers": capstone},
            "role": {"created": stamp(began), "updated": stamp(began), "answers": role_answers},
            "ego": {"created": stamp(began), "updated": stamp(began), "answers": ego},
        }
        payload = export(student, done + timedelta(minutes=2), exercises)
        name = f"cmethics-{slug}-{(done + timedelta(minutes=2)):%Y%m%dT%H%M%SZ}.json"
        write(base / f"{i:03d}_{slug}" / name, payload)
        if first_payload is None:
            first_payload = payload

    if broken and first_payload is not None:
        bad = base / "999_broken-files"
        early = json.loads(json.dumps(first_payload))
        early["exported_at"] = stamp(start - timedelta(days=1))
        early["exercises"] = {"ego": early["exercises"]["ego"]}
        write(base / "001_demo-student-01" / "cmethics-demo-student-01-earlier.json", early)
        write(bad / "empty-export.json", b"")
        text = json.dumps(first_payload, ensure_ascii=False)
        write(bad / "truncated-export.json", text[: len(text) // 3].encode("utf-8"))
        write(
            bad / "future-version.json",
            {**first_payload, "schema": "cmethics.submission/2", "student": "Future version"},
        )
        write(
            bad / "role.json",
            {
                "schema": ANSWERS_SCHEMA,
                "exercise": "role",
                "student": "Saved but not exported",
                "created": stamp(start),
                "updated": stamp(start),
                "answers": {},
            },
        )
        latin = export("Hélène Latin-1", start, {})
        write(bad / "latin1-export.json", json.dumps(latin, ensure_ascii=False).encode("latin-1"))
        write(bad / "feedback-notes.txt", b"Notes the LMS added to the download.\n")
    return written

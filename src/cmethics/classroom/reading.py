"""Reading and validation: every export in a submissions folder, and why any file was skipped.

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
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cmethics.answers import ANSWERS_SCHEMA, load_submission, slugify

__all__ = [
    "MAX_FILE_BYTES",
    "PROBLEM_KINDS",
    "Problem",
    "ReadResult",
    "Submission",
    "folder_digest",
    "read_submissions",
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
        if isinstance(result, Submission):
            loaded.append(result)
        else:
            problems.append(result)

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

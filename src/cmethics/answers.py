"""Students' answers: saved on every change, restored on reopening, exported for the teacher.

Each student's answers to one exercise live in one JSON file::

    <answers folder>/<student folder>/<exercise>.json

The student folder is named by :func:`slugify`: a readable ASCII transliteration of the name
(anyascii) and 8 hex digits of a hash of the name, so that every name, in any script, has a
folder of its own; folders named by the older, readable-only rule are adopted on first use (see
:func:`student_folder`).

The answers folder is ``~/cmethics-answers`` unless ``CMETHICS_ANSWERS`` names another (a
JupyterHub home, a USB stick, a test's temporary folder). Every change rewrites the file
atomically: the new content goes to a temporary file in the same folder, is flushed to disk, and
replaces the old file in one step, so a crash or a restarted kernel leaves either the old or the
new answers, never half a file. A file that cannot be read (truncated, edited by hand, another
program's) is never overwritten: it is moved aside as ``<exercise>.corrupt-<time>.json``, under
the same lock as the writes, and reported, and the student starts that exercise afresh. A file
the computer refuses to read (permission, disk error) is not corrupt: it is reported as such,
left where it is and never written over.

A save that fails (full or read-only disk, permission refused, the student's folder replaced by a
file, the lock still held after three attempts) raises :class:`SaveError`, whose message says in
plain words what happened and what to do; the answers stay in memory (``AnswerStore.unsaved``)
and are written by the next successful save or by ``AnswerStore.flush`` (the Retry button).

Two tabs or windows on one exercise (JupyterLab and Voilà, two Voilà tabs) each keep their own
copy of the answers. A save writes only the answers its tab changed, so answers changed in the
other tab are kept; when both changed the *same* answer, the tab saving last wins the answer but
the other version is never lost: it is kept in the file's ``conflicts`` list and reported
(:class:`Conflict`, :meth:`AnswerStore.take_conflicts`), so the widget can show both.

"Export my work" gathers every exercise of one student into one schema-versioned submission file
(see ``SUBMISSION_SCHEMA``), which the class report reads.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anyascii import anyascii
from filelock import FileLock, Timeout

__all__ = [
    "ANSWERS_SCHEMA",
    "INBOX_FILE_MODE",
    "INBOX_VARIABLE",
    "MAX_CONFLICTS_KEPT",
    "MAX_NAME_CHARS",
    "SUBMISSION_SCHEMA",
    "AnswerStore",
    "Conflict",
    "SaveError",
    "answers_dir",
    "describe_os_error",
    "export_submission",
    "hand_in",
    "inbox_dir",
    "load_submission",
    "name_problem",
    "slugify",
    "student_exercises",
    "student_folder",
    "student_key",
]

ANSWERS_SCHEMA = "cmethics.answers/1"
SUBMISSION_SCHEMA = "cmethics.submission/1"
_LOCK_TIMEOUT_S = 10
_LOCK_ATTEMPTS = 3  # a lock still held after this many timeouts is reported
#: The longest name or pseudonym, in characters (code points): the submission schema's limit,
#: so that the exercises refuse at Start what the class report would drop.
MAX_NAME_CHARS = 200
_READABLE_CHARS = 40  # of the folder name; the hash keeps longer names apart
#: The environment variable naming the class inbox folder (see :func:`hand_in`).
INBOX_VARIABLE = "CMETHICS_INBOX"
#: The inbox copy's mode: readable by the teacher's account (the student's own copies are 0600).
INBOX_FILE_MODE = 0o644

SUBMISSION_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "CM Ethics submission",
    "type": "object",
    "required": ["schema", "student", "exported_at", "course_version", "exercises"],
    "properties": {
        "schema": {"const": SUBMISSION_SCHEMA},
        "student": {"type": "string", "minLength": 1, "maxLength": MAX_NAME_CHARS},
        "exported_at": {"type": "string", "format": "date-time"},
        "course_version": {"type": "string"},
        "exercises": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["created", "updated", "answers"],
                "properties": {
                    "created": {"type": "string"},
                    "updated": {"type": "string"},
                    "answers": {"type": "object"},
                },
            },
        },
    },
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def answers_dir() -> Path:
    """Return the folder that holds every student's answers (created on first save).

    Returns
    -------
    pathlib.Path
        ``$CMETHICS_ANSWERS`` if set, else ``~/cmethics-answers``.
    """
    env = os.environ.get("CMETHICS_ANSWERS")
    return Path(env).expanduser() if env else Path.home() / "cmethics-answers"


def name_problem(name: str) -> str | None:
    """Say what is wrong with a name or pseudonym, or return ``None`` when it can be used.

    The rules are the class report's (the submission schema): at least one character that is not
    a space, at most :data:`MAX_NAME_CHARS` characters, counted after trimming spaces.
    """
    name = name.strip()
    if not name:
        return "Please type a name or a pseudonym first."
    if len(name) > MAX_NAME_CHARS:
        return (
            f"This name is {len(name)} characters long; the class report accepts at most "
            f"{MAX_NAME_CHARS}. Please type a shorter name or pseudonym."
        )
    return None


def student_key(name: str) -> str:
    """The identity of a student: the name as typed, up to case and spacing.

    NFC-normalised (the same name typed on two keyboards is one name), case-folded and with runs
    of white space made one space, as the folder names have always ignored case and spacing
    ("Camille" and "camille " are one student). Accents and scripts count: "Zoë" is not "Zoe".
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
    return " ".join(folded.split())


def slugify(name: str) -> str:
    """Turn a student's name or pseudonym into a safe folder name, one per student.

    Parameters
    ----------
    name
        Whatever the student typed, in any script, accents and spaces included.

    Returns
    -------
    str
        ``<readable>-<hash>``: up to 40 lower-case ASCII letters, digits and hyphens transliterated
        by anyascii (``student`` when nothing is left), a hyphen and the first 8 hex digits of the
        SHA-256 of :func:`student_key`. Two names are one folder exactly when they are one
        student (case and spacing aside); never empty, never a path separator or a dot.

    Examples
    --------
    >>> slugify("Hélène Albi")
    'helene-albi-71be0fab'
    >>> slugify("李雷")
    'lilei-3a47328a'
    >>> slugify("../../etc")
    'etc-74ccf3c5'
    """
    key = student_key(name)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    readable = re.sub(r"[^a-z0-9]+", "-", anyascii(key).lower()).strip("-")
    readable = readable[:_READABLE_CHARS].rstrip("-") or "student"
    return f"{readable}-{digest}"


def _legacy_slug(name: str) -> str:
    """The folder name before issue 12 (accents dropped, other scripts lost, cut at 60)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60] or "student"


def _recorded_student(path: Path) -> str | None:
    """The :func:`student_key` of the student recorded in an answers file, if it can be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    student = data.get("student") if isinstance(data, dict) else None
    return student_key(student) if isinstance(student, str) else None


def _adopt_legacy_folder(root: Path, student: str) -> str | None:
    """Move this student's answers from a folder named by the old rule; say why if impossible.

    The old rule gave one folder to several students (every Chinese name was ``student``), so
    only the files whose recorded ``student`` is this student move; the folder itself moves
    when they are all its files. Done under a lock, so that two kernels do not both move.
    """
    new, old = root / slugify(student), root / _legacy_slug(student)
    if new.exists() or not old.is_dir():
        return None
    key = student_key(student)
    try:
        with FileLock(str(root / ".adopt.lock"), timeout=_LOCK_TIMEOUT_S):
            if new.exists() or not old.is_dir():
                return None  # another kernel has just done it
            files = [p for p in old.glob("*.json") if ".corrupt-" not in p.name]
            mine = [p for p in files if _recorded_student(p) == key]
            if not mine:
                return None
            if len(mine) == len(files):
                os.rename(old, new)  # corrupt copies and locks go with the answers
            else:
                new.mkdir()
                for path in mine:
                    os.replace(path, new / path.name)
    except (OSError, Timeout) as error:
        return (
            f"Your earlier answers are in the folder {old} and could not be moved to {new} "
            f"({error}). Show this message to your teacher."
        )
    return None


def student_folder(student: str, root: Path | str | None = None) -> tuple[Path, str | None]:
    """Return a student's answers folder, adopting an old-style folder of theirs first.

    Returns
    -------
    tuple
        The folder (which may not exist yet) and ``None``, or a message when earlier answers
        were found but could not be moved.
    """
    base = Path(root) if root is not None else answers_dir()
    problem = _adopt_legacy_folder(base, student)
    return base / slugify(student), problem


class SaveError(OSError):
    """A save that did not reach the disk; the message says why and what to do, in plain words."""


def describe_os_error(error: OSError) -> tuple[str, str]:
    """Say in plain words what went wrong with a file, and what the student can do about it.

    Returns
    -------
    tuple
        ``(what happened, what to do)``, e.g. ``("the disk is full", "free some space")``.
    """
    if isinstance(error, Timeout):
        return (
            "another window was saving this exercise and did not finish in time",
            "close the other tabs or windows open on this exercise",
        )
    code = error.errno
    if code in {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}:
        return "the disk is full", "free some space (or ask your teacher)"
    if code == errno.EROFS:
        return (
            "the disk is read-only",
            "make the disk or USB stick writable again, or ask your teacher for another folder",
        )
    if code in {errno.EACCES, errno.EPERM}:
        return (
            "the computer refused access to your answers folder (permission denied)",
            "ask your teacher to give you access to it",
        )
    if code in {errno.ENOENT, errno.ENOTDIR, errno.EEXIST, errno.EISDIR}:
        return (
            "your answers folder is missing or a file has taken its place",
            "put the folder back (or move the file away), or ask your teacher",
        )
    if code == errno.EIO:
        return "the disk reported an error", "check the disk or USB stick (or ask your teacher)"
    return (
        f"the computer refused to write the file ({error.strerror or error})",
        "show this message to your teacher",
    )


def _save_error(error: OSError) -> SaveError:
    what, todo = describe_os_error(error)
    return SaveError(
        f"Not saved: {what}. Your answers are kept in this window; {todo}, "
        "then press “Retry saving”."
    )


@dataclass(frozen=True)
class Conflict:
    """An answer changed in another tab or window while this one was changing it too.

    The answer saved by this tab replaced ``other``, which is kept in the file's ``conflicts``
    list (the most recent :data:`MAX_CONFLICTS_KEPT`).
    """

    key: str
    other: Any
    other_saved: str  # when the other tab saved it (the file's "updated" time then)


#: How many replaced versions an answers file keeps (the oldest are dropped first).
MAX_CONFLICTS_KEPT = 20
_MISSING = object()


class _Corrupt(ValueError):
    """The file was read but is not an answers file (invalid JSON, wrong shape)."""


def _atomic_write_json(path: Path, payload: Mapping[str, Any]) -> None:
    """Write JSON so that ``path`` holds either its old or its new content, never a mix."""
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic_write_bytes(path, text.encode("utf-8"))


def _atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` through a temporary file in the same folder and ``os.replace``.

    The file is private to its owner (``mkstemp``'s 0600) unless ``mode`` says otherwise.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.chmod(tmp, mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # Make the rename itself durable where the platform allows it (not on Windows), and where
    # the folder can be opened: a class inbox may be writable but not readable (mode 1733).
    if hasattr(os, "O_DIRECTORY"):
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        except PermissionError:
            return
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _keep_replaced(current: dict[str, Any], conflicts: list[Conflict]) -> None:
    """Append the versions a save replaces to the file's ``conflicts`` list (capped)."""
    kept = current.get("conflicts")
    kept = kept if isinstance(kept, list) else []
    now = _now()
    kept.extend(
        {"key": c.key, "value": c.other, "saved": c.other_saved, "replaced": now} for c in conflicts
    )
    current["conflicts"] = kept[-MAX_CONFLICTS_KEPT:]


def _check_json_value(value: Any) -> None:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"answers must be plain JSON values (text, numbers, lists): {error}"
        ) from error


@dataclass
class AnswerStore:
    """One student's answers to one exercise, saved to disk on every change.

    Parameters
    ----------
    exercise
        The exercise's id, e.g. ``"ego"`` or ``"capstone"``.
    student
        The student's name or pseudonym, as typed; its slug names the folder.
    root
        The answers folder; ``answers_dir()`` when omitted.

    Attributes
    ----------
    problems
        Human-readable notes about files that could not be read (moved aside when corrupt,
        left where they are when the computer refused to read them).

    Examples
    --------
    >>> import tempfile
    >>> store = AnswerStore("ego", "Ada", root=tempfile.mkdtemp())
    >>> store.set("prediction", {"je": 5})
    >>> AnswerStore("ego", "Ada", root=store.root).get("prediction")
    {'je': 5}
    """

    exercise: str
    student: str
    root: Path | str | None = None
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        problem = name_problem(self.student)
        if problem:
            raise ValueError(problem)
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.exercise):
            raise ValueError(f"invalid exercise id: {self.exercise!r}")
        self.root = Path(self.root) if self.root is not None else answers_dir()
        self._folder, adopt_problem = student_folder(self.student, self.root)
        if adopt_problem:
            self.problems.append(adopt_problem)
        # Answers not yet on disk (a failed save), written by the next save or flush().
        self._pending: dict[str, Any] = {}
        self._deleted: set[str] = set()
        self._read_error: OSError | None = None
        try:
            loaded = self._read(locked=False)
        except OSError as error:
            self._read_error = error
            what, todo = describe_os_error(error)
            self.problems.append(
                f"Your saved answers for '{self.exercise}' could not be opened: {what}. The file "
                f"{self.path.name} was left as it is and nothing will be written over it until "
                f"it can be read; {todo}."
            )
            loaded = None
        self._data = loaded if loaded is not None else self._empty()
        # The answers as this window last saw them on disk: a key whose value on disk differs
        # from this when the window saves was changed by another tab meanwhile.
        self._synced: dict[str, Any] = json.loads(json.dumps(self._data["answers"]))
        self._conflicts: list[Conflict] = []

    @property
    def path(self) -> Path:
        """The JSON file holding these answers."""
        return self._folder / f"{self.exercise}.json"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # Two kernels on the same exercise (two open tabs) must not undo each other's saves.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path) + ".lock", timeout=_LOCK_TIMEOUT_S)
        for attempt in range(1, _LOCK_ATTEMPTS + 1):
            try:
                lock.acquire()
                break
            except Timeout:
                if attempt == _LOCK_ATTEMPTS:
                    raise
        try:
            yield
        finally:
            lock.release()

    def _empty(self) -> dict[str, Any]:
        now = _now()
        return {
            "schema": ANSWERS_SCHEMA,
            "exercise": self.exercise,
            "student": self.student,
            "created": now,
            "updated": now,
            "answers": {},
        }

    def _parse(self) -> dict[str, Any] | None:
        """The file's content, or ``None`` when there is no file.

        Raises ``OSError`` when the computer refuses to read it, ``_Corrupt`` when it was read
        but is not an answers file.
        """
        try:
            raw = self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise _Corrupt(str(error)) from error
        if not isinstance(data, dict) or data.get("schema") != ANSWERS_SCHEMA:
            raise _Corrupt(f"not a {ANSWERS_SCHEMA} file")
        if not isinstance(data.get("answers"), dict):
            raise _Corrupt("no answers object")
        return data

    def _read(self, *, locked: bool) -> dict[str, Any] | None:
        """Load the file; ``None`` when there is none, or it was corrupt and moved aside.

        The move happens under the file's lock (taken here unless ``locked``), after reading the
        file again: another kernel may have moved it aside, or saved a good one, meanwhile.
        Read errors (``OSError``) are raised, never taken for corruption.
        """
        try:
            return self._parse()
        except _Corrupt as error:
            if locked:
                self._move_aside(error)
                return None
        with self._locked():
            try:
                return self._parse()
            except _Corrupt as error:
                self._move_aside(error)
                return None

    def _move_aside(self, error: _Corrupt) -> None:
        path = self.path
        aside = path.with_name(
            f"{path.stem}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S%f}{path.suffix}"
        )
        os.replace(path, aside)
        self.problems.append(
            f"Your saved answers for '{self.exercise}' could not be read ({error}). "
            f"The file was kept as {aside.name}; show it to your teacher."
        )

    def _current(self) -> dict[str, Any]:
        # What is on disk now (another kernel may have saved since), or, if the file became
        # unreadable or went away (a deleted folder), what this kernel knows: the student's
        # answers are never dropped.
        on_disk = self._read(locked=True)
        return on_disk if on_disk is not None else self._data

    def get(self, key: str, default: Any = None) -> Any:
        """Return the saved answer for ``key`` (``default`` when none)."""
        return self._data["answers"].get(key, default)

    def all(self) -> dict[str, Any]:
        """Return a copy of every saved answer of this exercise."""
        return json.loads(json.dumps(self._data["answers"]))

    @property
    def unsaved(self) -> dict[str, Any]:
        """The answers changed in this window but not yet on disk (after a failed save)."""
        return json.loads(json.dumps(self._pending))

    @property
    def has_unsaved(self) -> bool:
        """Whether a change (an answer or a deletion) is not on disk yet."""
        return bool(self._pending or self._deleted)

    def set(self, key: str, value: Any) -> None:
        """Save one answer now (atomically), keeping answers other kernels saved meanwhile.

        Raises
        ------
        SaveError
            When the answer could not be written; it is kept (see :attr:`unsaved`) and written
            by the next successful save or :meth:`flush`.
        """
        self.update({key: value})

    def update(self, values: Mapping[str, Any]) -> None:
        """Save several answers in one write (``SaveError`` as for :meth:`set`)."""
        for value in values.values():
            _check_json_value(value)
        copied = json.loads(json.dumps(dict(values)))
        self._pending.update(copied)
        self._deleted.difference_update(copied)
        self._data["answers"].update(copied)
        self.flush()

    def delete(self, key: str) -> None:
        """Forget one answer (e.g. a cleared field); ``SaveError`` as for :meth:`set`."""
        self._pending.pop(key, None)
        self._deleted.add(key)
        self._data["answers"].pop(key, None)
        self.flush()

    def flush(self) -> None:
        """Write every change not yet on disk (the Retry button); nothing to do when none.

        Raises
        ------
        SaveError
            When it still cannot be written; the changes stay in memory.
        """
        if not self.has_unsaved:
            return
        try:
            with self._locked():
                current = self._current()
                conflicts = self._find_conflicts(current)
                current["answers"].update(json.loads(json.dumps(self._pending)))
                for key in self._deleted:
                    current["answers"].pop(key, None)
                if conflicts:
                    _keep_replaced(current, conflicts)
                current["updated"] = _now()
                current["student"] = self.student
                _atomic_write_json(self.path, current)
        except SaveError:
            raise
        except OSError as error:
            raise _save_error(error) from error
        self._data = current
        self._synced = json.loads(json.dumps(current["answers"]))
        self._conflicts.extend(conflicts)
        self._pending.clear()
        self._deleted.clear()

    def _find_conflicts(self, current: Mapping[str, Any]) -> list[Conflict]:
        """The answers this window changes that another window changed since it last looked."""
        found = []
        on_disk = current["answers"]
        for key in [*self._pending, *sorted(self._deleted)]:
            theirs = on_disk.get(key, _MISSING)
            ours = self._pending.get(key, _MISSING)
            if theirs is _MISSING or theirs == ours or theirs == self._synced.get(key, _MISSING):
                continue
            found.append(Conflict(key, json.loads(json.dumps(theirs)), current["updated"]))
        return found

    def take_conflicts(self) -> list[Conflict]:
        """The conflicts found by the saves since the last call (then forgotten)."""
        taken, self._conflicts = self._conflicts, []
        return taken

    @property
    def created(self) -> str:
        """When the student first saved an answer to this exercise (ISO 8601, UTC)."""
        return self._data["created"]

    @property
    def updated(self) -> str:
        """When the last answer was saved (ISO 8601, UTC)."""
        return self._data["updated"]


def student_exercises(student: str, root: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """Return every readable exercise file of one student, keyed by exercise id.

    Corrupt files are moved aside (as ``AnswerStore`` does) and left out; a file the computer
    refuses to read raises its ``OSError``, so that an export never silently lacks an exercise.
    """
    folder, _ = student_folder(student, root)
    result: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return result
    for path in sorted(folder.glob("*.json")):
        if ".corrupt-" in path.name or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", path.stem):
            continue
        store = AnswerStore(path.stem, student, root=folder.parent)
        if store._read_error is not None:
            raise store._read_error
        if store.problems:  # unreadable: moved aside, nothing to export
            continue
        result[path.stem] = {
            "created": store.created,
            "updated": store.updated,
            "answers": store.all(),
        }
    return result


def export_submission(
    student: str,
    root: Path | str | None = None,
    out_dir: Path | str | None = None,
    inbox: Path | str | None = None,
) -> Path:
    """Write one submission file with all of a student's exercises, for the class report.

    Parameters
    ----------
    student
        The name or pseudonym under which the answers were saved.
    root
        The answers folder (``answers_dir()`` when omitted).
    out_dir
        Where to write the submission; the answers folder's ``exports/`` when omitted.
    inbox
        A class inbox folder (see :func:`inbox_dir`): a copy is handed in there too, with
        :func:`hand_in`. Nothing is handed in when omitted.

    Returns
    -------
    pathlib.Path
        The file to hand in, ``cmethics-<student>-<UTC time>.json``, in the exports folder
        (private to the student's account).

    Raises
    ------
    OSError
        When the file, or the inbox copy, cannot be written.
    """
    from cmethics import __version__

    problem = name_problem(student)
    if problem:
        raise ValueError(problem)
    base = Path(root) if root is not None else answers_dir()
    target = Path(out_dir) if out_dir is not None else base / "exports"
    payload = {
        "schema": SUBMISSION_SCHEMA,
        "student": student,
        "exported_at": _now(),
        "course_version": __version__,
        "exercises": student_exercises(student, base),
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = target / f"cmethics-{slugify(student)}-{stamp}.json"
    _atomic_write_json(path, payload)
    if inbox is not None:
        hand_in(path, inbox)
    return path


def inbox_dir() -> Path | None:
    """The class inbox named by the teacher in ``CMETHICS_INBOX``, or ``None`` when unset."""
    value = os.environ.get(INBOX_VARIABLE, "").strip()
    return Path(value).expanduser() if value else None


def hand_in(path: Path | str, inbox: Path | str) -> Path:
    """Copy an exported submission into the class inbox folder, atomically.

    The copy is written through a temporary file in the inbox and ``os.replace``, so the
    teacher's report never reads half a file, and is given mode 0644: on a shared machine or a
    hub the teacher's account must be able to read it, while the student's own copy in the
    exports folder stays private (0600). The inbox folder itself is the teacher's to create.

    Returns
    -------
    pathlib.Path
        The copy in the inbox.

    Raises
    ------
    OSError
        When the inbox is missing or cannot be written.
    """
    source = Path(path)
    folder = Path(inbox)
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the class folder does not exist", str(folder))
    copy = folder / source.name
    _atomic_write_bytes(copy, source.read_bytes(), mode=INBOX_FILE_MODE)
    return copy


@functools.cache
def _submission_validator() -> Any:
    # fastjsonschema, compiled once (a few ms), not once per file: a class folder has hundreds
    # of files. jsonschema built its format checkers at import, compiling 38 grammars (1.1 s
    # of every class report's start). Formats are not checked, as before: the class report
    # says itself what is wrong with a date. (fastjsonschema knows drafts up to 2019-09,
    # whose keywords are those of 2020-12 for everything this schema uses.)
    import fastjsonschema

    return fastjsonschema.compile(SUBMISSION_JSON_SCHEMA, use_formats=False)


def _quoted(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_message(error: Any) -> str:
    """What does not match the schema, in the words the report has always used (jsonschema's)."""
    rule, expected, value = error.rule, error.rule_definition, error.value
    if rule == "required":
        missing = [name for name in expected if name not in value]
        return f"{missing[0]!r} is a required property"
    if rule == "type":
        types = expected if isinstance(expected, list) else [expected]
        return f"{_quoted(value)} is not of type {', '.join(repr(t) for t in types)}"
    if rule == "const":
        return f"{expected!r} was expected"
    if rule == "minLength":
        return f"{_quoted(value)} {'should be non-empty' if expected == 1 else 'is too short'}"
    if rule == "maxLength":
        return f"{_quoted(value)} is too long"
    return str(error.message)


def load_submission(path: Path | str) -> dict[str, Any]:
    """Read and validate one submission file.

    Raises
    ------
    ValueError
        When the file is not JSON, or not a submission of the supported schema version;
        the message says which.
    """
    from fastjsonschema import JsonSchemaValueException

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text: {error}") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error}") from error
    schema = data.get("schema") if isinstance(data, dict) else None
    if str(schema).startswith("cmethics.submission/") and schema != SUBMISSION_SCHEMA:
        raise ValueError(f"schema {schema!r} is not supported (expected {SUBMISSION_SCHEMA})")
    try:
        _submission_validator()(data)
    except JsonSchemaValueException as error:
        raise ValueError(f"not a CM Ethics submission: {_schema_message(error)}") from error
    return data

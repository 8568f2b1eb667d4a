"""What every exercise shares: the student's session, saving, safe HTML and figures.

A ``Session`` is one student working on one exercise notebook. Its bar asks for a name or
pseudonym, binds an ``AnswerStore`` to it, and offers "Export my work". Nobody works under
another's name without saying so: on a personal computer the last name is offered as one
"Continue as ..." click, never applied by itself; under Voilà (one server, many visitors) or with
``CMETHICS_REMEMBER_NAME=0`` (lab computers, hubs) no name is remembered at all.

Components (thread reader, coder, role map...) subclass ``Component``: they
save every change through the session and restore the saved answers when a student starts.

Untrusted text (corpus comments, student input) only ever reaches the page through ``esc()`` or
through widgets that render text, never markup (``Label``, ``Textarea``, ``Dropdown`` options,
``description`` with ``description_allow_html=False``).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import html
import io
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from cmethics.answers import (
    AnswerStore,
    SaveError,
    answers_dir,
    describe_os_error,
    export_submission,
    hand_in,
    inbox_dir,
    name_problem,
)
from cmethics.widgets._style import ACCENT, PRIMARY_COLOUR, names_switch

__all__ = [
    "Component",
    "Session",
    "download_link",
    "esc",
    "figure_html",
    "names_switch",
    "notice",
    "primary_button",
    "remembering_allowed",
]

_LAST_STUDENT_FILE = ".last_student"
# Set by Voilà in every kernel it starts (voila.utils.ENV_VARIABLE), preheated or not.
_VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_APP_PORT")
_SHOWN_NAME_CHARS = 30  # of the name on the "Continue as" button; the tooltip has all of it
#: Larger exports are not embedded in the page as a ``data:`` link (the report takes 5 MB).
EMBED_LIMIT_BYTES = 4 * 1024 * 1024


def remembering_allowed() -> bool:
    """Whether this kernel may remember the last name: not under Voilà, nor when switched off.

    Voilà serves one kernel per visitor from one account, so a remembered name would pass from
    one visitor to the next; ``CMETHICS_REMEMBER_NAME=0`` switches remembering off elsewhere
    (shared lab computers, a hub whose students share an account).
    """
    if any(os.environ.get(variable) for variable in _VOILA_VARIABLES):
        return False
    return os.environ.get("CMETHICS_REMEMBER_NAME", "1").strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
    }


def esc(text: object) -> str:
    """Escape any value for inclusion in HTML (element content or quoted attribute).

    Examples
    --------
    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def download_link(filename: str, data: bytes) -> str:
    """An ``<a download>`` link that hands ``data`` to the browser as the file ``filename``.

    The file travels inside the page as a ``data:`` URL, so the download works offline and
    without a server extension: in JupyterLab, in Voilà and on a JupyterHub alike.
    """
    name = html.escape(filename, quote=True)
    payload = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{name}" href="data:application/json;base64,{payload}" '
        f'style="color:{PRIMARY_COLOUR};text-decoration:underline;font-weight:600">'
        f"Download my work ({name})</a>"
    )


def notice(text: str, kind: str = "info") -> widgets.HTML:
    """A short message box; ``text`` is escaped. ``kind`` is info, success, warning or danger."""
    colours = {
        "info": ("#e7f1fb", ACCENT),
        "success": ("#e6f4ea", "#1e4620"),
        "warning": ("#fff4e5", "#663c00"),
        "danger": ("#fdecea", "#611a15"),
    }
    background, ink = colours.get(kind, colours["info"])
    return widgets.HTML(
        f'<div role="status" style="background:{background};color:{ink};padding:0.5em 0.8em;'
        f'border-radius:4px;margin:0.3em 0">{esc(text)}</div>'
    )


def primary_button(description: str, **kwargs: Any) -> widgets.Button:
    """A main-action button with readable contrast (white on dark blue, 8.9:1)."""
    button = widgets.Button(description=description, **kwargs)
    button.style.button_color = PRIMARY_COLOUR
    button.style.text_color = "white"
    return button


def figure_html(fig: Any, alt: str, width: str = "100%", tight: bool = True, dpi: int = 110) -> str:
    """Render a matplotlib figure as an ``<img>`` with alt text, for an ``HTML`` widget.

    Parameters
    ----------
    fig
        A matplotlib ``Figure``; it is closed afterwards so that it is not displayed twice.
    alt
        What the figure shows, for screen readers and the offline book (escaped here).
    width
        CSS width of the image.
    tight
        Crop to the drawn content (``bbox_inches="tight"``). That draws the figure twice;
        figures laid out with fixed margins pass False and render in half the time.
    dpi
        Resolution of the PNG.
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
        f'style="width:{esc(width)};max-width:720px;height:auto">'
    )


class Session:
    """One student working on one exercise: name, saved answers, export.

    Parameters
    ----------
    exercise
        The exercise id (``"ego"``, ``"ownership"``, ``"expertise"``, ``"role"``, ``"trust"``,
        ``"capstone"``); it names the answers file.
    root
        The answers folder (``answers_dir()`` when omitted).
    student
        Start at once for this student (tests, the book's previews). When omitted, the bar
        asks for a name, and offers "Continue as <last name>" if one is remembered.
    remember
        Whether to remember the name for the next notebook (off in the book's previews, and
        always off when :func:`remembering_allowed` says so).

    Attributes
    ----------
    bar
        The widget to display at the top of the notebook.
    continue_button
        "Continue as <last name>", shown only when a last name is remembered and nobody has
        started yet.
    retry_button
        "Retry saving", shown only while an answer could not be written (full or read-only disk,
        permission, a missing folder, a busy lock); the answers are kept until then.
    store
        The student's ``AnswerStore`` once started, else ``None``.
    """

    def __init__(
        self,
        exercise: str,
        root: Path | str | None = None,
        student: str | None = None,
        remember: bool = True,
    ) -> None:
        self.exercise = exercise
        self.root = Path(root) if root is not None else answers_dir()
        self.remember = remember and remembering_allowed()
        self.store: AnswerStore | None = None
        self._components: list[Component] = []
        self._listeners: list[Callable[[Session], None]] = []

        self.name = widgets.Text(
            description="Your name or pseudonym",
            placeholder="as your teacher asked",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="24em"),
        )
        self.start_button = primary_button("Start", tooltip="Start or switch student")
        self.export_button = widgets.Button(
            description="Export my work",
            icon="download",
            tooltip="Write one file with all your answers, to hand in",
            disabled=True,
        )
        self.continue_button = primary_button(
            "Continue", layout=widgets.Layout(display="none", width="auto")
        )
        self.retry_button = primary_button(
            "Retry saving",
            icon="refresh",
            tooltip="Write the answers kept in this window to disk",
            layout=widgets.Layout(display="none", width="auto"),
        )
        self.status = widgets.HTML()
        self.download = widgets.HTML()
        self.messages = widgets.VBox()
        self._offered = ""
        self.start_button.on_click(lambda _: self.start(self.name.value))
        self.continue_button.on_click(lambda _: self.start(self._offered))
        self.export_button.on_click(lambda _: self.export())
        self.retry_button.on_click(lambda _: self.retry())
        self.bar = widgets.VBox(
            [
                self.continue_button,
                widgets.HBox([self.name, self.start_button, self.export_button]),
                self.status,
                self.download,
                self.retry_button,
                self.messages,
            ],
            layout=widgets.Layout(border="1px solid #c8d1dc", padding="0.5em", margin="0 0 1em 0"),
        )
        if student is not None:
            self.name.value = student
            self.start(student)
        elif last := self._last_student():
            self._offer(last)
        else:
            self._set_status(
                "Type your name or pseudonym and press Start. Answers are saved as you work."
            )

    # -- who is working -------------------------------------------------------------------
    def _last_student(self) -> str:
        if not self.remember:
            return ""
        try:
            last = (self.root / _LAST_STUDENT_FILE).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return ""
        return "" if name_problem(last) else last

    def _offer(self, last: str) -> None:
        # One click for the student who was here last; the empty box is for anyone else.
        shown = last if len(last) <= _SHOWN_NAME_CHARS else last[: _SHOWN_NAME_CHARS - 1] + "…"
        self._offered = last
        self.continue_button.description = f"Continue as {shown}"
        self.continue_button.tooltip = f"Continue as {last}"
        self.continue_button.layout.display = None
        self._set_status(
            f"Are you {last}? Press “Continue as {shown}”. If you are someone else, type "
            "your own name or pseudonym and press Start."
        )

    def start(self, student: str) -> bool:
        """Bind the session to ``student`` and restore their answers in every component.

        A name the class report would refuse (see :func:`cmethics.answers.name_problem`) is
        refused here, with the reason in the status; nothing else changes then.
        """
        student = student.strip()
        problem = name_problem(student)
        if problem:
            self._set_status(problem, "warning")
            return False
        if self.store is not None and self.store.has_unsaved:
            # Switching student must not drop answers a failed save kept in this window.
            try:
                self.store.flush()
            except SaveError as error:
                self._show_unsaved(
                    f"{error} Press Start again once your answers as "
                    f"{self.store.student} are saved."
                )
                return False
            self._show_saved()
        try:
            self.store = AnswerStore(self.exercise, student, root=self.root)
        except OSError as error:  # e.g. the lock of a corrupt file was never free
            what, todo = describe_os_error(error)
            self._set_status(f"Could not start: {what}. Please {todo}, then press Start.", "danger")
            return False
        self.continue_button.layout.display = "none"
        if self.remember:
            # A convenience only: a folder that cannot be written must not stop the student.
            with contextlib.suppress(OSError, ValueError):
                self.root.mkdir(parents=True, exist_ok=True)
                (self.root / _LAST_STUDENT_FILE).write_text(student + "\n", encoding="utf-8")
        self.export_button.disabled = False
        self.messages.children = [notice(p, "warning") for p in self.store.problems]
        for component in self._components:
            component.restore()
        for listener in self._listeners:
            listener(self)
        saved = len(self.store.all())
        self._set_status(
            f"Working as {student}. "
            + (f"{saved} saved answers restored. " if saved else "")
            + f"Answers are saved in {self.store.path.parent}."
        )
        return True

    @property
    def student(self) -> str | None:
        """The current student's name or pseudonym, once started."""
        return self.store.student if self.store else None

    def on_start(self, callback: Callable[[Session], None]) -> None:
        """Call ``callback(session)`` whenever a student starts (or switches)."""
        self._listeners.append(callback)

    def register(self, component: Component) -> None:
        """Attach a component: it will save through this session and restore on start."""
        self._components.append(component)
        if self.store is not None:
            component.restore()

    # -- saving ---------------------------------------------------------------------------
    def save(self, key: str, value: Any) -> bool:
        """Save one answer now. Returns False (and says so) when no student has started."""
        if self.store is None:
            self._set_status(
                "Type your name or pseudonym above and press Start: until then "
                "nothing can be saved.",
                "warning",
            )
            return False
        try:
            self.store.set(key, value)
        except SaveError as error:
            self._show_unsaved(str(error))
            return False
        except Exception as error:  # a callback must never raise into the page
            self._show_unsaved(
                f"Not saved: something unexpected went wrong ({type(error).__name__}: {error}). "
                "Show this message to your teacher."
            )
            return False
        self._show_saved()
        return True

    def retry(self) -> bool:
        """Write the answers a failed save kept in this window (the Retry button)."""
        if self.store is None:
            return False
        try:
            self.store.flush()
        except SaveError as error:
            self._show_unsaved(str(error))
            return False
        self._show_saved()
        return True

    def _show_saved(self) -> None:
        assert self.store is not None
        self.retry_button.layout.display = "none"
        self._set_status(
            f"Saved at {datetime.now():%H:%M:%S}. Working as {self.store.student}.", "success"
        )

    def _show_unsaved(self, text: str) -> None:
        unsaved = self.store is not None and self.store.has_unsaved
        self.retry_button.layout.display = None if unsaved else "none"
        self._set_status(text, "danger")

    def load(self, key: str, default: Any = None) -> Any:
        """Return a saved answer (``default`` when none or no student yet)."""
        return self.store.get(key, default) if self.store is not None else default

    def export(self) -> Path | None:
        """Write the student's submission file, offer it as a download and say where it is.

        The file stays in the exports folder; when the teacher names a class inbox
        (``CMETHICS_INBOX``) a copy is handed in there too. A failed hand-in is said in the
        status: the export itself has succeeded.
        """
        self.download.value = ""
        if self.store is None:
            self._set_status("Start with your name or pseudonym before exporting.", "warning")
            return None
        if self.store.has_unsaved:
            try:
                self.store.flush()
            except SaveError as error:
                self._show_unsaved(
                    f"Not exported: your latest answers are not saved yet. {error}"
                    " Then press Export my work again."
                )
                return None
            self._show_saved()
        try:
            path = export_submission(self.store.student, root=self.root)
        except OSError as error:
            what, todo = describe_os_error(error)
            self._set_status(
                f"Not exported: {what}. Your answers are still saved; {todo}, then press "
                "Export my work again.",
                "danger",
            )
            return None
        handed_in, kind = "", "success"
        if (inbox := inbox_dir()) is not None:
            try:
                hand_in(path, inbox)
            except OSError as error:
                reason = (error.strerror or str(error)).lower()
                if error.errno in {errno.EACCES, errno.EPERM}:
                    reason = "permission denied"
                handed_in = (
                    f" A copy could not be handed in to your class folder ({inbox}: {reason}); "
                    "download your work with the link below and hand it in another way, "
                    "or tell your teacher."
                )
                kind = "warning"
            else:
                handed_in = " A copy was handed in to your class folder."
        self._set_status(
            "Exported: your work is ready. Press “Download my work” below and hand in "
            "that file as your teacher asked (LMS upload, shared folder or e-mail)." + handed_in,
            kind,
        )
        self.download.value = self._download_html(path)
        return path

    def _download_html(self, path: Path) -> str:
        kept = f"A copy is kept in {path.parent}"
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= EMBED_LIMIT_BYTES else None
        except OSError:
            return notice(f"{kept}.").value
        if data is None:
            return notice(
                f"This export is too large ({size / 1_000_000:.1f} MB) to download from the page; "
                f"take the file from the exports folder ({path.parent}) or ask your teacher."
            ).value
        return (
            '<div style="padding:0.3em 0.8em">'
            f"{download_link(path.name, data)} · {esc(kept)}.</div>"
        )

    def _set_status(self, text: str, kind: str = "info") -> None:
        self.status.value = notice(text, kind).value


class Component(widgets.VBox):
    """Base class of the exercise components: namespaced saving and restoring.

    Parameters
    ----------
    session
        Where answers go; ``None`` gives a component that saves nothing (the book's static
        previews).
    key
        The component's namespace in the exercise's answers, e.g. ``"coder.004"``.
    """

    def __init__(self, session: Session | None, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.key = key
        self._restoring = False

    def attach(self) -> None:
        """Register with the session; call at the end of a subclass's ``__init__``."""
        if self.session is not None:
            self.session.register(self)

    def save(self, name: str, value: Any) -> bool:
        """Save ``value`` under ``<key>.<name>``, unless the component is restoring itself."""
        if self._restoring or self.session is None:
            return False
        return self.session.save(f"{self.key}.{name}", value)

    def load(self, name: str, default: Any = None) -> Any:
        """The saved value of ``<key>.<name>``."""
        if self.session is None:
            return default
        return self.session.load(f"{self.key}.{name}", default)

    def restore(self) -> None:
        """Put the saved answers back into the controls, without saving them again."""
        self._restoring = True
        try:
            self._restore()
        finally:
            self._restoring = False

    def _restore(self) -> None:  # overridden by components that keep answers
        pass

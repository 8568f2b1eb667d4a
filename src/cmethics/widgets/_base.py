"""What every exercise shares: the student's session, saving, safe HTML and figures.

A ``Session`` is one student working on one exercise notebook. Its bar asks for a name or
pseudonym, binds an ``AnswerStore`` to it, and offers "Export my work". Nobody works under
another's name without saying so: on a personal computer the last name is offered as one
"Continue as ..." click, never applied by itself; under Voilà (one server, many visitors) or with
``CMETHICS_REMEMBER_NAME=0`` (lab computers, hubs) no name is remembered at all.

Components (thread reader, coder, role map...) subclass ``Component``: they
save every change through the session and restore the saved answers when a student starts. A
component that keeps answers ends with a line saying whether they are saved ("Saved at …", "Not
saved: …"), so that the student sees it where they work, not only in the session box at the top.

Slow actions (a first tokenizer load, a comparison, a chart, an export) show a busy sign on
their button while they run (:func:`busy`, :func:`on_click_busy`).

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
from collections.abc import Callable, Iterator
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
from cmethics.widgets._style import ACCENT, CSS_CLASS, PRIMARY_COLOUR, STYLESHEET, names_switch

__all__ = [
    "Component",
    "Session",
    "busy",
    "download_link",
    "esc",
    "figure_html",
    "names_switch",
    "notice",
    "on_click_busy",
    "plural",
    "primary_button",
    "remembering_allowed",
]

_LAST_STUDENT_FILE = ".last_student"
# Set by Voilà in every kernel it starts (voila.utils.ENV_VARIABLE), preheated or not.
_VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_APP_PORT")
_SHOWN_NAME_CHARS = 30  # of the name on the "Continue as" button; the tooltip has all of it
#: Larger exports are not embedded in the page as a ``data:`` link (the report takes 5 MB).
EMBED_LIMIT_BYTES = 4 * 1024 * 1024
#: The busy sign's icon: Font Awesome's spinner, turning (``fa-spinner fa-spin``).
SPINNER = "spinner spin"

# Run All leaves JupyterLab scrolled to the last cell; the student should land on the first one
# (the instructions and the name box). Rendered with the session box, this waits until the
# notebook's kernel has been idle for 0.6 s, then scrolls the notebook back to its top. Only
# inside a JupyterLab (or Notebook 7) notebook panel: in Voilà and elsewhere it does nothing.
_LAND_AT_TOP_JS = """
(function (element) {
  try {
    var quiet = 0, waited = 0;
    var timer = setInterval(function () {
      try {
        waited += 200;
        // The output is rendered before it is attached to the page: find the panel then.
        if (!element || !element.isConnected) {
          if (waited > 30000) { clearInterval(timer); }
          return;
        }
        var panel = element.closest('.jp-NotebookPanel');
        if (!panel) { clearInterval(timer); return; }
        var indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
        var status = indicator ? indicator.getAttribute('data-status') : 'idle';
        quiet = status === 'idle' ? quiet + 1 : 0;
        if (quiet >= 3 || waited > 180000) {
          clearInterval(timer);
          var scroller = panel.querySelector('.jp-WindowedPanel-outer')
            || panel.querySelector('.jp-Notebook');
          if (quiet >= 3 && scroller) { scroller.scrollTop = 0; }
        }
      } catch (error) {
        clearInterval(timer);
      }
    }, 200);
  } catch (error) {
    // Landing at the top is a convenience: never an error on the student's page.
  }
})(element);
"""


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


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and the noun in the right number: "1 saved answer", "2 saved answers".

    Examples
    --------
    >>> plural(1, "word"), plural(0, "word"), plural(3, "match", "matches")
    ('1 word', '0 words', '3 matches')
    """
    return f"{n} {word if n == 1 else (words or word + 's')}"


@contextlib.contextmanager
def busy(button: widgets.Button, word: str) -> Iterator[None]:
    """Show that ``button``'s action is running: disabled, a turning spinner and ``word``.

    The button gets its label, icon and state back afterwards, also when the action fails,
    except what the action itself set on it (the role map's "Draw my map" becomes "Update my
    map"). The changes reach the browser at once, while the kernel works.

    Parameters
    ----------
    button
        The button whose action runs.
    word
        What the button says meanwhile, e.g. ``"Checking…"``.
    """
    before = (button.description, button.icon, button.disabled)
    meanwhile = (word, SPINNER, True)
    button.description, button.icon, button.disabled = meanwhile
    try:
        yield
    finally:
        now = (button.description, button.icon, button.disabled)
        description, icon, disabled = (
            old if value == shown else value
            for old, value, shown in zip(before, now, meanwhile, strict=True)
        )
        button.description, button.icon, button.disabled = description, icon, disabled


def on_click_busy(button: widgets.Button, word: str, action: Callable[[], object]) -> None:
    """Run ``action()`` when ``button`` is clicked, with :func:`busy`'s sign while it runs."""

    def handler(_button: widgets.Button) -> None:
        with busy(button, word):
            action()

    button.on_click(handler)


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


def notice(text: str, kind: str = "info", live: bool = True) -> widgets.HTML:
    """A short message box; ``text`` is escaped. ``kind`` is info, success, warning or danger.

    ``live`` makes it a status that screen readers announce (``role="status"``); the copies of
    the saving state under each component are not, so that it is announced once.
    """
    colours = {
        "info": ("#e7f1fb", ACCENT),
        "success": ("#e6f4ea", "#1e4620"),
        "warning": ("#fff4e5", "#663c00"),
        "danger": ("#fdecea", "#611a15"),
    }
    background, ink = colours.get(kind, colours["info"])
    role = ' role="status"' if live else ""
    return widgets.HTML(
        f'<div{role} style="background:{background};color:{ink};padding:0.5em 0.8em;'
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
            # Wide enough for the label, the whole placeholder and a long name.
            layout=widgets.Layout(width="30em"),
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
        self._save_line: tuple[str, str] = ("", "info")
        on_click_busy(self.start_button, "Starting\u2026", lambda: self.start(self.name.value))
        on_click_busy(self.continue_button, "Starting\u2026", lambda: self.start(self._offered))
        on_click_busy(self.export_button, "Exporting\u2026", self.export)
        on_click_busy(self.retry_button, "Saving\u2026", self.retry)
        self.land_at_top = widgets.Output(layout=widgets.Layout(display="none"))
        self.land_at_top.outputs = (
            {
                "output_type": "display_data",
                # text/plain where no JavaScript runs (an untrusted page shows nothing then).
                "data": {"application/javascript": _LAND_AT_TOP_JS, "text/plain": ""},
                "metadata": {},
            },
        )
        self.bar = widgets.VBox(
            [
                self.continue_button,
                widgets.HBox(
                    [self.name, self.start_button, self.export_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.status,
                self.download,
                self.retry_button,
                self.messages,
                widgets.HTML(STYLESHEET),
                self.land_at_top,
            ],
            layout=widgets.Layout(border="1px solid #c8d1dc", padding="0.5em", margin="0 0 1em 0"),
        )
        self.bar.add_class(CSS_CLASS)
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
        self._tell_components("", "info")
        for component in self._components:
            component.restore()
        for listener in self._listeners:
            listener(self)
        saved = len(self.store.all())
        self._set_status(
            f"Working as {student}. "
            + (f"{plural(saved, 'saved answer')} restored. " if saved else "")
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
        component.show_save_state(*self._save_line)
        if self.store is not None:
            component.restore()

    # -- saving ---------------------------------------------------------------------------
    def save(self, key: str, value: Any) -> bool:
        """Save one answer now. Returns False (and says so) when no student has started."""
        if self.store is None:
            self._show_not_started()
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

    def _show_not_started(self) -> None:
        self._set_status(
            "Type your name or pseudonym above and press Start: until then nothing can be saved.",
            "warning",
        )
        self._tell_components(
            "Not saved: type your name or pseudonym at the top of the page and press Start.",
            "warning",
        )

    def _show_saved(self) -> None:
        assert self.store is not None
        self.retry_button.layout.display = "none"
        now = f"{datetime.now():%H:%M:%S}"
        self._set_status(f"Saved at {now}. Working as {self.store.student}.", "success")
        self._tell_components(f"Saved at {now}.", "success")

    def _show_unsaved(self, text: str) -> None:
        unsaved = self.store is not None and self.store.has_unsaved
        self.retry_button.layout.display = None if unsaved else "none"
        self._set_status(text, "danger")
        where = " (\u201cRetry saving\u201d is at the top of the page.)" if unsaved else ""
        self._tell_components(text + where, "danger")

    def _tell_components(self, text: str, kind: str) -> None:
        # Every component that keeps answers repeats the state where the student works.
        self._save_line = (text, kind)
        for component in self._components:
            component.show_save_state(text, kind)

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

    children: Any  # the box's trait, for the type checker (a bare annotation sets nothing)

    def __init__(self, session: Session | None, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.key = key
        self._restoring = False
        #: "Saved at …" / "Not saved: …" under a component that keeps answers (else ``None``).
        self.save_status: widgets.HTML | None = None
        self.add_class(CSS_CLASS)

    def attach(self) -> None:
        """Register with the session; call at the end of a subclass's ``__init__``.

        Adds, at the bottom of the component, the course's stylesheet and, when the component
        keeps answers and has a session, the line saying whether they are saved.
        """
        extra: list[widgets.Widget] = [widgets.HTML(STYLESHEET)]
        if self.session is not None and type(self)._restore is not Component._restore:
            self.save_status = widgets.HTML()
            extra.append(self.save_status)
        self.children = [*self.children, *extra]
        if self.session is not None:
            self.session.register(self)

    def show_save_state(self, text: str, kind: str = "success") -> None:
        """Show ``text`` ("Saved at …", "Not saved: …", or nothing) on the component's line."""
        if self.save_status is None:
            return
        if not text:
            self.save_status.value = ""
        elif kind == "success":
            self.save_status.value = (
                f'<div style="font-size:0.88em;color:#1e4620;margin:0.2em 0">\u2713 {esc(text)}'
                "</div>"
            )
        else:
            self.save_status.value = notice(text, kind, live=False).value

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

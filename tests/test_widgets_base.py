"""The session bar and the component base, driven like a student would, without a browser."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import ipywidgets as widgets

from cmethics import answers
from cmethics.answers import load_submission, slugify
from cmethics.widgets import Component, Session, esc, figure_html


class Echo(Component):
    """A one-field component for the tests."""

    def __init__(self, session):
        super().__init__(session, key="echo")
        self.box = widgets.Textarea()
        self.box.observe(lambda change: self.save("text", change["new"]), "value")
        self.children = [self.box]
        self.attach()

    def _restore(self):
        self.box.value = self.load("text", "")


def test_nothing_is_saved_before_a_name_and_the_student_is_told(tmp_path: Path) -> None:
    session = Session("ego", root=tmp_path, remember=False)
    echo = Echo(session)
    echo.box.value = "hello"
    assert session.store is None
    assert "nothing can be saved" in session.status.value
    assert not any(tmp_path.rglob("*.json"))


def test_start_saves_every_change_and_a_new_notebook_restores_it(tmp_path: Path) -> None:
    session = Session("ego", root=tmp_path)
    echo = Echo(session)
    session.name.value = "Inès"
    session.start_button.click()
    echo.box.value = "première idée"
    echo.box.value = "seconde idée"
    saved = json.loads((tmp_path / slugify("Inès") / "ego.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"echo.text": "seconde idée"}
    assert "Saved at" in session.status.value
    # Reopening the notebook: a new kernel, a new session; the last name is offered, one click.
    reopened = Session("ego", root=tmp_path)
    echo_again = Echo(reopened)
    assert reopened.student is None and echo_again.box.value == ""
    reopened.continue_button.click()
    assert reopened.student == "Inès"
    assert echo_again.box.value == "seconde idée"
    assert "1 saved answer restored." in reopened.status.value


def test_restoring_does_not_write_and_switching_students_swaps_answers(tmp_path: Path) -> None:
    session = Session("ego", root=tmp_path, student="Jo", remember=False)
    echo = Echo(session)
    echo.box.value = "Jo's answer"
    path = tmp_path / slugify("Jo") / "ego.json"
    stamp = path.stat().st_mtime_ns
    session.start("Jo")
    assert path.stat().st_mtime_ns == stamp
    session.start("Kim")
    assert echo.box.value == ""
    echo.box.value = "Kim's answer"
    session.start("Jo")
    assert echo.box.value == "Jo's answer"


def test_a_corrupt_answers_file_is_reported_in_the_bar(tmp_path: Path) -> None:
    (tmp_path / slugify("Lou")).mkdir()
    (tmp_path / slugify("Lou") / "ego.json").write_text("{oops", encoding="utf-8")
    session = Session("ego", root=tmp_path, student="Lou", remember=False)
    text = " ".join(child.value for child in session.messages.children)
    assert "could not be read" in text and ".corrupt-" in text


def test_export_button_writes_a_valid_submission(tmp_path: Path) -> None:
    session = Session("ego", root=tmp_path, student="Max", remember=False)
    Echo(session).box.value = "<b>bold?</b>"
    session.export_button.click()
    exports = list((tmp_path / "exports").glob("*.json"))
    assert len(exports) == 1
    assert load_submission(exports[0])["exercises"]["ego"]["answers"] == {
        "echo.text": "<b>bold?</b>"
    }
    # The student gets the file through the browser, and is told where the kept copy is.
    assert f'download="{exports[0].name}"' in session.download.value
    assert f"A copy is kept in {exports[0].parent}" in session.download.value


def test_untrusted_text_is_escaped_everywhere_it_reaches_html(tmp_path: Path) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    assert "<script" not in esc(payload) and "<img" not in esc(payload)
    session = Session("ego", root=tmp_path, student=payload, remember=False)
    assert "<script" not in session.status.value and "<img src=x" not in session.status.value


def test_figures_carry_their_alt_text(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar(["je", "nous"], [3, 1])
    html = figure_html(fig, 'Bars: "je" 3, "nous" 1')
    assert html.startswith('<img src="data:image/png;base64,')
    assert 'alt="Bars: &quot;je&quot; 3, &quot;nous&quot; 1"' in html


def test_every_lab_offers_the_same_names_switch_unticked_for_pseudonyms() -> None:
    from cmethics.widgets import EgoLab, RoleComparer, ThreadReader
    from cmethics.widgets._style import names_switch

    def shape(box: widgets.Checkbox) -> tuple:
        return box.description, box.indent, box.layout.width, box.description_allow_html

    assert not names_switch().value and names_switch(True).value
    labs = [EgoLab(), ThreadReader("000"), RoleComparer()]
    assert [shape(lab.show_names) for lab in labs] == [shape(names_switch())] * 3
    assert [lab.show_names.value for lab in labs] == [False] * 3
    assert ThreadReader("000", pseudonymize=False).show_names.value
    assert "names as printed" in names_switch().description


# -- identity: nobody works under another's name without saying so (issue 12) -------------------
def test_the_last_name_is_offered_never_applied_also_after_a_kernel_restart(tmp_path) -> None:
    first = Session("ego", root=tmp_path)
    first.name.value = "Camille"
    first.start_button.click()
    Echo(first).box.value = "Camille's reflection"
    for _restart in range(2):
        session = Session("ego", root=tmp_path)
        echo = Echo(session)
        assert session.student is None and session.store is None
        assert echo.box.value == ""
        assert session.name.value == ""  # the box is for "I am someone else"
        assert session.continue_button.description == "Continue as Camille"
        assert session.continue_button.layout.display != "none"
        assert "Camille's reflection" not in session.status.value
    session.continue_button.click()
    assert session.student == "Camille" and echo.box.value == "Camille's reflection"
    assert session.continue_button.layout.display == "none"


def test_someone_else_types_their_name_and_never_sees_the_last_students_work(tmp_path) -> None:
    Session("ego", root=tmp_path, student="Camille").save("echo.text", "Camille's")
    session = Session("ego", root=tmp_path)
    echo = Echo(session)
    session.name.value = "Dominique"
    session.start_button.click()
    assert session.student == "Dominique" and echo.box.value == ""
    assert Session("ego", root=tmp_path).continue_button.description == "Continue as Dominique"


def test_under_voila_or_when_switched_off_no_name_is_remembered(tmp_path, monkeypatch) -> None:
    (tmp_path / ".last_student").write_text("Camille\n", encoding="utf-8")
    for variable, value in [("VOILA_KERNEL_ID", "abc"), ("CMETHICS_REMEMBER_NAME", "0")]:
        with monkeypatch.context() as patch:
            patch.setenv(variable, value)
            visitor = Session("ego", root=tmp_path)
            assert visitor.student is None and visitor.continue_button.layout.display == "none"
            assert "Camille" not in visitor.status.value
            visitor.name.value = "Visitor"
            visitor.start_button.click()
            assert visitor.student == "Visitor"
            assert (tmp_path / ".last_student").read_text(encoding="utf-8") == "Camille\n"


def test_a_name_the_report_would_drop_is_refused_at_start(tmp_path: Path) -> None:
    session = Session("ego", root=tmp_path, remember=True)
    Echo(session)
    session.name.value = "N" * 201
    session.start_button.click()
    assert session.store is None and session.export_button.disabled
    assert "201 characters" in session.status.value and "200" in session.status.value
    assert not any(tmp_path.iterdir())  # nothing written, not even the remembered name
    # A student already working keeps working when a bad name is typed over theirs.
    session.start("Jo")
    session.name.value = "   "
    session.start_button.click()
    assert session.student == "Jo" and "Please type a name" in session.status.value


# -- saving never lies (issue 12, "What was found" 3) -------------------------------------------


def _raiser(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


def test_a_full_disk_is_shown_answers_kept_and_retry_writes_them(tmp_path, monkeypatch) -> None:
    session = Session("ego", root=tmp_path, student="Tao", remember=False)
    echo = Echo(session)
    assert session.retry_button.layout.display == "none"
    monkeypatch.setattr(answers.os, "replace", _raiser(errno.ENOSPC))
    echo.box.value = "an answer the disk cannot take"  # the callback must not raise
    assert "Saved at" not in session.status.value
    assert "Not saved" in session.status.value and "disk is full" in session.status.value
    assert session.retry_button.layout.display != "none"
    assert echo.save("other", "x") is False
    session.retry_button.click()  # still full: still said, still kept
    assert "Not saved" in session.status.value
    monkeypatch.undo()
    session.retry_button.click()
    assert "Saved at" in session.status.value
    assert session.retry_button.layout.display == "none"
    saved = json.loads((tmp_path / slugify("Tao") / "ego.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"echo.text": "an answer the disk cannot take", "echo.other": "x"}


def test_a_read_only_disk_and_a_lock_timeout_are_shown_not_raised(tmp_path, monkeypatch) -> None:
    session = Session("ego", root=tmp_path, student="Uma", remember=False)
    echo = Echo(session)
    monkeypatch.setattr(answers.tempfile, "mkstemp", _raiser(errno.EROFS))
    echo.box.value = "one"
    assert "Not saved" in session.status.value and "read-only" in session.status.value
    monkeypatch.undo()

    def always_busy(self, *args, **kwargs):
        raise answers.Timeout(self.lock_file)

    monkeypatch.setattr(answers.FileLock, "acquire", always_busy)
    echo.box.value = "two"
    assert "Not saved" in session.status.value and "another window" in session.status.value
    monkeypatch.undo()
    echo.box.value = "three"  # the next save writes everything kept
    assert "Saved at" in session.status.value
    assert Session("ego", root=tmp_path, student="Uma", remember=False).load("echo.text") == "three"


def test_start_survives_an_unwritable_answers_folder(tmp_path, monkeypatch) -> None:
    session = Session("ego", root=tmp_path)
    monkeypatch.setattr(Path, "write_text", _raiser(errno.EROFS))
    monkeypatch.setattr(answers.tempfile, "mkstemp", _raiser(errno.EROFS))
    session.name.value = "Vic"
    session.start_button.click()
    assert session.student == "Vic"


def test_a_failed_export_is_shown_not_raised(tmp_path, monkeypatch) -> None:
    session = Session("ego", root=tmp_path, student="Wen", remember=False)
    Echo(session).box.value = "text"
    monkeypatch.setattr(answers.os, "replace", _raiser(errno.ENOSPC))
    session.export_button.click()
    assert "Not exported" in session.status.value and "disk is full" in session.status.value
    assert session.export() is None


def test_switching_student_never_drops_answers_a_failed_save_kept(tmp_path, monkeypatch) -> None:
    session = Session("ego", root=tmp_path, student="Xia", remember=False)
    echo = Echo(session)
    monkeypatch.setattr(answers.os, "replace", _raiser(errno.ENOSPC))
    echo.box.value = "Xia's answer"
    assert session.start("Yan") is False
    assert session.student == "Xia" and "Press Start again" in session.status.value
    monkeypatch.undo()
    assert session.start("Yan") is True
    assert Session("ego", root=tmp_path, student="Xia", remember=False).load("echo.text") == (
        "Xia's answer"
    )


def _link(session: Session) -> tuple[str, bytes]:
    import base64
    import re

    found = re.search(
        r'<a download="([^"]*)" href="data:application/json;base64,([A-Za-z0-9+/=]*)"',
        session.download.value,
    )
    assert found, session.download.value
    return found.group(1), base64.b64decode(found.group(2))


def test_export_offers_the_exact_file_as_a_browser_download(tmp_path, monkeypatch) -> None:
    # Issue 12: "Export my work" printed a server path a Voilà or hub student cannot reach.
    monkeypatch.delenv("CMETHICS_INBOX", raising=False)
    hostile = '<img src=x onerror=alert(1)>" onclick="x'
    session = Session("ego", root=tmp_path, student=hostile, remember=False)
    Echo(session).box.value = "<b>bold</b> ünïcode 李雷"
    path = session.export()
    assert path is not None
    name, data = _link(session)
    assert name == path.name and data == path.read_bytes()
    assert load_submission(path)["student"] == hostile
    assert "<img" not in session.download.value and "onclick=" not in session.download.value
    assert f"Download my work ({path.name})</a>" in session.download.value
    assert f"A copy is kept in {path.parent}" in session.download.value
    assert "Exported:" in session.status.value


def test_the_download_link_escapes_the_file_name() -> None:
    from cmethics.widgets._base import download_link

    link = download_link('a"><script>alert(1)</script>.json', b"{}")
    assert "<script>" not in link and 'download="a&quot;&gt;&lt;script&gt;' in link
    assert 'href="data:application/json;base64,e30="' in link


def test_a_large_export_points_to_the_folder_instead_of_embedding(tmp_path, monkeypatch) -> None:
    from cmethics.widgets import _base

    monkeypatch.delenv("CMETHICS_INBOX", raising=False)
    monkeypatch.setattr(_base, "EMBED_LIMIT_BYTES", 10)
    session = Session("ego", root=tmp_path, student="Big", remember=False)
    assert session.export() is not None
    assert "data:" not in session.download.value
    assert "too large" in session.download.value and "exports" in session.download.value


def test_with_an_inbox_export_hands_in_a_copy_the_teacher_can_read(tmp_path, monkeypatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("CMETHICS_INBOX", str(inbox))
    session = Session("ego", root=tmp_path / "answers", student="Ines", remember=False)
    Echo(session).box.value = "handed in"
    path = session.export()
    assert path is not None
    copy = inbox / path.name
    assert copy.stat().st_mode & 0o777 == 0o644
    assert load_submission(copy)["exercises"]["ego"]["answers"] == {"echo.text": "handed in"}
    assert "A copy was handed in to your class folder." in session.status.value


def test_an_unwritable_inbox_is_said_in_plain_words_not_raised(tmp_path, monkeypatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("CMETHICS_INBOX", str(inbox))
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).parent == inbox:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(answers.os, "replace", replace)
    session = Session("ego", root=tmp_path / "answers", student="Jon", remember=False)
    session.export_button.click()  # must not raise
    path = session.export()
    assert path is not None and path.exists()
    status = session.status.value
    assert "Exported:" in status and "handed in to your class folder." not in status
    assert "could not be handed in" in status and "permission denied" in status
    assert not list(inbox.iterdir())
    assert _link(session)[1] == path.read_bytes()


# --------------------------------------------------------------------------- the first screen


class Reader(Component):
    """A component that keeps no answers (like the thread reader)."""

    def __init__(self, session):
        super().__init__(session, key="reader")
        self.children = [widgets.HTML("a thread")]
        self.attach()


def test_counts_say_one_answer_and_two_answers() -> None:
    from cmethics.widgets._base import plural

    assert [plural(n, "saved answer") for n in (0, 1, 2)] == [
        "0 saved answers",
        "1 saved answer",
        "2 saved answers",
    ]
    assert plural(1, "match", "matches") == "1 match" and plural(5, "match", "matches") == (
        "5 matches"
    )


def test_each_component_that_keeps_answers_says_there_whether_they_are_saved(
    tmp_path, monkeypatch
) -> None:
    # Issue 12: "Saved at …" was only at the top of the page, far from the lab at the bottom.
    session = Session("ego", root=tmp_path, remember=False)
    echo, reader = Echo(session), Reader(session)
    assert reader.save_status is None and echo.save_status is not None
    assert echo.children[-1] is echo.save_status and echo.save_status.value == ""
    echo.box.value = "before any name"
    assert "Not saved" in echo.save_status.value and "press Start" in echo.save_status.value
    session.name.value = "Vera"
    session.start_button.click()
    assert echo.save_status.value == ""  # the warning is over once the student has started
    echo.box.value = "typed in the lab"
    assert "Saved at" in echo.save_status.value
    monkeypatch.setattr(answers.os, "replace", _raiser(errno.ENOSPC))
    echo.box.value = "the disk is full now"
    line = echo.save_status.value
    assert "Saved at" not in line and "Not saved" in line and "disk is full" in line
    assert "Retry saving" in line and 'role="status"' not in line  # announced once, at the top
    monkeypatch.undo()
    session.retry_button.click()
    assert "Saved at" in echo.save_status.value
    # A component built after the failure or the save starts with what is true now.
    assert "Saved at" in Echo(session).save_status.value


def test_a_preview_without_a_session_has_no_saving_line() -> None:
    assert Echo(None).save_status is None


def test_the_busy_sign_shows_while_the_action_runs_and_goes_even_on_error() -> None:
    from cmethics.widgets._base import on_click_busy

    button = widgets.Button(description="Check", icon="search")
    seen = []

    def action() -> None:
        seen.append((button.description, button.icon, button.disabled))
        raise RuntimeError("the action failed")

    on_click_busy(button, "Checking…", action)
    button.click()  # ipywidgets logs the error; the sign must go all the same
    assert seen == [("Checking…", "spinner spin", True)]
    assert (button.description, button.icon, button.disabled) == ("Check", "search", False)


def test_what_an_action_sets_on_its_own_button_stays_after_the_busy_sign() -> None:
    from cmethics.widgets._base import on_click_busy

    button = widgets.Button(description="Draw my map", icon="map")
    on_click_busy(button, "Drawing…", lambda: setattr(button, "description", "Update my map"))
    button.click()
    assert (button.description, button.icon, button.disabled) == ("Update my map", "map", False)


def test_start_and_export_show_a_busy_sign_while_they_work(tmp_path, monkeypatch) -> None:
    from cmethics.widgets import _base

    session = Session("ego", root=tmp_path, remember=False)
    Echo(session)
    seen = {}
    original_store, original_export = _base.AnswerStore, _base.export_submission

    def store(*args, **kwargs):
        seen["start"] = (session.start_button.description, session.start_button.disabled)
        return original_store(*args, **kwargs)

    def export(*args, **kwargs):
        seen["export"] = (session.export_button.description, session.export_button.disabled)
        return original_export(*args, **kwargs)

    monkeypatch.setattr(_base, "AnswerStore", store)
    monkeypatch.setattr(_base, "export_submission", export)
    session.name.value = "Wen"
    session.start_button.click()
    session.export_button.click()
    assert seen == {"start": ("Starting…", True), "export": ("Exporting…", True)}
    assert (session.start_button.description, session.start_button.disabled) == ("Start", False)
    assert session.export_button.description == "Export my work"
    assert not session.export_button.disabled


def test_the_name_box_is_wide_enough_for_its_whole_placeholder(tmp_path) -> None:
    # "as your teacher aske": at 24em the label left the box 136 px; the placeholder needs
    # about 160 px (measured in JupyterLab). The browser test checks it on the page.
    session = Session("ego", root=tmp_path, remember=False)
    assert session.name.placeholder == "as your teacher asked"
    assert float(session.name.layout.width.removesuffix("em")) >= 30


def test_the_session_box_lands_the_student_at_the_top_only_inside_a_jupyterlab_notebook(
    tmp_path,
) -> None:
    session = Session("ego", root=tmp_path, remember=False)
    assert session.land_at_top in session.bar.children
    (output,) = session.land_at_top.outputs
    script = output["data"]["application/javascript"]
    assert output["data"]["text/plain"] == ""  # an untrusted page shows nothing, asks nothing
    assert "closest('.jp-NotebookPanel')" in script and "scrollTop = 0" in script
    assert "catch" in script  # never an error on the student's page

"""Students' answers survive kernel restarts, crashes mid-write, corrupt files and two tabs."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from cmethics import answers
from cmethics.answers import AnswerStore, export_submission, load_submission, slugify


def test_answer_is_on_disk_after_each_change_and_restored_by_a_new_kernel(tmp_path: Path) -> None:
    store = AnswerStore("ego", "Ada Lovelace", root=tmp_path)
    store.set("prediction", {"je": 4, "nous": 2})
    on_disk = json.loads(store.path.read_text(encoding="utf-8"))
    assert on_disk["answers"]["prediction"] == {"je": 4, "nous": 2}
    assert on_disk["schema"] == answers.ANSWERS_SCHEMA
    store.set("reflection", "Le « vous » d'abord.")
    # A restarted kernel knows nothing but the folder.
    again = AnswerStore("ego", "Ada Lovelace", root=tmp_path)
    assert again.get("prediction") == {"je": 4, "nous": 2}
    assert again.get("reflection") == "Le « vous » d'abord."
    assert again.problems == []


def test_default_folder_honours_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CMETHICS_ANSWERS", str(tmp_path / "class"))
    store = AnswerStore("trust", "Bo")
    store.set("choice", "apologise")
    assert store.path == tmp_path / "class" / slugify("Bo") / "trust.json"
    assert store.path.exists()


def test_a_crash_during_a_save_leaves_the_previous_answers_intact(tmp_path, monkeypatch) -> None:
    store = AnswerStore("ownership", "Chloé", root=tmp_path)
    store.set("rewrite_1", "la communauté")
    before = store.path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk unplugged")

    monkeypatch.setattr(answers.os, "replace", crash)
    with pytest.raises(OSError):
        store.set("rewrite_2", "notre communauté")
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize(
    "content",
    [b'{"schema": "cmethics.answers/1", "answers": {"a": ', b"\xff\xfe garbage", b"[1, 2, 3]"],
    ids=["truncated", "not-utf8", "wrong-shape"],
)
def test_a_corrupt_file_is_moved_aside_reported_and_never_overwritten(tmp_path, content) -> None:
    path = tmp_path / slugify("Dana") / "expertise.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = AnswerStore("expertise", "Dana", root=tmp_path)
    assert len(store.problems) == 1 and "could not be read" in store.problems[0]
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    store.set("item_01", "gourou")
    assert AnswerStore("expertise", "Dana", root=tmp_path).get("item_01") == "gourou"
    assert aside[0].read_bytes() == content  # still there, untouched


def test_a_file_corrupted_while_open_keeps_what_the_kernel_knows(tmp_path: Path) -> None:
    store = AnswerStore("capstone", "Eve", root=tmp_path)
    store.set("a", 1)
    store.path.write_text("{ not json", encoding="utf-8")
    store.set("b", 2)
    again = AnswerStore("capstone", "Eve", root=tmp_path)
    assert again.all() == {"a": 1, "b": 2}
    assert store.problems and any(".corrupt-" in p.name for p in store.path.parent.iterdir())


def test_two_tabs_on_one_exercise_keep_each_others_answers(tmp_path: Path) -> None:
    # Two kernels saving at the same moment, each with its own store (and its own handle on the
    # lock file): without the lock about half of the 80 saves are lost to the other tab's write.
    tabs = [AnswerStore("role", "Fa", root=tmp_path) for _ in range(2)]
    start = threading.Barrier(len(tabs))
    errors: list[BaseException] = []

    def save(tab: int, store: AnswerStore) -> None:
        try:
            start.wait()
            for i in range(40):
                store.set(f"tab{tab}.{i}", {"serves": i / 40})
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=save, args=pair) for pair in enumerate(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert AnswerStore("role", "Fa", root=tmp_path).all() == {
        f"tab{tab}.{i}": {"serves": i / 40} for tab in range(2) for i in range(40)
    }


def test_values_that_are_not_json_are_refused_before_writing(tmp_path: Path) -> None:
    store = AnswerStore("ego", "Gil", root=tmp_path)
    store.set("ok", [1, 2])
    before = store.path.read_bytes()
    with pytest.raises(TypeError):
        store.set("bad", {1, 2})
    with pytest.raises(TypeError):
        store.set("nan", float("nan"))
    assert store.path.read_bytes() == before


def test_names_cannot_escape_the_answers_folder(tmp_path: Path) -> None:
    assert slugify("../../etc/passwd").startswith("etc-passwd-")
    assert slugify("   ").startswith("student-")
    store = AnswerStore("ego", "../../outside", root=tmp_path)
    store.set("x", 1)
    assert tmp_path in store.path.parents
    with pytest.raises(ValueError):
        AnswerStore("../ego", "Ada", root=tmp_path)
    with pytest.raises(ValueError):
        AnswerStore("ego", "  ", root=tmp_path)


def test_export_gathers_every_exercise_into_one_valid_submission(tmp_path: Path) -> None:
    AnswerStore("ego", "Hana", root=tmp_path).set("reflection", "<script>alert(1)</script>")
    AnswerStore("trust", "Hana", root=tmp_path).set("path", ["start", "listen"])
    broken = tmp_path / slugify("Hana") / "role.json"
    broken.write_text("{", encoding="utf-8")
    path = export_submission("Hana", root=tmp_path)
    assert path.parent == tmp_path / "exports" and path.name.startswith("cmethics-hana-")
    data = load_submission(path)
    assert data["student"] == "Hana"
    assert set(data["exercises"]) == {"ego", "trust"}
    assert data["exercises"]["ego"]["answers"]["reflection"] == "<script>alert(1)</script>"
    assert any(".corrupt-" in p.name for p in (tmp_path / slugify("Hana")).iterdir())


def test_load_submission_names_what_is_wrong(tmp_path: Path) -> None:
    bad_json = tmp_path / "a.json"
    bad_json.write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_submission(bad_json)
    future = tmp_path / "b.json"
    future.write_text(json.dumps({"schema": "cmethics.submission/2"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not supported"):
        load_submission(future)
    other = tmp_path / "c.json"
    other.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a CM Ethics submission"):
        load_submission(other)


# -- identity: one folder per student, whatever the script (issue 12) ---------------------------
NAMES = ["李雷", "王芳", "Иван Петров", "محمد", "🙂🎉", "..", "Zoë", "Zoe", "Camille"]


def test_every_name_has_a_folder_of_its_own_and_sees_only_its_own_answers(tmp_path) -> None:
    for name in NAMES:
        AnswerStore("ego", name, root=tmp_path).set("reflection", f"by {name}")
    for name in NAMES:
        store = AnswerStore("ego", name, root=tmp_path)
        assert store.get("reflection") == f"by {name}", name
        assert store.path.parent.parent == tmp_path
    folders = {slugify(name) for name in NAMES}
    assert len(folders) == len(NAMES)
    for folder in folders:
        assert "/" not in folder and "\\" not in folder and folder.strip(".") == folder
        assert folder.isascii()
    assert slugify("李雷").startswith("lilei-") and slugify("Иван Петров").startswith(
        "ivan-petrov-"
    )


def test_two_students_with_chinese_and_arabic_names_export_only_their_own_work(tmp_path) -> None:
    AnswerStore("ego", "李雷", root=tmp_path).set("reflection", "李雷's")
    AnswerStore("ego", "محمد", root=tmp_path).set("reflection", "محمد's")
    first, second = (
        export_submission("李雷", root=tmp_path),
        export_submission("محمد", root=tmp_path),
    )
    assert first != second
    assert load_submission(first)["exercises"]["ego"]["answers"] == {"reflection": "李雷's"}
    assert load_submission(second)["exercises"]["ego"]["answers"] == {"reflection": "محمد's"}


def test_case_and_spacing_still_name_the_same_student_but_accents_do_not(tmp_path) -> None:
    # The old folders ignored case and spacing; a student who types "camille" is still Camille.
    assert slugify("Camille") == slugify(" camille ") == slugify("CAMILLE")
    assert slugify("Camille Albi") == slugify("Camille   Albi")
    assert slugify("Zoë") != slugify("Zoe")
    # The same name typed decomposed (e + combining diaeresis) is the same student.
    assert slugify("Zoe\u0308") == slugify("Zoë")


def test_long_names_sharing_their_first_61_characters_do_not_share_a_folder(tmp_path) -> None:
    prefix = "Marie-Charlotte Élisabeth de la Tour d'Auvergne-Lauraguais de B"
    assert len(prefix) == 63
    first, second = prefix + "eaumont", prefix + "ellegarde"
    AnswerStore("trust", first, root=tmp_path).set("choice", 1)
    AnswerStore("trust", second, root=tmp_path).set("choice", 2)
    assert AnswerStore("trust", first, root=tmp_path).get("choice") == 1
    assert AnswerStore("trust", second, root=tmp_path).get("choice") == 2
    assert len(slugify(first)) <= 50


def test_dots_only_names_get_a_real_folder_inside_the_answers_folder(tmp_path) -> None:
    for name in ["..", ".", "...", "/", "\\"]:
        store = AnswerStore("ego", name, root=tmp_path)
        store.set("x", name)
        assert store.path.parent.parent == tmp_path
        assert store.path.parent.name not in {"", ".", ".."}
    assert len({slugify(n) for n in ["..", ".", "...", "/", "\\"]}) == 5


def test_a_name_longer_than_the_report_accepts_is_refused(tmp_path) -> None:
    assert answers.MAX_NAME_CHARS == 200
    assert answers.SUBMISSION_JSON_SCHEMA["properties"]["student"]["maxLength"] == 200
    assert answers.name_problem("x" * 200) is None
    assert "200" in (answers.name_problem("x" * 201) or "")
    with pytest.raises(ValueError, match="200"):
        AnswerStore("ego", "x" * 201, root=tmp_path)
    with pytest.raises(ValueError, match="200"):
        export_submission("x" * 201, root=tmp_path)
    assert not any(tmp_path.rglob("*.json"))


def _old_style_file(root: Path, folder: str, exercise: str, student: str, answer: str) -> Path:
    path = root / folder / f"{exercise}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = "2026-11-22T10:00:00+00:00"
    payload = {
        "schema": answers.ANSWERS_SCHEMA,
        "exercise": exercise,
        "student": student,
        "created": stamp,
        "updated": stamp,
        "answers": {"reflection": answer},
    }
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_a_student_finds_the_answers_saved_in_an_old_style_folder(tmp_path: Path) -> None:
    _old_style_file(tmp_path, "helene-albi", "ego", "Hélène Albi", "avant la mise à jour")
    _old_style_file(tmp_path, "helene-albi", "trust", "hélène albi", "aussi")
    store = AnswerStore("ego", "Hélène Albi", root=tmp_path)
    assert store.get("reflection") == "avant la mise à jour"
    assert store.path.parent == tmp_path / slugify("Hélène Albi")
    assert not (tmp_path / "helene-albi").exists()  # the whole folder was hers: moved
    exported = load_submission(export_submission("Hélène Albi", root=tmp_path))
    assert set(exported["exercises"]) == {"ego", "trust"}


def test_a_shared_old_folder_gives_each_student_only_their_own_files(tmp_path: Path) -> None:
    # The old rule put every Chinese name in "student": each file records who wrote it.
    _old_style_file(tmp_path, "student", "ego", "李雷", "李雷's ego")
    _old_style_file(tmp_path, "student", "trust", "王芳", "王芳's trust")
    assert AnswerStore("ego", "李雷", root=tmp_path).get("reflection") == "李雷's ego"
    assert AnswerStore("trust", "李雷", root=tmp_path).get("reflection") is None
    assert AnswerStore("trust", "王芳", root=tmp_path).get("reflection") == "王芳's trust"
    assert AnswerStore("ego", "王芳", root=tmp_path).get("reflection") is None
    # Zoe does not adopt Zoë's old folder "zoe", and an existing new folder is never replaced.
    _old_style_file(tmp_path, "zoe", "ego", "Zoë", "Zoë's")
    assert AnswerStore("ego", "Zoe", root=tmp_path).get("reflection") is None
    assert AnswerStore("ego", "Zoë", root=tmp_path).get("reflection") == "Zoë's"


# -- saving never lies (issue 12, "What was found" 3) -------------------------------------------


def _raiser(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission"),
        (errno.EIO, "disk reported an error"),
    ],
)
def test_a_failed_save_says_why_in_plain_words_and_keeps_the_answer(
    tmp_path, monkeypatch, code, words
) -> None:
    store = AnswerStore("ego", "Nour", root=tmp_path)
    store.set("a", 1)
    monkeypatch.setattr(answers.os, "replace", _raiser(code))
    with pytest.raises(answers.SaveError) as caught:
        store.set("b", 2)
    assert str(caught.value).startswith("Not saved: ") and words in str(caught.value)
    assert "Retry" in str(caught.value)
    assert store.unsaved == {"b": 2} and store.get("b") == 2
    monkeypatch.undo()
    store.flush()
    assert store.unsaved == {}
    assert AnswerStore("ego", "Nour", root=tmp_path).all() == {"a": 1, "b": 2}


def test_the_next_successful_save_writes_what_a_failed_one_kept(tmp_path, monkeypatch) -> None:
    store = AnswerStore("ego", "Omar", root=tmp_path)
    monkeypatch.setattr(answers.os, "replace", _raiser(errno.ENOSPC))
    with pytest.raises(answers.SaveError):
        store.set("first", "kept")
    with pytest.raises(answers.SaveError):
        store.delete("gone")
    monkeypatch.undo()
    store.set("second", "now")
    assert AnswerStore("ego", "Omar", root=tmp_path).all() == {"first": "kept", "second": "now"}


def test_a_student_folder_replaced_by_a_file_is_reported_not_saved(tmp_path) -> None:
    store = AnswerStore("ego", "Pia", root=tmp_path)
    store.set("a", 1)
    folder = store.path.parent
    shutil.rmtree(folder)
    folder.write_text("not a folder", encoding="utf-8")
    with pytest.raises(answers.SaveError) as caught:
        store.set("b", 2)
    assert "folder" in str(caught.value)
    assert store.unsaved == {"b": 2}
    folder.unlink()
    store.flush()
    assert AnswerStore("ego", "Pia", root=tmp_path).all() == {"a": 1, "b": 2}


@pytest.mark.parametrize("code", [errno.EACCES, errno.EIO])
def test_a_read_error_is_reported_and_the_file_is_not_moved_aside(
    tmp_path, monkeypatch, code
) -> None:
    good = AnswerStore("role", "Quinn", root=tmp_path)
    good.set("a", 1)
    before = good.path.read_bytes()
    real = Path.read_bytes

    def refuse(self, *args, **kwargs):
        if self.name == "role.json":
            raise OSError(code, os.strerror(code))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "read_text", _raiser(code))
    store = AnswerStore("role", "Quinn", root=tmp_path)
    assert len(store.problems) == 1 and "could not be opened" in store.problems[0]
    assert "corrupt" not in store.problems[0]
    assert not [p for p in good.path.parent.iterdir() if ".corrupt-" in p.name]
    with pytest.raises(answers.SaveError):  # never written over a file it could not read
        store.set("b", 2)
    monkeypatch.undo()
    assert good.path.read_bytes() == before
    store.flush()
    assert AnswerStore("role", "Quinn", root=tmp_path).all() == {"a": 1, "b": 2}


def test_kernels_opening_one_corrupt_file_at_once_move_it_aside_once(tmp_path) -> None:
    path = tmp_path / slugify("Rae") / "trust.json"
    path.parent.mkdir(parents=True)
    path.write_text("{ broken", encoding="utf-8")
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            start.wait()
            AnswerStore("trust", "Rae", root=tmp_path)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{ broken"


def test_a_lock_timeout_is_retried_then_reported(tmp_path, monkeypatch) -> None:
    store = AnswerStore("ego", "Sam", root=tmp_path)
    real = answers.FileLock.acquire
    attempts: list[int] = []

    def busy_twice(self, *args, **kwargs):
        attempts.append(1)
        if len(attempts) <= 2:
            raise answers.Timeout(self.lock_file)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(answers.FileLock, "acquire", busy_twice)
    store.set("a", 1)  # two timeouts, then the lock: saved
    assert len(attempts) == 3 and store.unsaved == {}

    def always_busy(self, *args, **kwargs):
        attempts.append(1)
        raise answers.Timeout(self.lock_file)

    attempts.clear()
    monkeypatch.setattr(answers.FileLock, "acquire", always_busy)
    with pytest.raises(answers.SaveError) as caught:
        store.set("b", 2)
    assert len(attempts) == 3
    assert "another window" in str(caught.value)
    monkeypatch.undo()
    store.flush()
    assert AnswerStore("ego", "Sam", root=tmp_path).all() == {"a": 1, "b": 2}


def test_export_hands_a_readable_copy_into_the_class_inbox(tmp_path: Path) -> None:
    # Issue 12: a hub class collects files from one folder the teacher's account can read.
    AnswerStore("ego", "Hana", root=tmp_path / "answers").set("reflection", "mine")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = export_submission("Hana", root=tmp_path / "answers", inbox=inbox)
    copy = inbox / path.name
    assert copy.read_bytes() == path.read_bytes()
    assert copy.stat().st_mode & 0o777 == 0o644
    assert path.stat().st_mode & 0o777 == 0o600  # the student's own copy stays private
    assert load_submission(copy)["student"] == "Hana"
    assert not [p for p in inbox.iterdir() if p.name.startswith(".")]  # no temp file left


def test_an_inbox_students_may_write_but_not_list_takes_the_copy(tmp_path, monkeypatch) -> None:
    # A class inbox of mode 1733: the folder cannot be opened for reading (to sync the rename).
    import errno as errno_

    from cmethics import answers

    AnswerStore("ego", "Hana", root=tmp_path / "answers").set("reflection", "mine")
    path = export_submission("Hana", root=tmp_path / "answers")
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    real_open = os.open

    def no_listing(file, flags, *args, **kwargs):
        if flags & os.O_DIRECTORY:
            raise PermissionError(errno_.EACCES, "Permission denied")
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(answers.os, "open", no_listing)
    copy = answers.hand_in(path, inbox)
    assert copy.read_bytes() == path.read_bytes()


# -- two tabs changing the same answer (issue 12, found 6) ----------------------------------------


def _file(store: AnswerStore) -> dict:
    return json.loads(store.path.read_text(encoding="utf-8"))


def test_the_same_answer_changed_in_two_tabs_keeps_both_versions(tmp_path: Path) -> None:
    lab = AnswerStore("ego", "Camille", root=tmp_path)
    voila = AnswerStore("ego", "Camille", root=tmp_path)  # opened before Lab saved anything
    lab.set("ego.reflection", "written in JupyterLab")
    voila.set("ego.reflection", "written in Voilà")
    on_disk = _file(voila)
    assert on_disk["answers"]["ego.reflection"] == "written in Voilà"
    # The text typed in the other tab is not lost, and the tab that replaced it is told.
    assert [(c["key"], c["value"]) for c in on_disk["conflicts"]] == [
        ("ego.reflection", "written in JupyterLab")
    ]
    (conflict,) = voila.take_conflicts()
    assert conflict.key == "ego.reflection" and conflict.other == "written in JupyterLab"
    assert conflict.other_saved == on_disk["conflicts"][0]["saved"]
    assert voila.take_conflicts() == [] and lab.take_conflicts() == []


def test_after_a_conflict_the_tab_is_in_step_and_saves_quietly(tmp_path: Path) -> None:
    lab = AnswerStore("ego", "Camille", root=tmp_path)
    voila = AnswerStore("ego", "Camille", root=tmp_path)
    lab.set("ego.reflection", "one")
    voila.set("ego.reflection", "two")
    voila.take_conflicts()
    voila.set("ego.reflection", "two, longer")
    voila.set("ego.reflection", "two, longer still")
    assert voila.take_conflicts() == []
    # The other tab, in turn, is told when it next writes over the newer text.
    lab.set("ego.reflection", "one, again")
    assert [c.other for c in lab.take_conflicts()] == ["two, longer still"]
    assert [c["value"] for c in _file(lab)["conflicts"]] == ["one", "two, longer still"]


def test_different_answers_in_two_tabs_are_no_conflict(tmp_path: Path) -> None:
    first = AnswerStore("ego", "Camille", root=tmp_path)
    second = AnswerStore("ego", "Camille", root=tmp_path)
    first.set("ego.reflection", "text")
    second.set("ego.prediction", {"je": 3})
    second.set("ego.reflection", "text")  # the same words: nothing to keep twice
    assert second.take_conflicts() == [] and "conflicts" not in _file(second)
    assert _file(second)["answers"] == {"ego.reflection": "text", "ego.prediction": {"je": 3}}


def test_clearing_an_answer_another_tab_changed_keeps_that_version(tmp_path: Path) -> None:
    first = AnswerStore("ego", "Camille", root=tmp_path)
    first.set("ego.reflection", "draft")
    second = AnswerStore("ego", "Camille", root=tmp_path)
    first.set("ego.reflection", "the final text")
    second.delete("ego.reflection")
    assert [c.other for c in second.take_conflicts()] == ["the final text"]
    assert "ego.reflection" not in _file(second)["answers"]
    assert _file(second)["conflicts"][0]["value"] == "the final text"


def test_replaced_versions_are_capped(tmp_path: Path) -> None:
    a = AnswerStore("ego", "Camille", root=tmp_path)
    b = AnswerStore("ego", "Camille", root=tmp_path)
    for i in range(answers.MAX_CONFLICTS_KEPT + 5):
        a.set("ego.reflection", f"a{i}")
        b.set("ego.reflection", f"b{i}")
    kept = _file(b)["conflicts"]
    assert len(kept) == answers.MAX_CONFLICTS_KEPT
    assert kept[-1]["value"] == f"a{answers.MAX_CONFLICTS_KEPT + 4}"


def test_a_conflict_found_by_a_failed_save_is_reported_by_the_save_that_succeeds(
    tmp_path: Path, monkeypatch
) -> None:
    a = AnswerStore("ego", "Camille", root=tmp_path)
    b = AnswerStore("ego", "Camille", root=tmp_path)
    a.set("ego.reflection", "from a")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(answers, "_atomic_write_json", full)
        with pytest.raises(answers.SaveError):
            b.set("ego.reflection", "from b")
    assert b.take_conflicts() == []
    b.flush()
    assert [c.other for c in b.take_conflicts()] == ["from a"]
    assert _file(b)["answers"]["ego.reflection"] == "from b"


def test_conflicts_stay_out_of_the_submission(tmp_path: Path) -> None:
    a = AnswerStore("ego", "Camille", root=tmp_path)
    b = AnswerStore("ego", "Camille", root=tmp_path)
    a.set("ego.reflection", "from a")
    b.set("ego.reflection", "from b")
    exported = load_submission(export_submission("Camille", root=tmp_path))
    assert exported["exercises"]["ego"]["answers"] == {"ego.reflection": "from b"}
    assert "conflicts" not in exported["exercises"]["ego"]

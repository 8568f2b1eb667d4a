"""Students' answers survive kernel restarts, crashes mid-write, corrupt files and two tabs."""

from __future__ import annotations

import json
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
    assert store.path == tmp_path / "class" / "bo" / "trust.json"
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
    path = tmp_path / "dana" / "expertise.json"
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
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("   ") == "student"
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
    broken = tmp_path / "hana" / "role.json"
    broken.write_text("{", encoding="utf-8")
    path = export_submission("Hana", root=tmp_path)
    assert path.parent == tmp_path / "exports" and path.name.startswith("cmethics-hana-")
    data = load_submission(path)
    assert data["student"] == "Hana"
    assert set(data["exercises"]) == {"ego", "trust"}
    assert data["exercises"]["ego"]["answers"]["reflection"] == "<script>alert(1)</script>"
    assert any(".corrupt-" in p.name for p in (tmp_path / "hana").iterdir())


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

"""The comment coder, driven like a student would: choose, code, move, restore, compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from html_safety import PAYLOADS, html_values, live_markup
from poison import Poison, hostile_rows

from cmethics import corpus, course
from cmethics.answers import slugify
from cmethics.widgets import CodingReflection, CommentCoder, Session, ThreadReader, esc
from cmethics.widgets.coder import compare_codings, normalize_coding, reference_records
from cmethics.widgets.reader import SensitiveComment

RATIONALE = "The words « je te cite » show that the comment engages the author."


def code(coder: CommentCoder, coding: dict[str, Any]) -> None:
    """Fill the form as a student would, control by control."""
    for category, radio in coder.single.items():
        if coding.get(category) is not None:
            radio.value = coding[category]
    for category, boxes in coder.multiple.items():
        for code_id, box in boxes.items():
            box.value = code_id in coding.get(category, [])
    coder.rationale.value = coding.get("rationale", RATIONALE)


def saved(root: Path, student: str = "ada", exercise: str = "capstone") -> dict[str, Any]:
    return json.loads((root / slugify(student) / f"{exercise}.json").read_text(encoding="utf-8"))[
        "answers"
    ]


COMPLETE = {
    "stance": "extends",
    "themes": ["role", "trust"],
    "addressed_to": "article_author",
    "ego_markers": ["none"],
    "rationale": RATIONALE,
}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("capstone", root=tmp_path, student="Ada", remember=False)


def test_the_student_chooses_one_of_five_threads_and_the_choice_is_saved(
    session: Session, tmp_path: Path
) -> None:
    coder = CommentCoder(session=session)
    labels = [label for label, _ in coder.thread.options]
    assert labels[0] == "Choose a thread…"
    assert len(labels) == 6
    assert any(label.startswith("004") and "(70 comments)" in label for label in labels)
    assert any(label.startswith("003") and "(5 comments)" in label for label in labels)
    assert coder.workspace.layout.display == "none"
    assert "Choose a thread" in coder.message.value
    coder.thread.value = "003"
    assert coder.workspace.layout.display is None
    assert saved(tmp_path) == {"coder_thread.article_id": "003"}
    assert coder.progress.value.count("0 of 5 coded") == 1


def test_the_coder_and_the_reflection_wait_for_a_name(tmp_path: Path) -> None:
    session = Session("capstone", root=tmp_path, remember=False)
    coder = CommentCoder(session=session)
    reflection = CodingReflection("disagreements", "Why?", session=session)
    assert coder.body.layout.display == "none" and "press Start" in coder.waiting.value
    assert reflection.text.disabled
    session.name.value = "Ada"
    session.start_button.click()
    assert coder.body.layout.display is None and coder.waiting.value == ""
    assert not reflection.text.disabled
    coder.thread.value = "003"
    assert saved(tmp_path) == {"coder_thread.article_id": "003"}


def test_every_change_is_saved_in_the_documented_format(session: Session, tmp_path: Path) -> None:
    coder = CommentCoder("004", session=session)
    assert coder.current.comment_id == "004-c001"
    coder.single["stance"].value = "extends"
    assert saved(tmp_path)["coder.004-c001"] == {
        "stance": "extends",
        "themes": [],
        "addressed_to": None,
        "ego_markers": [],
        "rationale": "",
    }
    assert "0 of 70 coded" in coder.progress.value
    assert "Addressed to: not coded yet" in coder.status.value
    code(coder, COMPLETE)
    assert saved(tmp_path)["coder.004-c001"] == COMPLETE
    assert course.codebook().check(saved(tmp_path)["coder.004-c001"]) == []
    assert "1 of 70 coded" in coder.progress.value
    assert "This comment is coded" in coder.status.value
    coder.rationale.value = RATIONALE + " More."
    assert saved(tmp_path)["coder.004-c001"]["rationale"].endswith("More.")


def test_none_is_exclusive_among_the_ego_markers(session: Session, tmp_path: Path) -> None:
    coder = CommentCoder("004", session=session)
    boxes = coder.multiple["ego_markers"]
    boxes["own_expertise"].value = True
    boxes["self_promotion"].value = True
    boxes["none"].value = True
    assert [c for c, b in boxes.items() if b.value] == ["none"]
    assert saved(tmp_path)["coder.004-c001"]["ego_markers"] == ["none"]
    boxes["recognition_seeking"].value = True
    assert [c for c, b in boxes.items() if b.value] == ["recognition_seeking"]
    assert saved(tmp_path)["coder.004-c001"]["ego_markers"] == ["recognition_seeking"]


def test_definitions_and_decision_rules_open_on_demand() -> None:
    coder = CommentCoder("004")
    book = course.codebook()
    for cat in book.categories:
        toggle, area = coder.help[cat.id], coder.help_text[cat.id]
        assert not toggle.value and area.value == ""  # closed until the student asks
        assert cat.label in toggle.tooltip
        toggle.value = True
        for c in book.category(cat.id).codes:
            assert esc(c.label) in area.value
            assert esc(c.definition) in area.value
            assert esc(c.decision_rule) in area.value
        toggle.value = False
        assert area.value == ""
    coder.help["stance"].value = True
    assert "not reproduced here" in coder.help_text["stance"].value  # withheld stays withheld


def test_previous_next_next_uncoded_and_go_to(session: Session) -> None:
    coder = CommentCoder("004", session=session)
    assert coder.previous_button.disabled
    assert coder.position.value.startswith("Comment 1 of 70")
    code(coder, COMPLETE)
    coder.next_button.click()
    assert coder.current.comment_id == "004-c019"  # reply order: c019 answers c001
    code(coder, COMPLETE)
    coder.next_button.click()
    code(coder, COMPLETE)
    coder.go_to_index(0)
    coder.next_uncoded_button.click()
    assert coder.index == 3
    assert "3 of 70 coded" in coder.progress.value
    assert coder.jump.value == coder.current.comment_id
    marks = [label[0] for label, _ in coder.jump.options]
    assert marks[:4] == ["✓", "✓", "✓", "○"]
    coder.jump.value = "004-c070"
    assert coder.current.comment_id == "004-c070"
    coder.previous_button.click()
    assert coder.index == coder.records.index(coder.current)
    coder.go_to_index(69)
    assert coder.next_button.disabled
    # Moving shows each comment's own saved codes, and saves nothing by itself.
    coder.go_to("004-c019")
    assert coder.form_coding() == COMPLETE
    coder.go_to("004-c002")
    assert coder.single["stance"].value is None and coder.rationale.value == ""


def test_the_whole_thread_can_be_read_beside_the_coder(session: Session) -> None:
    coder = CommentCoder(session=session)
    coder.thread.value = "000"
    assert coder.thread_reader_box.children == ()
    coder.read_thread.value = True
    (reader,) = coder.thread_reader_box.children
    assert isinstance(reader, ThreadReader) and reader.article_id == "000"
    coder.thread.value = "003"
    (reader,) = coder.thread_reader_box.children
    assert reader.article_id == "003"
    coder.read_thread.value = False
    assert coder.thread_reader_box.children == ()


def test_a_restarted_kernel_restores_the_thread_and_the_codes(
    session: Session, tmp_path: Path
) -> None:
    coder = CommentCoder(session=session)
    coder.thread.value = "000"
    code(coder, COMPLETE)
    first = coder.current.comment_id
    # A new kernel: new session, new coder on the same folder.
    again = Session("capstone", root=tmp_path, student="Ada", remember=False)
    restored = CommentCoder(session=again)
    assert restored.thread.value == "000"
    assert restored.codings[first] == COMPLETE
    assert restored.current.comment_id != first  # opens at the first uncoded comment
    assert "1 of 19 coded" in restored.progress.value
    restored.go_to(first)
    assert restored.form_coding() == COMPLETE
    # Restoring wrote nothing new.
    assert saved(tmp_path) == {"coder_thread.article_id": "000", f"coder.{first}": COMPLETE}


def test_switching_student_swaps_the_codes(session: Session) -> None:
    coder = CommentCoder("003", session=session)
    code(coder, COMPLETE)
    session.start("Bo")
    assert coder.codings == {}
    assert coder.single["stance"].value is None
    session.start("Ada")
    assert coder.codings["003-c001"] == COMPLETE


def test_a_corrupt_answers_file_is_reported_and_the_coder_starts_afresh(tmp_path: Path) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "capstone.json").write_text(
        '{"schema": "cmethics.ans', encoding="utf-8"
    )
    session = Session("capstone", root=tmp_path, student="Ada", remember=False)
    coder = CommentCoder("003", session=session)
    assert "could not be read" in " ".join(m.value for m in session.messages.children)
    assert list((tmp_path / slugify("Ada")).glob("capstone.corrupt-*.json"))
    code(coder, COMPLETE)
    assert saved(tmp_path)["coder.003-c001"] == COMPLETE


def test_hand_edited_codes_are_cleaned_not_fatal(tmp_path: Path) -> None:
    session = Session("capstone", root=tmp_path, student="Ada", remember=False)
    session.save("coder.003-c001", {"stance": "loves", "themes": "ego", "ego_markers": 3})
    session.save("coder.003-c003", ["not", "a", "mapping"])
    coder = CommentCoder("003", session=session)
    assert coder.codings["003-c001"]["stance"] is None
    assert coder.codings["003-c001"]["themes"] == ["ego"]
    assert coder.codings["003-c003"] == normalize_coding(None)
    assert normalize_coding({"themes": ["trust", "ego", "zzz"]})["themes"] == ["ego", "trust"]


def test_the_coder_reexports_the_coding_logic_and_reads_with_the_answer_format() -> None:
    from cmethics import answer_format, coding
    from cmethics.widgets import coder as module

    for name in ("compare_codings", "empty_coding", "normalize_coding", "reference_records"):
        assert getattr(module, name) is getattr(coding, name)
    for name in ("CategoryAgreement", "Comparison", "Difference"):
        assert getattr(module, name) is getattr(coding, name)
    hand_edited = {"stance": "loves", "themes": ("trust", "zzz")}
    assert normalize_coding(hand_edited) == answer_format.parse_coding(hand_edited).value


@pytest.mark.parametrize("saved_thread", [["003"], "999", 3])
def test_a_damaged_thread_choice_leaves_the_choice_open(tmp_path: Path, saved_thread: Any) -> None:
    session = Session("capstone", root=tmp_path, student="Ada", remember=False)
    session.save("coder_thread.article_id", saved_thread)  # a list used to raise TypeError
    coder = CommentCoder(session=session)
    assert coder.thread.value == "" and coder.article_id is None


def test_the_abusive_comment_is_behind_the_same_content_warning() -> None:
    secret = corpus.thread("003").set_index("comment_id").loc["003-c002", "text"]
    coder = CommentCoder("003")
    coder.go_to("003-c002")
    assert secret not in " ".join(html_values(coder))
    (placeholder,) = coder.card_box.children
    assert isinstance(placeholder, SensitiveComment)
    assert "Content warning" in placeholder.warning.value
    placeholder.show_button.click()
    assert secret.split()[0] in placeholder.content.value
    placeholder.show_button.click()
    coder.next_button.click()
    assert coder.card_box.children == (coder.card,)


def test_compare_shows_where_and_why_and_the_agreement_per_category(session: Session) -> None:
    key = course.reference_coding()
    coder = CommentCoder("004", session=session)
    coder.compare_button.click()
    assert "Code at least one comment completely" in coder.comparison.value
    # Comment 1: exactly the key. Comment 2: the key but for the stance and one extra theme.
    c1, c2 = coder.records[0].comment_id, coder.records[1].comment_id
    code(coder, key.answer(c1))
    coder.next_button.click()
    wrong = key.answer(c2)
    stances = [c for c in course.codebook().category("stance").code_ids if c != wrong["stance"]]
    extra = next(
        t for t in course.codebook().category("themes").code_ids if t not in wrong["themes"]
    )
    wrong = {**wrong, "stance": stances[0], "themes": [*wrong["themes"], extra]}
    code(coder, wrong)
    coder.compare_button.click()
    html = coder.comparison.value
    assert "2 of 70 comments compared (68 not yet fully coded, left out)" in html
    assert "<td>1 of 2</td><td>50%</td>" in html  # stance
    n_themes = len(key.answer(c2)["themes"])
    jaccard = (1 + n_themes / (n_themes + 1)) / 2
    assert f"<td>1 of 2</td><td>50%</td><td>{jaccard:.2f}</td>" in html  # themes
    assert "set equality" in html and "Jaccard" in html
    assert f"<strong>{c2}</strong>" in html and f"<strong>{c1}</strong>" not in html
    assert esc(key.record(c2).justification("stance")) in html
    assert "Why:" in coder.key_panel.value
    # The comparison follows later changes; fixing the codes removes the difference.
    code(coder, key.answer(c2))
    assert "<td>2 of 2</td><td>100%</td>" in coder.comparison.value
    assert "you agree with the key in every category" in coder.key_panel.value


def test_choosing_the_keys_alternative_is_recognised() -> None:
    key = course.reference_coding()
    record = next(
        r for r in key.thread("000") if r.confidence == "borderline" and r.alternative.stance
    )
    answer = {**record.answer(), "stance": record.alternative.stance}
    ids = [r.comment_id for r in key.thread("000")]
    result = compare_codings("000", {record.comment_id: answer}, reference_records("000"), ids)
    (difference,) = result.differences
    assert difference.category_id == "stance" and difference.borderline
    assert difference.matches_alternative
    coder = CommentCoder("000")
    coder.go_to(record.comment_id)
    code(coder, answer)
    coder.compare()
    assert "accepts your choice as the alternative" in coder.comparison.value


def test_agreement_figures_worked_out_by_hand() -> None:
    book = course.codebook()
    ids = ["003-c001", "003-c003"]
    key = reference_records("003")
    a = key["003-c001"].answer()
    b = key["003-c003"].answer()
    # Student: same as the key on c001; on c003, different addressee and one of two themes.
    b_student = {
        **b,
        "addressed_to": next(x for x in ("no_one", "other_member") if x != b["addressed_to"]),
    }
    b_student["themes"] = ["ego", "role"] if b["themes"] != ["ego", "role"] else ["ego"]
    result = compare_codings("003", {ids[0]: a, ids[1]: b_student}, key, ids, book)
    shares = {x.category_id: (x.agreeing, x.compared) for x in result.agreements}
    assert shares["stance"] == (2, 2)
    assert shares["addressed_to"] == (1, 2)
    assert shares["ego_markers"] == (2, 2)
    themes = next(x for x in result.agreements if x.category_id == "themes")
    expected = set(b["themes"]), set(b_student["themes"])
    union = expected[0] | expected[1]
    j = len(expected[0] & expected[1]) / len(union) if union else 1.0
    assert themes.mean_jaccard == pytest.approx((1.0 + j) / 2)


def test_a_missing_key_is_explained_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise course.CourseDataError("missing course data file: reference_coding.yaml")

    monkeypatch.setattr(course, "reference_coding", broken)
    coder = CommentCoder("003")
    code(coder, COMPLETE)
    coder.compare_button.click()
    assert "tell your teacher" in coder.comparison.value
    assert "Traceback" not in coder.comparison.value


def test_corpus_text_and_student_answers_are_escaped(poison: Poison, session: Session) -> None:
    poison(corpus, "thread", edit=hostile_rows)
    coder = CommentCoder("003", session=session, pseudonymize=False)
    for i in range(3):
        coder.go_to_index(i)
        code(coder, {**COMPLETE, "rationale": " ".join(PAYLOADS) + " because of the words"})
        coder.show_parent.value = True
    coder.read_thread.value = True
    (reader,) = coder.thread_reader_box.children
    for placeholder in [*coder._placeholders.values(), *reader._placeholders.values()]:
        placeholder.show_button.click()
    coder.compare_button.click()
    values = html_values(coder)
    assert any("&lt;script&gt;" in v for v in values)
    assert not [live_markup(v) for v in values if live_markup(v)]
    # The rationale is kept as typed (it is plain text, in a Textarea).
    assert saved(session.root)["coder.003-c001"]["rationale"].startswith(PAYLOADS[0])


def test_a_preview_without_session_saves_nothing(tmp_path: Path) -> None:
    coder = CommentCoder("002", session=None)
    code(coder, COMPLETE)
    assert "1 of 15 coded" in coder.progress.value
    assert not list(tmp_path.rglob("*.json"))


def test_the_reflection_is_saved_as_typed_and_restored(session: Session, tmp_path: Path) -> None:
    box = CodingReflection("disagreements", "Where did you disagree?", session=session)
    box.text.value = "I disagreed on 004-c005 because <b>irony</b>."
    assert saved(tmp_path)["reflection.disagreements"].endswith("<b>irony</b>.")
    assert box.count.value == "6 words"
    again = Session("capstone", root=tmp_path, student="Ada", remember=False)
    assert CodingReflection("disagreements", "?", session=again).text.value.endswith("</b>.")
    assert "<b>" not in box.prompt.value or "&lt;b&gt;" in box.prompt.value


def test_compare_shows_a_busy_sign_while_it_compares(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 12: the first comparison took 0.55 s in JupyterLab, with no sign of work.
    coder = CommentCoder("003", session=session)
    seen = []
    real = coder._render_comparison

    def render() -> None:
        seen.append((coder.compare_button.description, coder.compare_button.disabled))
        real()

    monkeypatch.setattr(coder, "_render_comparison", render)
    coder.compare_button.click()
    assert seen == [("Comparing…", True)]
    assert coder.compare_button.description == "Compare with the reference coding"
    assert not coder.compare_button.disabled

"""The role-definition comparer, driven like a student would: values set, buttons clicked."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
import pytest
from poison import Poison, cycled
from widget_support import EVIL, all_html, live_markup_problems

from cmethics import course
from cmethics.answers import slugify
from cmethics.widgets import RoleComparer, Session
from cmethics.widgets import roles as roles_module


def saved(root: Path, student: str = "ada") -> dict:
    return json.loads((root / slugify(student) / "role.json").read_text(encoding="utf-8"))[
        "answers"
    ]


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("role", root=tmp_path, student="Ada", remember=False)


def test_every_definition_of_the_sources_and_references_is_offered() -> None:
    comparer = RoleComparer()
    assert len(comparer.items) == 32
    assert [i.role_id for i in comparer.items[:28]] == list(course.role_definitions()["role_id"])
    assert {i.role_id for i in comparer.items[28:]} == {
        r.id for r in course.professional_references()
    }
    assert len(RoleComparer(include_references=False).items) == 28
    assert "0 of 32 placed" in comparer.progress.value


def test_the_card_shows_the_quote_as_printed_and_our_gloss_labelled_as_ours() -> None:
    comparer = RoleComparer()
    comparer.go_to("connecteur")
    item = comparer.current
    card = comparer.card.value
    assert "<blockquote lang='fr'" in card
    assert roles_module.esc(item.text) in card
    assert "Our English gloss:" in card and roles_module.esc(item.gloss) in card
    assert "comment 003-c004" in card
    # A commenter appears under a pseudonym until the student asks for names.
    comparer.go_to("animateur_de_paroles")
    assert "Commenter 02" in comparer.card.value
    assert "Benoît Faverial" not in comparer.card.value
    comparer.show_names.value = True
    assert "Benoît Faverial" in comparer.card.value
    # Our notes name commenters too: pseudonymised as well.
    comparer.show_names.value = False
    comparer.go_to("go_de_la_marque")
    assert "BRAHIMI" not in comparer.card.value
    comparer.go_to("acm_code_of_ethics")
    assert "Our paraphrase:" in comparer.card.value
    assert "today\u2019s professional reference" in comparer.card.value


def test_each_change_saves_the_documented_answer_and_progress_counts_it(
    session: Session, tmp_path: Path
) -> None:
    comparer = RoleComparer(session)
    first = comparer.current.role_id
    comparer.serves.value = 0.5
    assert saved(tmp_path)[f"roles.{first}"] == {
        "serves": 0.5,
        "works_by": 0.0,
        "justification": "",
    }
    comparer.works_by.value = -0.3
    comparer.justification.value = "It serves the brand's value."
    answer = saved(tmp_path)[f"roles.{first}"]
    assert answer == {
        "serves": 0.5,
        "works_by": -0.3,
        "justification": "It serves the brand's value.",
    }
    assert set(answer) == {"serves", "works_by", "justification"}
    assert "1 of 32 placed" in comparer.progress.value
    assert "1 with a justification" in comparer.progress.value
    # Navigating shows the next definition's own (empty) fields without saving anything.
    comparer.next_button.click()
    assert comparer.serves.value == 0.0 and comparer.justification.value == ""
    assert len(saved(tmp_path)) == 1
    assert "Not placed yet" in comparer.placement_status.value
    # "Place it here" keeps the neutral point.
    comparer.place_button.click()
    assert saved(tmp_path)[f"roles.{comparer.current.role_id}"]["serves"] == 0.0
    assert "2 of 32 placed" in comparer.progress.value
    comparer.previous_button.click()
    assert comparer.current.role_id == first
    assert comparer.serves.value == 0.5 and comparer.works_by.value == -0.3


def test_float_steps_are_saved_rounded_and_out_of_range_values_are_clamped(
    session: Session, tmp_path: Path
) -> None:
    comparer = RoleComparer(session)
    comparer.serves.value = 0.1 + 0.2  # 0.30000000000000004
    comparer.works_by.value = 7  # the bounded field clamps to 1
    answer = saved(tmp_path)[f"roles.{comparer.current.role_id}"]
    assert answer["serves"] == 0.3 and answer["works_by"] == 1.0


def test_filter_next_unplaced_and_jump(session: Session) -> None:
    comparer = RoleComparer(session)
    comparer.source_filter.value = "000"
    assert {i.article_id for i in comparer._visible} == {"000"}
    assert comparer.current.article_id == "000"
    comparer.serves.value = 0.2
    comparer.next_unplaced_button.click()
    assert comparer.current.role_id != comparer.placed[0]
    assert "of 4 in this selection" in comparer.progress.value
    comparer.source_filter.value = "reference"
    assert [i.kind for i in comparer._visible] == ["reference"] * 4
    comparer.jump.value = "cscce_skills_wheel"
    assert comparer.current.role_id == "cscce_skills_wheel"
    assert comparer.next_button.disabled
    # Placing all of a selection: "Next not placed" says so instead of moving.
    for role_id in ("acm_code_of_ethics", "arpp_certificat_cm", "rncp_community_manager"):
        comparer.jump.value = role_id
        comparer.place_button.click()
    comparer.jump.value = "cscce_skills_wheel"
    comparer.place_button.click()
    comparer.next_unplaced_button.click()
    assert "Every definition shown here is placed" in comparer.placement_status.value


def test_the_map_draws_placements_and_compares_with_the_sources(session: Session) -> None:
    comparer = RoleComparer(session)
    comparer.draw_button.click()
    assert "Place at least one definition" in comparer.map_view.value
    comparer.go_to("manager_de_communaute")  # the source: serves -1.0, works by -0.8
    comparer.serves.value = 0.9
    comparer.works_by.value = 0.9
    comparer.justification.value = "I disagree <b>strongly</b>"
    comparer.go_to("connecteur")  # the source: 0.0, 0.4
    comparer.serves.value = 0.1
    comparer.works_by.value = 0.4
    comparer.draw_button.click()
    html = comparer.map_view.value
    assert html.startswith('<img src="data:image/png;base64,')
    assert "2. manager de communauté internet: serves +0.9, works by +0.9" in html
    assert comparer.differences.value == ""
    comparer.compare_box.value = True
    html = comparer.map_view.value
    assert "Arrows to the sources&#x27; own stances" in html
    assert "you +0.9, +0.9; source -1.0, -0.8" in html
    table = comparer.differences.value
    # Biggest difference first, with the source's justification and the student's, escaped.
    assert table.index("manager de communauté internet") < table.index("connecteur")
    assert "au service exclusif" in table
    assert "I disagree &lt;b&gt;strongly&lt;/b&gt;" in table
    # A change after drawing marks the map as out of date.
    comparer.serves.value = 0.8
    assert comparer.draw_button.description == "Update my map"


def test_restore_after_a_kernel_restart(tmp_path: Path) -> None:
    session = Session("role", root=tmp_path, student="Ada", remember=False)
    comparer = RoleComparer(session)
    comparer.go_to("trust_manager")
    comparer.serves.value = -0.4
    comparer.justification.value = "brand first"
    comparer.draw_button.click()
    # A new kernel: a new session and a new comparer on the same folder.
    again = RoleComparer(Session("role", root=tmp_path, student="Ada", remember=False))
    assert again.placement("trust_manager") == {
        "serves": -0.4,
        "works_by": 0.0,
        "justification": "brand first",
    }
    assert "1 of 32 placed" in again.progress.value
    again.go_to("trust_manager")
    assert again.serves.value == -0.4 and again.justification.value == "brand first"


def test_a_hand_edited_answer_is_ignored_not_crashed_on(tmp_path: Path) -> None:
    folder = tmp_path / "ada"
    folder.mkdir()
    answers = {
        "roles.connecteur": {"serves": "a lot", "works_by": 0.2, "justification": 3},
        "roles.trust_manager": {"serves": 0.2, "works_by": 0.3, "justification": None},
        "roles.sophiste": [1, 2],
        "roles.marketer": {"serves": 5, "works_by": 0},
    }
    (folder / "role.json").write_text(
        json.dumps(
            {
                "schema": "cmethics.answers/1",
                "exercise": "role",
                "student": "Ada",
                "created": "2026-01-01T00:00:00+00:00",
                "updated": "2026-01-01T00:00:00+00:00",
                "answers": answers,
            }
        ),
        encoding="utf-8",
    )
    comparer = RoleComparer(Session("role", root=tmp_path, student="Ada", remember=False))
    assert comparer.placed == ["trust_manager"]
    assert comparer.placement("trust_manager")["justification"] == ""


def test_a_corrupt_answers_file_is_reported_and_the_comparer_starts_afresh(
    tmp_path: Path,
) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "role.json").write_text("{not json", encoding="utf-8")
    session = Session("role", root=tmp_path, student="Ada", remember=False)
    comparer = RoleComparer(session)
    assert "could not be read" in all_html(session.bar)
    assert comparer.placed == []
    comparer.serves.value = 0.4
    assert list(saved(tmp_path)) == [f"roles.{comparer.items[0].role_id}"]
    assert list((tmp_path / slugify("Ada")).glob("role.corrupt-*.json"))


def test_export_from_the_comparer(session: Session, tmp_path: Path) -> None:
    comparer = RoleComparer(session)
    comparer.serves.value = 0.3
    comparer.export_button.click()
    exports = list((tmp_path / "exports").glob("*.json"))
    assert len(exports) == 1
    # The download link itself, next to the button the student pressed (issue 12).
    assert "<a download=" in comparer.export_status.value
    assert comparer.export_status.value == comparer.session.download.value
    assert RoleComparer().export_button.disabled  # a preview has no one to export for


def test_preview_without_session_saves_nothing_and_has_no_slider(tmp_path: Path) -> None:
    comparer = RoleComparer()
    comparer.serves.value = 0.7
    comparer.justification.value = "x"
    assert not any(tmp_path.rglob("*.json"))
    assert "1 of 32 placed" in comparer.progress.value

    def sliders(widget: widgets.Widget) -> int:
        own = isinstance(widget, widgets.FloatSlider)
        return own + sum(sliders(c) for c in getattr(widget, "children", ()))

    assert sliders(comparer) == 0
    live = RoleComparer(sliders=True)
    assert sliders(live) == 2
    live.serves_slider.value = -0.6  # dragging the slider moves the labelled field
    assert live.serves.value == -0.6
    assert live.placement(live.current.role_id)["serves"] == -0.6


def test_untrusted_text_never_becomes_live_markup(poison: Poison, tmp_path: Path) -> None:
    columns = ("quote", "gloss", "label", "serves_justification", "note")
    poison(course, "role_definitions", speaker=EVIL[0], **{c: cycled(f" {c}") for c in columns})
    session = Session("role", root=tmp_path, student=EVIL[1], remember=False)
    comparer = RoleComparer(session, sliders=True)
    comparer.show_names.value = True
    for index in range(len(comparer.items)):
        comparer.go(index)
        comparer.serves.value = -0.5 if index % 2 else 0.5
        comparer.justification.value = " ".join(EVIL)
        problems = live_markup_problems(all_html(comparer))
        assert not problems, problems
    comparer.compare_box.value = True
    comparer.draw_button.click()
    html = all_html(comparer) + all_html(session.bar)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not live_markup_problems(html)
    # The map's alt text is escaped too.
    assert "<img src=x" not in comparer.map_view.value


def test_sources_map_states_every_point_in_its_alt_text() -> None:
    html = roles_module.sources_map_html()
    assert html.startswith('<img src="data:image/png;base64,')
    points = course.role_map_points()
    for row in points.itertuples():
        assert f"serves {row.serves:+.1f}, works by {row.works_by:+.1f}" in html
    assert "Key:" in html
    assert not live_markup_problems(html)


def test_the_role_data_and_the_map_stay_importable_from_the_widget_module() -> None:
    # The book and older notebooks import them from cmethics.widgets.roles.
    from cmethics import role_items
    from cmethics.widgets import role_map

    for name in ("ATTITUDES", "RoleItem", "load_role_items"):
        assert getattr(roles_module, name) is getattr(role_items, name)
    for name in ("map_alt_text", "map_key_html", "role_map_figure", "sources_map_html"):
        assert getattr(roles_module, name) is getattr(role_map, name)
    assert set(roles_module.__all__) >= {"RoleComparer", *role_items.__all__, *role_map.__all__}


def test_drawing_shows_a_busy_sign_then_says_update_my_map(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    comparer = RoleComparer(session)
    comparer.go_to("connecteur")
    comparer.place_button.click()
    seen = []
    real = roles_module.role_map_figure

    def figure(*args, **kwargs):
        seen.append((comparer.draw_button.description, comparer.draw_button.disabled))
        return real(*args, **kwargs)

    monkeypatch.setattr(roles_module, "role_map_figure", figure)
    comparer.draw_button.click()
    assert seen == [("Drawing…", True)]
    # What the action set on its own button stays: the map can now be updated.
    assert comparer.draw_button.description == "Update my map"
    assert not comparer.draw_button.disabled


def test_the_justification_box_fits_inside_the_comparer(session: Session) -> None:
    # Issue 12: width 100% plus ipywidgets' 2 px margins scrolled each lab sideways by 4 px.
    comparer = RoleComparer(session)
    assert comparer.justification.layout.width == "auto"
    assert comparer.justification.layout.align_self == "stretch"

"""The ego lab, driven like a student would: predict, record, compute, reflect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from poison import Poison, cycled
from widget_support import EVIL, all_html, live_markup_problems

from cmethics import corpus, text
from cmethics.answers import slugify
from cmethics.widgets import EgoLab, Session
from cmethics.widgets import ego as ego_module


def saved(root: Path, student: str = "ada") -> dict:
    return json.loads((root / slugify(student) / "ego.json").read_text(encoding="utf-8"))["answers"]


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("ego", root=tmp_path, student="Ada", remember=False)


def test_the_claim_is_quoted_verbatim_with_our_translation() -> None:
    assert corpus.is_verbatim(ego_module.CLAIM_FRENCH, "000")
    assert "valoriser le « vous » et non le « nous »" in ego_module.CLAIM_FRENCH
    html = EgoLab().claim.value
    assert "<blockquote lang='fr'" in html and "Our translation:" in html


def test_speakers_of_000_are_offered_under_pseudonyms_with_a_names_toggle() -> None:
    lab = EgoLab()
    values = [value for _label, value in lab.subject.options]
    assert values[:3] == ["body", "author", "commenters"]
    comments = corpus.comments()
    commenters = comments[(comments["article_id"] == "000") & ~comments["is_article_author"]]
    assert set(values[3:]) == set(commenters["speaker_id"])
    labels = " ".join(label for label, _value in lab.subject.options)
    assert "Ronan Boussicaud" in labels  # the article's author keeps his name
    assert "Commenter 02" in labels and "Benoît Faverial" not in labels
    lab.show_names.value = True
    labels = " ".join(label for label, _value in lab.subject.options)
    assert "Benoît Faverial" in labels
    lab.thread.value = "004"
    assert len(lab.subject.options) > 20 and lab.subject.value == "body"


def test_profiles_add_up_to_what_pronoun_profile_counts_directly() -> None:
    comments = corpus.comments()
    for article_id, subject, rows in [
        ("000", "author", comments[(comments.article_id == "000") & comments.is_article_author]),
        (
            "004",
            "commenters",
            comments[(comments.article_id == "004") & ~comments.is_article_author],
        ),
        ("000", "s003", comments[comments.speaker_id == "s003"]),
    ]:
        direct = text.pronoun_profile(rows[["comment_id", "text"]]).iloc[0]
        mine = ego_module.profile(article_id, subject)
        assert mine["n_words"] == direct["n_words"]
        for key in ("i", "we", "you", "you_vous"):
            assert mine[key] == pytest.approx(direct[f"{key}_per_100"], abs=0.01)
    paragraphs = corpus.paragraphs()
    body = paragraphs[paragraphs.article_id == "000"][["paragraph_id", "text"]]
    assert (
        ego_module.profile("000", "body")["n_words"]
        == text.pronoun_profile(body).iloc[0]["n_words"]
    )


def test_predict_then_compute_then_reflect(session: Session, tmp_path: Path) -> None:
    lab = EgoLab(session)
    lab.subject.value = "author"
    # Computing before predicting is refused with an explanation.
    lab.compute_button.click()
    assert "First type your three predictions" in lab.status.value
    assert lab.result.value == ""
    lab.predictions["i"].value = 4
    lab.predictions["we"].value = 1.5
    assert saved(tmp_path)["ego.prediction.000.author"] == {"i": 4.0, "we": 1.5, "you": 0.0}
    lab.record_button.click()
    assert "Prediction recorded" in lab.status.value
    lab.compute_button.click()
    actual = ego_module.profile("000", "author")
    result = saved(tmp_path)["ego.result.000.author"]
    assert result["prediction"] == {"i": 4.0, "we": 1.5, "you": 0.0}
    assert result["actual"] == actual
    html = lab.result.value
    assert f"{actual['i']:.1f}" in html and "polite singular" in html
    assert 'alt="Bar chart for' in html
    assert f"I: predicted 4.0, actual {actual['i']:.1f}" in html
    # The prediction is now locked: the comparison stays honest.
    assert all(field.disabled for field in lab.predictions.values())
    lab.record_button.click()
    assert saved(tmp_path)["ego.result.000.author"]["prediction"]["i"] == 4.0
    lab.reflection.value = "The author says « je » more than « vous »."
    assert saved(tmp_path)["ego.reflection"] == "The author says « je » more than « vous »."
    # Another speaker starts unlocked and empty.
    lab.subject.value = "s003"
    assert not lab.predictions["i"].disabled and lab.predictions["i"].value == 0.0
    assert lab.result.value == ""


def test_zero_is_a_valid_prediction_once_recorded(session: Session, tmp_path: Path) -> None:
    lab = EgoLab(session)
    lab.record_button.click()
    lab.compute_button.click()
    assert saved(tmp_path)["ego.result.000.body"]["prediction"] == {"i": 0.0, "we": 0.0, "you": 0.0}


def test_a_small_sample_is_flagged(session: Session) -> None:
    lab = EgoLab(session)
    lab.subject.value = "s007"  # five words
    lab.record_button.click()
    lab.compute_button.click()
    assert "Only 5 words" in lab.result.value


def test_restore_after_a_kernel_restart(tmp_path: Path) -> None:
    lab = EgoLab(Session("ego", root=tmp_path, student="Ada", remember=False))
    lab.subject.value = "commenters"
    lab.predictions["you"].value = 2.5
    lab.record_button.click()
    lab.compute_button.click()
    lab.subject.value = "s002"
    lab.predictions["i"].value = 3
    lab.reflection.value = "notes"
    again = EgoLab(Session("ego", root=tmp_path, student="Ada", remember=False))
    assert again.reflection.value == "notes"
    again.subject.value = "commenters"
    assert again.predictions["you"].value == 2.5 and again.predictions["you"].disabled
    assert "Actual" in again.result.value
    again.subject.value = "s002"
    assert again.predictions["i"].value == 3 and not again.predictions["i"].disabled


def test_a_corrupt_or_hand_edited_file_does_not_break_the_lab(tmp_path: Path) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "ego.json").write_text("[]", encoding="utf-8")
    session = Session("ego", root=tmp_path, student="Ada", remember=False)
    lab = EgoLab(session)
    assert "could not be read" in all_html(session.bar)
    lab.predictions["i"].value = 1
    assert saved(tmp_path) == {"ego.prediction.000.body": {"i": 1.0, "we": 0.0, "you": 0.0}}
    store = session.store
    store.set("ego.prediction.000.author", {"i": "many"})
    store.set("ego.result.000.s002", "oops")
    store.set("ego.reflection", 42)
    again = EgoLab(Session("ego", root=tmp_path, student="Ada", remember=False))
    assert again.reflection.value == ""
    again.subject.value = "s002"
    assert not again.predictions["i"].disabled


def test_untrusted_text_never_becomes_live_markup(poison: Poison, tmp_path: Path) -> None:
    poison(corpus, "comments", speaker=cycled(), text=EVIL[1])
    session = Session("ego", root=tmp_path, student=EVIL[0], remember=False)
    lab = EgoLab(session, pseudonymize=False)
    for _label, value in lab.subject.options:
        lab.subject.value = value
        lab.record_button.click()
        lab.compute_button.click()
        lab.reflection.value = " ".join(EVIL)
        problems = live_markup_problems(all_html(lab) + all_html(session.bar))
        assert not problems, problems
    assert "&lt;script&gt;" in all_html(lab)


def test_compute_shows_a_busy_sign_while_it_counts_and_charts(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 12: a busy sign on actions over 300 ms (Compute took up to 0.26 s in JupyterLab).
    lab = EgoLab(session)
    lab.predictions["i"].value = 2
    lab.record_button.click()
    seen = []
    real = ego_module.profile

    def profile(*args):
        seen.append((lab.compute_button.description, lab.compute_button.disabled))
        return real(*args)

    monkeypatch.setattr(ego_module, "profile", profile)
    lab.compute_button.click()
    assert set(seen) == {("Computing…", True)}
    assert (lab.compute_button.description, lab.compute_button.disabled) == ("Compute", False)
    assert "Actual" in lab.result.value

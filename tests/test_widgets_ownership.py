"""The ownership lab, driven like a student would: forms and scopes chosen, sentences rewritten."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from poison import Poison
from widget_support import EVIL, all_html, live_markup_problems

from cmethics import corpus, text
from cmethics.answers import slugify
from cmethics.widgets import OwnershipLab, Session
from cmethics.widgets import ownership as ownership_module

esc = ownership_module.esc


def saved(root: Path, student: str = "ada") -> dict:
    return json.loads((root / slugify(student) / "ownership.json").read_text(encoding="utf-8"))[
        "answers"
    ]


def expected_count(determiners: set[str], article_id: str | None = None) -> int:
    """Count mentions straight from ``text.ownership_mentions()``, independently of the lab."""
    frame = text.ownership_mentions()
    keys = frame["determiner"].str.lower().str.lstrip(".,;:!?/()[]-")
    keep = keys.isin(determiners)
    if article_id is not None:
        keep &= frame["article_id"] == article_id
    return int(keep.sum())


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session("ownership", root=tmp_path, student="Ada", remember=False)


@pytest.fixture
def lab() -> OwnershipLab:
    # One lab per test: the tests set its form and scope, so a shared one made them depend on order.
    return OwnershipLab()


def test_ma_communaute_is_only_ever_quoted(lab: OwnershipLab) -> None:
    lab.form.value, lab.scope.value = "ma", "all"
    assert len(lab._selected) == expected_count({"ma"}) == 3
    assert all(m.quotation == "quoted" for m in lab._selected)
    assert "<strong>3</strong> matches for ma (my)" in lab.summary.value
    assert "0 used by the writer, 3 inside a quotation" in lab.summary.value
    assert lab.matches.value.count("inside a quotation: the writer reports these words") == 3
    # Two « ma communauté » in one sentence of 001: each card highlights its own.
    cards = lab.matches.value.split("<div style='border-left")[1:]
    assert "<mark" in cards[1] and "<mark" in cards[2]
    assert cards[1].index("<mark") < cards[2].index("<mark")


def test_forms_and_scopes_count_what_the_corpus_holds(lab: OwnershipLab) -> None:
    lab.form.value, lab.scope.value = "la", "004"
    assert len(lab._selected) == expected_count({"la", "ladite"}, "004")
    assert all(m.article_id == "004" for m in lab._selected)
    assert "source 004" in lab.summary.value
    lab.form.value, lab.scope.value = "possessive", "all"
    possessives = text.ownership_mentions()["determiner_class"].eq("possessive").sum()
    assert len(lab._selected) == possessives
    # Authors and commenters split the corpus between them.
    lab.form.value = "all"
    total = len(lab._selected)
    assert total == len(text.ownership_mentions())
    lab.scope.value = "authors"
    authors = len(lab._selected)
    lab.scope.value = "commenters"
    assert authors + len(lab._selected) == total
    assert all(m.group == "commenter" for m in lab._selected)


def test_a_form_nobody_uses_says_so(lab: OwnershipLab) -> None:
    lab.form.value, lab.scope.value = "notre", "all"
    assert lab._selected == []
    assert "No match for notre (our)" in lab.summary.value
    assert lab.matches.value == "" and lab.page_label.value == "No matches"
    assert lab.previous_button.disabled and lab.next_button.disabled


def test_every_sentence_is_verbatim_and_commenters_are_pseudonymised(lab: OwnershipLab) -> None:
    for mention in lab.mentions:
        assert corpus.is_verbatim(mention.sentence, mention.article_id), mention.sentence
        if mention.offset >= 0:
            shown = mention.sentence[mention.offset : mention.offset + len(mention.match)]
            assert shown == mention.match
        assert re.fullmatch(r"\d{3}-[pc]\d{3}-s\d{2}", mention.sentence_id)
    lab.form.value, lab.scope.value = "sa", "000"
    html = lab.matches.value
    assert "comment 000-c010" in html
    assert "Commenter 09" in html and "Xavier Foucaud" not in html
    assert "Ronan Boussicaud" in html  # article authors keep their names


def test_paging_through_many_matches(lab: OwnershipLab) -> None:
    lab.form.value, lab.scope.value = "la", "all"
    n = len(lab._selected)
    assert n > 2 * ownership_module.PAGE_SIZE
    assert lab.page_label.value == f"Matches 1\u20138 of {n}"
    assert lab.matches.value.count("<mark") == ownership_module.PAGE_SIZE
    lab.next_button.click()
    assert lab.page_label.value == f"Matches 9\u201316 of {n}"
    assert not lab.previous_button.disabled
    lab.previous_button.click()
    assert lab.previous_button.disabled
    lab.form.value = "ma"  # a new query starts on its first page
    assert lab.page_label.value == "Matches 1\u20133 of 3"


def test_the_chart_states_its_numbers_and_is_cached(lab: OwnershipLab) -> None:
    lab.scope.value = "all"
    chart = lab.chart.value
    assert chart.startswith('<img src="data:image/png;base64,')
    alt = re.search(r'alt="([^"]+)"', chart).group(1)
    rows = dict((label, (a, c)) for label, a, c in lab.counts("all"))
    assert rows["ma"] == (3, 0)
    assert rows["notre"] == (0, 0)
    assert sum(a + c for a, c in rows.values()) == len(lab.mentions)
    assert "ma: 3 by authors, 0 by commenters" in alt
    assert "notre: 0 by authors, 0 by commenters" in alt
    lab.scope.value = "commenters"
    assert lab.chart.value != chart
    lab.scope.value = "all"
    assert lab.chart.value is chart  # the cached image, not a new rendering


def test_the_three_sentences_to_rewrite_use_a_possessive(lab: OwnershipLab) -> None:
    assert len(lab.targets) == len(lab.rewrites) == 3
    for target, html in zip(lab.targets, lab.sentences, strict=True):
        assert target.determiner_class == "possessive"
        assert corpus.is_verbatim(target.sentence, target.article_id)
        assert esc(target.sentence) in html.value
        english = ownership_module._TRANSLATIONS.get(target.sentence)
        assert english and esc(english) in html.value and "Our translation:" in html.value
    assert "Commenter 09" in lab.sentences[1].value
    for french in ownership_module.TRANSLATIONS:
        assert corpus.is_verbatim(french), french


def test_rewrites_are_saved_with_their_sentence_id_and_restored(tmp_path: Path) -> None:
    first = OwnershipLab(Session("ownership", root=tmp_path, student="Ada", remember=False))
    first.rewrites[0].value = "Que puis-je faire d’utile pour les membres aujourd’hui ?"
    first.rewrites[2].value = "s’il trahit la confiance des membres"
    answers = saved(tmp_path)
    assert answers == {
        "ownership.rewrite_1": {
            "sentence_id": first.targets[0].sentence_id,
            "text": "Que puis-je faire d’utile pour les membres aujourd’hui ?",
        },
        "ownership.rewrite_3": {
            "sentence_id": first.targets[2].sentence_id,
            "text": "s’il trahit la confiance des membres",
        },
    }
    assert first.targets[0].sentence_id.startswith("000-p037-s")
    again = OwnershipLab(Session("ownership", root=tmp_path, student="Ada", remember=False))
    assert [area.value for area in again.rewrites] == [
        "Que puis-je faire d’utile pour les membres aujourd’hui ?",
        "",
        "s’il trahit la confiance des membres",
    ]


def test_the_self_check_is_a_hint_in_french_and_in_english(
    session: Session, tmp_path: Path
) -> None:
    lab = OwnershipLab(session)
    lab.check_buttons[0].click()
    assert "Write your rewrite first" in lab.hints[0].value
    lab.rewrites[0].value = "Que puis-je faire pour « ma » propre communauté ?"
    lab.check_buttons[0].click()
    assert "A possessive is still there" in lab.hints[0].value
    assert esc("ma » propre communauté") in lab.hints[0].value
    # A hint, never a block: the rewrite stays saved as written.
    assert saved(tmp_path)["ownership.rewrite_1"]["text"].startswith("Que puis-je")
    lab.rewrites[1].value = "Stepping back so that the members can talk to each other."
    assert lab.check(2) == []
    assert "No possessive left" in lab.hints[1].value
    lab.rewrites[2].value = "If the CM betrays their community, trust is lost."
    assert lab.check(3) == ["their community"]


@pytest.mark.parametrize(
    ("rewrite", "found"),
    [
        ("Je laisse souvent ma communauté gérer les trolls.", ["ma communauté"]),
        ("Je laisse la communauté gérer les trolls.", []),
        (
            "notre belle communauté et leurs communautés",
            ["notre belle communauté", "leurs communautés"],
        ),
        ("une idée de communauté, mon idée de communauté", []),
        ('gérer "sa" communauté', ['sa" communauté']),
        ("Our own community and the community", ["Our own community"]),
        ("   ", []),
    ],
)
def test_possessive_hints(rewrite: str, found: list[str]) -> None:
    assert ownership_module.possessive_hints(rewrite) == found


def test_a_corrupt_or_hand_edited_file_is_survived(tmp_path: Path) -> None:
    (tmp_path / slugify("Ada")).mkdir()
    (tmp_path / slugify("Ada") / "ownership.json").write_bytes(b"\xff\xfe garbage")
    session = Session("ownership", root=tmp_path, student="Ada", remember=False)
    OwnershipLab(session)
    assert "could not be read" in all_html(session.bar)
    session.store.update(
        {
            "ownership.rewrite_1": "just a string",
            "ownership.rewrite_2": {"sentence_id": "x", "text": ["not", "text"]},
            "ownership.rewrite_3": {"sentence_id": "000-c010-s04", "text": "kept"},
        }
    )
    again = OwnershipLab(Session("ownership", root=tmp_path, student="Ada", remember=False))
    assert [area.value for area in again.rewrites] == ["", "", "kept"]


def test_preview_without_session_saves_nothing(tmp_path: Path) -> None:
    lab = OwnershipLab()
    lab.form.value = "sa"
    lab.rewrites[0].value = "A preview."
    assert not any(tmp_path.rglob("*.json"))


def test_untrusted_text_never_becomes_live_markup(poison: Poison, tmp_path: Path) -> None:
    evil = " ".join(EVIL)
    poison(
        ownership_module,
        "load_mentions",
        edit=lambda mentions: tuple(
            dataclasses.replace(
                m,
                speaker=EVIL[1],
                sentence=f"{evil} {m.match} {evil}",
                offset=len(evil) + 1,
            )
            for m in mentions
        ),
    )
    session = Session("ownership", root=tmp_path, student=EVIL[0], remember=False)
    lab = OwnershipLab(session)
    lab.form.value = "all"
    lab.next_button.click()
    for area in lab.rewrites:
        area.value = f"{evil} ma communauté"
    lab.check(1)
    html = all_html(lab) + all_html(session.bar)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in lab.matches.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in lab.matches.value
    assert "A possessive is still there" in lab.hints[0].value
    assert not live_markup_problems(html), live_markup_problems(html)


def test_a_single_match_reads_match_1_of_1(lab: OwnershipLab) -> None:
    # Issue 12 (plural mistakes): "Matches 1–1 of 1".
    lab.form.value, lab.scope.value = "votre", "all"
    assert lab.page_label.value == "Match 1 of 1"
    assert "<strong>1</strong> match for" in lab.summary.value


@pytest.fixture
def cold_tokenizer(monkeypatch: pytest.MonkeyPatch):
    """As in a fresh kernel: spaCy not loaded yet, no background load started."""
    import threading

    monkeypatch.setattr(ownership_module, "_TOKENIZER_READY", threading.Event())
    monkeypatch.setattr(ownership_module, "_PRELOAD_STARTED", threading.Event())
    return monkeypatch


def test_a_check_that_waits_for_the_tokenizer_shows_a_busy_sign(
    lab: OwnershipLab, cold_tokenizer: pytest.MonkeyPatch
) -> None:
    # Issue 12: the first "Check my rewrite" took 6.5 s (spaCy loading) with the button as is.
    button = lab.check_buttons[0]
    seen = []

    def slow_load() -> None:
        seen.append((button.description, button.icon, button.disabled, lab.hints[0].value))
        ownership_module._TOKENIZER_READY.set()

    cold_tokenizer.setattr(ownership_module, "load_tokenizer", slow_load)
    lab.rewrites[0].value = "Que puis-je faire pour ma communauté ?"
    button.click()
    ((description, icon, disabled, hint),) = seen
    assert (description, icon, disabled) == ("Checking…", "spinner spin", True)
    assert "still loading" in hint
    assert (button.description, button.disabled) == ("Check my rewrite", False)
    assert "ma communauté" in lab.hints[0].value


def test_a_failed_check_gives_the_button_back(
    lab: OwnershipLab, cold_tokenizer: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise OSError("spaCy is missing")

    cold_tokenizer.setattr(ownership_module, "load_tokenizer", broken)
    lab.rewrites[1].value = "Une phrase."
    lab.check_buttons[1].click()
    assert "could not run" in lab.hints[1].value
    assert (lab.check_buttons[1].description, lab.check_buttons[1].disabled) == (
        "Check my rewrite",
        False,
    )


def test_a_lab_in_a_kernel_loads_the_tokenizer_in_the_background_once(
    cold_tokenizer: pytest.MonkeyPatch,
) -> None:
    import threading

    threads = []
    cold_tokenizer.setattr(
        ownership_module.text, "annotate", lambda s: threads.append(threading.current_thread())
    )
    OwnershipLab()  # outside a kernel (tests, the book): nothing is loaded ahead
    assert not ownership_module._PRELOAD_STARTED.is_set()
    cold_tokenizer.setattr(ownership_module, "_in_kernel", lambda: True)
    OwnershipLab()
    thread = OwnershipLab.preload_tokenizer()  # a second lab starts no second load
    assert thread is None
    deadline = 50
    while not ownership_module.tokenizer_ready() and deadline:
        threading.Event().wait(0.1)
        deadline -= 1
    assert ownership_module.tokenizer_ready()
    assert len(threads) == 1 and threads[0] is not threading.main_thread()

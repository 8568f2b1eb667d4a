"""Tests for the comment coder's instructor key (``data/course/reference_coding.yaml``).

The key is what students compare their coding with, so it is checked from several sides:
coverage of the corpus, validity against the codebook, fidelity of every quotation to the very
comment it codes, the abusive comment never being copied, and the addressees that the corpus
and the codebook together make certain. The file is also read directly with PyYAML, not only
through the loader, so that a field the loader does not expose is still checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import yaml
from conftest import edit_once

from cmethics import corpus, course
from cmethics._paths import course_dir

KEY_FILE = "reference_coding.yaml"
ABUSIVE = "003-c002"

# --------------------------------------------------------------------------- helpers


def _raw_key() -> dict[str, Any]:
    return yaml.safe_load((course_dir() / KEY_FILE).read_text(encoding="utf-8"))


def _strings(node: Any) -> Iterator[str]:
    """Every string value in a nested YAML structure."""
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _guillemet_spans(text: str) -> list[str]:
    """Outermost « … » spans of a string; fails on unbalanced guillemets."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "«":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == "»":
            assert depth > 0, f"closing » without opening «: {text[:80]!r}"
            depth -= 1
            if depth == 0:
                spans.append(text[start:i])
    assert depth == 0, f"unclosed «: {text[:80]!r}"
    return spans


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    return corpus.comments()


@pytest.fixture(scope="module")
def key() -> course.ReferenceCoding:
    return course.reference_coding()


@pytest.fixture(scope="module")
def raw_records() -> list[dict[str, Any]]:
    return _raw_key()["records"]


# --------------------------------------------------------------------------- coverage


def test_one_record_per_comment_in_page_order(key, comments):
    ordered = comments.sort_values(["article_id", "position"])
    assert [r.comment_id for r in key.records] == list(ordered["comment_id"])
    by_id = comments.set_index("comment_id")
    for rec in key.records:
        assert rec.article_id == by_id.loc[rec.comment_id, "article_id"], rec.comment_id
    counts = {a: len(key.thread(a)) for a in ("000", "001", "002", "003", "004")}
    assert counts == {"000": 19, "001": 2, "002": 15, "003": 5, "004": 70}


def test_the_key_was_coded_against_the_current_codebook(key):
    # A changed definition bumps the codebook's version: the key must then be reviewed.
    assert key.codebook_version == course.codebook().version


# --------------------------------------------------------------------------- codes


def test_every_record_passes_the_codebook_check_in_the_answer_format(key):
    book = course.codebook()
    for rec in key.records:
        answer = key.answer(rec.comment_id)
        assert set(answer) == {"stance", "themes", "addressed_to", "ego_markers", "rationale"}
        assert isinstance(answer["themes"], list) and isinstance(answer["ego_markers"], list)
        assert book.check(answer) == [], rec.comment_id
        for cat in course.REFERENCE_CATEGORIES:
            chosen = answer[cat] if isinstance(answer[cat], list) else [answer[cat]]
            assert set(chosen) <= set(book.category(cat).code_ids), (rec.comment_id, cat)


def test_the_key_codes_every_codebook_example_with_its_code(key):
    # The codebook illustrates each code with a comment; a key that coded that comment
    # otherwise would contradict the codebook students read beside it.
    for cat in course.codebook().categories:
        for code in cat.codes:
            chosen = key.record(code.example.comment_id).codes()[cat.id]
            chosen = chosen if isinstance(chosen, list) else [chosen]
            assert code.id in chosen, (cat.id, code.id, code.example.comment_id)


def test_borderline_records_give_a_different_valid_alternative(key):
    book = course.codebook()
    borderline = [r for r in key.records if r.confidence == "borderline"]
    assert borderline, "a key with no borderline call hides the codebook's hard cases"
    for rec in key.records:
        alt = rec.alternative_codes()
        if rec.confidence == "clear":
            assert alt == {}, rec.comment_id
            continue
        assert alt, rec.comment_id
        assert book.check({**rec.answer(), **alt}) == [], rec.comment_id
        assert any(rec.codes()[cat] != value for cat, value in alt.items()), rec.comment_id


def test_every_justification_and_note_is_written(raw_records):
    for rec in raw_records:
        for cat in course.REFERENCE_CATEGORIES:
            text = rec[cat]["justification"]
            assert isinstance(text, str) and len(text.strip()) >= 20, (rec["comment_id"], cat)
        assert len(rec["note"].strip()) >= course.codebook().rationale.min_chars
        assert rec["confidence"] in ("clear", "borderline")


# --------------------------------------------------------------------------- fidelity


def test_every_guillemet_span_is_verbatim_in_its_own_comment(raw_records, comments):
    texts = dict(zip(comments["comment_id"], comments["text"], strict=True))
    problems, n_spans = [], 0
    for rec in raw_records:
        cid, aid = rec["comment_id"], rec["article_id"]
        own = corpus.normalize_ws(texts[cid])
        for value in _strings(rec):
            for span in _guillemet_spans(value):
                n_spans += 1
                if not corpus.is_verbatim(span, aid):
                    problems.append(f"{cid}: « {span[:60]} » is not on page {aid}")
                elif corpus.normalize_ws(span) not in own:
                    problems.append(f"{cid}: « {span[:60]} » is not in {cid}")
    assert not problems, "\n".join(problems)
    assert n_spans > len(raw_records), "justifications should quote their comments"


def test_no_guillemets_outside_the_records():
    # The header is prose about all the threads: no quotation can be tied to one comment there.
    data = _raw_key()
    for field in ("title", "description"):
        assert not _guillemet_spans(data[field]), field


def test_every_quote_is_verbatim_in_its_comment(key, comments):
    texts = dict(zip(comments["comment_id"], comments["text"], strict=True))
    for rec in key.records:
        if rec.comment_id == ABUSIVE:
            continue
        assert rec.quote is not None and not rec.withheld, rec.comment_id
        assert corpus.is_verbatim(rec.quote, rec.article_id), rec.comment_id
        assert corpus.normalize_ws(rec.quote) in corpus.normalize_ws(texts[rec.comment_id])


def test_the_abusive_comment_is_coded_but_never_copied(key, comments):
    rec = key.record(ABUSIVE)
    assert rec.stance.code == "abusive"
    assert rec.quote is None and rec.withheld
    text = comments.set_index("comment_id").loc[ABUSIVE, "text"]
    words = corpus.normalize_ws(text).lower().split(" ")
    shingles = {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}
    assert shingles, "the comment is long enough to be checked"
    record_text = corpus.normalize_ws(" ".join(_strings(rec.model_dump()))).lower()
    assert not [s for s in shingles if s in record_text]
    # And no run of it anywhere else in the file either (a neighbour's note, a comment line).
    whole_file = corpus.normalize_ws((course_dir() / KEY_FILE).read_text(encoding="utf-8"))
    assert not [s for s in shingles if s in whole_file.lower()]


def test_only_the_abusive_comment_is_coded_abusive(key):
    assert [r.comment_id for r in key.records if r.stance.code == "abusive"] == [ABUSIVE]


# --------------------------------------------------------------------------- addressees


def _authors() -> dict[str, str]:
    """article_id -> speaker_id of the article's author (also for 003, who never comments)."""
    spk = corpus.speakers()
    rows = spk[spk["role"] == "article author"]
    return {
        a: sid
        for sid, ids in zip(rows["speaker_id"], rows["article_ids"], strict=True)
        for a in str(ids).split()
    }


def test_the_authors_replies_to_commenters_are_other_member(key, comments):
    # Codebook, addressed_to/other_member: "The article's author replying to a commenter is
    # coded here too." The corpus is certain that the author replies when it records a
    # reply_to, or an opening address naming someone (printed on the page or not).
    rows = comments[comments["is_article_author"]]
    replying = rows[rows["reply_to"].notna() | rows["addressee"].notna()]
    assert len(replying) >= 30
    for row in replying.itertuples():
        assert key.record(row.comment_id).addressed_to.code == "other_member", row.comment_id


def test_commenters_who_name_someone_are_coded_by_whom_they_name(key, comments):
    # Codebook, article_author: "by name, by @-address"; other_member: "If the comment names
    # or answers another commenter, code other_member". The corpus's addressee is the opening
    # address, so the name decides.
    author_of = _authors()
    rows = comments[~comments["is_article_author"] & comments["addressee"].notna()]
    assert len(rows) >= 8
    for row in rows.itertuples():
        # An addressee the page does not print (<NA> speaker) is not the author: the author's
        # name is printed or, for 003, resolved by the corpus from the greeting.
        sid = row.addressee_speaker_id
        names_author = pd.notna(sid) and sid == author_of[row.article_id]
        expected = "article_author" if names_author else "other_member"
        assert key.record(row.comment_id).addressed_to.code == expected, row.comment_id


def test_commenters_answering_a_recognised_comment_are_coded_by_whom_they_answer(key, comments):
    # Only replies the corpus recognised by an address or by their content: the codebook says
    # nesting is "a hint, not a proof", so nested-only replies are left to the wording.
    by_id = comments.set_index("comment_id")
    rows = comments[
        ~comments["is_article_author"] & comments["reply_basis"].isin(["address", "content"])
    ]
    assert len(rows) >= 10
    for row in rows.itertuples():
        answers_author = bool(by_id.loc[row.reply_to, "is_article_author"])
        expected = "article_author" if answers_author else "other_member"
        assert key.record(row.comment_id).addressed_to.code == expected, row.comment_id


# --------------------------------------------------------------------------- loader


def test_loader_lookups_and_frame(key):
    assert key.record("004-c005").stance.code == "disagrees"
    with pytest.raises(KeyError):
        key.record("004-c999")
    rec = key.record("000-c010")
    assert rec.justification("ego_markers")
    with pytest.raises(KeyError):
        rec.justification("mood")
    frame = key.frame()
    assert len(frame) == len(key.records) and frame["comment_id"].is_unique
    assert frame["stance"].dtype == "string"
    assert (
        frame.explode("themes")["themes"]
        .dropna()
        .isin(course.codebook().category("themes").code_ids)
        .all()
    )
    frame.loc[0, "stance"] = "changed"
    assert key.frame().loc[0, "stance"] != "changed"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      code: disagrees\n", "      code: disagreeing\n", r"004-c005: .*unknown code"),
        (
            "    confidence: clear\n    alternative: null\n",
            "    confidence: borderline\n    alternative: null\n",
            r"needs an alternative",
        ),
        ('  - comment_id: "000-c002"', '  - comment_id: "000-c001"', r"duplicate comment"),
        ("      codes: [own_expertise]\n", "      codes: [own_expertise, none]\n", "combined"),
    ],
)
def test_a_broken_key_raises_a_clear_error(scratch_course, old, new, message):
    edit_once(scratch_course / KEY_FILE, old, new)
    with pytest.raises(course.CourseDataError, match=message) as info:
        course.reference_coding()
    assert KEY_FILE in str(info.value)

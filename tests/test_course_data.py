"""Tests for the course's hand-made data (``data/course/``) and its loaders (``cmethics.course``).

Fidelity is checked against the sources through ``cmethics.corpus`` (``is_verbatim``,
``find_verbatim`` and the corpus tables), so that there is one definition of "verbatim" in the
project. The YAML files are also walked directly, independently of the loaders, so that a quote
the loaders would not expose is still checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import yaml
from conftest import edit_once

from cmethics import corpus, course
from cmethics._paths import course_dir

COURSE_FILES = sorted(course.FILES.values())

# --------------------------------------------------------------------------- helpers


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((course_dir() / name).read_text(encoding="utf-8"))


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Yield (path, key, value) for every mapping entry, depth first, with its parent."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", node, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def _quote_objects(name: str) -> list[tuple[str, dict[str, Any]]]:
    """Every mapping in a file that carries a ``quote`` string, with its path."""
    return [
        (path, parent)
        for path, parent, value in _walk(_load_yaml(name))
        if path.endswith(".quote") and isinstance(value, str)
    ]


def _guillemet_spans(text: str) -> list[str]:
    """Outermost « … » spans of a string; raises on unbalanced guillemets."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "«":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == "»":
            if depth == 0:
                raise AssertionError(f"closing » without opening «: {text[:80]!r}")
            depth -= 1
            if depth == 0:
                spans.append(text[start:i])
    if depth:
        raise AssertionError(f"unclosed «: {text[:80]!r}")
    return spans


def _norm(text: str) -> str:
    return corpus.normalize_ws(text)


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    return corpus.comments()


@pytest.fixture(scope="module")
def paragraphs() -> pd.DataFrame:
    return corpus.paragraphs()


def _article_rows(article_id: str, comments: pd.DataFrame, paragraphs: pd.DataFrame):
    """(id, kind, normalised text) for every paragraph and comment of one article."""
    rows = [
        (p.paragraph_id, "paragraph", _norm(p.text))
        for p in paragraphs[paragraphs["article_id"] == article_id].itertuples()
    ]
    rows += [
        (c.comment_id, "comment", _norm(c.text))
        for c in comments[comments["article_id"] == article_id].itertuples()
    ]
    return rows


# --------------------------------------------------------------------------- loading


ROLE_DEFINITION_COLUMNS = [
    "role_id", "label", "gloss", "quote", "anchor", "article_id", "comment_id", "speaker",
    "speaker_role", "speaker_attitude", "note", "serves", "serves_justification", "works_by",
    "works_by_justification",
]  # fmt: skip
ROLE_MAP_COLUMNS = [
    "point_id", "kind", "label", "article_id", "speaker", "serves", "serves_justification",
    "works_by", "works_by_justification",
]  # fmt: skip


#: Each loader and what its result must look like (types, columns, non-empty contents).
LOADER_SHAPES = [
    (
        course.codebook,
        lambda v: (
            [c.id for c in v.categories] == list(course.REFERENCE_CATEGORIES)
            and all(len(c.codes) >= 2 for c in v.categories)
        ),
    ),
    (course.role_axes, lambda v: v.serves.question and v.works_by.question),
    (
        course.role_definitions,
        lambda v: (
            list(v.columns) == ROLE_DEFINITION_COLUMNS and len(v) > 0 and v["role_id"].is_unique
        ),
    ),
    (
        course.role_map_points,
        lambda v: (
            list(v.columns) == ROLE_MAP_COLUMNS
            and set(v["kind"]) == {"source", "reference"}
            and v["point_id"].is_unique
        ),
    ),
    (
        course.professional_references,
        lambda v: v and all(isinstance(r, course.ProfessionalReference) for r in v),
    ),
    (
        course.expertise_typology,
        lambda v: v and all(isinstance(t, course.ExpertiseType) for t in v),
    ),
    (
        course.expertise_items,
        lambda v: v and all(isinstance(i, course.ExpertiseItem) for i in v),
    ),
    (
        course.moderation_case,
        lambda v: isinstance(v, course.ModerationCase) and len(v.options) >= 2,
    ),
    (
        course.trust_scenario,
        lambda v: isinstance(v, course.TrustScenario) and v.nodes and v.endings,
    ),
]


@pytest.mark.parametrize(
    ("loader", "check"), LOADER_SHAPES, ids=[loader.__name__ for loader, _ in LOADER_SHAPES]
)
def test_every_loader_returns_its_documented_shape(loader, check):
    assert check(loader()), loader.__name__


def test_files_and_readme_are_in_place():
    names = {p.name for p in course_dir().iterdir()}
    assert set(COURSE_FILES) <= names
    readme = (course_dir() / "README.md").read_text(encoding="utf-8")
    for name in COURSE_FILES:
        assert f"`{name}`" in readme, f"README.md does not document {name}"
    assert readme.count("| field | type | description |") >= 6


# --------------------------------------------------------------------------- fidelity


@pytest.mark.parametrize("name", COURSE_FILES)
def test_every_quote_field_is_verbatim_and_from_its_article(name):
    objects = _quote_objects(name)
    problems = []
    for path, obj in objects:
        quote = obj["quote"]
        if not corpus.is_verbatim(quote):
            problems.append(f"{path}: not verbatim: {quote[:70]!r}")
            continue
        recorded = obj.get("article_id")
        if recorded is None or not corpus.is_verbatim(quote, recorded):
            found = corpus.find_verbatim(quote)
            problems.append(f"{path}: recorded {recorded!r}, found in {found!r}")
    assert not problems, "\n".join(problems)
    if name not in ("professional_references.yaml",):
        assert objects, f"{name} should quote the sources"


@pytest.mark.parametrize("name", COURSE_FILES)
def test_every_guillemet_span_in_prose_is_verbatim(name):
    problems = []
    for path, _parent, value in _walk(_load_yaml(name)):
        if isinstance(value, str):
            for span in _guillemet_spans(value):
                if not corpus.is_verbatim(span):
                    problems.append(f"{path}: « {span[:70]} » is not verbatim")
    assert not problems, "\n".join(problems)


def test_professional_references_quote_nothing_from_the_sources():
    # They are paraphrases of today's texts: no quote fields, no « » quotations.
    data = _load_yaml("professional_references.yaml")
    for path, _parent, value in _walk(data):
        assert not path.endswith(".quote"), path
        if isinstance(value, str):
            assert not _guillemet_spans(value), path


def test_quotes_with_a_comment_id_are_in_that_comment_with_its_printed_speaker(comments):
    by_id = comments.set_index("comment_id")
    problems = []
    for name in COURSE_FILES:
        for path, obj in _quote_objects(name):
            cid = obj.get("comment_id")
            if cid is None:
                continue
            if cid not in by_id.index:
                problems.append(f"{name}{path}: no comment {cid}")
                continue
            row = by_id.loc[cid]
            if _norm(obj["quote"]) not in _norm(row["text"]):
                problems.append(f"{name}{path}: quote is not in {cid}")
            speaker = obj.get("speaker")
            printed = row["speaker"] if isinstance(row["speaker"], str) else ""
            if speaker == "unsigned" and printed:
                problems.append(f"{name}{path}: {cid} is signed {printed!r}, not unsigned")
            elif speaker not in (None, "unsigned") and speaker != printed:
                problems.append(f"{name}{path}: {cid} is signed {printed!r}, not {speaker!r}")
    assert not problems, "\n".join(problems)


def test_quotes_without_a_comment_id_are_in_the_article_body(paragraphs):
    problems = []
    for name in COURSE_FILES:
        for path, obj in _quote_objects(name):
            if obj.get("comment_id") is not None or "comment_id" not in obj:
                continue
            body = paragraphs[paragraphs["article_id"] == obj["article_id"]]
            if not any(_norm(obj["quote"]) in _norm(t) for t in body["text"]):
                problems.append(f"{name}{path}: not in one paragraph of {obj['article_id']}")
    assert not problems, "\n".join(problems)


def test_the_abusive_comment_is_not_copied_into_course_data(comments):
    abusive = comments.set_index("comment_id").loc["003-c002", "text"]
    words = _norm(abusive).split(" ")
    # Any run of five consecutive words of the comment would be a copy.
    shingles = {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}
    for name in COURSE_FILES:
        text = _norm((course_dir() / name).read_text(encoding="utf-8"))
        assert not any(s in text for s in shingles), f"{name} copies the abusive comment"


# --------------------------------------------------------------------------- codebook


def test_codebook_has_the_required_categories_and_codes():
    book = course.codebook()
    assert book.version
    assert book.category("stance").code_ids == (
        "agrees",
        "extends",
        "nuances",
        "disagrees",
        "off_topic",
        "abusive",
    )
    assert set(book.category("themes").code_ids) == {
        "ego",
        "ownership",
        "expertise",
        "role",
        "trust",
    }
    assert book.category("themes").multiple
    assert set(book.category("addressed_to").code_ids) == {
        "article_author",
        "other_member",
        "no_one",
    }
    ego = book.category("ego_markers")
    assert "none" in ego.code_ids and ego.exclusive == ("none",)
    assert 3 <= len(ego.code_ids) <= 5, "a small closed set"
    for cat in book.categories:
        for code in cat.codes:
            assert code.definition and code.decision_rule and code.example.why
            assert code.example.quote or code.example.withheld


def test_codebook_example_ids_exist(comments):
    known = set(comments["comment_id"])
    book = course.codebook()
    for cat in book.categories:
        for code in cat.codes:
            assert code.example.comment_id in known, (cat.id, code.id)


def test_codebook_check_reports_problems_and_accepts_a_complete_coding():
    book = course.codebook()
    complete = {
        "stance": "nuances",
        "themes": ["role", "trust"],
        "addressed_to": "article_author",
        "ego_markers": ["none"],
        "rationale": "« deux trois nuances » announces reservations.",
    }
    assert book.check(complete) == []
    assert book.check({**complete, "themes": []}) == []  # no theme is allowed
    problems = book.check(
        {"stance": ["agrees", "disagrees"], "ego_markers": ["none", "self_promotion"]}
    )
    text = " ".join(problems)
    assert "only one" in text and "Addressed to" in text and "Rationale" in text
    assert "cannot be combined" in text
    assert book.check({**complete, "stance": "shouting"}) == [
        "Stance toward the article: unknown code(s) shouting."
    ]


# --------------------------------------------------------------------------- role definitions


def test_at_least_twelve_role_definitions_with_stances():
    roles = course.role_definitions()
    assert len(roles) >= 12
    assert roles["role_id"].is_unique
    for axis in ("serves", "works_by"):
        assert roles[axis].between(-1.0, 1.0).all(), axis
        assert roles[f"{axis}_justification"].str.strip().str.len().gt(20).all(), axis
    assert set(roles["speaker_role"]) <= {"article_author", "commenter"}
    assert roles["speaker"].str.len().gt(0).all()
    # The list, as the sources spell it.
    labels = set(roles["label"])
    for expected in [
        "community manager",
        "animateur de communauté",
        "initiateur de réseau",
        "conciliateur d’intérêts",
        "connecteur",
        "trust manager",
        "community leader",
        "animateur de paroles",
        "sophistes",
        "marchand de discours",
        "modérateur ou hotliner",
        "GO de la marque",
        'porte parole du "régime" de l\'enseigne',
    ]:
        assert expected in labels, expected


def test_role_labels_and_anchors_are_verbatim_in_their_article(comments, paragraphs):
    problems = []
    for role in course.role_definitions().itertuples():
        rows = _article_rows(role.article_id, comments, paragraphs)
        if not corpus.is_verbatim(role.label, role.article_id):
            problems.append(f"{role.role_id}: label not verbatim in {role.article_id}")
        hits = [(i, k) for i, k, t in rows if _norm(role.anchor) in t]
        if len(hits) != 1:
            problems.append(f"{role.role_id}: anchor matches {len(hits)} rows: {hits}")
            continue
        row_id, kind = hits[0]
        expected_kind = "paragraph" if pd.isna(role.comment_id) else "comment"
        if kind != expected_kind or (kind == "comment" and row_id != role.comment_id):
            problems.append(f"{role.role_id}: anchor resolves to {row_id}, not {role.comment_id}")
    assert not problems, "\n".join(problems)


def test_role_map_points_add_todays_references():
    points = course.role_map_points()
    refs = course.professional_references()
    assert (points["kind"] == "reference").sum() == len(refs)
    assert points["point_id"].is_unique
    assert points[["serves", "works_by"]].abs().le(1.0).all().all()


def test_role_definitions_returns_a_fresh_copy():
    first = course.role_definitions()
    first.loc[0, "serves"] = 99.0
    assert course.role_definitions().loc[0, "serves"] != 99.0


# --------------------------------------------------------------------------- references


def test_professional_references_cover_the_four_and_state_their_principles():
    refs = {r.id: r for r in course.professional_references()}
    assert set(refs) >= {
        "acm_code_of_ethics",
        "arpp_certificat_cm",
        "rncp_community_manager",
        "cscce_skills_wheel",
    }
    for ref in refs.values():
        assert ref.url.startswith("https://")
        assert -1 <= ref.stance.serves.value <= 1 and -1 <= ref.stance.works_by.value <= 1
        assert ref.stance.serves.justification and ref.stance.works_by.justification
        assert ref.principles.moderation and ref.principles.disclosure
        assert ref.principles.whom_served and ref.verification.checked
    assert course.professional_reference("cscce_skills_wheel").year == 2021


# --------------------------------------------------------------------------- expertise


def test_expertise_typology_and_items():
    types = {t.id: t for t in course.expertise_typology()}
    assert set(types) == {
        "consultant_specialiste",
        "homme_de_l_ombre",
        "expert",
        "gourou",
        "stagiaire",
    }
    assert types["stagiaire"].in_passing and not types["expert"].in_passing
    items = course.expertise_items()
    assert 10 <= len(items) <= 14
    assert len({i.id for i in items}) == len(items)
    kinds = {i.kind for i in items}
    assert kinds == {"quote", "fictional_profile"}
    for item in items:
        assert set(item.expected) <= set(types), item.id
        assert item.feedback.article_id == "002", "feedback quotes the article's definition"
        if len(item.expected) > 1:
            assert item.ambiguity, item.id
    for t in types.values():
        assert corpus.is_verbatim(t.label), t.label


def test_expertise_quote_items_are_verbatim_from_their_comment(comments):
    by_id = comments.set_index("comment_id")
    for item in course.expertise_items():
        if item.kind != "quote":
            assert item.text.startswith("Fictional profile.")
            continue
        assert corpus.is_verbatim(item.text, item.article_id), item.id
        assert _norm(item.text) in _norm(by_id.loc[item.comment_id, "text"]), item.id


# --------------------------------------------------------------------------- moderation case


def test_moderation_case_points_to_the_second_comment_of_003(comments):
    case = course.moderation_case()
    assert case.comment.comment_id == "003-c002"
    thread = comments[comments["article_id"] == "003"].sort_values("position")
    assert list(thread["comment_id"])[case.comment.position - 1] == "003-c002"
    # The next comment is the one that says it tries not to read it.
    assert "commentaire stupide précédent" in thread.iloc[2]["text"]


def test_moderation_case_options_and_references():
    case = course.moderation_case()
    assert 5 <= len(case.options) <= 7
    known = {r.id for r in course.professional_references()}
    for opt in case.options:
        assert opt.consequences and opt.arguments_from_sources, opt.id
        assert {a.reference_id for a in opt.arguments_from_references} <= known, opt.id
    warning = case.content_warning
    assert warning.opt_out_label and warning.opt_out_text and warning.show_label
    assert len(case.rubric.criteria) >= 3


# --------------------------------------------------------------------------- trust scenario


def test_trust_scenario_graph_has_no_dead_ends_and_every_node_is_reachable():
    sc = course.trust_scenario()
    assert 6 <= len(sc.nodes) <= 10
    node_ids = {n.id for n in sc.nodes}
    ending_ids = {e.id for e in sc.endings}
    assert len(ending_ids) >= 3
    assert {e.outcome for e in sc.endings} >= {"good", "bad"}
    # Walk the graph here rather than trusting the loader's own check.
    seen, todo = {sc.start}, [sc.start]
    while todo:
        current = todo.pop()
        if current in ending_ids:
            continue
        node = sc.node(current)
        assert 2 <= len(node.choices) <= 4, current
        for choice in node.choices:
            assert choice.leads_to in node_ids | ending_ids, (current, choice.id)
            assert choice.arguments, (current, choice.id)
            if choice.leads_to not in seen:
                seen.add(choice.leads_to)
                todo.append(choice.leads_to)
    assert seen == node_ids | ending_ids


# --------------------------------------------------------------------------- malformed files


@pytest.mark.parametrize(
    ("file", "old", "new", "loader", "message"),
    [
        (
            "role_definitions.yaml",
            "value: -0.9",
            "value: -1.5",
            course.role_definitions,
            r"roles\.0\.stance\.serves\.value",
        ),
        (
            "role_definitions.yaml",
            "    gloss: >-\n      The community manager in the commonly",
            "    glos: >-\n      The community manager in the commonly",
            course.role_definitions,
            r"roles\.0\.(gloss|glos)",
        ),
        (
            "trust_scenario.yaml",
            "leads_to: silence",
            "leads_to: nowhere",
            course.trust_scenario,
            r"unknown 'nowhere'",
        ),
        (
            "expertise.yaml",
            "expected: [homme_de_l_ombre]",
            "expected: [influencer]",
            course.expertise_items,
            r"unknown type",
        ),
        (
            "moderation_case.yaml",
            "reference_id: rncp_community_manager",
            "reference_id: no_such_code",
            course.moderation_case,
            r"unknown reference 'no_such_code'",
        ),
        (
            "codebook.yaml",
            "  - id: stance\n",
            "  - id: stance\n    : [\n",
            course.codebook,
            r"not valid YAML",
        ),
    ],
)
def test_malformed_files_raise_a_clear_error(scratch_course, file, old, new, loader, message):
    edit_once(scratch_course / file, old, new)
    with pytest.raises(course.CourseDataError, match=message) as info:
        loader()
    assert file in str(info.value)


def test_a_missing_file_is_reported(scratch_course):
    (scratch_course / "codebook.yaml").unlink()
    with pytest.raises(course.CourseDataError, match="missing course data file"):
        course.codebook()


def test_an_unreachable_scenario_node_is_reported(scratch_course):
    edit_once(
        scratch_course / "trust_scenario.yaml",
        "leads_to: open_plan",
        "leads_to: end_trust",
    )
    with pytest.raises(course.CourseDataError, match=r"unreachable.*open_plan"):
        course.trust_scenario()


def test_an_edited_file_is_reread(scratch_course):
    assert course.codebook().version == "1.0.0"
    edit_once(scratch_course / "codebook.yaml", 'version: "1.0.0"', 'version: "1.0.1"')
    assert course.codebook().version == "1.0.1"


def test_readme_quotations_rule_matches_the_tests():
    # The README promises that « » spans are verbatim; keep the rule visible to editors.
    readme = (course_dir() / "README.md").read_text(encoding="utf-8")
    assert re.search(r"every span between\s+« and »", readme)


def test_locate_resolves_every_role_to_its_corpus_row():
    roles = course.role_definitions(resolve_ids=True)
    assert roles["source_id"].notna().all()
    with_comment = roles[roles["comment_id"].notna()]
    assert (with_comment["source_id"] == with_comment["comment_id"]).all()
    body = roles[roles["comment_id"].isna()]
    assert body["source_id"].str.contains(r"^00\d-p\d+$", regex=True).all()
    assert course.locate("003", "texte qui n'existe nulle part") is None


def test_article_body_speakers_are_the_authors_the_pages_name():
    authors = dict(zip(corpus.articles()["article_id"], corpus.articles()["author"], strict=True))
    named = {"000", "002", "004"}  # pages that print their author's name somewhere
    problems = []
    for name in COURSE_FILES:
        for path, obj in _quote_objects(name):
            if obj.get("comment_id") is not None or "speaker" not in obj:
                continue
            aid, speaker = obj["article_id"], obj["speaker"]
            expected = authors[aid] if aid in named else "unsigned"
            if speaker != expected:
                problems.append(f"{name}{path}: speaker {speaker!r}, expected {expected!r}")
    assert not problems, "\n".join(problems)

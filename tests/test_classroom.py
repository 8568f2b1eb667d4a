"""The class report on a hand-made class whose agreement was worked out by hand.

The fixture (``tests/fixtures/class/``, see its README) has four students who coded thread 003.
Nobody coded 003-c005; Dan coded only 003-c001; Ada's earlier export (every stance "agrees",
and 003-c005 coded) must be ignored in favour of her latest.

Stance codes (N nuances, Ab abusive, D disagrees, E extends, Ag agrees)::

               c001  c002  c003  c004
    Ada         N     Ab    D     Ag
    Bert        N     Ab    E     E
    Chloé       N     Ab    D     E
    Dan         N     .     .     .

Krippendorff's α, nominal, all four coders (Krippendorff 2019, ch. 12)
    Coincidences, each unit u weighing 1/(m_u - 1) per ordered pair of values:
    c001 (4 × N): o_NN += 4·3/3 = 4;  c002 (3 × Ab): o_AbAb += 3·2/2 = 3;
    c003 (D, E, D): o_DE = o_ED = 1, o_DD = 1;  c004 (Ag, E, E): o_AgE = o_EAg = 1, o_EE = 1.
    n = 13 pairable values; n_N = 4, n_Ab = 3, n_D = 2, n_E = 3, n_Ag = 1.
    D_o = (o_DE + o_ED + o_AgE + o_EAg) / n = 4/13.
    D_e = (n² - Σ n_c²) / (n(n - 1)) = (169 - (16 + 9 + 4 + 9 + 1)) / 156 = 130/156 = 5/6.
    α = 1 - D_o / D_e = 1 - (4/13)(6/5) = 1 - 24/65 = 41/65 = 0.631.

Fleiss' κ needs every coder on every comment: the complete block is Ada, Bert, Chloé × c001..c004
(Dan misses 3 of 4 comments and is dropped; c005 has no code at all).
    Per comment P_i = (Σ_j n_ij² - n) / (n(n - 1)), n = 3:
    c001 (3 N) 1;  c002 (3 Ab) 1;  c003 (2 D, 1 E) (4 + 1 - 3)/6 = 1/3;  c004 (1 Ag, 2 E) 1/3.
    P̄ = (1 + 1 + 1/3 + 1/3) / 4 = 2/3.
    p_j over the 12 codes: N 3, Ab 3, D 2, E 3, Ag 1 → P̄_e = (9 + 9 + 4 + 9 + 1)/144 = 2/9.
    κ = (P̄ - P̄_e) / (1 - P̄_e) = (4/9) / (7/9) = 4/7 = 0.571.

Theme "role" as a present (1) / absent (0) decision (Ada c004 has role + trust, Chloé c001 has
expertise + role, Chloé c004 trust only)::

               c001  c002  c003  c004
    Ada         1     0     1     1
    Bert        1     0     0     1
    Chloé       1     0     1     0
    Dan         1     .     .     .

    α: c001 o_11 += 4; c002 o_00 += 3; c003 and c004 (1, 0, 1): o_10 += 1, o_01 += 1, o_11 += 1
    each. n = 13, n_1 = 8, n_0 = 5. D_o = 4/13; D_e = 2·8·5/156 = 20/39;
    α = 1 - (4/13)(39/20) = 1 - 3/5 = 0.400.
    κ (Ada, Bert, Chloé × 4): P_i = 1, 1, 1/3, 1/3 → P̄ = 2/3; p_1 = 7/12, p_0 = 5/12 →
    P̄_e = (49 + 25)/144 = 37/72; κ = (48/72 - 37/72) / (35/72) = 11/35 = 0.314.

Agreement with the key (stance: c001 nuances, c002 abusive, c003 agrees (alternative extends),
c004 extends (alternative nuances)): 4 + 3 + 0 + 2 = 9 of 13 codings equal the key (0.692);
with the alternatives, Bert's "extends" on c003 also counts: 10 of 13 (0.769). Themes (key: no
theme except role on c004; a coding matches when its set equals the key's): Ada c002; Bert c002,
c003, c004; Chloé c002: 5 of 13 (0.385).

A second, separate case checks the two agreement functions alone: 3 coders × 4 units, codes
c001 (N, N, N), c002 (Ab, Ab, Ab), c003 (D, N, D), c004 (Ag, E, E). n = 12, n_N = 4, n_Ab = 3,
n_D = 2, n_E = 2, n_Ag = 1; D_o = 4/12; D_e = (144 - 34)/132 = 5/6; α = 1 - (1/3)(6/5) = 0.600.
P̄ = 2/3; P̄_e = 34/144 = 17/72; κ = (48/72 - 17/72)/(55/72) = 31/55 = 0.564.
"""

from __future__ import annotations

import json
import math
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from html_safety import PAYLOADS, live_markup

from cmethics import classroom, corpus
from cmethics.answers import load_submission

FIXTURE = Path(__file__).parent / "fixtures" / "class"
NAMES = ["Ada Example", "ada example", "Bert Example", "Chloé", "Dan Example"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The fixture's report, written outside the fixture, and the fixture's digest around it."""
    before = classroom.folder_digest(FIXTURE)
    out = tmp_path_factory.mktemp("report")
    report, files = classroom.write_report(FIXTURE, out / "report.html", seed=0)
    after = classroom.folder_digest(FIXTURE)
    html = files.html.read_text(encoding="utf-8")
    return report, files, html, before, after


def row(frame: pd.DataFrame, **where: str) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


# --------------------------------------------------------------------------- hand figures


def test_agreement_functions_give_the_hand_figures_of_the_small_case() -> None:
    n, ab, d, ag, e = 0.0, 1.0, 2.0, 3.0, 4.0
    matrix = np.array([[n, ab, d, ag], [n, ab, n, e], [n, ab, d, e]])
    alpha, note = classroom.krippendorff_alpha(matrix)
    assert round(alpha, 3) == 0.600 and note == ""
    kappa, coders, units, note = classroom.fleiss_kappa(matrix)
    assert round(kappa, 3) == round(31 / 55, 3) == 0.564
    assert (coders, units, note) == (3, 4, "")


def test_stance_agreement_equals_the_hand_computation(built) -> None:
    report = built[0]
    stance = row(report.coder_agreement, article_id="003", category="stance")
    assert round(stance["alpha"], 3) == round(41 / 65, 3) == 0.631
    assert (stance["alpha_n_coders"], stance["alpha_n_units"], stance["alpha_n_values"]) == (
        4,
        4,
        13,
    )
    assert round(stance["kappa"], 3) == round(4 / 7, 3) == 0.571
    # κ rests on Ada, Bert and Chloé × the four comments: Dan is dropped, and the report says so.
    assert (stance["kappa_n_coders"], stance["kappa_n_units"]) == (3, 4)


def test_theme_role_agreement_equals_the_hand_computation(built) -> None:
    role = row(built[0].coder_agreement, article_id="003", category="themes", code="role")
    assert round(role["alpha"], 3) == 0.400
    assert round(role["kappa"], 3) == round(11 / 35, 3) == 0.314
    assert (role["kappa_n_coders"], role["kappa_n_units"]) == (3, 4)


def test_a_code_nobody_chose_has_no_alpha_and_says_why(built) -> None:
    ego = row(built[0].coder_agreement, article_id="003", category="themes", code="ego")
    assert math.isnan(ego["alpha"]) and math.isnan(ego["kappa"])
    assert "same code" in ego["note"]


def test_overall_rows_summarise_the_category_rows(built) -> None:
    frame = built[0].coder_agreement
    scope = frame[frame["article_id"] == "003"]
    categories = scope[scope["code"].isin(["", classroom.CODES_MEAN])]  # never the pooled rows
    assert list(categories["category"]) == ["stance", "themes", "addressed_to", "ego_markers"]
    mean = row(scope, category="overall", code=classroom.OVERALL_MEAN)
    lowest = row(scope, category="overall", code=classroom.OVERALL_LOWEST)
    assert mean["alpha"] == pytest.approx(categories["alpha"].mean())
    assert lowest["alpha"] == pytest.approx(categories["alpha"].min())
    # One thread only: "all threads" gives the same figures.
    everything = row(frame, article_id="all", category="stance")
    assert everything["alpha"] == pytest.approx(41 / 65)


def test_agreement_with_the_key_equals_the_hand_count(built) -> None:
    ref = built[0].coder_reference
    stance = row(ref, article_id="003", category="stance")
    assert (stance["n_codings"], stance["n_key"], stance["n_key_or_alternative"]) == (13, 9, 10)
    assert round(stance["share_key"], 3) == 0.692
    assert round(stance["share_key_or_alternative"], 3) == 0.769
    themes = row(ref, article_id="003", category="themes")
    assert (themes["n_key"], round(themes["share_key"], 3)) == (5, 0.385)


def test_code_distribution_counts_the_latest_export_only(built) -> None:
    dist = built[0].coder_distribution
    nuances = row(dist, comment_id="003-c001", category="stance", code="nuances")
    assert (nuances["n"], nuances["n_coders"], nuances["share"], nuances["in_key"]) == (
        4,
        4,
        1.0,
        True,
    )
    c003 = dist[(dist["comment_id"] == "003-c003") & (dist["category"] == "stance")]
    assert dict(zip(c003["code"], c003["n"], strict=True)) == {"extends": 1, "disagrees": 2}
    # Ada's earlier export coded 003-c005 and said "agrees" everywhere: none of it counts.
    assert "003-c005" not in set(dist["comment_id"])
    assert "agrees" in set(dist[dist["comment_id"] == "003-c004"]["code"])  # Ada's latest
    assert (dist[dist["code"] == "agrees"]["n"] == 1).all()
    # Bert chose no theme for 003-c003: a choice, counted as such and equal to the key.
    none = row(dist, comment_id="003-c003", category="themes", code=classroom.NONE_CHOSEN)
    assert (none["n"], none["in_key"]) == (1, True)


def test_role_positions_mean_sd_and_distance(built) -> None:
    roles = built[0].role_positions
    connecteur = row(roles, point_id="connecteur")
    # Ada 0.2/0.4, Bert 0.4/0.6, Chloé 0.6/0.8; Dan's serves = 3 is off the map and left out.
    assert connecteur["n"] == 3
    assert connecteur["serves_mean"] == pytest.approx(0.4)
    assert connecteur["works_by_mean"] == pytest.approx(0.6)
    assert connecteur["serves_sd"] == pytest.approx(0.2)
    assert connecteur["works_by_sd"] == pytest.approx(0.2)
    # The source places « connecteur » at (0.0, 0.4): distance sqrt(0.4² + 0.2²).
    assert connecteur["distance"] == pytest.approx(math.hypot(0.4, 0.2))
    sophiste = row(roles, point_id="sophiste")
    assert sophiste["n"] == 1 and math.isnan(sophiste["serves_sd"])
    assert len(roles) == 32 and (roles[roles["n"] == 0]["serves_mean"].isna()).all()


def test_other_answers_distribution_and_free_text(built) -> None:
    report = built[0]
    dist = report.answer_distribution
    delete = row(dist, key="moderation.choice", value="delete")
    assert (delete["n"], delete["n_students"], delete["share"]) == (3, 4, 0.75)
    opted = row(dist, key="moderation.feedback_seen", value="true")
    assert (opted["n"], opted["n_students"]) == (1, 3)
    texts = report.free_text
    assert set(texts.columns) == {"exercise", "key", "text"}  # no student column
    reflections = texts[texts["key"] == "reflection.disagreements"]["text"]
    assert len(reflections) == 2
    assert "Mostly the stance of the third comment." in set(reflections)


# --------------------------------------------------------------------------- bad input


def test_every_kind_of_bad_file_is_reported_and_skipped(built) -> None:
    report = built[0]
    kinds = dict(zip(report.problems["file"], report.problems["kind"], strict=True))
    assert kinds == {
        "bad/empty.json": "empty",
        "bad/latin1.json": "encoding",
        "bad/utf16.json": "encoding",
        "bad/malformed.json": "json",
        "bad/schema-v2.json": "schema_version",
        "bad/not-a-submission.json": "not_submission",
        "bad/role.json": "not_submission",
        "bad/bad-date.json": "bad_date",
        "ada/cmethics-ada-example-20260309T100000Z.json": "duplicate",
        "README.md": "ignored",
        "bad/notes.txt": "ignored",
    }
    assert report.n_submissions == 4 and report.n_files == 15
    reasons = dict(zip(report.problems["file"], report.problems["reason"], strict=True))
    assert "Export my work" in reasons["bad/role.json"]  # an exercise file, said plainly
    assert (
        "ada/cmethics-ada-example-20260310T100000Z.json"
        in reasons["ada/cmethics-ada-example-20260309T100000Z.json"]
    )


def test_answers_that_cannot_be_used_are_listed(built) -> None:
    problems = built[0].answer_problems
    listed = set(zip(problems["key"], problems["reason"], strict=True))
    assert listed == {
        ("roles.connecteur", "serves = 3 is outside [-1, 1]"),
        ("roles.not_a_role", "no such definition on the role map"),
        ("coder.001-c001", "stance: unknown code 'strongly_agrees'"),
        ("coder.009-c001", "no such comment in the corpus"),
    }
    assert "001" not in set(built[0].codings["article_id"])


def test_huge_files_and_markup_in_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    shutil.copytree(FIXTURE, folder)
    big = folder / "bad" / "huge.json"
    with big.open("wb") as handle:  # sparse: no 5 MB written to disk
        handle.truncate(classroom.MAX_FILE_BYTES + 1)
    evil = folder / "bad" / "<img src=x onerror=alert(1)>.json"
    evil.write_text("{", encoding="utf-8")
    before = classroom.folder_digest(folder)
    report, files = classroom.write_report(folder, tmp_path / "out" / "r.html", seed=1)
    assert classroom.folder_digest(folder) == before
    kinds = dict(zip(report.problems["file"], report.problems["kind"], strict=True))
    assert kinds["bad/huge.json"] == "too_large"
    assert kinds["bad/<img src=x onerror=alert(1)>.json"] == "json"
    html = files.html.read_text(encoding="utf-8")
    assert live_markup(html) == []
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in html
    # A smaller limit skips files that would otherwise be read.
    small = classroom.read_submissions(folder, max_bytes=200)
    assert small.submissions == []


def test_the_folder_is_never_modified(built, tmp_path: Path) -> None:
    report, _, _, before, after = built
    assert before == after
    with pytest.raises(ValueError, match="never modified"):
        report.write(FIXTURE / "report.html")
    with pytest.raises(ValueError, match="never modified"):
        report.write(tmp_path / "r.html", csv_dir=FIXTURE / "tables")
    assert classroom.folder_digest(FIXTURE) == before
    assert not (FIXTURE / "report.html").exists() and not (FIXTURE / "tables").exists()


def test_top_level_only_and_empty_folder(tmp_path: Path) -> None:
    top = classroom.read_submissions(FIXTURE, recursive=False)
    assert top.submissions == [] and [p.file for p in top.problems] == ["README.md"]
    empty = tmp_path / "empty"
    empty.mkdir()
    report, files = classroom.write_report(empty, tmp_path / "e.html")
    assert report.n_submissions == 0
    html = files.html.read_text(encoding="utf-8")
    assert "No comment codings in these submissions." in html
    with pytest.raises(NotADirectoryError):
        classroom.read_submissions(tmp_path / "missing")


# --------------------------------------------------------------------------- the HTML


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.external: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            linked = name in {"src", "href", "srcset", "action", "data"} and value
            if linked and value.startswith(("http:", "https:", "//", "ftp:", "file:")):
                self.external.append(value)
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def test_the_html_is_self_contained(built) -> None:
    html = built[2]
    found = _Resources()
    found.feed(html)
    assert found.external == []
    assert "script" not in found.tags and "link" not in found.tags and "iframe" not in found.tags
    assert "url(" not in found.style and "@import" not in found.style
    assert len(found.images) == 2  # the agreement chart and the role map
    for image in found.images:
        assert str(image["src"]).startswith("data:image/png;base64,")
        assert len(str(image["alt"])) > 80  # states the key numbers
    role_alt = next(str(i["alt"]) for i in found.images if "Role map" in str(i["alt"]))
    assert "connecteur" in role_alt and "+0.40" in role_alt  # the largest gap, with its numbers


def test_payloads_are_inert_and_names_absent(built) -> None:
    _, files, html, _, _ = built
    assert live_markup(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for payload in PAYLOADS[:2]:
        assert payload not in html
    assert 'href="javascript' not in html.lower()
    for name in NAMES:
        assert name not in html
    for path in files.csv.values():
        text = path.read_text(encoding="utf-8-sig")
        assert not any(name in text for name in NAMES), path.name


def test_the_abusive_comment_is_never_quoted(built) -> None:
    report, _, html, _, _ = built
    contested = {c["comment_id"]: c for c in report.contested}
    assert contested["003-c002"]["text"] == classroom.WITHHELD_TEXT
    assert classroom.WITHHELD_TEXT in html
    abusive = corpus.comments().set_index("comment_id").at["003-c002", "text"]
    words = [w for w in str(abusive).split() if len(w) > 4][:6]
    assert words and not any(f" {w} " in html for w in words)


def test_contested_comments_show_text_codes_and_anonymous_rationales(built) -> None:
    report, _, html, _, _ = built
    # Pairwise agreement of 003-c003: stance (D, E, D) 1/3; themes as sets ({role}, {},
    # {role}) 1/3; addressee (no one, author, no one) 1/3; ego markers ({self_promotion},
    # {none}, {self_promotion, own_expertise}) 0: mean 0.25, the lowest (003-c004: 5/12).
    first, second = report.contested[:2]
    assert first["comment_id"] == "003-c003"
    assert first["agreement"] == pytest.approx(0.25)
    assert second["comment_id"] == "003-c004"
    assert second["agreement"] == pytest.approx((1 / 3 + 0 + 1 / 3 + 1) / 4)
    assert first["n_rationales"] == 3
    assert sorted(r["stance"] for r in first["rationales"]) == ["Disagrees", "Disagrees", "Extends"]
    text = corpus.comments().set_index("comment_id").at["003-c003", "text"]
    assert str(text).split(".")[0].replace("’", "&#39;") in html or str(text)[:12] in html


# --------------------------------------------------------------------------- CSV


def _as_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def test_csv_exports_exist_and_match_the_tables(built) -> None:
    report, files, _, _, _ = built
    assert set(files.csv) == set(report.tables())
    for name, frame in report.tables().items():
        path = files.csv[name]
        assert path.parent == files.html.with_name("report_tables")
        read = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        expected = frame.map(classroom.report._csv_safe).map(_as_text)
        assert list(read.columns) == list(frame.columns), name
        assert read.to_numpy().tolist() == expected.to_numpy().tolist(), name


def test_csv_cells_cannot_run_as_spreadsheet_formulas(built) -> None:
    text = built[1].csv["free_text"].read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in text
    read = pd.read_csv(built[1].csv["free_text"], dtype=str, encoding="utf-8-sig")
    assert not read["text"].str.startswith(("=", "+", "-", "@")).any()


# --------------------------------------------------------------------------- demo and progress


def test_demo_class_is_realistic_and_reproducible(tmp_path: Path) -> None:
    files = classroom.demo_class(tmp_path / "a", n_students=6, seed=5)
    again = classroom.demo_class(tmp_path / "b", n_students=6, seed=5)
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]
    good = [f for f in files if "broken" not in f.parent.name and "earlier" not in f.name]
    assert len(good) == 6
    for path in good:
        data = load_submission(path)
        assert data["exercises"]["capstone"]["answers"]["coder.000-c001"]["stance"]
    report = classroom.build_report(tmp_path / "a", seed=0)
    assert report.n_submissions == 6
    assert set(report.problems["kind"]) == {
        "empty", "encoding", "json", "schema_version", "not_submission", "duplicate", "ignored",
    }  # fmt: skip
    assert set(report.codings["article_id"]) == {"000", "003"}
    assert report.role_positions["n"].max() <= 6
    assert all(p.is_relative_to(tmp_path / "a") for p in files)


def test_progress_bar_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    classroom.read_submissions(FIXTURE)  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    classroom.read_submissions(FIXTURE, progress=False)
    assert capsys.readouterr().err == ""
    classroom.read_submissions(FIXTURE, progress=True)
    assert "Reading exports" in capsys.readouterr().err


def test_the_fixture_exports_are_what_the_docstring_says() -> None:
    # Guards the hand computation: if a fixture file changes, this fails before the figures do.
    ada = json.loads(
        (FIXTURE / "ada" / "cmethics-ada-example-20260310T100000Z.json").read_text("utf-8")
    )
    answers = ada["exercises"]["capstone"]["answers"]
    assert [answers[f"coder.003-c00{i}"]["stance"] for i in range(1, 5)] == [
        "nuances",
        "abusive",
        "disagrees",
        "agrees",
    ]

"""Figures that do not move (issue 13): the same folder gives the same α and κ, whatever the order.

Three checks:

- **Order and seed.** A class with partial codings (students who skipped different comments,
  so that the choice of Fleiss' κ's complete block meets ties) is written three times with its
  files in different orders and reported with several seeds: every table of figures is
  identical, to the last digit. Before the fix, κ moved by up to 0.76 between runs, because
  ties were broken by row order and rows followed the random coder numbers.
- **Pooling.** Three students who all chose "none" for ego markers and no theme: every
  per-code α is undefined, the pooled ego-marker α is 1.000. The pooled figure stays apart
  (with its warning), the category's figure stays undefined, and "Overall" is the mean of the
  figures that are defined (stance and addressee), not lifted by the pooled 1.000.
- **Start-up.** In a fresh interpreter, building a report imports neither jsonschema (whose
  format module compiles grammars at import) nor scipy or statsmodels.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cmethics import __version__, classroom, course
from cmethics.answers import SUBMISSION_SCHEMA
from cmethics.classroom import agreement

# Who skipped what: three students tie on their share of missing codes in thread 003, two in
# thread 001, and the "all threads" scope ties them again.
SKIPPED = {
    1: ["003-c001"],
    2: ["003-c003"],
    3: ["003-c004"],
    4: ["001-c001"],
    5: ["001-c002"],
    6: [],
}
THREADS = ("003", "001")
FIGURE_TABLES = ("coder_agreement", "coder_distribution", "coder_reference", "coder_comments")


def _export(student: str, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": SUBMISSION_SCHEMA,
        "student": student,
        "exported_at": "2026-03-12T10:00:00+00:00",
        "course_version": __version__,
        "exercises": {
            "capstone": {
                "created": "2026-03-12T09:00:00+00:00",
                "updated": "2026-03-12T10:00:00+00:00",
                "answers": answers,
            }
        },
    }


def _perturbed(record: course.ReferenceRecord, rng: random.Random) -> dict[str, Any]:
    """The key's coding with codes changed at random (a weak student: lots to disagree on)."""
    book = course.codebook()
    coding = record.answer()
    for cat in book.categories:
        if not cat.multiple:
            if rng.random() < 0.4:
                coding[cat.id] = rng.choice(cat.code_ids)
            continue
        chosen = set(coding[cat.id])
        for code in cat.code_ids:
            if code not in cat.exclusive and rng.random() < 0.2:
                chosen ^= {code}
        plain = chosen - set(cat.exclusive)
        chosen = plain or chosen or set(cat.exclusive[:1])
        coding[cat.id] = [c for c in cat.code_ids if c in chosen]
    return coding


def _partial_class(folder: Path, file_order: int) -> Path:
    """The class of :data:`SKIPPED`, its files named so that ``file_order`` sorts them anew."""
    rng = random.Random(7)  # the same codings whatever the file order
    key = course.reference_coding()
    prefixes = list(range(len(SKIPPED)))
    random.Random(file_order).shuffle(prefixes)
    folder.mkdir(parents=True)
    for (number, skipped), prefix in zip(SKIPPED.items(), prefixes, strict=True):
        answers = {}
        for thread in THREADS:
            for record in key.thread(thread):
                coding = _perturbed(record, rng)
                if record.comment_id not in skipped:
                    answers[f"coder.{record.comment_id}"] = coding
        data = _export(f"Student {number}", answers)
        (folder / f"{prefix:02d}-export.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def partial_reports(tmp_path_factory: pytest.TempPathFactory) -> list[classroom.ClassReport]:
    tmp = tmp_path_factory.mktemp("stable")
    reports = []
    for order in range(3):
        folder = _partial_class(tmp / f"order-{order}", order)
        for seed in (None, 0, 1, 2, 3):
            reports.append(classroom.build_report(folder, seed=seed, progress=False))
    return reports


def test_the_partial_class_meets_ties_in_the_complete_block(
    partial_reports: list[classroom.ClassReport],
) -> None:
    # The case is what it is meant to be: κ rests on a smaller block than α in every scope.
    frame = partial_reports[0].coder_agreement
    stance = frame[frame["category"] == "stance"].set_index("article_id")
    kappa_cells = stance["kappa_n_coders"] * stance["kappa_n_units"]
    assert (kappa_cells < stance["alpha_n_coders"] * stance["alpha_n_units"]).all()
    assert stance.loc["all", "alpha_n_coders"] == len(SKIPPED)


@pytest.mark.parametrize("table", FIGURE_TABLES)
def test_any_file_order_and_any_seed_give_the_same_figures(
    partial_reports: list[classroom.ClassReport], table: str
) -> None:
    first = getattr(partial_reports[0], table)
    for report in partial_reports[1:]:
        pd.testing.assert_frame_equal(getattr(report, table), first, check_exact=True)


def test_the_method_is_documented_where_teachers_and_programmers_look(
    partial_reports: list[classroom.ClassReport],
) -> None:
    html = partial_reports[0].to_html()
    method = html[html.index('id="method"') :]
    assert "all tied" in method and "order" in method
    assert "all tied" in (agreement.fleiss_kappa.__doc__ or "")


def _rows(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 3, size=(n, 7)).astype(float)
    matrix[rng.random(matrix.shape) < 0.25] = np.nan
    return matrix


@pytest.mark.parametrize("seed", range(40))
def test_the_complete_block_does_not_depend_on_row_or_column_order(seed: int) -> None:
    matrix = _rows(6, seed)
    rng = np.random.default_rng(1000 + seed)
    rows, cols = rng.permutation(matrix.shape[0]), rng.permutation(matrix.shape[1])
    kappa, n_coders, n_units, note = classroom.fleiss_kappa(matrix)
    again = classroom.fleiss_kappa(matrix[np.ix_(rows, cols)])
    assert again[1:] == (n_coders, n_units, note)
    assert again[0] == pytest.approx(kappa, abs=1e-12, nan_ok=True)
    assert classroom.krippendorff_alpha(matrix[rows])[0] == pytest.approx(
        classroom.krippendorff_alpha(matrix)[0], abs=1e-12, nan_ok=True
    )


@pytest.mark.parametrize("seed", range(20))
def test_fleiss_kappa_equals_statsmodels_on_the_same_block(seed: int) -> None:
    from statsmodels.stats import inter_rater

    rng = np.random.default_rng(seed)
    block = rng.integers(0, 4, size=(rng.integers(2, 9), rng.integers(1, 12))).astype(float)
    kappa, n_coders, n_units, _ = classroom.fleiss_kappa(block)
    assert (n_coders, n_units) == block.shape
    table, _ = inter_rater.aggregate_raters(block.T.astype(int))
    with np.errstate(all="ignore"):
        expected = float(inter_rater.fleiss_kappa(table, method="fleiss"))
    if math.isfinite(expected):
        assert kappa == pytest.approx(expected, abs=1e-12)
    else:
        assert math.isnan(kappa)


# --------------------------------------------------------------------------- pooling


def _three_students(folder: Path) -> Path:
    """Three students on thread 003: stance and addressee vary, no theme, ego markers "none"."""
    stances = [
        ["nuances", "abusive", "disagrees", "agrees", "extends"],
        ["nuances", "abusive", "extends", "extends", "extends"],
        ["agrees", "abusive", "disagrees", "extends", "off_topic"],
    ]
    addressees = [
        ["article_author", "no_one", "other_member", "article_author", "article_author"],
        ["article_author", "no_one", "article_author", "article_author", "other_member"],
        ["other_member", "no_one", "other_member", "article_author", "article_author"],
    ]
    ids = [r.comment_id for r in course.reference_coding().thread("003")]
    folder.mkdir(parents=True)
    for number, (stance, addressee) in enumerate(zip(stances, addressees, strict=True), 1):
        answers = {
            f"coder.{cid}": {
                "stance": s,
                "themes": [],
                "addressed_to": a,
                "ego_markers": ["none"],
                "rationale": "",
            }
            for cid, s, a in zip(ids, stance, addressee, strict=True)
        }
        path = folder / f"student-{number}.json"
        path.write_text(json.dumps(_export(f"Student {number}", answers)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> classroom.ClassReport:
    return classroom.build_report(
        _three_students(tmp_path_factory.mktemp("three") / "class"), seed=0, progress=False
    )


def _row(frame: pd.DataFrame, **where: str) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_overall_is_not_lifted_by_a_pooled_figure(three: classroom.ClassReport) -> None:
    frame = three.coder_agreement
    scope = frame[frame["article_id"] == "003"]
    stance = _row(scope, category="stance")
    addressee = _row(scope, category="addressed_to")
    mean = _row(scope, category="overall", code=classroom.OVERALL_MEAN)
    lowest = _row(scope, category="overall", code=classroom.OVERALL_LOWEST)
    for measure in ("alpha", "kappa"):
        defined = [stance[measure], addressee[measure]]
        assert all(math.isfinite(v) for v in defined)
        assert mean[measure] == pytest.approx(sum(defined) / 2)
        assert lowest[measure] == pytest.approx(min(defined))
    assert mean["alpha"] < 0.9
    assert "undefined" in mean["note"]


def test_a_category_whose_every_code_is_undefined_stays_undefined(
    three: classroom.ClassReport,
) -> None:
    frame = three.coder_agreement
    scope = frame[frame["article_id"] == "003"]
    for category in ("themes", "ego_markers"):
        codes = scope[(scope["category"] == category) & ~scope["code"].str.startswith("(")]
        assert codes["alpha"].isna().all() and codes["kappa"].isna().all()
        summary = _row(scope, category=category, code=classroom.CODES_MEAN)
        assert math.isnan(summary["alpha"]) and math.isnan(summary["kappa"])
        assert "undefined" in summary["note"]


def test_the_pooled_figure_is_kept_apart_with_its_warning(three: classroom.ClassReport) -> None:
    frame = three.coder_agreement
    pooled = _row(frame, article_id="003", category="ego_markers", code=classroom.POOLED)
    assert pooled["alpha"] == pytest.approx(1.0)  # the very figure that must not count
    assert "not part of Overall" in pooled["note"]
    view = three._view()
    assert classroom.POOLED not in {r["code"] for r in view["agreement_main"]}
    assert classroom.POOLED in {r["code"] for r in view["agreement_codes"]}


class _Tables(HTMLParser):
    """Every table of a page: its caption and its rows' cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]["rows"]:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None


def test_the_page_shows_undefined_as_undefined(three: classroom.ClassReport) -> None:
    parser = _Tables()
    parser.feed(three.to_html())
    main = next(t for t in parser.tables if t["caption"] == "Thread 003")
    cells = {r[0]: r[1:] for r in main["rows"] if r}
    ego = next(v for k, v in cells.items() if k.startswith("Ego markers"))
    assert ego[0] == "–"  # α
    assert not any("pooled" in k for k in cells)
    overall = next(v for k, v in cells.items() if k.startswith("Overall") and "mean" in k)
    assert overall[0] != "1.000"
    assert "undefined" in three.figures["agreement"].alt


# --------------------------------------------------------------------------- start-up


def test_a_report_imports_no_jsonschema_scipy_or_statsmodels(tmp_path: Path) -> None:
    folder = _three_students(tmp_path / "class")
    code = (
        "import sys\n"
        "from cmethics import classroom\n"
        f"report = classroom.build_report({str(folder)!r}, seed=0, progress=False)\n"
        "report.to_html()\n"
        "heavy = ('jsonschema', 'scipy', 'statsmodels')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr

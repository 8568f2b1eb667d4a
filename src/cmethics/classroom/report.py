"""The class report: build it (read → extract → agree → distribute → draw), then write it.

:class:`ClassReport` holds the tables and figures; :meth:`ClassReport.write` writes the HTML
page (:mod:`cmethics.classroom.page`) and one CSV file per table.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from cmethics import __version__, course
from cmethics.classroom.agreement import coder_agreement
from cmethics.classroom.distributions import (
    code_distribution,
    comment_summary,
    other_answers,
    reference_agreement,
    role_positions,
)
from cmethics.classroom.extract import extract_answers
from cmethics.classroom.figures import Figure, agreement_figure, role_figure
from cmethics.classroom.labels import CODES_MEAN, OVERALL_LOWEST, OVERALL_MEAN
from cmethics.classroom.page import (
    RATIONALE_CHARS,
    comment_rows,
    contested_comments,
    dispersed_definitions,
    free_text_groups,
    render_html,
    truncate,
)
from cmethics.classroom.reading import MAX_FILE_BYTES, PROBLEM_KINDS, read_submissions

__all__ = ["ClassReport", "ReportFiles", "build_report", "write_report"]

_JUSTIFICATIONS_SHOWN = 5
_ANSWER_PROBLEMS_SHOWN = 100
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ReportFiles:
    """Where :meth:`ClassReport.write` put the report."""

    html: Path
    csv_dir: Path
    csv: dict[str, Path]


def _csv_safe(value: Any) -> Any:
    # Spreadsheets run a cell that starts with = + - @ as a formula: student text must not.
    if isinstance(value, str) and value.startswith(_CSV_FORMULA):
        return "'" + value
    return value


def _csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`_csv_safe` on every cell, column by column and on text columns only (the free
    text of a large class has 10⁵ cells, and ``DataFrame.map`` calls Python on each)."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column]):
            continue
        values = safe[column].to_numpy(dtype=object)
        risky = [isinstance(v, str) and v.startswith(_CSV_FORMULA) for v in values]
        if any(risky):
            safe[column] = [_csv_safe(v) if r else v for v, r in zip(values, risky, strict=True)]
    return safe


@dataclass
class ClassReport:
    """The class report: the aggregated tables, the figures, the problems.

    Build it with :func:`build_report`; write it with :meth:`write`. Every table of
    :meth:`tables` is written as a CSV file; the HTML shows them with the figures.
    """

    folder: Path
    generated_at: datetime
    n_files: int
    n_submissions: int
    problems: pd.DataFrame
    answer_problems: pd.DataFrame
    codings: pd.DataFrame = field(repr=False)
    coder_distribution: pd.DataFrame = field(repr=False)
    coder_agreement: pd.DataFrame = field(repr=False)
    coder_reference: pd.DataFrame = field(repr=False)
    coder_comments: pd.DataFrame = field(repr=False)
    contested: list[dict[str, Any]] = field(repr=False)
    role_positions: pd.DataFrame = field(repr=False)
    role_justifications: dict[str, list[str]] = field(repr=False)
    answer_distribution: pd.DataFrame = field(repr=False)
    numeric_answers: pd.DataFrame = field(repr=False)
    free_text: pd.DataFrame = field(repr=False)
    figures: dict[str, Figure] = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The aggregated tables written as CSV, by file stem (no names, no per-student rows)."""
        return {
            "problems": self.problems,
            "answer_problems": self.answer_problems,
            "coder_agreement": self.coder_agreement,
            "coder_reference_agreement": self.coder_reference,
            "coder_comments": self.coder_comments,
            "coder_distribution": self.coder_distribution,
            "role_positions": self.role_positions,
            "answer_distribution": self.answer_distribution,
            "numeric_answers": self.numeric_answers,
            "free_text": self.free_text,
        }

    def summary(self) -> str:
        """One paragraph: submissions, problems by kind, threads coded."""
        kinds = Counter(self.problems["kind"]) if len(self.problems) else Counter()
        listed = ", ".join(f"{n} {str(PROBLEM_KINDS.get(k, k)).lower()}" for k, n in kinds.items())
        threads = sorted(self.codings["article_id"].unique())
        text = (
            f"{self.n_submissions} submission(s) read from {self.n_files} file(s); "
            f"{len(self.problems)} problem(s)" + (f" ({listed})" if listed else "") + "."
        )
        if threads:
            text += f" Comment coder: {self.codings['coder'].nunique()} student(s), threads "
            text += ", ".join(threads) + "."
        if len(self.answer_problems):
            text += f" {len(self.answer_problems)} answer(s) left out (see the problems)."
        return text

    def to_html(self) -> str:
        """The report as one self-contained HTML page (no script, no external resource)."""
        return render_html(self._view())

    def write(self, out: Path | str, csv_dir: Path | str | None = None) -> ReportFiles:
        """Write the HTML file and the CSV tables (UTF-8 with BOM, for spreadsheets).

        Parameters
        ----------
        out
            The HTML file to write.
        csv_dir
            Folder for the CSV files; ``<out stem>_tables`` beside ``out`` when omitted.

        Raises
        ------
        ValueError
            If ``out`` or ``csv_dir`` is inside the submissions folder (it is never modified).
        """
        html_path = Path(out)
        folder = (
            Path(csv_dir)
            if csv_dir is not None
            else html_path.with_name(f"{html_path.stem}_tables")
        )
        inside = self.folder.resolve()
        for target in (html_path, folder):
            if target.resolve().is_relative_to(inside):
                raise ValueError(
                    f"{target} is inside the submissions folder {self.folder}: write the report "
                    "elsewhere, the submissions folder is never modified"
                )
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(self.to_html(), encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for name, frame in self.tables().items():
            path = folder / f"{name}.csv"
            _csv_safe_frame(frame).to_csv(path, index=False, encoding="utf-8-sig")
            written[name] = path
        return ReportFiles(html_path, folder, written)

    def figure_html(self, name: str) -> str:
        """One figure (``"agreement"`` or ``"role_map"``) as an ``<img>`` with alt text."""
        return self.figures[name].html() if name in self.figures else ""

    def _view(self) -> dict[str, Any]:
        # The template's context: the tables as records, the page's own rows from page.py.
        book = course.codebook()
        labels = {c.id: c.label for c in book.categories}
        code_labels = {(c.id, k.id): k.label for c in book.categories for k in c.codes}
        agreement = self.coder_agreement
        # The main tables: each category's own figure and "Overall". The per-code figures and
        # the pooled ones (for comparison only, never in "Overall") go to the table apart.
        summary_codes = ["", CODES_MEAN, OVERALL_MEAN, OVERALL_LOWEST]
        main = agreement[agreement["code"].isin(summary_codes)]
        per_code = agreement[~agreement["code"].isin(summary_codes)]
        threads = list(dict.fromkeys(main["article_id"]))
        distributions = [
            {"exercise": e, "key": k, "rows": part.to_dict("records")}
            for (e, k), part in self.answer_distribution.groupby(["exercise", "key"], sort=True)
        ]
        problem_counts = Counter(self.problems["kind"]) if len(self.problems) else Counter()
        return {
            "title": "CM Ethics: class report",
            "generated_at": self.generated_at,
            "folder_name": self.folder.name or str(self.folder),
            "summary": self.summary(),
            "n_files": self.n_files,
            "n_submissions": self.n_submissions,
            "n_coders": int(self.codings["coder"].nunique()),
            "threads": [t for t in threads if t != "all"],
            "labels": labels,
            "code_labels": code_labels,
            "agreement_main": main.to_dict("records"),
            "agreement_codes": per_code.to_dict("records"),
            "reference": self.coder_reference.to_dict("records"),
            "comments_by_thread": comment_rows(self.coder_distribution, self.coder_comments, book),
            "contested": self.contested,
            "roles": self.role_positions.to_dict("records"),
            "dispersed": dispersed_definitions(self.role_positions, self.role_justifications),
            "distributions": distributions,
            "numeric": self.numeric_answers.to_dict("records"),
            "free_text": free_text_groups(self.free_text),
            "problems": self.problems.to_dict("records"),
            "problem_titles": PROBLEM_KINDS,
            "problem_counts": [
                (title, problem_counts[kind])
                for kind, title in PROBLEM_KINDS.items()
                if problem_counts[kind]
            ],
            "answer_problems": self.answer_problems.head(_ANSWER_PROBLEMS_SHOWN).to_dict("records"),
            "n_answer_problems": len(self.answer_problems),
            "figures": self.figures,
            "version": __version__,
            "max_mb": MAX_FILE_BYTES / 1e6,
        }


def build_report(
    folder: Path | str,
    *,
    recursive: bool = True,
    max_bytes: int = MAX_FILE_BYTES,
    progress: bool | None = None,
    seed: int | None = None,
    n_contested: int = 10,
) -> ClassReport:
    """Read a submissions folder and compute every table and figure of the class report.

    Parameters
    ----------
    folder
        The submissions folder (read only).
    recursive, max_bytes, progress
        As for :func:`read_submissions`.
    seed
        Fixes the anonymous order of rationales and free text (shuffled anew otherwise).
    n_contested
        How many contested comments to show.

    Returns
    -------
    ClassReport
        Write it with :meth:`ClassReport.write`; its tables are DataFrames.

    Examples
    --------
    >>> import tempfile
    >>> from cmethics.classroom import build_report, demo_class
    >>> folder = tempfile.mkdtemp()
    >>> _ = demo_class(folder, n_students=5, seed=1)
    >>> report = build_report(folder, seed=1)
    >>> report.n_submissions
    5
    """
    from cmethics import corpus

    rng = random.Random(seed)
    result = read_submissions(folder, recursive=recursive, max_bytes=max_bytes, progress=progress)
    book = course.codebook()
    comments = corpus.comments()
    comment_ids = set(comments["comment_id"].astype(str))
    extracted = extract_answers(result.submissions, book, comment_ids, rng)
    codings = extracted.codings
    summary = comment_summary(codings, book)
    agreement = coder_agreement(codings, comments, book)
    positions = role_positions(extracted.positions)
    justifications: dict[str, list[str]] = {}
    for point_id, part in extracted.positions.groupby("point_id"):
        texts = [truncate(t, RATIONALE_CHARS) for t in part["justification"] if t]
        rng.shuffle(texts)
        justifications[str(point_id)] = texts[:_JUSTIFICATIONS_SHOWN]
    distribution, numeric, free_text = other_answers(extracted.leaves, rng)
    # Rationales and justifications join the free text in the CSV (anonymous, shuffled), so
    # that no written answer is missing from the report's files.
    written = [
        {"exercise": e, "key": f"coder.{c}.rationale", "text": t}
        for e, c, t in zip(
            codings["exercise"], codings["comment_id"], codings["rationale"], strict=True
        )
        if t
    ] + [
        {"exercise": "role", "key": f"roles.{p}.justification", "text": t}
        for p, t in zip(
            extracted.positions["point_id"], extracted.positions["justification"], strict=True
        )
        if t
    ]
    rng.shuffle(written)
    free_text_all = pd.concat(
        [free_text, pd.DataFrame(written, columns=["exercise", "key", "text"])], ignore_index=True
    )
    figures = {}
    fig = agreement_figure(agreement, book)
    if fig is not None:
        figures["agreement"] = fig
    fig = role_figure(positions, course.role_axes())
    if fig is not None:
        figures["role_map"] = fig
    problems = pd.DataFrame(
        [(p.file, p.kind, p.reason) for p in result.problems], columns=["file", "kind", "reason"]
    )
    answer_problems = pd.DataFrame(
        [(p.file, p.kind, p.reason) for p in extracted.answer_problems],
        columns=["file", "key", "reason"],
    )
    return ClassReport(
        folder=Path(folder),
        generated_at=datetime.now(UTC),
        n_files=result.n_files,
        n_submissions=len(result.submissions),
        problems=problems,
        answer_problems=answer_problems,
        codings=codings,
        coder_distribution=code_distribution(codings, book),
        coder_agreement=agreement,
        coder_reference=reference_agreement(codings, book),
        coder_comments=summary,
        contested=contested_comments(summary, codings, book, rng, n_contested),
        role_positions=positions,
        role_justifications=justifications,
        answer_distribution=distribution,
        numeric_answers=numeric,
        free_text=free_text_all,
        figures=figures,
    )


def write_report(
    folder: Path | str,
    out: Path | str,
    csv_dir: Path | str | None = None,
    **options: Any,
) -> tuple[ClassReport, ReportFiles]:
    """Build the report of ``folder`` and write it: ``out`` (HTML) and the CSV tables.

    ``options`` are those of :func:`build_report`. Returns the report and where it went.
    """
    report = build_report(folder, **options)
    return report, report.write(out, csv_dir)

"""Agreement between the students: Krippendorff's α and Fleiss' κ, per thread and category."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cmethics import course
from cmethics.classroom.labels import OVERALL_LOWEST, OVERALL_MEAN, POOLED

__all__ = ["coder_agreement", "fleiss_kappa", "krippendorff_alpha"]


def krippendorff_alpha(matrix: np.ndarray) -> tuple[float, str]:
    """Krippendorff's α (nominal) of a coders × units matrix of code numbers (NaN = missing).

    Computed by the ``krippendorff`` package. Returns ``(alpha, note)``; α is NaN, with a
    note saying why, when no unit has two codes or when every code is the same (α is then
    undefined: there is no variation to agree about).
    """
    import krippendorff

    values = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    if values.shape[1] == 0:
        return math.nan, "no comment coded by two students"
    if np.unique(values[~np.isnan(values)]).size < 2:
        return math.nan, "undefined: every student chose the same code"
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")), ""


def _complete_block(matrix: np.ndarray) -> np.ndarray | None:
    """The largest complete coders × units block found greedily (``None`` if < 2 coders).

    Fleiss' κ needs every coder on every unit. Starting from every coder and unit with a
    code, the coder or unit with the largest share of missing codes is dropped (a coder on
    ties) until no code is missing.
    """
    present = ~np.isnan(matrix)
    rows = np.flatnonzero(present.any(axis=1))
    cols = np.flatnonzero(present.any(axis=0))
    missing = ~present[np.ix_(rows, cols)]
    miss_r = missing.sum(axis=1).astype(float)
    miss_c = missing.sum(axis=0).astype(float)
    alive_r = np.ones(len(rows), dtype=bool)
    alive_c = np.ones(len(cols), dtype=bool)
    n_r, n_c = len(rows), len(cols)
    while n_r >= 2 and n_c >= 1:
        share_r = np.where(alive_r, miss_r / n_c, -1.0)
        share_c = np.where(alive_c, miss_c / n_r, -1.0)
        i, j = int(share_r.argmax()), int(share_c.argmax())
        if share_r[i] <= 0 and share_c[j] <= 0:
            break
        if share_r[i] >= share_c[j]:
            alive_r[i] = False
            n_r -= 1
            miss_c -= missing[i]
        else:
            alive_c[j] = False
            n_c -= 1
            miss_r -= missing[:, j]
    if n_r < 2 or n_c < 1:
        return None
    return matrix[np.ix_(rows[alive_r], cols[alive_c])]


def fleiss_kappa(matrix: np.ndarray) -> tuple[float, int, int, str]:
    """Fleiss' κ of a coders × units matrix (NaN = missing), on its largest complete block.

    Computed by ``statsmodels.stats.inter_rater`` (``aggregate_raters``, ``fleiss_kappa``).

    Returns
    -------
    tuple
        ``(kappa, n_coders, n_units, note)``: the coders and units of the complete block
        κ was computed on (see :func:`_complete_block`), and why κ is NaN when it is.
    """
    from statsmodels.stats import inter_rater

    block = _complete_block(matrix)
    if block is None:
        return math.nan, 0, 0, "fewer than two students coded the same comments"
    table, _ = inter_rater.aggregate_raters(block.T.astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        kappa = float(inter_rater.fleiss_kappa(table, method="fleiss"))
    note = "" if math.isfinite(kappa) else "undefined: every student chose the same code"
    return kappa, block.shape[0], block.shape[1], note


@dataclass
class _Decision:
    category: str
    code: str  # "" for a single-choice category
    matrix: np.ndarray  # coders x comments


def _decisions(
    codings: pd.DataFrame, comment_ids: Sequence[str], book: course.Codebook
) -> list[_Decision]:
    """Coders × comments matrices: one per single-choice category, one per code otherwise."""
    coders = np.sort(codings["coder"].unique())
    row = np.searchsorted(coders, codings["coder"].to_numpy())
    col_of = {cid: i for i, cid in enumerate(comment_ids)}
    col = codings["comment_id"].map(col_of).to_numpy()
    shape = (len(coders), len(comment_ids))
    out: list[_Decision] = []
    for cat in book.categories:
        values = codings[cat.id].to_numpy(dtype=object)
        answered = np.array([v is not None for v in values], dtype=bool)
        if not cat.multiple:
            number = {code: float(i) for i, code in enumerate(cat.code_ids)}
            m = np.full(shape, np.nan)
            m[row[answered], col[answered]] = [number[v] for v in values[answered]]
            out.append(_Decision(cat.id, "", m))
            continue
        for code in cat.code_ids:
            m = np.full(shape, np.nan)
            m[row[answered], col[answered]] = [float(code in v) for v in values[answered]]
            out.append(_Decision(cat.id, code, m))
    return out


def _measure(scope: str, category: str, code: str, matrix: np.ndarray) -> dict[str, Any]:
    alpha, alpha_note = krippendorff_alpha(matrix)
    kappa, k_coders, k_units, kappa_note = fleiss_kappa(matrix)
    present = ~np.isnan(matrix)
    pairable = present[:, present.sum(axis=0) >= 2]
    notes = "; ".join(dict.fromkeys(n for n in (alpha_note, kappa_note) if n))
    return {
        "article_id": scope,
        "category": category,
        "code": code,
        "alpha": alpha,
        "alpha_n_coders": int(pairable.any(axis=1).sum()),
        "alpha_n_units": int(pairable.shape[1]),
        "alpha_n_values": int(pairable.sum()),
        "kappa": kappa,
        "kappa_n_coders": k_coders,
        "kappa_n_units": k_units,
        "note": notes,
    }


def coder_agreement(
    codings: pd.DataFrame,
    comments: pd.DataFrame | None = None,
    book: course.Codebook | None = None,
) -> pd.DataFrame:
    """Agreement between the students, per thread and over all threads.

    For each scope (a thread, then ``"all"``):

    - a single-choice category (stance, addressee): Krippendorff's α (nominal) and Fleiss' κ
      over the comments, a unit being one comment;
    - a multiple-choice category (themes, ego markers): α and κ **per code**, each code being
      a present/absent decision on each comment, and a ``(pooled)`` row that treats every
      (comment, code) pair as one present/absent unit;
    - ``overall``: ``(mean of categories)``, the mean of the category rows (stance, themes
      pooled, addressee, ego markers pooled), and ``(lowest category)``, the lowest of them:
      Krippendorff judges a set of variables by its least reliable one. (Pooling every
      decision of every category into one α is avoided on purpose: with each category's codes
      kept apart, the expected disagreement is inflated and α looks better than any category.)

    α uses every coding (missing codes allowed). κ needs every coder on every unit: it is
    computed on the largest complete block of coders × units (found greedily), and
    ``kappa_n_coders`` / ``kappa_n_units`` say which n it rests on.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``category``, ``code``, ``alpha``, ``alpha_n_coders``,
        ``alpha_n_units`` (units coded by at least two students), ``alpha_n_values``,
        ``kappa``, ``kappa_n_coders``, ``kappa_n_units``, ``note``.
    """
    book = book or course.codebook()
    if comments is None:
        from cmethics import corpus

        comments = corpus.comments()
    columns = [
        "article_id",
        "category",
        "code",
        "alpha",
        "alpha_n_coders",
        "alpha_n_units",
        "alpha_n_values",
        "kappa",
        "kappa_n_coders",
        "kappa_n_units",
        "note",
    ]
    rows: list[dict[str, Any]] = []
    scopes = sorted(codings["article_id"].unique())
    if scopes:
        scopes.append("all")
    for scope in scopes:
        subset = codings if scope == "all" else codings[codings["article_id"] == scope]
        ids = comments["comment_id"].astype(str)
        if scope != "all":
            ids = ids[comments["article_id"].astype(str) == scope]
        decisions = _decisions(subset, list(ids), book)
        category_rows: list[dict[str, Any]] = []
        for cat in book.categories:
            mine = [d for d in decisions if d.category == cat.id]
            if not cat.multiple:
                result = _measure(scope, cat.id, "", mine[0].matrix)
                rows.append(result)
                category_rows.append(result)
                continue
            for d in mine:
                rows.append(_measure(scope, cat.id, d.code, d.matrix))
            # Pooled: every (comment, code) pair is one present/absent unit.
            result = _measure(scope, cat.id, POOLED, np.hstack([d.matrix for d in mine]))
            rows.append(result)
            category_rows.append(result)
        for code, combine, note in (
            (OVERALL_MEAN, _nanmean, "mean of the category rows"),
            (OVERALL_LOWEST, _nanmin, "lowest of the category rows"),
        ):
            rows.append(
                {
                    "article_id": scope,
                    "category": "overall",
                    "code": code,
                    "alpha": combine([r["alpha"] for r in category_rows]),
                    "kappa": combine([r["kappa"] for r in category_rows]),
                    "note": note,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    for col in (
        "alpha_n_coders",
        "alpha_n_units",
        "alpha_n_values",
        "kappa_n_coders",
        "kappa_n_units",
    ):
        frame[col] = frame[col].astype("Int64")
    return frame


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if isinstance(v, float) and math.isfinite(v)]


def _nanmin(values: Sequence[float]) -> float:
    finite = _finite(values)
    return min(finite) if finite else math.nan


def _nanmean(values: Sequence[float]) -> float:
    finite = _finite(values)
    return sum(finite) / len(finite) if finite else math.nan

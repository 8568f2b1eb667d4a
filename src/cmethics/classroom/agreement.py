"""Agreement between the students: Krippendorff's α and Fleiss' κ, per thread and category."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cmethics import course
from cmethics.classroom.labels import CODES_MEAN, OVERALL_LOWEST, OVERALL_MEAN, POOLED

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


def _complete_block(present: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The coders and units of the complete block Fleiss' κ rests on (``None`` if < 2 coders).

    Fleiss' κ needs every coder on every unit. Starting from every coder and unit with a
    code, the coders with the largest share of missing codes, or the units with the largest
    share, whichever share is larger (coders when equal), are dropped, **all tied ones
    together**, until no code is missing. Dropping every tied coder (or unit) at once makes
    the block a function of which codes are missing only: no order of the rows (coder numbers,
    file names, ``seed``) or of the units can change it. It also depends on nothing but
    ``present``, so every code of a multiple-choice category rests on the same block.

    Parameters
    ----------
    present
        Coders × units, ``True`` where a code was given.

    Returns
    -------
    tuple of numpy.ndarray
        The row and column indices of the block, in their original order.
    """
    rows = np.flatnonzero(present.any(axis=1))
    cols = np.flatnonzero(present.any(axis=0))
    missing = ~present[np.ix_(rows, cols)]
    miss_r = missing.sum(axis=1)
    miss_c = missing.sum(axis=0)
    alive_r = np.ones(len(rows), dtype=bool)
    alive_c = np.ones(len(cols), dtype=bool)
    n_r, n_c = len(rows), len(cols)
    while n_r >= 2 and n_c >= 1:
        worst_r = int(miss_r[alive_r].max())
        worst_c = int(miss_c[alive_c].max())
        if worst_r == 0:  # then no unit misses a code either
            break
        # Shares compared without division: worst_r / n_c >= worst_c / n_r.
        if worst_r * n_r >= worst_c * n_c:
            drop = alive_r & (miss_r == worst_r)
            alive_r &= ~drop
            n_r -= int(drop.sum())
            miss_c -= missing[drop].sum(axis=0)
        else:
            drop = alive_c & (miss_c == worst_c)
            alive_c &= ~drop
            n_c -= int(drop.sum())
            miss_r -= missing[:, drop].sum(axis=1)
    if n_r < 2 or n_c < 1:
        return None
    return rows[alive_r], cols[alive_c]


def _kappa_of_block(block: np.ndarray) -> float:
    """Fleiss' κ of a complete coders × units block of code numbers (NaN when undefined).

    Fleiss (1971), as ``statsmodels.stats.inter_rater.fleiss_kappa(method="fleiss")``
    computes it (the tests compare the two), in numpy: importing statsmodels, and scipy with
    it, took longer than the rest of a class report.
    """
    n_coders, n_units = block.shape
    codes, index = np.unique(block, return_inverse=True)
    index = index.reshape(block.shape)
    k = len(codes)
    flat = (index + k * np.arange(n_units)[np.newaxis, :]).ravel()
    table = np.bincount(flat, minlength=n_units * k).reshape(n_units, k).astype(float)
    p_code = table.sum(axis=0) / (n_units * n_coders)
    p_unit = ((table * table).sum(axis=1) - n_coders) / (n_coders * (n_coders - 1.0))
    expected = float((p_code * p_code).sum())
    if expected >= 1.0:
        return math.nan  # one code only: no variation to agree about
    return (float(p_unit.mean()) - expected) / (1.0 - expected)


def _kappa(
    matrix: np.ndarray, block: tuple[np.ndarray, np.ndarray] | None
) -> tuple[float, int, int, str]:
    if block is None:
        return math.nan, 0, 0, "fewer than two students coded the same comments"
    values = matrix[np.ix_(*block)]
    kappa = _kappa_of_block(values)
    note = "" if math.isfinite(kappa) else "undefined: every student chose the same code"
    return kappa, values.shape[0], values.shape[1], note


def fleiss_kappa(matrix: np.ndarray) -> tuple[float, int, int, str]:
    """Fleiss' κ of a coders × units matrix (NaN = missing), on its largest complete block.

    The block is found greedily: the coders, or the units, with the largest share of missing
    codes are dropped, all tied ones together, until none is missing (see
    :func:`_complete_block`); so κ does not depend on the order of the coders or of the
    units (coder numbers, file names, ``seed``). κ is computed as
    ``statsmodels.stats.inter_rater.fleiss_kappa`` does, in numpy.

    Returns
    -------
    tuple
        ``(kappa, n_coders, n_units, note)``: the coders and units of the complete block
        κ was computed on, and why κ is NaN when it is.
    """
    return _kappa(matrix, _complete_block(~np.isnan(matrix)))


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
        answered = np.fromiter((v is not None for v in values), bool, len(values))
        where = (row[answered], col[answered])
        # Each distinct answer once (a class gives a few dozen), then looked up: thousands of
        # students give hundreds of thousands of codes.
        distinct: dict[Any, int] = {}
        index = np.fromiter(
            (distinct.setdefault(v, len(distinct)) for v in values[answered]),
            np.int64,
            int(answered.sum()),
        )
        if not cat.multiple:
            number = {code: float(i) for i, code in enumerate(cat.code_ids)}
            m = np.full(shape, np.nan)
            m[where] = np.array([number[v] for v in distinct], dtype=float)[index]
            out.append(_Decision(cat.id, "", m))
            continue
        for code in cat.code_ids:
            m = np.full(shape, np.nan)
            m[where] = np.array([float(code in v) for v in distinct], dtype=float)[index]
            out.append(_Decision(cat.id, code, m))
    return out


_POOLED_NOTE = "not part of Overall: pooling the codes inflates α and κ (see the method)"


def _measure(
    scope: str,
    category: str,
    code: str,
    matrix: np.ndarray,
    block: tuple[np.ndarray, np.ndarray] | None,
) -> dict[str, Any]:
    alpha, alpha_note = krippendorff_alpha(matrix)
    kappa, k_coders, k_units, kappa_note = _kappa(matrix, block)
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


def _undefined(rows: Sequence[dict[str, Any]], names: Sequence[str], measure: str) -> list[str]:
    return [n for r, n in zip(rows, names, strict=True) if not _finite([r[measure]])]


def _codes_mean(
    scope: str, cat: course.CodebookCategory, code_rows: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """A multiple-choice category's figure: the mean of its codes' figures, undefined ones left
    out (every code rests on the same coders and units: they share which codes are missing)."""
    names = [k.label.lower() for k in cat.codes]
    undefined = _undefined(code_rows, names, "alpha")
    if len(undefined) == len(names):
        note = "undefined: every code's α is undefined"
    elif undefined:
        note = (
            f"mean of {len(names) - len(undefined)} of the {len(names)} codes "
            f"(undefined: {', '.join(undefined)})"
        )
    else:
        note = f"mean of the {len(names)} codes"
    no_kappa = _undefined(code_rows, names, "kappa")
    if len(no_kappa) == len(names) == len(undefined):
        note = "undefined: every code's α and κ is undefined"
    elif len(no_kappa) == len(names):
        note += "; every code's κ is undefined"
    elif no_kappa != undefined:
        note += f"; κ undefined for {', '.join(no_kappa)}" if no_kappa else "; κ for every code"
    first = code_rows[0]
    return {
        **{k: first[k] for k in first if k.endswith(("_n_coders", "_n_units", "_n_values"))},
        "article_id": scope,
        "category": cat.id,
        "code": CODES_MEAN,
        "alpha": _nanmean([r["alpha"] for r in code_rows]),
        "kappa": _nanmean([r["kappa"] for r in code_rows]),
        "note": note,
    }


def _overall(
    scope: str, category_rows: Sequence[dict[str, Any]], book: course.Codebook
) -> list[dict[str, Any]]:
    names = [c.label.lower() for c in book.categories]
    undefined = _undefined(category_rows, names, "alpha")
    rows = []
    for code, combine, what in (
        (OVERALL_MEAN, _nanmean, "mean"),
        (OVERALL_LOWEST, _nanmin, "lowest"),
    ):
        if len(undefined) == len(names):
            note = "undefined: no category's α is defined"
        else:
            note = f"{what} of the category rows"
            if undefined:
                note += f"; undefined, left out: {', '.join(undefined)}"
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
    return rows


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
      a present/absent decision on each comment; then the category's figure,
      ``(mean of codes)``, the mean of its codes' figures (undefined ones left out); then a
      ``(pooled)`` row that treats every (comment, code) pair as one present/absent unit,
      **for comparison only**: pooled, the codes' different frequencies inflate the expected
      disagreement, and α and κ look better than any single code (a class whose every code
      is undefined can have a pooled α of 1);
    - ``overall``: ``(mean of categories)``, the mean of the four category figures (stance,
      themes, addressee, ego markers; never a pooled row), and ``(lowest category)``, the
      lowest of them: Krippendorff judges a set of variables by its least reliable one.

    Undefined stays undefined: a NaN figure (no variation, or nothing to compare) is never
    counted as a value in a mean or a minimum, and the notes say which were left out.

    α uses every coding (missing codes allowed). κ needs every coder on every unit: it is
    computed on a complete block of coders × units found greedily, dropping the coders (or the
    units) with the largest share of missing codes, all tied ones together (see
    :func:`fleiss_kappa`), so that no order of the files, of the coder numbers or of the
    comments changes it; ``kappa_n_coders`` / ``kappa_n_units`` say which n it rests on. The
    same folder gives the same α and κ whatever ``seed``.

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
    ids = comments["comment_id"].astype(str).to_numpy()
    threads = comments["article_id"].astype(str).to_numpy()
    # The matrices of every thread at once; a thread's are its columns (a student who coded
    # nothing there has an empty row, which counts for nothing).
    everything = _decisions(codings, list(ids), book)
    for scope in scopes:
        cols = np.arange(len(ids)) if scope == "all" else np.flatnonzero(threads == scope)
        decisions = [_Decision(d.category, d.code, d.matrix[:, cols]) for d in everything]
        category_rows: list[dict[str, Any]] = []
        for cat in book.categories:
            mine = [d for d in decisions if d.category == cat.id]
            # Every code of a category is missing where the category is: one block for all.
            block = _complete_block(~np.isnan(mine[0].matrix))
            if not cat.multiple:
                result = _measure(scope, cat.id, "", mine[0].matrix, block)
                rows.append(result)
                category_rows.append(result)
                continue
            code_rows = [_measure(scope, cat.id, d.code, d.matrix, block) for d in mine]
            summary = _codes_mean(scope, cat, code_rows)
            rows.extend([*code_rows, summary])
            category_rows.append(summary)
            # Pooled: every (comment, code) pair is one unit; the block is the same coders
            # × the same comments, once per code.
            width = mine[0].matrix.shape[1]
            pooled_block = None
            if block is not None:
                pooled_block = (
                    block[0],
                    np.concatenate([block[1] + i * width for i in range(len(mine))]),
                )
            pooled = _measure(
                scope, cat.id, POOLED, np.hstack([d.matrix for d in mine]), pooled_block
            )
            pooled["note"] = "; ".join(n for n in (_POOLED_NOTE, pooled["note"]) if n)
            rows.append(pooled)
        rows.extend(_overall(scope, category_rows, book))
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

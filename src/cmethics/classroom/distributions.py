"""Distributions: the codes per comment, agreement with the key, role positions, other answers."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cmethics import course
from cmethics.classroom.labels import NONE_CHOSEN, set_label

__all__ = [
    "code_distribution",
    "comment_summary",
    "other_answers",
    "reference_agreement",
    "role_positions",
]

# A "category-like" string: an id or a short label without spaces (choice ids, thread ids).
_ID_LIKE = re.compile(r"^[\w.:/+-]{1,64}$")
_MAX_LIST = 12  # longer lists are not "short lists" of choices


def _key_frame() -> pd.DataFrame:
    return course.reference_coding().frame().set_index("comment_id")


def _answered(values: pd.Series) -> np.ndarray:
    # A boolean array, not a Series: an empty object Series used as a mask would select columns.
    return np.array([v is not None for v in values], dtype=bool)


def code_distribution(codings: pd.DataFrame, book: course.Codebook | None = None) -> pd.DataFrame:
    """How many students chose each code, per comment and category.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``comment_id``, ``category``, ``code``, ``n`` (students who chose
        it), ``n_coders`` (students who answered that category for that comment), ``share``
        (``n / n_coders``; for multiple-choice categories the shares can add up to more than
        1) and ``in_key`` (whether the reference coding has that code).
    """
    book = book or course.codebook()
    key = _key_frame()
    parts = []
    for cat in book.categories:
        sub = codings[["article_id", "comment_id", cat.id]].rename(columns={cat.id: "code"})
        sub = sub[_answered(sub["code"])]
        n_coders = sub.groupby("comment_id").size().rename("n_coders")
        if cat.multiple:
            # An answered category with no code counts as "(none chosen)": that is a choice.
            sub = sub.assign(code=sub["code"].map(lambda v: v if v else (NONE_CHOSEN,)))
            sub = sub.explode("code")
        counts = sub.groupby(["article_id", "comment_id", "code"]).size().rename("n")
        counts = counts.reset_index().join(n_coders, on="comment_id")
        counts.insert(2, "category", cat.id)
        parts.append(counts)
    columns = ["article_id", "comment_id", "category", "code", "n", "n_coders", "share", "in_key"]
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame(columns=columns)
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    frame["share"] = frame["n"] / frame["n_coders"]

    def in_key(row: Any) -> bool:
        if row.comment_id not in key.index:
            return False
        value = key.at[row.comment_id, row.category]
        if isinstance(value, tuple):
            return value == () if row.code == NONE_CHOSEN else row.code in value
        return row.code == value

    frame["in_key"] = [in_key(r) for r in frame.itertuples()]
    order = {c.id: i for i, c in enumerate(book.categories)}
    code_order = {(c.id, code): i for c in book.categories for i, code in enumerate(c.code_ids)}
    frame["_c"] = frame["category"].map(order)
    pairs = zip(frame["category"], frame["code"], strict=True)
    frame["_k"] = [code_order.get(pair, 99) for pair in pairs]
    frame = frame.sort_values(["comment_id", "_c", "_k"]).drop(columns=["_c", "_k"])
    frame["n"] = frame["n"].astype("int64")
    frame["n_coders"] = frame["n_coders"].astype("int64")
    return frame[columns].reset_index(drop=True)


def _pairwise_agreement(counts: Iterable[int]) -> float:
    counts = list(counts)
    n = sum(counts)
    if n < 2:
        return math.nan
    return sum(c * (c - 1) for c in counts) / (n * (n - 1))


def _entropy(counts: Iterable[int]) -> float:
    counts = [c for c in counts if c]
    n = sum(counts)
    # max(0, ...): one code only gives -0.0, which would print as "-0.000".
    return max(0.0, -sum(c / n * math.log2(c / n) for c in counts)) if n else math.nan


def comment_summary(codings: pd.DataFrame, book: course.Codebook | None = None) -> pd.DataFrame:
    """One row per coded comment: the class's modal code, the key's, and how contested it is.

    For each category: the modal code (a multiple-choice category's modal *set*, e.g.
    ``role+trust``), its share, the key's code(s), the share of students who chose exactly the
    key's, and the pairwise agreement (share of pairs of students who chose the same code or
    set: Fleiss' per-comment agreement). ``agreement`` is the mean of the categories' pairwise
    agreements and ``stance_entropy`` the entropy (bits) of the stance codes; the contested
    comments are those with the lowest ``agreement`` (ties: highest entropy).
    """
    book = book or course.codebook()
    key = _key_frame()
    records = []
    for comment_id, group in codings.groupby("comment_id", sort=True):
        rec: dict[str, Any] = {
            "article_id": comment_id[:3],
            "comment_id": comment_id,
            "n_coders": int(group["coder"].nunique()),
        }
        agreements = []
        for cat in book.categories:
            labels = [set_label(v) if cat.multiple else v for v in group[cat.id] if v is not None]
            counts = Counter(labels)
            n = sum(counts.values())
            key_value = key.at[comment_id, cat.id] if comment_id in key.index else None
            if key_value is None:
                key_label = None
            else:
                key_label = set_label(tuple(key_value)) if cat.multiple else str(key_value)
            # Ties broken by label, so that the random coder order never changes the mode.
            modal, modal_n = (
                min(counts.items(), key=lambda i: (-i[1], i[0])) if counts else (None, 0)
            )
            agreement = _pairwise_agreement(counts.values())
            rec[f"{cat.id}_n"] = n
            rec[f"{cat.id}_modal"] = modal
            rec[f"{cat.id}_modal_share"] = modal_n / n if n else math.nan
            rec[f"{cat.id}_key"] = key_label
            rec[f"{cat.id}_key_share"] = counts.get(key_label, 0) / n if n else math.nan
            rec[f"{cat.id}_agreement"] = agreement
            if not math.isnan(agreement):
                agreements.append(agreement)
            if cat.id == "stance":
                rec["stance_entropy"] = _entropy(counts.values())
        rec["agreement"] = float(np.mean(agreements)) if agreements else math.nan
        rec["key_confidence"] = (
            str(key.at[comment_id, "confidence"]) if comment_id in key.index else None
        )
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _as_set(value: tuple[str, ...], cache: dict[tuple[str, ...], frozenset[str]]) -> frozenset[str]:
    found = cache.get(value)
    if found is None:
        found = cache[value] = frozenset(value)
    return found


def reference_agreement(codings: pd.DataFrame, book: course.Codebook | None = None) -> pd.DataFrame:
    """How often the class's codings equal the reference coding, per thread and category.

    A multiple-choice category matches when the *set* of codes equals the key's. For a
    ``borderline`` record the key gives an alternative coding; ``share_key_or_alternative``
    counts a coding that equals either.

    Returns
    -------
    pandas.DataFrame
        ``article_id`` (a thread or ``"all"``), ``category``, ``n_codings``, ``n_key``,
        ``share_key``, ``n_key_or_alternative``, ``share_key_or_alternative``.
    """
    book = book or course.codebook()
    key = _key_frame()
    rows = []
    for cat in book.categories:
        sub = codings[["article_id", "comment_id", cat.id]]
        sub = sub[_answered(sub[cat.id])]
        sub = sub[sub["comment_id"].isin(key.index)]
        key_value = sub["comment_id"].map(key[cat.id])
        alt_value = sub["comment_id"].map(key[f"alternative_{cat.id}"])
        if cat.multiple:
            # A set per distinct answer, not per coding: thousands of students repeat a few.
            sets: dict[tuple[str, ...], frozenset[str]] = {}
            chosen = [_as_set(v, sets) for v in sub[cat.id]]
            exact = np.array(
                [c == _as_set(k, sets) for c, k in zip(chosen, key_value, strict=True)], dtype=bool
            )
            alt = [
                isinstance(a, tuple) and c == _as_set(a, sets)
                for c, a in zip(chosen, alt_value, strict=True)
            ]
        else:
            exact = (sub[cat.id] == key_value.astype(object)).to_numpy(dtype=bool)
            alt = [
                isinstance(a, str) and c == a for c, a in zip(sub[cat.id], alt_value, strict=True)
            ]
        frame = pd.DataFrame({"article_id": sub["article_id"], "exact": exact})
        frame["either"] = frame["exact"].to_numpy() | np.asarray(alt, dtype=bool)
        for scope, part in [*frame.groupby("article_id"), ("all", frame)]:
            n = len(part)
            rows.append(
                {
                    "article_id": scope,
                    "category": cat.id,
                    "n_codings": n,
                    "n_key": int(part["exact"].sum()),
                    "share_key": part["exact"].mean() if n else math.nan,
                    "n_key_or_alternative": int(part["either"].sum()),
                    "share_key_or_alternative": part["either"].mean() if n else math.nan,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "article_id",
            "category",
            "n_codings",
            "n_key",
            "share_key",
            "n_key_or_alternative",
            "share_key_or_alternative",
        ],
    )
    order = {c.id: i for i, c in enumerate(book.categories)}
    frame["_s"] = frame["article_id"].map(lambda a: (a == "all", a))
    frame["_c"] = frame["category"].map(order)
    return frame.sort_values(["_s", "_c"]).drop(columns=["_s", "_c"]).reset_index(drop=True)


def role_positions(positions: pd.DataFrame, points: pd.DataFrame | None = None) -> pd.DataFrame:
    """The class's position of every definition on the role map, beside the source's own.

    Parameters
    ----------
    positions
        One row per (coder, definition): ``point_id``, ``serves``, ``works_by``.
    points
        ``course.role_map_points()`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per point of the map, in the map's order: ``number`` (1..n, the figure's
        labels), ``point_id``, ``kind``, ``label``, ``source_serves``, ``source_works_by``,
        ``n``, ``serves_mean``, ``serves_sd``, ``works_by_mean``, ``works_by_sd`` (sample
        standard deviations, NaN below two placements) and ``distance`` (from the class's
        mean to the source's stance).
    """
    points = course.role_map_points() if points is None else points
    grouped = positions.groupby("point_id")
    stats = pd.DataFrame(
        {
            "n": grouped.size(),
            "serves_mean": grouped["serves"].mean(),
            "serves_sd": grouped["serves"].std(ddof=1),
            "works_by_mean": grouped["works_by"].mean(),
            "works_by_sd": grouped["works_by"].std(ddof=1),
        }
    )
    frame = pd.DataFrame(
        {
            "number": range(1, len(points) + 1),
            "point_id": points["point_id"].astype(str),
            "kind": points["kind"].astype(str),
            "label": points["label"].astype(str),
            "source_serves": points["serves"].astype(float),
            "source_works_by": points["works_by"].astype(float),
        }
    ).join(stats, on="point_id")
    frame["n"] = frame["n"].fillna(0).astype("int64")
    for column in ("serves_mean", "serves_sd", "works_by_mean", "works_by_sd"):
        frame[column] = frame[column].astype("float64")  # object when nobody placed anything
    frame["distance"] = np.hypot(
        frame["serves_mean"] - frame["source_serves"],
        frame["works_by_mean"] - frame["source_works_by"],
    )
    return frame.reset_index(drop=True)


def _categorical(value: Any) -> list[str] | None:
    """The category label(s) of an answer, or ``None`` if it is not categorical."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, str):
        return [value] if _ID_LIKE.match(value) else None
    if (
        isinstance(value, list)
        and len(value) <= _MAX_LIST
        and all(isinstance(v, str) and _ID_LIKE.match(v) for v in value)
    ):
        return list(value) if value else ["(empty list)"]
    return None


def other_answers(
    leaves: Sequence[tuple[int, str, str, Any]], rng: random.Random
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Distributions of categorical answers, numeric summaries and free text, per key.

    A key is free text as soon as one of its answers is text that is not an id (spaces, or
    longer than 64 characters): a one-word reflection must not make a reflection categorical.
    """
    by_key: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for coder, exercise, key, value in leaves:
        if value is None:
            continue
        by_key.setdefault((exercise, key), []).append((coder, value))
    dist_rows: list[dict[str, Any]] = []
    num_rows: list[dict[str, Any]] = []
    text_rows: list[dict[str, Any]] = []
    for (exercise, key), values in sorted(by_key.items()):
        texts = [v for _, v in values if isinstance(v, str)]
        if any(not _ID_LIKE.match(t) for t in texts):
            kept = [t.strip() for t in texts if t.strip()]
            rng.shuffle(kept)
            text_rows.extend({"exercise": exercise, "key": key, "text": t} for t in kept)
            continue
        numbers = [
            float(v)
            for _, v in values
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        ]
        if numbers and len(numbers) == len(values):
            series = pd.Series(numbers)
            num_rows.append(
                {
                    "exercise": exercise,
                    "key": key,
                    "n": len(numbers),
                    "mean": series.mean(),
                    "sd": series.std(ddof=1),
                    "min": series.min(),
                    "median": series.median(),
                    "max": series.max(),
                }
            )
            continue
        labelled = [(c, labels) for c, v in values if (labels := _categorical(v)) is not None]
        if not labelled:
            continue
        n_students = len({c for c, _ in labelled})
        counts = Counter(label for _, labels in labelled for label in dict.fromkeys(labels))
        for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            dist_rows.append(
                {
                    "exercise": exercise,
                    "key": key,
                    "value": label,
                    "n": n,
                    "n_students": n_students,
                    "share": n / n_students,
                }
            )
    return (
        pd.DataFrame(dist_rows, columns=["exercise", "key", "value", "n", "n_students", "share"]),
        pd.DataFrame(
            num_rows, columns=["exercise", "key", "n", "mean", "sd", "min", "median", "max"]
        ),
        pd.DataFrame(text_rows, columns=["exercise", "key", "text"]),
    )

"""The report's HTML page: what each section lists, the number formats, the Jinja rendering.

The page is ``templates/class_report.html.j2`` (its style sheet ``class_report.css`` inlined),
rendered with autoescape on: every value is escaped, nothing is marked safe.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cmethics import course
from cmethics.classroom.labels import NONE_CHOSEN, WITHHELD_TEXT, set_label

__all__ = [
    "RATIONALE_CHARS",
    "comment_rows",
    "contested_comments",
    "dispersed_definitions",
    "free_text_groups",
    "render_html",
    "truncate",
]

_CONTESTED_TEXT_CHARS = 900
#: Rationales and justifications are cut to this many characters.
RATIONALE_CHARS = 400
_FREE_TEXT_CHARS = 600
_FREE_TEXT_SHOWN = 200  # per key in the HTML; the CSV has every one
_RATIONALES_SHOWN = 8


def truncate(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space as one space), cut to ``limit`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fmt_number(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float | np.floating):
        return f"{value:.{digits}f}"
    return str(value)


def _fmt_share(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.0f}%"


def _label_set(value: str | None, category: str, code_labels: Mapping[Any, str]) -> str:
    """``"role+trust"`` as ``"Role + Trust"``, with the codebook's labels."""
    if value is None:
        return "–"
    if value == NONE_CHOSEN:
        return value
    return " + ".join(code_labels.get((category, c), c) for c in value.split("+"))


def contested_comments(
    summary: pd.DataFrame,
    codings: pd.DataFrame,
    book: course.Codebook,
    rng: random.Random,
    n: int,
) -> list[dict[str, Any]]:
    """The ``n`` most contested comments (lowest agreement), with text, codes and rationales.

    ``summary`` is :func:`~cmethics.classroom.distributions.comment_summary`'s table. A withheld
    comment's text is never quoted; rationales are shuffled with ``rng`` and shown unsigned.
    """
    from cmethics import corpus

    if summary.empty:
        return []
    comments = corpus.comments(pseudonymize=True).set_index("comment_id")
    withheld = {course.moderation_case().comment.comment_id} | {
        r.comment_id for r in course.reference_coding().records if r.withheld
    }
    key = course.reference_coding()
    candidates = summary[summary["n_coders"] >= 2].copy()
    candidates["_entropy"] = candidates["stance_entropy"].fillna(0)
    candidates = candidates.sort_values(
        ["agreement", "_entropy", "comment_id"], ascending=[True, False, True]
    ).head(n)
    code_labels = {(c.id, k.id): k.label for c in book.categories for k in c.codes}
    out = []
    for r in candidates.itertuples():
        comment = comments.loc[r.comment_id]
        text = (
            WITHHELD_TEXT
            if r.comment_id in withheld
            else truncate(str(comment["text"]), _CONTESTED_TEXT_CHARS)
        )
        group = codings[codings["comment_id"] == r.comment_id]
        rationales = [
            {
                "stance": code_labels.get(("stance", s), s or "not coded"),
                "text": truncate(t, RATIONALE_CHARS),
            }
            for s, t in zip(group["stance"], group["rationale"], strict=True)
            if t
        ]
        rng.shuffle(rationales)
        record = key.record(r.comment_id)
        categories = []
        for cat in book.categories:
            counts = Counter(
                (set_label(v) if cat.multiple else v) for v in group[cat.id] if v is not None
            )
            categories.append(
                {
                    "label": cat.label,
                    "counts": [
                        (_label_set(lab, cat.id, code_labels), k) for lab, k in counts.most_common()
                    ],
                    "key": _label_set(getattr(r, f"{cat.id}_key"), cat.id, code_labels),
                    "agreement": getattr(r, f"{cat.id}_agreement"),
                }
            )
        speaker = comment["speaker"]
        out.append(
            {
                "comment_id": r.comment_id,
                "article_id": r.article_id,
                "speaker": "unsigned" if pd.isna(speaker) else str(speaker),
                "text": text,
                "withheld": r.comment_id in withheld,
                "n_coders": r.n_coders,
                "agreement": r.agreement,
                "stance_entropy": r.stance_entropy,
                "categories": categories,
                "key_note": record.note,
                "key_confidence": record.confidence,
                "rationales": rationales[:_RATIONALES_SHOWN],
                "n_rationales": len(rationales),
            }
        )
    return out


def comment_rows(
    distribution: pd.DataFrame, summary_table: pd.DataFrame, book: course.Codebook
) -> list[dict[str, Any]]:
    """The codes table of every coded comment, thread by thread, for the page.

    ``distribution`` and ``summary_table`` are the report's ``coder_distribution`` and
    ``coder_comments``.
    """
    code_labels = {(c.id, k.id): k.label for c in book.categories for k in c.codes}
    comments_by_thread = []
    summary = summary_table.set_index("comment_id") if len(summary_table) else pd.DataFrame()
    for article_id, part in distribution.groupby("article_id", sort=True):
        rows = []
        for comment_id, group in part.groupby("comment_id", sort=True):
            cells = []
            for cat in book.categories:
                g = group[group["category"] == cat.id]
                cells.append(
                    [
                        {
                            "label": code_labels.get((cat.id, r.code), r.code),
                            "n": int(r.n),
                            "share": float(r.share),
                            "in_key": bool(r.in_key),
                        }
                        for r in g.sort_values("n", ascending=False).itertuples()
                    ]
                )
            s = summary.loc[comment_id] if comment_id in summary.index else None
            rows.append(
                {
                    "comment_id": comment_id,
                    "n_coders": int(s["n_coders"]) if s is not None else 0,
                    "agreement": float(s["agreement"]) if s is not None else math.nan,
                    "cells": cells,
                }
            )
        comments_by_thread.append({"article_id": article_id, "rows": rows})
    return comments_by_thread


def free_text_groups(free_text: pd.DataFrame) -> list[dict[str, Any]]:
    """The written answers other than rationales and justifications, grouped by key."""
    groups = []
    # Rationales and justifications are shown beside their comment or definition above;
    # the HTML lists the other written answers (the CSV has them all).
    other_text = free_text[~free_text["key"].str.match(r"^(coder|roles)\.")]
    for (exercise, key), part in other_text.groupby(["exercise", "key"], sort=True):
        texts = [truncate(t, _FREE_TEXT_CHARS) for t in part["text"].head(_FREE_TEXT_SHOWN)]
        groups.append({"exercise": exercise, "key": key, "texts": texts, "n": len(part)})
    return groups


def dispersed_definitions(
    role_table: pd.DataFrame, justifications: Mapping[str, list[str]]
) -> list[dict[str, Any]]:
    """The five definitions the class placed least alike, with some of the justifications."""
    dispersed = []
    if len(role_table):
        spread = role_table.assign(
            spread=role_table[["serves_sd", "works_by_sd"]].mean(axis=1)
        ).dropna(subset=["spread"])
        for r in spread.sort_values("spread", ascending=False).head(5).itertuples():
            dispersed.append(
                {
                    "number": r.number,
                    "label": r.label,
                    "spread": r.spread,
                    "justifications": justifications.get(r.point_id, []),
                }
            )
    return dispersed


def render_html(context: Mapping[str, Any]) -> str:
    """The page: ``templates/class_report.html.j2`` rendered with ``context`` (autoescaped)."""
    from jinja2 import Environment, PackageLoader

    env = Environment(
        loader=PackageLoader("cmethics.classroom", "templates"),
        autoescape=True,  # student input and corpus text are untrusted, always
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _fmt_number
    env.filters["pct"] = _fmt_share
    template = env.get_template("class_report.html.j2")
    return template.render(**context)

"""Figures: the agreement chart and the role map, as PNG with alt text that states the numbers."""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cmethics import course
from cmethics.classroom.labels import CODES_MEAN, OVERALL_MEAN

__all__ = ["Figure", "agreement_figure", "role_figure"]


@dataclass(frozen=True)
class Figure:
    """An embedded figure: PNG bytes and the alt text that states its key numbers."""

    png: bytes = field(repr=False)
    alt: str
    caption: str

    @property
    def data_uri(self) -> str:
        """``data:image/png;base64,...``, for an ``<img src>`` that needs no file."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def html(self) -> str:
        """An ``<img>`` tag with the alt text escaped, for a notebook's ``HTML`` display."""
        import html

        return (
            f'<img src="{self.data_uri}" alt="{html.escape(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto">'
        )


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def agreement_figure(agreement: pd.DataFrame, book: course.Codebook) -> Figure | None:
    """Krippendorff's α per thread and category as bars (``None`` when nothing was coded).

    A category's bar is its own figure (a multiple-choice category's: the mean of its codes),
    never a pooled one. An undefined α has no bar: "undefined" is written where it would be.
    """
    from matplotlib.figure import Figure as MplFigure

    rows = agreement[
        (agreement["code"].isin(["", CODES_MEAN, OVERALL_MEAN]))
        & (agreement["article_id"] != "all")
    ]
    if rows.empty:
        return None
    categories = [c.id for c in book.categories] + ["overall"]
    labels = {c.id: c.label for c in book.categories} | {"overall": "Mean of the categories"}
    threads = sorted(rows["article_id"].unique())
    fig = MplFigure(figsize=(7.5, 0.55 * len(threads) * len(categories) / 2 + 1.6))
    ax = fig.subplots()
    height = 0.8 / len(categories)
    colours = ["#1f4e79", "#8c510a", "#2d6a4f", "#6a3d9a", "#4d4d4d"]
    parts = []
    for i, cat in enumerate(categories):
        values = []
        for t in threads:
            hit = rows[(rows["article_id"] == t) & (rows["category"] == cat)]["alpha"]
            values.append(float(hit.iloc[0]) if len(hit) else math.nan)
        ypos = np.arange(len(threads)) + i * height
        defined = np.isfinite(values)
        # Width 0, not a missing bar, where α is undefined: the legend keeps the colour.
        ax.barh(
            ypos,
            np.where(defined, values, 0.0),
            height=height,
            label=labels[cat],
            color=colours[i % len(colours)],
        )
        for y in ypos[~defined]:
            ax.text(0.01, y, "undefined", va="center", fontsize=7, color="#333333")
        parts.append(
            f"{labels[cat]}: "
            + ", ".join(
                f"thread {t} {v:.2f}" if math.isfinite(v) else f"thread {t} undefined"
                for t, v in zip(threads, values, strict=True)
            )
        )
    ax.set_yticks(np.arange(len(threads)) + 0.4 - height / 2, [f"Thread {t}" for t in threads])
    ax.invert_yaxis()
    for x, style in ((0.667, ":"), (0.8, "--")):
        ax.axvline(x, color="#333333", linestyle=style, linewidth=1)
    ax.set_xlim(min(-0.2, float(np.nanmin(rows["alpha"].to_numpy(float), initial=0))), 1.0)
    ax.axvline(0, color="#000000", linewidth=0.8)
    ax.set_xlabel("Krippendorff's α (dotted: 0.667, dashed: 0.800)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize=8, frameon=False)
    fig.tight_layout()
    alt = (
        "Bar chart of Krippendorff's alpha between the students, per thread. "
        + "; ".join(parts)
        + ". Reference lines at 0.667 and 0.800."
    )
    return Figure(_png(fig), alt, "Agreement between the students (Krippendorff's α) per thread.")


def role_figure(table: pd.DataFrame, axes: course.RoleAxes) -> Figure | None:
    """The class's role map beside the sources' stances (``None`` when nothing was placed)."""
    from matplotlib.figure import Figure as MplFigure

    placed = table[table["n"] > 0]
    if placed.empty:
        return None
    fig = MplFigure(figsize=(8, 8))
    ax = fig.subplots()
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    for r in placed.itertuples():
        ax.plot(
            [r.source_serves, r.serves_mean],
            [r.source_works_by, r.works_by_mean],
            color="#9aa5b1",
            linewidth=0.8,
            zorder=1,
        )
    ax.errorbar(
        placed["serves_mean"],
        placed["works_by_mean"],
        xerr=placed["serves_sd"].fillna(0),
        yerr=placed["works_by_sd"].fillna(0),
        fmt="o",
        color="#1f4e79",
        ecolor="#7fa6c9",
        elinewidth=1,
        capsize=2,
        markersize=6,
        label="Class mean (bars: ± 1 standard deviation)",
        zorder=3,
    )
    ax.scatter(
        placed["source_serves"],
        placed["source_works_by"],
        marker="s",
        facecolors="none",
        edgecolors="#8c510a",
        s=40,
        linewidths=1.4,
        label="The source's own stance",
        zorder=2,
    )
    for r in placed.itertuples():
        ax.annotate(
            str(r.number),
            (r.serves_mean, r.works_by_mean),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7,
            color="#0b2e4f",
        )
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_aspect("equal")
    ax.set_xlabel(f"Whom it serves: {axes.serves.min_label} (−1) … {axes.serves.max_label} (+1)")
    ax.set_ylabel(f"How it works: {axes.works_by.min_label} (−1) … {axes.works_by.max_label} (+1)")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    fig.tight_layout()
    gaps = placed.sort_values("distance", ascending=False).head(3)
    gap_text = "; ".join(
        f"{r.number} {r.label}: class ({r.serves_mean:+.2f}, {r.works_by_mean:+.2f}), "
        f"source ({r.source_serves:+.2f}, {r.source_works_by:+.2f})"
        for r in gaps.itertuples()
    )
    spread = placed[["serves_sd", "works_by_sd"]].mean()
    alt = (
        f"Role map: the class's mean position of {len(placed)} definitions (filled dots, numbered "
        "as in the table; bars one standard deviation) beside the sources' own stances (hollow "
        f"squares). Median placements per definition: {int(placed['n'].median())}. Mean distance "
        f"between class and source: {placed['distance'].mean():.2f}. Mean standard deviation: "
        f"{spread['serves_sd']:.2f} (whom it serves), {spread['works_by_sd']:.2f} (how it "
        f"works). Largest gaps: {gap_text}."
    )
    return Figure(_png(fig), alt, "The class's role map beside the sources' stances.")

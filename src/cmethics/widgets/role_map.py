"""The role map: the comparer's scatter plot of definitions on the two axes, its alt text and key.

Points are the definitions' numbers on the axes "whom it serves" (brand −1 … community +1) and
"how it works" (control −1 … trust +1); the comparer draws the student's placements, optionally
with segments to the sources' own stances, and the book shows the sources' map
(``sources_map_html``). Every figure comes with alt text that states each point's coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from cmethics.role_items import RoleItem, load_role_items
from cmethics.widgets._base import esc, figure_html
from cmethics.widgets._style import ACCENT, INK, MUTED, THEM

__all__ = ["map_alt_text", "map_key_html", "role_map_figure", "sources_map_html"]

# Okabe-Ito colours (safe for colour-blind readers) and a marker shape, one per source.
_SOURCE_STYLE = {
    "000": ("#0072B2", "o"),
    "001": ("#E69F00", "s"),
    "002": ("#009E73", "^"),
    "003": ("#CC79A7", "D"),
    "004": ("#D55E00", "v"),
    "reference": ("#000000", "P"),
}


def map_alt_text(
    points: Sequence[tuple[int, str, float, float]],
    compared: Sequence[tuple[int, str, float, float, float, float]] = (),
    whose: str = "Your",
) -> str:
    """Alt text of a role map that states every point's coordinates.

    Parameters
    ----------
    points
        ``(number, label, serves, works_by)`` for each point drawn.
    compared
        ``(number, label, your_serves, your_works_by, source_serves, source_works_by)`` for
        each arrow drawn (the overlay).
    whose
        Whose placements the points are ("Your", "The sources'").
    """
    head = (
        f"Scatter plot: {whose} placements of {len(points)} definitions of the community "
        "manager's role. Horizontal axis, whom it serves: the brand (-1) to the community "
        "(+1). Vertical axis, how it works: control (-1) to trust (+1)."
    )
    if not points:
        return head + " No definition is placed yet."
    parts = [f"{n}. {label}: serves {s:+.1f}, works by {w:+.1f}" for n, label, s, w in points]
    text = head + " Points: " + "; ".join(parts) + "."
    if compared:
        arrows = [
            f"{n}. {label}: you {ys:+.1f}, {yw:+.1f}; source {ss:+.1f}, {sw:+.1f}"
            for n, label, ys, yw, ss, sw in compared
        ]
        text += " Arrows to the sources' own stances: " + "; ".join(arrows) + "."
    return text


def _grouped(points: Sequence[tuple[int, float, float]]) -> list[tuple[float, float, str]]:
    """Merge points drawn at the same place into one label ("5, 10, 24")."""
    at: dict[tuple[float, float], list[int]] = {}
    for n, x, y in points:
        at.setdefault((round(x, 2), round(y, 2)), []).append(n)
    return [(x, y, ", ".join(str(n) for n in sorted(ns))) for (x, y), ns in at.items()]


@lru_cache(maxsize=1024)
def _glyphs(label: str) -> Any:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    return TextPath((0, 0), label, prop=FontProperties(size=7.5))


def _add_labels(fig: Any, ax: Any, labels: Sequence[tuple[float, float, str]]) -> None:
    """Write the point numbers as one collection of glyph outlines, 4 pt right of each point.

    One collection of cached outlines instead of one text object per point: text layout is
    most of a redraw's cost (each text is laid out twice, for the tight bounding box and for
    the drawing), and the comparer's map must redraw quickly.
    """
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Affine2D

    if not labels:
        return
    points_to_pixels = Affine2D().scale(1 / 72).translate(4 / 72, 3 / 72) + fig.dpi_scale_trans
    collection = PathCollection(
        [_glyphs(label) for _x, _y, label in labels],
        offsets=[(x, y) for x, y, _label in labels],
        offset_transform=ax.transData,
        transform=points_to_pixels,
        facecolors=INK,
        edgecolors="none",
        zorder=4,
    )
    collection.set_in_layout(False)
    ax.add_collection(collection, autolim=False)


def role_map_figure(
    points: Sequence[tuple[int, float, float, str]],
    arrows: Sequence[tuple[int, float, float, float, float]] = (),
    title: str = "",
    by_source: bool = False,
) -> Any:
    """Draw a role map: numbered points on the two axes, optionally with arrows.

    Points are labelled by their number (the definitions' numbers in the comparer); points at
    the same place share one label. The figure is built with fixed margins and few artists
    (one scatter per colour, one arrow collection) so that redrawing it stays fast.

    Parameters
    ----------
    points
        ``(number, serves, works_by, group)``; ``group`` is the article id or
        ``"reference"`` (it sets colour and shape when ``by_source``).
    arrows
        ``(number, x0, y0, x1, y1)``: from the student's point to the source's stance.
    title
        The figure's title.
    by_source
        Colour and shape the points by source (the sources' own map) instead of one colour.

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with pyplot: render it with ``figure_html``.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.4, 5.6))
    ax = _axes(fig, title)
    if by_source:
        _scatter_by_source(ax, points)
    elif points:
        ax.scatter(
            [p[1] for p in points],
            [p[2] for p in points],
            s=48,
            color=ACCENT,
            zorder=3,
            label="your placements",
        )
    _add_labels(fig, ax, _grouped([(p[0], p[1], p[2]) for p in points]))
    if arrows:
        _draw_arrows(ax, arrows)
    if points or arrows:
        ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=8, frameon=False)
    return fig


def _axes(fig: Any, title: str) -> Any:
    """The map's axes: fixed margins, both axes from −1 to 1, zero lines, labels, title."""
    ax = fig.add_axes((0.1, 0.1, 0.6, 0.8))
    ax.set_xlim(-1.15, 1.15)
    ax.set_ylim(-1.15, 1.15)
    ticks = [-1.0, -0.5, 0.0, 0.5, 1.0]
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.axhline(0, color="#b8c2cc", linewidth=0.8, zorder=0)
    ax.axvline(0, color="#b8c2cc", linewidth=0.8, zorder=0)
    ax.set_xlabel("Whom it serves: the brand (\u22121) \u2026 the community (+1)", fontsize=9)
    ax.set_ylabel("How it works: control (\u22121) \u2026 trust (+1)", fontsize=9)
    ax.set_title(title, fontsize=10.5)
    return ax


def _scatter_by_source(ax: Any, points: Sequence[tuple[int, float, float, str]]) -> None:
    """One scatter per source (its colour and shape), the references last."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for _n, x, y, group in points:
        groups.setdefault(group, []).append((x, y))
    for group in sorted(groups, key=lambda g: (g == "reference", g)):
        colour, marker = _SOURCE_STYLE.get(group, _SOURCE_STYLE["reference"])
        name = "today\u2019s references" if group == "reference" else f"source {group}"
        xy = groups[group]
        ax.scatter(
            [p[0] for p in xy],
            [p[1] for p in xy],
            s=44,
            color=colour,
            marker=marker,
            label=name,
            zorder=3,
        )


def _draw_arrows(ax: Any, arrows: Sequence[tuple[int, float, float, float, float]]) -> None:
    """Segments from the student's points to hollow markers at the sources' stances."""
    from matplotlib.collections import LineCollection

    x0 = [a[1] for a in arrows]
    y0 = [a[2] for a in arrows]
    x1 = [a[3] for a in arrows]
    y1 = [a[4] for a in arrows]
    # Straight segments (one collection) from each student's point to the hollow marker
    # of the source's stance: cheaper to draw than arrow polygons, and as clear.
    ax.add_collection(
        LineCollection(
            [((a, b), (c, d)) for a, b, c, d in zip(x0, y0, x1, y1, strict=True)],
            colors=THEM,
            linewidths=1.1,
            alpha=0.75,
            zorder=2,
        ),
        autolim=False,
    )
    ax.scatter(
        x1,
        y1,
        s=60,
        facecolors="white",
        edgecolors=THEM,
        linewidths=1.4,
        zorder=3,
        label="the source\u2019s own stance",
    )
    # Not numbered: every arrow starts from the student's numbered point, and 32 more
    # labels would double the drawing time.


def map_key_html(items: Sequence[RoleItem]) -> str:
    """The key of a map: each number with its definition (escaped)."""
    entries = []
    for item in items:
        lang = " lang='fr'" if item.kind == "source" else ""
        entries.append(f"<span{lang}>{item.number}\u00a0{esc(item.label)}</span>")
    return (
        f"<p style='font-size:0.88em;color:{MUTED};margin:0.2em 0'><strong>Key:</strong> "
        + " \u00b7 ".join(entries)
        + "</p>"
    )


def sources_map_html(include_references: bool = True) -> str:
    """The sources' own stances as a map, as an ``<img>`` with alt text, and its key.

    Parameters
    ----------
    include_references
        Also place today's professional references.
    """
    items = load_role_items(include_references)
    fig = role_map_figure(
        [(i.number, i.stance_serves, i.stance_works_by, i.group) for i in items],
        title="Where the sources themselves put each definition",
        by_source=True,
    )
    alt = map_alt_text(
        [(i.number, i.label, i.stance_serves, i.stance_works_by) for i in items],
        whose="The sources' own",
    )
    return figure_html(fig, alt, tight=False, dpi=96) + map_key_html(items)

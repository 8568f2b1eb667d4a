"""Role-definition comparer: place every definition of the job on two axes, then compare.

The five sources propose 28 definitions of the community manager's role (« initiateur de
réseau », « connecteur », « GO de la marque »…), and today's professional references add four
more. For each one the student reads the definition (the French quotation as printed, our
English gloss beside it), places it on two axes, and says why:

- **whom it serves**: the brand (−1) … the community (+1);
- **how it works**: control (−1) … trust (+1).

The student's map is drawn as a scatter plot on request. A check box overlays the sources' own
stances (the course's reading of where each source puts its definition), with an arrow from the
student's point to the source's, and a table lists the biggest differences with the source's
justification. The class's spread is shown by the teacher's class report, which reads every
student's exported ``roles.*`` answers.

>>> from cmethics.widgets import RoleComparer
>>> comparer = RoleComparer()          # display(comparer) in a notebook; saves nothing
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import pandas as pd

from cmethics import corpus, course
from cmethics.widgets._base import (
    Component,
    Session,
    esc,
    figure_html,
    notice,
    primary_button,
)

__all__ = [
    "ATTITUDES",
    "RoleComparer",
    "RoleItem",
    "load_role_items",
    "map_alt_text",
    "map_key_html",
    "role_map_figure",
    "sources_map_html",
]

#: How the speaker relates to the definition, in plain English.
ATTITUDES = {
    "endorses": "The speaker adopts this definition.",
    "rejects": "The speaker reports this definition in order to reject it.",
    "qualifies": "The speaker accepts this definition with reservations.",
    "questions": "The speaker raises this definition as a question.",
}

#: How many differences the comparison table lists.
TOP_DIFFERENCES = 5

# Okabe-Ito colours (safe for colour-blind readers), one per source, and dark ink for text.
_SOURCE_STYLE = {
    "000": ("#0072B2", "o"),
    "001": ("#E69F00", "s"),
    "002": ("#009E73", "^"),
    "003": ("#CC79A7", "D"),
    "004": ("#D55E00", "v"),
    "reference": ("#000000", "P"),
}
_YOU = "#0b3d66"
_THEM = "#a04000"
_MUTED = "#3d4650"


@dataclass(frozen=True)
class RoleItem:
    """One definition to place: from a source (with its quotation) or a present-day reference.

    Attributes
    ----------
    number
        Its number on the map (1 … 32), in the order of the course data.
    role_id
        The answer key's item (``roles.<role_id>``).
    kind
        ``"source"`` or ``"reference"``.
    label
        The source's own name for the role (verbatim French), or the reference's short label.
    text
        The quotation (verbatim French) for a source; ``None`` for a reference.
    gloss
        Our English gloss (sources) or our paraphrase of the reference (references).
    stance_serves, stance_works_by
        Where the source itself puts the definition (the course's reading), in [-1, 1].
    """

    number: int
    role_id: str
    kind: str
    label: str
    text: str | None
    gloss: str
    article_id: str | None
    comment_id: str | None
    speaker_pseudo: str
    speaker_name: str
    attitude: str | None
    note_pseudo: str | None
    note_name: str | None
    stance_serves: float
    stance_works_by: float
    serves_justification: str
    works_by_justification: str
    citation: str | None = None
    url: str | None = None
    whom_served: str | None = None

    def speaker(self, names: bool) -> str:
        """The speaker as shown: name as printed (``names``) or pseudonym for commenters."""
        return self.speaker_name if names else self.speaker_pseudo

    def note(self, names: bool) -> str | None:
        """Our context note, with commenters' names replaced unless ``names``."""
        return self.note_name if names else self.note_pseudo

    @property
    def group(self) -> str:
        """The filter group: the article id, or ``"reference"``."""
        return self.article_id if self.kind == "source" and self.article_id else "reference"


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _pseudonymizer() -> tuple[dict[str, str], re.Pattern[str] | None]:
    """Printed commenter names -> pseudonyms, and a pattern that finds them in our notes."""
    printed = corpus.comments(pseudonymize=False)
    pseudo = corpus.comments(pseudonymize=True)
    mapping: dict[str, str] = {}
    for name, alias, author in zip(
        printed["speaker"], pseudo["speaker"], printed["is_article_author"], strict=True
    ):
        if not _missing(name) and not _missing(alias) and not bool(author) and name != alias:
            mapping[str(name)] = str(alias)
    if not mapping:
        return mapping, None
    # Longest first, so that "Corinne Dangas" is not cut by a shorter name inside it.
    names = sorted(mapping, key=len, reverse=True)
    return mapping, re.compile("|".join(re.escape(n) for n in names))


def load_role_items(include_references: bool = True) -> tuple[RoleItem, ...]:
    """Every definition the comparer shows, in the order of the course data.

    Parameters
    ----------
    include_references
        Add today's professional references after the sources' definitions.

    Returns
    -------
    tuple of RoleItem
        28 definitions from the sources, then (by default) 4 references.
    """
    roles = course.role_definitions()
    comments = corpus.comments(pseudonymize=True).set_index("comment_id")
    mapping, pattern = _pseudonymizer()

    def hide_names(text: str | None) -> str | None:
        if text is None or pattern is None:
            return text
        return pattern.sub(lambda m: mapping[m.group(0)], text)

    items: list[RoleItem] = []
    for row in roles.itertuples(index=False):
        comment_id = None if _missing(row.comment_id) else str(row.comment_id)
        printed = str(row.speaker)
        if comment_id is None:
            # The article body: authors keep their names; 001 and 003 print none.
            name = "the article\u2019s author (unsigned)" if printed == "unsigned" else printed
            pseudo = name
        else:
            alias = comments["speaker"].get(comment_id)
            alias = "an unsigned commenter" if _missing(alias) else str(alias)
            pseudo = alias
            name = alias if printed == "unsigned" else printed
        note = None if _missing(row.note) else str(row.note)
        items.append(
            RoleItem(
                number=len(items) + 1,
                role_id=str(row.role_id),
                kind="source",
                label=str(row.label),
                text=str(row.quote),
                gloss=str(row.gloss),
                article_id=str(row.article_id),
                comment_id=comment_id,
                speaker_pseudo=pseudo,
                speaker_name=name,
                attitude=str(row.speaker_attitude),
                note_pseudo=hide_names(note),
                note_name=note,
                stance_serves=float(row.serves),
                stance_works_by=float(row.works_by),
                serves_justification=str(row.serves_justification),
                works_by_justification=str(row.works_by_justification),
            )
        )
    if include_references:
        for ref in course.professional_references():
            year = f", {ref.year}" if ref.year else ""
            items.append(
                RoleItem(
                    number=len(items) + 1,
                    role_id=ref.id,
                    kind="reference",
                    label=ref.short_label,
                    text=None,
                    gloss=ref.summary,
                    article_id=None,
                    comment_id=None,
                    speaker_pseudo=ref.organisation,
                    speaker_name=ref.organisation,
                    attitude=None,
                    note_pseudo=None,
                    note_name=None,
                    stance_serves=ref.stance.serves.value,
                    stance_works_by=ref.stance.works_by.value,
                    serves_justification=ref.stance.serves.justification,
                    works_by_justification=ref.stance.works_by.justification,
                    citation=f"{ref.title}, {ref.organisation}{year}",
                    url=ref.url,
                    whom_served=ref.principles.whom_served,
                )
            )
    return tuple(items)


def _axis_value(value: Any) -> float | None:
    """A saved axis value as a float in [-1, 1], or ``None`` if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    if not math.isfinite(value) or not -1.0 <= value <= 1.0:
        return None
    return round(value, 2)


def _clean_answer(value: Any) -> dict[str, Any] | None:
    """A saved ``roles.<id>`` answer in the documented shape, or ``None`` if unusable."""
    if not isinstance(value, dict):
        return None
    serves, works_by = _axis_value(value.get("serves")), _axis_value(value.get("works_by"))
    if serves is None or works_by is None:
        return None
    justification = value.get("justification")
    return {
        "serves": serves,
        "works_by": works_by,
        "justification": justification if isinstance(justification, str) else "",
    }


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\u2212")


# --------------------------------------------------------------------------- the map


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
        facecolors="#1b1f24",
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
    if by_source:
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
    elif points:
        ax.scatter(
            [p[1] for p in points],
            [p[2] for p in points],
            s=48,
            color=_YOU,
            zorder=3,
            label="your placements",
        )
    _add_labels(fig, ax, _grouped([(p[0], p[1], p[2]) for p in points]))
    if arrows:
        x0 = [a[1] for a in arrows]
        y0 = [a[2] for a in arrows]
        x1 = [a[3] for a in arrows]
        y1 = [a[4] for a in arrows]
        # Straight segments (one collection) from each student's point to the hollow marker
        # of the source's stance: cheaper to draw than arrow polygons, and as clear.
        from matplotlib.collections import LineCollection

        ax.add_collection(
            LineCollection(
                [((a, b), (c, d)) for a, b, c, d in zip(x0, y0, x1, y1, strict=True)],
                colors=_THEM,
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
            edgecolors=_THEM,
            linewidths=1.4,
            zorder=3,
            label="the source\u2019s own stance",
        )
        # Not numbered: every arrow starts from the student's numbered point, and 32 more
        # labels would double the drawing time.
    if points or arrows:
        ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=8, frameon=False)
    return fig


def map_key_html(items: Sequence[RoleItem]) -> str:
    """The key of a map: each number with its definition (escaped)."""
    entries = []
    for item in items:
        lang = " lang='fr'" if item.kind == "source" else ""
        entries.append(f"<span{lang}>{item.number}\u00a0{esc(item.label)}</span>")
    return (
        f"<p style='font-size:0.88em;color:{_MUTED};margin:0.2em 0'><strong>Key:</strong> "
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


# --------------------------------------------------------------------------- the widget

_BOX = "border:1px solid #c8d1dc;border-radius:4px;padding:0.6em 0.9em;margin:0.3em 0"
_META = f"font-size:0.88em;color:{_MUTED};margin-bottom:0.3em"
_QUOTE = (
    "border-left:4px solid #1f4e79;margin:0.4em 0;padding:0.3em 0.8em;background:#f5f8fb;"
    "color:#1b1f24;white-space:pre-wrap"
)
_OURS = "border-left:4px solid #8a9bb0;padding:0.2em 0.8em;margin:0.4em 0;color:#1b1f24"
_TABLE = "border-collapse:collapse;font-size:0.9em;margin:0.4em 0"
_CELL = "border:1px solid #c8d1dc;padding:0.3em 0.5em;vertical-align:top;text-align:left"


class RoleComparer(Component):
    """Place every definition of the community manager's role on two axes, then compare.

    Parameters
    ----------
    session
        The student's session (answers are saved on every change); ``None`` for a preview that
        saves nothing.
    include_references
        Also place today's four professional references (32 definitions instead of 28).
    sliders
        Put a slider beside each number field (the live notebook). Off by default: the book's
        static previews must not contain sliders, whose handles have no accessible name.
    pseudonymize
        Start with pseudonyms for commenters; a check box shows names as printed.

    Attributes
    ----------
    items
        The definitions, in order (``RoleItem``).
    serves, works_by
        ``BoundedFloatText`` in [-1, 1], step 0.1.
    justification
        ``Textarea``: why the student places the definition there.
    previous_button, next_button, next_unplaced_button, place_button, jump, source_filter
        Navigation.
    progress
        "n of 32 placed".
    draw_button, compare_box, map_view, differences
        The map, the overlay of the sources' stances and the table of differences.

    Notes
    -----
    Saved answers (exercise ``role``), as documented in ``docs/answers.md``:

    ``roles.<role_id>``
        ``{"serves": float, "works_by": float, "justification": str}``, floats in [-1, 1]
        rounded to two decimals; written on every change of one of the three fields, or when
        the student presses "Place it here" (to keep 0, 0). A definition is *placed* once this
        key exists.
    """

    def __init__(
        self,
        session: Session | None = None,
        include_references: bool = True,
        *,
        sliders: bool = False,
        pseudonymize: bool = True,
    ) -> None:
        super().__init__(session, key="roles")
        import matplotlib.figure  # noqa: F401  (seconds on a cold start: here, not at a click)

        self.items = load_role_items(include_references)
        self._by_id = {item.role_id: item for item in self.items}
        self._answers: dict[str, dict[str, Any]] = {}
        self._showing = False
        self._map_shown = False
        self._map_cache: dict[tuple[Any, ...], str] = {}
        self._visible: list[RoleItem] = list(self.items)
        self._index = 0

        self.intro = widgets.HTML(self._intro_html())
        self.source_filter = widgets.Dropdown(
            options=self._filter_options(),
            value="all",
            description="Show",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em"),
        )
        self.show_names = widgets.Checkbox(
            value=not pseudonymize,
            description="Show commenters\u2019 names as printed on the page",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.jump = widgets.Dropdown(
            description="Definition",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em"),
        )
        self.progress = widgets.HTML()
        self.card = widgets.HTML()
        number = {
            "min": -1.0,
            "max": 1.0,
            "step": 0.1,
            "style": {"description_width": "initial"},
            "layout": widgets.Layout(width="22em"),
        }
        self.serves = widgets.BoundedFloatText(
            description="Serves (brand \u22121 \u2026 community +1)", **number
        )
        self.works_by = widgets.BoundedFloatText(
            description="Works by (control \u22121 \u2026 trust +1)", **number
        )
        self.serves_slider: widgets.FloatSlider | None = None
        self.works_by_slider: widgets.FloatSlider | None = None
        rows: list[widgets.Widget] = [self.serves, self.works_by]
        if sliders:
            self.serves_slider = self._slider("Serves: drag")
            self.works_by_slider = self._slider("Works by: drag")
            widgets.link((self.serves, "value"), (self.serves_slider, "value"))
            widgets.link((self.works_by, "value"), (self.works_by_slider, "value"))
            rows = [
                widgets.HBox([self.serves, self.serves_slider]),
                widgets.HBox([self.works_by, self.works_by_slider]),
            ]
        self.justification = widgets.Textarea(
            description="Why there?",
            placeholder="One or two sentences: what in the definition puts it at this place?",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", height="5em"),
        )
        self.place_button = widgets.Button(
            description="Place it here",
            icon="map-pin",
            tooltip="Count this definition as placed at these values, even at 0, 0",
        )
        self.placement_status = widgets.HTML()
        self.previous_button = widgets.Button(
            description="Previous", icon="arrow-left", tooltip="Previous definition"
        )
        self.next_button = widgets.Button(
            description="Next", icon="arrow-right", tooltip="Next definition"
        )
        self.next_unplaced_button = widgets.Button(
            description="Next not placed",
            icon="forward",
            tooltip="Go to the next definition you have not placed yet",
            layout=widgets.Layout(width="auto"),
        )

        self.draw_button = primary_button(
            description="Draw my map",
            icon="map",
            tooltip="Draw the definitions you have placed",
        )
        self.compare_box = widgets.Checkbox(
            value=False,
            description="Show the sources\u2019 own stances",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.map_view = widgets.HTML()
        self.differences = widgets.HTML()
        self.export_button = widgets.Button(
            description="Export my work",
            icon="download",
            tooltip="Write one file with all your answers, to hand in",
            disabled=session is None,
        )
        self.export_status = widgets.HTML()

        self.source_filter.observe(self._on_filter, "value")
        self.jump.observe(self._on_jump, "value")
        self.show_names.observe(lambda _c: self._show(), "value")
        for control in (self.serves, self.works_by, self.justification):
            control.observe(self._on_edit, "value")
        self.place_button.on_click(lambda _b: self.place())
        self.previous_button.on_click(lambda _b: self.go(self._index - 1))
        self.next_button.on_click(lambda _b: self.go(self._index + 1))
        self.next_unplaced_button.on_click(lambda _b: self.next_unplaced())
        self.draw_button.on_click(lambda _b: self.draw_map())
        self.compare_box.observe(self._on_compare, "value")
        self.export_button.on_click(lambda _b: self.export())

        self.children = [
            self.intro,
            widgets.HBox(
                [self.source_filter, self.show_names], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.progress,
            self.jump,
            self.card,
            *rows,
            self.justification,
            widgets.HBox([self.place_button, self.placement_status]),
            widgets.HBox([self.previous_button, self.next_button, self.next_unplaced_button]),
            widgets.HTML(
                "<h4 style='margin:1em 0 0.2em'>Your map</h4>"
                "<p style='margin:0.2em 0'>Draw the definitions you have placed. Then tick the "
                "box to compare each of your points with where its source puts it (an arrow "
                "goes from your point to the source's).</p>"
            ),
            widgets.HBox([self.draw_button, self.compare_box]),
            self.map_view,
            self.differences,
            widgets.HTML(self._class_html()),
            widgets.HBox([self.export_button, self.export_status]),
        ]
        self._set_jump_options()
        self._show()
        self.attach()

    # -- building ---------------------------------------------------------------------------
    @staticmethod
    def _slider(description: str) -> widgets.FloatSlider:
        return widgets.FloatSlider(
            min=-1.0,
            max=1.0,
            step=0.1,
            description=description,
            readout=False,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="20em"),
        )

    def _intro_html(self) -> str:
        n = len(self.items)
        return (
            "<div><p style='margin:0.2em 0'>The sources define the community manager's job in "
            f"many ways. Read each of the {n} definitions and place it on two axes: "
            "<strong>whom it serves</strong> (the brand \u22121 \u2026 the community +1) and "
            "<strong>how it works</strong> (control \u22121 \u2026 trust +1). Type a number "
            "between \u22121 and 1 (steps of 0.1) and say why in a sentence or two. Your answers "
            "are saved as you type.</p></div>"
        )

    def _filter_options(self) -> list[tuple[str, str]]:
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.group] = counts.get(item.group, 0) + 1
        titles = dict(zip(corpus.articles()["article_id"], corpus.articles()["title"], strict=True))
        options = [(f"All definitions ({len(self.items)})", "all")]
        for group in sorted(g for g in counts if g != "reference"):
            options.append((f"Source {group}: {titles.get(group, '')} ({counts[group]})", group))
        if "reference" in counts:
            options.append(
                (f"Today\u2019s professional references ({counts['reference']})", "reference")
            )
        return options

    def _class_html(self) -> str:
        return (
            "<h4 style='margin:1em 0 0.2em'>In class, with your classmates</h4>"
            "<p style='margin:0.2em 0'>Your placements are saved as you go. When you have "
            "finished, press <strong>Export my work</strong> (here or at the top) and hand in "
            "the file as your teacher asks. Your teacher's class report gathers everyone's "
            "placements and shows the class's spread for each definition: where you agree, "
            "where you differ, and how the class compares with the sources.</p>"
        )

    # -- state ------------------------------------------------------------------------------
    @property
    def names(self) -> bool:
        """Whether commenters' printed names are shown instead of pseudonyms."""
        return bool(self.show_names.value)

    @property
    def current(self) -> RoleItem:
        """The definition on screen."""
        return self._visible[self._index]

    def placement(self, role_id: str) -> dict[str, Any] | None:
        """The student's saved placement of one definition, or ``None``."""
        answer = self._answers.get(role_id)
        return dict(answer) if answer is not None else None

    @property
    def placed(self) -> list[str]:
        """Ids of the definitions placed so far, in order."""
        return [item.role_id for item in self.items if item.role_id in self._answers]

    def _restore(self) -> None:
        self._answers = {}
        for item in self.items:
            answer = _clean_answer(self.load(item.role_id))
            if answer is not None:
                self._answers[item.role_id] = answer
        self._show()
        if self._map_shown:
            self.draw_map()

    # -- navigation ---------------------------------------------------------------------------
    def _set_jump_options(self) -> None:
        self._showing = True
        try:
            self.jump.options = [
                (f"{item.number}. {item.label}", item.role_id) for item in self._visible
            ]
            self.jump.value = self.current.role_id
        finally:
            self._showing = False

    def _on_filter(self, change: dict[str, Any]) -> None:
        group = change["new"]
        self._visible = [i for i in self.items if group == "all" or i.group == group]
        if not self._visible:  # cannot happen with the options offered; stay safe
            self._visible = list(self.items)
        self._index = 0
        self._set_jump_options()
        self._show()

    def _on_jump(self, change: dict[str, Any]) -> None:
        if self._showing or change["new"] is None:
            return
        ids = [i.role_id for i in self._visible]
        if change["new"] in ids:
            self.go(ids.index(change["new"]))

    def go(self, index: int) -> None:
        """Show definition ``index`` of the current filter (clipped to the ones shown)."""
        self._index = max(0, min(index, len(self._visible) - 1))
        self._showing = True
        try:
            self.jump.value = self.current.role_id
        finally:
            self._showing = False
        self._show()

    def go_to(self, role_id: str) -> None:
        """Show one definition by id, clearing the source filter if it hides it."""
        ids = [i.role_id for i in self._visible]
        if role_id not in ids:
            self.source_filter.value = "all"
            ids = [i.role_id for i in self._visible]
        self.go(ids.index(role_id))

    def next_unplaced(self) -> None:
        """Go to the next definition not placed yet (within the filter, wrapping round)."""
        count = len(self._visible)
        for step in range(1, count + 1):
            candidate = (self._index + step) % count
            if self._visible[candidate].role_id not in self._answers:
                self.go(candidate)
                return
        self.placement_status.value = notice(
            "Every definition shown here is placed. Draw your map below.", "success"
        ).value

    # -- editing ------------------------------------------------------------------------------
    def _on_edit(self, _change: dict[str, Any]) -> None:
        if self._showing:
            return
        self.place()

    def place(self) -> None:
        """Save the current definition's placement from the three fields."""
        serves = _axis_value(self.serves.value)
        works_by = _axis_value(self.works_by.value)
        if serves is None or works_by is None:
            self.placement_status.value = notice(
                "Type a number between \u22121 and 1 in both fields (for example 0.5 or "
                "\u22120.3).",
                "warning",
            ).value
            return
        answer = {
            "serves": serves,
            "works_by": works_by,
            "justification": str(self.justification.value or ""),
        }
        role_id = self.current.role_id
        self._answers[role_id] = answer
        self.save(role_id, answer)
        self._update_status()
        if self._map_shown:
            self._mark_map_stale()

    def _mark_map_stale(self) -> None:
        self.draw_button.description = "Update my map"

    # -- rendering ----------------------------------------------------------------------------
    def _show(self) -> None:
        item = self.current
        answer = self._answers.get(item.role_id)
        self._showing = True
        try:
            self.serves.value = answer["serves"] if answer else 0.0
            self.works_by.value = answer["works_by"] if answer else 0.0
            self.justification.value = answer["justification"] if answer else ""
        finally:
            self._showing = False
        self.card.value = self.card_html(item)
        self.previous_button.disabled = self._index == 0
        self.next_button.disabled = self._index >= len(self._visible) - 1
        self._update_status()

    def _update_status(self) -> None:
        total = len(self.items)
        placed = len(self._answers)
        justified = sum(1 for a in self._answers.values() if a["justification"].strip())
        shown = sum(1 for i in self._visible if i.role_id in self._answers)
        text = f"<strong>{placed} of {total} placed</strong> ({justified} with a justification)"
        if len(self._visible) != total:
            text += f" \u00b7 {shown} of {len(self._visible)} in this selection"
        self.progress.value = f"<div style='margin:0.3em 0'>{text}</div>"
        answer = self._answers.get(self.current.role_id)
        if answer is None:
            self.placement_status.value = (
                f"<span style='color:{_MUTED}'>Not placed yet: change a value or write why, "
                "or press \u201cPlace it here\u201d to keep 0, 0.</span>"
            )
        else:
            self.placement_status.value = (
                f"<span style='color:#1e4620'>Placed: serves {_signed(answer['serves'])}, "
                f"works by {_signed(answer['works_by'])}.</span>"
            )

    def card_html(self, item: RoleItem) -> str:
        """One definition as shown to the student (every text escaped)."""
        names = self.names
        position = f"No. {item.number} of {len(self.items)}"
        if item.kind == "reference":
            meta = f"{position} \u00b7 today\u2019s professional reference"
            link = (
                f" \u00b7 <a href='{esc(item.url)}' rel='noopener noreferrer'>{esc(item.url)}</a>"
                if item.url and item.url.startswith("https://")
                else ""
            )
            body = (
                f"<div style='{_META}'>{esc(meta)}</div>"
                f"<div style='font-size:1.1em'><strong>{esc(item.label)}</strong></div>"
                f"<div style='{_META}'>{esc(item.citation)}{link}</div>"
                f"<div style='{_OURS}'><em>Our paraphrase:</em> {esc(item.gloss)}</div>"
            )
            if item.whom_served:
                body += (
                    f"<div style='{_OURS}'><em>Whom it says the community manager serves "
                    f"(our paraphrase):</em> {esc(item.whom_served)}</div>"
                )
            return f"<div style='{_BOX}'>{body}</div>"
        where = f"source {item.article_id}"
        where += f", comment {item.comment_id}" if item.comment_id else ", the article itself"
        meta = f"{position} \u00b7 {where} \u00b7 {item.speaker(names)}"
        body = (
            f"<div style='{_META}'>{esc(meta)}</div>"
            f"<div style='font-size:1.1em'><strong lang='fr'>\u00ab\u00a0{esc(item.label)}"
            "\u00a0\u00bb</strong></div>"
            f"<blockquote lang='fr' style='{_QUOTE}'>{esc(item.text)}</blockquote>"
            f"<div style='{_OURS}'><em>Our English gloss:</em> {esc(item.gloss)}</div>"
        )
        if item.attitude:
            body += f"<div style='margin:0.3em 0'>{esc(ATTITUDES.get(item.attitude, ''))}</div>"
        note = item.note(names)
        if note:
            body += f"<div style='{_META}'><em>Context (our note):</em> {esc(note)}</div>"
        return f"<div style='{_BOX}'>{body}</div>"

    # -- the map ------------------------------------------------------------------------------
    def _on_compare(self, _change: dict[str, Any]) -> None:
        self.draw_map()

    def draw_map(self) -> None:
        """Draw the student's placements (and the sources' stances if the box is ticked)."""
        self._map_shown = True
        self.draw_button.description = "Update my map"
        placed = [self._by_id[rid] for rid in self.placed]
        if not placed:
            self.map_view.value = notice(
                "Place at least one definition, then draw your map.", "info"
            ).value
            self.differences.value = ""
            return
        answers = [self._answers[i.role_id] for i in placed]
        compare = bool(self.compare_box.value)
        points = [
            (i.number, a["serves"], a["works_by"], i.group)
            for i, a in zip(placed, answers, strict=True)
        ]
        arrows = [
            (i.number, a["serves"], a["works_by"], i.stance_serves, i.stance_works_by)
            for i, a in zip(placed, answers, strict=True)
            if compare
        ]
        title = "Your map" + (" and the sources\u2019 own stances" if compare else "")
        alt = map_alt_text(
            [
                (i.number, i.label, a["serves"], a["works_by"])
                for i, a in zip(placed, answers, strict=True)
            ],
            [(i.number, i.label, *a[1:]) for i, a in zip(placed, arrows, strict=True)]
            if compare
            else [],
        )
        key = (tuple(points), tuple(arrows))
        if key not in self._map_cache:  # same placements, same overlay: same image
            fig = role_map_figure(points, arrows, title=title)
            # Two entries: the map with and without the overlay, for quick toggling.
            self._map_cache = {k: v for k, v in self._map_cache.items() if k[0] == key[0]}
            self._map_cache[key] = figure_html(fig, alt, tight=False, dpi=96) + map_key_html(placed)
        self.map_view.value = self._map_cache[key]
        self.differences.value = self.differences_html() if compare else ""

    def differences_html(self, limit: int = TOP_DIFFERENCES) -> str:
        """The biggest gaps between the student's placements and the sources' stances."""
        rows = []
        for role_id in self.placed:
            item = self._by_id[role_id]
            answer = self._answers[role_id]
            gap = math.hypot(
                answer["serves"] - item.stance_serves, answer["works_by"] - item.stance_works_by
            )
            rows.append((gap, item, answer))
        rows.sort(key=lambda r: (-r[0], r[1].number))
        if not rows:
            return ""
        head = "".join(
            f"<th style='{_CELL}'>{h}</th>"
            for h in (
                "No.",
                "Definition",
                "You",
                "The source",
                "Gap",
                "Why the source puts it there (the course\u2019s reading)",
                "Your justification",
            )
        )
        body = []
        for gap, item, answer in rows[:limit]:
            lang = " lang='fr'" if item.kind == "source" else ""
            body.append(
                "<tr>"
                f"<td style='{_CELL}'>{item.number}</td>"
                f"<td style='{_CELL}'{lang}>{esc(item.label)}</td>"
                f"<td style='{_CELL}'>{_signed(answer['serves'])}, "
                f"{_signed(answer['works_by'])}</td>"
                f"<td style='{_CELL}'>{_signed(item.stance_serves)}, "
                f"{_signed(item.stance_works_by)}</td>"
                f"<td style='{_CELL}'>{gap:.2f}</td>"
                f"<td style='{_CELL}'><em>Whom it serves:</em> {esc(item.serves_justification)}"
                f"<br><em>How it works:</em> {esc(item.works_by_justification)}</td>"
                f"<td style='{_CELL}'>{esc(answer['justification']) or '<em>none yet</em>'}</td>"
                "</tr>"
            )
        return (
            f"<h4 style='margin:0.8em 0 0.2em'>Your {min(limit, len(rows))} biggest "
            "differences with the sources</h4>"
            "<p style='margin:0.2em 0'>Pairs are (whom it serves, how it works). The gap is the "
            "distance between your point and the source's on the map (at most 2.83). A big gap "
            "is not a mistake: read the source's reasons, then decide whether to move your "
            "point or to keep it and sharpen your justification.</p>"
            f"<table style='{_TABLE}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    # -- export -------------------------------------------------------------------------------
    def export(self) -> None:
        """Write the submission file through the session and say where it is."""
        if self.session is None:
            return
        path = self.session.export()
        if path is None:
            self.export_status.value = notice(
                "Type your name or pseudonym at the top and press Start first.", "warning"
            ).value
        else:
            self.export_status.value = notice(f"Exported: {path}", "success").value

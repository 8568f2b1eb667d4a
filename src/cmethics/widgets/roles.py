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
from typing import Any

import ipywidgets as widgets

from cmethics import answer_format, corpus
from cmethics.role_items import ATTITUDES, RoleItem, load_role_items
from cmethics.widgets._base import (
    Component,
    Session,
    esc,
    figure_html,
    notice,
    on_click_busy,
    primary_button,
)
from cmethics.widgets._style import (
    CARD,
    CELL,
    META,
    MUTED,
    OURS_ROOMY,
    QUOTE_ROOMY,
    TABLE,
    full_width,
    names_switch,
)
from cmethics.widgets.role_map import (
    map_alt_text,
    map_key_html,
    role_map_figure,
    sources_map_html,
)

# The role data and the map live in cmethics.role_items and cmethics.widgets.role_map; their
# names stay importable from here, where the book and older notebooks look for them.
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

#: How many differences the comparison table lists.
TOP_DIFFERENCES = 5


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
    return answer_format.parse_placement(value).value


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\u2212")


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

        self._build_browsing(pseudonymize)
        fields = self._build_placing(sliders)
        self._build_navigation()
        self._build_map()
        self._build_export()
        self._connect()
        self.children = self._layout(fields)
        self._set_jump_options()
        self._show()
        self.attach()

    # -- building ---------------------------------------------------------------------------
    def _build_browsing(self, pseudonymize: bool) -> None:
        """The introduction, the source filter, the names switch, the jump list and the card."""
        self.intro = widgets.HTML(self._intro_html())
        self.source_filter = widgets.Dropdown(
            options=self._filter_options(),
            value="all",
            description="Show",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em"),
        )
        self.show_names = names_switch(value=not pseudonymize)
        self.jump = widgets.Dropdown(
            description="Definition",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="34em"),
        )
        self.progress = widgets.HTML()
        self.card = widgets.HTML()

    def _build_placing(self, sliders: bool) -> list[widgets.Widget]:
        """The two number fields (with sliders when asked), the justification and "Place it".

        Returns the rows that show the two axes: the fields, or each field beside its slider.
        """
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
            layout=full_width(height="5em"),
        )
        self.place_button = widgets.Button(
            description="Place it here",
            icon="map-pin",
            tooltip="Count this definition as placed at these values, even at 0, 0",
        )
        self.placement_status = widgets.HTML()
        return rows

    def _build_navigation(self) -> None:
        """Previous, Next and "Next not placed"."""
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

    def _build_map(self) -> None:
        """The "Draw my map" button, the overlay check box, the map and the differences."""
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

    def _build_export(self) -> None:
        """The comparer's own "Export my work" (disabled in a preview without a session)."""
        self.export_button = widgets.Button(
            description="Export my work",
            icon="download",
            tooltip="Write one file with all your answers, to hand in",
            disabled=self.session is None,
        )
        self.export_status = widgets.HTML()

    def _connect(self) -> None:
        """Wire every control to its callback."""
        self.source_filter.observe(self._on_filter, "value")
        self.jump.observe(self._on_jump, "value")
        self.show_names.observe(lambda _c: self._show(), "value")
        for control in (self.serves, self.works_by, self.justification):
            control.observe(self._on_edit, "value")
        self.place_button.on_click(lambda _b: self.place())
        self.previous_button.on_click(lambda _b: self.go(self._index - 1))
        self.next_button.on_click(lambda _b: self.go(self._index + 1))
        self.next_unplaced_button.on_click(lambda _b: self.next_unplaced())
        on_click_busy(self.draw_button, "Drawing\u2026", self.draw_map)
        self.compare_box.observe(self._on_compare, "value")
        on_click_busy(self.export_button, "Exporting\u2026", self.export)

    def _layout(self, fields: list[widgets.Widget]) -> list[widgets.Widget]:
        """The comparer's children, top to bottom; ``fields`` are the rows of the two axes."""
        return [
            self.intro,
            widgets.HBox(
                [self.source_filter, self.show_names], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.progress,
            self.jump,
            self.card,
            *fields,
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
                f"<span style='color:{MUTED}'>Not placed yet: change a value or write why, "
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
                f"<div style='{META}'>{esc(meta)}</div>"
                f"<div style='font-size:1.1em'><strong>{esc(item.label)}</strong></div>"
                f"<div style='{META}'>{esc(item.citation)}{link}</div>"
                f"<div style='{OURS_ROOMY}'><em>Our paraphrase:</em> {esc(item.gloss)}</div>"
            )
            if item.whom_served:
                body += (
                    f"<div style='{OURS_ROOMY}'><em>Whom it says the community manager serves "
                    f"(our paraphrase):</em> {esc(item.whom_served)}</div>"
                )
            return f"<div style='{CARD}'>{body}</div>"
        where = f"source {item.article_id}"
        where += f", comment {item.comment_id}" if item.comment_id else ", the article itself"
        meta = f"{position} \u00b7 {where} \u00b7 {item.speaker(names)}"
        body = (
            f"<div style='{META}'>{esc(meta)}</div>"
            f"<div style='font-size:1.1em'><strong lang='fr'>\u00ab\u00a0{esc(item.label)}"
            "\u00a0\u00bb</strong></div>"
            f"<blockquote lang='fr' style='{QUOTE_ROOMY}'>{esc(item.text)}</blockquote>"
            f"<div style='{OURS_ROOMY}'><em>Our English gloss:</em> {esc(item.gloss)}</div>"
        )
        if item.attitude:
            body += f"<div style='margin:0.3em 0'>{esc(ATTITUDES.get(item.attitude, ''))}</div>"
        note = item.note(names)
        if note:
            body += f"<div style='{META}'><em>Context (our note):</em> {esc(note)}</div>"
        return f"<div style='{CARD}'>{body}</div>"

    # -- the map ------------------------------------------------------------------------------
    def _on_compare(self, _change: dict[str, Any]) -> None:
        self.draw_map()

    def draw_map(self) -> None:
        """Draw the student's placements (and the sources' stances if the box is ticked)."""
        self._map_shown = True
        self._draw()
        # After drawing: meanwhile the button shows its busy sign.
        self.draw_button.description = "Update my map"

    def _draw(self) -> None:
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
            f"<th style='{CELL}'>{h}</th>"
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
                f"<td style='{CELL}'>{item.number}</td>"
                f"<td style='{CELL}'{lang}>{esc(item.label)}</td>"
                f"<td style='{CELL}'>{_signed(answer['serves'])}, "
                f"{_signed(answer['works_by'])}</td>"
                f"<td style='{CELL}'>{_signed(item.stance_serves)}, "
                f"{_signed(item.stance_works_by)}</td>"
                f"<td style='{CELL}'>{gap:.2f}</td>"
                f"<td style='{CELL}'><em>Whom it serves:</em> {esc(item.serves_justification)}"
                f"<br><em>How it works:</em> {esc(item.works_by_justification)}</td>"
                f"<td style='{CELL}'>{esc(answer['justification']) or '<em>none yet</em>'}</td>"
                "</tr>"
            )
        return (
            f"<h4 style='margin:0.8em 0 0.2em'>Your {min(limit, len(rows))} biggest "
            "differences with the sources</h4>"
            "<p style='margin:0.2em 0'>Pairs are (whom it serves, how it works). The gap is the "
            "distance between your point and the source's on the map (at most 2.83). A big gap "
            "is not a mistake: read the source's reasons, then decide whether to move your "
            "point or to keep it and sharpen your justification.</p>"
            f"<table style='{TABLE}'><thead><tr>{head}</tr></thead>"
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
            # The same link as in the session box at the top, next to this button.
            self.export_status.value = (
                self.session.download.value or notice(f"Exported: {path}", "success").value
            )

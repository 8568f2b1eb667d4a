"""The labs' shared look: named colours, panel and quotation styles, and the names switch.

Every widget takes its colours and inline CSS from here, so that one change reaches them all.
The values are those the widgets used before they were gathered here (the rendered HTML is
unchanged); contrast ratios are against white. Inline styles, not a stylesheet file: the book's
offline pages and the notebooks render widget HTML without any CSS of ours. The one exception is
:data:`STYLESHEET`, a ``<style>`` element that travels inside the widgets themselves (the
session box and every component carry it), for what inline styles cannot reach: the text areas
that ipywidgets draws.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

__all__ = [
    "ACCENT",
    "BORDER",
    "CARD",
    "CELL",
    "CSS_CLASS",
    "INK",
    "META",
    "MUTED",
    "MUTED_TEXT",
    "OURS",
    "OURS_ROOMY",
    "PANEL",
    "PRIMARY_COLOUR",
    "QUOTE",
    "QUOTE_ROOMY",
    "STYLESHEET",
    "TABLE",
    "THEM",
    "TRANSLATION_BAR",
    "WARNING",
    "full_width",
    "names_switch",
]

# -- colours ---------------------------------------------------------------------------------
#: Main-action buttons and the bar beside a quotation. ipywidgets' own "primary" is white on
#: #2196f3 (contrast 3.1:1, below WCAG AA's 4.5:1); white on this is about 9:1.
PRIMARY_COLOUR = "#1f4e79"
#: Dark blue: the student's own marks, article authors, the ink of an info notice (11:1).
ACCENT = "#0b3d66"
#: Dark orange: the others' marks beside the student's (the course's reading, the class; 6.5:1).
THEM = "#a04000"
#: Secondary text: attributions, captions, "Source 004 · …" lines (9.6:1).
MUTED = "#3d4650"
#: Body text inside quotation and translation blocks.
INK = "#1b1f24"
#: Thin borders of panels, cards and table cells.
BORDER = "#c8d1dc"
#: The grey bar beside our translations (and the predicted bars of the ego lab).
TRANSLATION_BAR = "#8a9bb0"

# -- inline styles ---------------------------------------------------------------------------
#: ``style`` value for muted text, for elements that set nothing else.
MUTED_TEXT = f"color:{MUTED}"
#: A bordered panel around one part of a lab (a stakeholder, a step, a result).
PANEL = f"border:1px solid {BORDER};border-radius:4px;padding:0.6em 0.9em;margin:0.4em 0"
#: A panel a little closer to its neighbours: the role comparer's definition card.
CARD = f"border:1px solid {BORDER};border-radius:4px;padding:0.6em 0.9em;margin:0.3em 0"
#: A verbatim French quotation (``<blockquote lang="fr">``); line breaks as printed.
QUOTE = (
    f"border-left:4px solid {PRIMARY_COLOUR};margin:0.3em 0;padding:0.3em 0.8em;"
    f"background:#f5f8fb;color:{INK};white-space:pre-wrap"
)
#: Our English translation or gloss, under a quotation.
OURS = f"border-left:4px solid {TRANSLATION_BAR};padding:0.2em 0.8em;margin:0.3em 0;color:{INK}"
#: ``QUOTE`` and ``OURS`` with more space around them (the role comparer's card).
QUOTE_ROOMY = QUOTE.replace("margin:0.3em 0", "margin:0.4em 0")
OURS_ROOMY = OURS.replace("margin:0.3em 0", "margin:0.4em 0")
#: The line of small muted text above a quotation (who, where).
META = f"font-size:0.88em;color:{MUTED};margin-bottom:0.3em"
#: A compact table and its cells (the role comparison's differences).
TABLE = "border-collapse:collapse;font-size:0.9em;margin:0.4em 0"
CELL = f"border:1px solid {BORDER};padding:0.3em 0.5em;vertical-align:top;text-align:left"
#: A warning box (content notes before difficult material).
WARNING = (
    "border-left:4px solid #8a4b00;background:#fff4e5;color:#4d2c00;padding:0.6em 0.9em;"
    "margin:0.4em 0;border-radius:3px"
)


# -- the stylesheet the widgets carry --------------------------------------------------------
#: The class of the session box and of every component: :data:`STYLESHEET` applies inside it.
CSS_CLASS = "cmethics-widget"
#: Students write prose: text areas and name boxes in the page's own font, not the browser's
#: monospace default for ``<textarea>`` (ipywidgets sets none). Scoped to the course's widgets.
STYLESHEET = (
    f"<style>.{CSS_CLASS} textarea, .{CSS_CLASS} input[type='text'] "
    "{ font-family: inherit; }</style>"
)


def full_width(**kwargs: Any) -> widgets.Layout:
    """The layout of a control as wide as the box it sits in (a text area, a panel).

    ``width: 100%`` is too wide by the control's own margins (ipywidgets gives every control
    2 px on each side), which made each lab's box scroll sideways by 4 px; stretching an
    ``auto`` width fills the line inside the margins instead.
    """
    return widgets.Layout(width="auto", align_self="stretch", **kwargs)


def names_switch(value: bool = False) -> widgets.Checkbox:
    """The "Show commenters' names as printed on the page" checkbox.

    Parameters
    ----------
    value
        Whether it starts ticked (printed names) or not (pseudonyms, the default).

    Returns
    -------
    ipywidgets.Checkbox
        Unticked shows commenters as "Commenter 07"; article authors keep their names either way.
    """
    return widgets.Checkbox(
        value=value,
        description="Show commenters\u2019 names as printed on the page",
        indent=False,
        layout=widgets.Layout(width="auto"),
    )

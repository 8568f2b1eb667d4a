"""Helpers shared by the widget tests: hostile strings and a check for live markup."""

from __future__ import annotations

from html.parser import HTMLParser

import ipywidgets as widgets
from html_safety import PAYLOADS

#: The same hostile strings as html_safety.PAYLOADS (one list for every escaping test).
EVIL = PAYLOADS


class _Tags(HTMLParser):
    """Collect every live tag and attribute of an HTML string."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def live_markup_problems(html: str) -> list[str]:
    """What in ``html`` could run: script tags, event handlers, javascript: URLs, foreign images."""
    parser = _Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag == "script":
            problems.append("script tag")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{tag} has {name}")
            url_attribute = name in {"href", "src", "action", "formaction", "xlink:href"}
            if url_attribute and value and value.strip().lower().startswith("javascript:"):
                problems.append(f"{tag} {name}={value}")
        if tag == "img" and not str(attrs.get("src", "")).startswith("data:image/png;base64,"):
            problems.append(f"img src={attrs.get('src')}")
    return problems


def all_html(widget: widgets.Widget) -> str:
    """Every HTML value in a widget tree."""
    parts = []
    if isinstance(widget, widgets.HTML):
        parts.append(widget.value)
    for child in getattr(widget, "children", ()):
        parts.append(all_html(child))
    return "".join(parts)

"""Shared by the widget tests: find live markup that untrusted text could have smuggled in."""

from __future__ import annotations

from html.parser import HTMLParser

import ipywidgets as widgets

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed"}:
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value}>")
            if tag == "img" and name == "src" and value == "x":
                self.live.append("<img src=x>")


def live_markup(html: str) -> list[str]:
    """Tags or attributes in ``html`` that a browser would execute or load (empty when safe)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.live


def html_values(widget: widgets.Widget) -> list[str]:
    """Every HTML string a widget tree would send to the page (HTML widgets, recursively)."""
    found: list[str] = []
    if isinstance(widget, widgets.HTML | widgets.HTMLMath):
        found.append(widget.value)
    for child in getattr(widget, "children", ()):
        found.extend(html_values(child))
    return found

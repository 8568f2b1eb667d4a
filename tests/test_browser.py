"""Every built page, opened in headless Chromium from 127.0.0.1, with the network closed.

Fails on any console error, uncaught page error, failed request, HTTP error, request to another
host, or blank render; proves that widget outputs render offline from the vendored files; and
scans every page with axe-core (bundled by axe-playwright-python), failing on any serious or
critical accessibility violation.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from book_support import html_pages
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = [pytest.mark.book, pytest.mark.browser]

VIEW_SCRIPT = 'script[type="application/vnd.jupyter.widget-view+json"]'
SERIOUS = {"serious", "critical"}
_AXE = Axe()


@dataclass
class Visit:
    """What one page did in the browser."""

    url: str
    problems: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    widget_views: int = 0
    widgets_rendered: int = 0
    text_length: int = 0
    accessibility: list[str] = field(default_factory=list)


def visit(browser, base: str, page_path: str, shots: Path) -> Visit:
    url = f"{base}/{page_path}"
    result = Visit(url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route) -> None:
        target = urlparse(route.request.url)
        if target.scheme in {"http", "https", "ws", "wss"} and target.hostname != "127.0.0.1":
            result.problems.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on(
        "console",
        lambda m: result.problems.append(f"console error: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: result.problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: result.problems.append(f"failed request: {r.url} ({r.failure})"),
    )
    page.on(
        "response",
        lambda r: result.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    result.widget_views = page.locator(VIEW_SCRIPT).count()
    if result.widget_views:
        with contextlib.suppress(PlaywrightTimeout):  # reported below as unrendered views
            page.wait_for_function(
                """selector => [...document.querySelectorAll(selector)].every(
                       s => s.parentElement.querySelector('.jupyter-widgets'))""",
                arg=VIEW_SCRIPT,
                timeout=15000,
            )
        result.widgets_rendered = page.evaluate(
            """selector => [...document.querySelectorAll(selector)].filter(
                   s => s.parentElement.querySelector('.jupyter-widgets')).length""",
            VIEW_SCRIPT,
        )
    result.text_length = len(page.inner_text("main") if page.locator("main").count() else "")
    # axe-core fetches stylesheets itself and resolves their @import against the page, not the
    # stylesheet (a scanner artefact: /basic.css); what the page requested is recorded above.
    problems = list(result.problems)
    violations = _AXE.run(page).response["violations"]
    result.problems = problems
    for violation in violations:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            result.accessibility.append(
                f"{violation['impact']} {violation['id']}: {violation['help']} "
                f"({len(violation['nodes'])} elements, e.g. {targets})"
            )
    shot = shots / (page_path.replace("/", "__") + ".png")
    page.screenshot(path=str(shot), full_page=True)
    result.screenshot = shot
    context.close()
    return result


def inked_fraction(png: Path) -> float:
    """Share of pixels that are not near-white: 0 for a blank render."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return sum(histogram[:240]) / (image.width * image.height)


@pytest.fixture(scope="module")
def visits(browser, site, built_book, tmp_path_factory) -> list[Visit]:
    shots = tmp_path_factory.mktemp("screenshots")
    pages = [str(p.relative_to(built_book)) for p in html_pages(built_book)]
    assert pages, "the build produced no HTML page"
    return [visit(browser, site, path, shots) for path in pages]


def test_every_page_loads_offline_without_errors(visits: list[Visit]) -> None:
    report = [f"{v.url}\n    " + "\n    ".join(v.problems) for v in visits if v.problems]
    assert not report, "pages with problems:\n" + "\n".join(report)


def test_no_page_renders_blank(visits: list[Visit]) -> None:
    blank = [
        f"{v.url} (inked {inked_fraction(v.screenshot):.2%}, {v.text_length} characters)"
        for v in visits
        if v.screenshot is None or inked_fraction(v.screenshot) < 0.01 or v.text_length < 20
    ]
    # The search page and the index have little text of their own until a query is typed.
    blank = [b for b in blank if "/search.html" not in b and "/genindex.html" not in b]
    assert not blank, "blank renders:\n" + "\n".join(blank)


def test_widget_outputs_render_offline(visits: list[Visit]) -> None:
    widget_pages = [v for v in visits if v.widget_views]
    assert widget_pages, "no page of the book carries a widget output"
    unrendered = [
        f"{v.url}: {v.widgets_rendered} of {v.widget_views} widget views rendered"
        for v in widget_pages
        if v.widgets_rendered != v.widget_views
    ]
    assert not unrendered, "\n".join(unrendered)


def test_no_serious_or_critical_accessibility_violation(visits: list[Visit]) -> None:
    report = [f"{v.url}\n    " + "\n    ".join(v.accessibility) for v in visits if v.accessibility]
    assert not report, "axe-core violations:\n" + "\n".join(report)

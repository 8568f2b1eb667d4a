"""Every built page, opened in headless Chromium from 127.0.0.1, with the network closed.

Fails on any console error, uncaught page error, failed request, HTTP error or request to another
host; checks that each page shows its own heading (the title of its source file) above content of
its own; proves that widget outputs render offline from the vendored files; and scans every page
with axe-core (bundled by axe-playwright-python), failing on any serious or critical accessibility
violation.

The pages are visited concurrently, several tabs of one Chromium at a time: each tab waits (for
the network to go idle, for widgets to render) while another computes. Each tab keeps one browser
context from page to page, so the theme's and the widgets' scripts (several MB) come from the
HTTP cache, already compiled, instead of being fetched and compiled 32 times; every page still
gets its own listeners. The network is closed in the browser itself (no host but 127.0.0.1
resolves) and any request to another host is reported. Playwright's sync API allows one instance
per thread, and the session's ``browser`` fixture holds it; these visits run the async API on a
thread of their own with their own Chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from book_support import CHROMIUM, CHROMIUM_ARGS, expected_heading, html_pages, same_heading
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

pytestmark = [pytest.mark.book, pytest.mark.browser]

VIEW_SCRIPT = 'script[type="application/vnd.jupyter.widget-view+json"]'
SERIOUS = {"serious", "critical"}
#: Any http(s) or ws(s) URL whose host is not 127.0.0.1.
FOREIGN = re.compile(r"^(?:https?|wss?)://(?!127\.0\.0\.1(?:[:/]|$))", re.IGNORECASE)
#: No other host resolves: the browser cannot reach the network, whatever a page asks for.
CLOSED_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
#: Tabs open at once: one per core was fastest here (1: 58 s, 2: 39 s, 3: 41 s, 4: 43 s, 6: 45 s).
TABS = int(os.environ.get("CMETHICS_BROWSER_TABS", "2"))
_AXE = Axe()


@dataclass
class Visit:
    """What one page did in the browser."""

    url: str
    expected_heading: str
    problems: list[str] = field(default_factory=list)
    heading: str | None = None  # the text of the visible main h1, None when there is none
    main_text: int = 0  # characters in <main>
    widget_views: int = 0
    widgets_rendered: int = 0
    accessibility: list[str] = field(default_factory=list)


async def visit(context, base: str, page_path: str) -> Visit:
    """Open one page in a new tab of ``context`` and record everything the tests below check."""
    result = Visit(f"{base}/{page_path}", expected_heading(page_path))
    page = await context.new_page()
    page.on(
        "request",
        lambda r: (
            result.problems.append(f"request to another host: {r.url}")
            if FOREIGN.match(r.url)
            else None
        ),
    )
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
    try:
        await page.goto(result.url, wait_until="load")
        # The root page is a meta refresh to the landing page: waiting for a visible heading
        # follows it, and fails a page that never paints its title.
        heading = page.locator("main h1:visible").first
        with_heading = True
        try:
            await heading.wait_for(state="visible", timeout=30_000)
        except PlaywrightTimeout:
            with_heading = False
        await page.wait_for_load_state("networkidle")
        if with_heading:
            result.heading = await heading.inner_text()
        if await page.locator("main").count():
            result.main_text = len(await page.inner_text("main"))
        result.widget_views = await page.locator(VIEW_SCRIPT).count()
        if result.widget_views:
            with contextlib.suppress(PlaywrightTimeout):  # reported below as unrendered views
                await page.wait_for_function(
                    """selector => [...document.querySelectorAll(selector)].every(
                           s => s.parentElement.querySelector('.jupyter-widgets'))""",
                    arg=VIEW_SCRIPT,
                    timeout=30_000,
                )
            result.widgets_rendered = await page.evaluate(
                """selector => [...document.querySelectorAll(selector)].filter(
                       s => s.parentElement.querySelector('.jupyter-widgets')).length""",
                VIEW_SCRIPT,
            )
        # axe-core fetches stylesheets itself and resolves their @import against the page, not
        # the stylesheet (a scanner artefact: /basic.css); what the page requested is kept.
        problems = list(result.problems)
        violations = (await _AXE.run(page)).response["violations"]
        result.problems = problems
        for violation in violations:
            if violation["impact"] in SERIOUS:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                result.accessibility.append(
                    f"{violation['impact']} {violation['id']}: {violation['help']} "
                    f"({len(violation['nodes'])} elements, e.g. {targets})"
                )
    finally:
        await page.close()
    return result


async def visit_all(base: str, pages: list[str], tabs: int = TABS) -> list[Visit]:
    """Visit every page, ``tabs`` at a time, in one headless Chromium; results in page order."""
    results: list[Visit | None] = [None] * len(pages)
    todo = list(enumerate(pages))[::-1]
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, CLOSED_NETWORK]
        )

        async def tab() -> None:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            try:
                while todo:
                    index, page_path = todo.pop()
                    results[index] = await visit(context, base, page_path)
            finally:
                await context.close()

        try:
            await asyncio.gather(*(tab() for _ in range(min(tabs, len(pages)))))
        finally:
            await browser.close()
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


@pytest.fixture(scope="module")
def visits(site: str, built_book: Path) -> list[Visit]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    pages = [str(p.relative_to(built_book)) for p in html_pages(built_book)]
    assert pages, "the build produced no HTML page"
    # A thread of its own: asyncio.run refuses to start where the sync API's loop is running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, visit_all(site, pages)).result()


def test_every_page_loads_offline_without_errors(visits: list[Visit]) -> None:
    report = [f"{v.url}\n    " + "\n    ".join(v.problems) for v in visits if v.problems]
    assert not report, "pages with problems:\n" + "\n".join(report)


def test_every_page_shows_its_own_heading_and_content(visits: list[Visit]) -> None:
    wrong = [
        f"{v.url}: shows {v.heading!r}, its source's title is {v.expected_heading!r}"
        for v in visits
        if v.heading is None or not same_heading(v.heading, v.expected_heading)
    ]
    assert not wrong, "pages without their own visible heading:\n" + "\n".join(wrong)
    # The search page and the index have no text of their own until a query is typed.
    bare = [
        f"{v.url}: {v.main_text} characters in <main>"
        for v in visits
        if v.main_text <= len(v.expected_heading) + 20
        and not v.url.endswith(("/search.html", "/genindex.html"))
    ]
    assert not bare, "pages with a heading and nothing under it:\n" + "\n".join(bare)


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

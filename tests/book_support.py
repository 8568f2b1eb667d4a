"""Shared fixtures for the tests that need the built book: build it, serve it, open it.

The build is the strict command of `make book`; when nothing changed it only re-reads the
sources (the execution cache is reused), so every test run checks the current book.
Set CMETHICS_REUSE_BUILD=1 to skip the build and test whatever is in _build/html.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def tree_digest(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under ``folder``, keyed by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def html_pages(root: Path = HTML) -> list[Path]:
    """Every HTML page of the built site (not the theme's static assets)."""
    return sorted(
        p
        for p in root.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(root).parts)
    )


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book strictly (or reuse it) and check that the build left data/ untouched."""
    if os.environ.get("CMETHICS_REUSE_BUILD") == "1" and (HTML / "index.html").exists():
        return HTML
    before = tree_digest(ROOT / "data")
    # Pages computed with an older package or older data must be executed again.
    subprocess.run([sys.executable, str(ROOT / "tools" / "book_cache.py")], check=True)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(ROOT), "-n", "-W", "--keep-going"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(
            "strict book build failed:\n" + (result.stdout + result.stderr)[-6000:],
            pytrace=False,
        )
    assert tree_digest(ROOT / "data") == before, "the book build wrote into data/"
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def site(built_book: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
#: Pages Sphinx writes itself (no source file), with the heading they show.
GENERATED_HEADINGS = {"genindex.html": "Index", "search.html": "Search"}


def source_title(source: Path) -> str:
    """The first level-1 heading of a MyST page, outside its front matter and code cells."""
    lines = source.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].strip() == "---":
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
        lines = lines[end + 1 :]
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1).startswith(fence)):
            fence = None if fence else match.group(1)[:3]
        elif fence is None and line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{source} has no level-1 heading")


def expected_heading(page_path: str, root: Path = ROOT) -> str:
    """The heading a built page must show: its source's title, or Sphinx's own page name."""
    if page_path in GENERATED_HEADINGS:
        return GENERATED_HEADINGS[page_path]
    if page_path == "index.html":  # the root redirects to the book's landing page
        page_path = "book/index.html"
    source = root / Path(page_path).with_suffix(".md")
    return source_title(source)


def same_heading(shown: str, expected: str) -> bool:
    """Compare a rendered h1 with a source title: spacing, markup and the '#' anchor ignored."""

    def norm(text: str) -> str:
        text = re.sub(r"[`*]", "", text).removesuffix("¶").rstrip().removesuffix("#")
        return " ".join(text.split())

    return norm(shown) == norm(expected)

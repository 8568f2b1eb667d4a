"""Every internal link and anchor of the built site resolves; external links are only listed.

Reads the HTML files of ``_build/html`` (no browser): each ``href`` and ``src`` without a scheme
must name a file of the site, and each ``#fragment`` an ``id`` (or ``name``) in the target page.
External links are collected into ``_build/external-links.txt`` for a human to review.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from book_support import html_pages

pytestmark = pytest.mark.book


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        for key in ("href", "src"):
            value = values.get(key)
            # <link rel="preload"> and friends count: a missing asset is a broken page.
            if value is not None:
                self.links.append(value)


def parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def check_site(root: Path) -> tuple[list[str], list[str]]:
    """Return (broken internal links, external links) of the site under ``root``."""
    pages = {page: parse(page) for page in html_pages(root)}
    ids: dict[Path, set[str]] = {page.resolve(): parsed.ids for page, parsed in pages.items()}
    broken, external = [], set()
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlparse(link)
            if parts.scheme in {"http", "https", "mailto", "ftp"} or link.startswith("//"):
                external.add(link)
                continue
            if parts.scheme in {"data", "javascript", "blob"}:
                continue
            path, fragment = parts.path, parts.fragment
            target = (page.parent / unquote(path)).resolve() if path else page.resolve()
            where = f"{page.relative_to(root)} -> {link}"
            if root.resolve() not in target.parents and target != root.resolve():
                broken.append(f"{where} (outside the site)")
            elif target.is_dir():
                if not (target / "index.html").exists():
                    broken.append(f"{where} (folder without index.html)")
            elif not target.exists():
                broken.append(f"{where} (missing file)")
            elif fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if unquote(fragment) not in ids[target]:
                    broken.append(f"{where} (no such anchor)")
    return broken, sorted(external)


def test_every_internal_link_and_anchor_resolves(built_book: Path) -> None:
    broken, external = check_site(built_book)
    (built_book.parent / "external-links.txt").write_text("\n".join(external) + "\n")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])


def test_the_checker_catches_missing_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<a href="b.html#there">ok</a><a href="b.html#nowhere">x</a>'
        '<a href="c.html?v=1">x</a><img src="img/missing.png" alt="x">'
        '<a href="https://example.org/">ext</a><a href="#self">s</a><p id="self"></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="there">B</h1>', encoding="utf-8")
    broken, external = check_site(tmp_path)
    problems = defaultdict(list)
    for line in broken:
        problems[line.split(" (")[-1]].append(line)
    assert len(problems["no such anchor)"]) == 1
    assert len(problems["missing file)"]) == 2
    assert external == ["https://example.org/"]

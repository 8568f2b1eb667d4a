"""Hostile text in the corpus stays inert in the built book's pages.

Builds a small book (the corpus page and the exercise pages whose previews show comment texts)
from a poisoned copy of ``data/`` (``CMETHICS_DATA``): every comment and speaker name carries
``<script>``, ``<img onerror>``, ``javascript:`` and ``</script>`` payloads. Then opens each page
in headless Chromium and checks that no payload ran (no dialog, no injected element, no
``javascript:`` link) while the escaped text is on the page. The real ``data/`` is not touched.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from book_support import ROOT, tree_digest

pytestmark = [pytest.mark.book, pytest.mark.browser]
BIN = Path(sys.executable).parent
PAYLOAD = (
    ' <script>alert("xss-script")</script><img src=x onerror="alert(\'xss-img\')">'
    ' <a href="javascript:alert(\'xss-link\')">x</a> </script><b id="xss-break">b</b>'
)
PAGES = ["notebooks/corpus", "book/exercises/ego", "book/exercises/capstone"]
VIEW_SCRIPT = 'script[type="application/vnd.jupyter.widget-view+json"]'
WIDGETS_RENDERED = """selector => [...document.querySelectorAll(selector)].every(
    s => s.parentElement.querySelector('.jupyter-widgets'))"""


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("poisoned") / "data"
    shutil.copytree(ROOT / "data", data)
    comments = pd.read_csv(data / "comments.csv", dtype=str, keep_default_na=False)
    # Appended at the end, so token offsets and counts computed at build time stay valid.
    comments["text"] = comments["text"] + PAYLOAD
    comments.to_csv(data / "comments.csv", index=False, lineterminator="\n")
    speakers = pd.read_csv(data / "speakers.csv", dtype=str, keep_default_na=False)
    named = speakers["display_name"] != ""
    speakers.loc[named, "display_name"] = speakers.loc[named, "display_name"] + PAYLOAD
    speakers.to_csv(data / "speakers.csv", index=False, lineterminator="\n")

    out = tmp_path_factory.mktemp("book")
    toc = out / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: book/index\nparts:\n  - caption: Escaping\n    chapters:\n"
        + "".join(f"      - file: {page}\n" for page in PAGES),
        encoding="utf-8",
    )
    before = tree_digest(ROOT / "data")
    env = dict(
        os.environ,
        CMETHICS_DATA=str(data),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    # Not strict: this toc leaves out pages that these pages link to. Execution must succeed.
    result = subprocess.run(
        [
            str(BIN / "jupyter-book"),
            "build",
            str(ROOT),
            "--toc",
            str(toc),
            "--path-output",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "Executing notebook failed" not in result.stdout + result.stderr
    assert tree_digest(ROOT / "data") == before
    return out / "_build" / "html"


def test_payloads_in_corpus_text_are_inert_in_the_book(poisoned_site: Path, browser) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=poisoned_site)
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    seen_payload_text = 0
    try:
        for page_path in PAGES:
            context = browser.new_context()
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d, found=dialogs: (found.append(d.message), d.dismiss()))
            page.goto(f"{base}/{page_path}.html", wait_until="networkidle")
            # Widget views render after load: wait until every view has rendered (a payload
            # smuggled into a widget's state would run then, not before).
            page.wait_for_function(WIDGETS_RENDERED, arg=VIEW_SCRIPT, timeout=30_000)
            injected = page.evaluate(
                """() => ({
                    break_out: document.querySelectorAll('#xss-break').length,
                    images: [...document.images].filter(i => i.getAttribute('src') === 'x').length,
                    links: [...document.querySelectorAll('a[href^="javascript:"]')].length,
                    scripts: [...document.scripts].filter(s => s.text.includes('xss-script')
                        && !s.type.includes('json')).length,
                })"""
            )
            text = page.inner_text("body")
            seen_payload_text += text.count("xss-img")
            context.close()
            assert dialogs == [], f"{page_path}: a payload ran: {dialogs}"
            assert injected == {"break_out": 0, "images": 0, "links": 0, "scripts": 0}, (
                page_path,
                injected,
            )
    finally:
        server.shutdown()
        server.server_close()
    # The payloads were really on the pages, as text.
    assert seen_payload_text > 0

"""The code-free path: an exercise served by Voilà, used in headless Chromium, fully offline.

Starts Voilà the way ``make app`` does (the course's template, which drops Voilà's CDN
stylesheets), opens an exercise, types a name, presses Start and "Export my work", and checks the
files that appear in the answers folder. Fails on any request to another host or page error.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from book_support import ROOT

pytestmark = pytest.mark.browser
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    answers = tmp_path_factory.mktemp("answers")
    port = free_port()
    env = dict(
        os.environ,
        CMETHICS_ANSWERS=str(answers),
        JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    log = (tmp_path_factory.mktemp("voila") / "voila.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "voila"),
            "exercises",
            "--template=cmethics",
            f"--port={port}",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("Voilà did not start", pytrace=False)
            time.sleep(0.5)
    yield base, answers
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_an_exercise_works_code_free_and_offline_in_voila(voila, browser) -> None:
    base, answers = voila
    external, errors = [], []
    # The session's one Chromium (Playwright's sync API allows one per process).
    context = browser.new_context()

    def guard(route) -> None:
        target = urlparse(route.request.url)
        if target.scheme in {"http", "https", "ws", "wss"} and target.hostname != "127.0.0.1":
            external.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/voila/render/ego.ipynb", wait_until="networkidle", timeout=180_000)
    name = page.get_by_placeholder("as your teacher asked")
    name.wait_for(timeout=60_000)
    assert "from cmethics" not in page.inner_text("body"), "code is visible in Voilà"
    name.fill("Voilà Student")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Working as Voilà Student").wait_for(timeout=30_000)
    page.get_by_role("button", name="Export my work").click()
    page.get_by_text("Exported:").wait_for(timeout=30_000)
    context.close()
    assert not external, f"Voilà requested other hosts: {external}"
    assert not errors, f"page errors: {errors}"
    # One Voilà server, many visitors: no name is remembered for the next one (issue 12).
    assert not (answers / ".last_student").exists()
    exports = list((answers / "exports").glob("cmethics-voila-student-*.json"))
    assert len(exports) == 1


def _reflection_after_start(browser, base: str, name: str, text: str | None) -> tuple[bool, str]:
    """One visitor of the ego exercise: whether a "Continue as" offer was shown, and the
    reflection found after Start (then replaced by ``text`` when given)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/voila/render/ego.ipynb", wait_until="networkidle", timeout=180_000)
        box = page.get_by_placeholder("as your teacher asked")
        box.wait_for(timeout=60_000)
        offered = page.get_by_role("button", name="Continue as").count() > 0
        box.fill(name)
        page.get_by_role("button", name="Start", exact=True).click()
        page.get_by_text(f"Working as {name}").first.wait_for(timeout=30_000)
        reflection = page.locator("textarea").first
        found = reflection.input_value()
        if text is not None:
            reflection.fill(text)
            reflection.press("Tab")
            page.get_by_text("Saved at").first.wait_for(timeout=30_000)
        return offered, found
    finally:
        context.close()


def test_visitors_of_one_voila_server_each_see_only_their_own_work(voila, browser) -> None:
    # Issue 12: names in other scripts used to share the folder "student", and the last name
    # was applied to the next visitor. Two students, one server, one answers folder.
    base, answers = voila
    assert _reflection_after_start(browser, base, "李雷", "李雷 wrote this.") == (False, "")
    assert _reflection_after_start(browser, base, "محمد", "محمد wrote that.") == (False, "")
    assert _reflection_after_start(browser, base, "李雷", None) == (False, "李雷 wrote this.")
    folders = sorted(p.name for p in answers.iterdir() if p.is_dir() and p.name != "exports")
    assert len([f for f in folders if f.startswith(("lilei-", "mhmd-"))]) == 2, folders


def test_a_failed_save_is_shown_kept_and_written_by_retry(voila, browser) -> None:
    # Issue 12: with the student's folder gone, the status used to keep "Saved at …" and the
    # answer was lost. Here a file takes the folder's place mid-way, then the folder comes back.
    import json
    import shutil

    base, answers = voila
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/voila/render/ego.ipynb", wait_until="networkidle", timeout=180_000)
        page.get_by_placeholder("as your teacher asked").fill("Fault Student")
        page.get_by_role("button", name="Start", exact=True).click()
        page.get_by_text("Working as Fault Student").first.wait_for(timeout=30_000)
        reflection = page.locator("textarea").first
        reflection.fill("first words")
        reflection.press("Tab")
        deadline = time.monotonic() + 30
        while not list(answers.glob("fault-student-*/ego.json")):
            assert time.monotonic() < deadline, "the first answer never reached the disk"
            time.sleep(0.2)
        folder = next(answers.glob("fault-student-*"))
        aside = answers / "moved-away"
        shutil.move(folder, aside)
        folder.write_text("not a folder", encoding="utf-8")
        reflection.fill("first words, then more during the fault")
        reflection.press("Tab")
        page.get_by_text("Not saved").first.wait_for(timeout=30_000)
        assert page.get_by_text("Saved at").count() == 0
        retry = page.get_by_role("button", name="Retry saving")
        assert retry.is_visible()
        folder.unlink()
        shutil.move(aside, folder)
        retry.click()
        page.get_by_text("Saved at").first.wait_for(timeout=30_000)
        assert not retry.is_visible()
    finally:
        context.close()
    saved = json.loads((folder / "ego.json").read_text(encoding="utf-8"))
    assert saved["answers"]["ego.reflection"] == "first words, then more during the fault"


def test_export_is_a_browser_download_the_class_report_reads(voila, browser, tmp_path) -> None:
    # Issue 12: "Export my work" printed a path on the server, out of a Voilà visitor's reach.
    from cmethics.classroom import read_submissions

    base, _answers = voila
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{base}/voila/render/ego.ipynb", wait_until="networkidle", timeout=180_000)
        page.get_by_placeholder("as your teacher asked").fill("Download Student")
        page.get_by_role("button", name="Start", exact=True).click()
        page.get_by_text("Working as Download Student").first.wait_for(timeout=30_000)
        reflection = page.locator("textarea").first
        reflection.fill("words to hand in")
        reflection.press("Tab")
        page.get_by_text("Saved at").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Export my work").click()
        link = page.get_by_role("link", name="Download my work")
        link.wait_for(timeout=30_000)
        box = page.locator(".widget-vbox", has=link).filter(has_text="Export my work").last
        box.screenshot(path=str(tmp_path / "session-box.png"))
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.startswith("cmethics-download-student-")
        handed = tmp_path / "handed-in"
        handed.mkdir()
        download.save_as(handed / download.suggested_filename)
    finally:
        context.close()
    submissions = read_submissions(handed)
    assert [s.student for s in submissions.submissions] == ["Download Student"]
    answers = submissions.submissions[0].data["exercises"]["ego"]["answers"]
    assert answers["ego.reflection"] == "words to hand in"

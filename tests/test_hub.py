"""The hub path (issue 12): a class on a real JupyterHub, from the nbgitpuller link to the report.

The teachers' guide (book/teachers/running.md, "On a JupyterHub") tells a class to use a hub and
one nbgitpuller link per exercise, with a class inbox (``CMETHICS_INBOX``) for the exports. Here
that is done for real, on this machine (see tests/hub_support.py for the hub): each student
follows the link, logs in, gets a clone of the course in their home, runs the exercise in
JupyterLab (or Voilà), works and presses "Export my work"; the teacher logs in, opens a terminal
and runs ``cmethics class-report`` on the inbox. Headless Chromium plays every person.

All the hub's accounts run as one OS user here (SimpleLocalProcessSpawner), so the inbox's mode
cannot keep them apart; ``test_a_1733_inbox_...`` below checks the mode with real accounts
(distinct uids, as root) instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from hub_support import (
    ADMIN_PASSWORD,
    BIN,
    STUDENT_PASSWORD,
    Hub,
    course_repository,
    find_proxy,
    running_hub,
)

from cmethics.answers import INBOX_FILE_MODE, AnswerStore, export_submission, slugify

PROXY = find_proxy()
TEACHER = "teacher"
STUDENTS = ["student-a", "student-b", "student-c"]
#: What each account types in the name box (two scripts, as in a real class).
NAMES = {"student-a": "Ana Lima", "student-b": "李雷", "student-c": "Chloé Martin"}
WRITTEN = {
    "student-a": "Ana Lima: the author says vous more than nous.",
    "student-b": "李雷: the commenters mostly speak for themselves.",
    "student-c": "Chloé Martin wrote this in the code-free page.",
}
VIEWPORT = {"width": 1280, "height": 900}
SLOW = 60_000  # ms: the first spawn, the clone and the kernel on a busy 2-core machine


def on_the_hub(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that starts the hub: `hub` and `browser`, skipped without the proxy."""
    test = pytest.mark.skipif(
        PROXY is None,
        reason="configurable-http-proxy not found (run `make hub-tools`, which needs npm and "
        "node, or set CMETHICS_CHP to its path)",
    )(test)
    return pytest.mark.browser(pytest.mark.hub(test))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, str, str]]:
    """A running hub for three students and a teacher, and the course's git URL and branch."""
    assert PROXY is not None
    folder = tmp_path_factory.mktemp("hub")
    # A bare clone of HEAD, without ".git" in its name: nbgitpuller names the student's folder
    # after the URL's last part, as it would for https://github.com/<owner>/cm-ethics.
    repo, branch = course_repository(folder / "cm-ethics")
    with running_hub(folder, PROXY, STUDENTS, TEACHER) as running:
        yield running, repo.as_uri(), branch


def pull_link(hub: Hub, repo_url: str, branch: str, urlpath: str) -> str:
    """The nbgitpuller link of the teachers' guide, for this hub and repository."""
    query = urlencode({"repo": repo_url, "branch": branch, "urlpath": urlpath})
    return f"{hub.url}/hub/user-redirect/git-pull?{query}"


def log_in(page, user: str, password: str) -> None:
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()


def wait_until(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def saved_answers(hub: Hub, user: str) -> dict:
    """The ego answers saved in ``user``'s home (empty when none)."""
    path = hub.home(user) / "cmethics-answers" / slugify(NAMES[user]) / "ego.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["answers"]
    except (OSError, ValueError):
        return {}


def start_and_write(page, hub: Hub, user: str, shot: Path | None = None) -> str:
    """Type the name, press Start, write the reflection; return what the box held at Start."""
    name = NAMES[user]
    page.get_by_placeholder("as your teacher asked").fill(name)
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text(f"Working as {name}").first.wait_for(timeout=30_000)
    reflection = page.get_by_placeholder("Was your prediction close?")
    found = reflection.input_value()
    if shot is not None:  # the name box and the reflection, each in its notebook output
        outputs = page.locator(".jp-OutputArea-output")
        outputs.filter(has_text="Working as").first.screenshot(path=str(shot) + "-session.png")
        outputs.filter(has=reflection).first.screenshot(path=str(shot) + "-reflection.png")
    reflection.fill(WRITTEN[user])
    reflection.press("Tab")
    wait_until(
        lambda: saved_answers(hub, user).get("ego.reflection") == WRITTEN[user],
        f"{user}'s reflection on disk",
    )
    return found


def export(page, shot: Path) -> str:
    """Press "Export my work", screenshot, download the file; return its suggested name."""
    page.get_by_role("button", name="Export my work").click()
    link = page.get_by_role("link", name="Download my work")
    link.wait_for(timeout=30_000)
    page.get_by_text("A copy was handed in to your class folder").wait_for(timeout=10_000)
    page.get_by_role("button", name="Export my work").scroll_into_view_if_needed()
    page.screenshot(path=str(shot))
    with page.expect_download() as info:
        link.click()
    return info.value.suggested_filename


def run_all_cells(page) -> None:
    """What the exercise's first cell tells a student in JupyterLab: Run → Run All Cells."""
    page.locator(".jp-Notebook").wait_for(timeout=SLOW)
    # Chosen before the kernel is connected, Run All Cells runs nothing, or asks to select a
    # kernel (JupyterLab 4.6): wait, as the guide says, for "Idle" in the status bar.
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| Idle")).first.wait_for(
        timeout=SLOW
    )
    page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.get_by_placeholder("as your teacher asked").wait_for(timeout=SLOW)


def student_browser(browser, errors: list[str]):
    """A fresh browser profile; requests to other hosts are refused and noted in ``errors``.

    Nothing on the students' side needs the internet: a hub on a closed network works.
    """
    context = browser.new_context(accept_downloads=True, viewport=VIEWPORT)

    def guard(route) -> None:
        target = urlparse(route.request.url)
        if target.scheme in {"http", "https", "ws", "wss"} and target.hostname != "127.0.0.1":
            errors.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


def student_in_lab(browser, hub: Hub, link: str, user: str, shots: Path):
    """A student's browser: the link, the hub's login, the clone, the notebook run."""
    errors: list[str] = []
    context, page = student_browser(browser, errors)
    try:
        page.goto(link)
        log_in(page, user, STUDENT_PASSWORD)  # the link asks for the login first
        page.wait_for_url(f"**/user/{user}/lab/tree/cm-ethics/exercises/ego.ipynb", timeout=SLOW)
        run_all_cells(page)
    except Exception:
        page.screenshot(path=str(shots / f"failed-{user}.png"))
        context.close()
        raise
    assert page.get_by_role("button", name="Continue as").count() == 0
    return context, page, errors


def inbox_copies(hub: Hub, user: str) -> list[Path]:
    return sorted(hub.inbox.glob(f"cmethics-{slugify(NAMES[user])}-*.json"))


@on_the_hub
def test_two_students_hand_in_from_the_hub_and_the_teachers_report_reads_both(
    hub, browser, tmp_path: Path
) -> None:
    running, repo_url, branch = hub
    link = pull_link(running, repo_url, branch, "lab/tree/cm-ethics/exercises/ego.ipynb")

    # Student A: link, login, clone, Run All, name, Start, reflection, Export.
    context, page, errors = student_in_lab(browser, running, link, "student-a", tmp_path)
    assert (running.home("student-a") / "cm-ethics" / "exercises" / "ego.ipynb").is_file()
    assert start_and_write(page, running, "student-a") == ""
    downloaded = export(page, tmp_path / "1-student-a-after-export.png")
    context.close()
    assert not errors, f"page errors for student A: {errors}"
    assert downloaded.startswith(f"cmethics-{slugify('Ana Lima')}-")
    (copy_a,) = inbox_copies(running, "student-a")
    assert copy_a.stat().st_mode & 0o777 == INBOX_FILE_MODE
    kept = running.home("student-a") / "cmethics-answers" / "exports" / copy_a.name
    assert kept.read_bytes() == copy_a.read_bytes()
    assert kept.stat().st_mode & 0o777 == 0o600

    # Student B, on the same hub: a blank exercise, nothing of A's, and no way into A's server.
    context, page, errors = student_in_lab(browser, running, link, "student-b", tmp_path)
    shot = tmp_path / "2-student-b-after-start"
    assert start_and_write(page, running, "student-b", shot) == ""
    assert WRITTEN["student-a"] not in page.inner_text("body")
    export(page, tmp_path / "3-student-b-after-export.png")
    assert page.request.get(f"{running.url}/user/student-a/api/contents").status == 403
    assert page.goto(f"{running.url}/user/student-a/lab").status == 403
    context.close()
    assert not errors, f"page errors for student B: {errors}"
    for user in ("student-a", "student-b"):
        answers = running.home(user) / "cmethics-answers"
        folders = [p.name for p in answers.iterdir() if p.is_dir()]
        assert sorted(folders) == sorted(["exports", slugify(NAMES[user])]), (user, folders)

    # The teacher: the hub's admin account, a terminal from the launcher, the report.
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{running.url}/hub/user-redirect/lab")
        log_in(page, TEACHER, ADMIN_PASSWORD)
        page.wait_for_url(f"**/user/{TEACHER}/lab**", timeout=SLOW)
        page.locator(".jp-LauncherCard", has_text="Terminal").first.click(timeout=SLOW)
        page.locator(".jp-Terminal .xterm-helper-textarea").wait_for(
            state="attached", timeout=30_000
        )
        page.locator(".jp-Terminal").first.click()
        # A hub terminal is a login shell, which resets PATH: the full path, as in the guide.
        page.keyboard.type(
            f'{BIN / "cmethics"} class-report "$CMETHICS_INBOX" --out ~/class-report.html '
            "2>&1 | tee ~/class-report.txt\n"
        )
        said = running.home(TEACHER) / "class-report.txt"
        wait_until(lambda: "Report:" in said.read_text() if said.exists() else False, "report")
        page.screenshot(path=str(tmp_path / "4-teacher-terminal.png"))
        response = page.goto(f"{running.url}/user/{TEACHER}/files/class-report.html")
        assert response is not None and response.status == 200
        page.get_by_text("ego.reflection").first.click()  # the free answers' fold
        page.get_by_text(WRITTEN["student-a"]).wait_for(timeout=10_000)
        page.get_by_text(WRITTEN["student-b"]).wait_for(timeout=10_000)
        page.screenshot(path=str(tmp_path / "5-teacher-report.png"), full_page=True)
    finally:
        context.close()
    # Every file of the inbox read (the other test's student may have handed in too).
    n_files = len(list(running.inbox.glob("*.json")))
    summary = f"{n_files} submission(s) read from {n_files} file(s); 0 problem(s)."
    assert summary in said.read_text(), said.read_text()
    from cmethics.classroom import read_submissions

    read = read_submissions(running.inbox)
    found = {s.student: s.data["exercises"]["ego"]["answers"] for s in read.submissions}
    assert {name: found.get(name) for name in ("Ana Lima", "李雷")} == {
        "Ana Lima": {"ego.reflection": WRITTEN["student-a"]},
        "李雷": {"ego.reflection": WRITTEN["student-b"]},
    }
    free_text = (running.home(TEACHER) / "class-report_tables" / "free_text.csv").read_text(
        encoding="utf-8-sig"
    )
    assert WRITTEN["student-a"] in free_text and WRITTEN["student-b"] in free_text


@on_the_hub
def test_the_code_free_link_works_on_the_hub_and_jupyterlab_finds_the_same_work(
    hub, browser, tmp_path: Path
) -> None:
    running, repo_url, branch = hub
    user = "student-c"
    voila = "voila/render/cm-ethics/exercises/ego.ipynb?template=cmethics"
    errors: list[str] = []
    context, page = student_browser(browser, errors)
    try:
        page.goto(pull_link(running, repo_url, branch, voila))
        log_in(page, user, STUDENT_PASSWORD)
        page.wait_for_url(f"**/user/{user}/voila/render/**", timeout=SLOW)
        page.get_by_placeholder("as your teacher asked").wait_for(timeout=SLOW)
        assert "from cmethics" not in page.inner_text("body"), "code is visible in Voilà"
        assert start_and_write(page, running, user) == ""
        export(page, tmp_path / "6-student-c-voila-after-export.png")
        assert not errors, f"page errors in Voilà: {errors}"
        assert len(inbox_copies(running, user)) == 1

        # The JupyterLab link of the same exercise: nbgitpuller updates the clone, and the
        # answers written in Voilà are there after Start.
        page.goto(pull_link(running, repo_url, branch, "lab/tree/cm-ethics/exercises/ego.ipynb"))
        page.wait_for_url(f"**/user/{user}/lab/tree/**", timeout=SLOW)
        run_all_cells(page)
        shot = tmp_path / "7-student-c-lab-after-start"
        assert start_and_write(page, running, user, shot) == WRITTEN[user]
    finally:
        context.close()
    assert not errors, f"page errors in JupyterLab: {errors}"


# --------------------------------------------------------------------- the inbox's mode, for real

ACCOUNTS = {"teacher": 40100, "ana": 40101, "bo": 40102}


def as_account(uid: int, home: Path, action: Callable[[], object]) -> object:
    """Run ``action`` in a forked child that has become another account, and return its result.

    Forked rather than a new interpreter: the venv's Python may sit where other accounts cannot
    reach it (here, under /root). The child only uses modules already imported.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.environ["HOME"] = str(home)
            outcome = {"result": action()}
        except BaseException as error:
            outcome = {"error": repr(error)}
        with os.fdopen(write, "w") as out:
            json.dump(outcome, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as received:
        outcome = json.loads(received.read() or '{"error": "the child died"}')
    os.waitpid(pid, 0)
    assert "error" not in outcome, outcome["error"]
    return outcome["result"]


def hands_in(name: str, home: Path, inbox: Path) -> Callable[[], str]:
    """A student saves a reflection and presses Export with CMETHICS_INBOX set."""

    def action() -> str:
        root = home / "cmethics-answers"
        AnswerStore("ego", name, root=root).set("ego.reflection", f"{name}'s private words")
        return export_submission(name, root=root, inbox=inbox).name

    return action


def tries(inbox: Path, name: str) -> Callable[[], dict[str, str]]:
    """A classmate who knows the name of a copy: list, read, delete, replace it."""

    def attempt(action: Callable[[], object]) -> str:
        try:
            action()
        except OSError as error:
            return type(error).__name__
        return "done"

    def action() -> dict[str, str]:
        planted = inbox / ".planted"
        planted.write_text("{}", encoding="utf-8")
        return {
            "list": attempt(lambda: os.listdir(inbox)),
            "read": attempt((inbox / name).read_bytes),
            "delete": attempt((inbox / name).unlink),
            "replace": attempt(lambda: os.replace(planted, inbox / name)),
        }

    return action


def reads_all(inbox: Path) -> Callable[[], dict[str, str]]:
    """The teacher: every copy in the inbox and the student it names."""

    def action() -> dict[str, str]:
        return {
            p.name: json.loads(p.read_text(encoding="utf-8"))["student"]
            for p in sorted(inbox.glob("*.json"))
        }

    return action


@pytest.fixture
def class_machine() -> Iterator[dict[str, Path]]:
    """A teacher's 1733 inbox and two students' private homes, each owned by its account.

    Made under the system's temporary folder: pytest's own is private to the user running it,
    so the other accounts could not reach it.
    """
    if os.geteuid() != 0:
        pytest.skip("needs root, to act as a teacher and two students with their own uids")
    top = Path(tempfile.mkdtemp(prefix="cmethics-inbox-"))
    try:
        top.chmod(0o755)
        places = {name: top / name for name in ACCOUNTS}
        for name, uid in ACCOUNTS.items():
            places[name].mkdir()
            os.chown(places[name], uid, uid)
            places[name].chmod(0o700)
        inbox = top / "inbox"
        inbox.mkdir()
        os.chown(inbox, ACCOUNTS["teacher"], ACCOUNTS["teacher"])
        inbox.chmod(0o1733)  # the guide's `mkdir -m 1733`, made by the teacher
        places["inbox"] = inbox
        yield places
    finally:
        shutil.rmtree(top)


def test_a_1733_inbox_takes_each_students_copy_and_keeps_it_from_the_others(
    class_machine: dict[str, Path],
) -> None:
    inbox = class_machine["inbox"]
    copies = {
        student: as_account(
            ACCOUNTS[student], class_machine[student], hands_in(name, class_machine[student], inbox)
        )
        for student, name in (("ana", "Ana"), ("bo", "Bo"))
    }
    tried = as_account(ACCOUNTS["bo"], class_machine["bo"], tries(inbox, str(copies["ana"])))
    # Bo can neither list the inbox nor take away or replace Ana's copy (the sticky bit).
    assert isinstance(tried, dict)
    assert {k: tried[k] for k in ("list", "delete", "replace")} == {
        "list": "PermissionError",
        "delete": "PermissionError",
        "replace": "PermissionError",
    }
    # The teacher lists and reads both; Ana's copy is still hers.
    listed = as_account(ACCOUNTS["teacher"], class_machine["teacher"], reads_all(inbox))
    assert listed == {copies["ana"]: "Ana", copies["bo"]: "Bo"}
    assert (inbox / str(copies["ana"])).stat().st_uid == ACCOUNTS["ana"]


@pytest.mark.xfail(
    strict=True,
    reason="reported bug: the inbox copy is mode 0644 under a predictable name "
    "(cmethics-<slug of the name>-<second of export>.json), and a 1733 folder lets any account "
    "open a file it can name: a classmate who guesses the name and time reads the copy",
)
def test_a_classmate_cannot_read_a_copy_in_a_1733_inbox_even_knowing_its_name(
    class_machine: dict[str, Path],
) -> None:
    inbox, ana = class_machine["inbox"], class_machine["ana"]
    name = as_account(ACCOUNTS["ana"], ana, hands_in("Ana", ana, inbox))
    tried = as_account(ACCOUNTS["bo"], class_machine["bo"], tries(inbox, str(name)))
    assert isinstance(tried, dict)
    assert tried["read"] == "PermissionError"

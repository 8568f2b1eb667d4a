"""A throw-away JupyterHub for tests/test_hub.py: a class of accounts on this machine.

The hub is the one of the ``test`` extra (``jupyterhub`` from PyPI), its proxy is
``configurable-http-proxy`` from npm (``make hub-tools``), logins go through JupyterHub's
``SharedPasswordAuthenticator`` (one password for the students, an admin password for the
teacher) and every account's server is started by ``SimpleLocalProcessSpawner``: a process of
the user running the tests, with its own home folder under the test's temporary folder, running
this repository's venv (``jupyterhub-singleuser``). Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from book_support import ROOT

__all__ = [
    "ADMIN_PASSWORD",
    "BIN",
    "STUDENT_PASSWORD",
    "Hub",
    "course_repository",
    "find_proxy",
    "running_hub",
]

BIN = Path(sys.executable).parent
#: Where `make hub-tools` installs the proxy (git-ignored), looked up before PATH.
LOCAL_PROXY = ROOT / "tools" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
#: The students' shared password (SharedPasswordAuthenticator wants 8 characters or more).
STUDENT_PASSWORD = "class-password"
#: The teacher's, an admin (32 characters or more, and not the students').
ADMIN_PASSWORD = "teacher-password-of-32-characters"


def find_proxy() -> Path | None:
    """``configurable-http-proxy``: ``$CMETHICS_CHP``, then ``make hub-tools``'s, then PATH."""
    named = os.environ.get("CMETHICS_CHP")
    candidates = [Path(named)] if named else []
    candidates.append(LOCAL_PROXY)
    if found := shutil.which("configurable-http-proxy"):
        candidates.append(Path(found))
    usable = [c for c in candidates if c.is_file() and os.access(c, os.X_OK)]
    # The npm script runs on `node`: without it the proxy cannot start.
    return usable[0] if usable and shutil.which("node") else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def course_repository(target: Path) -> tuple[Path, str]:
    """A bare clone of this repository's HEAD (what a teacher's git server would hold).

    Returns the bare repository and its branch. Uncommitted changes of the working tree are not
    in it; the single-user servers still import the venv's editable ``cmethics`` package.
    """
    branch = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if branch == "HEAD":  # a detached HEAD: name it
        branch = "main"
    subprocess.run(
        ["git", "clone", "--quiet", "--bare", "--no-local", str(ROOT), str(target)],
        check=True,
    )
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(
        ["git", "-C", str(target), "update-ref", f"refs/heads/{branch}", head], check=True
    )
    subprocess.run(
        ["git", "-C", str(target), "symbolic-ref", "HEAD", f"refs/heads/{branch}"], check=True
    )
    return target, branch


@dataclass
class Hub:
    """A running hub: its public address, the class inbox, the users' homes and its log."""

    url: str
    inbox: Path
    homes: Path
    log: Path

    def home(self, user: str) -> Path:
        return self.homes / user


#: Server settings for the hub's image (the guide's /etc/jupyter/jupyter_server_config.json):
#: without them Voilà, as a server extension, has the students' browsers fetch MathJax from
#: cdnjs.cloudflare.com ("null" for both tells its page to load none).
SERVER_CONFIG = {
    "ServerApp": {"tornado_settings": {"mathjax_url": "null", "mathjax_config": "null"}}
}


def _config(
    folder: Path, port: int, proxy: Path, inbox: Path, homes: Path, users: list[str], teacher: str
) -> str:
    hub_port, api_port = free_port(), free_port()
    args = ["--allow-root"] if os.geteuid() == 0 else []
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    image_config = folder / "image-etc-jupyter"
    image_config.mkdir()
    (image_config / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
    # The course's own server configuration (the save hook, JupyterLab's news off), as
    # `make lab` loads it, then the image's.
    config_path = os.pathsep.join([str(ROOT / "etc" / "jupyter"), str(image_config)])
    settings = {
        "JupyterHub.bind_url": f"http://127.0.0.1:{port}",
        "JupyterHub.hub_bind_url": f"http://127.0.0.1:{hub_port}",
        "JupyterHub.db_url": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(folder / "jupyterhub_cookie_secret"),
        "JupyterHub.pid_file": str(folder / "jupyterhub.pid"),
        "JupyterHub.authenticator_class": (
            "jupyterhub.authenticators.shared.SharedPasswordAuthenticator"
        ),
        "JupyterHub.spawner_class": "jupyterhub.spawner.SimpleLocalProcessSpawner",
        "JupyterHub.cleanup_servers": True,
        "JupyterHub.cleanup_proxy": True,
        "ConfigurableHTTPProxy.command": [str(proxy)],
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{api_port}",
        "ConfigurableHTTPProxy.pid_file": str(folder / "proxy.pid"),
        "SharedPasswordAuthenticator.user_password": STUDENT_PASSWORD,
        "SharedPasswordAuthenticator.admin_password": ADMIN_PASSWORD,
        "Authenticator.allowed_users": set(users),
        "Authenticator.admin_users": {teacher},
        "SimpleLocalProcessSpawner.home_dir_template": str(homes / "{username}"),
        "Spawner.cmd": [str(BIN / "jupyterhub-singleuser")],
        "Spawner.args": args,
        "Spawner.ip": "127.0.0.1",
        "Spawner.start_timeout": 120,
        "Spawner.http_timeout": 120,
        # What a hub administrator sets for the class (book/teachers/running.md).
        "Spawner.environment": {
            "CMETHICS_INBOX": str(inbox),
            "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
            "JUPYTER_CONFIG_PATH": config_path,
            "PATH": path,
        },
    }
    lines = [f"c.{key} = {value!r}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def _stat(pid: int) -> tuple[int, str] | None:
    """A process's parent and start time (which tells it from a later one of the same id)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), fields[19]


def _descendants(pid: int) -> list[tuple[int, str]]:
    """Every live process under ``pid`` (proxy, single-user servers, kernels), from /proc."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child[0])
    return found


@contextlib.contextmanager
def running_hub(
    folder: Path, proxy: Path, users: list[str], teacher: str, timeout: float = 60
) -> Iterator[Hub]:
    """Start a hub in ``folder`` and stop it, and everything it started, on leaving.

    The class inbox is ``folder/inbox``, mode 1733 as the teachers' guide says (all accounts are
    one OS user here, so the mode is not put to the test: see test_hub.py).
    """
    inbox, homes = folder / "inbox", folder / "homes"
    inbox.mkdir()
    inbox.chmod(0o1733)
    homes.mkdir()
    port = free_port()
    config = folder / "jupyterhub_config.py"
    config.write_text(
        _config(folder, port, proxy, inbox, homes, [*users, teacher], teacher), encoding="utf-8"
    )
    log_path = folder / "jupyterhub.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [str(BIN / "jupyterhub"), "-f", str(config)],
        cwd=folder,
        env=dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/hub/api", timeout=2)
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterHub did not start ({error}); its log:\n{log_path.read_text()}"
                    ) from error
                time.sleep(0.3)
        yield Hub(url=url, inbox=inbox, homes=homes, log=log_path)
    finally:
        # The single-user servers run in sessions of their own: note them before the hub goes.
        started = _descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for pid, start in started:
            stat = _stat(pid)
            if stat is not None and stat[1] == start:  # still the process the hub started
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        log.close()

"""The repository's own rules: strict configuration, pinned vendored files, a clean lint."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def load_yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_build_is_strict_and_executes_with_cache() -> None:
    config = load_yaml("_config.yml")
    assert config["execute"]["execute_notebooks"] == "cache"
    assert config["execute"].get("allow_errors", False) is False
    assert config["only_build_toc_files"] is True


def test_make_book_runs_the_strict_build() -> None:
    # What make would run (a dry run), not a string somewhere in the Makefile: a commented-out
    # or overridden recipe fails here.
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "book"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    builds = [line.split() for line in plan.splitlines() if "jupyter-book build" in line]
    assert len(builds) == 1, plan
    assert builds[0][-5:] == ["build", ".", "-n", "-W", "--keep-going"], builds


def test_no_thebe_no_launch_buttons_no_static_folder() -> None:
    config = load_yaml("_config.yml")
    assert config["launch_buttons"]["thebe"] is False
    assert not any(v for k, v in config["launch_buttons"].items() if k.endswith("_url"))
    assert "sphinx_thebe" not in config["sphinx"]["config"]["extensions"]
    # A root _static/ would make Jupyter Book add every vendored *.js to every page.
    assert not (ROOT / "_static").exists()


def test_widget_javascript_is_vendored_and_pinned() -> None:
    config = load_yaml("_config.yml")["sphinx"]["config"]
    scripts = list(config["nb_ipywidgets_js"])
    assert scripts == ["widgets-config.js", "require.js", "embed-amd.js"]
    assert all("://" not in s for s in scripts)
    manifest = json.loads((ROOT / "vendor" / "MANIFEST.json").read_text())
    pins = json.loads((ROOT / "tools" / "vendor" / "package.json").read_text())["dependencies"]
    assert manifest["packages"] == pins
    folder = ROOT / "vendor" / "widgets"
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert on_disk == set(manifest["sha256"])


def test_toc_has_the_course_parts_in_order() -> None:
    toc = load_yaml("_toc.yml")
    assert toc["format"] == "jb-book"
    captions = [part["caption"] for part in toc["parts"]]
    assert captions == ["Introduction", "Themes", "Synthesis", "For teachers"]
    for part in toc["parts"]:
        files = [chapter["file"] for chapter in part["chapters"]]
        assert files, f"part {part['caption']!r} has no chapter"
        missing = [f for f in files if not (ROOT / f"{f}.md").exists()]
        assert not missing, f"{part['caption']}: no source for {missing}"


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line.split(";")[0].strip())
            (specifier,) = requirement.specifier  # every line is name==version
            pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def test_the_lock_pins_every_requirement_of_pyproject_within_its_range() -> None:
    # Offline half of the check (make lock-check recompiles against the index): a requirement
    # added to or narrowed in pyproject.toml without `make lock` fails here.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    pins = _pins()
    wrong = []
    for spec in map(Requirement, wanted):
        name = canonicalize_name(spec.name)
        if name == canonicalize_name(project["name"]):
            continue  # an extra that includes others, e.g. cmethics[book,lab]
        if name not in pins or pins[name] not in spec.specifier:
            wrong.append(f"{spec} (locked: {pins.get(name, 'absent')})")
    assert not wrong, "requirements.lock is out of date, run make lock: " + ", ".join(wrong)


def test_the_makefile_installs_exactly_the_lock() -> None:
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "setup"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pip sync" in plan and "requirements.lock" in plan, plan
    assert "pip install -r" not in plan, plan


def test_ruff_is_clean() -> None:
    check = subprocess.run(
        [str(BIN / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr

"""The repository's own rules: strict configuration, pinned vendored files, a clean lint."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def load_yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_build_is_strict_and_executes_with_cache() -> None:
    config = load_yaml("_config.yml")
    assert config["execute"]["execute_notebooks"] == "cache"
    assert config["execute"].get("allow_errors", False) is False
    assert config["only_build_toc_files"] is True
    makefile = (ROOT / "Makefile").read_text()
    assert "jupyter-book build . -n -W --keep-going" in makefile


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
    allowed = ["Introduction", "Themes", "Synthesis", "For teachers"]
    captions = [part["caption"] for part in toc.get("parts", [])]
    assert captions == [c for c in allowed if c in captions], captions


def test_ruff_is_clean() -> None:
    check = subprocess.run(
        [str(BIN / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr

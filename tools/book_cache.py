"""Prepare Jupyter Book's execution cache: clear it when stale, then fill it in parallel.

1. The cache (``_build/.jupyter_cache``) is keyed on each page's own code. A page that computes
   with ``cmethics`` would otherwise keep outputs made by an older package or older data, so the
   cache is emptied when the hash of ``src/cmethics`` and ``data/`` differs from the last build's.
2. Jupyter Book executes the notebook pages one after the other. This script reads every page of
   ``_toc.yml`` exactly as myst-nb does, executes the pages the cache lacks in parallel (one
   process per core), and stores them as myst-nb would; the build then finds them all cached.
   A page that fails is not cached: the build executes it again and reports the error itself.

Usage: ``python tools/book_cache.py [BUILD_DIR]`` (default ``_build``). Run by ``make book`` and
by the test suite before each build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = (ROOT / "src" / "cmethics", ROOT / "data")


def inputs_digest() -> str:
    """SHA-256 over the relative paths and bytes of every package and data file."""
    digest = hashlib.sha256()
    for folder in INPUTS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh(build_dir: Path) -> bool:
    """Empty the execution cache if the inputs changed; return True when it was emptied."""
    key_file = build_dir / ".cmethics-inputs"
    key = inputs_digest()
    stale = not key_file.exists() or key_file.read_text().strip() != key
    if stale:
        shutil.rmtree(build_dir / ".jupyter_cache", ignore_errors=True)
        build_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key + "\n")
    return stale


def _book_settings() -> tuple[list[Path], set[str], int]:
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [
        chapter["file"] for part in toc.get("parts", []) for chapter in part["chapters"]
    ]
    pages = [ROOT / f"{name}.md" for name in files if (ROOT / f"{name}.md").exists()]
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    timeout = int(config.get("execute", {}).get("timeout", 30))
    return pages, extensions, timeout


def _read(page: Path, extensions: set[str]):
    """The page as a notebook, read the way myst-nb reads it (None if it is plain Markdown)."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    text = page.read_text(encoding="utf-8")
    reader = create_nb_reader(
        str(page), MdParserConfig(enable_extensions=extensions), NbParserConfig(), text
    )
    return reader.read(text) if reader is not None else None


def _execute(job: tuple[str, dict, int]) -> tuple[str, dict | None, float, str | None]:
    """Run one notebook in its page's folder (a worker process)."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    path, notebook, timeout = job
    # Kernels inherit this worker's stderr and print a warning each about their transport;
    # errors still reach the build through the executed notebook.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    notebook = nbformat.from_dict(notebook)
    result = single_nb_execution(
        notebook,
        cwd=str(Path(path).parent),
        allow_errors=False,
        timeout=timeout,
        meta_override=True,
    )
    if result.err is not None:
        return path, None, result.time, result.exc_string
    return path, notebook, result.time, None


def fill(build_dir: Path, workers: int | None = None) -> list[tuple[str, float, bool]]:
    """Execute the pages missing from the cache in parallel and cache them.

    Returns ``(page, seconds, succeeded)`` for every page executed.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(build_dir / ".jupyter_cache"))
    pages, extensions, timeout = _book_settings()
    jobs = []
    for page in pages:
        notebook = _read(page, extensions)
        if notebook is None:
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            jobs.append((str(page), notebook, timeout))
    if not jobs:
        return []
    done = []
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        for path, executed, seconds, error in pool.map(
            _execute, [(p, dict(nb), t) for p, nb, t in jobs]
        ):
            if error is None:
                record = cache.add_nb_to_project(path)
                # Stored as myst-nb stores a notebook it has just executed itself.
                cache.cache_notebook_bundle(
                    CacheBundleIn(
                        nbformat.from_dict(executed),
                        record.uri,
                        data={"execution_seconds": seconds},
                    ),
                    check_validity=False,
                    overwrite=True,
                )
            done.append((str(Path(path).relative_to(ROOT)), seconds, error is None))
    return done


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    if refresh(target):
        print(f"package or data changed: execution cache in {target} cleared")
    start = time.perf_counter()
    executed = fill(target)
    if executed:
        failed = [page for page, _, ok in executed if not ok]
        print(
            f"executed {len(executed)} notebook pages in {time.perf_counter() - start:.1f} s"
            + (f"; failed (the build will report why): {', '.join(failed)}" if failed else "")
        )

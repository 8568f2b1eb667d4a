"""Clear Jupyter Book's execution cache when the package or the data have changed.

The cache (``_build/.jupyter_cache``) is keyed on each page's own source. A page that computes with
``cmethics`` would otherwise keep outputs made by an older package or older data. This script
hashes ``src/cmethics`` and ``data/`` and empties the cache when the hash differs from the one
recorded at the last build; when nothing changed, the cache is kept and the build stays fast.

Usage: ``python tools/book_cache.py [BUILD_DIR]`` (default ``_build``). Run by ``make book`` and by
the test suite before each build.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
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


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    if refresh(target):
        print(f"package or data changed: execution cache in {target} cleared")

"""Where the course's files live, resolved once for every module.

The package is installed editable from ``src/cmethics``; its data stay in the repository's
``data/`` folder. ``CMETHICS_DATA`` points elsewhere (a JupyterHub image, a test fixture).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["course_dir", "data_dir", "raw_dir", "repo_root"]


def repo_root() -> Path:
    """Return the repository's root folder (the one holding ``_config.yml``)."""
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Return the folder of the corpus tables (``data/``), honouring ``CMETHICS_DATA``."""
    env = os.environ.get("CMETHICS_DATA")
    return Path(env).resolve() if env else repo_root() / "data"


def raw_dir() -> Path:
    """Return the folder of the verbatim source pages (``data/raw/``)."""
    return data_dir() / "raw"


def course_dir() -> Path:
    """Return the folder of the course's hand-made data (``data/course/``)."""
    return data_dir() / "course"

"""Rebuild the corpus tables in ``data/`` from the raw pages (``make data``).

The writer: :func:`build` parses ``data/raw/`` with :mod:`cmethics._parse` (spaCy for the tokens)
and writes every CSV file and the ConvoKit export (:mod:`cmethics.convokit`). ``python -m
cmethics.corpus`` and ``cmethics data`` run :func:`main`. The reader, :mod:`cmethics.corpus`,
never imports this module: loading the tables needs pandas alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from cmethics import corpus
from cmethics._caches import clear_caches
from cmethics._parse import build_tables, read_sources
from cmethics._paths import data_dir
from cmethics._schema import SORT, TABLES
from cmethics.convokit import write_convokit

__all__ = ["build", "main"]


def _write_csv(df: pd.DataFrame, path: Path, name: str) -> None:
    df = df[list(TABLES[name])]
    if SORT[name]:
        df = df.sort_values(SORT[name], kind="stable")
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", float_format="%.10g")


def build(out_dir: Path | str | None = None) -> dict[str, Path]:
    """Parse the raw pages and (re)write every table and the ConvoKit export.

    Deterministic: the same raw pages and ``sources.yaml`` give byte-identical files.

    Parameters
    ----------
    out_dir : path, optional
        Where to write (default: the data folder, ``data/``). The raw pages and
        ``sources.yaml`` are always read from the data folder.

    Returns
    -------
    dict of str to Path
        Each written file by name.
    """
    src = data_dir()
    out = Path(out_dir) if out_dir is not None else src
    out.mkdir(parents=True, exist_ok=True)
    tables = build_tables(src / "raw", src / "sources.yaml")
    written: dict[str, Path] = {}
    for name in TABLES:
        path = out / f"{name}.csv"
        _write_csv(tables[name], path, name)
        written[name] = path
    # Export from the files just written, read back as the loaders read them, so the export
    # is exactly what to_convokit() gives from the committed tables.
    loaded = {name: corpus._read.__wrapped__(name, str(out)) for name in TABLES}
    meta = read_sources(src / "sources.yaml")
    for name, path in write_convokit(loaded, meta, out / "convokit").items():
        written[f"convokit/{name}"] = path
    # Every cache over a data folder may now hold stale tables (the reader's, the labs' counts).
    clear_caches()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: rebuild the tables (``make data``)."""
    parser = argparse.ArgumentParser(
        prog="python -m cmethics.corpus",
        description="Rebuild the corpus tables in data/ from data/raw/ and data/sources.yaml.",
    )
    parser.add_argument("--out", type=Path, default=None, help="write here instead of data/")
    args = parser.parse_args(argv)
    for name, path in build(args.out).items():
        print(f"wrote {name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

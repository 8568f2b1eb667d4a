"""The ``cmethics`` console command: the class report, the corpus tables, a demo class.

::

    cmethics class-report SUBMISSIONS_DIR --out report.html [--csv-dir DIR]
    cmethics data [--out DIR]              # same as python -m cmethics.corpus
    cmethics demo-class FOLDER [--students 24]

Installed by ``pyproject.toml`` (``[project.scripts]``). Every subcommand runs offline.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _class_report(args: argparse.Namespace) -> int:
    folder = Path(args.submissions_dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 2
    # Checked before anything is read (the report checks again before writing): the
    # submissions folder is never written to.
    out = Path(args.out)
    for target in (out, Path(args.csv_dir) if args.csv_dir else out.parent):
        if _inside(target, folder):
            print(
                f"error: {target} is inside the submissions folder {folder}: write the report "
                "elsewhere, the submissions folder is never modified",
                file=sys.stderr,
            )
            return 2
    from cmethics import classroom  # after the checks: importing the analysis takes seconds

    try:
        report, files = classroom.write_report(
            folder,
            args.out,
            args.csv_dir,
            recursive=args.recursive,
            max_bytes=int(args.max_mb * 1_000_000),
            progress=args.progress,
            seed=args.seed,
        )
    except ValueError as error:  # e.g. an output inside the submissions folder
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    print(f"Report: {files.html}")
    print(f"Tables: {files.csv_dir} ({len(files.csv)} CSV files)")
    if report.n_submissions == 0:
        print("No usable submission was found: see the problems section of the report.")
    return 0


def _data(args: argparse.Namespace) -> int:
    from cmethics import build  # the writer: pulls in the parser and spaCy

    for name, path in build.build(args.out).items():
        print(f"wrote {name}: {path}")
    return 0


def _demo_class(args: argparse.Namespace) -> int:
    from cmethics import classroom

    files = classroom.demo_class(
        args.folder, n_students=args.students, seed=args.seed, broken=not args.no_broken
    )
    print(f"wrote {len(files)} files for {args.students} synthetic students into {args.folder}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmethics",
        description="CM Ethics: the class report and the course's data, from the command line.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser(
        "class-report",
        help="compare the exports of a class in one HTML report (plus CSV tables)",
        description=(
            "Read every export ('Export my work' files, *.json) in a folder and its sub-folders, "
            "and write one self-contained HTML report plus CSV tables. The folder is only read. "
            "Nothing is sent anywhere."
        ),
    )
    report.add_argument("submissions_dir", metavar="SUBMISSIONS_DIR", help="folder of exports")
    report.add_argument(
        "--out", default="class-report.html", help="HTML file to write (class-report.html)"
    )
    report.add_argument(
        "--csv-dir", default=None, help="folder for the CSV tables (<out name>_tables beside it)"
    )
    report.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: only in an interactive terminal)",
    )
    report.add_argument(
        "--recursive",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also read sub-folders (default: yes; LMS downloads use one folder per student)",
    )
    report.add_argument(
        "--max-mb", type=float, default=5.0, help="skip files larger than this (5 MB)"
    )
    report.add_argument(
        "--seed", type=int, default=None, help="fix the random order of the anonymous answers"
    )
    report.set_defaults(handler=_class_report)

    data = sub.add_parser(
        "data",
        help="rebuild the corpus tables from data/raw/ (as python -m cmethics.corpus)",
        description="Rebuild the corpus tables in data/ from data/raw/ and data/sources.yaml.",
    )
    data.add_argument("--out", type=Path, default=None, help="write here instead of data/")
    data.set_defaults(handler=_data)

    demo = sub.add_parser(
        "demo-class",
        help="write a synthetic class's exports into a folder, to try the report",
        description=(
            "Write synthetic exports (the reference coding and the sources' stances, perturbed) "
            "and a few deliberately broken files into FOLDER."
        ),
    )
    demo.add_argument("folder", metavar="FOLDER", help="where to write (created if needed)")
    demo.add_argument("--students", type=int, default=24, help="number of students (24)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (0)")
    demo.add_argument("--no-broken", action="store_true", help="leave out the broken files")
    demo.set_defaults(handler=_demo_class)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cmethics`` command.

    Parameters
    ----------
    argv
        The arguments without the program name (``sys.argv[1:]`` when omitted).

    Returns
    -------
    int
        The exit status: 0 on success, 2 for a usage error (missing folder, output inside the
        submissions folder).
    """
    args = _parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())

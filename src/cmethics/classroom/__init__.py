"""The class report: every student's export in a folder, compared side by side.

A teacher collects the files that "Export my work" writes (``cmethics.answers``, schema
``cmethics.submission/1``) into one folder, for example an LMS's "download all submissions"
unzipped, and runs::

    cmethics class-report SUBMISSIONS_DIR --out report.html

or, in a notebook, :func:`write_report`. The report is one self-contained HTML file (no
network, figures embedded) and a folder of CSV files with the same tables. It shows:

- **comment coder**: the distribution of codes per comment, agreement between the students per
  category and overall (Krippendorff's α, Fleiss' κ), agreement of the class with the reference
  coding, and the most contested comments with their text and the students' rationales;
- **role comparer**: the class's mean position of every definition, with its spread, beside
  the sources' own stance;
- **other exercises**: the distribution of every answer drawn from a closed set (choice ids,
  yes/no, short lists of ids), summaries of numeric answers, and the free-text answers;
- **problems**: every file that was skipped and why, and every answer left out and why.

One module per step, every public name importable from here:

- :mod:`~cmethics.classroom.reading`: read and validate the folder (the reading rules);
- :mod:`~cmethics.classroom.extract`: the codings, placements and other answers of each export;
- :mod:`~cmethics.classroom.agreement`: Krippendorff's α and Fleiss' κ;
- :mod:`~cmethics.classroom.distributions`: codes per comment, agreement with the key, role
  positions, the other answers;
- :mod:`~cmethics.classroom.figures`: the agreement chart and the role map;
- :mod:`~cmethics.classroom.report`: :class:`ClassReport`, :func:`build_report`,
  :func:`write_report` (HTML and CSV);
- :mod:`~cmethics.classroom.page`: what the HTML page shows, and its template (``templates/``);
- :mod:`~cmethics.classroom.demo`: a synthetic class to try it on;
- :mod:`~cmethics.classroom.labels`: the fixed labels the tables use (summary rows, no code).

Anonymity
---------
Names appear nowhere in the report's analyses: rationales and free text are shown without a
label, in an order shuffled anew for every report (``seed`` fixes it). Only the problems
section names files, and file names often contain the student's name.
"""

from cmethics.classroom.agreement import coder_agreement, fleiss_kappa, krippendorff_alpha
from cmethics.classroom.demo import demo_class
from cmethics.classroom.distributions import (
    code_distribution,
    comment_summary,
    reference_agreement,
    role_positions,
)
from cmethics.classroom.extract import coder_codings
from cmethics.classroom.figures import Figure
from cmethics.classroom.labels import (
    CODES_MEAN,
    NONE_CHOSEN,
    OVERALL_LOWEST,
    OVERALL_MEAN,
    POOLED,
    WITHHELD_TEXT,
)
from cmethics.classroom.reading import (
    MAX_FILE_BYTES,
    PROBLEM_KINDS,
    Problem,
    ReadResult,
    Submission,
    folder_digest,
    read_submissions,
)
from cmethics.classroom.report import ClassReport, ReportFiles, build_report, write_report

__all__ = [
    "CODES_MEAN",
    "MAX_FILE_BYTES",
    "NONE_CHOSEN",
    "OVERALL_LOWEST",
    "OVERALL_MEAN",
    "POOLED",
    "PROBLEM_KINDS",
    "WITHHELD_TEXT",
    "ClassReport",
    "Figure",
    "Problem",
    "ReadResult",
    "ReportFiles",
    "Submission",
    "build_report",
    "code_distribution",
    "coder_agreement",
    "coder_codings",
    "comment_summary",
    "demo_class",
    "fleiss_kappa",
    "folder_digest",
    "krippendorff_alpha",
    "read_submissions",
    "reference_agreement",
    "role_positions",
    "write_report",
]

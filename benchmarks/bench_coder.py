"""Callback latency of the comment coder (and the thread reader) on the longest thread, 004.

Run: ``.venv/bin/python benchmarks/bench_coder.py [calls] [--kernel]`` (default 300 calls per
callback). With ``--kernel`` the same measurements run inside a Jupyter kernel (started with
nbclient), where every widget change is also serialised and sent as a comm message, as in
JupyterLab or Voilà (no browser is attached, so rendering is still not included).
Prints p50 / p95 / max in milliseconds for each callback a student triggers: Next, a code
change (radio button, check box, a keystroke in the rationale), "Next uncoded", "Compare with
the reference coding" on a fully coded thread, a code change once the comparison is shown
(it is then kept up to date), and reopening the coder on 47 saved codings (read back through
``cmethics.answer_format``). Answers are saved to a temporary folder, as in class (atomic
write and fsync on every change). The budget is p95 <= 100 ms. Without ``--kernel`` no comm is
attached: the figures are the Python side of each callback only.
Figures belong in docs/performance.md, not in tests.
"""

from __future__ import annotations

import tempfile
import time

from callbacks import measure, report, run

from cmethics import course
from cmethics.widgets import CommentCoder, Session, ThreadReader


def main(calls: int = 300) -> None:
    root = tempfile.mkdtemp(prefix="cmethics-bench-")
    session = Session("capstone", root=root, student="Bench", remember=False)
    start = time.perf_counter()
    coder = CommentCoder("004", session=session)
    built = (time.perf_counter() - start) * 1000
    key = course.reference_coding()
    stances = course.codebook().category("stance").code_ids
    n = len(coder.records)

    def next_comment(i: int) -> None:
        if coder.next_button.disabled:
            coder.go_to_index(0)
        coder.next_button.click()

    def stance_change(i: int) -> None:
        coder.single["stance"].value = stances[i % len(stances)]

    def checkbox_change(i: int) -> None:
        box = coder.multiple["themes"]["trust"]
        box.value = not box.value

    def keystroke(i: int) -> None:
        coder.rationale.value += "x"

    results = [
        measure("Next", next_comment, calls),
        measure("code change: stance (radio)", stance_change, calls),
        measure("code change: theme (check box)", checkbox_change, calls),
        measure("code change: rationale keystroke", keystroke, calls),
    ]

    # Code two comments in three (through the widgets), so that "Next uncoded" has gaps to
    # jump to and the comparison covers 47 comments; half of them differ from the key in
    # their stance and their themes, so that the comparison lists many differences.
    for i, record in enumerate(coder.records):
        if i % 3 == 2:
            continue
        coder.go_to_index(i)
        answer = key.answer(record.comment_id)
        if i % 2:
            answer["stance"] = next(c for c in stances if c != answer["stance"])
            answer["themes"] = ["ego"] if answer["themes"] != ["ego"] else []
        for category, radio in coder.single.items():
            radio.value = answer[category]
        for category, boxes in coder.multiple.items():
            for code_id, box in boxes.items():
                box.value = code_id in answer[category]
        coder.rationale.value = answer["rationale"]
    coder.go_to_index(0)

    def first_compare(i: int) -> None:
        coder._reference = None  # forget the loaded key: load and validate it again
        coder._comparison_cache = None
        coder.compare_button.click()

    def compare(i: int) -> None:
        coder._comparison_cache = None  # as after any code change
        coder.compare_button.click()

    results += [
        measure(
            "Next uncoded (47 of 70 coded)", lambda i: coder.next_uncoded_button.click(), calls
        ),
        measure("Compare, first time (loads the key)", first_compare, min(calls, 50)),
        measure("Compare (47 comments compared)", compare, calls),
        measure("code change with the comparison shown", stance_change, calls),
        # Reopening: 47 saved codings read back through cmethics.answer_format (lenient).
        measure(
            "coder reopened (47 saved codings)",
            lambda i: CommentCoder("004", session=session),
            min(calls, 20),
        ),
    ]

    reader = ThreadReader("004")
    speakers = [value for _, value in reader.speaker.options]

    def reader_page(i: int) -> None:
        if reader.next_button.disabled:
            reader.go_to_page(0)
        else:
            reader.next_button.click()

    def reader_filter(i: int) -> None:
        reader.speaker.value = speakers[i % len(speakers)]

    def reader_names(i: int) -> None:
        reader.show_names.value = not reader.show_names.value

    results += [
        measure("reader: next page", reader_page, calls),
        measure("reader: speaker filter", reader_filter, calls),
        measure("reader: names / pseudonyms", reader_names, calls),
    ]

    print(f"Thread 004 ({n} comments); coder built in {built:.0f} ms; answers in {root}")
    for name, times in results:
        report(name, times, width=44)


if __name__ == "__main__":
    run(__file__, main)

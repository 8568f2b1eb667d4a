"""The synthetic demo class: exports made from the key, perturbed, to try and test the report."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cmethics import __version__, course
from cmethics.answers import ANSWERS_SCHEMA, SUBMISSION_SCHEMA, slugify

__all__ = ["demo_class"]

_RATIONALES = (
    "The commenter {verb} the article; I chose {code} rather than {other} because of how "
    "the argument is framed.",
    "Mostly {code}: the comment {verb} the post, though one sentence could suggest {other}.",
    "I hesitated with {other}, but the decision rule points to {code}.",
    "I coded {code}, because the comment {verb} the author's claim.",
    "The wording made me pick {code}; {other} would need a clearer sign in the text.",
)


_VERBS = ("echoes", "questions", "builds on", "pushes back on", "sidesteps", "qualifies")


_JUSTIFY = {
    "brand": "This definition puts the brand first, so I placed it toward the brand side.",
    "community": "The role is about listening to the community, so it sits on the community side.",
    "middle": "Hard to place: it serves both, so I kept it near the middle.",
    "trust": "It relies on the members themselves, so it is on the trust side.",
    "control": "The speaker describes control of the conversation more than trust.",
}


_REFLECTIONS = (
    "I disagreed with the key mostly on stance: the line between nuances and disagrees is thin "
    "when a comment is ironic.",
    "Our group coded the addressee differently because replies to other members also speak to "
    "the author. The decision rule should say what to do then.",
    "I learned that my first impression was often 'agrees' when the comment only praised the "
    "writing. I would add an example of pure thanks to the codebook.",
    "Coding themes was easier than ego markers; self-promotion is hard to prove from the text "
    "alone.",
    "The abusive comment was easy to code but hard to decide about; I opted out of reading it "
    "and used the description.",
)


_MODERATION = (
    "Deleting protects the people targeted, and a short note keeps the moderation visible to "
    "readers so that it does not look like censorship of criticism.",
    "I would hide it pending review and check the site's rules first; a public reply would give "
    "the comment more attention than it deserves.",
    "Leaving it signals that the site accepts racist insults. Removal is the minimum.",
)


def _demo_coding(
    record: course.ReferenceRecord, book: course.Codebook, skill: float, rng: random.Random
) -> dict[str, Any]:
    """The key's coding of one comment, perturbed the way a student's would be."""
    coding = record.answer()
    alt = record.alternative_codes()
    for cat in book.categories:
        if cat.id in alt and rng.random() < 0.35:
            coding[cat.id] = alt[cat.id]
        elif not cat.multiple and rng.random() < skill:
            others = [c for c in cat.code_ids if c != coding[cat.id] and c != "abusive"]
            coding[cat.id] = rng.choice(others)
        elif cat.multiple:
            chosen = set(coding[cat.id])
            for code in cat.code_ids:
                if code not in cat.exclusive and rng.random() < skill / 3:
                    chosen ^= {code}
            chosen -= set(cat.exclusive) if chosen - set(cat.exclusive) else set()
            if not chosen and cat.min_choices > 0:
                chosen = set(cat.exclusive[:1]) or {cat.code_ids[0]}
            coding[cat.id] = [c for c in cat.code_ids if c in chosen]
    stance = book.category("stance")
    label = {c.id: c.label.lower() for c in stance.codes}
    others = [c for c in stance.code_ids if c not in (coding["stance"], "abusive")]
    other = rng.choice(others)
    coding["rationale"] = rng.choice(_RATIONALES).format(
        verb=rng.choice(_VERBS), code=label[coding["stance"]], other=label[other]
    )
    return coding


def _demo_justification(serves: float, works_by: float, rng: random.Random) -> str:
    if rng.random() < 0.2:
        return ""  # some placements are left unjustified
    if abs(serves) >= abs(works_by):
        side = "middle" if abs(serves) < 0.2 else "brand" if serves < 0 else "community"
    else:
        side = "control" if works_by < 0 else "trust"
    return _JUSTIFY[side]


def demo_class(
    folder: Path | str,
    n_students: int = 24,
    seed: int = 0,
    *,
    threads: Sequence[str] = ("000", "003"),
    broken: bool = True,
) -> list[Path]:
    """Write a synthetic class's exports into ``folder``, as an LMS download would look.

    Each student gets a folder ``NNN_demo-student-NN/`` with one export. Codings perturb the
    reference coding (a student-specific error rate; the key's alternative on borderline
    comments), role placements perturb the sources' own stances, and the moderation case,
    ego lab and capstone reflection get plausible answers. Some students stop coding early or
    skip the abusive comment. With ``broken``, a few deliberately bad files are added (empty,
    truncated JSON, another schema version, an exercise file instead of an export, Latin-1
    text, a stray non-JSON file) plus an earlier export of student 1, so that the report's
    problems section has something to show.

    Never point this at ``data/``: it is for temporary folders (the teacher notebook, the
    tests, the benchmark).

    Parameters
    ----------
    folder
        Where to write (created if needed).
    n_students
        Number of students.
    seed
        Random seed: the same seed gives the same files.
    threads
        The threads every student was asked to code.
    broken
        Add the bad files and the duplicate.

    Returns
    -------
    list of pathlib.Path
        Every file written, good and bad.
    """
    rng = random.Random(seed)
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    book = course.codebook()
    key = course.reference_coding()
    points = course.role_map_points()
    options = [o.id for o in course.moderation_case().options]
    moderation_weights = [3, 1, 2, 6, 4, 1, 2][: len(options)]
    start = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    width = max(2, len(str(n_students)))
    written: list[Path] = []

    def stamp(moment: datetime) -> str:
        return moment.isoformat(timespec="seconds")

    def export(student: str, moment: datetime, exercises: dict[str, Any]) -> dict[str, Any]:
        return {
            "schema": SUBMISSION_SCHEMA,
            "student": student,
            "exported_at": stamp(moment),
            "course_version": __version__,
            "exercises": exercises,
        }

    def write(path: Path, payload: dict[str, Any] | bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(payload, bytes):
            path.write_bytes(payload)
        else:
            text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            path.write_text(text, encoding="utf-8")
        written.append(path)
        return path

    first_payload: dict[str, Any] | None = None
    for i in range(1, n_students + 1):
        student = f"Demo student {i:0{width}d}"
        slug = slugify(student)
        skill = rng.uniform(0.05, 0.3)
        began = start + timedelta(minutes=rng.randint(0, 40))
        done = began + timedelta(minutes=rng.randint(30, 80))
        coder_answers: dict[str, Any] = {}
        for article_id in threads:
            records = key.thread(article_id)
            stop = len(records) if rng.random() < 0.85 else rng.randint(1, len(records))
            for record in records[:stop]:
                if record.withheld and rng.random() < 0.25:
                    continue  # opted out of reading the abusive comment
                coder_answers[f"coder.{record.comment_id}"] = _demo_coding(record, book, skill, rng)
        reflection = " ".join(rng.sample(_REFLECTIONS, 2))
        capstone = {
            **coder_answers,
            "coder_thread.article_id": threads[0],
            "reflection.disagreements": reflection,
        }
        bias = (rng.gauss(0, 0.15), rng.gauss(0, 0.15))
        role_answers: dict[str, Any] = {}
        for p in points.itertuples():
            if rng.random() < 0.1:
                continue  # not placed
            serves = max(-1.0, min(1.0, p.serves + bias[0] + rng.gauss(0, 0.25)))
            works_by = max(-1.0, min(1.0, p.works_by + bias[1] + rng.gauss(0, 0.25)))
            role_answers[f"roles.{p.point_id}"] = {
                "serves": round(serves, 2),
                "works_by": round(works_by, 2),
                "justification": _demo_justification(serves, works_by, rng),
            }
        choice = rng.choices(options, weights=moderation_weights)[0]
        first = choice if rng.random() < 0.7 else rng.choice(options)
        role_answers.update(
            {
                "moderation.choice": choice,
                "moderation.first_choice": first,
                "moderation.feedback_seen": True,
                "moderation.justification": rng.choice(_MODERATION),
            }
        )
        ego = {
            "ego.prediction.000.body": {
                "i": round(rng.uniform(0.5, 4), 1),
                "we": round(rng.uniform(0, 2), 1),
                "you": round(rng.uniform(0.5, 5), 1),
            },
            "ego.reflection": rng.choice(_REFLECTIONS),
        }
        exercises = {
            "capstone": {"created": stamp(began), "updated": stamp(done), "answers": capstone},
            "role": {"created": stamp(began), "updated": stamp(began), "answers": role_answers},
            "ego": {"created": stamp(began), "updated": stamp(began), "answers": ego},
        }
        payload = export(student, done + timedelta(minutes=2), exercises)
        name = f"cmethics-{slug}-{(done + timedelta(minutes=2)):%Y%m%dT%H%M%SZ}.json"
        write(base / f"{i:03d}_{slug}" / name, payload)
        if first_payload is None:
            first_payload = payload

    if broken and first_payload is not None:
        bad = base / "999_broken-files"
        early = json.loads(json.dumps(first_payload))
        early["exported_at"] = stamp(start - timedelta(days=1))
        early["exercises"] = {"ego": early["exercises"]["ego"]}
        write(base / "001_demo-student-01" / "cmethics-demo-student-01-earlier.json", early)
        write(bad / "empty-export.json", b"")
        text = json.dumps(first_payload, ensure_ascii=False)
        write(bad / "truncated-export.json", text[: len(text) // 3].encode("utf-8"))
        write(
            bad / "future-version.json",
            {**first_payload, "schema": "cmethics.submission/2", "student": "Future version"},
        )
        write(
            bad / "role.json",
            {
                "schema": ANSWERS_SCHEMA,
                "exercise": "role",
                "student": "Saved but not exported",
                "created": stamp(start),
                "updated": stamp(start),
                "answers": {},
            },
        )
        latin = export("Hélène Latin-1", start, {})
        write(bad / "latin1-export.json", json.dumps(latin, ensure_ascii=False).encode("latin-1"))
        write(bad / "feedback-notes.txt", b"Notes the LMS added to the download.\n")
    return written

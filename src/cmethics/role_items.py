"""The definitions of the community manager's role that students place on the role map.

The course data (``course.role_definitions()``) give the 28 definitions quoted from the five
sources, with the course's reading of where each source puts its own definition; today's
professional references (``course.professional_references()``) add four more. This module joins
them with the corpus (who spoke, under which pseudonym) into one ``RoleItem`` per definition, for
the role comparer and for anything else that shows them.

>>> from cmethics.role_items import load_role_items
>>> len(load_role_items())
32
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cmethics import corpus, course

__all__ = ["ATTITUDES", "RoleItem", "load_role_items"]

#: How the speaker relates to the definition, in plain English.
ATTITUDES = {
    "endorses": "The speaker adopts this definition.",
    "rejects": "The speaker reports this definition in order to reject it.",
    "qualifies": "The speaker accepts this definition with reservations.",
    "questions": "The speaker raises this definition as a question.",
}


@dataclass(frozen=True)
class RoleItem:
    """One definition to place: from a source (with its quotation) or a present-day reference.

    Attributes
    ----------
    number
        Its number on the map (1 … 32), in the order of the course data.
    role_id
        The answer key's item (``roles.<role_id>``).
    kind
        ``"source"`` or ``"reference"``.
    label
        The source's own name for the role (verbatim French), or the reference's short label.
    text
        The quotation (verbatim French) for a source; ``None`` for a reference.
    gloss
        Our English gloss (sources) or our paraphrase of the reference (references).
    stance_serves, stance_works_by
        Where the source itself puts the definition (the course's reading), in [-1, 1].
    """

    number: int
    role_id: str
    kind: str
    label: str
    text: str | None
    gloss: str
    article_id: str | None
    comment_id: str | None
    speaker_pseudo: str
    speaker_name: str
    attitude: str | None
    note_pseudo: str | None
    note_name: str | None
    stance_serves: float
    stance_works_by: float
    serves_justification: str
    works_by_justification: str
    citation: str | None = None
    url: str | None = None
    whom_served: str | None = None

    def speaker(self, names: bool) -> str:
        """The speaker as shown: name as printed (``names``) or pseudonym for commenters."""
        return self.speaker_name if names else self.speaker_pseudo

    def note(self, names: bool) -> str | None:
        """Our context note, with commenters' names replaced unless ``names``."""
        return self.note_name if names else self.note_pseudo

    @property
    def group(self) -> str:
        """The filter group: the article id, or ``"reference"``."""
        return self.article_id if self.kind == "source" and self.article_id else "reference"


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _pseudonymizer() -> tuple[dict[str, str], re.Pattern[str] | None]:
    """Printed commenter names -> pseudonyms, and a pattern that finds them in our notes."""
    printed = corpus.comments(pseudonymize=False)
    pseudo = corpus.comments(pseudonymize=True)
    mapping: dict[str, str] = {}
    for name, alias, author in zip(
        printed["speaker"], pseudo["speaker"], printed["is_article_author"], strict=True
    ):
        if not _missing(name) and not _missing(alias) and not bool(author) and name != alias:
            mapping[str(name)] = str(alias)
    if not mapping:
        return mapping, None
    # Longest first, so that "Corinne Dangas" is not cut by a shorter name inside it.
    names = sorted(mapping, key=len, reverse=True)
    return mapping, re.compile("|".join(re.escape(n) for n in names))


def load_role_items(include_references: bool = True) -> tuple[RoleItem, ...]:
    """Every definition the comparer shows, in the order of the course data.

    Parameters
    ----------
    include_references
        Add today's professional references after the sources' definitions.

    Returns
    -------
    tuple of RoleItem
        28 definitions from the sources, then (by default) 4 references.
    """
    roles = course.role_definitions()
    comments = corpus.comments(pseudonymize=True).set_index("comment_id")
    mapping, pattern = _pseudonymizer()

    def hide_names(text: str | None) -> str | None:
        if text is None or pattern is None:
            return text
        return pattern.sub(lambda m: mapping[m.group(0)], text)

    items: list[RoleItem] = []
    for row in roles.itertuples(index=False):
        items.append(_source_item(len(items) + 1, row, comments["speaker"], hide_names))
    if include_references:
        for ref in course.professional_references():
            items.append(_reference_item(len(items) + 1, ref))
    return tuple(items)


def _source_item(
    number: int, row: Any, aliases: pd.Series, hide_names: Callable[[str | None], str | None]
) -> RoleItem:
    """One row of ``course.role_definitions()`` as a ``RoleItem``.

    ``aliases`` maps comment ids to the commenters' pseudonyms; ``hide_names`` replaces the
    printed names in our context note.
    """
    comment_id = None if _missing(row.comment_id) else str(row.comment_id)
    printed = str(row.speaker)
    if comment_id is None:
        # The article body: authors keep their names; 001 and 003 print none.
        name = "the article\u2019s author (unsigned)" if printed == "unsigned" else printed
        pseudo = name
    else:
        alias = aliases.get(comment_id)
        alias = "an unsigned commenter" if _missing(alias) else str(alias)
        pseudo = alias
        name = alias if printed == "unsigned" else printed
    note = None if _missing(row.note) else str(row.note)
    return RoleItem(
        number=number,
        role_id=str(row.role_id),
        kind="source",
        label=str(row.label),
        text=str(row.quote),
        gloss=str(row.gloss),
        article_id=str(row.article_id),
        comment_id=comment_id,
        speaker_pseudo=pseudo,
        speaker_name=name,
        attitude=str(row.speaker_attitude),
        note_pseudo=hide_names(note),
        note_name=note,
        stance_serves=float(row.serves),
        stance_works_by=float(row.works_by),
        serves_justification=str(row.serves_justification),
        works_by_justification=str(row.works_by_justification),
    )


def _reference_item(number: int, ref: course.ProfessionalReference) -> RoleItem:
    """One of ``course.professional_references()`` as a ``RoleItem`` (our paraphrase)."""
    year = f", {ref.year}" if ref.year else ""
    return RoleItem(
        number=number,
        role_id=ref.id,
        kind="reference",
        label=ref.short_label,
        text=None,
        gloss=ref.summary,
        article_id=None,
        comment_id=None,
        speaker_pseudo=ref.organisation,
        speaker_name=ref.organisation,
        attitude=None,
        note_pseudo=None,
        note_name=None,
        stance_serves=ref.stance.serves.value,
        stance_works_by=ref.stance.works_by.value,
        serves_justification=ref.stance.serves.justification,
        works_by_justification=ref.stance.works_by.justification,
        citation=f"{ref.title}, {ref.organisation}{year}",
        url=ref.url,
        whom_served=ref.principles.whom_served,
    )

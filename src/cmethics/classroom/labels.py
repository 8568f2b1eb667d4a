"""The fixed labels the class report writes into its tables (summary rows, no code chosen).

A leaf: the agreement, distribution, figure and page modules share these without importing
each other.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CODES_MEAN",
    "NONE_CHOSEN",
    "OVERALL_LOWEST",
    "OVERALL_MEAN",
    "POOLED",
    "WITHHELD_TEXT",
    "set_label",
]

#: What the report shows instead of a withheld comment's text.
WITHHELD_TEXT = "withheld: abusive comment, see the moderation case"

#: The "code" of a multiple-choice category answered with no code (e.g. no theme).
NONE_CHOSEN = "(none chosen)"

#: The ``code`` of the summary rows of :func:`coder_agreement` (category ``overall``).
OVERALL_MEAN = "(mean of categories)"
OVERALL_LOWEST = "(lowest category)"

#: The ``code`` of a multiple-choice category's own figure: the mean of its codes' figures.
CODES_MEAN = "(mean of codes)"

#: The ``code`` of a multiple-choice category's pooled figure, every (comment, code) pair one
#: unit: shown apart, for comparison only, and never part of "Overall" (pooling inflates it).
POOLED = "(pooled)"


def set_label(value: Sequence[str] | None) -> str | None:
    """A multiple-choice answer as one label: ``("role", "trust")`` as ``"role+trust"``.

    ``None`` (not answered) stays ``None``; an answer with no code is :data:`NONE_CHOSEN`.
    """
    if value is None:
        return None
    return "+".join(value) if value else NONE_CHOSEN

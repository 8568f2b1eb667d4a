"""text.phrase_counts, used by the "Defining the role" chapter.

The expected counts were made by hand on source 003 (data/raw/003_*.txt), reading the page:
« community manager » appears 8 times in the body (3 in paragraph 3, 2 in paragraph 4, 2 in
paragraph 6, 1 in paragraph 7; the headline is not a paragraph) and twice in the comments
(003-c004 « métier de community manager », 003-c005 « Community manager »); « initiateur de
réseau » 3 times in the body; « connecteur » once in the body (« je servirais de connecteur »)
and twice in 003-c004.
"""

from __future__ import annotations

import pandas as pd

from cmethics import text

PHRASES = {
    "community manager": ["community", ["manager", "managers"]],
    "initiateur de réseau": "initiateur de réseau",
    "connecteur": "connecteur",
    "never used": "zzzz introuvable",
}


def test_counts_by_article_and_doc_type_match_hand_counts() -> None:
    out = text.phrase_counts(PHRASES, by=["article_id", "doc_type"])
    assert list(out.index) == list(PHRASES)  # the mapping's order
    assert out.loc["community manager", ("003", "paragraph")] == 8
    assert out.loc["community manager", ("003", "comment")] == 2
    assert out.loc["initiateur de réseau", ("003", "paragraph")] == 3
    assert out.loc["initiateur de réseau"].sum() == 3  # nowhere else in the corpus
    assert out.loc["connecteur", ("003", "paragraph")] == 1
    assert out.loc["connecteur", ("003", "comment")] == 2
    assert out.loc["connecteur"].sum() == 3


def test_every_page_gets_a_column_and_unused_phrases_count_zero() -> None:
    out = text.phrase_counts(PHRASES)
    assert list(out.columns) == ["000", "001", "002", "003", "004"]
    assert (out.loc["never used"] == 0).all()
    assert out.loc["initiateur de réseau", "000"] == 0
    assert all(pd.api.types.is_integer_dtype(t) for t in out.dtypes)


def test_totals_agree_with_find_phrases() -> None:
    out = text.phrase_counts(PHRASES)
    for label, phrase in PHRASES.items():
        assert out.loc[label].sum() == len(text.find_phrases(phrase))

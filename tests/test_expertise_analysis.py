"""threads.term_counts: word families by part of a page (the expertise chapter's analysis).

Every expected count was counted by hand on data/raw/002 (the words are quoted in the
comments), not produced by the code under test.
"""

from __future__ import annotations

import pytest

from cmethics import corpus, threads

# « Gourous ? » (p009), « Gourous » du Web (p017), « Gourous Social Médias » (p018),
# « Le fameux Gourou », « Un gourou désigne » (p019), « appeler Gourou », « aux Gourous »
# (p021), « encore moins Gourou » (p026): 8 in the body; « la notion de Gourou » (c009): 1.
GOUROU = {"gourou": ["gourou", "gourous"]}
# « écrivent des thèses » (c004, a commenter); « ceux qui font des thèses » (c010, the author).
THESE = {"these": ["thèse", "thèses"]}


def _row(frame, part):
    return frame.set_index("part").loc[part]


def test_hand_counts_by_part():
    out = threads.term_counts(GOUROU | THESE, "002")
    assert list(out["part"]) == ["article", "author's replies", "commenters"]
    art, auth, com = (_row(out, p) for p in threads.TERM_PARTS)
    assert (art["gourou"], auth["gourou"], com["gourou"]) == (8, 0, 1)
    assert (art["these"], auth["these"], com["these"]) == (0, 1, 1)


def test_docs_and_words_match_the_corpus_tables():
    out = threads.term_counts(GOUROU, "002")
    art, auth, com = (_row(out, p) for p in threads.TERM_PARTS)
    # 26 paragraphs; the author's two unsigned replies (c003, c010); 13 other comments.
    assert (art["n_docs"], auth["n_docs"], com["n_docs"]) == (26, 2, 13)
    articles = corpus.articles().set_index("article_id")
    assert art["n_words"] == articles.loc["002", "n_words"]
    comments = corpus.comments()
    thread = comments[comments["article_id"] == "002"]
    assert auth["n_words"] == thread.loc[thread["is_article_author"], "n_words"].sum() == 233
    assert com["n_words"] == thread.loc[~thread["is_article_author"], "n_words"].sum()


def test_case_and_apostrophes_do_not_matter():
    lower = threads.term_counts(GOUROU, "002")
    upper = threads.term_counts({"gourou": ["GOUROU", "Gourous"]}, "002")
    assert lower["gourou"].tolist() == upper["gourou"].tolist()
    # « d’études » is split into « d’ » + « études »; the elided form matches with either mark.
    curly = threads.term_counts({"d": ["d’"]}, "002")["d"].sum()
    straight = threads.term_counts({"d": ["d'"]}, "002")["d"].sum()
    assert curly == straight > 0


def test_whole_words_only():
    # « expérimental » (c004) is not « expérience »; no prefix matching.
    out = threads.term_counts({"exp": ["expérience"]}, "002", by="doc").set_index("doc_id")
    assert out.loc["002-c004", "exp"] == 0
    assert out.loc["002-c005", "exp"] == 1  # « je préfère le terme expérience »


def test_by_doc_adds_up_to_by_part():
    fams = GOUROU | THESE
    docs = threads.term_counts(fams, "002", by="doc")
    parts = threads.term_counts(fams, "002")
    summed = docs.groupby("part")[["n_words", "gourou", "these"]].sum()
    for row in parts.itertuples():
        assert summed.loc[row.part].tolist() == [row.n_words, row.gourou, row.these]
    assert docs.set_index("doc_id").loc["002-c009", "gourou"] == 1


def test_pages_without_author_replies_have_no_such_row():
    out = threads.term_counts(GOUROU, "003")
    assert list(out["part"]) == ["article", "commenters"]


@pytest.mark.parametrize(
    ("families", "by"),
    [({}, "part"), ({"empty": []}, "part"), (GOUROU, "speaker")],
)
def test_bad_arguments(families, by):
    with pytest.raises(ValueError):
        threads.term_counts(families, "002", by=by)

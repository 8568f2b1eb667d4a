"""The ownership chapter's analysis: « ma communauté » or « la communauté », and in whose voice.

Every expected value below was read by hand on the page (the sentence is quoted in the
comment), not produced by the code under test.
"""

from __future__ import annotations

import pytest

from cmethics import text


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        # nested guillemets, as in 001-p003 (« ce n’est pas « ton » bac à sable ... »)
        ("a « b « c » d » e", [(2, 14), (6, 10)]),
        # straight quotes pair in order
        ('x "un" y "deux" z', [(2, 5), (9, 14)]),
        # an opener never closed opens nothing; an orphan closer closes nothing
        ('« pas fermé et "ici"', [(15, 19)]),
        ("rien » ici", []),
        # apostrophes are not quotation marks
        ("l’on n'a pas « dit »", [(13, 19)]),
    ],
)
def test_quotation_spans(sample: str, expected: list[tuple[int, int]]) -> None:
    assert text.quotation_spans(sample) == expected


def _status(sample: str, words: str) -> str:
    start = sample.index(words)
    return text.quotation_status(sample, start, start + len(words))


def test_quotation_status_distinguishes_quoted_marked_and_used() -> None:
    # 001-p002: the article reports a phrase of community managers
    assert _status("il y a : « ma communauté fait ceci ou cela… » pas", "ma communauté") == "quoted"
    # 004-p026: scare quotes around the possessive only
    assert _status('pour attirer, et gérer "sa" communauté.', 'sa" communauté') == "marked"
    # 000-c002: scare quotes around exactly the phrase
    assert _status('une place que "la communauté" n\'estime pas', "la communauté") == "marked"
    # 004-p029: the quotation marks are on « gérer », not on « sa communauté »
    assert _status('qu\'on peut "gérer" sa communauté, comme', "sa communauté") == "none"
    assert _status("Etre dévoué à sa comunauté c’est bien", "sa comunauté") == "none"


@pytest.fixture(scope="module")
def mentions():
    return text.ownership_mentions().set_index(["doc_id", "start"])


def _row(mentions, doc_id: str, match: str):
    rows = mentions.loc[doc_id]
    rows = rows[rows["match"] == match]
    assert len(rows) >= 1, (doc_id, match)
    return rows.iloc[0]


def test_same_mentions_as_communaute_mentions() -> None:
    assert len(text.ownership_mentions()) == len(text.communaute_mentions())


def test_possessives_found_by_hand() -> None:
    # The 14 possessives before « communauté » in the corpus, read on the pages:
    # ma: 000-p037, 001-p002 (twice); votre: 004-c003; leur: 004-c052, 004-c038 (« leur propre
    # communauté de marque », which the base table misses); sa: 000-p043, 000-c010, 001-p005
    # (« sa comunauté »), 001-c002, 003-p011, 004-p026, 004-p029, 004-c060.
    df = text.ownership_mentions()
    poss = df[df["determiner_class"] == "possessive"]
    assert sorted(poss["determiner"].str.lower()) == sorted(
        ["ma"] * 3 + ["votre"] + ["leur"] * 2 + ["sa"] * 8
    )
    assert sorted(set(poss["doc_id"])) == sorted(
        [
            "000-p037", "000-p043", "000-c010", "001-p002", "001-p005", "001-c002",
            "003-p011", "004-p026", "004-p029", "004-c003", "004-c038", "004-c052", "004-c060",
        ]
    )  # fmt: skip
    # No one writes « notre communauté », « mon » or « nos communautés ».
    assert not poss["determiner"].str.lower().isin(["notre", "nos", "mon", "mes"]).any()


def test_adjective_and_fused_determiners(mentions) -> None:
    row = _row(mentions, "004-c038", "leur propre communauté")
    assert row["determiner_class"] == "possessive"
    assert row["person"] == 3
    assert _row(mentions, "001-c001", "la dite communauté")["determiner_class"] == "definite"
    assert _row(mentions, "004-p028", "ladite communauté")["determiner_class"] == "definite"
    # « :).Les communautés »: the typo glues the full stop to « Les »
    assert _row(mentions, "004-c016", ".Les communautés")["determiner_class"] == "definite"
    assert _row(mentions, "004-c014", "une simple communauté")["determiner_class"] == "indefinite"


def test_quotation_and_roles(mentions) -> None:
    # 001-p002 quotes « ma communauté » twice, to criticise it
    rows = mentions.loc["001-p002"]
    assert list(rows[rows["determiner"] == "ma"]["quotation"]) == ["quoted", "quoted"]
    # 000-p037 quotes the question a good community manager should ask
    assert _row(mentions, "000-p037", "ma communauté")["quotation"] == "quoted"
    assert _row(mentions, "004-p026", 'sa" communauté')["quotation"] == "marked"
    assert _row(mentions, "004-c003", "votre communauté")["quotation"] == "quoted"
    # the unsigned author's reply under 001 (« s’il trahit sa communauté »)
    row = _row(mentions, "001-c002", "sa communauté")
    assert (row["speaker_role"], row["quotation"]) == ("author", "none")
    assert _row(mentions, "001-p005", "sa comunauté")["speaker_role"] == "article"
    assert _row(mentions, "004-c060", "sa communauté")["speaker_role"] == "commenter"

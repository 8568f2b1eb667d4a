"""threads.exchange_shares, used by the trust chapter. Expected values counted by hand from
comments.csv's reply_to (004: the 29 inferred replies listed in src/cmethics/_parse_rules.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from cmethics import corpus, threads

# 004: members answer Bascuñana in c016, c031, c032, c037, c047, c048, c059, c063 (8); he
# answers members in c014, c019-c023, c026, c027, c029, c030, c040-c042, c045, c055, c058,
# c062 (17); members answer members in c008, c009, c017, c035 (4); 9 of his 26 comments and
# 32 of the members' 44 have no inferred target.
EXPECTED_004 = {
    "member → author": 8,
    "author → member": 17,
    "author → author": 0,
    "member → member": 4,
    "author, no inferred target": 9,
    "member, no inferred target": 32,
}


def test_exchange_shares_004_by_hand() -> None:
    table = threads.exchange_shares("004").set_index("exchange")
    assert list(table.index) == list(threads.EXCHANGE_KINDS)
    assert table["n_comments"].to_dict() == EXPECTED_004
    assert table.loc["member → member", "group"] == "between members"
    assert table.loc["member → author", "group"] == "through the author"
    assert table.loc["member, no inferred target", "group"] == "no inferred target"
    assert table.loc["member → member", "share_of_all"] == pytest.approx(4 / 70, abs=1e-3)
    assert table.loc["member → member", "share_of_linked"] == pytest.approx(4 / 29, abs=1e-3)
    through = table[table["group"] == "through the author"]
    assert through["share_of_linked"].sum() == pytest.approx(25 / 29, abs=2e-3)
    assert pd.isna(table.loc["author, no inferred target", "share_of_linked"])


def test_exchange_shares_adds_up_in_every_thread() -> None:
    comments = corpus.comments()
    for aid, n in comments.groupby("article_id").size().items():
        table = threads.exchange_shares(aid)
        assert table["n_comments"].sum() == n
        assert table["share_of_all"].sum() == pytest.approx(1, abs=5e-3)
        linked = table["share_of_linked"].dropna()
        if comments.loc[comments["article_id"] == aid, "reply_to"].notna().any():
            assert linked.sum() == pytest.approx(1, abs=5e-3)


def test_exchange_shares_without_replies_and_on_a_given_table() -> None:
    # 003 has no inferred reply: linked shares are missing, not zero.
    table = threads.exchange_shares("003")
    assert table["share_of_linked"].isna().all()
    assert table.set_index("exchange").loc["member, no inferred target", "n_comments"] == 5
    # 000: every inferred reply is Ronan Boussicaud answering a commenter (9 of 19).
    t000 = threads.exchange_shares("000").set_index("exchange")
    assert t000.loc["author → member", "n_comments"] == 9
    assert t000.loc["author → member", "share_of_linked"] == 1.0
    # A pseudonymised table gives the same counts: names play no part in the classification.
    hidden = threads.exchange_shares("004", comments=corpus.comments(pseudonymize=True))
    assert hidden.set_index("exchange")["n_comments"].to_dict() == EXPECTED_004

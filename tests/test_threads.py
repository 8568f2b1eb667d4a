"""Reply-structure helpers. Expected values derived by hand from comments.csv's reply_to."""

from __future__ import annotations

import networkx as nx
import pytest

from cmethics import corpus, threads

# author's comments / all comments, per thread (000: Ronan Boussicaud signs 9 of 19; 001: the
# unsigned reply in the author's voice; 002: two unsigned replies in his voice; 003: none;
# 004: Frédéric BASCUNANA signs 26 of 70)
AUTHOR_COMMENTS = {"000": (9, 19), "001": (1, 2), "002": (2, 15), "003": (0, 5), "004": (26, 70)}
MAX_DEPTH = {"000": 1, "001": 1, "002": 4, "003": 0, "004": 3}
N_REPLIES = {"000": 9, "001": 1, "002": 5, "003": 0, "004": 29}


def test_author_share() -> None:
    share = threads.author_share().set_index("article_id")
    for aid, (mine, total) in AUTHOR_COMMENTS.items():
        assert share.loc[aid, "n_author_comments"] == mine
        assert share.loc[aid, "n_comments"] == total
        assert share.loc[aid, "author_share"] == pytest.approx(mine / total, abs=1e-3)
    assert (share["author_word_share"].between(0, 1)).all()


def test_depth_summary() -> None:
    summary = threads.depth_summary().set_index("article_id")
    assert summary["max_depth"].to_dict() == MAX_DEPTH
    assert summary["n_replies"].to_dict() == N_REPLIES
    assert summary.loc["002", "n_nesting"] == 5
    assert summary.loc["004", "n_address"] + summary.loc["004", "n_content"] == 29


def test_tree_order_puts_replies_under_their_parent() -> None:
    order = threads.tree_order("000")["comment_id"].str[-2:].astype(int).tolist()
    # Each of Ronan's replies (c011-c019) comes right after the comment it answers.
    assert order == [1, 11, 2, 12, 3, 13, 4, 14, 5, 15, 6, 7, 16, 8, 17, 9, 18, 10, 19]
    t004 = threads.tree_order("004").set_index("comment_id")
    assert t004.loc["004-c023", "tree_position"] > t004.loc["004-c016", "tree_position"]
    assert t004.loc["004-c016", "tree_position"] > t004.loc["004-c014", "tree_position"]


def test_reply_edges_and_who_answers_whom() -> None:
    edges = threads.reply_edges()
    assert len(edges) == sum(N_REPLIES.values())
    pairs = threads.who_answers_whom("000")
    top = pairs.iloc[0]
    assert (top["source"], top["target"], top["n_replies"]) == (
        "Ronan Boussicaud",
        "Helene Albi",
        2,
    )
    hidden = threads.who_answers_whom("000", pseudonymize=True)
    assert "Helene Albi" not in set(hidden["target"]) and "Commenter 01" in set(hidden["target"])


def test_speaker_activity() -> None:
    act = threads.speaker_activity("004")
    top = act.iloc[0]
    assert (top["speaker"], top["n_comments"], bool(top["is_article_author"])) == (
        "Frédéric Bascuñana",
        26,
        True,
    )
    assert act["n_comments"].sum() == 70
    unsigned = threads.speaker_activity("003")
    assert unsigned["speaker"].notna().all()  # unsigned speakers are labelled by pseudonym


def test_reply_graph() -> None:
    g = threads.reply_graph()
    n_comments = len(corpus.comments())
    assert g.number_of_nodes() == n_comments + 5
    assert g.number_of_edges() == n_comments
    assert nx.is_directed_acyclic_graph(g)
    for node, data in g.nodes(data=True):
        assert g.out_degree(node) == (0 if data["kind"] == "article" else 1)
    # Each thread is one tree rooted at its article.
    undirected = g.to_undirected()
    assert nx.number_connected_components(undirected) == 5
    sg = threads.reply_graph("000", level="speaker")
    assert sg["s001"]["s002"]["weight"] == 2  # Ronan -> Helene Albi
    with pytest.raises(ValueError):
        threads.reply_graph(level="word")

"""Reply structure of the comment threads: tree order, depth, who answers whom, author share.

All functions read ``cmethics.corpus.comments()`` unless given a comments table (a filtered or
pseudonymised one, for instance). A reply is a comment with a ``reply_to``; its basis
(``nesting``, ``address``, ``content``) says how the link was established (see
``data/README.md``). Top-level comments answer the article itself.

    from cmethics import threads
    threads.author_share()                 # the author's share of each thread
    threads.who_answers_whom("004")        # reply counts between speakers
    g = threads.reply_graph("000")         # networkx DiGraph, comment -> comment it answers
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from cmethics import corpus

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EXCHANGE_KINDS",
    "TERM_PARTS",
    "author_share",
    "depth_summary",
    "exchange_shares",
    "reply_edges",
    "reply_graph",
    "speaker_activity",
    "term_counts",
    "tree_order",
    "who_answers_whom",
]


def _comments(
    comments: pd.DataFrame | None, article_id: str | None, pseudonymize: bool = False
) -> pd.DataFrame:
    df = corpus.comments(pseudonymize=pseudonymize) if comments is None else comments.copy()
    if article_id is not None:
        df = df[df["article_id"] == article_id]
    return df.sort_values(["article_id", "position"]).reset_index(drop=True)


def _names(pseudonymize: bool) -> dict[str, str]:
    spk = corpus.speakers(pseudonymize=pseudonymize)
    # Unsigned speakers have no display name: show their pseudonym, which says « Unsigned ».
    label = spk["display_name"].fillna(spk["pseudonym"])
    return dict(zip(spk["speaker_id"], label, strict=True))


def tree_order(
    article_id: str, comments: pd.DataFrame | None = None, pseudonymize: bool = False
) -> pd.DataFrame:
    """One thread in reply-tree order: each reply right after the comment it answers.

    Depth-first: a comment, then its replies (in page order), then theirs. Page order is kept
    among top-level comments. Use ``depth`` to indent.

    Parameters
    ----------
    article_id : str
        "000" to "004".
    comments : DataFrame, optional
        A comments table (default ``corpus.comments(pseudonymize=pseudonymize)``).
    pseudonymize : bool
        Passed to ``corpus.comments`` when ``comments`` is None.

    Returns
    -------
    DataFrame
        The thread's comments with a new column ``tree_position`` (1-based), sorted by it.
    """
    df = _comments(comments, article_id, pseudonymize)
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    ids = set(df["comment_id"])
    for cid, parent in zip(df["comment_id"], df["reply_to"], strict=True):
        if pd.isna(parent) or parent not in ids:
            roots.append(cid)
        else:
            children.setdefault(parent, []).append(cid)
    order: list[str] = []
    stack = list(reversed(roots))
    while stack:
        cid = stack.pop()
        order.append(cid)
        stack.extend(reversed(children.get(cid, [])))
    rank = {cid: i + 1 for i, cid in enumerate(order)}
    df["tree_position"] = df["comment_id"].map(rank).astype("Int64")
    return df.sort_values("tree_position").reset_index(drop=True)


def depth_summary(comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """How deep each thread goes.

    Parameters
    ----------
    comments : DataFrame, optional
        A comments table (default: all comments).

    Returns
    -------
    DataFrame
        One row per article: ``n_comments``, ``n_replies`` (comments with a reply_to),
        ``reply_share`` (n_replies / n_comments), ``max_depth``, ``mean_depth``, and the
        number of replies by basis (``n_nesting``, ``n_address``, ``n_content``).
    """
    df = _comments(comments, None)
    grouped = df.groupby("article_id", sort=True)
    out = pd.DataFrame(
        {
            "n_comments": grouped.size(),
            "n_replies": grouped["reply_to"].count(),
            "max_depth": grouped["depth"].max(),
            "mean_depth": grouped["depth"].mean().astype(float).round(2),
        }
    )
    out["reply_share"] = (out["n_replies"] / out["n_comments"]).astype(float).round(3)
    for basis in ("nesting", "address", "content"):
        out[f"n_{basis}"] = (
            (df[df["reply_basis"] == basis].groupby("article_id").size().reindex(out.index))
            .fillna(0)
            .astype("Int64")
        )
    cols = ["n_comments", "n_replies", "reply_share", "max_depth", "mean_depth"]
    cols += ["n_nesting", "n_address", "n_content"]
    return out[cols].reset_index()


def author_share(comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """The article author's share of each thread, in comments and in words.

    Parameters
    ----------
    comments : DataFrame, optional
        A comments table (default: all comments).

    Returns
    -------
    DataFrame
        One row per article: ``n_comments``, ``n_author_comments``, ``author_share``
        (of comments), ``n_words``, ``n_author_words``, ``author_word_share``.
    """
    df = _comments(comments, None)
    df["author_words"] = df["n_words"].where(df["is_article_author"], 0)
    grouped = df.groupby("article_id", sort=True)
    out = pd.DataFrame(
        {
            "n_comments": grouped.size(),
            "n_author_comments": grouped["is_article_author"].sum(),
            "n_words": grouped["n_words"].sum(),
            "n_author_words": grouped["author_words"].sum(),
        }
    ).astype("Int64")
    out["author_share"] = (out["n_author_comments"] / out["n_comments"]).astype(float).round(3)
    out["author_word_share"] = (out["n_author_words"] / out["n_words"]).astype(float).round(3)
    cols = ["n_comments", "n_author_comments", "author_share"]
    cols += ["n_words", "n_author_words", "author_word_share"]
    return out[cols].reset_index()


def speaker_activity(
    article_id: str | None = None,
    comments: pd.DataFrame | None = None,
    pseudonymize: bool = False,
) -> pd.DataFrame:
    """Who speaks how often: comments and words per speaker and article.

    Parameters
    ----------
    article_id : str, optional
        Restrict to one thread.
    comments : DataFrame, optional
        A comments table (default: all comments).
    pseudonymize : bool
        Label speakers by pseudonym (article authors keep their names).

    Returns
    -------
    DataFrame
        One row per (article_id, speaker_id): ``speaker`` (display name; unsigned speakers by
        their pseudonym), ``is_article_author``, ``n_comments``, ``n_words``; sorted by article,
        then most comments first.
    """
    df = _comments(comments, article_id)
    names = _names(pseudonymize)
    out = (
        df.groupby(["article_id", "speaker_id"], sort=True)
        .agg(
            is_article_author=("is_article_author", "any"),
            n_comments=("comment_id", "size"),
            n_words=("n_words", "sum"),
        )
        .reset_index()
    )
    out.insert(2, "speaker", out["speaker_id"].map(names).astype("string"))
    out["n_comments"] = out["n_comments"].astype("Int64")
    out = out.sort_values(
        ["article_id", "n_comments", "speaker_id"], ascending=[True, False, True], kind="stable"
    )
    return out.reset_index(drop=True)


def reply_edges(
    article_id: str | None = None,
    comments: pd.DataFrame | None = None,
    pseudonymize: bool = False,
) -> pd.DataFrame:
    """Every reply as an edge from the replying comment to the comment it answers.

    Parameters
    ----------
    article_id : str, optional
        Restrict to one thread.
    comments : DataFrame, optional
        A comments table (default: all comments).
    pseudonymize : bool
        Label speakers by pseudonym.

    Returns
    -------
    DataFrame
        One row per reply: ``article_id``, ``comment_id``, ``reply_to``, ``reply_basis``,
        ``source_speaker_id``, ``target_speaker_id``, ``source``, ``target`` (speaker labels).
    """
    df = _comments(comments, article_id)
    speaker_of = dict(zip(df["comment_id"], df["speaker_id"], strict=True))
    names = _names(pseudonymize)
    rep = df[df["reply_to"].notna()]
    out = pd.DataFrame(
        {
            "article_id": rep["article_id"],
            "comment_id": rep["comment_id"],
            "reply_to": rep["reply_to"],
            "reply_basis": rep["reply_basis"],
            "source_speaker_id": rep["speaker_id"],
            "target_speaker_id": rep["reply_to"].map(speaker_of).astype("string"),
        }
    )
    out["source"] = out["source_speaker_id"].map(names).astype("string")
    out["target"] = out["target_speaker_id"].map(names).astype("string")
    return out.reset_index(drop=True)


def who_answers_whom(
    article_id: str | None = None,
    comments: pd.DataFrame | None = None,
    pseudonymize: bool = False,
) -> pd.DataFrame:
    """Reply counts between speakers (who answers whom, how often).

    Parameters
    ----------
    article_id : str, optional
        Restrict to one thread.
    comments : DataFrame, optional
        A comments table (default: all comments).
    pseudonymize : bool
        Label speakers by pseudonym.

    Returns
    -------
    DataFrame
        One row per (source, target) pair: ``source_speaker_id``, ``target_speaker_id``,
        ``source``, ``target``, ``n_replies``; most replies first.
    """
    edges = reply_edges(article_id, comments, pseudonymize)
    keys = ["source_speaker_id", "target_speaker_id", "source", "target"]
    out = edges.groupby(keys, sort=True).size().rename("n_replies").reset_index()
    out["n_replies"] = out["n_replies"].astype("Int64")
    out = out.sort_values(
        ["n_replies", "source_speaker_id", "target_speaker_id"],
        ascending=[False, True, True],
        kind="stable",
    )
    return out.reset_index(drop=True)


def reply_graph(
    article_id: str | None = None,
    level: str = "comment",
    comments: pd.DataFrame | None = None,
    pseudonymize: bool = False,
) -> nx.DiGraph:
    """A networkx directed graph of the replies.

    Parameters
    ----------
    article_id : str, optional
        One thread (default: all five).
    level : {"comment", "speaker"}
        ``"comment"``: nodes are comments plus each article (its id, ``kind="article"``);
        an edge goes from a comment to the comment it answers, or to its article when it is
        top-level (ConvoKit's reply-to direction). Node attributes: ``kind``, ``article_id``,
        ``speaker_id``, ``speaker``, ``depth``, ``position``; edge attribute ``basis``.
        ``"speaker"``: nodes are speakers (attribute ``label``); an edge goes from the
        replying speaker to the answered one, with ``weight`` = number of replies.
    comments : DataFrame, optional
        A comments table (default: all comments).
    pseudonymize : bool
        Label speakers by pseudonym.

    Returns
    -------
    networkx.DiGraph
    """
    import networkx as nx

    df = _comments(comments, article_id)
    names = _names(pseudonymize)
    graph = nx.DiGraph()
    if level == "speaker":
        for row in who_answers_whom(article_id, comments, pseudonymize).itertuples():
            graph.add_node(row.source_speaker_id, label=row.source)
            graph.add_node(row.target_speaker_id, label=row.target)
            graph.add_edge(row.source_speaker_id, row.target_speaker_id, weight=int(row.n_replies))
        return graph
    if level != "comment":
        raise ValueError(f"level must be 'comment' or 'speaker', not {level!r}")
    for aid in sorted(set(df["article_id"])):
        graph.add_node(aid, kind="article", article_id=aid)
    for row in df.itertuples():
        graph.add_node(
            row.comment_id,
            kind="comment",
            article_id=row.article_id,
            speaker_id=row.speaker_id,
            speaker=names.get(row.speaker_id, ""),
            depth=int(row.depth),
            position=int(row.position),
        )
    for row in df.itertuples():
        if pd.isna(row.reply_to):
            graph.add_edge(row.comment_id, row.article_id, basis="top-level")
        else:
            graph.add_edge(row.comment_id, row.reply_to, basis=row.reply_basis)
    return graph


#: Kinds of comment in ``exchange_shares``, in display order.
EXCHANGE_KINDS = (
    "member → author",
    "author → member",
    "author → author",
    "member → member",
    "author, no inferred target",
    "member, no inferred target",
)


def exchange_shares(article_id: str, comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """How a thread's comments divide between exchanges with the author and between members.

    Each comment is classed by who writes it (the article's author or a member, i.e. anyone
    else, unsigned commenters included) and by whom its inferred ``reply_to`` comment is
    from. Comments without an inferred target (``reply_basis == "none"``: top-level comments
    and replies the page does not let us place) are counted apart, so that shares can be read
    over all comments or over linked comments only.

    Parameters
    ----------
    article_id : str
        "000" to "004".
    comments : DataFrame, optional
        A comments table (default ``corpus.comments()``).

    Returns
    -------
    DataFrame
        One row per kind of comment, in the order of ``EXCHANGE_KINDS``: ``exchange``,
        ``group`` ("through the author", "between members" or "no inferred target"),
        ``n_comments``, ``share_of_all`` (of the thread's comments) and ``share_of_linked``
        (of the comments with an inferred target; ``<NA>`` for the unlinked rows).
    """
    df = _comments(comments, article_id)
    is_author = dict(zip(df["comment_id"], df["is_article_author"], strict=True))
    who = df["is_article_author"].map({True: "author", False: "member"})
    target = df["reply_to"].map(is_author).map({True: "author", False: "member"})
    kind = (who + " → " + target).where(df["reply_to"].notna(), who + ", no inferred target")
    counts = kind.value_counts().reindex(list(EXCHANGE_KINDS), fill_value=0).astype("Int64")
    n_linked = int(df["reply_to"].notna().sum())
    out = pd.DataFrame({"exchange": list(EXCHANGE_KINDS), "n_comments": counts.array})
    group = {"member → member": "between members"}
    group |= {k: "no inferred target" for k in EXCHANGE_KINDS if "no inferred" in k}
    out.insert(1, "group", [group.get(k, "through the author") for k in EXCHANGE_KINDS])
    out["share_of_all"] = (out["n_comments"] / len(df)).astype(float).round(3)
    linked = out["group"] != "no inferred target"
    # A thread with no inferred reply (003) has no linked share at all: <NA>, not 0.
    share = (out["n_comments"].astype(float) / n_linked).round(3) if n_linked else pd.NA
    out["share_of_linked"] = pd.Series(share, index=out.index, dtype="Float64").where(linked)
    out["exchange"] = out["exchange"].astype("string")
    out["group"] = out["group"].astype("string")
    return out


#: Parts of a page in ``term_counts``, in display order.
TERM_PARTS = ("article", "author's replies", "commenters")


def term_counts(
    families: Mapping[str, Iterable[str]], article_id: str | None = None, by: str = "part"
) -> pd.DataFrame:
    """Count word families in the article body, in the author's replies and in the comments.

    Who uses which words in a thread: the expertise chapter asks whether the commenters take
    up the article's names for people (« gourou », « consultant ») or bring their own
    (« expérience », « thèses »). Words are matched whole, against the corpus tokens,
    case-insensitively, ’ and ' alike; give every spelling (« expérience », « expériences »).

    Parameters
    ----------
    families : mapping of str to iterable of str
        Family label -> word forms, e.g. ``{"gourou": ["gourou", "gourous"]}``.
    article_id : str, optional
        One page (default: all five).
    by : {"part", "doc"}
        ``"part"``: one row per (article_id, part); ``"doc"``: one row per paragraph or comment.

    Returns
    -------
    DataFrame
        ``article_id``, ``part`` (one of :data:`TERM_PARTS`: the author's replies are the
        comments with ``is_article_author``, signed or in the author's voice), then
        ``doc_id`` (``by="doc"``) or ``n_docs`` (``by="part"``), ``n_words``, and one int
        column per family. Parts a page does not have (003: no author's reply) are left out.

    Raises
    ------
    ValueError
        If no family, or a family without forms, is given, or ``by`` is unknown.
    """
    wanted = {name: {_word_key(f) for f in forms} for name, forms in families.items()}
    if not wanted or not all(wanted.values()):
        raise ValueError("give at least one family, each with at least one word form")
    if by not in ("part", "doc"):
        raise ValueError(f"by must be 'part' or 'doc', not {by!r}")
    toks = corpus.tokens()
    if article_id is not None:
        toks = toks[toks["article_id"] == article_id]
    com = _comments(None, article_id)
    authors = set(com.loc[com["is_article_author"], "comment_id"])
    part = toks["doc_type"].map({"paragraph": TERM_PARTS[0], "comment": TERM_PARTS[2]})
    part = part.mask(toks["doc_id"].isin(authors), TERM_PARTS[1])
    frame = pd.DataFrame(
        {
            "article_id": toks["article_id"],
            "part": part,
            "doc_id": toks["doc_id"],
            "n_words": toks["is_word"].astype(int),
        }
    )
    keys = toks["lower"].map(_word_key)
    for name, forms in wanted.items():
        frame[name] = keys.isin(forms).astype(int)
    out = frame.groupby(["article_id", "part", "doc_id"], sort=False).sum().reset_index()
    if by == "part":
        n_docs = out.groupby(["article_id", "part"], sort=False).size().rename("n_docs")
        out = out.drop(columns="doc_id").groupby(["article_id", "part"], sort=False).sum()
        out = out.join(n_docs).reset_index()
        out = out[["article_id", "part", "n_docs", "n_words", *wanted]]
    rank = out["part"].map({p: i for i, p in enumerate(TERM_PARTS)})
    out = out.assign(_rank=rank).sort_values(["article_id", "_rank"], kind="stable")
    out = out.drop(columns="_rank").reset_index(drop=True)
    out["article_id"] = out["article_id"].astype("string")
    out["part"] = out["part"].astype("string")
    if by == "doc":
        out["doc_id"] = out["doc_id"].astype("string")
    return out


def _word_key(word: str) -> str:
    # As cmethics.text compares tokens: NFC, lower case, typographic apostrophe as ASCII.
    return unicodedata.normalize("NFC", str(word)).lower().replace("’", "'")

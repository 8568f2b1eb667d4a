"""Every text field of every corpus table is verbatim in its raw page (whitespace aside).

« Verbatim » is checked with ``corpus.is_verbatim``: the field, whitespace-normalised, is a
substring of the whitespace-normalised raw page of its article. Quotation marks, apostrophes,
case and spelling must match exactly.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cmethics import corpus
from cmethics._paths import data_dir, raw_dir

# (table, text columns, column holding the article id)
TEXT_FIELDS = [
    ("articles", ["title", "author", "venue"], "article_id"),
    ("paragraphs", ["text", "section"], "article_id"),
    ("comments", ["text", "speaker", "addressee"], "article_id"),
    ("trackbacks", ["text"], "article_id"),
]


@pytest.mark.parametrize(("table", "columns", "aid_col"), TEXT_FIELDS)
def test_text_fields_are_verbatim(table: str, columns: list[str], aid_col: str) -> None:
    df = getattr(corpus, table)()
    failures = []
    for _, row in df.iterrows():
        for col in columns:
            value = row[col]
            if pd.isna(value):
                continue
            if not corpus.is_verbatim(value, row[aid_col]):
                failures.append((row.iloc[0], col, value[:60]))
    assert not failures


def test_speaker_names_are_printed_where_they_speak() -> None:
    spk = corpus.speakers()
    arts = corpus.articles().set_index("article_id")
    for _, row in spk[spk["display_name"].notna()].iterrows():
        aids = row["article_ids"].split()
        assert any(corpus.is_verbatim(row["display_name"], aid) for aid in aids), row.to_dict()
        if row["role"] == "article author":
            assert row["display_name"] in set(arts["author"].dropna())


def test_every_token_is_its_document_verbatim() -> None:
    tok = corpus.tokens()
    paras, com = corpus.paragraphs(), corpus.comments()
    texts = dict(zip(paras["paragraph_id"], paras["text"], strict=True))
    texts.update(zip(com["comment_id"], com["text"], strict=True))
    assert set(tok["doc_id"]) == set(texts)
    bad = [
        (d, t)
        for d, s, t in zip(tok["doc_id"], tok["start"], tok["token"], strict=True)
        if texts[d][s : s + len(t)] != t
    ]
    assert not bad
    # And each distinct token is on the raw pages (catches a document text that drifted).
    pages = " ".join(corpus._normalized_pages(str(raw_dir())).values())
    missing = [t for t in set(tok["token"]) if t not in pages]
    assert not missing


def test_tokens_cover_each_document_without_loss() -> None:
    # Re-joining a document's tokens with the gaps between them gives back the document.
    tok = corpus.tokens()
    com = corpus.comments().set_index("comment_id")
    for cid in ["000-c002", "002-c012", "004-c070", "003-c002"]:
        rows = tok[tok["doc_id"] == cid]
        text = com.loc[cid, "text"]
        rebuilt = "".join(t for t in rows["token"])
        assert rebuilt == "".join(text.split())


def test_convokit_texts_are_verbatim() -> None:
    lines = (data_dir() / "convokit" / "utterances.jsonl").read_text("utf-8").splitlines()
    for line in lines:
        utt = json.loads(line)
        aid = utt["conversation_id"]
        # The root is the article body: its paragraphs joined by blank lines.
        parts = utt["text"].split("\n\n") if utt["id"] == aid else [utt["text"]]
        assert all(corpus.is_verbatim(p, aid) for p in parts), utt["id"]

"""text.token_quotation and the pronoun counts the ego chapter reports for source 000.

Expected values were counted by hand on data/raw/000_*.txt:

- the author's nine replies (000-c011 to 000-c019) use first-person singular forms 12 times
  (c012 « je prends ma réflexion », « m'amène »; c014 « je suis ravi », « mes flirts », « je
  pense », « j'espère », « mes écrits »; c018 « Je suis ravi », « je souhaitais », « mon goûts »,
  « selon moi »), « nous / notre » 6 times (c012 « notre beau château », « notre verre »; c014
  « notre nature », « notre ADN »; c017 « nous est salutaire »; c018 « notre nombril »), « tu »
  forms 6 times (c012 « comme tu le souligne »; c014 « te plaisent », « tu le dis », « tu
  devienne », « t'inspirer »; c015 « Comme tu le souligne ») and « vous » forms never;
- the commenters use « vous / votre / vos » 12 times: c001 2 (« votre "description" », « vous
  relire »), c002 6 (« vos utilisateurs », « votre nom » twice, « votre boite » twice, « vous
  paiera »), c004 3 (« votre blog », « vos flirts », « vous lire »), c010 1 (« le "vous" »).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cmethics import corpus, text


def _tokens(doc_id: str) -> pd.DataFrame:
    toks = corpus.tokens()
    return toks[toks["doc_id"] == doc_id]


def test_advice_names_its_pronouns_in_quotation_marks() -> None:
    toks = _tokens("000-p038")
    toks = toks[toks["category"].notna()]
    status = text.token_quotation(toks)
    marked = toks.loc[status == "marked", "token"].tolist()
    assert marked == ["vous", "nous"]
    # The sentence's own « on » (« on sait », « on se dit ») is the writer's.
    assert set(status[toks["token"] == "on"]) == {"none"}


def test_reported_question_is_quoted() -> None:
    # « Que puis-je faire d’utile pour ma communauté aujourd’hui ? » is a question the article
    # puts in a good community manager's mouth.
    toks = _tokens("000-p037")
    toks = toks[toks["category"].notna()]
    status = text.token_quotation(toks)
    quoted = toks.loc[status == "quoted", "token"].tolist()
    assert "-je" in quoted and "ma" in quoted and "mes" in quoted
    assert quoted.count("-je") == 2
    # « vous l’aurez compris » addresses the reader, outside any quotation.
    assert status[toks["token"] == "vous"].tolist() == ["none"]


def test_author_reply_mixes_used_and_quoted_notre() -> None:
    toks = _tokens("000-c012")
    notre = toks[toks["lower"] == "notre"]
    status = text.token_quotation(notre)
    # « notre beau château de sable » (his own voice) then « "les 10 façons de savoir si notre
    # verre n'est pas empoisonné" » (a mock title in quotation marks).
    assert status.tolist() == ["none", "quoted"]


def test_result_is_aligned_and_typed() -> None:
    toks = corpus.tokens()
    sample = toks[toks["doc_id"].isin(["000-c010", "000-p038"])].iloc[::-1]
    status = text.token_quotation(sample)
    assert status.index.equals(sample.index)
    assert status.name == "quotation"
    assert str(status.dtype) == "string"
    assert set(status) <= {"quoted", "marked", "none"}
    assert text.token_quotation(sample.iloc[:0]).empty


def test_unknown_document_raises() -> None:
    row = corpus.tokens().iloc[:1].copy()
    row["doc_id"] = "999-c001"
    with pytest.raises(KeyError):
        text.token_quotation(row)


def test_ego_chapter_pronoun_counts_by_hand() -> None:
    comments = corpus.comments()
    comments = comments[comments["article_id"] == "000"]
    prof = text.pronoun_profile(comments, by="is_article_author").set_index("is_article_author")
    author, members = prof.loc[True], prof.loc[False]
    assert (author["i"], author["we"], author["you_tu"], author["you_vous"]) == (12, 6, 6, 0)
    assert members["you_vous"] == 12
    author_words = comments.loc[comments["is_article_author"], "n_words"].sum()
    assert int(author["n_words"]) == int(author_words)

"""The parser: regeneration is byte-identical, every visible comment is a row, no page furniture.

The expected figures below were counted by hand on the raw pages (data/raw/), independently of
the parser: 000 prints 19 comment blocks (each name twice), 001 two bullets, 002 ten numbered
comments plus five nested replies (four under comment 4, one under comment 6), 003 five
numbered comments, 004 seventy « Commentaire de » openers on one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cmethics import _parse, _parse_rules, corpus
from cmethics._paths import data_dir, raw_dir

COMMENTS_PRESENT = {"000": 19, "001": 2, "002": 15, "003": 5, "004": 70}
COMMENTS_CLAIMED = {"000": 19, "001": 3, "002": 17, "003": 8, "004": None}
PARAGRAPHS = {"000": 50, "001": 6, "002": 26, "003": 12, "004": 34}
HEADINGS = {"000": 5, "001": 0, "002": 3, "003": 0, "004": 0}
LIST_ITEMS = {"000": 6}
TRACKBACKS = {"000": 5}

# Page furniture that must never reach an article or comment text. Each string is on a raw page
# (checked below), so the test can fail.
JUNK = [
    "Google+ Comments",
    "19 comments",
    "Share",
    "Vous pouvez aussi lire",
    "Ecrire un commentaire",
    "Subscribe to RSS Feed",
    "SEO Powered by Platinum SEO",
    "Crédit image",
    "Article suivant",
    "My Community Manager",
    "Cet article a été publié il y a",
    "Les informations proposées sont donc peut-être expirées",
    "A propos de l'auteur",
    "Passionné par la communication digitale",
    "Comment Nestlé rencontre sa communauté IRL",
    "par Samya Ihammouine",
    "10 choses à savoir pour faire du community management en Chine",
    "17 commentaires",
    "Laisser un commentaire",
    "Votre email",
    "Non classé",
    "8 commentaires pour",
    "Articles similaires",
    "Commencez à saisir votre recherche",
    "Retour en haut",
    "Mot de passe",
    "Connexion | Inscription",
    "Libertés, devoirs et responsabilités numériques",
    "PARTICIPER_",
    "Je veux bien participer à un talk",
    "Nous souhaiterions proposer une table ronde",
    "en voici pour les plus pressés un résumé",
    "dans un article paru sur ReadWriteWeb",
    "L'article complet",
    "APPROFONDISSONS LE SUJET",
    "REJOIGNEZ LE DÉBAT",
    "POSTULER POUR PARTICIPER",
    "Aidez-nous à préparer ce sujet",
    "Mode d'emploi et plus de détails",
    "Partager le lien",
    "Sujets potentiellement connexes",
    "Infos diverses",
    "Intervenants (1)",
    "Dans les studios de Webcastory",
    "Et toc, voici mon feedback",
    "Commentaire de",
    "Trackbacks",
    "[...]",
]


def _raw(article_id: str) -> str:
    (path,) = raw_dir().glob(f"{article_id}_*.txt")
    return path.read_text(encoding="utf-8")


def test_regeneration_is_byte_identical(rebuilt_data: Path) -> None:
    committed = sorted(p.relative_to(data_dir()) for p in data_dir().glob("*.csv"))
    committed += sorted(p.relative_to(data_dir()) for p in (data_dir() / "convokit").iterdir())
    rebuilt = sorted(p.relative_to(rebuilt_data) for p in rebuilt_data.rglob("*") if p.is_file())
    assert sorted(committed) == rebuilt
    for rel in committed:
        assert (rebuilt_data / rel).read_bytes() == (data_dir() / rel).read_bytes(), rel


def test_files_are_utf8_with_unix_line_ends() -> None:
    for path in [*data_dir().glob("*.csv"), *(data_dir() / "convokit").iterdir()]:
        data = path.read_bytes()
        data.decode("utf-8")
        assert b"\r\n" not in data, path


def test_comment_counts_match_hand_counts() -> None:
    arts = corpus.articles().set_index("article_id")
    counts = corpus.comments().groupby("article_id").size().to_dict()
    assert counts == COMMENTS_PRESENT
    for aid, n in COMMENTS_PRESENT.items():
        assert arts.loc[aid, "comments_present"] == n
        claimed = arts.loc[aid, "comments_claimed"]
        assert (None if pd.isna(claimed) else claimed) == COMMENTS_CLAIMED[aid]


def test_comment_counts_from_raw_markers() -> None:
    # A second, cruder count straight from the raw text of each page's comment markers.
    assert _raw("004").count("Commentaire de ") == COMMENTS_PRESENT["004"]
    assert len(re.findall(r"(?m)^  • ", _raw("001"))) == COMMENTS_PRESENT["001"]
    numbered_002 = re.findall(r"(?m)^  \d+\. ", _raw("002"))
    nested_002 = re.findall(r"(?m)^ {4,}• ", _raw("002"))
    assert len(numbered_002) + len(nested_002) == COMMENTS_PRESENT["002"]
    assert len(re.findall(r"(?m)^  \d+\. ", _raw("003"))) == COMMENTS_PRESENT["003"]
    raw000 = _raw("000").split("Trackbacks")[0].split("19 comments")[1]
    doubled = re.findall(r"(?m)^(.+)\n\1\n\n", raw000)
    assert len(doubled) == COMMENTS_PRESENT["000"]


def test_claimed_figures_are_printed_on_the_pages() -> None:
    sources = _parse.read_sources(data_dir() / "sources.yaml")["sources"]
    for aid, facts in sources.items():
        printed = facts["comments_claimed_as_printed"]
        if COMMENTS_CLAIMED[aid] is None:
            assert printed is None
            # « 605289641407852544 Commentaire de » (a tweet id before an opener) is no figure.
            figures = re.findall(r"(?i)\b(\d+) (commentaires?|comments?|réactions?)\b", _raw(aid))
            assert [n for n, _ in figures if len(n) < 6] == []
        else:
            assert printed.startswith(str(COMMENTS_CLAIMED[aid]) + " ")
            assert corpus.is_verbatim(printed, aid)


def test_paragraph_structure() -> None:
    paras = corpus.paragraphs()
    assert paras.groupby("article_id").size().to_dict() == PARAGRAPHS
    kinds = paras.groupby(["article_id", "kind"]).size()
    for aid, n in HEADINGS.items():
        assert kinds.get((aid, "heading"), 0) == n
    for aid, n in LIST_ITEMS.items():
        assert kinds.get((aid, "list_item"), 0) == n
    # Each paragraph stands under the last heading before it; none before the first heading.
    for _aid, grp in paras.groupby("article_id"):
        current = None
        for _, row in grp.sort_values("position").iterrows():
            if row["kind"] == "heading":
                current = row["text"]
            assert (None if pd.isna(row["section"]) else row["section"]) == current
    assert set(paras["kind"]) <= {"heading", "paragraph", "list_item", "quote"}


def test_article_bodies_start_and_end_where_the_pages_do() -> None:
    paras = corpus.paragraphs().sort_values(["article_id", "position"])
    first = paras.groupby("article_id")["text"].first().map(corpus.normalize_ws)
    last = paras.groupby("article_id")["text"].last().map(corpus.normalize_ws)
    assert first["000"] == "Question : L’égo nous rend-ils tous égaux sur le web ?"
    assert first["001"].startswith("J’ai eu envie de poursuivre la série des gimmicks")
    assert first["002"].startswith("J’ai eu beau me retenir")
    assert first["003"].startswith("Depuis peu, j’ai entrepris une activité")
    assert first["004"] == (
        "Nous n'avons jamais géré de communauté. Le Community Management n'existe pas."
    )
    assert last["000"].startswith("PS : Si vous n’avez pas eu assez de lecture")
    assert last["001"].endswith("du moment que la communauté ait l’ivresse.")
    assert last["002"].endswith("allez sviouplait …. !")
    assert last["003"].endswith("qu’un intérêt économique.")
    assert last["004"] == "C'est bien la preuve que l'engagement existe."


def test_trackbacks() -> None:
    tb = corpus.trackbacks()
    assert tb.groupby("article_id").size().to_dict() == TRACKBACKS
    assert list(tb["trackback_id"]) == [f"000-t{n:02d}" for n in range(1, 6)]
    assert all(t.startswith("[...]") for t in tb["text"])


@pytest.mark.parametrize("junk", JUNK)
def test_no_page_furniture_in_texts(junk: str) -> None:
    raw = "".join(_raw(aid) for aid in COMMENTS_PRESENT)
    assert junk in raw, "the junk string must exist on a page for this test to mean anything"
    texts = [*corpus.paragraphs()["text"], *corpus.comments()["text"]]
    leaked = [t[:60] for t in texts if junk in t]
    assert not leaked


def test_titles_are_not_paragraphs() -> None:
    paras = corpus.paragraphs()
    for _, art in corpus.articles().iterrows():
        mine = paras[paras["article_id"] == art["article_id"]]["text"].map(corpus.normalize_ws)
        if art["article_id"] == "004":
            continue  # 004's title is a sentence of its first paragraph (see sources.yaml)
        assert corpus.normalize_ws(art["title"]) not in set(mine)


def test_004_comment_texts_do_not_contain_openers() -> None:
    com = corpus.comments()
    texts = com[com["article_id"] == "004"]["text"]
    assert not any(re.search(r"Commentaire de [^:]*:", t) for t in texts)
    assert (com[com["article_id"] == "004"]["speaker"].isna()).sum() == 6  # « Commentaire de : »


def test_printed_names_rules() -> None:
    com = corpus.comments().set_index("comment_id")
    assert com.loc["002-c012", "speaker"] == "Salamandre"
    assert com.loc["002-c014", "speaker"] == "Jst"
    assert com.loc["003-c003", "speaker"] == "@w2YDAvid (twitter)"
    assert com.loc["003-c005", "speaker"] == "Charly"
    # A name line is not part of the text; a signature is.
    assert not com.loc["002-c012", "text"].startswith("Salamandre")
    assert com.loc["003-c005", "text"].endswith("Charly")
    assert dict(com["speaker_basis"].value_counts()) == {"name": 83, "line": 3, "signature": 1}


def test_rule_tables_name_existing_comments_and_give_reasons() -> None:
    ids = set(corpus.comments()["comment_id"])
    for table in (_parse.AUTHOR_VOICE, _parse.CONTENT_REPLIES, _parse.NOT_LINKED):
        assert set(table) <= ids
    assert set(_parse.ADDRESSES) <= ids
    for address in _parse.ADDRESSES.values():
        if address.target != _parse_rules.LATEST:
            assert address.reason, "an override or an unresolved address needs its reason"
    for reply in _parse.CONTENT_REPLIES.values():
        assert reply.answers in ids and reply.reason
    assert all(_parse.AUTHOR_VOICE.values())


def test_opening_sentence() -> None:
    assert _parse._opening("Yes ! Merci Fabrice d'apprécier. Suite.") == (
        "Yes ! Merci Fabrice d'apprécier."
    )
    assert _parse._opening("Un petit merci à toi Sir.chamallow au passage") == (
        "Un petit merci à toi Sir.chamallow au passage"
    )
    assert _parse._opening("@Jean : non, on ne gère pas de communauté.Ce n'est") == (
        "@Jean : non, on ne gère pas de communauté."
    )


def test_sources_yaml_facts_are_on_the_pages() -> None:
    sources = _parse.read_sources(data_dir() / "sources.yaml")
    assert "obscene and racist" in sources["content_warning"]
    for aid, facts in sources["sources"].items():
        assert (raw_dir() / facts["file"]).is_file()
        assert facts["file"].startswith(aid + "_")
        for key in ("title", "author", "venue", "author_evidence", "date_as_printed"):
            value = facts.get(key)
            if value:
                assert corpus.is_verbatim(value, aid), (aid, key, value)
        signs = facts["author_signs_comments_as"]
        if signs:
            assert corpus.is_verbatim(signs, aid)
        assert facts["theme"] in {"ego", "ownership", "expertise", "role", "trust"}

"""The loaders, the reply structure, pseudonymisation, the verbatim helpers, the ConvoKit export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from cmethics import _normalize, _parse, _schema, convokit, corpus
from cmethics._paths import data_dir

LOADERS = {
    "articles": corpus.articles,
    "paragraphs": corpus.paragraphs,
    "comments": corpus.comments,
    "speakers": corpus.speakers,
    "trackbacks": corpus.trackbacks,
    "tokens": corpus.tokens,
}

# Hand-checked against the rule tables in cmethics._parse (see the report in data/README.md).
REPLY_BASIS = {"none": 67, "address": 26, "content": 13, "nesting": 5}
AUTHOR_VOICE = {"001-c002", "002-c003", "002-c010"}
SIGNED_BY_AUTHOR = {"000": 9, "004": 26}


# --- loaders --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LOADERS))
def test_loaders_return_documented_columns_and_dtypes(name: str) -> None:
    df = LOADERS[name]()
    assert list(df.columns) == list(corpus.TABLES[name])
    for col, dtype in corpus.TABLES[name].items():
        assert str(df[col].dtype) == dtype, (name, col, df[col].dtype)
    assert len(df) > 0


def test_loaders_return_copies() -> None:
    df = corpus.comments()
    df.loc[0, "text"] = "changed"
    del df["speaker"]
    again = corpus.comments()
    assert again.loc[0, "text"] != "changed" and "speaker" in again.columns


def test_missing_values_are_na_not_empty_strings() -> None:
    com = corpus.comments()
    for col in corpus.TABLES["comments"]:
        if corpus.TABLES["comments"][col] == "string":
            assert not (com[col] == "").any(), col
    arts = corpus.articles().set_index("article_id")
    assert pd.isna(arts.loc["001", "author"]) and pd.isna(arts.loc["000", "date"])
    assert arts.loc["002", "date"] == pd.Timestamp("2010-11-25")


def test_ids_are_unique_and_well_formed() -> None:
    assert corpus.articles()["article_id"].tolist() == ["000", "001", "002", "003", "004"]
    com = corpus.comments()
    assert com["comment_id"].is_unique
    assert (
        com["comment_id"] == com["article_id"] + "-c" + com["position"].map("{:03d}".format)
    ).all()
    paras = corpus.paragraphs()
    assert (
        paras["paragraph_id"] == paras["article_id"] + "-p" + paras["position"].map("{:03d}".format)
    ).all()
    spk = corpus.speakers()
    assert spk["speaker_id"].tolist() == [f"s{n:03d}" for n in range(1, len(spk) + 1)]
    assert spk["pseudonym"].is_unique


# --- reply structure ------------------------------------------------------------------------


def test_reply_to_points_to_an_earlier_comment_of_the_same_article() -> None:
    com = corpus.comments().set_index("comment_id")
    for cid, row in com[com["reply_to"].notna()].iterrows():
        target = com.loc[row["reply_to"]]
        assert target["article_id"] == row["article_id"]
        assert target["position"] < row["position"], cid
    assert (com["reply_to"].isna() == (com["reply_basis"] == "none")).all()


def test_depth_is_the_length_of_the_reply_chain() -> None:
    com = corpus.comments().set_index("comment_id")
    for cid, row in com.iterrows():
        depth, parent = 0, row["reply_to"]
        while not pd.isna(parent):
            depth += 1
            parent = com.loc[parent, "reply_to"]
        assert row["depth"] == depth, cid


def test_reply_basis_counts() -> None:
    assert corpus.comments()["reply_basis"].value_counts().to_dict() == REPLY_BASIS


def test_nesting_only_where_the_page_nests() -> None:
    com = corpus.comments()
    nested = com[com["reply_basis"] == "nesting"]
    assert set(nested["article_id"]) == {"002"}
    assert nested["comment_id"].tolist() == [
        "002-c005", "002-c006", "002-c007", "002-c008", "002-c011",
    ]  # fmt: skip


def test_author_basis() -> None:
    com = corpus.comments()
    voice = com[com["author_basis"] == "voice"]
    assert set(voice["comment_id"]) == AUTHOR_VOICE
    assert voice["speaker"].isna().all()
    signed = com[com["author_basis"] == "signed"].groupby("article_id").size().to_dict()
    assert signed == SIGNED_BY_AUTHOR
    assert (com["is_article_author"] == com["author_basis"].notna()).all()
    # The author's comments all map to the author's speaker row.
    spk = corpus.speakers().set_index("speaker_id")
    assert (spk.loc[com[com["is_article_author"]]["speaker_id"], "role"] == "article author").all()


def test_addresses() -> None:
    com = corpus.comments().set_index("comment_id")
    assert com.loc["000-c011", "addressee"] == "Helène"
    assert com.loc["000-c011", "reply_to"] == "000-c001"  # content picks c001 over c007
    assert com.loc["004-c014", "reply_to"] == "004-c005"  # « @Jean »
    assert com.loc["004-c024", "addressee"] == "@Kaes"
    assert pd.isna(com.loc["004-c024", "reply_to"])  # Kaes is nobody printed
    assert pd.isna(com.loc["004-c024", "addressee_speaker_id"])
    assert com.loc["000-c018", "reply_basis"] == "content"
    assert com.loc["000-c018", "reply_to"] == "000-c009"  # « electro-choc »
    for cid, row in com[com["addressee"].notna()].iterrows():
        assert row["addressee"] in row["text"], cid


def test_speakers_table_is_consistent_with_comments() -> None:
    com = corpus.comments()
    spk = corpus.speakers().set_index("speaker_id")
    assert set(com["speaker_id"]) <= set(spk.index)
    counts = com.groupby("speaker_id").size()
    for sid, row in spk.iterrows():
        assert row["n_comments"] == counts.get(sid, 0)
    # Identical printed names are one speaker.
    named = com[com["speaker"].notna() & ~com["is_article_author"]]
    assert named.groupby("speaker")["speaker_id"].nunique().max() == 1
    assert spk[spk["display_name"] == "Helene Albi"]["n_comments"].tolist() == [2]
    # Every unsigned comment not by the author is its own speaker.
    unsigned = com[com["speaker"].isna() & ~com["is_article_author"]]
    assert unsigned["speaker_id"].is_unique
    assert (spk.loc[unsigned["speaker_id"], "role"] == "unsigned commenter").all()
    assert spk["role"].value_counts().to_dict() == {
        "commenter": 39, "unsigned commenter": 21, "article author": 5,
    }  # fmt: skip


# --- pseudonymisation -----------------------------------------------------------------------


def _commenter_names() -> set[str]:
    spk = corpus.speakers()
    names = set(spk[spk["role"] != "article author"]["display_name"].dropna())
    com = corpus.comments()
    unresolved = com[com["addressee"].notna() & com["addressee_speaker_id"].isna()]
    return names | set(unresolved["addressee"])


def test_pseudonymize_hides_commenter_names_from_speaker_columns() -> None:
    names = _commenter_names()
    assert "Helene Albi" in names and "@Kaes" in names
    com = corpus.comments(pseudonymize=True)
    for col in ("speaker", "addressee"):
        assert not set(com[col].dropna()) & names, col
    assert com["speaker"].notna().all()
    spk = corpus.speakers(pseudonymize=True)
    assert not set(spk["display_name"].dropna()) & names
    for aid in corpus.articles()["article_id"]:
        th = corpus.thread(aid, pseudonymize=True)
        for col in ("speaker", "speaker_label", "reply_to_speaker", "addressee"):
            assert not set(th[col].dropna()) & names, (aid, col)
    # Authors keep their published names; texts are untouched.
    assert "Ronan Boussicaud" in set(com["speaker"])
    assert com["text"].equals(corpus.comments()["text"])


def test_pseudonyms_are_stable() -> None:
    spk = corpus.speakers().set_index("display_name")
    assert spk.loc["Helene Albi", "pseudonym"] == "Commenter 01"
    assert spk.loc["Saint-Paul Annabel", "pseudonym"] == "Commenter 39"


# --- thread ---------------------------------------------------------------------------------


def test_thread() -> None:
    th = corpus.thread("000")
    assert len(th) == 19 and th["position"].tolist() == list(range(1, 20))
    row = th.set_index("comment_id").loc["000-c016"]
    assert row["reply_to_speaker"] == "Helene Albi" and row["depth"] == 1
    th2 = corpus.thread("002").set_index("comment_id")
    assert th2.loc["002-c008", "depth"] == 4
    # Labels are always filled: unsigned speakers by pseudonym, the author's unsigned replies
    # by his name; the printed speaker column stays empty for them.
    assert th2["speaker_label"].notna().all()
    assert pd.isna(th2.loc["002-c010", "speaker"])
    assert th2.loc["002-c010", "speaker_label"] == "Guillaume Sagnes"
    assert th2.loc["002-c011", "reply_to_speaker"] == "Guillaume Sagnes"
    assert th2.loc["002-c005", "reply_to_speaker"] == "Unsigned commenter 04"
    with pytest.raises(KeyError):
        corpus.thread("005")


# --- whitespace and verbatim ----------------------------------------------------------------


def test_normalize_ws() -> None:
    assert corpus.normalize_ws("  a\u00a0\u00a0b\n\tc\u202fd  ") == "a b c d"
    assert corpus.normalize_ws("e\u0301") == "é"  # NFC
    assert corpus.normalize_ws("l’on") == "l’on"  # apostrophes untouched
    assert corpus.normalize_ws("« a »") == "« a »"


def test_find_verbatim() -> None:
    assert corpus.find_verbatim("Les gens ne vous appartiennent pas.") == "001"
    assert corpus.find_verbatim("Réponse : Non.") == "000"  # NBSP on the page
    assert corpus.find_verbatim("Commentaire de Fadhila BRAHIMI :") == "004"
    assert corpus.find_verbatim("Les gens ne vous appartiennent\n  pas.") == "001"
    assert corpus.find_verbatim("Les gens ne nous appartiennent pas.") is None
    assert corpus.find_verbatim("   ") is None
    # ’ and ' are different characters: the page prints « J’ai eu envie ».
    assert corpus.is_verbatim("J’ai eu envie de poursuivre")
    assert not corpus.is_verbatim("J'ai eu envie de poursuivre")
    assert not corpus.is_verbatim("Les gens ne vous appartiennent pas…")
    assert corpus.is_verbatim("Les gens ne vous appartiennent pas.", "001")
    assert not corpus.is_verbatim("Les gens ne vous appartiennent pas.", "002")


def test_the_reader_imports_no_builder() -> None:
    """Loading the tables needs pandas alone: no parser, writer, ConvoKit export or spaCy."""
    probe = "import sys, cmethics.corpus; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(result.stdout.split())
    assert "cmethics.corpus" in loaded
    builders = {"cmethics._parse", "cmethics._pages", "cmethics._parse_rules", "cmethics.build"}
    assert not loaded & (builders | {"cmethics.convokit", "cmethics.text", "spacy", "yaml"})
    # Callers keep using these through the reader.
    assert corpus.normalize_ws is _normalize.normalize_ws and corpus.TABLES is _schema.TABLES


# --- ConvoKit export ------------------------------------------------------------------------


def _convokit(folder: Path) -> dict[str, object]:
    utts = [
        json.loads(line) for line in (folder / "utterances.jsonl").read_text("utf-8").splitlines()
    ]
    files = {"utterances": utts}
    for name in ("speakers", "conversations", "corpus", "index"):
        files[name] = json.loads((folder / f"{name}.json").read_text("utf-8"))
    return files


def test_convokit_export_matches_the_schema_convokit_loads() -> None:
    files = _convokit(data_dir() / "convokit")
    defs = convokit.CONVOKIT_SCHEMA
    validator = jsonschema.Draft202012Validator
    validator.check_schema(defs)

    def check(instance: object, ref: str) -> None:
        validator({**defs, "$ref": f"#/$defs/{ref}"}).validate(instance)

    for utt in files["utterances"]:
        check(utt, "utterance")
    check(files["speakers"], "components")
    check(files["conversations"], "components")
    check(files["corpus"], "corpus")
    check(files["index"], "index")


def test_convokit_schema_rejects_what_convokit_cannot_load() -> None:
    utt = _convokit(data_dir() / "convokit")["utterances"][1]
    bad = {k: v for k, v in utt.items() if k not in ("reply_to",)}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, {**convokit.CONVOKIT_SCHEMA, "$ref": "#/$defs/utterance"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 1}, {**convokit.CONVOKIT_SCHEMA, "$ref": "#/$defs/index"})


def test_convokit_references_resolve() -> None:
    files = _convokit(data_dir() / "convokit")
    utts = files["utterances"]
    ids = [u["id"] for u in utts]
    assert len(ids) == len(set(ids)) == 111 + 5
    position = {uid: i for i, uid in enumerate(ids)}
    by_id = {u["id"]: u for u in utts}
    for u in utts:
        assert u["speaker"] in files["speakers"]
        assert u["conversation_id"] in files["conversations"]
        if u["reply_to"] is None:
            assert u["id"] == u["conversation_id"]  # only roots have no reply_to
        else:
            assert u["reply_to"] in by_id and position[u["reply_to"]] < position[u["id"]]
            assert by_id[u["reply_to"]]["conversation_id"] == u["conversation_id"]
    # ConvoKit sorts replies by timestamp: page order, 0 for the root, rising in each thread.
    for conv in files["conversations"]:
        stamps = [u["timestamp"] for u in utts if u["conversation_id"] == conv]
        assert stamps == list(range(len(stamps)))
    roots = [u for u in utts if u["reply_to"] is None]
    assert [r["id"] for r in roots] == ["000", "001", "002", "003", "004"]
    # index.json lists every metadata key used, as ConvoKit's type index does.
    for u in utts:
        assert set(u["meta"]) == set(files["index"]["utterances-index"])


def test_to_convokit_reproduces_the_committed_export(tmp_path: Path) -> None:
    written = convokit.to_convokit(tmp_path)
    assert sorted(written) == sorted(p.name for p in (data_dir() / "convokit").iterdir())
    for name, path in written.items():
        assert path.read_bytes() == (data_dir() / "convokit" / name).read_bytes(), name


def test_rule_tables_are_reflected_in_comments() -> None:
    com = corpus.comments().set_index("comment_id")
    for cid, rule in _parse.CONTENT_REPLIES.items():
        assert com.loc[cid, "reply_to"] == rule.answers and com.loc[cid, "reply_basis"] == "content"
    for cid in _parse.NOT_LINKED:
        assert pd.isna(com.loc[cid, "reply_to"]), cid


# --- data dictionary ------------------------------------------------------------------------


def _dictionary() -> dict[str, list[str]]:
    """Variables listed in data/README.md, per table heading (« ### name.csv »)."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in (data_dir() / "README.md").read_text("utf-8").splitlines():
        if line.startswith("### "):
            current = line[4:].split(":")[0].strip()
            tables[current] = []
        elif current and line.startswith("| ") and not line.startswith("| variable"):
            tables[current].append(line.split("|")[1].strip())
    return tables


def test_data_dictionary_covers_every_column() -> None:
    documented = _dictionary()
    for name, columns in corpus.TABLES.items():
        assert documented[f"{name}.csv"] == list(columns), name
    utt = json.loads(
        (data_dir() / "convokit" / "utterances.jsonl").read_text("utf-8").split("\n")[0]
    )
    expected = [k for k in utt if k != "meta"] + [f"meta.{k}" for k in utt["meta"]]
    assert sorted(documented["convokit/"]) == sorted(expected)

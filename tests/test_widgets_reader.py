"""The thread reader, driven like a student would: filter, page, switch names, open the warning."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from html_safety import PAYLOADS, html_values, live_markup
from poison import Poison, hostile_rows

from cmethics import corpus
from cmethics.widgets import Session, ThreadReader
from cmethics.widgets.reader import SensitiveComment, load_thread


def cards(reader: ThreadReader) -> list[str]:
    return re.findall(r'data-comment="([^"]+)"', reader.html())


def test_the_thread_is_a_reply_tree_with_the_basis_of_each_link() -> None:
    reader = ThreadReader("004")
    shown = cards(reader)
    # c019 answers c001 and c031 answers c019: they follow c001, not their page position.
    assert shown[:3] == ["004-c001", "004-c019", "004-c031"]
    html = reader.html()
    c019 = html.split('data-comment="004-c019"')[1].split('data-comment="004-c031"')[0]
    assert "margin:0.35em 0 0.35em 1.6em" in c019
    assert "replies to Commenter 14 (by address)" in c019
    c031 = html.split('data-comment="004-c031"')[1].split("data-comment=")[0]
    assert "replies to Frédéric Bascuñana (by content)" in c031
    assert "by nesting" in reader.legend.value


def test_the_article_author_is_marked_and_keeps_his_name() -> None:
    reader = ThreadReader("004")
    html = reader.html()
    author_card = html.split('data-comment="004-c019"')[1].split("data-comment=")[0]
    assert "Frédéric Bascuñana" in author_card and "article’s author" in author_card
    first_card = html.split('data-comment="004-c001"')[1].split("data-comment=")[0]
    assert "article’s author" not in first_card
    assert "Frédéric Bascuñana" in reader.header.value


def test_filter_by_speaker_lists_counts_and_keeps_only_that_speaker() -> None:
    reader = ThreadReader("004")
    labels = [label for label, _ in reader.speaker.options]
    assert labels[0] == "All speakers (70 comments)"
    assert labels[1] == "Frédéric Bascuñana (article’s author) – 26 comments"
    assert "Commenter 14 – 4 comments" in labels
    reader.speaker.value = "s033"
    assert reader.page_label.value == "Comments 1–10 of 26"
    assert all(r.speaker_id == "s033" for r in reader.visible())
    reader.next_button.click()
    reader.next_button.click()
    assert reader.page_label.value == "Comments 21–26 of 26"
    assert reader.next_button.disabled
    reader.speaker.value = ""
    assert reader.page_label.value == "Comments 1–10 of 70"


def test_paging_through_seventy_comments_shows_each_once_in_tree_order() -> None:
    reader = ThreadReader("004")
    assert reader.previous_button.disabled
    seen: list[str] = []
    for _ in range(reader.page_count):
        seen.extend(cards(reader))
        reader.next_button.click()
    assert len(seen) == 70 == len(set(seen))
    assert seen == [r.comment_id for r in load_thread("004")]
    assert reader.page_label.value == "Comments 61–70 of 70"
    reader.previous_button.click()
    assert reader.page_label.value == "Comments 51–60 of 70"
    reader.go_to("004-c002")
    assert "004-c002" in cards(reader)


def test_names_or_pseudonyms() -> None:
    reader = ThreadReader("004")
    assert "Fadhila BRAHIMI" not in reader.html()
    assert "Commenter 14" in reader.html()
    reader.show_names.value = True
    assert "Fadhila BRAHIMI" in reader.html()
    assert any("Fadhila BRAHIMI" in label for label, _ in reader.speaker.options)
    assert "Frédéric Bascuñana" in reader.html()  # the author's name in both modes
    named = ThreadReader("004", pseudonymize=False)
    assert named.show_names.value and "Fadhila BRAHIMI" in named.html()


def test_the_abusive_comment_stays_behind_a_content_warning_until_asked() -> None:
    secret = corpus.thread("003").set_index("comment_id").loc["003-c002", "text"]
    reader = ThreadReader("003")
    everything = " ".join(html_values(reader))
    assert secret not in everything
    placeholder = reader.placeholder("003-c002")
    assert placeholder in reader.body.children
    assert "Content warning" in placeholder.warning.value
    assert "obscene and racist" in placeholder.warning.value
    assert placeholder.show_button.description == "Show this comment"
    placeholder.show_button.click()
    assert secret.split()[0] in placeholder.content.value
    assert placeholder.show_button.description == "Hide this comment"
    placeholder.show_button.click()
    assert placeholder.content.value == ""
    # Filtering on its speaker still shows the warning, not the text.
    reader.speaker.value = reader.records[
        [r.comment_id for r in reader.records].index("003-c002")
    ].speaker_id
    assert [type(c) for c in reader.body.children] == [SensitiveComment]
    assert secret not in " ".join(html_values(reader))


def test_corpus_text_and_names_are_escaped(poison: Poison) -> None:
    def hostile_replies(df: pd.DataFrame) -> None:
        hostile_rows(df)
        for i, payload in enumerate(PAYLOADS):
            j = (i + 3) % len(df)
            df.loc[j, "reply_to"] = df.loc[i, "comment_id"]
            df.loc[j, "reply_basis"] = "content"
            df.loc[j, "reply_to_speaker"] = payload
            df.loc[(i + 1) % len(df), "addressee"] = payload

    poison(corpus, "thread", edit=hostile_replies)
    for article_id in ("003", "004"):
        reader = ThreadReader(article_id, pseudonymize=False)
        for placeholder in reader._placeholders.values():
            placeholder.show_button.click()
        values = html_values(reader)
        assert any("&lt;script&gt;" in v for v in values)
        assert not [live_markup(v) for v in values if live_markup(v)]


def test_no_session_and_a_session_both_work_and_nothing_is_saved(tmp_path: Path) -> None:
    ThreadReader("000", session=None)
    session = Session("capstone", root=tmp_path, student="Ana", remember=False)
    reader = ThreadReader("000", session=session)
    reader.speaker.value = reader.speaker.options[1][1]
    reader.show_names.value = True
    assert not list(tmp_path.rglob("capstone.json"))


def test_a_speaker_with_one_comment_reads_comment_1_of_1() -> None:
    # Issue 12 (plural mistakes): "Comments 1–1 of 1".
    reader = ThreadReader("004")
    single = next(value for label, value in reader.speaker.options if label.endswith(" 1 comment"))
    reader.speaker.value = single
    assert reader.page_label.value == "Comment 1 of 1"

"""Pronouns and possessives: the course's linguistic layer.

Tokens come from spaCy's rule-based French tokenizer (``spacy.blank("fr")``, which splits
« j’ai » into « j’ » + « ai » and « l’on » into « l’ » + « on ») with a rule-based sentencizer.
Each token is tagged against a small closed-class lexicon of French personal pronouns and
possessives, grouped in the manner of LIWC's pronoun categories (Pennebaker's work on pronouns
and self-focus):

==============  ==============================================================================
category        forms (lower case; ’ and ' both accepted)
==============  ==============================================================================
``i``           je, j’, me, m’, moi, mon, ma, mes, mien, mienne, miens, miennes
``we``          nous, notre, nos, nôtre, nôtres
``you``         tu, te, t’, toi, ton, ta, tes, tien (« tu » forms, number ``sing``); vous,
                votre, vos, vôtre, vôtres (« vous » forms: polite singular *or* plural, so
                number is left empty)
``on``          on (generic or inclusive « we »; « l’on » counts once, as « on »)
``shehe``       il, elle, lui, son, sa, ses, sien, sienne, siens, siennes
``they``        ils, elles, eux, leur, leurs
``impersonal``  ça, cela, ceci, c’ (as in « c’est »), -ce (« est-ce »), and « il » in « il
                faut », « il y a », « il s’agit », « il suffit », « il vaut »
==============  ==============================================================================

Inverted and imperative pronouns count too: spaCy splits « croyez-vous » into « croyez » +
« -vous », « puis-je » into « puis » + « -je », « dites-moi » into « dites » + « -moi »; the
``pronoun`` column drops the hyphen. « rendez-vous » stays one token (a noun).

What the lexicon leaves out: « le », « la », « les », « l’ », because a tokenizer cannot tell
the pronoun from the article (« la communauté »); « en », « y »; the reflexive « se », « s’ »,
« soi » (« s’ » is also « si » in « s’il »). « tiens », « tienne »,
« tiennes » are left out because they are usually forms of *tenir* (« je tiens mon blog »).
Known limits: « il » stays ``shehe`` in impersonal uses other than those listed (« il est
clair »); « leur » is a possessive or an indirect object (both third person plural, so the
category is right either way); a writer who types « sa » for « ça » (002-c009) is counted as
``shehe``.

``cmethics.corpus.tokens()`` holds the result for every paragraph and comment, computed once at
build time; this module needs spaCy only to tokenize new text (a student's answer), and loads it
on first use. Whether words stand in a quotation (:func:`quotation_spans`,
:func:`quotation_status`, :func:`token_quotation`) is :mod:`cmethics._quotes`, re-exported here.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from cmethics import corpus
from cmethics._quotes import corpus_texts, quotation_spans, quotation_status, token_quotation

if TYPE_CHECKING:  # spaCy is imported lazily: loading it costs seconds.
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "CATEGORIES",
    "COMMUNAUTE_FORMS",
    "LEXICON",
    "annotate",
    "communaute_mentions",
    "find_phrases",
    "noun_mentions",
    "ownership_mentions",
    "phrase_counts",
    "pronoun_profile",
    "quotation_spans",
    "quotation_status",
    "token_quotation",
    "tokenize",
]

#: Categories in the order tables and charts show them.
CATEGORIES: tuple[str, ...] = ("i", "we", "you", "on", "shehe", "they", "impersonal")

#: Personal pronoun categories summed into ``ppron`` (LIWC's "personal pronouns").
_PPRON = ("i", "we", "you", "on", "shehe", "they")

# form -> (pronoun as a dictionary form, person, number, kind, category)
_Entry = tuple[str, int, str, str, str]


def _entries() -> dict[str, _Entry]:
    lex: dict[str, _Entry] = {}

    def add(forms: str, lemma: str | None, person: int, number: str, kind: str, cat: str) -> None:
        for form in forms.split():
            lex[form] = (lemma or form, person, number, kind, cat)

    add("je", None, 1, "sing", "personal", "i")
    add("j'", "je", 1, "sing", "personal", "i")
    add("me", None, 1, "sing", "personal", "i")
    add("m'", "me", 1, "sing", "personal", "i")
    add("moi", None, 1, "sing", "personal", "i")
    add("mon ma mes mien mienne miens miennes", None, 1, "sing", "possessive", "i")
    add("nous", None, 1, "plur", "personal", "we")
    add("notre nos nôtre nôtres", None, 1, "plur", "possessive", "we")
    add("tu te toi", None, 2, "sing", "personal", "you")
    add("t'", "te", 2, "sing", "personal", "you")
    add("ton ta tes tien", None, 2, "sing", "possessive", "you")
    # « vous » is polite singular or plural: the number is not decidable from the form.
    add("vous", None, 2, "", "personal", "you")
    add("votre vos vôtre vôtres", None, 2, "", "possessive", "you")
    add("on", None, 3, "", "personal", "on")
    add("il elle lui", None, 3, "sing", "personal", "shehe")
    add("son sa ses sien sienne siens siennes", None, 3, "sing", "possessive", "shehe")
    add("ils elles eux", None, 3, "plur", "personal", "they")
    add("leurs", None, 3, "plur", "possessive", "they")
    add("leur", None, 3, "plur", "possessive_or_object", "they")
    add("ça cela ceci", None, 3, "sing", "demonstrative", "impersonal")
    add("c'", "ce", 3, "sing", "demonstrative", "impersonal")
    return lex


#: The closed-class lexicon: lower-case form (apostrophe ') -> (pronoun, person, number, kind,
#: category).
LEXICON: dict[str, _Entry] = _entries()

# After a hyphen (« -vous », « -on », « -ce »): the same forms, plus « ce », which is then the
# pronoun (« est-ce »), not the determiner. « -le », « -la », « -les » stay out like « le ».
_HYPHENATED: dict[str, _Entry] = {**LEXICON, "ce": ("ce", 3, "sing", "demonstrative", "impersonal")}

# Verbs after which « il » is impersonal (« il faut », « il y a », « il s’agit » ...).
_IMPERSONAL_NEXT = {"faut", "fallait", "faudra", "faudrait", "y", "suffit", "vaut", "s'"}

#: Spellings of « communauté » found in the corpus (001 spells it « comunauté » once).
COMMUNAUTE_FORMS: tuple[str, ...] = ("communauté", "communautés", "comunauté")

_QUOTES = {"«", "»", '"', "“", "”", "‘", "’", "'"}

_DETERMINER_CLASSES: dict[str, str] = {
    "possessive": "mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs",
    "definite": "le la les l' au aux du",
    "indefinite": "un une des",
    "demonstrative": "ce cet cette ces",
}
_DETERMINERS: dict[str, str] = {
    form: cls for cls, forms in _DETERMINER_CLASSES.items() for form in forms.split()
}


def _key(token: str) -> str:
    """Lexicon key: lower case, typographic apostrophe as ASCII, NFC."""
    return unicodedata.normalize("NFC", token).lower().replace("’", "'")


# --------------------------------------------------------------------------------------------
# spaCy, loaded on first use
# --------------------------------------------------------------------------------------------

_OPENERS = {"«", "“", "(", "["}


def _quote_boundaries(doc: Doc) -> Doc:
    # The sentencizer leaves an opening « at the end of the previous sentence; move it forward.
    for i in range(len(doc) - 1):
        if doc[i].text in _OPENERS and doc[i + 1].is_sent_start and not doc[i].is_sent_start:
            doc[i].is_sent_start = True
            doc[i + 1].is_sent_start = False
    return doc


@functools.cache
def _nlp() -> Language:
    import spacy
    from spacy.language import Language

    if "cmethics_quote_boundaries" not in Language.factories:
        Language.component("cmethics_quote_boundaries", func=_quote_boundaries)
    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("cmethics_quote_boundaries")
    return nlp


def tokenize(text: str) -> list[str]:
    """Split French text into tokens with spaCy's rule-based tokenizer.

    Parameters
    ----------
    text : str
        Any French text.

    Returns
    -------
    list of str
        The tokens, verbatim, whitespace tokens left out.

    Examples
    --------
    >>> tokenize("J’ai une communauté")
    ['J’', 'ai', 'une', 'communauté']
    """
    return [t.text for t in _nlp()(text) if not t.is_space]


def _is_word(token: Any) -> bool:
    return any(ch.isalpha() for ch in token.text) and not (token.like_url or token.like_email)


def annotate(text: str) -> list[dict[str, Any]]:
    """Tokenize ``text`` and tag its pronouns and possessives.

    Parameters
    ----------
    text : str
        One document (a paragraph, a comment, a student's answer).

    Returns
    -------
    list of dict
        One dict per non-space token with keys ``position`` (1-based), ``sentence``
        (1-based), ``start`` (character offset in ``text``), ``token``, ``lower``,
        ``is_alpha``, ``is_word``, ``pronoun``, ``person``, ``number``, ``kind``, ``category``
        (see the module docstring; empty strings and None where not a pronoun).
    """
    doc = _nlp()(text)
    tokens = [t for t in doc if not t.is_space]
    rows: list[dict[str, Any]] = []
    sentence = 0
    for i, tok in enumerate(tokens):
        if tok.is_sent_start or i == 0:
            sentence += 1
        key = _key(tok.text)
        entry = LEXICON.get(key)
        if entry is None and key.startswith("-"):
            # Inverted subject or imperative object: spaCy splits « croyez-vous » into
            # « croyez » + « -vous », « est-ce » into « est » + « -ce ».
            entry = _HYPHENATED.get(key[1:])
        nxt = _key(tokens[i + 1].text) if i + 1 < len(tokens) else ""
        pronoun, person, number, kind, category = entry or ("", None, "", "", "")
        # « il s’agit »: after « s’ » the verb must be « agit » for « il » to be impersonal.
        agit = i + 2 < len(tokens) and _key(tokens[i + 2].text) == "agit"
        if key == "il" and nxt in _IMPERSONAL_NEXT and (nxt != "s'" or agit):
            kind, category, number = "impersonal", "impersonal", "sing"
        rows.append(
            {
                "position": i + 1,
                "sentence": sentence,
                "start": tok.idx,
                "token": tok.text,
                "lower": tok.text.lower(),
                "is_alpha": tok.is_alpha,
                "is_word": _is_word(tok),
                "pronoun": pronoun,
                "person": person,
                "number": number,
                "kind": kind,
                "category": category,
            }
        )
    return rows


def _sentence_spans(tokens: pd.DataFrame, text: str) -> dict[int, tuple[int, int]]:
    """Character span of each sentence of one document, from its tokens' offsets."""
    spans: dict[int, tuple[int, int]] = {}
    for sent, grp in tokens.groupby("sentence", sort=True):
        first, last = grp.iloc[0], grp.iloc[-1]
        spans[int(sent)] = (int(first["start"]), int(last["start"]) + len(last["token"]))
    return spans


# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------


def _tokens_for(data: Any) -> tuple[pd.DataFrame, list[str]]:
    """Token rows for ``data`` plus the grouping columns it carries."""
    if isinstance(data, str):
        data = [data]
    if isinstance(data, pd.DataFrame) and "token" in data.columns:
        return data, []
    if isinstance(data, pd.DataFrame) and "text" in data.columns:
        id_col = next((c for c in ("comment_id", "paragraph_id") if c in data.columns), None)
        if id_col is not None:
            # Corpus rows: reuse the tokens computed at build time (no spaCy needed).
            toks = corpus.tokens()
            toks = toks[toks["doc_id"].isin(data[id_col])]
            extra = [c for c in data.columns if c not in (*toks.columns, "text", id_col)]
            # Keep the id under its own name too, so that ``by="comment_id"`` works.
            meta = data[[id_col, *extra]].assign(doc_id=data[id_col])
            return toks.merge(meta, on="doc_id", how="left"), [id_col, *extra]
        texts = list(data["text"])
        extra = [c for c in data.columns if c != "text"]
        frames = []
        for i, text in enumerate(texts):
            rows = pd.DataFrame(annotate(str(text)))
            rows["doc_id"] = str(i)
            for col in extra:
                rows[col] = data[col].iloc[i]
            frames.append(rows)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(), extra
    frames = []
    for i, text in enumerate(data):
        rows = pd.DataFrame(annotate(str(text)))
        if rows.empty:
            rows = pd.DataFrame(columns=["is_word", "category", "pronoun", "number"])
        rows["doc_id"] = str(i)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True), []


def pronoun_profile(
    data: pd.DataFrame | Iterable[str] | str, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Count pronouns per category, with rates per 100 words.

    Parameters
    ----------
    data : DataFrame, str or iterable of str
        ``cmethics.corpus.tokens()`` (or a subset of it); a table with a ``text`` column
        (corpus rows with ``comment_id`` / ``paragraph_id`` reuse the stored tokens, other
        tables are tokenized with spaCy); one text or a list of texts (each becomes a row,
        ``doc_id`` "0", "1", ...).
    by : str or list of str, optional
        Columns to group by, e.g. ``"article_id"``, ``"doc_type"``, ``["article_id",
        "is_article_author"]``, ``"doc_id"``. Grouping columns of a ``text`` table (speaker_id,
        is_article_author, ...) are available. None: one row for everything (for a list of
        texts: one row per text).

    Returns
    -------
    DataFrame
        One row per group: ``n_words`` (tokens containing a letter, URLs excluded), the count
        of each category (``i``, ``we``, ``you``, ``you_tu``, ``you_vous``, ``on``, ``shehe``,
        ``they``, ``impersonal``, ``ppron`` = all personal categories) and the same with
        ``_per_100`` (per 100 words). ``you_tu`` and ``you_vous`` split ``you`` by form:
        « vous » may address one person politely or several.
    """
    toks, _extra = _tokens_for(data)
    if by is None:
        by_cols = ["doc_id"] if not isinstance(data, pd.DataFrame) else []
    else:
        by_cols = [by] if isinstance(by, str) else list(by)
    work = pd.DataFrame({"n_words": toks["is_word"].astype(bool).astype(int)}, index=toks.index)
    cat = toks["category"].fillna("").astype(str)
    pron = toks["pronoun"].fillna("").astype(str)
    for c in CATEGORIES:
        work[c] = (cat == c).astype(int)
    vous_forms = {"vous", "votre", "vos", "vôtre", "vôtres"}
    work["you_tu"] = ((cat == "you") & ~pron.isin(vous_forms)).astype(int)
    work["you_vous"] = ((cat == "you") & pron.isin(vous_forms)).astype(int)
    work["ppron"] = cat.isin(_PPRON).astype(int)
    counts = ["i", "we", "you", "you_tu", "you_vous", "on", "shehe", "they", "impersonal"]
    counts.append("ppron")
    if by_cols:
        for col in by_cols:
            work[col] = toks[col]
        out = work.groupby(by_cols, sort=True, dropna=False)[["n_words", *counts]].sum()
        out = out.reset_index()
    else:
        out = work[["n_words", *counts]].sum().to_frame().T
    denom = out["n_words"].where(out["n_words"] > 0)
    for c in counts:
        out[f"{c}_per_100"] = (100 * out[c] / denom).round(2)
    return out


# --------------------------------------------------------------------------------------------
# Phrases
# --------------------------------------------------------------------------------------------


def _corpus_docs() -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    comments = corpus.comments()
    speakers = dict(zip(comments["comment_id"], comments["speaker_id"], strict=True))
    return corpus.tokens(), corpus_texts(), speakers


def _alternatives(item: str | Iterable[str]) -> set[str]:
    items = [item] if isinstance(item, str) else list(item)
    return {_key(x) for x in items}


def find_phrases(
    phrase: str | Sequence[str | Iterable[str]], *, skip_quotes: bool = True
) -> pd.DataFrame:
    """Find a sequence of words in every paragraph and comment of the corpus.

    Parameters
    ----------
    phrase : str or sequence
        Words to match in order, case-insensitively (’ and ' alike). A string is split on
        spaces (« ma communauté »); in a sequence each item is a word or a collection of
        alternatives, e.g. ``[["ma", "mon", "notre"], "communauté"]``. Words are matched
        against spaCy's tokens, so give elided forms as they are split: « l'on » is
        ``["l'", "on"]``, « croyez-vous » is ``["croyez", "-vous"]``.
    skip_quotes : bool
        Allow quotation marks between the words, as in « gérer "sa" communauté ».

    Returns
    -------
    DataFrame
        One row per match: ``doc_id``, ``doc_type``, ``article_id``, ``speaker_id`` (comments
        only), ``match`` and ``sentence`` (both verbatim from the text), ``start`` (character
        offset of the match in its text).
    """
    words = phrase.split() if isinstance(phrase, str) else list(phrase)
    wanted = [_alternatives(w) for w in words]
    toks, texts, speakers = _corpus_docs()
    keys = [_key(t) for t in toks["token"]]
    rows = []
    doc_ids = toks["doc_id"].tolist()
    starts = toks["start"].tolist()
    token_text = toks["token"].tolist()
    n = len(keys)
    for i in range(n):
        if keys[i] not in wanted[0]:
            continue
        j, k = i, 1
        while k < len(wanted):
            j += 1
            while skip_quotes and j < n and doc_ids[j] == doc_ids[i] and keys[j] in _QUOTES:
                j += 1
            if j >= n or doc_ids[j] != doc_ids[i] or keys[j] not in wanted[k]:
                break
            k += 1
        if k < len(wanted):
            continue
        rows.append((i, j))
    out = []
    for i, j in rows:
        doc_id = doc_ids[i]
        text = texts[doc_id]
        start, end = int(starts[i]), int(starts[j]) + len(token_text[j])
        out.append(
            {
                "doc_id": doc_id,
                "doc_type": toks["doc_type"].iat[i],
                "article_id": toks["article_id"].iat[i],
                "speaker_id": speakers.get(doc_id, pd.NA),
                "match": text[start:end],
                "sentence": _sentence_at(toks, i, text),
                "start": start,
            }
        )
    return _typed_matches(pd.DataFrame(out, columns=_MATCH_COLUMNS))


_MATCH_COLUMNS = ["doc_id", "doc_type", "article_id", "speaker_id", "match", "sentence", "start"]


def _typed_matches(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        df[col] = df[col].astype("Int64" if col == "start" else "string")
    return df


def _sentence_at(toks: pd.DataFrame, i: int, text: str) -> str:
    """The verbatim sentence holding token row ``i`` (rows of one doc are contiguous)."""
    doc_id, sent = toks["doc_id"].iat[i], toks["sentence"].iat[i]
    lo = i
    while lo > 0 and toks["doc_id"].iat[lo - 1] == doc_id and toks["sentence"].iat[lo - 1] == sent:
        lo -= 1
    hi = i
    n = len(toks)
    while (
        hi + 1 < n and toks["doc_id"].iat[hi + 1] == doc_id and toks["sentence"].iat[hi + 1] == sent
    ):
        hi += 1
    return text[
        int(toks["start"].iat[lo]) : int(toks["start"].iat[hi]) + len(toks["token"].iat[hi])
    ]


def noun_mentions(forms: Iterable[str]) -> pd.DataFrame:
    """Every mention of a noun in the corpus, with the determiner before it.

    Parameters
    ----------
    forms : iterable of str
        The noun's spellings, e.g. :data:`COMMUNAUTE_FORMS`.

    Returns
    -------
    DataFrame
        One row per mention: ``doc_id``, ``doc_type``, ``article_id``, ``speaker_id``,
        ``determiner`` (the token before the noun, quotation marks skipped, verbatim),
        ``determiner_class`` (possessive / definite / indefinite / demonstrative / other),
        ``person`` and ``number`` of a possessive (``notre`` -> 1, plur), ``match`` (determiner
        to noun, verbatim), ``sentence`` (verbatim), ``start``.
    """
    targets = {_key(f) for f in forms}
    toks, texts, speakers = _corpus_docs()
    keys = [_key(t) for t in toks["token"]]
    doc_ids = toks["doc_id"].tolist()
    out = []
    for j, key in enumerate(keys):
        if key not in targets:
            continue
        i = j - 1
        while i >= 0 and doc_ids[i] == doc_ids[j] and keys[i] in _QUOTES:
            i -= 1
        has_det = i >= 0 and doc_ids[i] == doc_ids[j]
        det_key = keys[i] if has_det else ""
        det_class = _DETERMINERS.get(det_key, "other") if has_det else "other"
        entry = LEXICON.get(det_key) if det_class == "possessive" else None
        first = i if has_det else j
        text = texts[doc_ids[j]]
        start = int(toks["start"].iat[first])
        end = int(toks["start"].iat[j]) + len(toks["token"].iat[j])
        out.append(
            {
                "doc_id": doc_ids[j],
                "doc_type": toks["doc_type"].iat[j],
                "article_id": toks["article_id"].iat[j],
                "speaker_id": speakers.get(doc_ids[j], pd.NA),
                "determiner": toks["token"].iat[i] if has_det else "",
                "determiner_class": det_class,
                "person": entry[1] if entry else pd.NA,
                "number": entry[2] if entry else "",
                "match": text[start:end],
                "sentence": _sentence_at(toks, j, text),
                "start": start,
            }
        )
    cols = [
        "doc_id", "doc_type", "article_id", "speaker_id", "determiner", "determiner_class",
        "person", "number", "match", "sentence", "start",
    ]  # fmt: skip
    df = pd.DataFrame(out, columns=cols)
    for col in cols:
        df[col] = df[col].astype("Int64" if col in ("person", "start") else "string")
    return df


def communaute_mentions() -> pd.DataFrame:
    """Every « communauté » in the corpus with its determiner (« ma », « la », « une » ...).

    The ownership chapter contrasts « ma communauté » with « la communauté »: filter
    ``determiner_class == "possessive"`` and group by ``person``. See :func:`noun_mentions`.

    Returns
    -------
    DataFrame
        As :func:`noun_mentions`, for :data:`COMMUNAUTE_FORMS`.
    """
    return noun_mentions(COMMUNAUTE_FORMS)


def phrase_counts(
    phrases: Mapping[str, str | Sequence[str | Iterable[str]]],
    *,
    by: str | Sequence[str] = "article_id",
    skip_quotes: bool = True,
) -> pd.DataFrame:
    """Count several phrases across the corpus, one row per phrase, zeros included.

    The role chapter uses it to compare the names of the job (« community manager »,
    « animateur », « connecteur » ...) page by page.

    Parameters
    ----------
    phrases : mapping
        Row label -> phrase, in any form :func:`find_phrases` accepts, e.g.
        ``{"community manager(s)": ["community", ["manager", "managers"]]}``.
    by : str or list of str
        Token columns to count by: ``"article_id"``, ``"doc_type"`` or both. Every group
        present in the corpus gets a column, so a phrase never used on a page counts 0 there.
    skip_quotes : bool
        As in :func:`find_phrases`.

    Returns
    -------
    DataFrame
        Index: the labels, in the mapping's order; columns: the groups (a MultiIndex when
        ``by`` has several columns), sorted; values: number of matches (int).
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    groups = corpus.tokens()[by_cols].drop_duplicates().astype(str)
    if len(by_cols) == 1:
        columns = pd.Index(sorted(groups[by_cols[0]]), name=by_cols[0])
    else:
        columns = pd.MultiIndex.from_frame(groups.sort_values(by_cols))
    counts = {}
    for label, phrase in phrases.items():
        found = find_phrases(phrase, skip_quotes=skip_quotes)
        keys = found[by_cols[0]] if len(by_cols) == 1 else pd.MultiIndex.from_frame(found[by_cols])
        counts[label] = pd.Series(1, index=keys).groupby(level=list(range(len(by_cols)))).sum()
    out = pd.DataFrame({label: c.reindex(columns, fill_value=0) for label, c in counts.items()}).T
    out.index.name = "phrase"
    return out.astype(int)


# --------------------------------------------------------------------------------------------
# Ownership: whose community, and in whose voice
# --------------------------------------------------------------------------------------------

# Adjectives that stand between a determiner and the noun (« leur propre communauté »,
# « la dite communauté »): the determiner is one word further back.
_PRENOMINAL = {
    "propre", "propres", "dite", "dites", "prétendue", "prétendues", "vraie", "vraies",
    "véritable", "véritables", "simple", "simples", "meilleure", "seule", "petite", "grande",
    "belle", "nouvelle",
}  # fmt: skip

# Fused forms the base table does not know (« ladite communauté »).
_FUSED_DETERMINERS = {"ladite": "definite", "ledit": "definite", "lesdites": "definite"}

_LEADING_PUNCT = ".,;:!?/()[]-"


def ownership_mentions() -> pd.DataFrame:
    """Every « communauté » with its determiner, who wrote it, and whether it is quoted.

    Builds on :func:`communaute_mentions` for the ownership chapter's question, « ma
    communauté » or « la communauté »: it looks past an adjective to the determiner
    (« leur propre communauté » is possessive, « la dite communauté » definite), knows
    « ladite », and records whether the phrase stands in a quotation. A possessive inside a
    quotation is a phrase the writer reports (often to criticise it), not one the writer uses.

    Returns
    -------
    DataFrame
        The columns of :func:`noun_mentions` (``determiner``, ``match`` and ``start`` include
        the adjective when one was skipped), plus ``speaker_role`` (``article``: the article's
        body; ``author``: a comment by the article's author; ``commenter``) and ``quotation``
        (``none`` / ``quoted`` / ``marked``, see :func:`quotation_status`).
    """
    df = communaute_mentions()
    toks, texts, _ = _corpus_docs()
    doc_ids = toks["doc_id"].tolist()
    row_at = {(d, int(s)): i for i, (d, s) in enumerate(zip(doc_ids, toks["start"], strict=True))}
    keys = [_key(t) for t in toks["token"]]
    for r in df.index:
        det = _key(str(df.at[r, "determiner"])).lstrip(_LEADING_PUNCT)
        i = row_at.get((df.at[r, "doc_id"], int(df.at[r, "start"])))
        if det in _PRENOMINAL and i is not None:
            j = i - 1
            while j >= 0 and doc_ids[j] == doc_ids[i] and keys[j] in _QUOTES:
                j -= 1
            if j >= 0 and doc_ids[j] == doc_ids[i]:
                start = int(toks["start"].iat[j])
                end = int(df.at[r, "start"]) + len(str(df.at[r, "match"]))
                df.at[r, "determiner"] = toks["token"].iat[j]
                df.at[r, "match"] = texts[doc_ids[i]][start:end]
                df.at[r, "start"] = start
                det = keys[j]
        cls = _DETERMINERS.get(det) or _FUSED_DETERMINERS.get(det, "other")
        df.at[r, "determiner_class"] = cls
        entry = LEXICON.get(det) if cls == "possessive" else None
        df.at[r, "person"] = entry[1] if entry else pd.NA
        df.at[r, "number"] = entry[2] if entry else ""
    comments = corpus.comments()
    by_author = dict(zip(comments["comment_id"], comments["is_article_author"], strict=True))
    df.insert(
        4,
        "speaker_role",
        [
            "article" if t == "paragraph" else ("author" if by_author[d] else "commenter")
            for d, t in zip(df["doc_id"], df["doc_type"], strict=True)
        ],
    )
    df["speaker_role"] = df["speaker_role"].astype("string")
    status = [
        quotation_status(texts[d], int(s), int(s) + len(str(m)))
        for d, s, m in zip(df["doc_id"], df["start"], df["match"], strict=True)
    ]
    df.insert(df.columns.get_loc("match"), "quotation", pd.array(status, dtype="string"))
    return df

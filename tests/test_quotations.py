"""Every French quotation in the book, the analysis notebooks and the exercises is verbatim.

A quotation is (1) the French part of a ``frquote`` directive, (2) a Markdown blockquote, or
(3) a « … » span in prose (outermost guillemets; nested ones belong to the quotation). Each must
be found in the raw sources after whitespace normalisation only; ``[…]`` marks a cut, and the
pieces must appear in order in one source. Code cells are skipped: their strings are search
patterns and labels, and whatever they display comes from the data, which has its own tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from cmethics import corpus
from cmethics.sphinxext import ELISION, check_quotation

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})(.*)$")


@dataclass(frozen=True)
class Quotation:
    """One French quotation found in a page."""

    where: str
    line: int
    text: str
    source: str | None = None  # the article id a frquote names
    translation: str | None = None


def guillemet_spans(text: str) -> list[str]:
    """The contents of the outermost « … » spans of ``text`` (nested guillemets kept).

    Examples
    --------
    >>> guillemet_spans("valoriser « valoriser le « vous » et non le « nous » » ici")
    ['valoriser le « vous » et non le « nous »']
    """
    spans, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "«":
            if depth == 0:
                start = i + 1
            depth += 1
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                spans.append(text[start:i].strip(" \u00a0\u202f"))
    return spans


def markdown_quotations(path: Path, lines: list[str], where: str) -> list[Quotation]:
    """Quotations in a MyST Markdown text (a page, or a notebook's markdown cell)."""
    found: list[Quotation] = []
    stack: list[tuple[str, str]] = []  # open fences: (marker, directive name)
    frquote: dict | None = None
    paragraph: list[tuple[int, str]] = []

    def flush_paragraph() -> None:
        if paragraph:
            joined = " ".join(text for _, text in paragraph)
            for span in guillemet_spans(joined):
                found.append(Quotation(where, paragraph[0][0], span))
            paragraph.clear()

    for number, line in enumerate(lines, start=1):
        fence = FENCE.match(line)
        if fence:
            marker, rest = fence.group(2), fence.group(3).strip()
            if stack and marker == stack[-1][0] and not rest:
                name = stack.pop()[1]
                if name == "frquote" and frquote is not None:
                    french = " ".join(frquote["fr"])
                    english = " ".join(frquote["en"]).strip()
                    found.append(
                        Quotation(where, frquote["line"], french, frquote["source"], english)
                    )
                    frquote = None
                flush_paragraph()
                continue
            if rest:
                flush_paragraph()
                name = rest.strip("{}").split("}")[0].strip("{") if rest.startswith("{") else ""
                stack.append((marker, name))
                if name == "frquote":
                    frquote = {"line": number, "fr": [], "en": [], "source": None, "sep": False}
                continue
        in_code = any(name in {"code-cell", ""} or name.startswith("code") for _, name in stack)
        if frquote is not None and stack and stack[-1][1] == "frquote":
            stripped = line.strip()
            if stripped.startswith(":source:"):
                frquote["source"] = stripped.split(":", 2)[2].strip()
            elif stripped.startswith(":") and not frquote["fr"]:
                continue  # another option (:speaker:, :ref:, :class:)
            elif stripped == "+++":
                frquote["sep"] = True
            elif stripped:
                frquote["en" if frquote["sep"] else "fr"].append(stripped)
            continue
        if in_code:
            continue
        stripped = line.strip()
        if stripped.startswith(">"):
            flush_paragraph()
            found.append(Quotation(where, number, stripped.lstrip("> ").strip()))
            continue
        if not stripped:
            flush_paragraph()
        else:
            paragraph.append((number, stripped))
    flush_paragraph()
    return found


def page_quotations(path: Path) -> list[Quotation]:
    """All quotations of one ``.md`` page or ``.ipynb`` notebook."""
    where = str(path.relative_to(ROOT))
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        found = []
        for index, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"]).splitlines()
                found += markdown_quotations(path, source, f"{where} cell {index}")
        return found
    return markdown_quotations(path, path.read_text(encoding="utf-8").splitlines(), where)


PAGES = sorted(
    [*ROOT.glob("book/**/*.md"), *ROOT.glob("notebooks/**/*.md"), *ROOT.glob("exercises/*.ipynb")]
)
QUOTATIONS = [q for page in PAGES for q in page_quotations(page)]


def verbatim_problem(quotation: Quotation) -> str | None:
    if quotation.source:
        return check_quotation(quotation.text, quotation.source)
    pieces = [p.strip() for p in quotation.text.split(ELISION) if p.strip()]
    sources = {corpus.find_verbatim(p) for p in pieces}
    if None in sources:
        missing = [p for p in pieces if corpus.find_verbatim(p) is None]
        return f"not verbatim in any source: {missing[0][:90]!r}"
    for source in sorted(sources):
        if check_quotation(quotation.text, source) is None:
            return None
    return "the pieces around […] are not in one source, in order"


def test_the_book_has_quotations_to_check() -> None:
    assert len(PAGES) >= 1
    assert QUOTATIONS, "no quotation found: the extractor is broken"


@pytest.mark.parametrize("quotation", QUOTATIONS, ids=[f"{q.where}:{q.line}" for q in QUOTATIONS])
def test_quotation_is_verbatim(quotation: Quotation) -> None:
    problem = verbatim_problem(quotation)
    assert problem is None, f"{quotation.where} line {quotation.line}: {problem}"


def test_every_frquote_has_our_translation() -> None:
    missing = [
        f"{q.where}:{q.line}"
        for q in QUOTATIONS
        if q.source is not None and not (q.translation and len(q.translation) > 3)
    ]
    assert not missing, f"frquote without a translation: {missing}"


def test_the_extractor_finds_each_kind_and_rejects_altered_text(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "\n".join(
            [
                "Prose with « Les gens ne vous appartiennent pas. » (our translation).",
                "",
                ":::{frquote}",
                ":source: 004",
                ":speaker: Frédéric Bascuñana",
                "Nous n'avons jamais géré de communauté. […] Le Community Management",
                "n'existe pas.",
                "+++",
                "We have never managed a community.",
                ":::",
                "",
                "> Les gens nous appartiennent.",
                "",
                "```{code-cell} ipython3",
                'text.find_phrases("« inventé dans le code »")',
                "```",
            ]
        ),
        encoding="utf-8",
    )
    found = markdown_quotations(page, page.read_text(encoding="utf-8").splitlines(), "page")
    assert [q.text for q in found] == [
        "Les gens ne vous appartiennent pas.",
        "Nous n'avons jamais géré de communauté. […] Le Community Management n'existe pas.",
        "Les gens nous appartiennent.",
    ]
    assert found[1].source == "004" and found[1].translation.startswith("We have")
    assert [verbatim_problem(q) is None for q in found] == [True, True, False]
    # A typographic apostrophe where the source has a straight one is not verbatim.
    assert check_quotation("Nous n’avons jamais géré de communauté.", "004") is not None

"""Sphinx extension: French quotations beside our translation, verbatim-checked; citation roles.

In a chapter::

    :::{frquote}
    :source: 004
    :speaker: Frédéric Bascuñana
    :ref: 004-p001
    Nous n'avons jamais géré de communauté. Le Community Management n'existe pas.
    +++
    We have never managed a community. Community Management does not exist.
    :::

The French part (before the ``+++`` line) is kept exactly as written, marked ``lang="fr"``, and
must be verbatim in source ``:source:`` after whitespace normalisation only; ``[…]`` marks a cut
and each piece must appear in the source, in order. Otherwise the build warns, and the strict
build (``-W``) fails. The English part is parsed as MyST and labelled as our translation.

The extension also makes the bibliography's citations valid ARIA: docutils wraps them in a
``role="list"`` whose children have the deprecated ``role="doc-biblioentry"``, which axe-core
reports as a critical violation; here each citation is a ``role="listitem"``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

__all__ = ["FrQuote", "check_quotation", "setup"]

logger = logging.getLogger(__name__)
SEPARATOR = "+++"
ELISION = "[…]"


def check_quotation(french: str, source: str) -> str | None:
    """Return why ``french`` is not a verbatim quotation of ``source`` (``None`` when it is).

    Parameters
    ----------
    french
        The quoted text; ``[…]`` marks a cut, and the pieces must appear in order.
    source
        The article id ("000" … "004") the quotation is attributed to.
    """
    from cmethics import corpus

    pieces = [p.strip() for p in french.split(ELISION) if p.strip()]
    if not pieces:
        return "the French quotation is empty"
    try:
        raw = corpus.raw_text(source, normalized=True)
    except KeyError:
        return f"unknown source {source!r} (use an article id, 000 to 004)"
    position = 0
    for piece in pieces:
        found = raw.find(corpus.normalize_ws(piece), position)
        if found < 0:
            elsewhere = corpus.find_verbatim(piece)
            where = f" (it is in source {elsewhere})" if elsewhere else ""
            return f"not verbatim in source {source}{where}: {piece[:80]!r}"
        position = found + len(corpus.normalize_ws(piece))
    return None


class FrQuote(SphinxDirective):
    """A verbatim French quotation and our English translation, side by side."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "source": directives.unchanged_required,
        "speaker": directives.unchanged,
        "ref": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        lines = list(self.content)
        if SEPARATOR not in [line.strip() for line in lines]:
            raise self.error(
                f"frquote needs the French, a '{SEPARATOR}' line, then the translation"
            )
        cut = [line.strip() for line in lines].index(SEPARATOR)
        french = " ".join(line.strip() for line in lines[:cut] if line.strip())
        source = self.options.get("source", "").strip()
        if not source:
            raise self.error("frquote needs a :source: (the article id, e.g. 004)")
        problem = check_quotation(french, source)
        if problem:
            logger.warning(f"frquote {problem}", location=self.get_location())

        container = nodes.container(classes=["frquote", *self.options.get("class", [])])
        fr_block = nodes.block_quote(classes=["frquote-fr", "language-fr"])
        fr_block += nodes.paragraph(text=french)
        attribution = self._attribution(source)
        if attribution:
            fr_block += nodes.attribution(text=attribution)
        container += fr_block

        en_block = nodes.container(classes=["frquote-en"])
        label = nodes.paragraph(classes=["frquote-label"])
        label += nodes.strong(text="Our translation")
        en_block += label
        offset = self.content_offset + cut + 1
        self.state.nested_parse(self.content[cut + 1 :], offset, en_block)
        container += en_block
        return [container]

    def _attribution(self, source: str) -> str:
        parts = [self.options.get("speaker", "").strip(), f"source {source}"]
        if self.options.get("ref"):
            parts.append(self.options["ref"].strip())
        return ", ".join(p for p in parts if p)


class _AccessibleCitationsMixin:
    """Emit citations as list items of the ``role="list"`` container docutils opens."""

    # Provided by the HTML translator this is mixed into (declared for the type checker only).
    body: list[str]
    starttag: Callable[..., str]

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _accessible_citations(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    translators = dict(app.registry.translators) or {
        app.builder.name: app.builder.default_translator_class
    }
    for name, klass in translators.items():
        mixed = types.new_class("CMEthicsHTMLTranslator", (_AccessibleCitationsMixin, klass), {})
        app.set_translator(name, mixed, override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``frquote`` directive and the accessible citation markup."""
    app.add_directive("frquote", FrQuote)
    # After the theme (priority 500), which wraps the translator the same way.
    app.connect("builder-inited", _accessible_citations, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

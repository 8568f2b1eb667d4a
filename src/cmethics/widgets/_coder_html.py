"""The comment coder's HTML: codebook help, progress, comment cards and the comparison view.

Pure functions of the course data and the coder's state (no widgets), so that
``cmethics.widgets.coder`` keeps only the controls and their events. Everything that comes from
the corpus or the course files goes through ``esc()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cmethics import course
from cmethics.coding import Comparison, Difference
from cmethics.widgets._base import esc
from cmethics.widgets._style import BORDER, MUTED_TEXT
from cmethics.widgets.reader import CommentRecord, comment_html

__all__ = [
    "card_html",
    "codes_text",
    "comparison_html",
    "differences_html",
    "heading_html",
    "help_html",
    "intro_html",
    "key_panel_html",
    "parent_html",
    "progress_html",
    "rationale_help_html",
]


def intro_html(book: course.Codebook) -> str:
    """The codebook's title, version and instructions above the coder."""
    return (
        f'<div style="margin-bottom:0.4em"><strong>{esc(book.title)}</strong> '
        f'<span style="{MUTED_TEXT}">(codebook version {esc(book.version)})</span><br>'
        f"{esc(book.instructions)}</div>"
    )


def heading_html(cat: course.CodebookCategory) -> str:
    """A category's question above its choices."""
    # Radio buttons carry the category's label themselves; check boxes need it here.
    title = f"<strong>{esc(cat.label)}</strong> \u2013 " if cat.multiple else ""
    return (
        f'<div style="margin-top:0.6em">{title}<span style="{MUTED_TEXT}">'
        f"{esc(cat.question)}{' (several codes allowed)' if cat.multiple else ''}"
        "</span></div>"
    )


def rationale_help_html(spec: course.RationaleSpec) -> str:
    """What the rationale should say, and its minimum length."""
    return (
        f'<div style="{MUTED_TEXT};font-size:0.9em">{esc(spec.prompt)}'
        f"{f' (at least {spec.min_chars} characters)' if spec.min_chars else ''}</div>"
    )


def codes_text(book: course.Codebook, category_id: str, codes: Iterable[str]) -> str:
    """The labels of some codes of one category, or "no code"."""
    cat = book.category(category_id)
    labels = {c.id: c.label for c in cat.codes}
    names = [labels.get(c, c) for c in codes]
    return ", ".join(names) if names else "no code"


def help_html(cat: course.CodebookCategory) -> str:
    """A category's definitions and decision rules (course prose; quotes are escaped too)."""
    items = []
    for code in cat.codes:
        example = code.example
        if example.withheld or not example.quote:
            shown = f"Example ({esc(example.comment_id)}), not quoted: {esc(example.why)}"
        else:
            shown = (
                f'Example ({esc(example.comment_id)}): <span lang="fr">\u00ab\u00a0'
                f"{esc(example.quote.strip())}\u00a0\u00bb</span> \u2013 {esc(example.why)}"
            )
        items.append(
            f'<li style="margin-bottom:0.5em"><strong>{esc(code.label)}</strong>: '
            f"{esc(code.definition)}<br><em>Decision rule:</em> {esc(code.decision_rule)}"
            f'<br><span style="{MUTED_TEXT};font-size:0.9em">{shown}</span></li>'
        )
    extra = ""
    if cat.exclusive:
        extra = (
            f"<p><em>{esc(', '.join(cat.exclusive))}</em> must be chosen alone; choosing it "
            f"clears the other codes.</p>"
        )
    return (
        '<div style="border-left:3px solid #8a96a3;padding:0.2em 0.6em;margin:0.2em 0 0.4em 0">'
        f'<ul style="padding-left:1.2em;margin:0.2em 0">{"".join(items)}</ul>{extra}</div>'
    )


def progress_html(done: int, n: int) -> str:
    """ "12 of 40 coded" with a small bar."""
    width = round(100 * done / n) if n else 0
    return (
        f'<div style="margin-right:1.2em"><strong>{done} of {n} coded</strong>'
        f'<div aria-hidden="true" style="width:12em;height:0.5em;background:#dde3ea;'
        f'border-radius:3px;margin-top:0.2em"><div style="width:{width}%;height:100%;'
        f'background:#1e6b3a;border-radius:3px"></div></div></div>'
    )


def card_html(record: CommentRecord, names: bool) -> str:
    """One comment in its own scrolling box."""
    # The comment scrolls inside its own box (long comments run to 1,300 words); the box
    # is focusable so that keyboard users can scroll it.
    return (
        f'<div tabindex="0" role="region" aria-label="Comment {esc(record.comment_id)}" '
        f'style="max-height:26em;overflow-y:auto">{comment_html(record, names)}</div>'
    )


def parent_html(parent: CommentRecord, names: bool) -> str:
    """The comment that the current one replies to, under a small caption."""
    return (
        f'<div style="{MUTED_TEXT};font-size:0.9em;margin-top:0.3em">The comment it '
        f"replies to:</div>{card_html(parent, names)}"
    )


def differences_html(book: course.Codebook, diffs: Sequence[Difference]) -> str:
    """A list of the categories where the student differs from the key, and why."""
    items = []
    for d in diffs:
        label = book.category(d.category_id).label
        line = (
            f"<strong>{esc(label)}</strong>: you chose "
            f"<em>{esc(codes_text(book, d.category_id, d.student))}</em>; the key says "
            f"<em>{esc(codes_text(book, d.category_id, d.key))}</em>."
        )
        if d.matches_alternative:
            line += (
                " <strong>The key marks this case as borderline and accepts your "
                "choice as the alternative.</strong>"
            )
        elif d.borderline:
            alt = (
                f" (its alternative: {codes_text(book, d.category_id, d.alternative)})"
                if d.alternative
                else ""
            )
            line += f" The key marks this comment as borderline{esc(alt)}."
        if d.justification:
            line += f"<br><span>Why: {esc(d.justification)}</span>"
        items.append(f"<li style='margin-bottom:0.35em'>{line}</li>")
    return f"<ul style='margin:0.3em 0;padding-left:1.2em'>{''.join(items)}</ul>"


def key_panel_html(book: course.Codebook, diffs: Sequence[Difference]) -> str:
    """The key's verdict on the current comment, where it differs."""
    return (
        f'<div style="border:1px solid {BORDER};border-radius:4px;padding:0.4em 0.7em;'
        'margin-top:0.3em"><strong>Reference coding for this comment</strong>'
        f"{differences_html(book, diffs)}</div>"
    )


def _agreement_table(result: Comparison) -> str:
    rows = []
    for a in result.agreements:
        share = a.share or 0.0
        overlap = f"{a.mean_jaccard:.2f}" if a.mean_jaccard is not None else "\u2013"
        rows.append(
            f"<tr><th scope='row' style='text-align:left'>{esc(a.label)}</th>"
            f"<td>{a.agreeing} of {a.compared}</td><td>{share:.0%}</td><td>{overlap}</td></tr>"
        )
    left_out = []
    if result.not_coded:
        left_out.append(f"{len(result.not_coded)} not yet fully coded")
    if result.no_key:
        left_out.append(f"{len(result.no_key)} without a reference code")
    scope = (
        f"{len(result.compared)} of {result.n_comments} comments compared"
        + (f" ({'; '.join(left_out)}, left out)" if left_out else "")
        + "."
    )
    return (
        f"<p><strong>Agreement with the reference coding</strong>: {esc(scope)}</p>"
        "<table style='border-collapse:collapse;margin:0.3em 0' cellpadding='4'>"
        "<caption style='text-align:left;caption-side:bottom;font-size:0.85em;"
        f"{MUTED_TEXT}'>A single-choice category agrees when your code is the key's code. "
        "Themes and ego markers agree only when you chose exactly the key's set of codes "
        "(set equality); the mean overlap is the Jaccard index (codes in common divided "
        "by codes chosen by either of you; 1 = same set), averaged over the comments.</caption>"
        "<thead><tr><th scope='col' style='text-align:left'>Category</th>"
        "<th scope='col'>Comments agreeing</th><th scope='col'>Share</th>"
        "<th scope='col'>Mean overlap (Jaccard)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def comparison_html(
    book: course.Codebook,
    result: Comparison,
    records: Sequence[CommentRecord],
    key: Mapping[str, course.ReferenceRecord],
    names: bool,
) -> str:
    """The thread's agreement with the key per category, then every comment that differs."""
    by_id = {r.comment_id: (i, r) for i, r in enumerate(records, start=1)}
    blocks = []
    for cid in result.compared:
        diffs = result.differences_for(cid)
        if not diffs:
            continue
        number, record = by_id[cid]
        ref = key[cid]
        note = (
            f"<div style='{MUTED_TEXT};font-size:0.9em'>The key in short: {esc(ref.note)}</div>"
            if ref.note
            else ""
        )
        blocks.append(
            f"<div style='border-top:1px solid #d5dbe1;padding:0.4em 0'>"
            f"<strong>{esc(cid)}</strong> \u00b7 {esc(record.label(names))} "
            f"<span style='{MUTED_TEXT}'>(comment {number} of {len(records)})</span>"
            f"{differences_html(book, diffs)}{note}</div>"
        )
    agreeing = len(result.compared) - len(blocks)
    heading = (
        f"<p><strong>Where you differ, and why</strong>: {len(blocks)} of "
        f"{len(result.compared)} compared comments differ in at least one category; "
        f"{agreeing} agree with the key in every category. Use \u201cGo to comment\u201d "
        "to look at a comment again; the rationale is not compared.</p>"
    )
    details = (
        "<div tabindex='0' role='region' aria-label='Differences with the reference coding' "
        f"style='max-height:28em;overflow-y:auto;padding-right:0.5em'>{''.join(blocks)}</div>"
        if blocks
        else ""
    )
    return f"<div>{_agreement_table(result)}{heading}{details}</div>"

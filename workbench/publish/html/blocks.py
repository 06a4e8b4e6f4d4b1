"""Markdown blocks (:mod:`workbench.domain.markup`) → HTML that is inert whatever the user typed.

Every character of user text is escaped; the only markup is what this module writes. Links keep
their target only when markup already found it safe (http, https, mailto); images are never
referenced — their alt text is shown (:func:`workbench.domain.markup.image_label`). Right-to-left
paragraphs find their direction with ``dir="auto"``. Markdown headings sit below the heading of the
section they are in (``heading_base``), so a ``#`` in a story never becomes the page's ``h1``.

:func:`fragment` is the same rendering for a preview widget (QTextBrowser understands this subset;
``for_qt`` adds the table attributes it needs, as it ignores most CSS on tables).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from html import escape

from workbench.domain import markup
from workbench.domain.markup import Block, CodeBlock, Heading, ListBlock, Paragraph, Quote, Rule, Run, Table

#: Longest text rendered per field (as the PDF).
MAX_CHARS = markup.MAX_CHARS


# C0 controls but tab and newline, DEL and C1 controls, explicit bidi overrides and isolates (they
# would fight dir="auto"), the BOM and non-characters; line and paragraph separators become newlines.
_STRIP: dict[int, int | None] = {c: None for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0),
                                                   *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF,
                                                   0xFFFE, 0xFFFF)}
_STRIP.update({0x2028: 0x0A, 0x2029: 0x0A})
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(value: str) -> str:
    """Text without control characters, bidi overrides or lone surrogates (the PDF drops the same)."""
    value = value.translate(_STRIP)
    return value if value.isascii() else _SURROGATES.sub("", value)


#: Longest plain field written (names, roles, table cells); longer ones end in a visible marker.
PLAIN_CHARS = 20_000


def text(value: str) -> str:
    """User text escaped for HTML content or a double-quoted attribute, cleaned (:func:`clean`) and
    bounded (:data:`PLAIN_CHARS`)."""
    return escape(clean(markup.bound(value, PLAIN_CHARS)), quote=True)


def direction(value: str) -> str:
    """``"rtl"`` when the first strongly directional character of ``value`` is right-to-left, else ``"ltr"``.

    For list containers: a browser's ``dir="auto"`` skips children that have their own ``dir`` (every
    item does), so the list itself — which side its markers and indent go — is decided here.
    """
    if value.isascii():
        return "ltr"
    for ch in value:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def runs(items: Sequence[Run]) -> str:
    """Inline runs → HTML (bold, italic, code, safe links, images as their alt text)."""
    out: list[str] = []
    for r in items:
        if r.image:
            out.append(f'<span class="img-alt">{text(markup.image_label(r.text))}</span>')
            continue
        piece = "<br>".join(text(part) for part in r.text.split("\n"))
        if r.code:
            piece = f"<code>{piece}</code>"
        if r.italic:
            piece = f"<em>{piece}</em>"
        if r.bold:
            piece = f"<strong>{piece}</strong>"
        if r.href:
            piece = f'<a href="{text(r.href)}" rel="noopener noreferrer nofollow">{piece}</a>'
        out.append(piece)
    return "".join(out)


def inline(value: str) -> str:
    """One line of inline markdown (a headline, a list item) → HTML."""
    return runs(markup.parse_inline(value))


def render(value: str, *, heading_base: int = 4, for_qt: bool = False, max_chars: int = MAX_CHARS) -> str:
    """Markdown ``value`` → HTML blocks."""
    out: list[str] = []
    _blocks(markup.parse(value, max_chars=max_chars), out, heading_base, for_qt)
    return "".join(out)


def fragment(value: str) -> str:
    """Markdown → an HTML fragment for the app's QTextBrowser preview (same parser and rules as the
    playbooks: tables, code, images as alt text, nothing fetched, only safe links)."""
    return render(value, heading_base=1, for_qt=True)


def _blocks(blocks: Sequence[Block], out: list[str], base: int, qt: bool) -> None:
    for b in blocks:
        if isinstance(b, Heading):
            level = base + b.level - 1
            if level <= 6:
                out.append(f'<h{level} dir="auto">{runs(b.runs)}</h{level}>')
            else:  # deeper than HTML goes: a bold line, not a heading in the outline
                out.append(f'<p class="md-heading" dir="auto"><strong>{runs(b.runs)}</strong></p>')
        elif isinstance(b, Paragraph):
            out.append(f'<p dir="auto">{runs(b.runs)}</p>')
        elif isinstance(b, ListBlock):
            tag = "ol" if b.ordered else "ul"
            start = f' start="{b.start}"' if b.ordered and b.start != 1 else ""
            first = markup.plain_text(b.items[0].blocks[:1]) if b.items else ""
            out.append(f'<{tag}{start} dir="{direction(first[:500])}">')
            for item in b.items:
                out.append('<li dir="auto">')
                # A list item of one paragraph is written without <p> (tight, as people type lists).
                if len(item.blocks) >= 1 and isinstance(item.blocks[0], Paragraph):
                    out.append(runs(item.blocks[0].runs))
                    _blocks(item.blocks[1:], out, base, qt)
                else:
                    _blocks(item.blocks, out, base, qt)
                out.append("</li>")
            out.append(f"</{tag}>")
        elif isinstance(b, Quote):
            out.append("<blockquote>")
            _blocks(b.blocks, out, base, qt)
            out.append("</blockquote>")
        elif isinstance(b, CodeBlock):
            out.append(f'<pre dir="auto"><code>{text(b.text)}</code></pre>')
        elif isinstance(b, Rule):
            out.append("<hr>")
        elif isinstance(b, Table):
            out.append(_table(b, qt))


def _table(b: Table, qt: bool) -> str:
    def cells(row: Sequence[tuple[Run, ...]], tag: str) -> str:
        parts = []
        for k, cell in enumerate(row):
            align = f' class="{b.align[k]}"' if b.align[k] else ""
            if qt and b.align[k]:
                align = f' align="{b.align[k]}"'
            scope = ' scope="col"' if tag == "th" else ""
            parts.append(f'<{tag}{scope}{align} dir="auto">{runs(cell)}</{tag}>')
        return "<tr>" + "".join(parts) + "</tr>"

    attrs = ' border="1" cellspacing="0" cellpadding="4"' if qt else ""
    table = (f"<table{attrs}><thead>{cells(b.header, 'th')}</thead><tbody>"
             + "".join(cells(row, "td") for row in b.rows) + "</tbody></table>")
    if qt:
        return table
    # A wide table scrolls sideways inside its own box on a phone (not the whole page); the box can be
    # focused and scrolled from the keyboard, and is announced as a table region.
    return f'<div class="table-scroll" role="region" aria-label="Table" tabindex="0">{table}</div>'

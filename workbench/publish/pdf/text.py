"""User text → reportlab flowables: plain strings, inline runs and markdown blocks.

Everything a person typed passes through here, so this is where text is made safe for the PDF:
control characters removed, length bounded, every character escaped, fonts chosen per run, right-to-
left and CJK paragraphs given the matching style variant, and huge paragraphs cut into chunks so that
reportlab never re-wraps a 200,000-character paragraph once per page (which is quadratic).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Indenter, Paragraph, Spacer, Table

from workbench.domain import markup
from workbench.domain.markup import Block, CodeBlock, Heading, ListBlock, Quote, Rule, Run
from workbench.publish.pdf import fonts
from workbench.publish.pdf.fonts import Span
from workbench.publish.pdf.styles import ACCENT_SOFT, RULE, WARM, Stylesheet, color, table_style

#: Longest single field printed in a table cell (cells cannot split across pages cheaply).
CELL_CHARS = 6_000
#: Longest inline field (names, headlines, card values); longer values are cut with a marker.
SHORT_CHARS = 2_000
#: Paragraphs longer than this are printed as consecutive chunks (see the module docstring).
CHUNK_CHARS = 2_500


def spans_from_runs(runs: Iterable[Run], *, bold: bool = False) -> list[Span]:
    """Markup runs → spans (``bold`` forces bold, e.g. for headings)."""
    return [Span(r.text, bold=bold or r.bold, italic=r.italic, href=r.href, code=r.code) for r in runs]


def para(sheet: Stylesheet, content: str | Sequence[Span], style: str, *, bullet: str | None = None,
         indent: float = 0, hanging: bool = False, bullet_colour: str = WARM) -> Paragraph:
    """One paragraph of user text in a named style (with an optional list marker); never raises."""
    spans: Sequence[Span] = [Span(content)] if isinstance(content, str) else content
    st = sheet[style]
    plain = "".join(s.text for s in spans)
    rtl = fonts.has_rtl(plain)
    cjk = fonts.has_cjk(plain)
    if rtl or cjk:
        st = sheet.variant(style, shaping=rtl, rtl=rtl and fonts.is_rtl(plain), cjk=cjk)
    text = fonts.markup(spans, st.fontName, shaped=rtl)
    if bullet is not None:
        return Paragraph(text, _bulleted(st, indent, hanging, bullet_colour), bulletText=bullet)
    return Paragraph(text, st)


def short(text: str, limit: int = SHORT_CHARS) -> str:
    """A field meant to be short (a name, a headline), bounded for layout."""
    return markup.bound(fonts.clean(text), limit)


def inline(sheet: Stylesheet, text: str, style: str, *, limit: int = SHORT_CHARS, bold: bool = False) -> Paragraph:
    """One paragraph of inline markdown (bold, italic, links) — for headlines and short fields."""
    return para(sheet, spans_from_runs(markup.parse_inline(short(text, limit)), bold=bold), style)


def _chunks(spans: list[Span], limit: int = CHUNK_CHARS) -> list[list[Span]]:
    """Split spans into pieces of about ``limit`` characters, at spaces where possible."""
    total = sum(len(s.text) for s in spans)
    if total <= limit:
        return [spans]
    out: list[list[Span]] = [[]]
    size = 0
    for span in spans:
        text = span.text
        while text:
            room = limit - size
            if len(text) <= room:
                out[-1].append(span if text is span.text else _with(span, text))
                size += len(text)
                break
            cut = text.rfind(" ", max(0, room - 400), room)
            cut = room if cut <= 0 else cut + 1
            out[-1].append(_with(span, text[:cut]))
            out.append([])
            size = 0
            text = text[cut:]
    return [c for c in out if c]


def _with(span: Span, text: str) -> Span:
    return Span(text, span.bold, span.italic, span.href, span.color, span.code, span.strike)


def paragraphs(sheet: Stylesheet, spans: list[Span], style: str, *, bullet: str | None = None,
               indent: float = 0, hanging: bool = False) -> list[Flowable]:
    """A paragraph that may be huge: chunked so layout stays linear (the marker goes on the first)."""
    return [para(sheet, piece, style, bullet=bullet if k == 0 else None, indent=indent, hanging=hanging)
            for k, piece in enumerate(_chunks(spans))]


class _Context:
    """How to render blocks: which styles, at which width (for quotes, which are drawn as tables)."""

    def __init__(self, sheet: Stylesheet, width: float, body: str, list_style: str, limit: int) -> None:
        self.sheet = sheet
        self.width = width
        self.body = body
        self.list_style = list_style
        self.limit = limit


def blocks(sheet: Stylesheet, text: str, *, width: float, body: str = "body", list_style: str = "list",
           limit: int = markup.MAX_CHARS) -> list[Flowable]:
    """Markdown ``text`` → flowables in the given body style (``script`` for read-aloud text)."""
    parsed = markup.parse(fonts.clean(text), max_chars=limit)
    return _render(_Context(sheet, width, body, list_style, limit), parsed, 0)


def _render(ctx: _Context, bs: Sequence[Block], depth: int, bullet: str | None = None) -> list[Flowable]:
    out: list[Flowable] = []
    for k, b in enumerate(bs):
        if k == 0 and bullet is not None:
            if isinstance(b, markup.Paragraph):
                out.extend(paragraphs(ctx.sheet, spans_from_runs(b.runs), ctx.list_style, bullet=bullet,
                                      indent=LIST_INDENT, hanging=True))
                continue
            out.append(para(ctx.sheet, " ", ctx.list_style, bullet=bullet, indent=LIST_INDENT, hanging=True))
        if isinstance(b, Heading):
            style = {1: "md_h1", 2: "md_h2"}.get(b.level, "md_h3")
            out.append(para(ctx.sheet, spans_from_runs(b.runs[:200]), style))
        elif isinstance(b, markup.Paragraph):
            out.extend(paragraphs(ctx.sheet, spans_from_runs(b.runs), ctx.body))
        elif isinstance(b, ListBlock):
            out.extend(_list(ctx, b, depth))
        elif isinstance(b, Quote):
            out.append(_quote(ctx, b, depth))
        elif isinstance(b, CodeBlock):
            out.extend(paragraphs(ctx.sheet, [Span(b.text, code=True)], "code"))
        elif isinstance(b, Rule):
            out.append(HairLine(color(RULE)))
    return out


LIST_INDENT = 14.0


def _list(ctx: _Context, b: ListBlock, depth: int) -> list[Flowable]:
    out: list[Flowable] = [Indenter(left=LIST_INDENT)]
    for k, item in enumerate(b.items):
        marker = f"{b.start + k}." if b.ordered else ("•" if depth % 2 == 0 else "–")
        out.extend(_render(ctx, item.blocks or (markup.Paragraph((Run(" "),)),), depth + 1, bullet=marker))
    out.append(Indenter(left=-LIST_INDENT))
    out.append(Spacer(1, 3))
    return out


_bullet_cache: dict[tuple[str, float, bool, str], ParagraphStyle] = {}


def _bulleted(style: ParagraphStyle, indent: float, hanging: bool, colour: str) -> ParagraphStyle:
    """A bulleted variant: ``hanging`` puts the marker in the margin an :class:`Indenter` made."""
    key = (style.name, indent, hanging, colour)
    found = _bullet_cache.get(key)
    if found is None:
        left, bullet_at = (style.leftIndent, style.leftIndent - indent + 2) if hanging else \
            (style.leftIndent + indent, style.leftIndent)
        found = ParagraphStyle(f"{style.name}-bullet{int(hanging)}{colour}", parent=style, leftIndent=left,
                               bulletIndent=bullet_at,
                               bulletFontName=fonts.SANS, bulletFontSize=style.fontSize,
                               bulletColor=color(colour), spaceAfter=min(style.spaceAfter, 3))
        _bullet_cache[key] = found
    return found


def _quote(ctx: _Context, b: Quote, depth: int) -> Flowable:
    inner_width = max(ctx.width - 16, 60)
    sub = _Context(ctx.sheet, inner_width, "quote" if ctx.body == "body" else ctx.body, ctx.list_style, ctx.limit)
    rows = [[f] for f in _render(sub, b.blocks, depth + 1)] or [[Spacer(1, 1)]]
    t = Table(rows, colWidths=[inner_width + 12], splitInRow=1, hAlign="LEFT")
    t.setStyle(table_style([
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, color(ACCENT_SOFT)),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return t


class HairLine(Flowable):  # type: ignore[misc]
    """A thin horizontal rule across the column."""

    def __init__(self, stroke: object, thickness: float = 0.6, space: float = 6) -> None:
        super().__init__()
        self.stroke = stroke
        self.thickness = thickness
        self.space = space
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Full width, a little height."""
        self.width = available_width
        return available_width, self.space * 2

    def draw(self) -> None:
        """Draw the rule."""
        self.canv.setStrokeColor(self.stroke)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.space, self.width, self.space)

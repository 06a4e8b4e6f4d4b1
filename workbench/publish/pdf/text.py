"""User text → reportlab flowables: plain strings, inline runs and markdown blocks.

Everything a person typed passes through here, so this is where text is made safe for the PDF:
control characters removed, length bounded, every character escaped, fonts chosen per run, complex
scripts shaped, right-to-left and CJK paragraphs given the matching style variant, and huge
paragraphs cut into chunks so that reportlab never re-wraps a 200,000-character paragraph once per
page (which is quadratic).

Lists are indented with each paragraph's own left indent (never reportlab's ``Indenter``, which does
nothing inside a table cell — a message card — and let markers run into the card's side bar): the
marker sits in a column as wide as the list's widest marker, and nested lists step in by that much.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus import Table as LayoutTable

from workbench.domain import markup
from workbench.domain.markup import Block, CodeBlock, Heading, ListBlock, Quote, Rule, Run, Table
from workbench.publish.pdf import fonts
from workbench.publish.pdf.bidi import BidiParagraph
from workbench.publish.pdf.fonts import Span
from workbench.publish.pdf.styles import (
    ACCENT_SOFT,
    INK,
    MD_HEAD_BG,
    MUTED,
    RULE,
    WARM,
    Stylesheet,
    color,
    table_style,
)

#: Longest single field printed in a table cell (cells cannot split across pages cheaply).
CELL_CHARS = 6_000
#: Longest inline field (names, headlines, card values); longer values are cut with a marker.
SHORT_CHARS = 2_000
#: Paragraphs longer than this are printed as consecutive chunks (see the module docstring).
CHUNK_CHARS = 2_500


def spans_from_runs(runs: Iterable[Run], *, bold: bool = False) -> list[Span]:
    """Markup runs → spans (``bold`` forces bold, e.g. for headings). An image shows its alt text."""
    return [Span(markup.image_label(r.text), italic=True, color=MUTED) if r.image else
            Span(r.text, bold=bold or r.bold, italic=r.italic, href=r.href, code=r.code) for r in runs]


def para(sheet: Stylesheet, content: str | Sequence[Span], style: str, *, bullet: str | None = None,
         left: float = 0, bullet_at: float = 0, bullet_colour: str = WARM) -> Paragraph:
    """One paragraph of user text in a named style; never raises.

    ``left`` indents the text (lists); ``bullet`` is a list marker drawn ``bullet_at`` points from the
    style's own indent. Right-to-left paragraphs take the indent on the right and carry the marker at
    their start, so it shows on the right.
    """
    spans: Sequence[Span] = [Span(content)] if isinstance(content, str) else content
    st = sheet[style]
    plain = "".join(s.text for s in spans)
    shaped = fonts.needs_shaping(plain)
    rtl = shaped and fonts.has_rtl(plain) and fonts.is_rtl(plain)
    cjk = fonts.has_cjk(plain) and not shaped
    if shaped or cjk:
        st = sheet.variant(style, shaping=shaped, rtl=rtl, cjk=cjk)
    if rtl and bullet is not None:
        spans = [Span(bullet + " ", color=bullet_colour), *spans]
        bullet = None
    if left or bullet is not None:
        st = _indented(st, left, bullet_at, bullet_colour if bullet is not None else "", rtl)
    text = fonts.markup(spans, st.fontName)
    cls = BidiParagraph if shaped else Paragraph
    if bullet is not None:
        return cls(text, st, bulletText=bullet)
    return cls(text, st)


_indent_cache: dict[tuple[str, float, float, str, bool], ParagraphStyle] = {}


def _indented(style: ParagraphStyle, left: float, bullet_at: float, colour: str, rtl: bool) -> ParagraphStyle:
    """The style moved in by ``left`` (on the right for right-to-left text), with a marker column."""
    key = (style.name, left, bullet_at, colour, rtl)
    found = _indent_cache.get(key)
    if found is None:
        extra: dict[str, object] = {"spaceAfter": min(style.spaceAfter, 3)} if colour else {}
        if rtl:
            extra["rightIndent"] = style.rightIndent + left
        else:
            extra["leftIndent"] = style.leftIndent + left
        if colour:
            extra.update(bulletIndent=style.leftIndent + bullet_at, bulletFontName=fonts.SANS,
                         bulletFontSize=style.fontSize, bulletColor=color(colour))
        found = ParagraphStyle(f"{style.name}-in{left:g}-{bullet_at:g}{colour}", parent=style, **extra)
        found.bidi_base = getattr(style, "bidi_base", 0)
        if len(_indent_cache) > 2_000:
            _indent_cache.clear()
        _indent_cache[key] = found
    return found


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
               left: float = 0, bullet_at: float = 0) -> list[Flowable]:
    """A paragraph that may be huge: chunked so layout stays linear (the marker goes on the first)."""
    return [para(sheet, piece, style, bullet=bullet if k == 0 else None, left=left, bullet_at=bullet_at)
            for k, piece in enumerate(_chunks(spans))]


class _Context:
    """How to render blocks: styles, width, and the current list indent (``left``) and marker place."""

    def __init__(self, sheet: Stylesheet, width: float, body: str, list_style: str, limit: int,
                 left: float = 0) -> None:
        self.sheet = sheet
        self.width = width
        self.body = body
        self.list_style = list_style
        self.limit = limit
        self.left = left

    def indented(self, by: float) -> _Context:
        """The context one list level deeper."""
        return _Context(self.sheet, self.width, self.body, self.list_style, self.limit, self.left + by)


def blocks(sheet: Stylesheet, text: str, *, width: float, body: str = "body", list_style: str = "list",
           limit: int = markup.MAX_CHARS) -> list[Flowable]:
    """Markdown ``text`` → flowables in the given body style (``script`` for read-aloud text)."""
    parsed = markup.parse(fonts.clean(text), max_chars=limit)
    return _render(_Context(sheet, width, body, list_style, limit), parsed, 0)


def _render(ctx: _Context, bs: Sequence[Block], depth: int, bullet: str | None = None,
            bullet_at: float = 0) -> list[Flowable]:
    out: list[Flowable] = []
    for k, b in enumerate(bs):
        if k == 0 and bullet is not None:
            if isinstance(b, markup.Paragraph):
                out.extend(paragraphs(ctx.sheet, spans_from_runs(b.runs), ctx.list_style, bullet=bullet,
                                      left=ctx.left, bullet_at=bullet_at))
                continue
            out.append(para(ctx.sheet, " ", ctx.list_style, bullet=bullet, left=ctx.left, bullet_at=bullet_at))
        if isinstance(b, Heading):
            style = {1: "md_h1", 2: "md_h2"}.get(b.level, "md_h3")
            out.append(para(ctx.sheet, spans_from_runs(b.runs[:200]), style, left=ctx.left))
        elif isinstance(b, markup.Paragraph):
            style = ctx.list_style if ctx.left else ctx.body
            out.extend(paragraphs(ctx.sheet, spans_from_runs(b.runs), style, left=ctx.left))
        elif isinstance(b, ListBlock):
            out.extend(_list(ctx, b, depth))
        elif isinstance(b, Quote):
            out.append(_quote(ctx, b, depth))
        elif isinstance(b, CodeBlock):
            out.extend(_code(ctx, b))
        elif isinstance(b, Table):
            out.append(_table(ctx, b))
        elif isinstance(b, Rule):
            out.append(HairLine(color(RULE)))
    return out


#: Lines of code per paragraph: a long listing splits across pages between these chunks.
CODE_CHUNK_LINES = 40
#: Longest code block printed, in (wrapped) lines; the rest is summarised.
MAX_CODE_LINES = 3_000


def _code(ctx: _Context, b: CodeBlock) -> list[Flowable]:
    """A code block in the monospace face: line breaks and indentation kept (spaces become no-break
    spaces, which reportlab neither collapses nor breaks at), long lines wrapped at the column."""
    style = ctx.sheet["code"]
    inner = ctx.width - ctx.left - style.leftIndent - style.rightIndent - 4
    columns = max(12, int(inner / max(float(stringWidth("M", style.fontName, style.fontSize)), 1.0)))
    lines: list[str] = []
    for raw in b.text.split("\n"):
        line = raw.expandtabs(4).rstrip()
        while len(line) > columns:
            lines.append(line[:columns])
            line = line[columns:]
        lines.append(line)
        if len(lines) > MAX_CODE_LINES:
            break
    more = len(lines) - MAX_CODE_LINES
    if more > 0:
        lines = [*lines[:MAX_CODE_LINES], f"…({more:,}+ more lines not shown)"]
    out: list[Flowable] = []
    for k in range(0, len(lines), CODE_CHUNK_LINES):
        chunk = "\n".join(line.replace(" ", "\u00a0") or "\u00a0" for line in lines[k:k + CODE_CHUNK_LINES])
        out.append(para(ctx.sheet, [Span(chunk, code=True, color=INK)], "code" if k == 0 else "code_more",
                        left=ctx.left))
    return out


def _table(ctx: _Context, b: Table) -> Flowable:
    """A markdown table as a real table: header row repeated on each page, columns sized by content."""
    columns = len(b.header)
    available = max(ctx.width - ctx.left, 60.0)
    # Each column as wide as its longest cell on one line (measured on the first rows), no wider than
    # half the room; a table that needs more than the room shares it in proportion to those widths.
    size = float(ctx.sheet["md_cell"].fontSize)
    natural = [min(max(float(stringWidth(markup.runs_text(row[c])[:200], fonts.SANS_BOLD, size))
                       for row in (b.header, *b.rows[:50])) + 12, available / 2) for c in range(columns)]
    natural = [max(w, 28.0) for w in natural]
    scale = available / sum(natural) if sum(natural) > available else 1.0
    widths = [w * scale for w in natural]
    suffix = {"center": "_center", "right": "_right"}

    def cell(runs: tuple[Run, ...], base: str, column: int, bold: bool = False) -> Flowable:
        spans = spans_from_runs(runs, bold=bold) or [Span(" ")]
        return para(ctx.sheet, spans, base + suffix.get(b.align[column], ""))

    rows = [[cell(c, "md_head", k, bold=True) for k, c in enumerate(b.header)]]
    rows += [[cell(c, "md_cell", k) for k, c in enumerate(row)] for row in b.rows]
    t = LayoutTable(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    t.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.5, color(RULE)),
        ("BACKGROUND", (0, 0), (-1, 0), color(MD_HEAD_BG)),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    t.spaceBefore, t.spaceAfter = 3, 8
    return _Shifted(t, ctx.left) if ctx.left else t


#: The marker column of a bullet list, in ems of the list's font size.
BULLET_EMS = 1.3


def marker_column(style: ParagraphStyle, markers: Sequence[str]) -> float:
    """Width of a list's marker column: its widest marker plus the gap reportlab keeps after it."""
    size = float(style.fontSize)
    widest = max((float(stringWidth(m, fonts.SANS, size)) for m in markers), default=0.0)
    return max(widest + 0.6 * size + 2, BULLET_EMS * size)


def _list(ctx: _Context, b: ListBlock, depth: int) -> list[Flowable]:
    if b.ordered:
        markers = [f"{b.start + k}." for k in range(len(b.items))]
    else:
        markers = ["•" if depth % 2 == 0 else "–"] * len(b.items)
    column = marker_column(ctx.sheet[ctx.list_style], markers)
    inner = ctx.indented(column)
    out: list[Flowable] = []
    for marker, item in zip(markers, b.items, strict=True):
        out.extend(_render(inner, item.blocks or (markup.Paragraph((Run(" "),)),), depth + 1, bullet=marker,
                           bullet_at=ctx.left))
    out.append(Spacer(1, 3))
    return out


def _quote(ctx: _Context, b: Quote, depth: int) -> Flowable:
    inner_width = max(ctx.width - ctx.left - 16, 60)
    sub = _Context(ctx.sheet, inner_width, "quote" if ctx.body == "body" else ctx.body, ctx.list_style, ctx.limit)
    rows = [[f] for f in _render(sub, b.blocks, depth + 1)] or [[Spacer(1, 1)]]
    t = LayoutTable(rows, colWidths=[inner_width + 12], splitInRow=1, hAlign="LEFT")
    t.setStyle(table_style([
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, color(ACCENT_SOFT)),
        ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    if ctx.left:
        t.hAlign = "LEFT"
        return _Shifted(t, ctx.left)
    return t


class _Shifted(Flowable):  # type: ignore[misc]
    """A flowable drawn ``dx`` points to the right (a quote inside a list item)."""

    def __init__(self, inner: Flowable, dx: float) -> None:
        super().__init__()
        self.inner = inner
        self.dx = dx

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The inner flowable's size in the narrower width."""
        w, h = self.inner.wrap(available_width - self.dx, available_height)
        return w + self.dx, h

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Split the inner flowable; each part stays shifted."""
        parts = self.inner.split(available_width - self.dx, available_height)
        return [_Shifted(p, self.dx) for p in parts]

    def draw(self) -> None:
        """Draw the inner flowable, shifted."""
        self.inner.drawOn(self.canv, self.dx, 0)


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

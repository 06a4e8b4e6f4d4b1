"""The playbook's own pages: cover, contents, brand narrative and lingo — laid out from the content model."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, FrameBreak, KeepInFrame, Spacer, Table

from workbench.publish.contents import ContentsEntry, Cover, Lingo
from workbench.publish.pdf import fonts
from workbench.publish.pdf import text as tx
from workbench.publish.pdf.breaking import ShrinkOrFlow
from workbench.publish.pdf.document import Anchor, Anchored, SectionStart, TocRow
from workbench.publish.pdf.flowables import BottomAligned, Logo, grid, load_image
from workbench.publish.pdf.fonts import Span
from workbench.publish.pdf.styles import ACCENT, DO, DONT, DRAFT, MUTED, RULE, Stylesheet, color, table_style
from workbench.publish.pdf.text import HairLine

#: The lingo begins on the last persona's page when at least this share of the page is free.
LINGO_SHARES_PAGE = 0.4


def new_page() -> Flowable:
    """A page break that never leaves an empty page (at the top of a page it does nothing)."""
    return SectionStart(float("inf"))


def cover(sheet: Stylesheet, c: Cover, *, logo: bytes | None, draft: bool) -> list[Flowable]:
    """The cover's flowables: the band (logo, title, organisation), then the persona list and status."""
    s = sheet
    w = sheet.geometry.frame_width
    out: list[Flowable] = [Anchor("cover", "Cover", 0, running="")]
    image = load_image(logo)
    if image is not None:
        out.append(Logo(image, 46 * mm, 16 * mm))
    band: list[Flowable] = [tx.para(s, "PERSONA PLAYBOOK", "cover_kicker")]
    title = tx.short(c.title, 160)
    size = 32 if len(title) <= 44 else 25 if len(title) <= 90 else 19
    style_name = f"cover_title_{size}"
    if style_name not in s.styles:
        s.styles[style_name] = _sized(s["cover_title"], size)
    band.append(tx.para(s, title, style_name))
    if c.organization:
        band.append(tx.para(s, tx.short(c.organization, 200), "cover_org"))
    if c.figures:
        band.append(Spacer(1, 22))
        figures = [[tx.para(s, f"{f.value:,}", "cover_stat"), tx.para(s, f.label.upper(), "cover_stat_label")]
                   for f in c.figures]
        t = Table([figures], colWidths=[w / 4] * len(figures), hAlign="LEFT")
        t.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                ("LINEABOVE", (0, 0), (-1, 0), 0.6, color("#3a4b57")),
                                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        band.append(t)
    out.append(BottomAligned(band))
    out.append(FrameBreak())
    lower: list[Flowable] = [tx.para(s, "IN THIS PLAYBOOK", "cover_label")]
    cells: list[Any] = []
    for p in c.personas:
        cell: list[Flowable] = [tx.para(s, tx.short(p.name, 50), "cover_persona")]
        role = tx.short(p.subtitle, 80)
        if p.draft:
            cell.append(tx.para(s, [Span(role + "   " if role else ""), Span("DRAFT", bold=True, color=DRAFT)],
                                "cover_persona_role"))
        elif role:
            cell.append(tx.para(s, role, "cover_persona_role"))
        cells.append(cell)
    if not cells:
        lower.append(tx.para(s, c.empty, "empty"))
    else:
        rows = [cells[i:i + 2] + ([""] if len(cells[i:i + 2]) == 1 else []) for i in range(0, len(cells), 2)]
        t = Table(rows, colWidths=[w / 2, w / 2], hAlign="LEFT")
        t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 14), ("TOPPADDING", (0, 0), (-1, -1), 5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                               ("LINEABOVE", (0, 0), (-1, -1), 0.5, color(RULE))]))
        lower.append(t)
        if c.more_personas:
            lower.append(Spacer(1, 4))
            lower.append(tx.para(s, f"… and {c.more_personas} more — see the contents.", "cover_meta"))
    badge = Table([[tx.para(s, c.badge, "badge")]], hAlign="LEFT",
                  colWidths=[stringWidth(c.badge, fonts.SANS_BOLD, 8) + 18])
    badge.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), color(DRAFT if draft else DO)),
                                ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    # The cover is one page whatever the names: the persona list shrinks to fit if it must.
    room = sheet.geometry.height * 0.48 - sheet.geometry.bottom - 26 - 90
    out.append(KeepInFrame(w, room, lower, mode="shrink"))
    out.append(BottomAligned([HairLine(color(RULE), space=8), badge, Spacer(1, 8),
                              tx.para(s, c.note, "cover_meta")]))
    return out


def _sized(style: Any, size: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"cover_title_{size}", parent=style, fontSize=size, leading=size * 1.18)


def contents(sheet: Stylesheet, entries: tuple[ContentsEntry, ...]) -> list[Flowable]:
    """The contents page(s): every row clickable, page numbers filled in after layout."""
    s = sheet
    out: list[Flowable] = [new_page(), Anchor("contents", "Contents", 0, running="Contents"),
                           tx.para(s, "Contents", "page_title")]
    for e in entries:
        if e.number is not None:
            title = tx.para(s, [Span(f"{e.number:02d}   ", color=MUTED), Span(tx.short(e.title, 120))], "toc_persona")
        else:
            title = tx.para(s, tx.short(e.title, 120), "toc_section")
        sub = tx.para(s, tx.short(e.subtitle, 120), "toc_sub") if e.subtitle.strip() else None
        out.append(TocRow(e.key, title, sub, indent=0, number_size=10, number_colour=ACCENT))
    return out


def narrative(sheet: Stylesheet, text: str) -> list[Flowable]:
    """The brand narrative, as formatted markdown."""
    s = sheet
    return [new_page(), Anchor("narrative", "Brand narrative", 0, running="Brand narrative"),
            tx.para(s, "WHO WE ARE", "kicker"), tx.para(s, "Brand narrative", "page_title"),
            *tx.blocks(s, text, width=s.geometry.frame_width)]


def lingo(sheet: Stylesheet, vocabulary: Lingo) -> list[Flowable]:
    """Say this — not that, and definitions. Persona-scoped terms say whom they apply to."""
    s = sheet
    w = s.geometry.frame_width
    # The lingo follows the last persona on its page when a good part of the page is free (a
    # one-row objection table then shares its page instead of standing alone on it).
    # When its last rows would stand alone on a new page, it is set a little smaller instead.
    start = SectionStart(LINGO_SHARES_PAGE * s.geometry.frame_height)
    out: list[Flowable] = [Anchor("lingo", "Lingo", 0, running="Lingo"),
                           tx.para(s, "HOW WE TALK", "kicker"), tx.para(s, "Lingo", "page_title")]
    if not vocabulary.say and not vocabulary.definitions:
        out.append(tx.para(s, vocabulary.empty, "empty"))
        return [start, *out]
    limit = tx.CELL_CHARS
    if vocabulary.say:
        out.append(Anchored(tx.para(s, "Say this — not that", "h2"), "lingo-say", "Say this — not that", 1))
        widths = [w * 0.22, w * 0.22, w * 0.38, w * 0.18]
        rows: list[list[Any]] = [[tx.para(s, h, "cell_head") for h in ("SAY", "NOT", "WHY", "FOR")]]
        for r in vocabulary.say:
            bad: list[Span] = []
            for k, term in enumerate(r.instead_of[:50]):
                bad += [Span(("\n" if k else "") + "✕  ", color=DONT), Span(tx.short(term, limit), strike=True, color=DONT)]
            good_cell = tx.para(s, [Span("✓  ", color=DO), Span(tx.short(r.say, limit), bold=True)], "cell") \
                if r.say else tx.para(s, [Span("(rephrase)", color=MUTED)], "cell")
            why = [tx.para(s, tx.spans_from_runs(_inline(note)), "cell") for note in r.why[:20]] \
                or [tx.para(s, "", "cell")]
            rows.append([good_cell, tx.para(s, bad or [Span("—", color=MUTED)], "cell"), why,
                         tx.para(s, [Span(tx.short(r.audience, 200), color=MUTED)], "cell")])
        out.append(grid(rows, widths))
    if vocabulary.definitions:
        out.append(Anchored(tx.para(s, "Definitions", "h2"), "lingo-define", "Definitions", 1))
        widths = [w * 0.26, w * 0.56, w * 0.18]
        rows = [[tx.para(s, h, "cell_head") for h in ("TERM", "MEANING", "FOR")]]
        for d in vocabulary.definitions:
            rows.append([tx.para(s, tx.short(d.term, limit), "cell_bold"),
                         tx.para(s, tx.spans_from_runs(_inline(d.meaning)), "cell"),
                         tx.para(s, [Span(tx.short(d.audience, 200), color=MUTED)], "cell")])
        out.append(grid(rows, widths))
    return [start, ShrinkOrFlow(out)]


def _inline(text: str) -> tuple[Any, ...]:
    from workbench.domain import markup

    return markup.parse_inline(tx.short(text, tx.CELL_CHARS))

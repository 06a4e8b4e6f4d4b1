"""The playbook's own pages: cover, contents, brand narrative and lingo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, FrameBreak, KeepInFrame, PageBreak, Spacer, Table

from workbench.domain.values import PersonaView, TermView
from workbench.publish.pdf import fonts
from workbench.publish.pdf import text as tx
from workbench.publish.pdf.document import Anchor, TocRow
from workbench.publish.pdf.flowables import BottomAligned, Logo, grid, load_image
from workbench.publish.pdf.fonts import Span
from workbench.publish.pdf.styles import ACCENT, DO, DONT, DRAFT, MUTED, RULE, Stylesheet, color, table_style
from workbench.publish.pdf.text import HairLine


@dataclass(frozen=True)
class TocEntry:
    """A line in the contents: anchor key, title, optional second line, whether it is a persona."""

    key: str
    title: str
    sub: str
    persona: bool


#: Personas listed by name on the cover; the rest are counted.
COVER_PERSONAS = 8


def cover(sheet: Stylesheet, *, name: str, organization: str, logo: bytes | None,
          personas: Sequence[PersonaView], date_label: str, draft: bool,
          stats: Sequence[tuple[int, str]] = ()) -> list[Flowable]:
    """The cover's flowables: the band (logo, title, organisation), then the persona list and status."""
    s = sheet
    w = sheet.geometry.frame_width
    out: list[Flowable] = [Anchor("cover", "Cover", 0, running="")]
    image = load_image(logo)
    if image is not None:
        out.append(Logo(image, 46 * mm, 16 * mm))
    band: list[Flowable] = [tx.para(s, "PERSONA PLAYBOOK", "cover_kicker")]
    title = tx.short(name, 160) or "Untitled workbench"
    size = 32 if len(title) <= 44 else 25 if len(title) <= 90 else 19
    style_name = f"cover_title_{size}"
    if style_name not in s.styles:
        s.styles[style_name] = _sized(s["cover_title"], size)
    band.append(tx.para(s, title, style_name))
    if organization.strip():
        band.append(tx.para(s, tx.short(organization, 200), "cover_org"))
    if stats:
        band.append(Spacer(1, 22))
        figures = [[tx.para(s, f"{n:,}", "cover_stat"), tx.para(s, label.upper(), "cover_stat_label")]
                   for n, label in stats]
        t = Table([figures], colWidths=[w / 4] * len(figures), hAlign="LEFT")
        t.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                ("LINEABOVE", (0, 0), (-1, 0), 0.6, color("#3a4b57")),
                                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        band.append(t)
    out.append(BottomAligned(band))
    out.append(FrameBreak())
    lower: list[Flowable] = []

    lower.append(tx.para(s, "IN THIS PLAYBOOK", "cover_label"))
    shown = list(personas[:COVER_PERSONAS])
    cells: list[Any] = []
    for p in shown:
        cell: list[Flowable] = [tx.para(s, tx.short(p.name, 50), "cover_persona")]
        role = tx.short(" · ".join(x for x in (p.role, p.organization) if x.strip()), 80)
        if p.status != "approved":
            role = (role + "   " if role else "")
            cell.append(tx.para(s, [Span(role), Span("DRAFT", bold=True, color=DRAFT)], "cover_persona_role"))
        elif role:
            cell.append(tx.para(s, role, "cover_persona_role"))
        cells.append(cell)
    if not shown:
        lower.append(tx.para(s, "No approved personas yet.", "empty"))
    else:
        rows = [cells[i:i + 2] + ([""] if len(cells[i:i + 2]) == 1 else []) for i in range(0, len(cells), 2)]
        t = Table(rows, colWidths=[w / 2, w / 2], hAlign="LEFT")
        t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 14), ("TOPPADDING", (0, 0), (-1, -1), 5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                               ("LINEABOVE", (0, 0), (-1, -1), 0.5, color(RULE))]))
        lower.append(t)
        if len(personas) > COVER_PERSONAS:
            lower.append(Spacer(1, 4))
            lower.append(tx.para(s, f"… and {len(personas) - COVER_PERSONAS} more — see the contents.", "cover_meta"))
    badge_text, badge_colour = (("INCLUDES DRAFTS — NOT FOR DISTRIBUTION", DRAFT) if draft
                                else ("APPROVED CONTENT", DO))
    badge = Table([[tx.para(s, badge_text, "badge")]], hAlign="LEFT",
                  colWidths=[stringWidth(badge_text, fonts.SANS_BOLD, 8) + 18])
    badge.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), color(badge_colour)),
                                ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    note = ("Draft and in-review text is printed and marked DRAFT. Internal notes are never included."
            if draft else "Only approved messages are printed. Internal notes are never included.")
    # The cover is one page whatever the names: the persona list shrinks to fit if it must.
    room = sheet.geometry.height * 0.48 - sheet.geometry.bottom - 26 - 90
    out.append(KeepInFrame(w, room, lower, mode="shrink"))
    out.append(BottomAligned([HairLine(color(RULE), space=8), badge, Spacer(1, 8),
                              tx.para(s, f"Prepared {date_label}. {note}", "cover_meta")]))
    return out


def _sized(style: Any, size: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"cover_title_{size}", parent=style, fontSize=size, leading=size * 1.18)


def contents(sheet: Stylesheet, entries: Sequence[TocEntry]) -> list[Flowable]:
    """The contents page(s): every row clickable, page numbers filled in after layout."""
    s = sheet
    out: list[Flowable] = [PageBreak(), Anchor("contents", "Contents", 0, running="Contents"),
                           tx.para(s, "Contents", "page_title")]
    number = 0
    for e in entries:
        if e.persona:
            number += 1
            title = tx.para(s, [Span(f"{number:02d}   ", color=MUTED), Span(tx.short(e.title, 120))], "toc_persona")
        else:
            title = tx.para(s, tx.short(e.title, 120), "toc_section")
        sub = tx.para(s, tx.short(e.sub, 120), "toc_sub") if e.sub.strip() else None
        out.append(TocRow(e.key, title, sub, indent=0, number_size=10, number_colour=ACCENT))
    return out


def narrative(sheet: Stylesheet, text: str) -> list[Flowable]:
    """The brand narrative, as formatted markdown."""
    s = sheet
    return [PageBreak(), Anchor("narrative", "Brand narrative", 0, running="Brand narrative"),
            tx.para(s, "WHO WE ARE", "kicker"), tx.para(s, "Brand narrative", "page_title"),
            *tx.blocks(s, text, width=s.geometry.frame_width)]


def lingo(sheet: Stylesheet, terms: Sequence[TermView], persona_names: dict[str, str]) -> list[Flowable]:
    """Say this — not that, and definitions. Persona-scoped terms say whom they apply to."""
    s = sheet
    w = s.geometry.frame_width
    out: list[Flowable] = [PageBreak(), Anchor("lingo", "Lingo", 0, running="Lingo"),
                           tx.para(s, "HOW WE TALK", "kicker"), tx.para(s, "Lingo", "page_title")]

    def scope(t: TermView) -> str:
        if t.persona_id is None:
            return "Everyone"
        return tx.short(persona_names.get(t.persona_id, ""), 200) or "One persona"

    # One row per word to say: the terms it replaces and every reason, gathered together.
    rows_by_say: dict[tuple[str, str], dict[str, Any]] = {}
    for t in terms:
        if t.kind not in ("avoid", "prefer"):
            continue
        good = (t.replacement if t.kind == "avoid" else t.term).strip()
        key = (good.casefold(), scope(t))
        row = rows_by_say.setdefault(key, {"say": good, "not": [], "why": [], "for": scope(t)})
        if t.kind == "avoid":
            row["not"].append(t.term)
        if t.note.strip():
            row["why"].append(t.note)
    say = sorted(rows_by_say.values(), key=lambda r: (r["say"] or "~").casefold())
    defs = sorted((t for t in terms if t.kind == "define"), key=lambda t: t.term.casefold())
    if not say and not defs:
        out.append(tx.para(s, "No vocabulary has been recorded yet.", "empty"))
        return out
    limit = tx.CELL_CHARS
    if say:
        out.append(Anchor("lingo-say", "Say this — not that", 1))
        out.append(tx.para(s, "Say this — not that", "h2"))
        widths = [w * 0.22, w * 0.22, w * 0.38, w * 0.18]
        rows: list[list[Any]] = [[tx.para(s, h, "cell_head") for h in ("SAY", "NOT", "WHY", "FOR")]]
        for r in say:
            bad: list[Span] = []
            for k, term in enumerate(r["not"][:50]):
                bad += [Span(("\n" if k else "") + "✕  ", color=DONT), Span(tx.short(term, limit), strike=True, color=DONT)]
            good_cell = tx.para(s, [Span("✓  ", color=DO), Span(tx.short(r["say"], limit), bold=True)], "cell") \
                if r["say"] else tx.para(s, [Span("(rephrase)", color=MUTED)], "cell")
            why = [tx.para(s, tx.spans_from_runs(_inline(note)), "cell") for note in r["why"][:20]] \
                or [tx.para(s, "", "cell")]
            rows.append([good_cell, tx.para(s, bad or [Span("—", color=MUTED)], "cell"), why,
                         tx.para(s, [Span(r["for"], color=MUTED)], "cell")])
        out.append(grid(rows, widths))
    if defs:
        out.append(Anchor("lingo-define", "Definitions", 1))
        out.append(tx.para(s, "Definitions", "h2"))
        widths = [w * 0.26, w * 0.56, w * 0.18]
        rows = [[tx.para(s, h, "cell_head") for h in ("TERM", "MEANING", "FOR")]]
        for t in defs:
            rows.append([tx.para(s, tx.short(t.term, limit), "cell_bold"),
                         tx.para(s, tx.spans_from_runs(_inline(t.note or t.replacement)), "cell"),
                         tx.para(s, [Span(scope(t), color=MUTED)], "cell")])
        out.append(grid(rows, widths))
    return out


def _inline(text: str) -> tuple[Any, ...]:
    from workbench.domain import markup

    return markup.parse_inline(tx.short(text, tx.CELL_CHARS))

"""One persona's pages: portrait and at-a-glance card, story, lists, messaging, script, objections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from workbench.domain.values import ChannelView, MessageView, ObjectionView, PersonaView
from workbench.publish.pdf import text as tx
from workbench.publish.pdf.document import Anchor
from workbench.publish.pdf.flowables import Portrait, card, grid, load_image
from workbench.publish.pdf.fonts import Span
from workbench.publish.pdf.styles import (
    ACCENT,
    DO,
    DONT,
    DRAFT,
    INK_SOFT,
    MUTED,
    RULE,
    TINT,
    TINT_COOL,
    WARM,
    Stylesheet,
    color,
    table_style,
)
from workbench.schema.model import STAGES

SCRIPT_CHANNEL = "sales script"
#: A two-column layout (motivations | worries, do | don't) is used only below this many characters;
#: longer content is stacked so one column's text never has to split inside a table row.
TWO_COLUMN_CHARS = 4_000


@dataclass(frozen=True)
class PrintedMessage:
    """A message as it will be printed: which text, and how it is marked."""

    channel_name: str
    stage: str
    headline: str
    body: str
    call_to_action: str
    approved_by: str
    approved_at: str
    mark: str  # "" for approved text, else "DRAFT", "IN REVIEW" or "DRAFT REVISION"


def printable_messages(messages: Sequence[MessageView], include_drafts: bool,
                       channels: set[str] | None) -> list[PrintedMessage]:
    """The texts to print: approved text in force by default; with drafts, working text marked as such.

    Retired messages and internal notes never appear.
    """
    out: list[PrintedMessage] = []
    for m in messages:
        if m.status == "retired":
            continue
        if channels is not None and m.channel_name.casefold() not in channels:
            continue
        f = m.in_force
        if f is not None:
            out.append(PrintedMessage(m.channel_name, m.stage, f.headline, f.body, f.call_to_action,
                                      f.approved_by, f.approved_at, ""))
        if include_drafts and m.status != "approved":
            mark = {"in_review": "IN REVIEW"}.get(m.status, "DRAFT")
            if f is not None:
                mark = "DRAFT REVISION"
            out.append(PrintedMessage(m.channel_name, m.stage, m.headline, m.body, m.call_to_action,
                                      "", "", mark))
    return out


def nice_date(iso: str) -> str:
    """``2026-10-14T09:30:00+00:00`` → ``14 Oct 2026`` (the text itself if it is not a date)."""
    from datetime import datetime

    try:
        d = datetime.fromisoformat(iso.strip())
    except ValueError:
        return iso.strip()[:40]
    return f"{d.day} {d.strftime('%b')} {d.year}"


class PersonaPages:
    """Builds the flowables for one persona; ``number`` is its position in the playbook (1-based)."""

    def __init__(self, sheet: Stylesheet, channels: Sequence[ChannelView], include_drafts: bool,
                 channel_filter: set[str] | None) -> None:
        self.sheet = sheet
        self.width = sheet.geometry.frame_width
        self.channel_order = {c.name.casefold(): c.position for c in channels}
        self.include_drafts = include_drafts
        self.channel_filter = channel_filter

    def build(self, p: PersonaView, number: int, key: str, portrait: bytes | None,
              messages: Sequence[MessageView], objections: Sequence[ObjectionView]) -> list[Flowable]:
        """All flowables for the persona, starting on a new page."""
        s = self.sheet
        out: list[Flowable] = [PageBreak(), Anchor(key, tx.short(p.name, 200) or "Untitled persona", 0,
                                                   running=tx.short(p.name, 160))]
        out.extend(self._identity(p, number, portrait))
        out.extend(self._glance(p))
        if p.voice.strip():
            voice = tx.blocks(s, p.voice, width=self.width - 16, body="quote", limit=tx.CELL_CHARS)
            out.append(Spacer(1, 12))
            out.append(card([[tx.para(s, "HOW TO SOUND", "label")], *[[f] for f in voice]], [self.width],
                            background="#ffffff", bar=ACCENT, padding=14,
                            extra=[("TOPPADDING", (0, 0), (-1, 0), 2)]))
        sections: list[tuple[str, str, list[Flowable]]] = []
        if p.story.strip():
            sections.append(("story", "Their story", tx.blocks(s, p.story, width=self.width)))
        lists = self._two_lists(("Motivations", p.motivations, "•", ACCENT), ("Worries", p.worries, "•", WARM))
        if p.goals:
            lists.extend(self._stack("Goals", p.goals, "•", ACCENT))
        if lists:
            sections.append(("drives", "What drives them", lists))
        dos = self._two_lists(("Do", p.do, "✓", DO), ("Don’t", p.dont, "✕", DONT))
        if dos:
            sections.append(("do", "Do and don’t", dos))
        if p.mql.strip() or p.sql.strip():
            sections.append(("leads", "Lead qualification", self._qualification(p)))
        sections.append(("messages", "Messaging", self._messages(messages)))
        if objections:
            sections.append(("objections", "Objection handling", self._objections(objections)))
        for sub, title, body in sections:
            out.append(Anchor(f"{key}-{sub}", title, 1))
            out.append(tx.para(s, title, "h2"))
            out.extend(body)
        return out

    # --- identity and the at-a-glance card -------------------------------------------------------

    def _identity(self, p: PersonaView, number: int, portrait: bytes | None) -> list[Flowable]:
        s = self.sheet
        size = 34 * mm
        kicker = [Span(f"PERSONA {number:02d}")]
        if p.status != "approved":
            kicker.append(Span("   DRAFT", color=DRAFT))
        right: list[Flowable] = [tx.para(s, kicker, "kicker"), tx.para(s, tx.short(p.name, 120), "h1")]
        role_org = " · ".join(x for x in (tx.short(p.role, 300), tx.short(p.organization, 300)) if x.strip())
        if role_org:
            right.append(tx.para(s, role_org, "subtitle"))
        if p.tags:
            chips = "   ".join(f"#{tx.short(t, 60)}" for t in p.tags[:30])
            right.append(Spacer(1, 3))
            right.append(tx.para(s, [Span(chips, color=ACCENT)], "meta"))
        t = Table([[Portrait(load_image(portrait), p.name, size), right]],
                  colWidths=[size + 14, self.width - size - 14], hAlign="LEFT", splitInRow=1)
        t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [t, Spacer(1, 14)]

    def _glance(self, p: PersonaView) -> list[Flowable]:
        s = self.sheet
        limit = 300  # "at a glance": long values are cut; the full text is elsewhere or in the app

        def value(v: str | Sequence[str]) -> Flowable:
            if isinstance(v, str):
                return tx.para(s, tx.short(v, limit) or "—", "card_value")
            items = [tx.short(x, limit) for x in v[:40]] or ["—"]
            return tx.para(s, tx.short(", ".join(items), 2 * limit), "card_value")

        comfort: Flowable
        if p.technology_comfort is None:
            comfort = tx.para(s, "—", "card_value")
        else:
            level = max(0, min(5, int(p.technology_comfort)))
            comfort = tx.para(s, [Span("●" * level, color=ACCENT), Span("●" * (5 - level), color=RULE),
                                  Span(f"  {level} of 5", color=INK_SOFT)], "card_value")
        pairs: list[tuple[str, Flowable]] = [
            ("ROLE", value(p.role)), ("ORGANISATION", value(p.organization)),
            ("INDUSTRY", value(p.industry)), ("LOCATION", value(p.location)),
            ("REACH THEM THROUGH", value(p.preferred_channels)), ("AVOID", value(p.avoid_channels)),
            ("TECHNOLOGY COMFORT", comfort), ("OWNER", value(p.owner)),
        ]
        w = self.width
        label_w, value_w = 30 * mm, w / 2 - 30 * mm
        rows = [[tx.para(s, pairs[i][0], "label_muted"), pairs[i][1],
                 tx.para(s, pairs[i + 1][0], "label_muted"), pairs[i + 1][1]] for i in range(0, len(pairs), 2)]
        spans: list[tuple[Any, ...]] = []
        if p.gatekeepers:
            gk = [tx.para(s, tx.short(g, 3 * limit), "card_value", bullet="•", indent=10) for g in p.gatekeepers[:40]]
            rows.append([tx.para(s, "GATEKEEPERS", "label_muted"), gk, "", ""])
            spans.append(("SPAN", (1, len(rows)), (3, len(rows))))  # +1: the heading row comes first
        head = [tx.para(s, "AT A GLANCE", "label"), "", "", ""]
        spans.append(("SPAN", (0, 0), (3, 0)))
        return [card([head, *rows], [label_w, value_w, label_w, value_w], padding=9,
                     extra=[*spans, ("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
                            ("LINEBELOW", (0, 1), (-1, -2), 0.4, color("#e6e0d4"))])]

    # --- lists -----------------------------------------------------------------------------------

    def _items(self, items: Sequence[str], marker: str, colour: str) -> list[Flowable]:
        s = self.sheet
        out: list[Flowable] = []
        for item in items[:200]:
            st = "do"
            spans = tx.spans_from_runs(_inline(item))
            out.append(tx.para(s, spans or [Span(" ")], st, bullet=marker, indent=13, bullet_colour=colour))
        return out

    def _stack(self, title: str, items: Sequence[str], marker: str, colour: str) -> list[Flowable]:
        if not items:
            return []
        return [tx.para(self.sheet, title.upper(), "label"), *self._items(items, marker, colour), Spacer(1, 6)]

    def _two_lists(self, left: tuple[str, Sequence[str], str, str],
                   right: tuple[str, Sequence[str], str, str]) -> list[Flowable]:
        if not left[1] and not right[1]:
            return []
        size = sum(len(x) for x in (*left[1], *right[1]))
        if size > TWO_COLUMN_CHARS or not left[1] or not right[1]:
            return [*self._stack(*left), *self._stack(*right)]
        half = (self.width - 16) / 2
        cells = [[tx.para(self.sheet, left[0].upper(), "label"), *self._items(left[1], left[2], left[3])],
                 [tx.para(self.sheet, right[0].upper(), "label"), *self._items(right[1], right[2], right[3])]]
        t = Table([cells], colWidths=[half + 8, half + 8], hAlign="LEFT", splitInRow=1)
        t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, -1), 16),
                               ("RIGHTPADDING", (1, 0), (1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [t, Spacer(1, 4)]

    def _qualification(self, p: PersonaView) -> list[Flowable]:
        s = self.sheet
        half = (self.width - 12) / 2
        inner = half - 20

        def panel(label: str, sub: str, text: str) -> list[Flowable]:
            body = tx.blocks(s, text, width=inner, limit=tx.CELL_CHARS) if text.strip() else [tx.para(s, "—", "body")]
            return [tx.para(s, [Span(label, color=ACCENT), Span(f"  {sub}", color=MUTED)], "label"), *body]

        t = Table([[panel("MQL", "marketing-qualified when", p.mql), "",
                    panel("SQL", "sales-qualified when", p.sql)]],
                  colWidths=[half, 12, half], hAlign="LEFT", splitInRow=1)
        t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (0, 0), color(TINT_COOL)),
                               ("BACKGROUND", (2, 0), (2, 0), color(TINT_COOL)),
                               ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                               ("LEFTPADDING", (1, 0), (1, 0), 0), ("RIGHTPADDING", (1, 0), (1, 0), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                               ("LINEABOVE", (0, 0), (0, 0), 2, color(ACCENT)),
                               ("LINEABOVE", (2, 0), (2, 0), 2, color(ACCENT))]))
        return [t]

    # --- messaging -------------------------------------------------------------------------------

    def _messages(self, messages: Sequence[MessageView]) -> list[Flowable]:
        s = self.sheet
        printed = printable_messages(messages, self.include_drafts, self.channel_filter)
        if not printed:
            what = "messages" if self.include_drafts else "approved messages"
            return [tx.para(s, f"No {what} for this persona yet.", "empty")]
        order = {st: i for i, st in enumerate(STAGES)}
        printed.sort(key=lambda m: (order.get(m.stage, 99), self.channel_order.get(m.channel_name.casefold(), 99)))
        out: list[Flowable] = []
        stage = None
        for m in printed:
            if m.stage != stage:
                stage = m.stage
                out.append(tx.para(s, f"{stage.upper()} STAGE", "stage"))
            out.append(self._message(m))
            out.append(Spacer(1, 10))
        return out

    def _message(self, m: PrintedMessage) -> Flowable:
        s = self.sheet
        script = m.channel_name.casefold() == SCRIPT_CHANNEL
        label = [Span(tx.short(m.channel_name, 80).upper(), color=WARM if script else ACCENT)]
        if script:
            label.append(Span("  ·  READ ALOUD", color=MUTED))
        if m.mark:
            label.append(Span(f"   {m.mark}", color=DRAFT))
        inner = self.width - 2 * (18 if script else 12)
        rows: list[Flowable] = [tx.para(s, label, "label")]
        if m.headline.strip():
            rows.append(tx.inline(s, m.headline, "script_headline" if script else "headline"))
        body_style, list_style = ("script", "script_list") if script else ("body", "list")
        rows.extend(tx.blocks(s, m.body, width=inner, body=body_style, list_style=list_style))
        if m.call_to_action.strip():
            rows.append(tx.para(s, [Span("→  "), *tx.spans_from_runs(_inline(m.call_to_action))],
                                "script_cta" if script else "cta"))
        if m.approved_by or m.approved_at:
            who = tx.short(m.approved_by, 200) or "unknown"
            when = nice_date(m.approved_at)
            rows.append(Spacer(1, 4))
            rows.append(tx.para(s, f"Approved by {who}" + (f" · {when}" if when else ""), "meta"))
        background = "#fbf6f1" if script else TINT
        if m.mark:
            background = "#fbf3f2"
        return card([[r] for r in rows], [self.width], background=background,
                    bar=DRAFT if m.mark else (WARM if script else ACCENT), padding=18 if script else 12,
                    extra=[("TOPPADDING", (0, 0), (-1, 0), 16 if script else 11)])

    def _objections(self, objections: Sequence[ObjectionView]) -> list[Flowable]:
        s = self.sheet
        w = self.width
        widths = [w * 0.36, w * 0.49, w * 0.15]
        rows: list[list[Any]] = [[tx.para(s, "WHEN THEY SAY", "cell_head"), tx.para(s, "WE ANSWER", "cell_head"),
                                  tx.para(s, "HEARD", "cell_head")]]
        for o in objections:
            heard = f"{o.heard_count}×" if o.heard_count else "—"
            detail = [tx.para(s, heard, "cell_bold")]
            if o.last_heard:
                detail.append(tx.para(s, nice_date(o.last_heard), "meta"))
            if o.heard_by:
                detail.append(tx.para(s, tx.short(o.heard_by, 200), "meta"))
            response = tx.blocks(s, o.response, width=widths[1] - 14, body="cell", limit=tx.CELL_CHARS) \
                if o.response.strip() else [tx.para(s, "—", "cell")]
            rows.append([tx.para(s, [Span("“" + tx.short(o.objection, tx.CELL_CHARS) + "”")], "cell_bold"),
                         response, detail])
        return [grid(rows, widths)]


def _inline(text: str) -> tuple[Any, ...]:
    from workbench.domain import markup

    return markup.parse_inline(tx.short(text, tx.CELL_CHARS))

"""One persona's pages: portrait and at-a-glance card, story, lists, messaging, script, objections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from workbench.publish.contents import PersonaSection, PrintedMessage, PrintedObjection, Section
from workbench.publish.pdf import text as tx
from workbench.publish.pdf.breaking import Card, keep_with_previous
from workbench.publish.pdf.document import Anchor, Anchored, SectionStart
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

#: A two-column layout (motivations | worries, do | don't) is used only below this many characters;
#: longer content is stacked so one column's text never has to split inside a table row.
TWO_COLUMN_CHARS = 4_000
#: Message cards up to this share of the page's text height are never split across pages; a script is
#: read aloud on a call, so it is kept whole up to a larger share.
KEEP_WHOLE_SHARE = 0.4
KEEP_WHOLE_SCRIPT_SHARE = 0.6
#: A persona begins on the current page (not a new one) when at least this share of it is free.
PERSONA_SHARES_PAGE = 0.7


class PersonaPages:
    """Lays out one persona's section of the content model."""

    def __init__(self, sheet: Stylesheet) -> None:
        self.sheet = sheet
        self.width = sheet.geometry.frame_width

    def build(self, section: PersonaSection, portrait: bytes | None) -> list[Flowable]:
        """All flowables for the persona, starting on a new page."""
        s = self.sheet
        p = section.persona
        # A persona starts a new page, unless the page so far holds little (a short narrative, or the
        # last rows of the previous persona): then it starts below them, so no page is left near-empty.
        start = SectionStart(PERSONA_SHARES_PAGE * s.geometry.frame_height)
        out: list[Flowable] = [start, Anchor(section.key, tx.short(section.title, 200), 0,
                                             running=tx.short(section.title, 160))]
        out.extend(self._identity(section, portrait))
        out.extend(self._glance(section))
        if p.voice.strip():
            voice = tx.blocks(s, p.voice, width=self.width - 16, body="quote", limit=tx.CELL_CHARS)
            out.append(Spacer(1, 12))
            out.append(card([[tx.para(s, "HOW TO SOUND", "label")], *[[f] for f in voice]], [self.width],
                            background="#ffffff", bar=ACCENT, padding=14,
                            extra=[("TOPPADDING", (0, 0), (-1, 0), 2)]))
        for sub in section.sections:
            out.append(Anchored(tx.para(s, sub.title, "h2"), sub.key, sub.title, 1))
            out.extend(self._body(section, sub))
        return out

    def _body(self, section: PersonaSection, sub: Section) -> list[Flowable]:
        p = section.persona
        if sub.kind == "story":
            return tx.blocks(self.sheet, p.story, width=self.width)
        if sub.kind == "drives":
            return [*self._two_lists(("Motivations", p.motivations, "•", ACCENT), ("Worries", p.worries, "•", WARM)),
                    *self._stack("Goals", p.goals, "•", ACCENT)]
        if sub.kind == "do":
            return self._two_lists(("Do", p.do, "✓", DO), ("Don’t", p.dont, "✕", DONT))
        if sub.kind == "leads":
            return self._qualification(p.mql, p.sql)
        if sub.kind == "messages":
            return self._messages(section)
        return self._objections(section.objections)

    # --- identity and the at-a-glance card -------------------------------------------------------

    def _identity(self, section: PersonaSection, portrait: bytes | None) -> list[Flowable]:
        s = self.sheet
        p = section.persona
        size = 34 * mm
        kicker = [Span(section.kicker)]
        if section.draft:
            kicker.append(Span("   DRAFT", color=DRAFT))
        right: list[Flowable] = [tx.para(s, kicker, "kicker"), tx.para(s, tx.short(section.title, 120), "h1")]
        role_org = " · ".join(x for x in (tx.short(p.role, 300), tx.short(p.organization, 300)) if x.strip())
        if role_org:
            right.append(tx.para(s, role_org, "subtitle"))
        if p.tags:
            chips = "   ".join(f"#{tx.short(t, 60)}" for t in p.tags[:30])
            right.append(Spacer(1, 3))
            right.append(tx.para(s, [Span(chips, color=ACCENT)], "meta"))
        initials = tx.para(s, section.initials, "initials")
        t = Table([[Portrait(load_image(portrait), initials, size), right]],
                  colWidths=[size + 14, self.width - size - 14], hAlign="LEFT", splitInRow=1)
        t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [t, Spacer(1, 14)]

    def _glance(self, section: PersonaSection) -> list[Flowable]:
        s = self.sheet
        p = section.persona
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
            gk = [tx.para(s, tx.short(g, 3 * limit), "card_value", bullet="•", left=10, bullet_colour=WARM)
                  for g in p.gatekeepers[:40]]
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
            spans = tx.spans_from_runs(_inline(item))
            out.append(tx.para(s, spans or [Span(" ")], "do", bullet=marker, left=13, bullet_colour=colour))
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

    def _qualification(self, mql: str, sql: str) -> list[Flowable]:
        s = self.sheet
        half = (self.width - 12) / 2
        inner = half - 20

        def panel(label: str, sub: str, text: str) -> list[Flowable]:
            body = tx.blocks(s, text, width=inner, limit=tx.CELL_CHARS) if text.strip() else [tx.para(s, "—", "body")]
            return [tx.para(s, [Span(label, color=ACCENT), Span(f"  {sub}", color=MUTED)], "label"), *body]

        t = Table([[panel("MQL", "marketing-qualified when", mql), "", panel("SQL", "sales-qualified when", sql)]],
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

    def _messages(self, section: PersonaSection) -> list[Flowable]:
        s = self.sheet
        out: list[Flowable] = []
        if section.left_out_note:
            out.append(tx.para(s, section.left_out_note, "empty"))
        if not section.stages:
            return out if section.left_out_note else [tx.para(s, section.no_messages, "empty")]
        for group in section.stages:
            out.append(tx.para(s, group.title, "stage"))
            for m in group.messages:
                out.append(self._message(m))
                out.append(Spacer(1, 10))
        return out

    def _label(self, m: PrintedMessage, continued: bool = False) -> list[Span]:
        label = [Span(tx.short(m.channel_name, 80).upper(), color=WARM if m.script else ACCENT)]
        if continued:
            label.append(Span("  ·  CONTINUED", color=MUTED))
        elif m.script:
            label.append(Span("  ·  READ ALOUD", color=MUTED))
        if m.mark:
            label.append(Span(f"   {m.mark}", color=DRAFT))
        return label

    def _message(self, m: PrintedMessage) -> Flowable:
        s = self.sheet
        script = m.script
        pad = 18 if script else 12
        inner = self.width - 2 * pad
        rows: list[Flowable] = [tx.para(s, self._label(m), "label")]
        if m.headline.strip():
            rows.append(tx.inline(s, m.headline, "script_headline" if script else "headline"))
        body_style, list_style = ("script", "script_list") if script else ("body", "list")
        rows.extend(tx.blocks(s, m.body, width=inner, body=body_style, list_style=list_style))
        if m.call_to_action.strip():
            rows.append(keep_with_previous(tx.para(s, [Span("→  "), *tx.spans_from_runs(_inline(m.call_to_action))],
                                                   "script_cta" if script else "cta")))
        if m.approval:
            rows.append(keep_with_previous(tx.para(s, tx.short(m.approval, 300), "approval")))
        background = "#fbf3f2" if m.mark else "#fbf6f1" if script else TINT
        g = s.geometry
        return Card(rows, background=background, bar=DRAFT if m.mark else (WARM if script else ACCENT),
                    padding=pad, top=16 if script else 11, page_height=g.frame_height,
                    keep_whole=(KEEP_WHOLE_SCRIPT_SHARE if script else KEEP_WHOLE_SHARE) * g.frame_height,
                    continued=lambda: tx.para(s, self._label(m, continued=True), "label"))

    def _objections(self, objections: Sequence[PrintedObjection]) -> list[Flowable]:
        s = self.sheet
        w = self.width
        widths = [w * 0.36, w * 0.49, w * 0.15]
        rows: list[list[Any]] = [[tx.para(s, "WHEN THEY SAY", "cell_head"), tx.para(s, "WE ANSWER", "cell_head"),
                                  tx.para(s, "HEARD", "cell_head")]]
        for o in objections:
            detail = [tx.para(s, o.heard or "—", "cell_bold")]
            if o.last_heard:
                detail.append(tx.para(s, o.last_heard, "meta"))
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

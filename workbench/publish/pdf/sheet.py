"""The one-page persona sheet: each persona on exactly one page, shortened with "…" to fit, never more.

A sheet is drawn straight onto the canvas in boxes (no flowing document), so it cannot run onto a
second page: the header (portrait, identity, at a glance) takes what it needs up to a cap, the
sections below share the rest (:func:`~workbench.publish.pdf.fit.share`), and each box shortens its
text to its height (:class:`~workbench.publish.pdf.fit.Fitter`). What was shortened is listed per
persona in the export's summary. What a sheet shows is chosen in :mod:`workbench.publish.sheet`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from workbench.domain import errors, markup
from workbench.publish import files
from workbench.publish.contents import Playbook
from workbench.publish.options import PlaybookOptions
from workbench.publish.pdf import fonts, styles
from workbench.publish.pdf import text as tx
from workbench.publish.pdf.fit import Fitter, cut, share
from workbench.publish.pdf.flowables import Portrait, load_image
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
    WARM,
    Stylesheet,
    color,
)
from workbench.publish.sheet import STORY_CHARS, SheetPersona, first_lines, sheet_persona
from workbench.publish.summary import ExportSummary, summarise

if TYPE_CHECKING:
    from workbench.session import Workbench

PORTRAIT = 30 * mm
#: Portraits are embedded at about 300 dpi for their printed size.
PORTRAIT_PIXELS = 360
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 13 * mm, 17 * mm
#: Between sections, between columns, below a section's label.
GAP, COLUMN_GAP, LABEL_GAP = 10.0, 16.0, 2.5
#: The header never takes more than this (its fields are cut to a few lines each).
HEADER_MAX = 150.0
#: Text considered per field before fitting (a sheet is a glance; the rest is in the playbook).
FIELD_CHARS, ITEM_CHARS, MAX_ITEMS = 900, 360, 12
#: A headline on a sheet is at most about two lines.
HEADLINE_CHARS = 150
BIG = 1e6


@dataclass
class _Box:
    """Flowables placed in a box — ``(flowable, x, distance from the box's top, height)`` — and its height."""

    height: float = 0.0
    placed: list[tuple[Flowable, float, float, float]] = field(default_factory=list)

    def add(self, f: Flowable, x: float, top: float, h: float) -> None:
        """Place ``f`` (already wrapped, ``h`` tall) at ``x``, ``top`` below the box's top."""
        self.placed.append((f, x, top, h))
        self.height = max(self.height, top + h)

    def draw(self, canv: Canvas, x: float, y_top: float) -> None:
        """Draw everything, the box's top at ``y_top``."""
        for f, dx, top, h in self.placed:
            f.drawOn(canv, x + dx, y_top - top - h)


@dataclass(frozen=True)
class _Text:
    """A paragraph in a column."""

    field: str
    spans: list[Span]
    style: str


@dataclass(frozen=True)
class _Items:
    """A bulleted list in a column (``total``: how many items the persona has, shown or not)."""

    field: str
    entries: list[list[Span]]
    bullet: str
    colour: str
    total: int = 0


Part = _Text | _Items


def _capped(fit: Fitter, field_name: str, spans: list[Span], limit: int) -> list[Span]:
    """Spans cut to ``limit`` characters with "…" (noted as shortened) — the first, cheap cut."""
    if sum(len(sp.text) for sp in spans) <= limit:
        return spans
    fit.note(field_name)
    return cut(spans, limit)


def _plain(text: str, limit: int = FIELD_CHARS) -> list[Span]:
    one_line = " ".join(fonts.clean(text[: 4 * limit]).split())
    return [Span(one_line[:limit])] if one_line else []


def _runs(runs: Sequence[markup.Run]) -> list[Span]:
    return tx.spans_from_runs(runs)


#: Which cut section gets spare room first: what a rep needs most on a call.
_SLACK_ORDER = ("headlines", "objections", "do", "drives", "voice", "story")


class SheetPage:
    """Lays out one persona's sheet on a page of the given stylesheet."""

    def __init__(self, sheet: Stylesheet) -> None:
        self.sheet = sheet
        g = sheet.geometry
        self.width = g.width - 2 * MARGIN_X
        self.top = g.height - MARGIN_TOP
        self.bottom = MARGIN_BOTTOM

    # --- the page ------------------------------------------------------------------------------

    def draw(self, canv: Canvas, sp: SheetPersona, portrait: bytes | None) -> dict[str, str]:
        """Draw the sheet; returns the fields that were shortened (field → detail)."""
        fit = Fitter(self.sheet)
        header = self._header(fit, sp, portrait)
        sections = self._sections(fit, sp)
        label_h = float(self.sheet["sheet_label"].leading) + LABEL_GAP
        probe = fit.probe()
        naturals = [make(probe, BIG) for _, make in sections]
        wanted = [b.height for b in naturals]
        # What each section keeps however full the page: three lines of story, two of each list, two
        # lines per objection, and every headline (one line each: what a rep needs most on a call).
        s = self.sheet
        cell = float(s["sheet_cell"].leading)
        floor = {"story": 3 * float(s["sheet_body"].leading), "objections": len(sp.objections) * (2 * cell + 7) + 3,
                 "headlines": BIG}
        least = [min(b.height, label_h + floor.get(name, 2 * float(s["sheet_item"].leading)))
                 for (name, _), b in zip(sections, naturals, strict=True)]
        room = self.top - header.height - 12 - self.bottom - GAP * max(len(sections) - 1, 0)
        heights = share(wanted, least, room)
        fitted = [self._fit(make, natural, h) for (_, make), natural, h in zip(sections, naturals, heights, strict=True)]
        # Cut text fills fewer lines than it was given: what is left over goes to the cut sections, one
        # at a time in the order a rep needs them, each re-fitted in its height plus the slack.
        order = sorted(range(len(sections)), key=lambda k: _SLACK_ORDER.index(sections[k][0]))
        for k in order:
            slack = room - sum(b.height for b, _ in fitted)
            box, notes = fitted[k]
            if slack < 6:
                break
            if not notes.shortened or box.height >= naturals[k].height:
                continue
            tried = self._fit(sections[k][1], naturals[k], box.height + slack)
            if tried[0].height <= box.height + slack + 0.01:
                fitted[k] = tried
        boxes = [b for b, _ in fitted]
        # Every box keeps to its height, so this holds; should it ever not, whole sections are dropped
        # from the end (and reported) rather than let a sheet run into its footer.
        while sum(b.height for b in boxes) > room + 0.01:
            k = max(i for i, b in enumerate(boxes) if b.height)
            boxes[k] = _Box()
            fit.note(sections[k][0])
        for _, notes in fitted:
            for name, detail in notes.shortened.items():
                fit.note(name, detail)
        header.draw(canv, MARGIN_X, self.top)
        y = self.top - header.height - 6
        canv.setStrokeColor(color(RULE))
        canv.setLineWidth(0.8)
        canv.line(MARGIN_X, y, MARGIN_X + self.width, y)
        y -= 6
        for box in boxes:
            box.draw(canv, MARGIN_X, y)
            y -= box.height + GAP
        return fit.shortened

    def _fit(self, make: Callable[[Fitter, float], _Box], natural: _Box, height: float) -> tuple[_Box, Fitter]:
        """A section in ``height`` (its natural box when that fits); the fitter records what was cut."""
        fit = Fitter(self.sheet)
        return (natural if natural.height <= height + 0.01 else make(fit, height)), fit

    # --- header: portrait, identity, at a glance -------------------------------------------------

    def _header(self, fit: Fitter, sp: SheetPersona, portrait: bytes | None) -> _Box:
        s = self.sheet
        section = sp.section
        p = section.persona
        box = _Box()
        initials = tx.para(s, section.initials, "sheet_initials")
        tile = Portrait(load_image(portrait, PORTRAIT_PIXELS), initials, PORTRAIT)
        tile.wrap(PORTRAIT, PORTRAIT)
        box.add(tile, 0, 0, PORTRAIT)
        x = PORTRAIT + 12
        ident_w = (self.width - x) * 0.5 - 8
        glance_x = x + ident_w + 16
        glance_w = self.width - glance_x

        top = 0.0
        kicker = [Span(section.kicker + "  ·  ONE-PAGE SHEET")]
        if section.draft:
            kicker.append(Span("   DRAFT", color=DRAFT))
        for spans, style, lines, name in (
                (kicker, "sheet_kicker", 1, "kicker"),
                (_plain(section.title, 300), "sheet_name", 2, "name"),
                (_plain(section.subtitle, 400), "sheet_sub", 2, "role and organisation"),
                (_plain(" · ".join(v.strip() for v in (p.location, p.industry) if v.strip()), 300), "sheet_meta", 2,
                 "location and industry"),
                (_plain("   ".join(f"#{t}" for t in p.tags[:20]), 400), "sheet_meta", 2, "tags")):
            if not spans:
                continue
            if style == "sheet_meta" and name == "tags":
                spans = [Span(spans[0].text, color=ACCENT)]
            para, h = fit.text(spans, style, ident_w, lines * float(s[style].leading), name)
            if para is not None:
                box.add(para, x, top, h)
                top += h + (2 if style != "sheet_kicker" else 1)

        rows: list[tuple[str, list[Span], int, str]] = [
            ("REACH THROUGH", _plain(", ".join(p.preferred_channels[:30]), 400), 2, "channels to reach them"),
            ("AVOID", _plain(", ".join(p.avoid_channels[:30]), 400), 2, "channels to avoid"),
            ("TECH COMFORT", self._comfort(p.technology_comfort), 1, "technology comfort"),
            ("GATEKEEPERS", _plain("; ".join(p.gatekeepers[:20]), 600), 4, "gatekeepers"),
            ("OWNER", _plain(p.owner, 200), 1, "owner"),
        ]
        key_w = 70.0
        gy = 7.0
        glance = _Box()
        for key, value, lines, name in rows:
            if not value:
                continue
            para, h = fit.text(value, "sheet_value", glance_w - key_w - 14, lines * float(s["sheet_value"].leading),
                               name)
            if para is None:
                continue
            glance.add(_Label(key, s["sheet_key"]), 8, gy, float(s["sheet_key"].leading))
            glance.add(para, 8 + key_w, gy, h)
            gy += h + 3
        if glance.placed:
            glance.height += 4
            box.add(_Panel(glance, glance_w), glance_x, 0, glance.height)
        box.height = min(max(box.height, PORTRAIT), HEADER_MAX)
        return box

    def _comfort(self, level: int | None) -> list[Span]:
        if level is None:
            return []
        n = max(0, min(5, int(level)))
        return [Span("●" * n, color=ACCENT), Span("●" * (5 - n), color=RULE), Span(f"  {n} of 5", color=INK_SOFT)]

    # --- the sections below ----------------------------------------------------------------------

    def _sections(self, fit: Fitter, sp: SheetPersona) -> list[tuple[str, Callable[[Fitter, float], _Box]]]:
        """The sections below the header, each a function laying it out in a given height."""
        p = sp.section.persona
        half = (self.width - COLUMN_GAP) / 2
        out: list[tuple[str, Callable[[Fitter, float], _Box]]] = []

        def items(field_name: str, values: Sequence[str], bullet: str, colour: str) -> _Items:
            kept = [v for v in values if v.strip()]
            if len(kept) > MAX_ITEMS:
                fit.note(field_name, f"{MAX_ITEMS} of {len(kept)} shown")
            entries = [_capped(fit, field_name, _runs(markup.parse_inline(" ".join(v[: 4 * ITEM_CHARS].split()))),
                               ITEM_CHARS) for v in kept[:MAX_ITEMS]]
            return _Items(field_name, entries, bullet, colour, len(kept))

        def text(field_name: str, value: str) -> list[Span]:
            return _capped(fit, field_name, _runs(first_lines(value, FIELD_CHARS)), FIELD_CHARS)

        if sp.story:
            # A sheet shows the story's first lines by design: that excerpt ends in "…" but is not
            # reported as shortened; cutting it further to fit the page is.
            excerpt = _runs(sp.story)
            if sum(len(x.text) for x in excerpt) > STORY_CHARS:
                excerpt = cut(excerpt, STORY_CHARS)
            story: list[Part] = [_Text("story", excerpt, "sheet_body")]
            out.append(("story", lambda f, h: self._column(f, "THEIR STORY", h, self.width, story)))
        if p.motivations or p.worries:
            drives: list[tuple[str, list[Part]]] = [
                ("MOTIVATIONS", [items("motivations", p.motivations, "•", ACCENT)]),
                ("WORRIES", [items("worries", p.worries, "•", WARM)])]
            out.append(("drives", lambda f, h: self._columns(f, h, half, drives)))
        if p.do or p.dont:
            dos: list[tuple[str, list[Part]]] = [
                ("DO", [items("do", p.do, "✓", DO)]),
                ("DON’T", [items("don’t", p.dont, "✕", DONT)])]
            out.append(("do", lambda f, h: self._columns(f, h, half, dos)))
        if p.voice.strip() or p.mql.strip() or p.sql.strip():
            leads: list[Part] = [_Text(key, [Span(key + "  ", bold=True, color=ACCENT), *text(key, value)],
                                       "sheet_item") for key, value in (("MQL", p.mql), ("SQL", p.sql)) if value.strip()]
            voice: list[Part] = [_Text("how to sound", text("how to sound", p.voice), "sheet_quote")] \
                if p.voice.strip() else []
            sound: list[tuple[str, list[Part]]] = [("HOW TO SOUND", voice), ("LEAD QUALIFICATION", leads)]
            out.append(("voice", lambda f, h: self._columns(f, h, half, sound)))
        if sp.objections:
            said = [([Span("“" + " ".join(o.objection[: 4 * ITEM_CHARS].split())[:ITEM_CHARS] + "”")],
                     f"heard {o.heard}" if o.heard else "", text("objection answers", o.response), "objection answers")
                    for o in sp.objections]
            out.append(("objections", lambda f, h: self._rows(f, "TOP OBJECTIONS — WHEN THEY SAY · WE ANSWER", h,
                                                           said, 0.38)))
        if sp.headlines:
            lines = [([Span(" ".join(c.channel.split())[:80].upper(), color=WARM if c.script else ACCENT)],
                      c.stage + (f" · {c.mark}" if c.mark else ""),
                      _capped(fit, "headlines", [Span(r.text, bold=True, italic=r.italic, code=r.code, href=r.href)
                                                 for r in _runs(c.headline)], HEADLINE_CHARS), "headlines")
                     for c in sp.headlines]
            out.append(("headlines", lambda f, h: self._rows(f, "HEADLINE PER CHANNEL", h, lines, 0.24)))
        return out

    def _label(self, text: str, width: float) -> tuple[Flowable, float]:
        style = self.sheet["sheet_label"]
        return _Label(text, style), float(style.leading) + LABEL_GAP

    def _column(self, fit: Fitter, title: str, height: float, width: float, parts: Sequence[Part],
                x: float = 0.0) -> _Box:
        """A labelled column of paragraphs and lists sharing ``height``."""
        box = _Box()
        if not parts:
            return box
        label, label_h = self._label(title, width)
        box.add(label, x, 0, label_h - LABEL_GAP)
        room = height - label_h
        sizes = [self._natural(fit, part, width) for part in parts]
        heights = share(sizes, [min(s, 12.0) for s in sizes], room - 3 * (len(parts) - 1))
        top = label_h
        for part, h in zip(parts, heights, strict=True):
            used = self._place(fit, box, part, width, h, x, top)
            top += used + 3
        return box

    def _natural(self, fit: Fitter, part: Part, width: float) -> float:
        return self._place(fit.probe(), _Box(), part, width, BIG, 0, 0)

    def _place(self, fit: Fitter, box: _Box, part: Part, width: float, height: float, x: float, top: float) -> float:
        if isinstance(part, _Items):
            placed, used = fit.items(part.entries, "sheet_item", width, height, part.field, bullet=part.bullet,
                                     colour=part.colour, count=part.total)
            y = top
            for para, h in placed:
                box.add(para, x, y, h)
                y += h + 2
            return used
        para, h = fit.text(part.spans, part.style, width, height, part.field)
        if para is not None:
            box.add(para, x, top, h)
        return h

    def _columns(self, fit: Fitter, height: float, half: float, columns: Sequence[tuple[str, list[Part]]]) -> _Box:
        """Two labelled columns side by side, each fitted to ``height``."""
        box = _Box()
        for k, (title, parts) in enumerate(columns):
            column = self._column(fit, title, height, half, parts, x=k * (half + COLUMN_GAP))
            for f, dx, top, h in column.placed:
                box.add(f, dx, top, h)
        return box

    def _rows(self, fit: Fitter, title: str, height: float,
              rows: Sequence[tuple[list[Span], str, list[Span], str]], left_share: float) -> _Box:
        """A labelled two-column table: a short left cell (with a small line under it), the text right."""
        box = _Box()
        label, label_h = self._label(title, self.width)
        box.add(label, 0, 0, label_h - LABEL_GAP)
        left_w = self.width * left_share - 8
        right_x = self.width * left_share
        right_w = self.width - right_x
        meta_h = float(self.sheet["sheet_meta"].leading)
        cell_h = float(self.sheet["sheet_cell"].leading)

        def natural(row: tuple[list[Span], str, list[Span], str]) -> float:
            probe = fit.probe()
            left = probe.text(row[0], "sheet_cell_bold", left_w, BIG, "")[1] + (meta_h if row[1] else 0)
            return max(left, probe.text(row[2], "sheet_cell", right_w, BIG, "")[1])

        room = height - label_h - 3
        least = [cell_h + (meta_h if r[1] else 0) for r in rows]
        keep = 0
        while keep < len(rows) and sum(least[:keep + 1]) + 7 * (keep + 1) <= room:
            keep += 1
        if keep < len(rows):  # not even a line each: the last rows go
            fit.note(rows[0][3], f"{keep} of {len(rows)} shown")
            if not keep:
                return _Box()
        wanted = [natural(r) for r in rows[:keep]]
        heights = share(wanted, least[:keep], room - 7 * keep)
        top = label_h + 3
        for (left, meta, right, name), h in zip(rows[:keep], heights, strict=True):
            lp, lh = fit.text(left, "sheet_cell_bold", left_w, h - (meta_h if meta else 0), name)
            if lp is not None:
                box.add(lp, 0, top, lh)
            if meta:
                mp = tx.para(self.sheet, [Span(meta, color=MUTED)], "sheet_meta")
                mp.wrap(left_w, meta_h)
                box.add(mp, 0, top + lh, meta_h)
                lh += meta_h
            rp, rh = fit.text(right, "sheet_cell", right_w, h, name)
            if rp is not None:
                box.add(rp, right_x, top, rh)
            row_h = max(lh, rh)
            box.add(_Rule(self.width), 0, top + row_h + 3, 0.5)
            top += row_h + 7
        return box


class _Label(Flowable):  # type: ignore[misc]
    """One line of our own text (a section label, never user text): drawn directly, in one font, which
    costs a fraction of a paragraph — a sheet has a dozen of them."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.height = float(style.leading)

    def draw(self) -> None:
        """The text on the line's baseline."""
        st = self.style
        self.canv.setFont(st.fontName, st.fontSize)
        self.canv.setFillColor(st.textColor)
        self.canv.drawString(0, self.height - st.fontSize, self.text)


class _Panel(Flowable):  # type: ignore[misc]
    """The at-a-glance panel: a tinted rounded box behind its label/value rows."""

    def __init__(self, inner: _Box, width: float) -> None:
        super().__init__()
        self.inner = inner
        self.width = width
        self.height = inner.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Its box."""
        return self.width, self.height

    def draw(self) -> None:
        """Panel, then rows."""
        canv = self.canv
        canv.saveState()
        canv.setFillColor(color(TINT))
        canv.roundRect(0, 0, self.width, self.height, 5, stroke=0, fill=1)
        canv.restoreState()
        self.inner.draw(canv, 0, self.height)


class _Rule(Flowable):  # type: ignore[misc]
    """A hairline between table rows."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.height = 0.5

    def draw(self) -> None:
        """The line."""
        self.canv.setStrokeColor(color(RULE))
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 0, self.width, 0)


def _footer(canv: Canvas, sheet: Stylesheet, book: Playbook, page: int, total: int) -> None:
    g = sheet.geometry
    y = MARGIN_BOTTOM - 20
    canv.saveState()
    canv.setStrokeColor(color(RULE))
    canv.setLineWidth(0.6)
    canv.line(MARGIN_X, y + 11, g.width - MARGIN_X, y + 11)
    name = " ".join(book.workbench_name.split())
    name = name if len(name) <= 48 else name[:47].rstrip() + "…"
    left = tx.para(sheet, f"{name}  ·  One-page persona sheet  ·  {book.footer}", "sheet_footer")
    left.wrap(g.width - 2 * MARGIN_X - 70, 20)
    left.drawOn(canv, MARGIN_X, y)
    canv.setFont(fonts.SANS, 7)
    canv.setFillColor(color(MUTED))
    canv.drawRightString(g.width - MARGIN_X, y + 2, f"page {page} of {total}")
    canv.restoreState()
    if book.draft:
        canv.saveState()
        canv.setFillColor(color(DRAFT))
        canv.setFillAlpha(0.09)
        canv.translate(g.width / 2, g.height / 2)
        canv.rotate(52)
        canv.setFont(fonts.SANS_BOLD, min(g.width, g.height) * 0.24)
        canv.drawCentredString(0, -g.width * 0.07, "DRAFT")
        canv.restoreState()


def shortened_line(title: str, fields: dict[str, str]) -> str:
    """``Harlan Voss: story, worries (3 of 9 shown) shortened to fit.``"""
    named = [f + (f" ({d})" if d else "") for f, d in fields.items()]
    name = " ".join(title[:400].split())
    name = name if len(name) <= 60 else name[:59].rstrip() + "…"
    return f"{name}: {', '.join(named)} shortened to fit."


def write(wb: Workbench, out: Path, book: Playbook,
          opts: PlaybookOptions) -> Generator[tuple[int, int], None, ExportSummary]:
    """One page per persona of ``book`` into ``out`` (atomically); the summary lists what was shortened."""
    count = len(book.personas)
    if not count:
        raise errors.ValidationError("There are no personas to print a sheet for.")
    total = 2 * count + 3
    sheet = styles.stylesheet(opts.paper)
    g = sheet.geometry
    m = book.metadata
    with files.replacing(out) as tmp:
        canv = Canvas(str(tmp), pagesize=(g.width, g.height), invariant=1 if opts.invariant else 0, pageCompression=1,
                      initialFontName=fonts.SANS, initialFontSize=9, initialLeading=12, lang="en")
        canv.setTitle(m.title.replace("Persona playbook", "Persona sheets"))
        canv.setAuthor(m.author)
        canv.setSubject(m.subject)
        canv.setCreator("Persona Workbench")
        canv.setProducer("Persona Workbench (reportlab)")
        canv.setKeywords(["persona", "sheet"])
        canv.showOutline()
        page = SheetPage(sheet)
        notes: list[str] = []
        for n, section in enumerate(book.personas, start=1):
            canv.bookmarkPage(section.key)
            canv.addOutlineEntry(" ".join(fonts.clean(section.title).split())[:200] or "—", section.key, level=0)
            portrait = wb.portrait(section.portrait_id) if section.portrait_id else None
            shortened = page.draw(canv, sheet_persona(section, book.channels), portrait)
            if shortened:
                notes.append(shortened_line(section.title, shortened))
            _footer(canv, sheet, book, n, count)
            canv.showPage()
            yield count + 1 + n, total
        canv.save()
    yield total, total
    return summarise(book, out, count, fonts.missing, kind="sheet", shortened=tuple(notes))

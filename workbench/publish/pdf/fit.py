"""Fitting text into a fixed height: shorten with "…" (and say so), never overflow.

The one-page sheet gives every field a box. :class:`Fitter` sets a field's text in its box: when it
does not fit, the text is cut at a word boundary with "…" (a guess from the line count, then a few
corrections — each one a single re-wrap), lists keep their first items with "+ N more", and every
field that lost something is recorded so the export's summary can say what was shortened.
:func:`share` divides a height between boxes that want more than there is (water-filling: small
boxes keep their size, the largest give way first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportlab.platypus import Paragraph

from workbench.publish.pdf import text as tx
from workbench.publish.pdf.fonts import Span
from workbench.publish.pdf.styles import MUTED, WARM, Stylesheet

ELLIPSIS = "…"
#: Corrections tried after the first guess before a field falls back to a single "…".
_TRIES = 8
_EPSILON = 0.01


def cut(spans: Sequence[Span], limit: int) -> list[Span]:
    """The first ``limit`` characters of ``spans``, ended at a word boundary when one is near, plus "…"."""
    out: list[Span] = []
    used = 0
    for span in spans:
        if used + len(span.text) <= limit:
            out.append(span)
            used += len(span.text)
            continue
        room = limit - used
        text = span.text[:room]
        space = text.rfind(" ")
        if space >= room * 0.6:
            text = text[:space]
        out.append(replace(span, text=text.rstrip(" ,;:.-–—") + ELLIPSIS))
        return out
    if out:
        out[-1] = replace(out[-1], text=out[-1].text.rstrip(" ,;:.-–—") + ELLIPSIS)
    return out


def share(wanted: Sequence[float], least: Sequence[float], room: float) -> list[float]:
    """Heights for boxes that want ``wanted``: all of it when it fits, else the most ``room`` allows —
    every box keeps at least ``least`` (scaled down when even that is too much) and the tallest wants
    are cut to one common level."""
    if sum(wanted) <= room:
        return list(wanted)
    if sum(least) > room:  # not even the least fits: every box gives way in proportion
        least = [m * room / sum(least) for m in least]
    low, high = 0.0, max(wanted)
    for _ in range(40):
        level = (low + high) / 2
        if sum(max(m, min(w, level)) for w, m in zip(wanted, least, strict=True)) > room:
            high = level
        else:
            low = level
    return [max(m, min(w, low)) for w, m in zip(wanted, least, strict=True)]


def share_lines(lines: Sequence[int], budget: int) -> list[int]:
    """Whole lines for items that want ``lines``: at least one each, the longest cut first."""
    if sum(lines) <= budget:
        return list(lines)
    level = max(1, budget // max(len(lines), 1))
    while sum(min(n, level + 1) for n in lines) <= budget:
        level += 1
    given = [min(n, level) for n in lines]
    spare = budget - sum(given)
    for k, n in enumerate(lines):
        if spare <= 0:
            break
        if n > given[k]:
            given[k] += 1
            spare -= 1
    return given


class Fitter:
    """Sets fields into boxes for one page and remembers which fields were shortened."""

    def __init__(self, sheet: Stylesheet, cache: dict[tuple[object, ...], tuple[Paragraph, float]] | None = None) -> None:
        self.sheet = sheet
        #: Field → detail ("" or "3 of 9 shown"), in the order the fields were shortened.
        self.shortened: dict[str, str] = {}
        # Whole (uncut) paragraphs already wrapped, shared with probes: measuring, then placing, a field
        # that fits costs one wrap, not two.
        self._cache: dict[tuple[object, ...], tuple[Paragraph, float]] = {} if cache is None else cache

    def probe(self) -> Fitter:
        """A fitter for measuring: it shares the wrapped paragraphs but records nothing as shortened."""
        return Fitter(self.sheet, self._cache)

    def _whole(self, spans: Sequence[Span], style: str, bullet: str | None, colour: str, left: float,
               width: float) -> tuple[Paragraph, float]:
        key = (tuple(spans), style, bullet, colour, left, width)
        found = self._cache.get(key)
        if found is None:
            p = self._para(spans, style, bullet, colour, left)
            found = (p, float(p.wrap(width, 1e6)[1]))
            self._cache[key] = found
        return found

    def note(self, field: str, detail: str = "") -> None:
        """Record that ``field`` lost text (a detail replaces an earlier bare note)."""
        if field not in self.shortened or detail:
            self.shortened[field] = detail

    def _para(self, spans: Sequence[Span], style: str, bullet: str | None, colour: str, left: float) -> Paragraph:
        return tx.para(self.sheet, list(spans) or [Span(" ")], style, bullet=bullet, left=left, bullet_colour=colour)

    def text(self, spans: Sequence[Span], style: str, width: float, height: float, field: str, *,
             bullet: str | None = None, colour: str = WARM, left: float = 0) -> tuple[Paragraph | None, float]:
        """One paragraph no taller than ``height``, cut with "…" if it must be (None: not even one line)."""
        leading = float(self.sheet[style].leading)
        lines_allowed = int((height + _EPSILON) // leading)
        has_text = any(s.text.strip() for s in spans)
        if lines_allowed < 1:
            if has_text:
                self.note(field)
            return None, 0.0
        p, h = self._whole(spans, style, bullet, colour, left, width)
        if h <= height + _EPSILON:
            return p, h
        self.note(field)
        total = sum(len(s.text) for s in spans)
        guess = int(total * lines_allowed / max(h / leading, 1.0) * 0.97)
        for _ in range(_TRIES):
            if guess < 2:
                break
            p = self._para(cut(spans, guess), style, bullet, colour, left)
            h = float(p.wrap(width, 1e6)[1])
            if h <= height + _EPSILON:
                return p, h
            guess = min(int(guess * lines_allowed / max(h / leading, 1.0) * 0.95), guess - max(2, guess // 12))
        p = self._para([Span(ELLIPSIS)], style, bullet, colour, left)
        h = float(p.wrap(width, 1e6)[1])
        return (p, h) if h <= height + _EPSILON else (None, 0.0)

    def items(self, entries: Sequence[Sequence[Span]], style: str, width: float, height: float, field: str, *,
              bullet: str, colour: str, gap: float = 2.0, count: int | None = None) -> tuple[list[tuple[Paragraph, float]], float]:
        """A bulleted list no taller than ``height``: every item while they fit, then fewer lines per
        item (the longest first), then the first items and "+ N more". Items the
        caller already left out (so "+ N more" and the note count every item): ``count`` items in all."""
        if not entries:
            return [], 0.0
        st = self.sheet[style]
        leading = float(st.leading)
        indent = float(tx.marker_column(st, [bullet]))
        wrapped = [self._whole(e, style, bullet, colour, indent, width) for e in entries]
        paras, heights = [p for p, _ in wrapped], [h for _, h in wrapped]
        total = sum(heights) + gap * (len(paras) - 1)
        if total <= height + _EPSILON:
            return list(zip(paras, heights, strict=True)), total
        self.note(field)
        n = len(entries)
        everything = max(count or n, n)
        one_line_each = int((height + gap + _EPSILON) // (leading + gap))
        keep = n if one_line_each >= n else max(one_line_each - 1, 0)
        more: tuple[Paragraph, float] | None = None
        if keep < everything:
            self.note(field, f"{keep} of {everything} shown")
            p = tx.para(self.sheet, [Span(f"+ {everything - keep} more", color=MUTED)], style, left=indent)
            more = (p, float(p.wrap(width, 1e6)[1]))
        room = height - (more[1] + gap if more else 0.0) - gap * max(keep - 1, 0)
        wanted = [max(1, round(h / leading)) for h in heights[:keep]]
        lines = share_lines(wanted, max(int((room + _EPSILON) // leading), keep))
        out: list[tuple[Paragraph, float]] = []
        for k in range(keep):
            if lines[k] >= wanted[k]:
                out.append((paras[k], heights[k]))
                continue
            p, h = self.text(entries[k], style, width, lines[k] * leading, field, bullet=bullet, colour=colour,
                             left=indent)
            if p is not None:
                out.append((p, h))
        if more is not None:
            out.append(more)
        used = sum(h for _, h in out) + gap * max(len(out) - 1, 0)
        return out, used

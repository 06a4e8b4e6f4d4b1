"""Page breaks a reader does not trip over: message cards that split by rule, headings kept with text.

A message card used to be a table split wherever the page ended: a headline alone at the foot of a
page, a call to action alone at the top of the next, and nothing to say the card went on. A
:class:`Card` splits itself instead:

- a card no taller than ``keep_whole`` never splits (it moves to the next page whole);
- a part never ends on a flowable marked ``keepWithNext`` (the channel label, the headline), and the
  first part must hold at least some body text — at least two lines of it, as paragraphs never leave
  an orphan line;
- a part never starts with only flowables marked :data:`KEEP_WITH_PREVIOUS` (the call to action and
  the approval line): the text before them comes along;
- every continuation starts with a "… continued" label.

:class:`KeepWithFirstLines` is the document's ``keepTogetherClass``: a heading marked ``keepWithNext``
goes to the next page only when not even the first lines of what follows fit below it (reportlab's
own ``KeepTogether`` would move the heading *and* a long card whole, leaving most of a page empty).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Flowable, KeepInFrame, KeepTogether, Paragraph

from workbench.publish.pdf.styles import color

#: Attribute set on flowables that must not begin a page part on their own.
KEEP_WITH_PREVIOUS = "pw_keep_with_previous"
#: The least height a table's first part may have below a heading it is kept with (points).
MIN_FIRST_PART = 72.0
#: Below this share of a page's height the available height counts as "the top of a fresh page".
_FRESH_PAGE = 0.9


def keep_with_previous(f: Flowable) -> Flowable:
    """Mark ``f`` so a card never starts a page with it alone (a call to action, an approval line)."""
    setattr(f, KEEP_WITH_PREVIOUS, True)
    return f


def _space(f: Flowable, first: bool, last: bool) -> float:
    return (0.0 if first else f.getSpaceBefore()) + (0.0 if last else f.getSpaceAfter())


class Card(Flowable):  # type: ignore[misc]
    """A tinted panel with a coloured bar on its left edge, holding flowables stacked top to bottom."""

    def __init__(self, content: Sequence[Flowable], *, background: str, bar: str | None, padding: float,
                 top: float, page_height: float, keep_whole: float,
                 continued: Callable[[], Flowable] | None = None) -> None:
        super().__init__()
        self.content = list(content)
        self.background = background
        self.bar = bar
        self.padding = padding
        self.top = top
        self.page_height = page_height
        self.keep_whole = keep_whole
        self.continued = continued
        self.width = 0.0
        self.height = 0.0
        self._heights: list[float] = []

    def _inner(self, width: float) -> float:
        return max(width - 2 * self.padding, 1.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Full width; the content's height plus padding."""
        inner = self._inner(available_width)
        self._heights = [f.wrap(inner, 1e9)[1] for f in self.content]
        n = len(self.content)
        body = sum(h + _space(f, k == 0, k == n - 1)
                   for k, (f, h) in enumerate(zip(self.content, self._heights, strict=True)))
        self.width = available_width
        self.height = self.top + body + self.padding
        return self.width, self.height

    def draw(self) -> None:
        """Panel, bar, then the content from the top down."""
        canv = self.canv
        canv.saveState()
        canv.setFillColor(color(self.background))
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.bar:
            canv.setFillColor(color(self.bar))
            canv.rect(0, 0, 3, self.height, stroke=0, fill=1)
        canv.restoreState()
        y = self.height - self.top
        n = len(self.content)
        for k, (f, h) in enumerate(zip(self.content, self._heights, strict=True)):
            if k:
                y -= f.getSpaceBefore()
            y -= h
            f.drawOn(canv, self.padding, y)
            if k < n - 1:
                y -= f.getSpaceAfter()

    def _part(self, content: list[Flowable], top: float) -> Card:
        return Card(content, background=self.background, bar=self.bar, padding=self.padding, top=top,
                    page_height=self.page_height, keep_whole=self.keep_whole, continued=self.continued)

    def _natural(self, available_height: float) -> tuple[list[Flowable], list[Flowable]]:
        """Fill the room top down; split the first flowable that does not fit if it can split."""
        inner = self._inner(self.width)
        room = available_height - self.top - self.padding
        used = 0.0
        n = len(self.content)
        for k, (f, h) in enumerate(zip(self.content, self._heights, strict=True)):
            before = 0.0 if k == 0 else f.getSpaceBefore()
            after = 0.0 if k == n - 1 else f.getSpaceAfter()
            if used + before + h <= room:
                used += before + h + after
                continue
            left = room - used - before
            parts = f.split(inner, left) if left > 0 else []
            if len(parts) >= 2:
                return [*self.content[:k], parts[0]], [*parts[1:], *self.content[k + 1:]]
            return self.content[:k], self.content[k:]
        return list(self.content), []

    @staticmethod
    def _substance(part: Sequence[Flowable]) -> bool:
        """Whether a first part holds body text (not just a label and a headline)."""
        return any(not f.getKeepWithNext() for f in part)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Two cards — this one up to the page's end and the rest marked continued — or [] to move."""
        if self.width != available_width or not self._heights:
            self.wrap(available_width, available_height)
        fresh = available_height >= _FRESH_PAGE * self.page_height
        if self.height <= self.keep_whole and not fresh:
            return []
        first, rest = self._natural(available_height)
        if not rest:
            return [self]
        strict_first, strict_rest = list(first), list(rest)
        # A call to action (or approval line) never starts a page alone: take the text before it along.
        if all(getattr(f, KEEP_WITH_PREVIOUS, False) for f in strict_rest) and strict_first:
            last = strict_first.pop()
            if last not in self.content:  # a split part: move the whole flowable instead
                index = len(strict_first)
                strict_rest = [*self.content[index:]]
            else:
                strict_rest.insert(0, last)
        # A label or headline never ends a page.
        while strict_first and strict_first[-1].getKeepWithNext():
            strict_rest.insert(0, strict_first.pop())
        if strict_first and self._substance(strict_first):
            first, rest = strict_first, strict_rest
        elif not fresh:
            return []
        elif not first:
            return []  # nothing fits even on a fresh page: let reportlab report it
        head = [self.continued()] if self.continued is not None else []
        return [self._part(first, self.top), self._part([*head, *rest], self.top)]


class KeepWithFirstLines(KeepTogether):  # type: ignore[misc]
    """Headings (``keepWithNext``) kept with the *first lines* of what follows, not all of it."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Fits: as is. Else the headings plus the first part of the last flowable, if it splits."""
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        content: list[Flowable] = list(self._content)
        if self._H <= available_height or len(content) < 2:
            return list(super().split(available_width, available_height))
        heads, last = content[:-1], content[-1]
        used = 0.0
        for k, f in enumerate(heads):
            _, h = f.wrap(available_width, available_height)
            used += h + f.getSpaceAfter() + (f.getSpaceBefore() if k else 0.0)
        room = available_height - used - last.getSpaceBefore()
        if room > 0:
            last.wrap(available_width, room)
            parts = last.split(available_width, room)
            # Cards and paragraphs split by their own rules (at least two lines); anything else (a
            # table split inside a row) must leave a useful first part, or the heading moves on.
            ruled = isinstance(last, (Card, Paragraph))
            if len(parts) >= 2 and (ruled or parts[0].wrap(available_width, room)[1] >= MIN_FIRST_PART):
                return [*heads, *parts]
        return list(super().split(available_width, available_height))


class ShrinkOrFlow(Flowable):  # type: ignore[misc]
    """A closing section that would leave a near-empty page: set a little smaller to fit instead.

    When the content fits the room left on the page, it is drawn as is; when it would fit after
    shrinking by at most ``max_shrink`` (a few percent: the last rows of a table that would otherwise
    stand alone on a page), it is drawn shrunk to fit; otherwise it flows on as usual.
    """

    def __init__(self, content: Sequence[Flowable], max_shrink: float = 0.12) -> None:
        super().__init__()
        self.content = list(content)
        self.max_shrink = max_shrink
        self._kept: KeepInFrame | None = None
        self.width = self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The content's size, or the room left when shrinking makes it fit."""
        self._kept = None
        total = 0.0
        for k, f in enumerate(self.content):
            total += f.wrap(available_width, available_height)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if k else 0)
        self.width = available_width
        if total <= available_height * (1 + self.max_shrink):
            self._kept = KeepInFrame(available_width, available_height, self.content, mode="shrink")
            self._kept.canv = getattr(self, "canv", None)
            self.width, self.height = self._kept.wrap(available_width, available_height)
            if self.height <= available_height + 0.5:
                return self.width, self.height
            self._kept = None
        self.height = total
        return self.width, total

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Too tall even shrunk: the content flows on by itself."""
        return list(self.content)

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - reportlab's name
        """Draw the content (shrunk when it had to be)."""
        if self._kept is not None:
            self._kept.drawOn(canv, x, y, _sW)

"""Right-to-left text in visual order: the Unicode bidi algorithm applied to each laid-out line.

reportlab breaks a paragraph into lines in logical order and, without ``rlbidi`` (not on PyPI), draws
each line's words left to right — so the words of an Arabic or Hebrew sentence come out reversed.
:class:`BidiParagraph` leaves line breaking alone and, when a line is drawn, puts its pieces in visual
order: levels resolved by python-bidi (UAX #9 rules W1–I2) over the line, then rules L1, L2 and L4
(mirrored brackets) here.

Pieces: a *shaped* word (harfbuzz has already put its glyphs in visual order, so it moves as a
whole and stands in for the algorithm by one character of its class), and every character of
unshaped text (digits, punctuation, spaces — resolved exactly as the algorithm says, so ``2010.``
at the end of an Arabic sentence reads ``.2010`` as it should).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from bidi import algorithm
from bidi.mirror import MIRRORED
from reportlab.platypus import Paragraph

#: One character per class stands for a shaped word when the line's levels are resolved.
_PROXY = {"L": "a", "R": "\u05d0", "AL": "\u0627", "EN": "1", "AN": "\u0661", "ON": "!", "WS": " "}
#: Fonts whose private-use glyphs (shaped forms without a code point) are right-to-left letters.
RTL_FONTS: set[str] = set()
_STRONG_RTL = frozenset({"R", "AL", "AN"})


def _piece_class(text: str, font: str) -> str:
    """The bidi class that stands for a shaped word: its first strong character, else number or neutral."""
    number = ""
    for ch in text:
        code = ord(ch)
        if 0xE000 <= code <= 0xF8FF:
            return "R" if font in RTL_FONTS else "L"
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R", "AL"):
            return kind
        if kind in ("EN", "AN") and not number:
            number = kind
    if number:
        return number
    return "WS" if text.isspace() else "ON"


def levels(proxy: str, base: int) -> list[int]:
    """Resolved embedding levels of each character of ``proxy`` (UAX #9 W1–I2 via python-bidi, L1)."""
    storage = algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    algorithm.get_embedding_levels(proxy, storage, False, False)
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    out = [int(ch["level"]) for ch in storage["chars"]]
    # L1: whitespace at the end of the line goes back to the paragraph level.
    k = len(proxy) - 1
    while k >= 0 and proxy[k].isspace():
        out[k] = base
        k -= 1
    return out


def visual_order(item_levels: list[int]) -> list[int]:
    """UAX #9 rule L2: indices in visual order (reverse every run at or above each odd level)."""
    order = list(range(len(item_levels)))
    if not item_levels:
        return order
    highest = max(item_levels)
    lowest_odd = min((lv for lv in item_levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if item_levels[order[i]] >= level:
                j = i
                while j < len(order) and item_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def _tokens(text: str) -> list[str]:
    """Split into alternating runs of spaces and non-spaces (slicing keeps reportlab's shape data)."""
    out: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (text[i] == " ") != (text[start] == " "):
            out.append(text[start:i])
            start = i
    return out


def reorder_frags(frags: list[Any], base: int) -> list[Any]:
    """One line's fragments (logical order) → fragments in visual order."""
    units: list[list[tuple[Any, str | None]]] = []  # a shaped word (its frags), a character, an inline object
    proxy: list[str] = []
    shaped_font: str | None = None  # the font of a shaped word still open (no space after it yet)
    tail: list[Any] = []
    for f in frags:
        text = getattr(f, "text", None)
        if hasattr(f, "cbDefn") or getattr(f, "_fkind", 0) != 0 or text is None:
            if getattr(f, "_fkind", 0) == 3:  # a line break stays at the end
                tail.append(f)
            else:
                units.append([(f, None)])
                proxy.append("!")
                shaped_font = None
            continue
        for token in _tokens(text):
            if hasattr(token, "__shapeData__") and token[0] != " ":
                if shaped_font == f.fontName:  # one word in several frags (a colour change inside it)
                    units[-1].append((f, token))
                    joined = "".join(t or "" for _, t in units[-1])
                    proxy[-1] = _PROXY[_piece_class(joined, f.fontName)]
                else:
                    units.append([(f, token)])
                    proxy.append(_PROXY[_piece_class(token, f.fontName)])
                shaped_font = f.fontName
                continue
            shaped_font = None
            for ch in str(token):
                units.append([(f, ch)])
                proxy.append(ch)
    line = "".join(proxy)
    if base == 0 and not any(unicodedata.bidirectional(ch) in _STRONG_RTL for ch in line):
        return frags
    item_levels = levels(line, base)
    out: list[Any] = []
    for k in visual_order(item_levels):
        for f, piece in units[k]:
            if piece is None:
                out.append(f)
                continue
            if hasattr(piece, "__shapeData__"):
                out.append(f.clone(text=piece))
                continue
            if item_levels[k] % 2:
                piece = MIRRORED.get(piece, piece)  # rule L4
            last = out[-1] if out else None
            if last is not None and getattr(last, "_pw_from", None) is f and not hasattr(last.text, "__shapeData__"):
                last.text += piece  # characters of one fragment side by side: one run of text again
            else:
                clone = f.clone(text=piece)
                clone._pw_from = f
                out.append(clone)
    return out + tail


def reorder_words(words: list[str], base: int) -> list[str]:
    """A simple (one-style) line's words in visual order (the line as one visual string)."""
    line = " ".join(words)
    lv = levels(line, base)
    return ["".join(MIRRORED.get(line[k], line[k]) if lv[k] % 2 else line[k] for k in visual_order(lv))]


class BidiParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph whose lines are drawn in visual order; ``style.bidi_base`` is 1 for right-to-left."""

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        """Draw a reordered copy of the broken lines; the lines themselves stay logical for splitting."""
        this: Any = self
        bl = this.blPara
        base = int(getattr(self.style, "bidi_base", 0))
        if bl.kind == 1:
            lines = [line.clone(words=reorder_frags(line.words, base)) for line in bl.lines]
        else:
            lines = [(extra, reorder_words(list(words), base)) for extra, words in bl.lines]
        this.blPara = bl.clone(lines=lines)
        try:
            super().drawPara(debug)
        finally:
            this.blPara = bl

"""The playbook's fonts: registered from ``resources/fonts``, chosen per run of text by glyph coverage.

reportlab has no per-glyph fallback, so text is split into runs by which registered font has each
glyph: the style's own DejaVu face first, Noto Sans Arabic / Hebrew for those scripts (preferred even
where DejaVu has a glyph, because they join and shape properly), Droid Sans Fallback for CJK; anything
no font covers (emoji, private use) is dropped rather than printed as a missing-glyph box. Right-to-left
order and Arabic joining are left to reportlab 5's shaping path (``ParagraphStyle(shaping=1)``, backed
by uharfbuzz), which reorders per laid-out line — more correct than reordering before line breaking.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from workbench import resources

SANS = "PWSans"
SANS_BOLD = "PWSans-Bold"
SANS_ITALIC = "PWSans-Italic"
SANS_BOLD_ITALIC = "PWSans-BoldItalic"
SERIF = "PWSerif"
SERIF_BOLD = "PWSerif-Bold"
ARABIC = "PWArabic"
ARABIC_BOLD = "PWArabic-Bold"
HEBREW = "PWHebrew"
HEBREW_BOLD = "PWHebrew-Bold"
CJK = "PWCJK"

_FILES: dict[str, str] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}

_BOLD_FACES = frozenset({SANS_BOLD, SANS_BOLD_ITALIC, SERIF_BOLD})
_lock = threading.Lock()
_load_lock = threading.RLock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}


_FALLBACKS = frozenset({ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD, CJK})


def register() -> None:
    """Register the DejaVu faces once per process (thread-safe, idempotent).

    The fallback fonts (Arabic, Hebrew and the 4 MB CJK font) are parsed only when text needs them:
    that keeps a one-persona export from the command line well under a second.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab import rl_config

        # Binary streams: ASCII85 would grow every image and page by a quarter and cost time.
        rl_config.useA85 = 0
        # The faces page furniture draws with directly; the rest load when text first uses them.
        for name in (SANS, SANS_BOLD):
            _load(name)
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                      boldItalic=SANS_BOLD_ITALIC)
        pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF,
                                      boldItalic=SERIF_BOLD)
        _registered = True


def _load(name: str) -> frozenset[int]:
    """Register one font (if needed) and return the code points it has glyphs for."""
    cov = _coverage.get(name)
    if cov is not None:
        return cov
    with _load_lock:
        cov = _coverage.get(name)
        if cov is not None:
            return cov
        try:
            font = pdfmetrics.getFont(name)
        except KeyError:
            font = TTFont(name, str(resources.path("fonts", _FILES[name])))
            pdfmetrics.registerFont(font)
        if name in _FALLBACKS:
            bold = {ARABIC: ARABIC_BOLD, HEBREW: HEBREW_BOLD}.get(name, name)
            for b, i in ((0, 0), (0, 1)):
                addMapping(name, b, i, name)
            for b, i in ((1, 0), (1, 1)):
                addMapping(name, b, i, bold)
        cov = frozenset(font.face.charToGlyph)
        _coverage[name] = cov
        return cov


def face(bold: bool = False, italic: bool = False, serif: bool = False) -> str:
    """The registered name of a DejaVu face."""
    if serif:
        return SERIF_BOLD if bold else SERIF
    if bold:
        return SANS_BOLD_ITALIC if italic else SANS_BOLD
    return SANS_ITALIC if italic else SANS


# --- cleaning ----------------------------------------------------------------------------------

# C0 controls except tab/newline, DEL, C1 controls, explicit bidi overrides/isolates (they would fight
# the shaper's own ordering), BOM and the line/paragraph separators (normalised to newline).
_STRIP: dict[int, int | None] = {c: None for c in itertools.chain(range(0, 9), range(11, 32), range(0x7F, 0xA0),
                                            range(0x202A, 0x202F), range(0x2066, 0x206A), (0xFEFF,))}
_STRIP.update({0x09: 0x20, 0x2028: 0x0A, 0x2029: 0x0A})
_SURROGATES = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text fit for a PDF: control characters, lone surrogates and bidi overrides removed."""
    text = text.translate(_STRIP)
    if not text.isascii():
        text = _SURROGATES.sub("", text)
    return text


# --- script detection ---------------------------------------------------------------------------

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_HEBREW_RANGES = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
_CJK_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3200, 0x4DBF),
               (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
               (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_RTL_PATTERN = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_CJK_PATTERN = re.compile("[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]")

# Characters that belong to whichever run precedes them (joiners, variation selectors, combining marks).
_JOINERS = frozenset({0x200C, 0x200D, 0x034F})


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def has_rtl(text: str) -> bool:
    """Whether the text contains Hebrew or Arabic (then the paragraph needs shaping)."""
    return not text.isascii() and _RTL_PATTERN.search(text) is not None


def has_cjk(text: str) -> bool:
    """Whether the text contains CJK (then lines may break between any two ideographs)."""
    return not text.isascii() and _CJK_PATTERN.search(text) is not None


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (the paragraph's base)."""
    if text.isascii():
        return False
    for ch in text:
        d = unicodedata.bidirectional(ch)
        if d == "L":
            return False
        if d in ("R", "AL"):
            return True
    return False


# --- runs by font ------------------------------------------------------------------------------

_choice_cache: dict[tuple[str, str], str] = {}


def _choose(ch: str, primary: str) -> str:
    """The font for one character ('' = no font has it: drop)."""
    key = (ch, primary)
    hit = _choice_cache.get(key)
    if hit is not None:
        return hit
    cp = ord(ch)
    bold = primary in _BOLD_FACES
    candidates: list[str]
    if 0x1F000 <= cp <= 0x1FAFF or 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000:
        candidates = [primary]  # emoji and private use: no bundled font has them; don't load CJK to ask
    elif _in(cp, _ARABIC_RANGES):
        candidates = [ARABIC_BOLD if bold else ARABIC, primary]
    elif _in(cp, _HEBREW_RANGES):
        # DejaVu Sans has the Hebrew letters, and so does every neighbouring comma and digit: one font
        # per word keeps the shaper (which shapes a word in its first font) safe. Noto for the rest.
        candidates = [primary, SANS_BOLD if bold else SANS, HEBREW_BOLD if bold else HEBREW]
    elif _in(cp, _CJK_RANGES):
        candidates = [CJK, primary]
    else:
        candidates = [primary, SANS_BOLD if bold else SANS, CJK, ARABIC, HEBREW]
    choice = ""
    for name in candidates:
        if cp in _load(name):
            choice = name
            break
    if len(_choice_cache) < 200_000:
        _choice_cache[key] = choice
    return choice


def _inherits(ch: str) -> bool:
    cp = ord(ch)
    return cp in _JOINERS or 0xFE00 <= cp <= 0xFE0F or unicodedata.category(ch) in ("Mn", "Me")


def _neutral(ch: str) -> bool:
    """Digits and punctuation: they stay in the font of the run they follow when it has them."""
    return unicodedata.category(ch)[0] in "NPS" and not ch.isspace()


def font_runs(text: str, primary: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, text)`` runs; characters no font has are dropped.

    Fast path: text entirely covered by ``primary`` (the common case) is one run, checked with set
    operations rather than a Python loop over every character.
    """
    register()
    if not text:
        return []
    cov = _load(primary)
    if text.isascii() or not set(map(ord, set(text))) - cov:
        return [(primary, text)]
    runs: list[tuple[str, str]] = []
    current = ""
    buf: list[str] = []
    for ch in text:
        if _inherits(ch) and current:
            if ord(ch) in _load(current):
                buf.append(ch)
            continue
        if current and current != primary and _neutral(ch) and ord(ch) in _load(current):
            buf.append(ch)
            continue
        name = _choose(ch, primary)
        if not name:
            continue
        if name != current:
            if buf:
                runs.append((current, "".join(buf)))
            buf = []
            current = name
        buf.append(ch)
    if buf:
        runs.append((current, "".join(buf)))
    return runs


def visible(text: str, primary: str = SANS) -> str:
    """``text`` with everything no font can show removed (what the PDF will actually contain)."""
    return "".join(t for _, t in font_runs(text, primary))


# --- reportlab paragraph markup ------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape for reportlab's paragraph mini-language: user text must never become markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    """Escape for a double-quoted attribute value."""
    return escape(text).replace('"', "&quot;")


@dataclass(frozen=True)
class Span:
    """Styled text on its way into a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    color: str | None = None
    code: bool = False
    strike: bool = False


def markup(spans: Iterable[Span], base_font: str, link_color: str = "#1f5f8b", *, shaped: bool = False) -> str:
    """Build reportlab paragraph markup from spans, choosing fonts per run and escaping all text.

    ``base_font`` is the paragraph style's font: runs in that font need no ``<font>`` tag, which keeps
    reportlab's parser on its fast path for ordinary text. ``shaped``: the paragraph goes through
    reportlab's shaper, which shapes each word with the font of its first character and fails on a
    glyph that font lacks — so a word is never allowed to change font: a zero-width space (a word
    break to reportlab) is put where it would.
    """
    register()
    serif = base_font in (SERIF, SERIF_BOLD)
    base_bold = base_font in _BOLD_FACES
    out: list[str] = []
    last_font = ""
    last_char = " "
    for span in spans:
        text = clean(span.text)
        if not text:
            continue
        primary = face(bold=span.bold or base_bold, italic=span.italic and not serif, serif=serif)
        parts: list[str] = []
        for name, chunk in font_runs(text, primary):
            if shaped:
                if name != last_font and not last_char.isspace() and not chunk[0].isspace():
                    chunk = "\u200b" + chunk
                last_font, last_char = name, chunk[-1]
            lines = escape(chunk).split("\n")
            body = "<br/>".join(lines)
            parts.append(body if name == base_font else f'<font face="{name}">{body}</font>')
        piece = "".join(parts)
        if not piece:
            continue
        if span.code:
            piece = f'<font color="#8a3b12">{piece}</font>'
        elif span.color:
            piece = f'<font color="{span.color}">{piece}</font>'
        if span.strike:
            piece = f"<strike>{piece}</strike>"
        if span.href:
            piece = f'<a href="{escape_attr(span.href)}" color="{link_color}"><u>{piece}</u></a>'
        out.append(piece)
    return "".join(out)

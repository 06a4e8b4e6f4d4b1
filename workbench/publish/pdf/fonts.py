"""The playbook's fonts: registered from ``resources/fonts``, chosen per run of text by glyph coverage.

reportlab has no per-glyph fallback, so text is split into runs by which registered font has each
glyph: the style's own DejaVu face first, then the font made for the script — Noto Sans Arabic /
Hebrew / Devanagari / Thai (preferred even where DejaVu has a glyph, because they shape properly),
NanumGothic for Hangul, Droid Sans Fallback for Chinese and Japanese, Symbola for emoji and symbols.
What no bundled font has cannot be printed: :func:`missing` names it, so the export can report it
(field and characters) instead of losing it silently.

Complex scripts are shaped by uharfbuzz through reportlab (``ParagraphStyle(shaping=1)``; see
:mod:`shaping`); right-to-left lines are put in visual order by :mod:`bidi`.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from workbench import resources
from workbench.publish.pdf import bidi, shaping

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
DEVANAGARI = "PWDevanagari"
DEVANAGARI_BOLD = "PWDevanagari-Bold"
THAI = "PWThai"
THAI_BOLD = "PWThai-Bold"
HANGUL = "PWHangul"
CJK = "PWCJK"
SYMBOLS = "PWSymbols"
#: Code (fenced and indented blocks, inline code): DejaVu Sans Mono.
MONO = "PWMono"
#: Inline code's colour (a code block sets its own).
CODE_COLOR = "#8a3b12"

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
    DEVANAGARI: "NotoSansDevanagari-Regular.ttf",
    DEVANAGARI_BOLD: "NotoSansDevanagari-Bold.ttf",
    THAI: "NotoSansThai-Regular.ttf",
    THAI_BOLD: "NotoSansThai-Bold.ttf",
    HANGUL: "NanumGothic.ttf",  # Regular only: its Bold would add 4.6 MB for headings alone
    CJK: "DroidSansFallbackFull.ttf",
    SYMBOLS: "Symbola.ttf",
    MONO: "DejaVuSansMono.ttf",
}
#: Each fallback font's bold face (itself where only one weight is bundled).
_BOLD_OF: dict[str, str] = {ARABIC: ARABIC_BOLD, HEBREW: HEBREW_BOLD, DEVANAGARI: DEVANAGARI_BOLD,
                            THAI: THAI_BOLD, HANGUL: HANGUL, CJK: CJK, SYMBOLS: SYMBOLS}
#: Every font, in the order :func:`missing` asks them (cheap and likely first).
_ALL = (SANS, SANS_BOLD, SERIF, SYMBOLS, ARABIC, HEBREW, DEVANAGARI, THAI, CJK, HANGUL)

_BOLD_FACES = frozenset({SANS_BOLD, SANS_BOLD_ITALIC, SERIF_BOLD})
_lock = threading.Lock()
_load_lock = threading.RLock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}



def register() -> None:
    """Register the DejaVu faces once per process (thread-safe, idempotent).

    The fallback fonts (the 4 MB CJK and Hangul fonts among them) are parsed only when text needs
    them: that keeps a one-persona export from the command line well under a second.
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
        shaping.install()
        bidi.RTL_FONTS.update({ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD})
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
            font = shaping.ShapedFont(name, str(_file(name)))
            pdfmetrics.registerFont(font)
        if name in _BOLD_OF:
            bold = _BOLD_OF[name]
            for b, i in ((0, 0), (0, 1)):
                addMapping(name, b, i, name)
            for b, i in ((1, 0), (1, 1)):
                addMapping(name, b, i, bold)
        # Private-use code points are where reportlab files shaped glyphs that have none: not coverage.
        cov = frozenset(c for c in font.face.charToGlyph if not 0xE000 <= c <= 0xF8FF)
        _coverage[name] = cov
        return cov


def _file(name: str) -> Path:
    return resources.path("fonts", _FILES[name])


def mono() -> str:
    """The monospace face for code, or DejaVu Sans when a trimmed bundle left the monospace file out."""
    global _mono
    if _mono is None:
        with _load_lock:
            if _file(MONO).exists():
                _load(MONO)
                for b, i in ((0, 0), (0, 1), (1, 0), (1, 1)):  # one weight: bold code stays regular
                    addMapping(MONO, b, i, MONO)
                _mono = MONO
            else:
                _mono = SANS
    return _mono


_mono: str | None = None


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
_DEVANAGARI_RANGES = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
_THAI_RANGES = ((0x0E00, 0x0E7F),)
_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
_CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x312F), (0x3190, 0x31FF), (0x3200, 0x4DBF),
               (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_SYMBOL_RANGES = ((0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x24FF), (0x25A0, 0x27BF), (0x2900, 0x2BFF),
                  (0x1F000, 0x1FAFF))
_RTL_PATTERN = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Scripts that need shaping: right-to-left ones, Devanagari and Thai (marks, conjuncts, reordering).
_SHAPED_PATTERN = re.compile("[\u0590-\u08ff\u0900-\u097f\u0e00-\u0e7f\ua8e0-\ua8ff\u1cd0-\u1cff"
                             "\ufb1d-\ufdff\ufe70-\ufeff]")
# Scripts written without spaces between words: lines may break between any two characters.
_CJK_PATTERN = re.compile("[\u2e80-\u312f\u3190-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Characters that belong to whichever run precedes them (joiners, variation selectors, combining marks).
_JOINERS = frozenset({0x200C, 0x200D, 0x034F})


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def has_rtl(text: str) -> bool:
    """Whether the text contains Hebrew or Arabic (then the paragraph needs bidi reordering)."""
    return not text.isascii() and _RTL_PATTERN.search(text) is not None


def needs_shaping(text: str) -> bool:
    """Whether the text has a script that must be shaped (Arabic, Hebrew, Devanagari, Thai)."""
    return not text.isascii() and _SHAPED_PATTERN.search(text) is not None


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese or Japanese (then lines may break between any two ideographs)."""
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


def _bold(name: str, bold: bool) -> str:
    return _BOLD_OF.get(name, name) if bold else name


def _candidates(cp: int, primary: str, bold: bool) -> list[str]:
    """The fonts to try for one code point, best first."""
    sans = SANS_BOLD if bold else SANS
    if _in(cp, _ARABIC_RANGES):
        return [_bold(ARABIC, bold), primary]
    if _in(cp, _HEBREW_RANGES):
        # DejaVu Sans has the Hebrew letters, and so does every neighbouring comma and digit: one font
        # per word keeps the shaper (which shapes a word in its first font) safe. Noto for the rest.
        return [primary, sans, _bold(HEBREW, bold)]
    if _in(cp, _DEVANAGARI_RANGES):
        return [_bold(DEVANAGARI, bold)]
    if _in(cp, _THAI_RANGES):
        return [_bold(THAI, bold)]
    if _in(cp, _HANGUL_RANGES):
        return [HANGUL, CJK]
    if _in(cp, _CJK_RANGES):
        return [CJK, HANGUL, primary]
    if 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000:
        return []  # private use: no meaning to print
    if _in(cp, _SYMBOL_RANGES):
        return [primary, sans, SYMBOLS]
    return [primary, sans, SYMBOLS, CJK, HANGUL]


def _choose(ch: str, primary: str) -> str:
    """The font for one character ('' = no bundled font has it)."""
    key = (ch, primary)
    hit = _choice_cache.get(key)
    if hit is not None:
        return hit
    cp = ord(ch)
    choice = ""
    for name in _candidates(cp, primary, primary in _BOLD_FACES):
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
    """Split ``text`` into ``(font name, text)`` runs; characters no font has are dropped
    (:func:`missing` names them, so the export reports them).

    Fast path: text entirely covered by ``primary`` (the common case) is one run, checked with set
    operations rather than a Python loop over every character.
    """
    register()
    if not text:
        return []
    cov = _load(primary)
    if text.isascii() or not (set(map(ord, set(text))) - cov or needs_shaping(text)):
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


def missing(text: str) -> str:
    """The distinct characters of ``text`` that no bundled font can show, in order of appearance.

    Spaces, line breaks and invisible format characters (joiners, variation selectors) are never
    drawn, so they are never missing.
    """
    register()
    if text.isascii():
        return ""
    todo = {ord(ch) for ch in set(clean(text)) if not _invisible(ch)} - _load(SANS)
    for name in _ALL[1:]:
        if not todo:
            return ""
        todo -= _load(name)
    seen: list[str] = []
    for ch in text:
        if ord(ch) in todo and ch not in seen:
            seen.append(ch)
    return "".join(seen)


def _invisible(ch: str) -> bool:
    cp = ord(ch)
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc") or 0xFE00 <= cp <= 0xFE0F or cp >= 0xE0000


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


def markup(spans: Iterable[Span], base_font: str, link_color: str = "#1f5f8b") -> str:
    """Build reportlab paragraph markup from spans, choosing fonts per run and escaping all text.

    ``base_font`` is the paragraph style's font: runs in that font need no ``<font>`` tag, which keeps
    reportlab's parser on its fast path for ordinary text. (A word that changes font is shaped one
    font at a time: see :mod:`workbench.publish.pdf.shaping`.)
    """
    register()
    serif = base_font in (SERIF, SERIF_BOLD)
    base_bold = base_font in _BOLD_FACES
    out: list[str] = []
    for span in spans:
        text = clean(span.text)
        if not text:
            continue
        primary = mono() if span.code else face(bold=span.bold or base_bold, italic=span.italic and not serif,
                                                 serif=serif)
        parts: list[str] = []
        for name, chunk in font_runs(text, primary):
            body = "<br/>".join(escape(chunk).split("\n"))
            parts.append(body if name == base_font else f'<font face="{name}">{body}</font>')
        piece = "".join(parts)
        if not piece:
            continue
        if span.code or span.color:
            piece = f'<font color="{span.color or CODE_COLOR}">{piece}</font>'
        if span.strike:
            piece = f"<strike>{piece}</strike>"
        if span.href:
            piece = f'<a href="{escape_attr(span.href)}" color="{link_color}"><u>{piece}</u></a>'
        out.append(piece)
    return "".join(out)

"""Complex scripts in reportlab: numbers kept left to right, and text extraction that finds real letters.

reportlab 5 shapes each word with uharfbuzz (``ParagraphStyle(shaping=1)``) and writes the resulting
glyphs under the code points the font maps them from. Two things go wrong for a reader of the PDF:

- harfbuzz guesses each word's direction from its script, so a word of Arabic-Indic digits (script
  Arabic) comes out reversed: ``٢٠٢٤`` prints ``٤٢٠٢``. Words without letters are left unshaped here,
  so they keep their logical, left-to-right order (numbers need no shaping).
- Arabic glyphs are written as presentation forms (U+FE70…) and Indic conjuncts as private-use code
  points, so copying or searching the text fails. :class:`ShapedFont` writes a ``ToUnicode`` map that
  turns presentation forms back into letters (NFKC) and each private-use glyph into the letters it was
  shaped from (recorded while shaping, from harfbuzz's clusters).

:func:`install` routes reportlab's paragraph shaping through :func:`_shape_word` (reportlab has no
hook for this; the module attribute it calls is replaced once, and a test checks the effect).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import SUBSETN, ShapedFragWord, TTFont, makeShapedFragWord

_PUA_FIRST, _PUA_LAST = 0xE000, 0xF8FF
#: OpenType features asked of harfbuzz.
FEATURES = {"kern": True, "liga": True}
_lock = threading.Lock()
_installed = False
_original: Callable[..., Any] | None = None


def _is_pua(code: int) -> bool:
    return _PUA_FIRST <= code <= _PUA_LAST


def _is_presentation_form(code: int) -> bool:
    return 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _has_letters(text: str) -> bool:
    """Whether any character is a letter or a combining mark (then the word needs shaping)."""
    return any(unicodedata.category(ch)[0] in "LM" for ch in text)


def _shape_word(word: list[Any], *args: Any, **kwargs: Any) -> list[Any]:
    """reportlab's ``shapeFragWord``, one font at a time, leaving words without letters alone.

    harfbuzz shapes a run with one font, but a reportlab word (text between spaces) can change font
    — ``(`` in DejaVu around an Arabic word, ``#`` before a Devanagari tag — so each same-font run of
    the word is shaped by itself and the results are joined again.
    """
    if _already_shaped(word):
        return word  # a paragraph split across pages keeps its shaped words
    runs: list[list[Any]] = []
    for part in word[1:]:
        font = getattr(part[0], "fontName", None)
        if runs and (hasattr(part[0], "cbDefn") or getattr(runs[-1][-1][0], "fontName", None) == font):
            runs[-1].append(part)
        else:
            runs.append([part])
    if len(runs) <= 1:
        return _shape_run(word, args, kwargs)
    results = [_shape_run([_width(run), *run], args, kwargs) for run in runs]
    if all(r[1:] == run for r, run in zip(results, runs, strict=True)):
        return word
    joined: list[Any] = makeShapedFragWord(word)([sum(r[0] for r in results)])
    for r in results:
        joined.extend(r[1:])
    return joined


def _already_shaped(word: list[Any]) -> bool:
    return isinstance(word, ShapedFragWord)


def _width(run: Sequence[Any]) -> float:
    return float(sum(stringWidth(s, f.fontName, f.fontSize) for f, s in run if not hasattr(f, "cbDefn")))


def _shape_run(word: list[Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
    assert _original is not None
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    if not _has_letters(text):
        return word  # digits and punctuation: logical order is the visual order
    # Standard ligatures and kerning only: discretionary ones (dlig, on in reportlab's default) turn
    # a plain محمد into the ornamental, vowelled ligature U+FDF4.
    kwargs.setdefault("features", FEATURES)
    shaped: list[Any] = _original(word, *args, **kwargs)
    if shaped is not word and not text.isascii():
        _record(text, shaped)
    return shaped


def _record(text: str, shaped: Sequence[Any]) -> None:
    """Remember, per font, which letters each private-use glyph stands for (for the ToUnicode map).

    Glyphs that share a harfbuzz cluster share its letters: those accounted for by glyphs with a
    real code point, or with letters already known, are taken away, and what remains goes to the
    cluster's one glyph still unknown. A cluster with several unknown glyphs is left alone.
    """
    glyphs: list[tuple[int, str, Any]] = []
    for frag, piece in shaped[1:]:
        data = getattr(piece, "__shapeData__", None)
        if data is None or hasattr(frag, "cbDefn"):
            continue
        font = pdfmetrics.getFont(frag.fontName)
        glyphs.extend((d.cluster, ch, font) for ch, d in zip(piece, data, strict=False))
    if not any(_is_pua(ord(ch)) for _, ch, _ in glyphs):
        return
    starts = sorted({c for c, _, _ in glyphs if 0 <= c < len(text)})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    clusters: dict[int, list[tuple[str, Any]]] = {}
    for cluster, ch, font in glyphs:
        if cluster in ends:
            clusters.setdefault(cluster, []).append((ch, font))
    for start, members in clusters.items():
        remaining = list(text[start:ends[start]])
        unknown: list[tuple[str, dict[int, str]]] = []
        for ch, font in members:
            table: dict[int, str] | None = getattr(font, "glyph_text", None)
            if _is_pua(ord(ch)):
                known = table.get(ord(ch)) if table is not None else None
                if known is None:
                    if table is not None:
                        unknown.append((ch, table))
                    continue
                letters = known
            else:
                letters = unicodedata.normalize("NFKC", ch)
            for letter in letters:
                if letter in remaining:
                    remaining.remove(letter)
        if len(unknown) == 1 and remaining:
            ch, table = unknown[0]
            table[ord(ch)] = "".join(remaining)


def install() -> None:
    """Route reportlab's paragraph shaping through :func:`_shape_word` (once per process)."""
    global _installed, _original
    if _installed:
        return
    with _lock:
        if _installed:
            return
        from reportlab.platypus import paragraph

        _original = paragraph.shapeFragWord
        paragraph.shapeFragWord = _shape_word
        _installed = True


def unicode_text(code: int, recorded: dict[int, str]) -> str:
    """The text a glyph written under ``code`` stands for, for copy and search."""
    if _is_pua(code):
        return recorded.get(code, chr(code))
    if _is_presentation_form(code):
        return unicodedata.normalize("NFKC", chr(code))
    return chr(code)


def to_unicode_cmap(name: str, subset: Sequence[int], recorded: dict[int, str]) -> str:
    """A ToUnicode CMap for one embedded subset (UTF-16BE, so emoji beyond U+FFFF map correctly)."""
    entries = []
    for i, code in enumerate(subset):
        text = unicode_text(code, recorded)
        entries.append(f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>")
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
             f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0", ">> def",
             f"/CMapName /{name} def", "/CMapType 2 def", "1 begincodespacerange",
             f"<00> <{max(len(subset) - 1, 0):02X}>", "endcodespacerange"]
    for k in range(0, len(entries), 100):  # at most 100 entries per block (PDF reference)
        block = entries[k:k + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class ShapedFont(TTFont):  # type: ignore[misc]
    """A TrueType font whose embedded subsets extract as real letters (see the module docstring)."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        #: Private-use code point (assigned by reportlab to an unmapped glyph) → the letters it shows.
        self.glyph_text: dict[int, str] = {}

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        """Embed the subsets as reportlab does, then replace each subset's ToUnicode map."""
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, subset, self.glyph_text)

"""Text as every search index sees it: folded, and CJK set apart character by character.

Word-based full-text engines split text at spaces; Chinese and Japanese have none. Before indexing
(and querying), each CJK/kana character is set apart as its own token, so a query for "合同" finds it
inside a sentence. Folding (case, accents, Greek tonos, ß) happens here too, before any engine sees
the text, so "muller" finds "Müller" in every store. Engine-independent: the file's FTS5 index and a
server's index store the same text; snippets are made from the items' own text (``read.search``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

CJK_RANGES = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff\U00030000-\U0003134f"
)
#: A run of word characters (what a query is made of).
WORD = re.compile(r"\w+", re.UNICODE)
#: A token as the index splits text (no underscores).
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@functools.cache
def cjk_char() -> re.Pattern[str]:
    """One CJK character, captured (compiled on first use: ≈ 5 ms)."""
    return re.compile(f"([{CJK_RANGES}])")


def segment(text: str) -> str:
    """Set every CJK character apart so the tokenizer sees it as a word of its own."""
    return cjk_char().sub(r" \1 ", text)


def segmented(text: str) -> str:
    """:func:`segment`, skipped for ASCII text (it has no CJK character to set apart)."""
    return text if text.isascii() else segment(text)


#: Characters whose combining marks are optional spelling (accents, Greek tonos, Hebrew points,
#: Arabic vowel marks): folded away. Elsewhere (Devanagari, Thai …) marks are letters of the word.
_FOLDED_BASES = ((0x0000, 0x052F), (0x0590, 0x06FF), (0x0750, 0x077F), (0x1E00, 0x1FFF))


def _folds_marks(base: str) -> bool:
    cp = ord(base)
    return any(low <= cp <= high for low, high in _FOLDED_BASES)


def fold_text(text: str) -> str:
    """Text as every search index stores and every query asks: accents and other optional marks
    gone (Latin, Greek, Cyrillic, Hebrew, Arabic), case folded ("Straße" → "strasse", "Σωκράτης" →
    "σωκρατησ"), every other script as written. Indexing and querying through this one function is
    what makes "muller" find "Müller" in any store."""
    if text.isascii():
        return text.lower()
    out: list[str] = []
    base = " "
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            if _folds_marks(base):
                continue
        else:
            base = ch
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).casefold()


def index_text(text: str) -> str:
    """What an index stores for ``text``: folded, with CJK set apart."""
    return segmented(fold_text(text))


def query_words(text: str, most: int = 8) -> list[str]:
    """The distinct words of what a person typed, folded, at most ``most`` (the last one always
    kept: it may be the start of a word being typed)."""
    words = list(dict.fromkeys(WORD.findall(fold_text(text))))
    if len(words) > most:
        words = words[:most - 1] + [words[-1]]
    return words


def pieces(word: str) -> list[str]:
    """A folded word as the index splits it: word characters, each CJK character apart."""
    return [p for part in WORD.findall(word) for p in cjk_char().split(part) if p]

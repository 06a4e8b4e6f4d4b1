"""The lingo check: find words a persona's messaging must not use, where, and what to say instead.

Rules (DESIGN.md "Lingo check"): whole words in any case, simple plurals ("contract" catches
"Contracts" and "contract's", not "contractor"), multi-word terms with any spacing ("QR  code"),
persona-scoped terms only for that persona, the persona's own don'ts, and a message on a channel the
persona avoids. Scripts written without spaces (CJK) match inside a sentence.
Pure functions over plain data: the core, the CLI and the editor's live underlining all share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

#: Fields of a message that reach customers (internal notes are not checked).
MESSAGE_FIELDS: tuple[str, ...] = ("headline", "body", "call_to_action")
#: Leading words stripped from an unquoted don't item before it is used as a phrase.
_NEGATIONS = re.compile(
    r"^\s*(?:don['’]t|do\s+not|never|no|not|avoid|stop|without)\s+(?:use\s+|using\s+|say\s+|saying\s+|"
    r"mention\s+|mentioning\s+)?", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{1,80})[\"“”„«»]")
_NO_SPACE_SCRIPTS = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\U00020000-\U0002ffff]")
#: Don't items longer than this many words are advice, not phrases to look for.
MAX_DONT_WORDS = 4


@dataclass(frozen=True)
class LingoTerm:
    """A vocabulary entry as the checker needs it."""

    id: str
    term: str
    kind: str
    replacement: str = ""
    note: str = ""
    persona_id: str | None = None


@dataclass(frozen=True)
class Breach:
    """One place where text breaks the lingo.

    ``kind`` is ``avoid`` (a vocabulary term), ``dont`` (the persona's own don't list) or ``channel``
    (the message is on a channel the persona avoids). ``start``/``end`` index into ``field``'s text.
    """

    kind: str
    phrase: str
    field: str
    start: int = 0
    end: int = 0
    found: str = ""
    replacement: str = ""
    term_id: str | None = None
    note: str = ""

    def describe(self) -> str:
        """One line for people: what is wrong and what to do."""
        if self.kind == "channel":
            return f"this persona avoids the {self.phrase} channel"
        if self.kind == "dont":
            return f"“{self.found}” is on this persona's don't list"
        advice = f" — say “{self.replacement}”" if self.replacement else ""
        return f"“{self.found}” is on the avoid list{advice}"


def term_pattern(term: str) -> str | None:
    """The regular expression for one term: whole words, any spacing, simple plurals."""
    words = term.split()
    if not words:
        return None
    parts = [re.escape(w) for w in words]
    last = words[-1]
    if not _NO_SPACE_SCRIPTS.search(last) and last[-1:].isalpha():
        low = last.lower()
        if len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
            parts[-1] = re.escape(last[:-1]) + "(?:y|ies)"
        elif low.endswith(("s", "x", "z", "ch", "sh")):
            parts[-1] = re.escape(last) + "(?:es)?"
        else:
            parts[-1] = re.escape(last) + "(?:s|es)?"
    body = r"\s+".join(parts)
    lead = "" if (not re.match(r"\w", term.strip()) or _NO_SPACE_SCRIPTS.match(term.strip())) else r"(?<!\w)"
    stripped = term.strip()
    tail = "" if (not re.search(r"\w$", stripped) or _NO_SPACE_SCRIPTS.search(stripped[-1])) else r"(?!\w)"
    return f"{lead}{body}{tail}"


def dont_phrases(dont_items: Iterable[str]) -> list[str]:
    """Phrases to look for in a persona's don't list: quoted text, or a short item without its 'don't'."""
    phrases: list[str] = []
    for item in dont_items:
        quoted = _QUOTED.findall(item)
        if quoted:
            phrases.extend(q.strip() for q in quoted if q.strip())
            continue
        bare = _NEGATIONS.sub("", item).strip().rstrip(".!;:")
        if bare and len(bare.split()) <= MAX_DONT_WORDS:
            phrases.append(bare)
    return phrases


@dataclass
class _Compiled:
    regex: re.Pattern[str] | None
    entries: list[tuple[str, LingoTerm | None]] = field(default_factory=list)
    #: Lower-case literals one of which every match must contain, when all phrases are ASCII; a text
    #: with none of them cannot match (20x faster than the regex on the common, clean text).
    keys: tuple[str, ...] | None = None


@lru_cache(maxsize=256)
def _compile(items: tuple[tuple[str, str, str, str, str | None], ...]) -> _Compiled:
    """Compile (phrase, kind, replacement, id, note) entries into one alternation, longest first."""
    patterns: list[str] = []
    entries: list[tuple[str, LingoTerm | None]] = []
    ordered = sorted(items, key=lambda it: -len(it[0]))
    for phrase, kind, replacement, term_id, note in ordered:
        pat = term_pattern(phrase)
        if pat is None:
            continue
        patterns.append(f"(?P<g{len(entries)}>{pat})")
        term = LingoTerm(term_id, phrase, kind, replacement, note or "") if kind == "avoid" else None
        entries.append((phrase, term))
    if not patterns:
        return _Compiled(None)
    keys: tuple[str, ...] | None = None
    if all(phrase.isascii() for phrase, *_ in ordered):
        literal = []
        for phrase, *_ in ordered:
            words = phrase.lower().split()
            # The last word may change in the plural ("company" → "companies"): drop its last letter.
            literal.append(words[0] if len(words) > 1 else (words[0][:-1] or words[0]))
        keys = tuple(sorted(set(literal)))
    return _Compiled(re.compile("|".join(patterns), re.IGNORECASE), entries, keys)


class Checker:
    """Checks texts against one workbench's vocabulary. Build once per vocabulary, reuse for many texts."""

    def __init__(self, terms: Iterable[LingoTerm]) -> None:
        self._global: list[LingoTerm] = []
        self._scoped: dict[str, list[LingoTerm]] = {}
        for term in terms:
            if term.kind != "avoid" or not term.term.strip():
                continue
            if term.persona_id:
                self._scoped.setdefault(term.persona_id, []).append(term)
            else:
                self._global.append(term)

    def _compiled_sets(self, persona_id: str | None, dont_items: Sequence[str]) -> tuple[_Compiled, ...]:
        """The global vocabulary (compiled once) and this persona's own terms and don'ts (small).

        Compiling one alternation per persona with every global term in it cost a 200-alternative
        regex per persona: 12 s for the problems of 10,000 personas.
        """
        global_items = tuple((t.term.strip(), "avoid", t.replacement, t.id, t.note) for t in self._global)
        own: list[tuple[str, str, str, str, str | None]] = [
            (t.term.strip(), "avoid", t.replacement, t.id, t.note) for t in self._scoped.get(persona_id or "", [])]
        own.extend((phrase, "dont", "", "", None) for phrase in dont_phrases(dont_items))
        return (_compile(global_items), _compile(tuple(own)))

    @staticmethod
    def _scan(compiled: _Compiled, text: str, low: str | None, field_name: str) -> list[Breach]:
        if compiled.regex is None:
            return []
        if compiled.keys is not None and low is not None and not any(key in low for key in compiled.keys):
            return []
        found: list[Breach] = []
        for match in compiled.regex.finditer(text):
            index = int((match.lastgroup or "g0")[1:])
            phrase, term = compiled.entries[index]
            if term is not None:
                found.append(Breach("avoid", phrase, field_name, match.start(), match.end(),
                                    match.group(), term.replacement, term.id, term.note))
            else:
                found.append(Breach("dont", phrase, field_name, match.start(), match.end(), match.group()))
        return found

    def check_text(self, text: str, field_name: str = "text", persona_id: str | None = None,
                   dont_items: Sequence[str] = ()) -> list[Breach]:
        """Every breach in one text, in order of position (overlapping matches: the longer wins)."""
        if not text:
            return []
        low = text.lower() if text.isascii() else None
        found: list[Breach] = []
        for compiled in self._compiled_sets(persona_id, tuple(dont_items)):
            found.extend(self._scan(compiled, text, low, field_name))
        if len(found) < 2:
            return found
        found.sort(key=lambda b: (b.start, -(b.end - b.start)))
        kept: list[Breach] = []
        for b in found:
            if kept and b.start < kept[-1].end:
                continue  # overlaps a match already kept (same place in both sets)
            kept.append(b)
        return kept

    def check_message(self, fields: Mapping[str, str], persona_id: str | None,
                      dont_items: Sequence[str] = (), channel_name: str = "",
                      avoid_channels: Sequence[str] = ()) -> list[Breach]:
        """Breaches in a message's customer-facing fields, plus an avoided channel."""
        breaches: list[Breach] = []
        avoided = {c.strip().casefold() for c in avoid_channels if c.strip()}
        if channel_name and channel_name.strip().casefold() in avoided:
            breaches.append(Breach("channel", channel_name, "channel"))
        for name in MESSAGE_FIELDS:
            breaches.extend(self.check_text(fields.get(name, ""), name, persona_id, dont_items))
        return breaches

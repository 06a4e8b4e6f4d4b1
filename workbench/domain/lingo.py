"""The lingo check: find words a persona's messaging must not use, where, and what to say instead.

Rules (docs/product.md, "Lingo check and overrides"): whole words in any case, simple plurals ("contract" catches
"Contracts" and "contract's", not "contractor"), multi-word terms with any spacing ("QR  code"),
persona-scoped terms only for that persona, the persona's own don'ts, and a message on a channel the
persona avoids. Scripts written without spaces (CJK) match inside a sentence.
Pure functions over plain data: the core, the CLI and the editor's live underlining all share them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from os.path import commonprefix

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
#: A vocabulary with at most this many distinct first words is first probed with substring tests.
MAX_PROBES = 24


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


def _term_shape(term: str) -> tuple[list[str], str, bool, bool] | None:
    """How :func:`term_pattern` treats a term: its words, the plural rule of the last word (``ies``,
    ``es``, ``s`` or ``""``), and whether the match must start / end at a word boundary.

    One place for these rules, so the regular expression and the word-lookup keys of
    :class:`_Compiled` cannot drift apart.
    """
    words = term.split()
    if not words:
        return None
    last = words[-1]
    plural = ""
    if not _NO_SPACE_SCRIPTS.search(last) and last[-1:].isalpha():
        low = last.lower()
        if len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
            plural = "ies"
        elif low.endswith(("s", "x", "z", "ch", "sh")):
            plural = "es"
        else:
            plural = "s"
    stripped = term.strip()
    lead = bool(re.match(r"\w", stripped)) and not _NO_SPACE_SCRIPTS.match(stripped)
    tail = bool(re.search(r"\w$", stripped)) and not _NO_SPACE_SCRIPTS.search(stripped[-1])
    return words, plural, lead, tail


def term_pattern(term: str) -> str | None:
    """The regular expression for one term: whole words, any spacing, simple plurals."""
    shape = _term_shape(term)
    if shape is None:
        return None
    words, plural, lead, tail = shape
    parts = [re.escape(w) for w in words]
    last = words[-1]
    if plural == "ies":
        parts[-1] = re.escape(last[:-1]) + "(?:y|ies)"
    elif plural == "es":
        parts[-1] = re.escape(last) + "(?:es)?"
    elif plural == "s":
        parts[-1] = re.escape(last) + "(?:s|es)?"
    return ("(?<!\\w)" if lead else "") + r"\s+".join(parts) + ("(?!\\w)" if tail else "")


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


# --- the matcher: look words up, run a regex only where a term may occur ---------------------
#
# One alternation of every term, run over every text, costs ≈ 250 µs per 100-word text even when
# nothing matches: Python's ``re`` tries every alternative at every position. Instead each text is
# folded and split into words once; a term can only match where the text holds its first word
# (with its plural forms, folded the way ``re.IGNORECASE`` compares letters), so the words are
# looked up in a dict and the alternation — of the few candidate terms, in the original order — runs
# only on texts that hold one. Dropping alternatives that cannot match anywhere in a text leaves
# every match of the alternation as it was (at each position the first alternative that matches
# still wins), so the breaches found are exactly those of the one big regex.

try:
    # The case equivalences ``re.IGNORECASE`` adds to simple lower-casing (ı ≈ i, ſ ≈ s, ς ≈ σ …).
    _RE_EXTRA_CASES: dict[int, tuple[int, ...]] | None = getattr(
        importlib.import_module("re._casefix"), "_EXTRA_CASES", None)
except ImportError:  # pragma: no cover - another Python: non-ASCII texts take the full alternation
    _RE_EXTRA_CASES = None
#: The one character that is not a word character (``\w``) although ``re.IGNORECASE`` takes it for
#: one (U+0345 ≈ ι): word splitting cannot mirror the regex around it, so a text or a phrase with it
#: takes the full alternation (tests/workbench/test_lingo.py checks every code point).
_ODD = "\u0345"
_WORD = re.compile(r"\w+")


class _FoldTable(dict[int, int]):
    """A ``str.translate`` table: every character → one representative of the characters that
    ``re.IGNORECASE`` takes for it (its simple lower case, or the least of its extra equivalents).

    Filled on first use of each character. One character maps to one, so word boundaries and
    positions survive folding.
    """

    def __missing__(self, code: int) -> int:
        # re lower-cases one character to one: only "İ" lowers to two ("i̇") and simply to "i".
        lower = ord(chr(code).lower()[0])
        # Never U+0345 (the least of ι's equivalents): "ι" must stay a word character.
        folded = min(c for c in (lower, *(_RE_EXTRA_CASES or {}).get(lower, ())) if c != ord(_ODD))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    """``text`` as the word lookup compares it (ASCII: plain lower case)."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


class _Text:
    """A text prepared once for every vocabulary it is checked against: folded, and (on first need)
    split into its set of folded words."""

    __slots__ = ("low", "_words")

    def __init__(self, low: str) -> None:
        self.low = low
        self._words: set[str] | None = None

    @property
    def words(self) -> set[str]:
        """The folded words (maximal runs of word characters) of the text."""
        if self._words is None:
            self._words = set(_WORD.findall(self.low))
        return self._words


def _prepare(text: str) -> _Text | None:
    """``text`` folded for look-ups, or None: check it with the full alternation (see ``_ODD``)."""
    if text.isascii():
        return _Text(text.lower())
    if _ODD in text or _RE_EXTRA_CASES is None:
        return None
    return _Text(text.translate(_FOLD))


def _anchor(phrase: str) -> tuple[tuple[str, ...], bool] | None:
    r"""Folded forms of the phrase's first word, one of which every text it matches contains, and
    whether that is always a whole word of the text (else only a part of one, as in CJK).

    The first run of word characters of the phrase is preceded by a word boundary when the pattern
    has its ``(?<!\w)`` or anything precedes it in the phrase, and followed by one unless it ends the
    phrase without a ``(?!\w)``; when it ends the phrase its plural forms count too. None: the
    phrase has no word character (or an odd one) and is tried on every text.
    """
    shape = _term_shape(phrase)
    if shape is None or _ODD in phrase:
        return None
    words, plural, lead, tail = shape
    found = next(((k, word, run) for k, word in enumerate(words) if (run := _WORD.search(word))), None)
    if found is None:
        return None
    k, word, run = found
    key = run.group()
    at_end = k == len(words) - 1 and run.end() == len(word)
    whole = (run.start() > 0 or k > 0 or lead) and (not at_end or tail)
    forms: tuple[str, ...] = (key,)
    if at_end and plural == "ies":
        forms = (key[:-1] + "y", key[:-1] + "ies")
    elif at_end and plural == "es":
        forms = (key, key + "es")
    elif at_end and plural == "s":
        forms = (key, key + "s", key + "es")
    return tuple(dict.fromkeys(_fold(f) for f in forms)), whole


@dataclass
class _Compiled:
    """One vocabulary (phrases longest first) with its word index.

    ``words`` maps a folded whole word to the entries that may match where it occurs, ``parts`` lists
    (folded text, entry) pairs found inside words (CJK), ``always`` the entries tried on every text.
    """

    entries: list[tuple[str, LingoTerm | None]] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    words: dict[str, tuple[int, ...]] = field(default_factory=dict)
    parts: list[tuple[str, int]] = field(default_factory=list)
    always: tuple[int, ...] = ()
    #: For a small vocabulary, folded strings one of which a text must contain for any word or part
    #: to be found in it: a few substring tests reject most texts faster than splitting them into words.
    probes: tuple[str, ...] | None = None
    _regexes: dict[tuple[int, ...], re.Pattern[str]] = field(default_factory=dict)

    def regex(self, indices: tuple[int, ...]) -> re.Pattern[str]:
        """The alternation of the given entries (in entry order), compiled once."""
        found = self._regexes.get(indices)
        if found is None:
            if len(self._regexes) >= 1024:
                self._regexes.clear()
            found = re.compile("|".join(self.patterns[i] for i in indices), re.IGNORECASE)
            self._regexes[indices] = found
        return found

    def candidates(self, text: _Text | None) -> tuple[int, ...]:
        """Entries that may match the prepared text (a superset), in entry order."""
        if text is None:
            return tuple(range(len(self.entries)))
        low = text.low
        if self.probes is not None and not any(map(low.__contains__, self.probes)):
            return self.always
        words = self.words
        hits = [i for word in (text.words & words.keys()) for i in words[word]]
        hits.extend(i for part, i in self.parts if part in low)
        hits.extend(self.always)
        if len(hits) > 1:
            return tuple(sorted(set(hits)))
        return tuple(hits)


@lru_cache(maxsize=256)
def _compile(items: tuple[tuple[str, str, str, str, str | None], ...]) -> _Compiled:
    """Index (phrase, kind, replacement, id, note) entries for look-up, longest phrase first."""
    compiled = _Compiled()
    words: dict[str, list[int]] = {}
    always: list[int] = []
    probes: set[str] = set()
    ordered = sorted(items, key=lambda it: -len(it[0]))
    for phrase, kind, replacement, term_id, note in ordered:
        pat = term_pattern(phrase)
        if pat is None:
            continue
        index = len(compiled.entries)
        compiled.patterns.append(f"(?P<g{index}>{pat})")
        term = LingoTerm(term_id, phrase, kind, replacement, note or "") if kind == "avoid" else None
        compiled.entries.append((phrase, term))
        anchor = _anchor(phrase)
        if anchor is None:
            always.append(index)
            continue
        probes.add(commonprefix(anchor[0]))  # "policy", "policies" → "polic"
        if anchor[1]:
            for form in anchor[0]:
                words.setdefault(form, []).append(index)
        else:
            compiled.parts.extend((form, index) for form in anchor[0])
    compiled.words = {word: tuple(indices) for word, indices in words.items()}
    compiled.always = tuple(always)
    if len(probes) <= MAX_PROBES and "" not in probes:
        compiled.probes = tuple(sorted(probes))
    return compiled


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
        self._global_set: _Compiled | None = None
        self._own_sets: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def _compiled_sets(self, persona_id: str | None, dont_items: Sequence[str]) -> tuple[_Compiled, ...]:
        """The global vocabulary and this persona's own terms and don'ts, each compiled once per checker.

        Compiling one alternation per persona with every global term in it cost a 200-alternative
        regex per persona: 12 s for the problems of 10,000 personas. Rebuilding the item tuples and
        the don't phrases for every text cost ≈ 14 µs a text; both are kept here now.
        """
        if self._global_set is None:
            self._global_set = _compile(tuple(
                (t.term.strip(), "avoid", t.replacement, t.id, t.note) for t in self._global))
        key = (persona_id or "", tuple(dont_items))
        own = self._own_sets.get(key)
        if own is None:
            items: list[tuple[str, str, str, str, str | None]] = [
                (t.term.strip(), "avoid", t.replacement, t.id, t.note) for t in self._scoped.get(key[0], [])]
            items.extend((phrase, "dont", "", "", None) for phrase in dont_phrases(key[1]))
            own = _compile(tuple(items))
            if len(self._own_sets) >= 4096:
                self._own_sets.clear()
            self._own_sets[key] = own
        return (self._global_set, own)

    @staticmethod
    def _scan(compiled: _Compiled, text: str, prepared: _Text | None, field_name: str) -> list[Breach]:
        indices = compiled.candidates(prepared)
        if not indices:
            return []
        found: list[Breach] = []
        for match in compiled.regex(indices).finditer(text):
            index = int((match.lastgroup or "g0")[1:])
            phrase, term = compiled.entries[index]
            if term is not None:
                found.append(Breach("avoid", phrase, field_name, match.start(), match.end(),
                                    match.group(), term.replacement, term.id, term.note))
            else:
                found.append(Breach("dont", phrase, field_name, match.start(), match.end(), match.group()))
        return found

    def _check(self, sets: tuple[_Compiled, ...], text: str, field_name: str) -> list[Breach]:
        """Every breach of one text against already compiled vocabularies (see :meth:`check_text`)."""
        if not text or not any(compiled.entries for compiled in sets):
            return []
        prepared = _prepare(text)
        found: list[Breach] = []
        for compiled in sets:
            if compiled.entries:
                found.extend(self._scan(compiled, text, prepared, field_name))
        if len(found) < 2:
            return found
        found.sort(key=lambda b: (b.start, -(b.end - b.start)))
        kept: list[Breach] = []
        for b in found:
            if kept and b.start < kept[-1].end:
                continue  # overlaps a match already kept (same place in both sets)
            kept.append(b)
        return kept

    def check_text(self, text: str, field_name: str = "text", persona_id: str | None = None,
                   dont_items: Sequence[str] = ()) -> list[Breach]:
        """Every breach in one text, in order of position (overlapping matches: the longer wins)."""
        if not text:
            return []
        return self._check(self._compiled_sets(persona_id, dont_items), text, field_name)

    def check_message(self, fields: Mapping[str, str], persona_id: str | None,
                      dont_items: Sequence[str] = (), channel_name: str = "",
                      avoid_channels: Sequence[str] = ()) -> list[Breach]:
        """Breaches in a message's customer-facing fields, plus an avoided channel."""
        breaches: list[Breach] = []
        avoided = {c.strip().casefold() for c in avoid_channels if c.strip()}
        if channel_name and channel_name.strip().casefold() in avoided:
            breaches.append(Breach("channel", channel_name, "channel"))
        sets = self._compiled_sets(persona_id, dont_items)  # once per message, not once per field
        texts = [fields.get(name, "") or "" for name in MESSAGE_FIELDS]
        if self._clean(sets, "\n".join(texts)):
            return breaches
        for name, text in zip(MESSAGE_FIELDS, texts, strict=True):
            breaches.extend(self._check(sets, text, name))
        return breaches

    @staticmethod
    def _clean(sets: tuple[_Compiled, ...], text: str) -> bool:
        """True when no vocabulary can match anywhere in ``text`` (its probes are all absent).

        Probing a message's fields joined once, instead of each field twice (global and own
        vocabulary), is most of what re-checking a clean message costs. A probe found across two
        fields is harmless: the fields are then checked one by one.
        """
        used = [compiled for compiled in sets if compiled.entries]
        if not used:
            return True
        if any(compiled.probes is None or compiled.always for compiled in used):
            return False
        prepared = _prepare(text)
        if prepared is None:
            return False
        low = prepared.low
        return not any(any(map(low.__contains__, compiled.probes or ())) for compiled in used)

"""Lingo rules: whole words, any case, simple plurals, phrases, scope, don'ts, avoided channels."""

from __future__ import annotations

import random
import re

import pytest

from workbench.domain import errors, lingo
from workbench.domain.lingo import Breach, Checker, LingoTerm, dont_phrases, term_pattern
from workbench.edit import commands as C
from workbench.session import Workbench

CHECK = Checker([
    LingoTerm("t1", "contract", "avoid", "paperwork"),
    LingoTerm("t2", "QR code", "avoid", "a short web address", persona_id="hank"),
    LingoTerm("t3", "company", "avoid", "firm"),
    LingoTerm("t4", "合同", "avoid", "文件"),
    LingoTerm("t5", "paperwork", "prefer"),
    LingoTerm("t6", "MQL", "define", note="marketing-qualified lead"),
])


def found(text: str, persona: str | None = None, dont: tuple[str, ...] = ()) -> list[str]:
    return [b.found for b in CHECK.check_text(text, "body", persona, dont)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sign the contract", ["contract"]),
    ("CONTRACTS attached", ["CONTRACTS"]),
    ("Contract's terms", ["Contract"]),
    ("our contractor will call", []),
    ("subcontract", []),
    ("two companies", ["companies"]),
    ("我们的合同很好", ["合同"]),
    ("Paperwork, not contracts.", ["contracts"]),
])
def test_whole_words_any_case_simple_plurals(text: str, expected: list[str]) -> None:
    assert found(text) == expected


def test_multi_word_terms_and_persona_scope() -> None:
    assert found("Scan the QR  code", "hank") == ["QR  code"]
    assert found("scan the qr codes", "hank") == ["qr codes"]
    assert found("Scan the QR code", "someone-else") == []
    assert found("Scan the QR code", None) == []


def test_prefer_and_define_terms_are_not_breaches() -> None:
    assert found("Your paperwork and the MQL") == []


def test_breach_positions_and_advice() -> None:
    [b] = CHECK.check_text("Sign the contract today", "headline")
    assert (b.start, b.end, b.field, b.replacement, b.term_id) == (9, 17, "headline", "paperwork", "t1")
    assert "paperwork" in b.describe()


def test_dont_items_quoted_or_short_phrases() -> None:
    assert dont_phrases(['Never mention "QR codes"', "No jargon", "synergy",
                         "Don't call him before nine in the morning on a Monday"]) == ["QR codes", "jargon", "synergy"]
    assert found("Some jargon here", dont=("No jargon",)) == ["jargon"]


def test_avoided_channel_is_a_breach() -> None:
    breaches = CHECK.check_message({"headline": "Hello"}, "p", (), "Ads", ("ads",))
    assert [b.kind for b in breaches] == ["channel"]


def test_notes_are_not_checked() -> None:
    assert CHECK.check_message({"notes": "contract"}, None) == []


def test_term_pattern_escapes_regex_syntax() -> None:
    assert term_pattern("C++ (beta)") is not None
    checker = Checker([LingoTerm("x", "C++ (beta)", "avoid")])
    assert [b.found for b in checker.check_text("We ship C++ (beta) now")] == ["C++ (beta)"]
    assert Checker([LingoTerm("x", ".*", "avoid")]).check_text("anything") == []


def test_approval_with_breach_needs_a_recorded_override(wb: Workbench) -> None:
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    pid = wb.execute(C.CreatePersona({"name": "Hank", "dont": ['Never say "QR code"'],
                                      "avoid_channels": ["Ads"]})).extra["id"]
    channels = {c.name: c.id for c in wb.channels()}
    mid = wb.execute(C.CreateMessage(pid, channels["Direct mail"], "decision",
                                     {"body": "The contract is ready"})).extra["id"]
    with pytest.raises(errors.ApprovalBlocked) as info:
        wb.execute(C.SetMessageStatus(mid, "approved"))
    assert "paperwork" in str(info.value)
    assert wb.message(mid).status == "draft"  # type: ignore[union-attr]
    wb.execute(C.SetMessageStatus(mid, "approved", override_reason="Legal insisted on the word"))
    m = wb.message(mid)
    assert m is not None and m.status == "approved" and m.override_reason == "Legal insisted on the word"
    problems = wb.problems()
    accepted = [p for p in problems if p.kind == "accepted"]
    assert accepted and "Legal insisted" in accepted[0].text and not accepted[0].blocking
    # A don't item and an avoided channel block approval too.
    ad = wb.execute(C.CreateMessage(pid, channels["Ads"], "awareness", {"headline": "Hello"})).extra["id"]
    with pytest.raises(errors.ApprovalBlocked, match="avoids"):
        wb.execute(C.SetMessageStatus(ad, "approved"))
    qr = wb.execute(C.CreateMessage(pid, channels["PR"], "awareness", {"headline": "Scan our QR code"})).extra["id"]
    with pytest.raises(errors.ApprovalBlocked, match="don't list"):
        wb.execute(C.SetMessageStatus(qr, "approved"))


def test_term_edits_recheck_affected_messages(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
    cid = wb.channels()[0].id
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"body": "Sign the contract"})).extra["id"]
    assert wb.message(mid).breach_count == 0  # type: ignore[union-attr]
    tid = wb.execute(C.CreateTerm("contract", "avoid", "paperwork")).extra["id"]
    assert wb.message(mid).breach_count == 1  # type: ignore[union-attr]
    change = wb.execute(C.UpdateTerm(tid, {"kind": "prefer"}))
    assert wb.message(mid).breach_count == 0  # type: ignore[union-attr]
    wb.undo(change)
    assert wb.message(mid).breach_count == 1  # type: ignore[union-attr]
    other = wb.execute(C.CreatePersona({"name": "Other"})).extra["id"]
    scoped = wb.execute(C.CreateTerm("sign", "avoid", persona_id=other)).extra["id"]
    assert wb.message(mid).breach_count == 1  # type: ignore[union-attr]
    wb.execute(C.UpdateTerm(scoped, {"persona_id": pid}))
    assert wb.message(mid).breach_count == 2  # type: ignore[union-attr]
    wb.execute(C.UpdatePersona(pid, {"dont": ["the"]}))
    assert wb.message(mid).breach_count == 3  # type: ignore[union-attr]


# --- the word-lookup matcher gives exactly what the one big alternation gave ------------------------

_NO_SPACE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\U00020000-\U0002ffff]")


def _reference_pattern(term: str) -> str | None:
    """``term_pattern`` as it was written before the matcher (the rules, spelled out once more)."""
    words = term.split()
    if not words:
        return None
    parts = [re.escape(w) for w in words]
    last = words[-1]
    if not _NO_SPACE.search(last) and last[-1:].isalpha():
        low = last.lower()
        if len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
            parts[-1] = re.escape(last[:-1]) + "(?:y|ies)"
        elif low.endswith(("s", "x", "z", "ch", "sh")):
            parts[-1] = re.escape(last) + "(?:es)?"
        else:
            parts[-1] = re.escape(last) + "(?:s|es)?"
    body = r"\s+".join(parts)
    stripped = term.strip()
    lead = "" if (not re.match(r"\w", stripped) or _NO_SPACE.match(stripped)) else r"(?<!\w)"
    tail = "" if (not re.search(r"\w$", stripped) or _NO_SPACE.search(stripped[-1])) else r"(?!\w)"
    return f"{lead}{body}{tail}"


def _reference_scan(items: list[tuple[str, str, str, str, str | None]], text: str, field: str) -> list[Breach]:
    """The old matcher: one alternation of every phrase, longest first, run over the whole text."""
    patterns: list[str] = []
    entries: list[tuple[str, str, str, str, str | None]] = []
    for item in sorted(items, key=lambda it: -len(it[0])):
        pat = _reference_pattern(item[0])
        if pat is not None:
            patterns.append(f"(?P<g{len(entries)}>{pat})")
            entries.append(item)
    if not patterns:
        return []
    found = []
    for m in re.finditer("|".join(patterns), text, re.IGNORECASE):
        phrase, kind, replacement, term_id, note = entries[int((m.lastgroup or "g0")[1:])]
        if kind == "avoid":
            found.append(Breach("avoid", phrase, field, m.start(), m.end(), m.group(), replacement, term_id,
                                note or ""))
        else:
            found.append(Breach("dont", phrase, field, m.start(), m.end(), m.group()))
    return found


def _reference_check(terms: list[LingoTerm], text: str, field: str, persona: str | None,
                     dont: tuple[str, ...]) -> list[Breach]:
    if not text:
        return []
    avoid = [t for t in terms if t.kind == "avoid" and t.term.strip()]
    shared = [(t.term.strip(), "avoid", t.replacement, t.id, t.note) for t in avoid if not t.persona_id]
    own: list[tuple[str, str, str, str, str | None]] = [
        (t.term.strip(), "avoid", t.replacement, t.id, t.note) for t in avoid if t.persona_id and t.persona_id == persona]
    own += [(phrase, "dont", "", "", None) for phrase in dont_phrases(dont)]
    found = sorted(_reference_scan(shared, text, field) + _reference_scan(own, text, field),
                   key=lambda b: (b.start, -(b.end - b.start)))
    kept: list[Breach] = []
    for b in found:
        if not kept or b.start >= kept[-1].end:
            kept.append(b)
    return kept


#: Terms and words that stress the matcher: plurals, multi-word and hyphenated terms, punctuation,
#: CJK and Thai (no spaces), accents, and letters ``re.IGNORECASE`` folds unusually (İ ı ſ ς K ﬅ, U+0345).
_POOL = ["contract", "company", "policy", "key", "box", "bus", "church", "wish", "quiz", "app", "cloud", "QR code",
         "co-op", "C++ (beta)", ".*", "@home", "合同", "客户", "QR合同", "合同 app", "théâtre", "İstanbul", "istanbul",
         "ıd", "ſale", "sale", "ΣΟΦΙΑ", "σοφία", "σοφιας", "ιδέα", "\u0345δέα", "ภาษา", "web3", "snake_case",
         "don't", "o'neil", "-y", "y", "by", "day", "spy", "e-mail", "naïve", "NAÏVE", "straße", "STRASSE", "ﬆ",
         "ﬅ", "kelvin", "\u212aelvin", "up-to-date", "date", "synergy", "hype", "a b c", "new  york"]
_SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", "\xa0", ", ", ". ", "-", "—", "'", "’s ", "s ", "es ", "ies ", "",
               "_", "/", "(", ")", '"', "1", "é"]


def _variant(rng: random.Random, word: str) -> str:
    roll = rng.random()
    word = word.upper() if roll < 0.2 else word.title() if roll < 0.35 else word.lower() if roll < 0.45 else word
    if rng.random() < 0.2:
        word = word.replace(" ", rng.choice(["  ", "\n", "\t", " "]))
    if rng.random() < 0.15:
        word = word[:-1] + "ies" if word.endswith(("y", "Y")) else word + rng.choice(["s", "es", "S", "'s", "ſ"])
    return word


def _text(rng: random.Random) -> str:
    return "".join(_variant(rng, rng.choice(_POOL)) + rng.choice(_SEPARATORS) for _ in range(rng.randrange(14)))


def _dont(rng: random.Random) -> str:
    w = rng.choice(_POOL)
    return rng.choice([f'Never say "{w}"', f"Don't mention {w}", f"No {w}.", f"Avoid {w}", w,
                       f"do not use “{w}” or “{rng.choice(_POOL)}”", "Don't call him before nine in the morning"])


def test_matcher_gives_what_the_plain_alternation_gave() -> None:
    rng = random.Random(20261123)
    checked = flagged = 0
    for _ in range(100):
        terms = [LingoTerm(f"t{i}", _variant(rng, rng.choice(_POOL)) if rng.random() < 0.3 else rng.choice(_POOL),
                           rng.choice(["avoid", "avoid", "avoid", "prefer"]), "r", "n",
                           rng.choice([None, None, "p1", "p2"])) for i in range(rng.randrange(1, 25))]
        for t in terms:
            assert term_pattern(t.term) == _reference_pattern(t.term), t.term
        checker = Checker(terms)
        for _ in range(40):
            persona = rng.choice([None, "p1", "p2", "p3"])
            dont = tuple(_dont(rng) for _ in range(rng.randrange(3)))
            text = _text(rng)
            expected = _reference_check(terms, text, "body", persona, dont)
            assert checker.check_text(text, "body", persona, dont) == expected, (text, terms, persona, dont)
            fields = {"headline": _text(rng), "body": text, "call_to_action": _text(rng), "notes": _text(rng)}
            channel, avoid = rng.choice(["", "Ads", "PR"]), rng.choice([(), ("ads",), (" PR ",)])
            whole = [Breach("channel", channel, "channel")] if channel and channel.lower() in {
                a.strip().lower() for a in avoid} else []
            for name in ("headline", "body", "call_to_action"):
                whole += _reference_check(terms, fields[name], name, persona, dont)
            assert checker.check_message(fields, persona, dont, channel, avoid) == whole, (fields, terms)
            checked += 1
            flagged += bool(expected)
    assert flagged > checked // 5  # the texts do break the lingo, often


def test_matcher_finds_the_unusual_case_foldings() -> None:
    terms = [LingoTerm("a", "istanbul", "avoid"), LingoTerm("b", "sale", "avoid"), LingoTerm("c", "σοφία", "avoid"),
             LingoTerm("d", "kelvin", "avoid"), LingoTerm("e", "ιδέα", "avoid"), LingoTerm("f", "ภาษา", "avoid")]
    checker = Checker(terms)
    for text in ("İSTANBUL", "ıstanbul", "ſale", "SALES", "ΣΟΦΊΑ", "\u212aELVIN", "\u0345δέα", "ภาษาไทย"):
        found = checker.check_text(f"x {text} y")
        assert found and found == _reference_check(terms, f"x {text} y", "text", None, ()), text


def test_folding_keeps_what_re_ignorecase_considers_equal() -> None:
    """The word lookup folds characters as ``re.IGNORECASE`` compares them (simple lower case, then
    re's extra equivalences), one character to one, and never turns a word character into a non-word
    one or back (U+0345, the one exception, sends texts and phrases to the plain regex)."""
    import _sre  # type: ignore[import-not-found]
    from re import _casefix  # type: ignore[attr-defined]

    extra: dict[int, tuple[int, ...]] = _casefix._EXTRA_CASES
    assert lingo._RE_EXTRA_CASES == extra
    for code, others in extra.items():  # equivalence classes are closed
        for other in others:
            assert {code, *others} == {other, *extra[other]}
    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    lowers = list(map(_sre.unicode_tolower, codes))
    assert [ord(chr(c).lower()[0]) for c in codes] == lowers  # str.lower is re's lower, first character
    table = lingo._FoldTable()
    assert "".join(map(chr, range(128))).translate(table) == "".join(map(chr, range(128))).lower()
    word = re.compile(r"\w")
    odd = ord(lingo._ODD)
    folded = 0
    for code, lower in zip(codes, lowers, strict=True):
        if lower == code and lower not in extra:
            continue  # folds to itself
        rep = table[code]
        assert rep == min(c for c in (lower, *extra.get(lower, ())) if c != odd)
        assert table[rep] == rep  # one representative per class
        if code != odd:
            assert (word.match(chr(code)) is None) == (word.match(chr(rep)) is None), hex(code)
        folded += 1
    assert folded > 1000

"""Lingo rules: whole words, any case, simple plurals, phrases, scope, don'ts, avoided channels."""

from __future__ import annotations

import pytest

from workbench import commands as C
from workbench import errors
from workbench.lingo import Checker, LingoTerm, dont_phrases, term_pattern
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

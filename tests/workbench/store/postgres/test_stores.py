"""The core behaves the same on both stores: commands, undo/redo with row versions, conflicts,
interchange round trips, search (accents, CJK, prefixes, inert operators), reads and the playbook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import make_png
from tests.workbench.store.postgres.conftest import SAMPLE, Benches, fresh_ctx
from workbench.domain import errors
from workbench.edit import commands as C
from workbench.exchange.interchange import ImportDocument, dumps, export_document
from workbench.publish import PlaybookOptions, export_playbook


def test_commands_bump_versions_and_undo_redo_chain(benches: Benches) -> None:
    wb = benches.create(fresh_ctx())
    pid = wb.execute(C.CreatePersona({"name": "Ada", "tags": ["pilot"]})).extra["id"]
    change = wb.execute(C.UpdatePersona(pid, {"role": "CEO"}))
    assert wb.persona(pid).version == 2  # type: ignore[union-attr]
    undone = wb.undo(change)
    assert wb.persona(pid).role == ""  # type: ignore[union-attr]
    redone = wb.redo(change, since=undone)
    assert wb.persona(pid).role == "CEO" and wb.persona(pid).tags == ("pilot",)  # type: ignore[union-attr]
    with pytest.raises(errors.Conflict):
        wb.redo(change, since=undone)  # the rows moved on since that undo
    versions = [img.version for img in (undone.after + redone.after)]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    deleted = wb.execute(C.DeletePersona(pid))
    wb.undo(deleted)
    assert wb.persona(pid).version == 5  # type: ignore[union-attr]


def test_a_stated_old_version_is_a_conflict_naming_both(benches: Benches) -> None:
    wb = benches.create(fresh_ctx())
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    wb.execute(C.UpdatePersona(pid, {"role": "CEO"}, version=1))
    with pytest.raises(errors.Conflict) as caught:
        wb.execute(C.UpdatePersona(pid, {"role": "CTO"}, version=1))
    assert caught.value.rows == (errors.ConflictingRow("persona", pid, 1, 2),)
    assert wb.persona(pid).role == "CEO"  # type: ignore[union-attr]


def test_messages_lingo_and_derived_counts(benches: Benches) -> None:
    wb = benches.create(fresh_ctx())
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    mid = wb.execute(C.CreateMessage(pid, wb.channels()[0].id, values={"body": "Sign the contracts."})).extra["id"]
    edit = wb.execute(C.UpdateMessage(mid, {"headline": "Hello"}))
    wb.execute(C.CreateTerm("contract", "avoid", "agreement"))
    after = wb.message(mid)
    assert after is not None and after.breach_count == 1 and after.version == 2
    with pytest.raises(errors.ApprovalBlocked):
        wb.execute(C.SetMessageStatus(mid, "approved"))
    wb.execute(C.SetMessageStatus(mid, "approved", override_reason="legal asked"))
    assert wb.message(mid).approved_by == "tester"  # type: ignore[union-attr]
    assert [p.kind for p in wb.problems()] == ["accepted"]
    with pytest.raises(errors.Conflict):
        wb.undo(edit)  # the message moved on (approved) since that edit


def test_interchange_round_trip(benches: Benches) -> None:
    wb = benches.create(fresh_ctx(), SAMPLE)
    first = dumps(wb.read(export_document))
    other = benches.create(fresh_ctx())
    other.execute(ImportDocument(json.loads(first)))
    assert dumps(other.read(export_document)) == first


def test_search_folds_accents_and_finds_cjk_and_prefixes(benches: Benches) -> None:
    wb = benches.create(fresh_ctx())
    a = wb.execute(C.CreatePersona({"name": "Jürgen Müller", "story": "Straße und Ärger"})).extra["id"]
    b = wb.execute(C.CreatePersona({"name": "田中 宏", "story": "我们的合同很长，需要法务审核。"})).extra["id"]
    c = wb.execute(C.CreatePersona({"name": "Zoë", "story": "Évaluation of the policies; e-mail a.b@example.com, v3.14"})).extra["id"]

    def ids(q: str) -> set[str]:
        return {h.item_id for h in wb.search(q)}

    assert ids("muller") == {a} and ids("MÜLLER") == {a} and ids("strasse") == {a} and ids("mül") == {a}
    assert ids("合同") == {b} and ids("法务") == {b} and ids("同很") == {b} and ids("田中") == {b}
    assert ids("合法") == set()  # characters apart are not the word
    assert ids("zoe evaluation") == {c} and ids("evalu") == {c} and ids("14") == {c} and ids("example") == {c}
    assert ids("muller ") == {a} and ids("mul ") == set()  # a finished word is not a prefix
    hit = wb.search("muller")[0]
    assert "\ue000Müller\ue001" in hit.title + hit.snippet
    for typed in ['"', "'", "a & !b", "x:*", "-", "or", "(", "\\", "<->", "'); drop table personas; --",
                  "a" * 5000, "é" * 300, "\x00"]:
        wb.search(typed)  # inert: never an error
    assert ids("or muller") == set() and ids("muller -jürgen") == {a}


def test_search_follows_edits_undo_and_deletes(benches: Benches) -> None:
    wb = benches.create(fresh_ctx())
    pid = wb.execute(C.CreatePersona({"name": "Ada", "story": "likes kayaks"})).extra["id"]
    change = wb.execute(C.UpdatePersona(pid, {"story": "likes gliders"}))
    assert [h.item_id for h in wb.search("gliders")] == [pid] and wb.search("kayaks") == []
    wb.undo(change)
    assert [h.item_id for h in wb.search("kayaks")] == [pid]
    wb.execute(C.DeletePersona(pid))
    assert wb.search("kayaks") == []


def test_reads_of_the_sample(benches: Benches) -> None:
    wb = benches.create(fresh_ctx(), SAMPLE)
    counts = wb.counts()
    assert counts.personas == 4 and counts.objections == 7 and counts.terms == 9
    assert wb.coverage_counts() == {"none": 52, "draft": 1, "in_review": 1, "approved": 12, "breach": 2}
    assert len(wb.problems()) == len(wb.problems(fresh=True)) > 0
    matrix = wb.coverage()
    assert len(matrix.personas) == 4 and len(matrix.channels) == 5


def test_playbook_pdf(benches: Benches, tmp_path: Path) -> None:
    wb = benches.create(fresh_ctx(), SAMPLE)
    pid = wb.persona_order()[0]
    wb.execute(C.SetPortrait(pid, make_png()))
    out = tmp_path / "playbook.pdf"
    run = export_playbook(wb, out, PlaybookOptions(include_drafts=True))
    list(run)
    assert out.read_bytes().startswith(b"%PDF") and run.summary is not None

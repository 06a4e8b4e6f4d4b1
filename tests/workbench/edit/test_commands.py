"""Commands: one transaction each, a change record, undo/redo, UUIDs, who and when."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.conftest import FakeClock
from workbench.domain import errors
from workbench.edit import commands as C
from workbench.session import Workbench


def ids_of(wb: Workbench) -> tuple[str, str]:
    channels = {c.name: c.id for c in wb.channels()}
    pid = wb.execute(C.CreatePersona({"name": "Hank Ellison", "role": "CEO"})).extra["id"]
    return pid, channels["Direct mail"]


def test_default_channels_have_shared_stable_ids(wb: Workbench) -> None:
    channels = wb.channels()
    assert [c.name for c in channels] == ["Ads", "PR", "Direct mail", "Sales script"]
    for c in channels:
        assert uuid.UUID(c.id).version == 5


def test_every_row_has_a_uuid_and_who_and_when(wb: Workbench) -> None:
    pid, cid = ids_of(wb)
    p = wb.persona(pid)
    assert p is not None and uuid.UUID(p.id)
    assert p.created_by == p.updated_by == "tester"
    assert p.created_at.startswith("2026-03-14T09:30") and p.created_at.endswith("+00:00")
    change = wb.execute(C.UpdatePersona(pid, {"location": "Knoxville, Tennessee"}))
    p2 = wb.persona(pid)
    assert p2 is not None and p2.updated_at > p.updated_at and p2.created_at == p.created_at
    assert change.label == "Edit Persona"
    assert change.kinds == {"persona"}
    assert change.ids("persona") == {pid}


def test_persona_fields_round_trip_through_commands(wb: Workbench) -> None:
    values = {"name": "Hank", "role": "CEO", "organization": "Ellison Fertilizer", "industry": "Agriculture",
              "location": "Knoxville", "story": "Grandfather sold to the *Union Army*.",
              "motivations": ["legacy"], "worries": ["kids"], "goals": ["grow"], "technology_comfort": 2,
              "preferred_channels": ["Direct mail"], "avoid_channels": ["Ads"], "gatekeepers": ["EA"],
              "do": ["say paperwork"], "dont": ['No "QR codes"'], "voice": "warm", "mql": "m", "sql": "s",
              "tags": ["family"], "status": "approved", "owner": "Dana"}
    pid = wb.execute(C.CreatePersona(values)).extra["id"]
    p = wb.persona(pid)
    assert p is not None
    for key, value in values.items():
        got = getattr(p, key)
        assert (list(got) if isinstance(got, tuple) else got) == value


@pytest.mark.parametrize(("values", "message"), [
    ({"name": ""}, "needs a name"),
    ({"name": "x", "technology_comfort": 6}, "1 to 5"),
    ({"name": "x", "tags": "not a list"}, "list"),
    ({"name": "x", "status": "published"}, "status"),
    ({"name": "x", "shoe_size": 9}, "no field"),
])
def test_invalid_values_are_refused_and_change_nothing(wb: Workbench, values: dict, message: str) -> None:
    with pytest.raises(errors.ValidationError, match=message):
        wb.execute(C.CreatePersona(values))
    assert wb.persona_count() == 0


def test_undo_and_redo_restore_rows_exactly(wb: Workbench) -> None:
    pid, cid = ids_of(wb)
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"headline": "A letter", "body": "Dear Hank"})).extra["id"]
    before = wb.persona(pid)
    delete = wb.execute(C.DeletePersona(pid))
    assert wb.persona(pid) is None and wb.message(mid) is None
    assert delete.deleted("persona") == {pid} and delete.deleted("message") == {mid}
    undo = wb.undo(delete)
    restored = wb.persona(pid)
    # Every column comes back as it was; only the row's version moves on (a restore is a new write,
    # so nobody who read the deleted row may write over it unawares).
    assert before is not None and restored is not None
    assert dataclasses.replace(restored, version=before.version) == before
    assert restored.version > before.version
    assert wb.message(mid) is not None and wb.message(mid).body == "Dear Hank"  # type: ignore[union-attr]
    assert wb.search("Dear")[0].item_id == mid  # search index restored too
    wb.redo(delete, since=undo)
    assert wb.persona(pid) is None
    assert wb.search("Dear") == []


def test_no_op_command_records_nothing(wb: Workbench) -> None:
    pid, _ = ids_of(wb)
    change = wb.execute(C.UpdatePersona(pid, {"role": "CEO"}))
    assert change.empty


def test_editing_an_approved_message_keeps_the_approved_text_in_force(wb: Workbench, clock: FakeClock) -> None:
    pid, cid = ids_of(wb)
    mid = wb.execute(C.CreateMessage(pid, cid, "decision", {"headline": "Your paperwork, done"})).extra["id"]
    wb.execute(C.SetMessageStatus(mid, "in_review"))
    approve = wb.execute(C.SetMessageStatus(mid, "approved"))
    assert approve.label == "Approve Message"
    m = wb.message(mid)
    assert m is not None and m.status == "approved" and m.approved_by == "tester" and m.approved_at
    wb.execute(C.UpdateMessage(mid, {"headline": "Your paperwork, done in a day"}))
    m = wb.message(mid)
    assert m is not None and m.status == "draft" and m.headline == "Your paperwork, done in a day"
    assert m.in_force is not None and m.in_force.headline == "Your paperwork, done"
    assert m.in_force.approved_by == "tester"
    history = wb.revisions(mid)
    assert [r.headline for r in history] == ["Your paperwork, done"]
    assert history[-1].status == "approved"
    # Approving the new text replaces the one in force.
    wb.execute(C.SetMessageStatus(mid, "approved"))
    m = wb.message(mid)
    assert m is not None and m.in_force is not None and m.in_force.headline == "Your paperwork, done in a day"
    # Retiring takes it out of force.
    wb.execute(C.SetMessageStatus(mid, "retired"))
    m = wb.message(mid)
    assert m is not None and m.in_force is None


def test_draft_edits_coalesce_into_one_revision_per_burst(wb: Workbench, clock: FakeClock) -> None:
    pid, cid = ids_of(wb)
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"headline": "v1"})).extra["id"]
    wb.execute(C.UpdateMessage(mid, {"headline": "v2"}))
    wb.execute(C.UpdateMessage(mid, {"headline": "v3"}))
    assert [r.headline for r in wb.revisions(mid)] == ["v1"]
    clock.advance(C.REVISION_COALESCE_S + 5)
    wb.execute(C.UpdateMessage(mid, {"headline": "v4"}))
    assert [r.headline for r in wb.revisions(mid)] == ["v1", "v3"]


def test_channels_add_rename_move_delete(wb: Workbench) -> None:
    email = wb.execute(C.CreateChannel("Email", "Subject ≤ 50 characters")).extra["id"]
    assert [c.name for c in wb.channels()][-1] == "Email"
    with pytest.raises(errors.ValidationError, match="already"):
        wb.execute(C.CreateChannel("email"))
    wb.execute(C.MoveChannel(email, 0))
    assert [c.name for c in wb.channels()][0] == "Email"
    assert [c.position for c in wb.channels()] == list(range(5))
    wb.execute(C.UpdateChannel(email, name="E-mail"))
    pid = wb.execute(C.CreatePersona({"name": "P"})).extra["id"]
    wb.execute(C.CreateMessage(pid, email, "awareness", {"headline": "Hi"}))
    change = wb.execute(C.DeleteChannel(email))
    assert change.kinds == {"channel", "message"}
    assert wb.messages() == []
    wb.undo(change)
    assert len(wb.messages()) == 1


def test_terms_and_objections(wb: Workbench) -> None:
    pid, _ = ids_of(wb)
    tid = wb.execute(C.CreateTerm("contract", "avoid", "paperwork", "legal words scare")).extra["id"]
    wb.execute(C.UpdateTerm(tid, {"note": "say paperwork"}))
    assert wb.terms()[0].note == "say paperwork"
    with pytest.raises(errors.ValidationError):
        wb.execute(C.CreateTerm("x", "ban"))
    oid = wb.execute(C.CreateObjection(pid, "Too expensive", "Compare to one lost load")).extra["id"]
    wb.execute(C.RecordObjectionHeard(oid))
    o = wb.objections(pid)[0]
    assert o.heard_count == 1 and o.heard_by == "tester" and o.last_heard.startswith("2026")
    wb.execute(C.DeleteObjection(oid))
    assert wb.objections() == []


def test_workbench_fields_and_logo(wb: Workbench, png_bytes: bytes) -> None:
    wb.execute(C.UpdateWorkbench({"name": "Acme", "organization": "Acme Inc", "narrative": "# Hello"}))
    info = wb.info()
    assert (info.name, info.organization, info.narrative) == ("Acme", "Acme Inc", "# Hello")
    wb.execute(C.SetLogo(png_bytes))
    assert wb.logo() == png_bytes
    with pytest.raises(errors.ValidationError):
        wb.execute(C.SetLogo(b"GIF89a...."))


def test_portrait_stored_exactly_and_validated(wb: Workbench, png_bytes: bytes) -> None:
    pid, _ = ids_of(wb)
    wb.execute(C.SetPortrait(pid, png_bytes))
    assert wb.portrait(pid) == png_bytes
    assert wb.persona(pid).has_portrait  # type: ignore[union-attr]
    with pytest.raises(errors.ValidationError, match="PNG and JPEG"):
        wb.execute(C.SetPortrait(pid, b"<svg/>"))
    with pytest.raises(errors.ValidationError, match="MB"):
        wb.execute(C.SetPortrait(pid, png_bytes + b"\0" * (6 * 1024 * 1024)))

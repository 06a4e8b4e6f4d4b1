"""Merging another workbench by UUID, and the client hand-off copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.handoff import make_handoff
from workbench.exchange.interchange import ImportDocument
from workbench.session import Workbench


def test_merge_adds_new_skips_identical_reports_conflicts(sample_path: Path, tmp_path: Path, ctx: Context) -> None:
    theirs_path = tmp_path / "theirs.workbench"
    shutil.copyfile(sample_path, theirs_path)
    with Workbench.open(theirs_path, ctx) as theirs:
        harlan = theirs.find_persona("Harlan Voss")
        assert harlan is not None
        theirs.execute(C.UpdatePersona(harlan.id, {"location": "Abilene, Kansas"}))
        theirs.execute(C.CreatePersona({"name": "New from agency"}))
    with Workbench.open(sample_path, ctx) as mine:
        harlan = mine.find_persona("Harlan Voss")
        assert harlan is not None
        mine.execute(C.UpdatePersona(harlan.id, {"location": "Salina, KS"}))
        with Workbench.open(theirs_path, ctx, readonly=True) as other:
            document = other.read(interchange.export_document)
        change = mine.execute(ImportDocument(document, mode="merge"))
        report = change.extra["report"]
        assert report.added == {"persona": 1}
        assert report.unchanged["message"] == 16
        assert len(report.conflicts) == 1 and "Harlan Voss" in report.conflicts[0]
        assert "kept" in report.summary()
        assert mine.find_persona("Harlan Voss").location == "Salina, KS"  # type: ignore[union-attr]
        assert mine.find_persona("New from agency") is not None
        change = mine.execute(ImportDocument(document, mode="theirs"))
        assert mine.find_persona("Harlan Voss").location == "Abilene, Kansas"  # type: ignore[union-attr]


def test_handoff_has_only_approved_content_and_no_internal_text(sample: Workbench, tmp_path: Path) -> None:
    harlan = sample.find_persona("Harlan Voss")
    assert harlan is not None
    approved = [m for m in sample.messages(harlan.id) if m.status == "approved"][0]
    secret_note = "INTERNAL-ONLY margin is 42 percent"
    draft_text = "UNAPPROVED-DRAFT-WORDING for the new letter"
    sample.execute(C.UpdateMessage(approved.id, {"notes": secret_note}))
    sample.execute(C.UpdateMessage(approved.id, {"body": draft_text}))
    target = tmp_path / "client.workbench"
    summary = make_handoff(sample, target)
    raw = target.read_bytes()
    for secret in (secret_note, draft_text, "Priya Raman"):
        assert secret.encode() not in raw, secret
    assert b"-journal" not in b"".join(p.name.encode() for p in tmp_path.iterdir())
    with Workbench.open(target, readonly=True) as client:
        assert all(p.status == "approved" for p in client.personas())
        assert client.find_persona("Priya Raman") is None
        messages = client.messages()
        assert messages and all(m.status == "approved" and m.notes == "" for m in messages)
        assert client.counts().revisions == 0
        kept = client.message(approved.id)
        assert kept is not None and kept.body == approved.body  # the approved text in force, not the draft
        assert client.search("paperwork")
        assert summary["personas"] == 3
    with Workbench.open(target) as editable:  # opens as a normal workbench
        editable.execute(C.CreatePersona({"name": "Client's own"}))

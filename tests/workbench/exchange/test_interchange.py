"""JSON interchange v1: lossless round trip, strict validation naming paths, all-or-nothing import."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from workbench.domain import errors
from workbench.domain.searchtext import index_text
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.interchange import ImportDocument
from workbench.read import lingo as read_lingo
from workbench.read.search import SEARCHABLE, search_doc
from workbench.schema.model import Base, Message, Objection, Persona, Term
from workbench.session import Workbench
from workbench.store.unit import Change


def export(wb: Workbench) -> dict[str, Any]:
    return wb.read(interchange.export_document)


def enrich(wb: Workbench, png: bytes) -> None:
    """History, in-force revisions, overrides, portraits and a logo: everything a round trip must keep."""
    hank = wb.find_persona("Harlan Voss")
    assert hank is not None
    wb.execute(C.SetPortrait(hank.id, png))
    wb.execute(C.SetLogo(png))
    approved = [m for m in wb.messages(hank.id) if m.status == "approved"][0]
    wb.execute(C.UpdateMessage(approved.id, {"headline": approved.headline + " (new draft)", "notes": "internal"}))
    draft = [m for m in wb.messages() if m.breach_count][0]
    wb.execute(C.SetMessageStatus(draft.id, "approved", override_reason="Client's legal team insists"))


def test_round_trip_is_lossless(sample: Workbench, tmp_path: Path, ctx: Context, png_bytes: bytes) -> None:
    enrich(sample, png_bytes)
    first = interchange.dumps(export(sample))
    empty = tmp_path / "empty.workbench"
    Workbench.create(empty, ctx)
    with Workbench.open(empty, ctx) as target:
        target.execute(ImportDocument(json.loads(first)))
        second = interchange.dumps(export(target))
        assert target.portrait(target.find_persona("Harlan Voss").id) == png_bytes  # type: ignore[union-attr]
    assert second == first
    doc = json.loads(first)
    assert doc["format"] == "persona-workbench" and doc["version"] == 1
    assert set(doc) == {"format", "version", "workbench", "channels", "personas", "messages", "terms", "objections"}
    in_force = [m for m in doc["messages"] if m.get("in_force_revision")]
    assert in_force and in_force[0]["revisions"]


def test_export_is_sorted_and_stable(sample: Workbench) -> None:
    a = interchange.dumps(export(sample))
    b = interchange.dumps(export(sample))
    assert a == b
    assert a.index('"channels"') < a.index('"format"') < a.index('"workbench"')  # sorted keys


def test_minimal_document_with_names_for_references(wb: Workbench) -> None:
    doc = {"format": "persona-workbench", "version": 1,
           "personas": [{"name": "Hank"}],
           "messages": [{"persona": "Hank", "channel": "direct mail", "headline": "Hi", "status": "approved",
                         "body": "Sign the contract"}],
           "terms": [{"term": "contract", "kind": "avoid", "replacement": "paperwork"}],
           "objections": [{"persona": "Hank", "objection": "Too dear"}]}
    change = wb.execute(ImportDocument(doc))
    report = change.extra["report"]
    assert report.added == {"persona": 1, "message": 1, "term": 1, "objection": 1}
    [m] = wb.messages()
    assert m.status == "approved"  # import stores what the file says, even a breach
    assert m.breach_count == 1
    assert any(p.kind == "breach" for p in wb.problems())
    wb.undo(change)
    assert wb.persona_count() == 0 and wb.messages() == []


BASE: dict[str, Any] = {"format": "persona-workbench", "version": 1,
                        "personas": [{"name": "A"}, {"name": "B"}, {"name": "C"}, {"name": "D", "tags": []}]}


@pytest.mark.parametrize(("mutate", "path", "words"), [
    (lambda d: d["personas"][3].update(technology_comfort="high"), "personas[3].technology_comfort", "whole number"),
    (lambda d: d["personas"][3].update(technology_comfort=9), "personas[3].technology_comfort", "from 1 to 5"),
    (lambda d: d["personas"][1].update(shoe_size=42), "personas[1].shoe_size", "unknown field"),
    (lambda d: d["personas"][2].pop("name"), "personas[2].name", "required"),
    (lambda d: d["personas"][0].update(tags=["ok", 3]), "personas[0].tags[1]", "expected text"),
    (lambda d: d["personas"][0].update(id="not-a-uuid"), "personas[0].id", "UUID"),
    (lambda d: d["personas"][0].update(portrait="!!!"), "personas[0].portrait", "base64"),
    (lambda d: d["personas"][0].update(portrait=base64.b64encode(b"GIF89a").decode()), "personas[0].portrait", "PNG"),
    (lambda d: d.update(extra=1), "extra", "unknown field"),
    (lambda d: d.update(version=2), "version", "Update the app"),
    (lambda d: d.update(messages=[{"persona": "A", "channel": "Fax"}]), "messages[0].channel", "no channel"),
    (lambda d: d.update(messages=[{"persona": "Zed", "channel": "Ads"}]), "messages[0].persona", "no persona"),
    (lambda d: d.update(messages=[{"persona": "A", "channel": "Ads", "status": "live"}]), "messages[0].status", "not one of"),
    (lambda d: d.update(objections=[{"persona": "A", "objection": "x", "last_heard": "yesterday"}]),
     "objections[0].last_heard", "ISO 8601"),
    (lambda d: d.update(personas="nope"), "personas", "expected a list"),
])
def test_bad_documents_name_the_field_and_change_nothing(wb: Workbench, mutate: Any, path: str, words: str) -> None:
    doc = copy.deepcopy(BASE)
    mutate(doc)
    before = interchange.dumps(export(wb))
    with pytest.raises(errors.InterchangeError) as info:
        wb.execute(ImportDocument(doc))
    assert info.value.field_path == path
    assert str(info.value).startswith(path) and words in str(info.value)
    assert interchange.dumps(export(wb)) == before


def test_failure_late_in_import_leaves_nothing_behind(wb: Workbench) -> None:
    doc = {"format": "persona-workbench", "version": 1,
           "personas": [{"name": f"P{i}"} for i in range(50)],
           "messages": [{"persona": "P1", "channel": "Ads"}, {"persona": "P2", "channel": "Nowhere"}]}
    with pytest.raises(errors.InterchangeError, match=r"messages\[1\]\.channel"):
        wb.execute(ImportDocument(doc))
    assert wb.persona_count() == 0
    assert wb.search("P1") == []


def test_duplicate_ids_rejected(wb: Workbench) -> None:
    pid = "0b2f6a8e-9b0e-4a55-8f5c-1f2a3b4c5d6e"
    doc = {"format": "persona-workbench", "version": 1, "personas": [{"id": pid, "name": "A"}, {"id": pid, "name": "B"}]}
    with pytest.raises(errors.InterchangeError, match=r"personas\[1\]\.id"):
        wb.execute(ImportDocument(doc))


def test_not_a_document(wb: Workbench) -> None:
    for bad in ([], "text", {"format": "something-else", "version": 1}, {"format": "persona-workbench"}):
        with pytest.raises(errors.InterchangeError):
            wb.execute(ImportDocument(bad))


# --- the fast import path writes what the ORM path wrote --------------------------------------------


def _tables(wb: Workbench) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as ``select(table)`` reads it, by table (rows by id)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with wb.reading() as s:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r) for r in s.connection().execute(select(table)).mappings()]
            out[table.name] = sorted(rows, key=lambda r: r["id"])
    return out


def _assert_restored(now: dict[str, list[dict[str, Any]]], then: dict[str, list[dict[str, Any]]],
                     change: Change) -> None:
    """Every row is as it was, column for column; restoring wrote each row ``change`` touched a new
    version (above the one it restored: nobody holding the old row may overwrite it unawares) and
    left every other row's version alone."""
    def unversioned(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {name: [{k: v for k, v in r.items() if k != "version"} for r in rows] for name, rows in tables.items()}

    assert unversioned(now) == unversioned(then)
    versions = {(name, r["id"]): r["version"] for name, rows in then.items() for r in rows}
    touched = {(img.table, img.id) for img in change.after}
    for name, rows in now.items():
        for r in rows:
            old = versions[(name, r["id"])]
            assert r["version"] > old if (name, r["id"]) in touched else r["version"] == old, (name, r["id"])


def _index(wb: Workbench) -> dict[str, tuple[str, str, str]]:
    """The search index: item id → (kind, title, body)."""
    found = wb.read_rows(lambda rows: rows(
        "SELECT d.item_id, d.kind, f.title, f.body FROM search_docs AS d "
        "JOIN search_index AS f ON f.rowid = d.rowid"))
    return {item: (kind, title, body) for item, kind, title, body in found}


#: The mapped class of each searchable table.
_MAPPED: dict[str, Any] = {"personas": Persona, "messages": Message, "objections": Objection, "terms": Term}


def _assert_derived_data_current(wb: Workbench) -> None:
    """The index holds what ``search_doc`` gives for every row (folded, CJK set apart); breach
    counts are fresh."""
    expected: dict[str, tuple[str, str, str]] = {}
    with wb.reading() as s:
        for table, (kind, keys) in SEARCHABLE.items():
            for row in s.scalars(select(_MAPPED[table])):
                title, body = search_doc(table, (row.id, *(getattr(row, key) for key in keys)))
                expected[row.id] = (kind, index_text(title), index_text(body))
        check = read_lingo.checker(s)
        for m in s.scalars(select(Message)):
            assert m.breach_count == len(read_lingo.message_breaches(s, m, check)), m.id
    assert _index(wb) == expected


def _rich_document(sample: Workbench, png: bytes) -> dict[str, Any]:
    """The sample with history, portraits, a logo, scoped terms, don'ts and CJK text."""
    enrich(sample, png)
    hank = sample.find_persona("Harlan Voss")
    assert hank is not None
    sample.execute(C.CreateTerm("合同", "avoid", "文件"))
    sample.execute(C.CreateTerm("season", "avoid", "year", persona_id=hank.id))
    sample.execute(C.UpdatePersona(hank.id, {"dont": ['Never say "QR code"', "No jargon"], "tags": ["合同", "x"]}))
    channel = sample.channels()[0].id
    sample.execute(C.CreateMessage(hank.id, channel, "awareness", {"body": "我们的合同 and the QR code, jargon"}))
    return export(sample)


def test_import_stores_rows_images_index_and_counts(sample: Workbench, tmp_path: Path, ctx: Context,
                                                    png_bytes: bytes) -> None:
    doc = _rich_document(sample, png_bytes)
    path = tmp_path / "target.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as target:
        empty = _tables(target)
        change = target.execute(ImportDocument(copy.deepcopy(doc)))
        full = _tables(target)
        assert interchange.dumps(export(target)) == interchange.dumps(doc)
        rows = {(name, r["id"]): r for name, table_rows in full.items() for r in table_rows}
        created = {(img.table, img.id) for img in change.before if img.values is None}
        assert len(created) == sum(len(v) for v in full.values()) - sum(len(v) for v in empty.values())
        for img in change.after:  # after-images are the stored rows, derived columns aside
            assert img.values == {k: v for k, v in rows[(img.table, img.id)].items() if k != "breach_count"}
        assert any(m["breach_count"] for m in full["messages"])
        _assert_derived_data_current(target)
        undo = target.undo(change)
        _assert_restored(_tables(target), empty, change)
        _assert_derived_data_current(target)
        target.redo(change, since=undo)
        _assert_restored(_tables(target), full, change)
        _assert_derived_data_current(target)


def test_import_over_existing_rows_updates_and_adds(sample: Workbench, png_bytes: bytes) -> None:
    doc = _rich_document(sample, png_bytes)
    original = _tables(sample)
    doc["personas"][0]["story"] += " Now with a contract."
    doc["personas"].append({"name": "Newcomer", "dont": ["No synergy"], "portrait": base64.b64encode(png_bytes).decode()})
    doc["messages"][0]["body"] = "A changed contract body"
    doc["messages"].append({"persona": "Newcomer", "channel": "PR", "headline": "Synergy",
                            "revisions": [{"body": "first"}, {"body": "second contract"}]})
    doc["terms"].append({"term": "synergy", "kind": "avoid", "replacement": "teamwork"})
    doc["objections"].append({"persona": "Newcomer", "objection": "Too dear"})
    change = sample.execute(ImportDocument(doc))
    report = change.extra["report"]
    assert report.added == {"persona": 1, "message": 1, "term": 1, "objection": 1}
    assert report.updated == {"persona": 1, "message": 1}
    newcomer = sample.find_persona("Newcomer")
    assert newcomer is not None and sample.portrait(newcomer.id) == png_bytes
    [added] = sample.messages(newcomer.id)
    assert added.breach_count == 1 and [r.body for r in sample.revisions(added.id)] == ["first", "second contract"]
    _assert_derived_data_current(sample)
    sample.undo(change)
    _assert_restored(_tables(sample), original, change)
    _assert_derived_data_current(sample)

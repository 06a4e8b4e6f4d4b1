"""Hostile JSON imports: special files, deep nesting, huge integers and texts, duplicate ids, name
clashes — each one clear message naming what is wrong with the input, the workbench untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.interchange import FORMAT, ImportDocument
from workbench.schema.model import default_channel_id
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[3]


def doc(**sections: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, **sections}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- special files as the import source --------------------------------------------------------


LOAD = ("import sys, time\n"
        "from pathlib import Path\n"
        "from workbench.domain import errors\n"
        "from workbench.exchange import interchange\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    interchange.load_source(Path(sys.argv[1]))\n"
        "    print('loaded')\n"
        "except errors.WorkbenchError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
        "print(round(time.monotonic() - start))\n")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "loop"])
def test_special_files_as_the_source_are_refused_at_once(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "source.json"
    if kind == "fifo":
        os.mkfifo(source)
    elif kind == "dev-zero":
        source.symlink_to("/dev/zero")
    elif kind == "folder":
        source.mkdir()
    else:
        source.symlink_to(tmp_path / "other.json")
        (tmp_path / "other.json").symlink_to(source)
    out = subprocess.run([sys.executable, "-c", LOAD, str(source)], cwd=ROOT, capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    outcome, seconds = out.stdout.splitlines()
    assert outcome.startswith(("NotAFile", "Unreadable")), outcome
    assert "\n" not in outcome and int(seconds) < 5


def test_a_source_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "big.json"
    source.write_text(json.dumps(doc(personas=[{"name": "x" * 5000}])))
    monkeypatch.setattr(interchange, "MAX_SOURCE_BYTES", 1000)
    with pytest.raises(errors.InterchangeError, match="larger than"):
        interchange.load_source(source)


# --- nesting and numbers ------------------------------------------------------------------------


def test_deep_nesting_is_one_message(tmp_path: Path) -> None:
    source = tmp_path / "deep.json"
    source.write_text('{"format": "persona-workbench", "version": 1, "workbench": ' + "[" * 200_000
                      + "]" * 200_000 + "}")
    with pytest.raises(errors.InterchangeError, match="nested"):
        interchange.load_source(source)


@pytest.mark.parametrize(("section", "field", "value"), [
    ("channels", "position", 2**63), ("channels", "position", 2**63 - 1), ("channels", "position", 2**31),
    ("objections", "heard_count", 2**64), ("personas", "technology_comfort", 2**70),
])
def test_integers_are_bounded(wb_path: Path, ctx: Context, section: str, field: str, value: int) -> None:
    with Workbench.open(wb_path, ctx) as wb:
        hank = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
        item: dict[str, Any] = {"channels": {"name": "Huge"}, "objections": {"persona": hank, "objection": "Price"},
                                "personas": {"name": "Bob"}}[section]
        item[field] = value
        with pytest.raises(errors.InterchangeError, match=rf"{section}\[0\]\.{field}"):
            wb.execute(ImportDocument(doc(**{section: [item]})))


def test_the_largest_position_still_lets_channels_be_added(wb_path: Path, ctx: Context) -> None:
    with Workbench.open(wb_path, ctx) as wb:
        wb.execute(ImportDocument(doc(channels=[{"name": "Last", "position": 2**31 - 1}])))
        wb.execute(C.CreateChannel("After the last"))
        assert [c.name for c in wb.channels()][-1] == "After the last"


# --- input errors are worded as input errors -------------------------------------------------------


def test_a_revision_id_used_twice_is_an_input_error(wb_path: Path, ctx: Context) -> None:
    rev = "3f1b1a4e-0000-4000-8000-000000000001"
    with Workbench.open(wb_path, ctx) as wb:
        hank = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
        messages = [{"persona": hank, "channel": "Ads", "revisions": [{"id": rev, "headline": f"v{i}"}]}
                    for i in range(2)]
        with pytest.raises(errors.InterchangeError, match=r"messages\[1\]\.revisions\[0\]\.id") as info:
            wb.execute(ImportDocument(doc(messages=messages)))
        assert "Could not save" not in str(info.value)


def test_a_revision_id_already_in_the_workbench_is_an_input_error(wb_path: Path, ctx: Context) -> None:
    with Workbench.open(wb_path, ctx) as wb:
        hank = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
        first = {"persona": hank, "channel": "Ads", "revisions": [{"headline": "old"}]}
        wb.execute(ImportDocument(doc(messages=[first])))
        rev = wb.read(interchange.export_document)["messages"][0]["revisions"][0]["id"]
        second = {"persona": hank, "channel": "PR", "revisions": [{"id": rev, "headline": "again"}]}
        with pytest.raises(errors.WorkbenchError) as info:
            wb.execute(ImportDocument(doc(messages=[second])))
        assert not isinstance(info.value, errors.CouldNotSave)
        assert "Could not save" not in str(info.value) and "edits are kept" not in str(info.value)


def test_a_text_too_long_to_store_is_an_input_error(wb_path: Path, ctx: Context,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interchange, "MAX_TEXT_BYTES", 1000)
    with Workbench.open(wb_path, ctx) as wb:
        with pytest.raises(errors.InterchangeError, match=r"personas\[0\]\.name.*too long") as info:
            wb.execute(ImportDocument(doc(personas=[{"name": "n" * 1001}])))
        assert "Could not save" not in str(info.value)


def test_a_value_sqlite_cannot_store_is_not_called_a_full_disk(tmp_path: Path) -> None:
    import sqlite3

    for exc in (sqlite3.DataError("string or blob too big"), sqlite3.IntegrityError("UNIQUE constraint failed: x.id")):
        typed = storage.save_failure(tmp_path / "w.workbench", exc)
        assert isinstance(typed, errors.ValidationError), exc
        assert "Could not save" not in str(typed) and "edits are kept" not in str(typed)


# --- names ---------------------------------------------------------------------------------------


def test_import_cannot_rename_a_channel_onto_another(wb_path: Path, ctx: Context) -> None:
    before = digest(wb_path)
    with Workbench.open(wb_path, ctx) as wb:
        renamed = {"id": default_channel_id("Ads"), "name": "pr"}
        with pytest.raises(errors.InterchangeError, match=r"channels\[0\]\.name") as info:
            wb.execute(ImportDocument(doc(channels=[renamed])))
        assert "PR" in str(info.value)
        assert sorted(c.name for c in wb.channels()) == sorted(["Ads", "PR", "Direct mail", "Sales script"])
    assert digest(wb_path) == before


def test_the_own_export_of_a_workbench_imports_again(sample: Workbench, tmp_path: Path, ctx: Context) -> None:
    document = sample.read(interchange.export_document)
    sample.execute(ImportDocument(json.loads(json.dumps(document))))


def test_a_message_for_an_ambiguous_persona_name_names_both(wb_path: Path, ctx: Context) -> None:
    with Workbench.open(wb_path, ctx) as wb:
        first = wb.execute(C.CreatePersona({"name": "Sam"})).extra["id"]
        second = wb.execute(C.CreatePersona({"name": "Sam"})).extra["id"]
        with pytest.raises(errors.InterchangeError, match=r"messages\[0\]\.persona") as info:
            wb.execute(ImportDocument(doc(messages=[{"persona": "Sam", "channel": "Ads", "headline": "Hi"}])))
        assert first in str(info.value) and second in str(info.value)
        with pytest.raises(errors.InterchangeError, match=r"personas\[0\]\.name|messages\[0\]\.persona"):
            wb.execute(ImportDocument(doc(personas=[{"name": "Ann"}, {"name": "Ann"}],
                                          messages=[{"persona": "Ann", "channel": "Ads"}])))
        wb.execute(ImportDocument(doc(messages=[{"persona": first, "channel": "Ads", "headline": "By id"}])))
        assert [m.headline for m in wb.messages(first)] == ["By id"]


def test_a_renamed_persona_frees_its_old_name(wb_path: Path, ctx: Context) -> None:
    with Workbench.open(wb_path, ctx) as wb:
        old = wb.execute(C.CreatePersona({"name": "Sam"})).extra["id"]
        wb.execute(ImportDocument(doc(personas=[{"id": old, "name": "Samuel"}, {"name": "Sam"}],
                                      messages=[{"persona": "Sam", "channel": "Ads", "headline": "New Sam"}])))
        assert wb.messages(old) == []

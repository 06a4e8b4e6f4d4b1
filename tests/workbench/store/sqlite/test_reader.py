"""The ORM-free read path: same answers as the editing session, never a write, the ORM never loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.read import personas as read_personas
from workbench.schema import fileformat, model
from workbench.session import Workbench
from workbench.store.sqlite import reader, storage

ROOT = Path(__file__).resolve().parents[4]


def test_current_columns_are_exactly_what_the_model_creates() -> None:
    from_model = {t.name: tuple(c.name for c in t.columns) for t in model.Base.metadata.sorted_tables}
    assert fileformat.CURRENT_COLUMNS == from_model
    assert model.SCHEMA_VERSION == fileformat.SCHEMA_VERSION


def test_reader_answers_like_the_session(sample_path: Path) -> None:
    with Workbench.open(sample_path, readonly=True) as wb, reader.Reader.open(sample_path) as look:
        assert look.info() == wb.info()
        assert look.counts() == wb.counts()
        assert look.channels() == wb.channels()
        assert look.persona_order() == [p.id for p in wb.persona_summaries()]
        assert look.persona_summaries_for(look.persona_order()) == wb.persona_summaries()
        assert look.message_counts_by_channel() == wb.message_counts_by_channel()
        assert look.coverage_counts() == wb.coverage_counts()
        assert look.read(read_personas.persona_count) == wb.persona_count()  # any plain read runs
        assert look.search("paperwork") == wb.search("paperwork")
        first = look.persona_order()[0]
        assert look.portrait(first) == wb.portrait(first)
        kinds = look.term_kinds()
        assert sum(kinds.values()) == len(wb.terms())
        assert kinds["avoid"] == sum(1 for t in wb.terms() if t.kind == "avoid")


def test_reader_refuses_what_the_session_refuses(tmp_path: Path) -> None:
    text = tmp_path / "notes.workbench"
    text.write_text("hello", "utf-8")
    with pytest.raises(errors.NotSQLite):
        reader.Reader.open(text)
    with pytest.raises(errors.NotFound):
        reader.Reader.open(tmp_path / "missing.workbench")


def test_reader_turns_a_damaged_page_into_damaged(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "READONLY_CHECK_MAX_BYTES", 0)  # skip the open-time check, like a big file
    data = bytearray(sample_path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # scribble over every page but the schema
        data[offset + 8:offset + 200] = b"\xff" * 192
    sample_path.write_bytes(bytes(data))
    with pytest.raises(errors.Damaged):
        with reader.Reader.open(sample_path) as look:
            look.counts()
            look.persona_summaries_for(look.persona_order())


def test_first_look_holds_the_file_and_hands_it_on(sample_path: Path, ctx: Context) -> None:
    look = reader.first_look(sample_path, ctx)
    assert look is not None
    try:
        assert storage.read_holder(sample_path) is not None
        with pytest.raises(errors.Locked):
            reader.first_look(sample_path, Context(user="someone else"))
        assert look.reader.persona_count() == 4
        wb = Workbench.from_first_look(look)
        assert look.lock is None and wb.preparing  # the session holds the lock now
        look.reader.close()
        wb.finish_opening()
        assert not wb.readonly
        wb.close()
    except BaseException:
        look.release()
        raise
    assert storage.read_holder(sample_path) is None


def test_first_look_read_only_takes_no_lock(sample_path: Path, ctx: Context) -> None:
    look = reader.first_look(sample_path, ctx, readonly=True)
    assert look is not None and look.lock is None
    look.release()
    assert sorted(p.name for p in sample_path.parent.iterdir()) == [sample_path.name]


def test_first_look_defers_files_needing_a_recovery(sample_path: Path, ctx: Context) -> None:
    wb = Workbench.open(sample_path, ctx)
    wb.file.working.mark_dirty() if wb.file.working else None
    wb.store.dispose()
    wb.file._lock.release() if wb.file._lock else None  # a crash: the working copy stays behind
    assert reader.first_look(sample_path, ctx) is None


def test_cli_info_and_search_never_import_the_orm(sample_path: Path) -> None:
    code = ("import sys, main\n"
            f"assert main.main(['info', {str(sample_path)!r}]) == 0\n"
            f"assert main.main(['search', {str(sample_path)!r}, 'paperwork']) == 0\n"
            "print('ORM LOADED' if 'sqlalchemy' in sys.modules else 'ORM NOT LOADED')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "ORM NOT LOADED" in out.stdout
    assert "Personas      4" in out.stdout

"""Symbolic links and permissions: a linked workbench is edited through to its real file (the link
stays a link, the lock sits beside the real file); every replacement keeps the file's mode and group;
new files follow the umask; a file the person may not write is never written; loops are one line."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.handoff import make_handoff
from workbench.session import Workbench
from workbench.store.sqlite import files, storage
from workbench.store.sqlite.reader import Reader


def names(path: Path) -> set[str]:
    with Workbench.open(path, readonly=True) as ro:
        return {p.name for p in ro.persona_summaries()}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


# --- symbolic links ---------------------------------------------------------------------------


def linked(tmp_path: Path, wb_path: Path) -> Path:
    folder = tmp_path / "shortcuts"
    folder.mkdir()
    link = folder / "link.workbench"
    link.symlink_to(wb_path)
    return link


def test_a_linked_workbench_is_edited_through_to_the_real_file(wb_path: Path, tmp_path: Path, ctx: Context) -> None:
    link = linked(tmp_path, wb_path)
    with Workbench.open(link, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "Through the link"}))
        # The lock sits beside the real file: opening the real path meanwhile is refused.
        assert storage.lock_path(wb_path).exists()
        assert not storage.lock_path(link).exists()
        with pytest.raises(errors.Locked):
            Workbench.open(wb_path, Context(user="maria"))
        holder = storage.read_holder(link)  # `info LINK` names the holder too
        assert holder is not None and holder.user == "tester"
        assert wb.write_back() is True
    assert link.is_symlink() and os.readlink(link) == str(wb_path)  # the link stays a link
    assert names(wb_path) == {"Through the link"}
    assert sorted(p.name for p in link.parent.iterdir()) == ["link.workbench"]
    assert sorted(p.name for p in wb_path.parent.iterdir()) == ["shortcuts", "test.workbench"]


def test_a_linked_workbench_opened_from_both_names_shares_one_working_copy(wb_path: Path, tmp_path: Path,
                                                                          ctx: Context) -> None:
    link = linked(tmp_path, wb_path)
    assert storage.working_dir_for(files.resolve(link)) == storage.working_dir_for(wb_path)
    with Workbench.open(link, ctx) as wb:
        assert wb.path == wb_path


@pytest.mark.parametrize("readonly", [True, False])
def test_symlink_loops_are_one_clear_line(tmp_path: Path, readonly: bool) -> None:
    a, b = tmp_path / "a.workbench", tmp_path / "b.workbench"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(errors.FileProblem) as info:
        Workbench.open(a, readonly=readonly)
    assert "link" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(errors.FileProblem):
        Reader.open(a)


def test_handoff_to_or_from_a_symlink_loop_is_one_clear_line(sample_path: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.workbench", tmp_path / "b.workbench"
    a.symlink_to(b)
    b.symlink_to(a)
    with Workbench.open(sample_path, readonly=True) as wb:
        with pytest.raises(errors.FileProblem) as info:
            make_handoff(wb, a)
    assert "link" in str(info.value)
    assert a.is_symlink() and b.is_symlink()
    with pytest.raises(errors.FileProblem):
        Workbench.open(a, readonly=True)


def test_handoff_over_its_own_source_is_refused(sample_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "same.workbench"
    link.symlink_to(sample_path)
    before = sample_path.read_bytes()
    with Workbench.open(sample_path, readonly=True) as wb:
        with pytest.raises(errors.WorkbenchError):
            make_handoff(wb, link)
    assert sample_path.read_bytes() == before


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("bits", [0o600, 0o640, 0o660, 0o604])
def test_write_back_keeps_the_mode(wb_path: Path, ctx: Context, bits: int) -> None:
    wb_path.chmod(bits)
    with Workbench.open(wb_path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "Private"}))
        wb.write_back()
        assert mode(wb_path) == bits
        wb.execute(C.CreatePersona({"name": "More"}))
    assert mode(wb_path) == bits
    assert names(wb_path) == {"Private", "More"}


def test_write_back_keeps_the_group(wb_path: Path, ctx: Context) -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a file's group to another needs root here")
    os.chown(wb_path, -1, 1234)
    wb_path.chmod(0o640)
    with Workbench.open(wb_path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "Team"}))
    assert os.stat(wb_path).st_gid == 1234 and mode(wb_path) == 0o640


def test_every_replacement_keeps_the_mode(sample_path: Path, tmp_path: Path, ctx: Context) -> None:
    copy, client, doc = tmp_path / "copy.workbench", tmp_path / "client.workbench", tmp_path / "doc.json"
    copy.write_bytes(b"old")
    doc.write_bytes(b"old")
    Workbench.create(client, ctx)
    for target in (copy, client, doc):
        target.chmod(0o600)
    with Workbench.open(sample_path, ctx, readonly=True) as wb:
        wb.save_copy_as(copy)
        make_handoff(wb, client)
        interchange.write_json(wb.read, doc)
    assert {p.name: mode(p) for p in (copy, client, doc)} == {p.name: 0o600 for p in (copy, client, doc)}
    assert json.loads(doc.read_text())["format"] == "persona-workbench"


def test_new_files_follow_the_umask(sample_path: Path, tmp_path: Path, ctx: Context) -> None:
    with umask(0o027):
        Workbench.create(tmp_path / "new.workbench", ctx)
        with Workbench.open(sample_path, ctx, readonly=True) as wb:
            wb.save_copy_as(tmp_path / "copy.workbench")
            make_handoff(wb, tmp_path / "client.workbench")
            interchange.write_json(wb.read, tmp_path / "doc.json")
    with umask(0o002):
        Workbench.create(tmp_path / "shared.workbench", ctx)
    assert mode(tmp_path / "new.workbench") == 0o640
    assert mode(tmp_path / "copy.workbench") == 0o640
    assert mode(tmp_path / "client.workbench") == 0o640
    assert mode(tmp_path / "doc.json") == 0o640
    assert mode(tmp_path / "shared.workbench") == 0o664


def test_working_copies_are_private(wb_path: Path, ctx: Context) -> None:
    wb_path.chmod(0o600)
    with Workbench.open(wb_path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "Secret"}))
        working = wb.file.working
        assert working is not None
        assert mode(working.folder) == 0o700
        assert mode(working.path) & 0o077 == 0


def test_a_file_the_person_may_not_write_is_never_written(wb_path: Path, tmp_path: Path, ctx: Context) -> None:
    wb_path.chmod(0o400)
    before = wb_path.read_bytes()
    with pytest.raises(errors.FileProblem) as info:
        Workbench.open(wb_path, ctx)
    assert "read-only" in str(info.value)
    with Workbench.open(wb_path, ctx, readonly=True) as ro:  # reading still works
        assert ro.info().name == "test"
        doc = tmp_path / "doc.json"
        doc.write_bytes(b"keep me")
        doc.chmod(0o444)
        with pytest.raises(errors.CouldNotSave, match="permission"):
            interchange.write_json(ro.read, doc)
        assert doc.read_bytes() == b"keep me"
    assert wb_path.read_bytes() == before and mode(wb_path) == 0o400


def test_made_read_only_while_open_is_not_written(wb_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Pending"}))
    before = wb_path.read_bytes()
    wb_path.chmod(0o444)
    with pytest.raises(errors.CouldNotSave, match="permission"):
        wb.write_back()
    assert wb_path.read_bytes() == before and wb.needs_write_back
    wb_path.chmod(0o644)
    wb.close()
    assert names(wb_path) == {"Pending"}


def test_put_in_place_is_what_the_pdf_export_needs(wb_path: Path, tmp_path: Path, ctx: Context) -> None:
    """The helper for exports written by other modules (the PDF playbook): link followed, mode kept,
    a held workbench refused — the same rules as the JSON export."""
    from workbench.store.sqlite import outputs

    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    target = outputs.prepare_output(link)
    assert target == real
    tmp = tmp_path / ".real.pdf.pwkb-tmp-x"
    tmp.write_bytes(b"%PDF new")
    outputs.put_in_place(tmp, target)
    assert link.is_symlink() and real.read_bytes() == b"%PDF new" and mode(real) == 0o600
    with Workbench.open(wb_path, ctx):
        with pytest.raises(errors.Locked):
            outputs.prepare_output(wb_path)
        tmp.write_bytes(b"%PDF")
        with pytest.raises(errors.Locked):
            outputs.put_in_place(tmp, wb_path)

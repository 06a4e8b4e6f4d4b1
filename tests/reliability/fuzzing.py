"""Hostile workbench files: mutations of a valid file, and the check that opening one is safe.

A *recipe* is a plain tuple describing one mutation; it is drawn by hypothesis in
``test_fuzz.py`` and by ``random`` in ``bench/fuzz_files.py`` through the same :func:`draw_recipe`
(``draw(low, high)`` returns an int), so both explore the same space.

:func:`check_case` opens the mutated file read-only and read-write and enforces the promises: a typed
:class:`workbench.domain.errors.WorkbenchError` or a successful open — never another exception, never
longer than :data:`OPEN_LIMIT_S`, never planted code running (a planted trigger would write a row into
the ``pwned`` table), never a byte of the input changed, and nothing new left beside it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench

#: Each open (read-only or read-write) must answer within this many seconds.
OPEN_LIMIT_S = 5.0
Draw = Callable[[int, int], int]
Recipe = tuple[object, ...]

MARKER = "pwned"
TABLES = ("workbench", "channels", "personas", "messages", "message_revisions", "terms", "objections",
          "search_docs", "search_index_content", "search_index_config")
#: Schema objects a hostile file might plant; each one, if it ever ran, writes into MARKER.
PLANTS = (
    f"CREATE TRIGGER t1 AFTER INSERT ON personas BEGIN INSERT INTO {MARKER} VALUES ('trigger'); END",
    f"CREATE TRIGGER t2 BEFORE UPDATE ON workbench BEGIN INSERT INTO {MARKER} VALUES ('trigger'); END",
    f"CREATE TRIGGER t3 AFTER INSERT ON search_docs BEGIN INSERT INTO {MARKER} VALUES ('trigger'); END",
    f"CREATE TEMP TRIGGER t4 AFTER INSERT ON personas BEGIN INSERT INTO {MARKER} VALUES ('trigger'); END",
    "CREATE VIEW personas_v AS SELECT * FROM personas",
    f"CREATE VIEW v2 AS SELECT count(*) FROM {MARKER}",
    "CREATE INDEX evil_expr ON personas (length(printf('%.*c', 100000000, 'x')))",
    "CREATE INDEX evil_partial ON messages (headline) WHERE length(body) > 0",
    "CREATE INDEX plain_extra ON personas (role)",
    "CREATE TABLE extra_table (x TEXT, y INTEGER)",
    "CREATE TABLE gen_extra (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL)",
)
#: Replacement CREATE TABLE statements written straight into sqlite_schema (writable_schema).
SCHEMA_EDITS = (
    ("personas", "CHECK (length(printf('%.*c', 100000000, 'x')) > 0)"),
    ("personas", "pwn TEXT GENERATED ALWAYS AS (name || 'x') VIRTUAL"),
    ("terms", "CHECK (term <> '')"),
    ("messages", "CONSTRAINT c CHECK (1)"),
    ("objections", "FOREIGN KEY(persona_id) REFERENCES personas (id) ON DELETE CASCADE"),
    ("channels", None),  # truncated SQL
    ("workbench", "garbage ((("),
)


@dataclass(frozen=True)
class Base:
    """The valid file every mutation starts from, and a journal of another database."""

    data: bytes
    foreign_journal: bytes


def make_base(folder: Path) -> Base:
    """A small valid workbench (with a ``pwned`` marker table) and a hot journal of a different file."""
    ctx = Context(user="fuzz")
    path = folder / "base.workbench"
    Workbench.create(path, ctx, sample=True)
    with Workbench.open(path, ctx, data_dir=folder / "data") as wb:
        wb.execute(C.CreatePersona({"name": "Fuzz", "story": "story " * 200}))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"CREATE TABLE {MARKER} (what TEXT)")
    conn.close()
    other = folder / "other.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (randomblob(100000))")
    conn.execute("BEGIN")
    conn.execute("DELETE FROM t")
    journal = Path(str(other) + "-journal").read_bytes()
    conn.execute("ROLLBACK")
    conn.close()
    return Base(path.read_bytes(), journal)


def draw_recipe(draw: Draw, size: int) -> Recipe:
    """One mutation, chosen with ``draw``; ``size`` is the base file's length."""
    kind = draw(0, 11)
    if kind == 0:
        return ("truncate", draw(0, size - 1))
    if kind == 1:
        flips = tuple((draw(0, min(size, 8192) - 1 if draw(0, 1) else size - 1), draw(1, 255))
                      for _ in range(draw(1, 8)))
        return ("flip", flips)
    if kind == 2:
        return ("page_size", draw(0, 0xFFFF))
    if kind == 3:
        return ("user_version", draw(-(2**31), 2**31 - 1) if draw(0, 1) else draw(-3, 5))
    if kind == 4:
        return ("application_id", draw(0, 2**32 - 1))
    if kind == 5:
        return ("schema_edit", draw(0, len(SCHEMA_EDITS) - 1))
    if kind == 6:
        return ("plant", draw(0, len(PLANTS) - 1))
    if kind == 7:
        return ("hot_journal", draw(0, 1))
    if kind == 8:
        return ("header_field", draw(16, 99), draw(0, 255))
    if kind == 9:
        return ("page_garbage", draw(1, max(1, size // 4096 - 1)), draw(0, 2**32 - 1))
    if kind == 10:
        return ("schema_flip", draw(0, 4000), draw(1, 255))
    return ("combo", draw_recipe(draw, size), draw_recipe(draw, size))


def _header(data: bytearray, offset: int, fmt: str, value: int) -> None:
    struct.pack_into(fmt, data, offset, value)


def _sql_edit(data: bytes, folder: Path, statements: list[str], writable_schema: bool = False) -> bytes:
    path = folder / "edit.workbench"
    path.write_bytes(data)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if writable_schema:
            conn.execute("PRAGMA writable_schema=ON")
        for sql in statements:
            try:
                conn.execute(sql)
            except sqlite3.DatabaseError:
                pass
    finally:
        conn.close()
    out = path.read_bytes()
    path.unlink()
    return out


def apply_recipe(base: Base, recipe: Recipe, folder: Path) -> tuple[bytes, bytes | None]:
    """The mutated file's bytes, and the bytes of a journal to put beside it (or None)."""
    data = bytearray(base.data)
    journal: bytes | None = None
    kind = recipe[0]
    if kind == "truncate":
        return bytes(data[: int(recipe[1])]), None  # type: ignore[call-overload]
    if kind == "flip":
        for pos, mask in recipe[1]:  # type: ignore[attr-defined]
            if pos < len(data):
                data[pos] ^= mask
    elif kind == "page_size":
        if len(data) >= 100:
            _header(data, 16, ">H", int(recipe[1]))  # type: ignore[call-overload]
    elif kind == "user_version" and len(data) >= 100:
        _header(data, 60, ">i", int(recipe[1]))  # type: ignore[call-overload]
    elif kind == "application_id" and len(data) >= 100:
        _header(data, 68, ">I", int(recipe[1]))  # type: ignore[call-overload]
    elif kind == "header_field" and len(data) >= 100:
        data[int(recipe[1])] = int(recipe[2])  # type: ignore[call-overload]
    elif kind == "page_garbage":
        page = int(recipe[1])  # type: ignore[call-overload]
        import random

        rnd = random.Random(int(recipe[2]))  # type: ignore[call-overload]
        start = page * 4096
        data[start:start + 4096] = bytes(rnd.getrandbits(8) for _ in range(4096))[: len(data) - start]
    elif kind == "schema_flip":  # damage inside page 1, where the schema lives
        pos = 100 + int(recipe[1])  # type: ignore[call-overload]
        if pos < len(data):
            data[pos] ^= int(recipe[2])  # type: ignore[call-overload]
    elif kind == "schema_edit":
        table, extra = SCHEMA_EDITS[int(recipe[1])]  # type: ignore[call-overload]
        probe = folder / "probe.workbench"
        probe.write_bytes(bytes(data))
        c = sqlite3.connect(probe)
        try:
            sql = c.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchone()[0]
        except (sqlite3.DatabaseError, TypeError):
            return bytes(data), None  # already too damaged to edit: keep as is
        finally:
            c.close()
            probe.unlink()
        if extra is None:
            new_sql = sql[: len(sql) // 2]
        else:
            new_sql = sql.rstrip().rstrip(")") + f", {extra})"
        escaped = new_sql.replace("'", "''")
        return _sql_edit(bytes(data), folder, [
            f"UPDATE sqlite_schema SET sql = '{escaped}' WHERE name = '{table}'"], writable_schema=True), None
    elif kind == "plant":
        return _sql_edit(bytes(data), folder, [PLANTS[int(recipe[1])]]), None  # type: ignore[call-overload]
    elif kind == "hot_journal":
        journal = base.foreign_journal if recipe[1] else base.foreign_journal[:1024]
    elif kind == "combo":
        first, first_journal = apply_recipe(base, recipe[1], folder)  # type: ignore[arg-type]
        second, second_journal = apply_recipe(Base(first, base.foreign_journal), recipe[2],  # type: ignore[arg-type]
                                              folder)
        return second, second_journal or first_journal
    return bytes(data), journal


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _marker_rows(wb: Workbench) -> int:
    with wb.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        try:
            return int(raw.execute(f"SELECT count(*) FROM {MARKER}").fetchone()[0])  # type: ignore[union-attr]
        except sqlite3.DatabaseError:
            return 0


class Broken(AssertionError):
    """A promise about hostile files was broken."""


def check_case(data: bytes, journal: bytes | None, data_dir: Path) -> str:
    """Open the file read-only and read-write; return the outcome or raise :class:`Broken`."""
    folder = Path(tempfile.mkdtemp(prefix="pwkb-fuzz-"))
    path = folder / "case.workbench"
    path.write_bytes(data)
    if journal is not None:
        Path(str(path) + "-journal").write_bytes(journal)
    before_hash = hashlib.sha256(data).hexdigest()
    before_list = _listing(folder)
    outcomes = []
    try:
        for readonly in (True, False):
            start = time.monotonic()
            wb = None
            try:
                wb = Workbench.open(path, Context(user="fuzz"), readonly=readonly, data_dir=data_dir)
                wb.counts()
                wb.persona_summaries()
                wb.search("story")
                if not readonly:
                    try:
                        wb.execute(C.CreatePersona({"name": "Probe", "story": "probe"}))
                        wb.execute(C.UpdateWorkbench({"name": "Probe"}))
                    except errors.WorkbenchError:
                        pass
                    if _marker_rows(wb):
                        raise Broken("a planted trigger ran")
                outcomes.append("opened")
            except errors.WorkbenchError as exc:
                outcomes.append(type(exc).__name__)
            except Broken:
                raise
            except Exception as exc:  # the promise: nothing but typed errors
                raise Broken(f"{'read-only' if readonly else 'read-write'} open raised "
                             f"{type(exc).__name__}: {exc}") from exc
            finally:
                if wb is not None:
                    working = wb.working
                    wb.close(write_back=False)
                    if working is not None:
                        working.discard()
            elapsed = time.monotonic() - start
            if elapsed > OPEN_LIMIT_S:
                raise Broken(f"opening took {elapsed:.1f}s")
            if hashlib.sha256(path.read_bytes()).hexdigest() != before_hash:
                raise Broken("the input file was changed")
            if _listing(folder) != before_list:
                raise Broken(f"files appeared or vanished beside the input: {_listing(folder)}")
        return "/".join(outcomes)
    finally:
        for p in folder.iterdir():
            p.unlink()
        os.rmdir(folder)

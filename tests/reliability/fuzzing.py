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
from workbench.exchange.sample import create_sample
from workbench.session import Workbench
from workbench.store.sqlite.store import driver_connection

#: Each open (read-only or read-write) must answer within this many seconds.
OPEN_LIMIT_S = 5.0
Draw = Callable[[int, int], int]
Recipe = tuple[object, ...]

#: A planted trigger that ran would insert this term (a row of a table of ours: a table of its own
#: would make the file refused before anything could run).
MARKER = "pwned"
MARK = (f"INSERT INTO terms (id, term, kind, replacement, note, persona_id, created_at, created_by, "
        f"updated_at, updated_by, version) VALUES ('{MARKER}', '{MARKER}', 'define', '', '', NULL, '', '', '', '', 1)")
TABLES = ("workbench", "channels", "personas", "messages", "message_revisions", "terms", "objections",
          "search_docs", "search_index_content", "search_index_config")
#: Schema objects a hostile file might plant; each one, if it ever ran, writes into MARKER.
PLANTS = (
    f"CREATE TRIGGER t1 AFTER INSERT ON personas BEGIN {MARK}; END",
    f"CREATE TRIGGER t2 BEFORE UPDATE ON workbench BEGIN {MARK}; END",
    f"CREATE TRIGGER t3 AFTER INSERT ON search_docs BEGIN {MARK}; END",
    f"CREATE TEMP TRIGGER t4 AFTER INSERT ON personas BEGIN {MARK}; END",
    "CREATE VIEW personas_v AS SELECT * FROM personas",
    "CREATE VIEW v2 AS SELECT count(*) FROM terms",
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
    """A small valid workbench and a hot journal (synced, its header written) of a different file."""
    ctx = Context(user="fuzz")
    path = folder / "base.workbench"
    create_sample(path, ctx)
    with Workbench.open(path, ctx, data_dir=folder / "data") as wb:
        wb.execute(C.CreatePersona({"name": "Fuzz", "story": "story " * 200}))
    other = folder / "other.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (randomblob(100000))")
    conn.execute("PRAGMA cache_size=1")  # spill to disk mid-transaction: the journal is synced, hence hot
    conn.execute("BEGIN")
    conn.execute("UPDATE t SET x = randomblob(100000)")
    conn.execute("INSERT INTO t VALUES (randomblob(100000))")
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
        return ("hot_journal", draw(0, 2))
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
    elif kind == "hot_journal":  # 1: whole, 0: torn, 2: cold (a zeroed header: SQLite ignores it)
        variant = int(recipe[1])  # type: ignore[call-overload]
        journal = {1: base.foreign_journal, 0: base.foreign_journal[:1024],
                   2: b"\0" * 28 + base.foreign_journal[28:4096]}[variant]
    elif kind == "combo":
        first, first_journal = apply_recipe(base, recipe[1], folder)  # type: ignore[arg-type]
        second, second_journal = apply_recipe(Base(first, base.foreign_journal), recipe[2],  # type: ignore[arg-type]
                                              folder)
        return second, second_journal or first_journal
    return bytes(data), journal


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _marker_rows(wb: Workbench) -> int:
    with wb.store.session() as s:
        raw = driver_connection(s)
        try:
            return int(raw.execute("SELECT count(*) FROM terms WHERE id = ?", (MARKER,)).fetchone()[0])
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
                    working = wb.file.working
                    wb.close(write_back=False)
                    if working is not None:
                        working.discard()
            elapsed = time.monotonic() - start
            if elapsed > OPEN_LIMIT_S:
                raise Broken(f"opening took {elapsed:.1f}s")
            if hashlib.sha256(path.read_bytes()).hexdigest() != before_hash:
                raise Broken("the input file was changed")
            if journal is not None and Path(str(path) + "-journal").read_bytes() != journal:
                raise Broken("the journal beside the input was changed")
            if _listing(folder) != before_list:
                raise Broken(f"files appeared or vanished beside the input: {_listing(folder)}")
        return "/".join(outcomes)
    finally:
        for p in folder.iterdir():
            p.unlink()
        os.rmdir(folder)


# --- lock files, special files and images ---------------------------------------------------------

#: Kinds of lock file a careless tool or a hostile user leaves beside a workbench.
LOCK_KINDS = ("garbage", "json-junk", "huge-pid", "negative-pid", "bool-pid", "folder", "dangling-link",
              "link-to-lock", "fifo", "empty", "huge", "controls", "foreign-host", "dead-here")


def draw_lock_recipe(draw: Draw) -> Recipe:
    """One hostile lock file: its kind and a number that varies its bytes."""
    return (LOCK_KINDS[draw(0, len(LOCK_KINDS) - 1)], draw(0, 2**31 - 1))


def plant_lock(path: Path, recipe: Recipe) -> None:
    """Put the lock file ``recipe`` describes beside the workbench at ``path``."""
    import json
    import random

    from workbench.store.sqlite import storage

    kind, seed = recipe[0], int(recipe[1])  # type: ignore[call-overload]
    rnd = random.Random(seed)
    lock = storage.lock_path(path)
    fields = {"user": "fuzz", "host": storage.hostname(), "pid": 999_999, "since": "2026-01-01T00:00:00"}
    if kind == "garbage":
        lock.write_bytes(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 5000))))
    elif kind == "json-junk":
        lock.write_text(json.dumps(rnd.choice([[1, 2], "x", 3, None, {"user": 1}, {"pid": "1"}, {}])))
    elif kind in ("huge-pid", "negative-pid", "bool-pid"):
        fields["pid"] = {"huge-pid": 2**31 + seed, "negative-pid": -seed, "bool-pid": True}[kind]
        lock.write_text(json.dumps(fields))
    elif kind == "folder":
        lock.mkdir()
        if seed % 2:
            (lock / "inside").write_text("x")
    elif kind == "dangling-link":
        lock.symlink_to(path.parent / f"nowhere-{seed}")
    elif kind == "link-to-lock":
        real = path.parent / "elsewhere.json"
        real.write_text(json.dumps(fields))
        lock.symlink_to(real)
    elif kind == "fifo":
        os.mkfifo(lock)
    elif kind == "empty":
        lock.write_bytes(b"")
    elif kind == "huge":
        with open(lock, "wb") as fh:
            fh.truncate(10_000 + seed % 10_000_000)
    elif kind == "controls":
        fields["user"] = "m\x1b]0;t\x07\x1b[2J" + "\u202e" * (seed % 5) + "x" * (seed % 3000)
        lock.write_text(json.dumps(fields))
    elif kind == "foreign-host":
        fields["host"] = f"other-{seed}"
        lock.write_text(json.dumps(fields))
    elif kind == "dead-here":
        lock.write_text(json.dumps(fields))


def check_lock_case(base: Base, recipe: Recipe, data_dir: Path) -> str:
    """Open a workbench beside a hostile lock for editing: a typed error or an open, fast, never a hang;
    the holder is printable; an unreadable lock can be broken and the file then opens."""
    from workbench.store.sqlite import storage

    folder = Path(tempfile.mkdtemp(prefix="pwkb-lockfuzz-"))
    path = folder / "case.workbench"
    path.write_bytes(base.data)
    try:
        plant_lock(path, recipe)
        start = time.monotonic()
        outcome = "opened"
        try:
            Workbench.open(path, Context(user="fuzz"), data_dir=data_dir).close(write_back=False)
        except storage.LockUnreadable:
            outcome = "unreadable"
        except errors.WorkbenchError as exc:
            outcome = type(exc).__name__
        except Exception as exc:
            raise Broken(f"opening beside the lock raised {type(exc).__name__}: {exc}") from exc
        if time.monotonic() - start > OPEN_LIMIT_S:
            raise Broken(f"opening beside the lock took {time.monotonic() - start:.1f}s")
        holder = storage.read_holder(path)
        text = holder.describe() if holder is not None else ""
        if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0x202A <= ord(ch) <= 0x202E for ch in text):
            raise Broken(f"the holder is not printable: {text!r}")
        if outcome == "unreadable":
            try:
                storage.break_lock(path)
            except errors.WorkbenchError:
                return "unreadable/unbreakable"  # a folder with something in it: the person removes it
            Workbench.open(path, Context(user="fuzz"), data_dir=data_dir).close(write_back=False)
        if hashlib.sha256(path.read_bytes()).hexdigest() != hashlib.sha256(base.data).hexdigest():
            raise Broken("the workbench beside the lock was changed")
        return outcome
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


#: Special files put where a workbench, an import source or an image is expected.
SPECIALS = ("fifo", "dev-zero", "dev-null", "folder", "loop", "dangling")


def make_special(path: Path, kind: str) -> None:
    """Put a special file of ``kind`` at ``path``."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind in ("dev-zero", "dev-null"):
        path.symlink_to(f"/dev/{kind[4:]}")
    elif kind == "folder":
        path.mkdir()
    elif kind == "loop":
        other = path.with_name(path.name + "-loop")
        path.symlink_to(other)
        other.symlink_to(path)
    else:
        path.symlink_to(path.with_name("missing"))


def check_special_case(kind: str, role: str, data_dir: Path) -> str:
    """A special file as the workbench, the import source or the image: a typed error, at once."""
    from workbench.exchange import interchange
    from workbench.store.sqlite import storage

    folder = Path(tempfile.mkdtemp(prefix="pwkb-special-"))
    path = folder / {"workbench": "case.workbench", "source": "source.json", "image": "portrait.png"}[role]
    try:
        make_special(path, kind)
        start = time.monotonic()
        try:
            if role == "workbench":
                for readonly in (True, False):
                    Workbench.open(path, Context(user="fuzz"), readonly=readonly, data_dir=data_dir).close()
            elif role == "source":
                interchange.load_source(path)
            else:
                storage.read_regular(path, 60 * 1024 * 1024)
            raise Broken(f"a {kind} as the {role} was accepted")
        except errors.WorkbenchError as exc:
            outcome = type(exc).__name__
        except Broken:
            raise
        except Exception as exc:
            raise Broken(f"a {kind} as the {role} raised {type(exc).__name__}: {exc}") from exc
        if time.monotonic() - start > OPEN_LIMIT_S:
            raise Broken(f"a {kind} as the {role} took {time.monotonic() - start:.1f}s")
        return outcome
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def draw_image_recipe(draw: Draw) -> Recipe:
    """One hostile image: a valid PNG or JPEG cut, flipped, given other dimensions — or not an image."""
    return (("png", "jpeg", "svg", "random")[draw(0, 3)], ("cut", "flip", "size", "none")[draw(0, 3)],
            draw(0, 2**31 - 1))


def make_image(recipe: Recipe) -> bytes:
    """The bytes ``recipe`` describes."""
    import io
    import random
    import zlib

    kind, how, seed = recipe[0], recipe[1], int(recipe[2])  # type: ignore[call-overload]
    rnd = random.Random(seed)
    if kind == "svg":
        return b'<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/hostname"/></svg>'
    if kind == "random":
        return bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 3000)))
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (rnd.randint(1, 64), rnd.randint(1, 64)), (rnd.randint(0, 255), 9, 9)).save(
        buf, "PNG" if kind == "png" else "JPEG")
    data = bytearray(buf.getvalue())
    if how == "cut":
        return bytes(data[: rnd.randint(0, len(data) - 1)])
    if how == "flip":
        for _ in range(rnd.randint(1, 6)):
            data[rnd.randrange(len(data))] ^= rnd.randint(1, 255)
    elif how == "size":
        width, height = rnd.choice([(8000, 8000), (4097, 4097), (0, 5), (2**31, 1), (70_000, 1), (4096, 4096)])
        if kind == "png":
            ihdr = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
            data[16:24] = struct.pack(">II", width, height)
            data[29:33] = struct.pack(">I", zlib.crc32(ihdr) & 0xFFFFFFFF)
        else:
            at = bytes(data).find(b"\xff\xc0")
            if at > 0:
                data[at + 5:at + 9] = struct.pack(">HH", min(height, 0xFFFF), min(width, 0xFFFF))
    return bytes(data)


def check_image_case(data: bytes) -> str:
    """``images.validate`` answers with a size or one ValidationError — and a size it accepts is the
    size an imaging library reads, within the limits."""
    import io

    from workbench.domain import images

    start = time.monotonic()
    try:
        width, height = images.validate(data)
    except errors.ValidationError:
        return "refused"
    except Exception as exc:
        raise Broken(f"images.validate raised {type(exc).__name__}: {exc}") from exc
    finally:
        if time.monotonic() - start > 1.0:
            raise Broken(f"images.validate took {time.monotonic() - start:.1f}s")
    if width * height > images.MAX_PIXELS or images.kind(data) not in ("png", "jpeg"):
        raise Broken(f"accepted a {width}×{height} {images.kind(data)}")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format not in ("PNG", "JPEG") or im.size != (width, height):
                raise Broken(f"accepted as {width}×{height}, but it is a {im.format} of {im.size}")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        if images.kind(data) == "png":  # every PNG chunk carries a checksum: damage is always seen
            raise Broken(f"accepted a PNG no imaging library reads: {exc}") from exc
        # A JPEG's tables have no checksum: one damaged inside passes the structural check and is
        # shown as the placeholder wherever it cannot be decoded (never a traceback).
        return "accepted (damaged inside)"
    return "accepted"

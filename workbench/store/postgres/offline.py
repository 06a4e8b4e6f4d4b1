"""Offline copies: pull a team workbench into a normal ``.workbench`` file, push its changes back.

``pull`` copies every row — ids, row versions, derived counts — from one consistent snapshot of the
server into a new file (``Workbench.create``: the file appears whole or not at all) and records
beside it, in ``LOCAL.workbench.origin.json``, where it came from (the server's address without
password, the workbench's id, the change-log position) and each row's version in the file and on
the server at that moment. (That record belongs inside the file; it lives beside it until the file
format has a place for it.)

``push`` compares three states per row — as pulled, in the file now, on the server now (locked
``FOR UPDATE`` for the rest of the push): rows changed only in the file are sent; rows changed on
both sides (or deleted on one, changed on the other) since the pull are conflicts — the server's
version is kept, or with ``theirs`` the file's is sent — unless both sides hold the same values.
Everything sent is one command on the server (one transaction: search index, breach counts, the
change log and a notification with it); then the record beside the file moves on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.schema.model import DERIVED_COLUMNS, KIND_OF_TABLE, Base
from workbench.store.postgres import faults, live
from workbench.store.postgres.address import PasswordPrompt
from workbench.store.postgres.host import TeamHost
from workbench.store.unit import RowImage, Tx, restore

FORMAT = "persona-workbench-offline-copy"
VERSION = 1
SUFFIX = ".origin.json"
#: Rows copied per statement.
_BATCH = 1000
#: The column that names a row in a conflict line, per table.
_TITLE = {"workbench": "name", "channels": "name", "personas": "name", "messages": "headline",
          "message_revisions": "headline", "terms": "term", "objections": "objection"}

#: Table → id → [version in the file, version on the server] as of the last pull or push.
Versions = dict[str, dict[str, list[int]]]


def origin_path(local: Path) -> Path:
    """Where the record of an offline copy's origin lives: beside the file."""
    return local.with_name(local.name + SUFFIX)


@dataclass
class PullReport:
    """What ``pull`` made."""

    path: Path
    server: str
    rows: int
    seq: int


@dataclass
class PushReport:
    """What ``push`` did: rows sent per kind, conflicts (one line each), rows already alike."""

    sent: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    alike: int = 0

    def summary(self) -> str:
        """One paragraph for people, then the conflicts one per line."""
        sent = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(self.sent.items())) or "nothing"
        lines = [f"Sent {sent}."]
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflict{'s' if len(self.conflicts) != 1 else ''}:")
            lines.extend(self.conflicts)
        return "\n".join(lines)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _copy_from(server: Connection, tx: Tx, versions: Versions) -> int:
    """Copy every row of the server's snapshot into the new file's transaction, as it is."""
    from workbench.edit.derived import rebuild_search

    local = tx.session.connection()
    local.execute(delete(Base.metadata.tables["workbench"]))  # the new file's own seed row
    copied = 0
    for table in _tables():
        seen = versions.setdefault(table.name, {})
        result = server.execution_options(stream_results=True, max_row_buffer=_BATCH).execute(
            select(table).order_by(table.c.id))
        for part in result.mappings().partitions(_BATCH):
            rows = [dict(r) for r in part]
            local.execute(insert(table), rows)
            for r in rows:
                seen[r["id"]] = [int(r["version"]), int(r["version"])]
            copied += len(rows)
    rebuild_search(tx)
    return copied


def pull(url: str, out: Path | str, *, ctx: Context | None = None,
         password: PasswordPrompt | None = None) -> PullReport:
    """Make ``out`` (a new ``.workbench`` file; never overwriting one) an offline copy of the team
    workbench at ``url``; a reader's rights suffice. Typed errors; no file is left on failure."""
    from workbench.edit.commands.base import FunctionCommand
    from workbench.session import Workbench

    out = Path(out)
    host = TeamHost.open(url, readonly=True, password=password)
    try:
        versions: Versions = {}
        counted: list[int] = []
        try:
            with host.store.session() as s:  # one snapshot: every row and the log position agree
                server = s.connection()
                seq = live.latest(server)
                name = server.execute(select(Base.metadata.tables["workbench"].c.name)).scalar() or out.stem

                def fill(wb: Workbench) -> None:
                    wb.execute(FunctionCommand(lambda tx: counted.append(_copy_from(server, tx, versions)),
                                               "Take Offline Copy"))

                Workbench.create(out, ctx or Context(), name=name, fill=fill, default_channels=False)
        except errors.WorkbenchError:
            raise
        except Exception as exc:
            typed = host.store.failure(exc, writing=False)
            if typed is None:
                raise
            raise typed from None
        record = {"format": FORMAT, "version": VERSION, "server": host.label, "workbench_id": host.workbench_id,
                  "pulled_at": (ctx or Context()).now(), "seq": seq, "rows": versions}
        _write_record(out, record)
    finally:
        host.close()
    return PullReport(out, host.label, sum(counted), seq)


def _write_record(local: Path, record: Mapping[str, Any]) -> None:
    from workbench.store.sqlite import storage

    target = origin_path(local)
    try:
        storage.atomic_write_bytes(target, json.dumps(record, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        raise storage.save_failure(target, exc, edits_kept=False) from None


def read_record(local: Path) -> dict[str, Any]:
    """The origin record of an offline copy; :class:`faults.NotAnOfflineCopy` when there is none."""
    path = origin_path(local)
    try:
        record = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise faults.NotAnOfflineCopy(str(local), f"{local} is not an offline copy of a team workbench "
                                      f"(there is no {path.name} beside it; take one with pull).") from None
    except (OSError, ValueError) as exc:
        raise faults.NotAnOfflineCopy(str(local), f"{path} cannot be read ({exc}).") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT or not isinstance(record.get("rows"), dict):
        raise faults.NotAnOfflineCopy(str(local), f"{path} is not the record of an offline copy.")
    if record.get("version") != VERSION:
        raise faults.NotAnOfflineCopy(str(local), f"{path} was written by another version of the app.")
    return record


def _read_local(local: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Every row of the file by table and id (read-only: the file is not touched)."""
    from workbench.session import Workbench

    with Workbench.open(local, readonly=True) as wb:
        def read(s: Any) -> dict[str, dict[str, dict[str, Any]]]:
            conn = s.connection()
            return {t.name: {r["id"]: dict(r) for r in conn.execute(select(t)).mappings()} for t in _tables()}
        return wb.read(read)


def _content(table: str, values: Mapping[str, Any] | None, *, stamps: bool = True) -> dict[str, Any] | None:
    """A row's values that people wrote: no version, no derived columns (and, unless ``stamps``, not
    who changed it last and when — two people making the same change is no conflict)."""
    if values is None:
        return None
    skip = {"version", *DERIVED_COLUMNS.get(table, ())}
    if not stamps:
        skip |= {"updated_at", "updated_by"}
    return {k: v for k, v in values.items() if k not in skip}


def _describe(table: str, row_id: str, *rows: Mapping[str, Any] | None) -> str:
    kind = KIND_OF_TABLE.get(table, table)
    title = next((str(r.get(_TITLE.get(table, ""), "")) for r in rows if r and r.get(_TITLE.get(table, ""))), "")
    shown = f" {' '.join(title.split())[:40]!r}" if title else ""
    return f"{kind}{shown} ({row_id[:8]}…)"


class _Push:
    """Decides, inside the server's transaction, what to send; remembers what it did."""

    def __init__(self, base: Versions, local: dict[str, dict[str, dict[str, Any]]], theirs: bool) -> None:
        self.base, self.local, self.theirs = base, local, theirs
        self.report = PushReport()
        #: (table, id) → [file's version, server's version] of rows alike on both sides (None: gone).
        self.settled: dict[tuple[str, str], list[int] | None] = {}

    def apply(self, tx: Tx) -> None:
        """Send the rows changed only in the file (and, with ``theirs``, the conflicting ones)."""
        images: list[RowImage] = []
        for table in _tables():
            name = table.name
            base_t, local_t = self.base.get(name, {}), self.local.get(name, {})
            changed = [rid for rid in sorted(set(base_t) | set(local_t))
                       if rid not in base_t or rid not in local_t or int(local_t[rid]["version"]) != base_t[rid][0]]
            tx.touch_many(name, changed)  # read FOR UPDATE: the server's rows stay as read until commit
            for rid in changed:
                mine, was = local_t.get(rid), base_t.get(rid)
                now = tx.touched[(name, rid)]
                server_moved = (now is not None) if was is None else (now is None or int(now["version"]) != was[1])
                if server_moved and _content(name, mine, stamps=False) == _content(name, now, stamps=False):
                    self.report.alike += 1
                    self.settled[(name, rid)] = (None if mine is None or now is None
                                                 else [int(mine["version"]), int(now["version"])])
                    continue
                if server_moved:
                    where = ("deleted here, changed on the server" if mine is None else
                             "changed here, deleted on the server" if now is None else
                             "changed here and on the server")
                    outcome = "sent yours (--theirs)" if self.theirs else "kept the server's version"
                    self.report.conflicts.append(f"{_describe(name, rid, mine, now)}: {where} since the pull; "
                                                 f"{outcome}")
                    if not self.theirs:
                        continue
                images.append(RowImage(name, rid, _content(name, mine)))
                kind = KIND_OF_TABLE.get(name, name)
                self.report.sent[kind] = self.report.sent.get(kind, 0) + 1
        if images:
            restore(tx, images)


def push(local: Path | str, url: str, *, theirs: bool = False, ctx: Context | None = None,
         password: PasswordPrompt | None = None) -> PushReport:
    """Send what changed in the offline copy ``local`` since it was pulled (or last pushed) to ``url``.

    Conflicts are reported one per line in the result (the caller exits 1 when there are any); the
    server keeps its version unless ``theirs``. Typed errors: not an offline copy, another workbench,
    no right to edit, connection failures — and nothing is written then.
    """
    from workbench.edit.commands.base import FunctionCommand
    from workbench.session import Workbench

    local = Path(local)
    record = read_record(local)
    base: Versions = {t: {i: [int(v[0]), int(v[1])] for i, v in rows.items()} for t, rows in record["rows"].items()}
    mine = _read_local(local)
    host = TeamHost.open(url, ctx, password=password)
    with Workbench(host) as wb:
        if host.workbench_id != record.get("workbench_id"):
            raise faults.NotAnOfflineCopy(str(local), f"{local} was taken from another workbench "
                                          f"({record.get('server', '?')}), not from {host.label}.")
        if host.readonly:
            raise faults.NotPermitted(host.label, f"Your role ({host.user}) may not edit {host.label}.")
        plan = _Push(base, mine, theirs)
        change = wb.execute(FunctionCommand(plan.apply, "Push Offline Copy"))
    for img in change.after:
        row = mine.get(img.table, {}).get(img.id)
        if img.values is None or row is None:
            base.get(img.table, {}).pop(img.id, None)
        else:
            base.setdefault(img.table, {})[img.id] = [int(row["version"]), int(img.values["version"])]
    for (table, rid), versions in plan.settled.items():
        if versions is None:
            base.get(table, {}).pop(rid, None)
        else:
            base.setdefault(table, {})[rid] = versions
    _write_record(local, {**record, "rows": base})
    return plan.report

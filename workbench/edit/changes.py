"""Change records and the transaction every command runs in.

Every edit is a command run inside one :class:`Tx` (one SQLite transaction). The transaction
captures a *row image* — the row as it was — the first time a row is touched, and the row as it
ended up at commit. The resulting :class:`Change` says what kinds and ids changed (views refresh
from it) and carries both images, so undo is "restore the before-images" and redo "restore the
after-images" — one mechanism for every command, cascades included.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Table, delete, event, insert, select, update
from sqlalchemy.orm import Session

from workbench.domain.values import Context
from workbench.schema.model import DERIVED_COLUMNS, KIND_OF_TABLE, Base

RowKey = tuple[str, str]  # (table name, id)
RowValues = Mapping[str, Any]

_TABLES: dict[str, Table] = {t.name: t for t in Base.metadata.sorted_tables}
_ORDER: dict[str, int] = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


@dataclass(frozen=True)
class RowImage:
    """A row as it was (or None: it did not exist)."""

    table: str
    id: str
    values: RowValues | None


@dataclass(frozen=True)
class Change:
    """What one command changed. ``before``/``after`` restore the rows for undo/redo."""

    label: str
    before: tuple[RowImage, ...]
    after: tuple[RowImage, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kinds(self) -> frozenset[str]:
        """Kinds of rows that changed (``persona``, ``message`` …)."""
        return frozenset(KIND_OF_TABLE.get(img.table, img.table) for img in self.after)

    def ids(self, kind: str) -> frozenset[str]:
        """Ids of changed rows of one kind."""
        return frozenset(img.id for img in self.after if KIND_OF_TABLE.get(img.table) == kind)

    def created(self, kind: str) -> frozenset[str]:
        """Ids of rows of ``kind`` that this change brought into existence."""
        born = {(b.table, b.id) for b in self.before if b.values is None}
        return frozenset(img.id for img in self.after
                         if KIND_OF_TABLE.get(img.table) == kind and (img.table, img.id) in born)

    def deleted(self, kind: str) -> frozenset[str]:
        """Ids of rows of ``kind`` that this change removed."""
        return frozenset(img.id for img in self.after
                         if KIND_OF_TABLE.get(img.table) == kind and img.values is None)

    @property
    def empty(self) -> bool:
        """True when the command changed nothing."""
        return not self.after


def _strip(table: str, values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    stripped = dict(values)
    for name in DERIVED_COLUMNS.get(table, ()):
        stripped.pop(name, None)
    return stripped


class Tx:
    """One command's transaction: an ORM session, the context, and row-image capture."""

    def __init__(self, session: Session, ctx: Context, *, defer_rechecks_over: int | None = None) -> None:
        self.session = session
        self.ctx = ctx
        self._before: dict[RowKey, dict[str, Any] | None] = {}
        self.extra: dict[str, Any] = {}
        #: Lingo re-checks of more messages than this are left for later (see ``derived.refresh_derived``).
        self.defer_rechecks_over = defer_rechecks_over
        #: Messages whose breach counts this transaction left to re-check later (all of them: None),
        #: and global avoid wordings whose messages (found through the search index) are to be too.
        self.deferred_recheck: frozenset[str] | None = frozenset()
        self.deferred_words: frozenset[str] = frozenset()
        event.listen(session, "before_flush", self._before_flush)

    @property
    def raw(self) -> sqlite3.Connection:
        """The DB-API connection inside this transaction (for the search index)."""
        conn = self.session.connection().connection.dbapi_connection
        assert conn is not None
        return conn  # type: ignore[return-value]

    def _read(self, key: RowKey) -> dict[str, Any] | None:
        table = _TABLES[key[0]]
        row = self.session.connection().execute(select(table).where(table.c.id == key[1])).mappings().first()
        return dict(row) if row is not None else None

    def touch(self, table: str, row_id: str) -> None:
        """Record the before-image of a row about to change (first touch wins)."""
        key = (table, row_id)
        if key not in self._before:
            self._before[key] = self._read(key)

    def _read_many(self, table: str, row_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The rows among ``row_ids`` that exist, by id, as ``select(table)`` gives them (one query
        per 500 ids).

        The SQL is plain and the values go through each column type's own result processor (JSON
        lists decoded …): rendering a 500-id ``IN`` through SQLAlchemy for every chunk cost more than
        reading the rows, for the 56,000 rows an import writes.
        """
        if not row_ids:
            return {}
        t = _TABLES[table]
        dialect = self.session.connection().dialect
        keys = [c.key for c in t.columns]
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in t.columns]
        converted = [(i, fn) for i, fn in enumerate(processors) if fn is not None]
        columns = ", ".join(f'"{c.name}"' for c in t.columns)
        id_index = keys.index("id")
        raw = self.raw
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(row_ids), 500):
            chunk = row_ids[start:start + 500]
            for row in raw.execute(f'SELECT {columns} FROM "{t.name}" WHERE "id" IN ({",".join("?" * len(chunk))})',
                                   chunk):
                values = list(row)
                for i, fn in converted:
                    values[i] = fn(values[i])
                found[values[id_index]] = dict(zip(keys, values, strict=True))
        return found

    def touch_many(self, table: str, row_ids: Iterable[str]) -> None:
        """:meth:`touch` for many rows at once (one query per 500 ids)."""
        pending = [i for i in row_ids if (table, i) not in self._before]
        found = self._read_many(table, pending)
        for rid in pending:
            self._before[(table, rid)] = found.get(rid)

    def touch_all(self, keys: Iterable[RowKey]) -> None:
        """:meth:`touch` for rows of any tables: one query per table and 500 rows rather than one
        per row, the images recorded in the order the keys come (as one ``touch`` each would)."""
        pending = [key for key in dict.fromkeys(keys) if key not in self._before]
        by_table: dict[str, list[str]] = {}
        for table, rid in pending:
            by_table.setdefault(table, []).append(rid)
        found = {table: self._read_many(table, ids) for table, ids in by_table.items()}
        for table, rid in pending:
            self._before[(table, rid)] = found[table].get(rid)

    def _before_flush(self, session: Session, _ctx: object, _instances: object) -> None:
        """Record the before-image of every row the flush is about to write (in bulk: 4,000
        objections or 2,000 personas written by one command cost a query each before)."""
        self.touch_all((table, obj.id) for obj in (*session.new, *session.dirty, *session.deleted)
                       if (table := getattr(obj, "__tablename__", None)) in _TABLES)

    @property
    def touched(self) -> dict[RowKey, dict[str, Any] | None]:
        """Before-images of every row touched so far."""
        return self._before

    def finish(self, label: str) -> Change:
        """Flush, read the after-images, and build the change record (before commit)."""
        self.session.flush()
        event.remove(self.session, "before_flush", self._before_flush)
        before: list[RowImage] = []
        after: list[RowImage] = []
        keys = sorted(self._before, key=lambda k: (_ORDER[k[0]], k[1]))
        by_table: dict[str, list[str]] = {}
        for table, rid in keys:
            by_table.setdefault(table, []).append(rid)
        now_rows: dict[RowKey, dict[str, Any]] = {}
        for table, ids in by_table.items():
            for rid, values in self._read_many(table, ids).items():
                now_rows[(table, rid)] = values
        for key in keys:
            old = _strip(key[0], self._before[key])
            new = _strip(key[0], now_rows.get(key))
            if old == new:
                continue
            before.append(RowImage(key[0], key[1], old))
            after.append(RowImage(key[0], key[1], new))
        return Change(label, tuple(before), tuple(after), dict(self.extra))


def restore(tx: Tx, images: Iterable[RowImage]) -> None:
    """Put rows back exactly as the images say (deleting rows whose image is None).

    Deletes run children-first and inserts/updates parents-first so foreign keys hold throughout.
    Rows are read, deleted (500 per statement) and inserted (one ``executemany`` per run of inserts
    into a table, in image order, so rowids come out as one insert each gave) in bulk: undoing a
    48,000-message import built a statement per row and took half a minute.
    """
    images = list(images)
    conn = tx.session.connection()
    tx.touch_all((img.table, img.id) for img in images)
    gone = sorted((i for i in images if i.values is None), key=lambda i: -_ORDER[i.table])
    for table, group in groupby(gone, key=lambda i: i.table):
        t = _TABLES[table]
        ids = [img.id for img in group]
        for start in range(0, len(ids), 500):
            conn.execute(delete(t).where(t.c.id.in_(ids[start:start + 500])))
    kept = sorted((i for i in images if i.values is not None), key=lambda i: _ORDER[i.table])
    for table, group in groupby(kept, key=lambda i: i.table):
        t = _TABLES[table]
        new_rows: list[dict[str, Any]] = []
        for img in group:
            values = dict(img.values or {})
            if tx.touched.get((img.table, img.id)) is None:
                if new_rows and new_rows[0].keys() != values.keys():
                    conn.execute(insert(t), new_rows)  # one statement needs the same columns in every row
                    new_rows = []
                new_rows.append(values)
                continue
            if new_rows:
                conn.execute(insert(t), new_rows)
                new_rows = []
            conn.execute(update(t).where(t.c.id == img.id).values(**values))
        if new_rows:
            conn.execute(insert(t), new_rows)

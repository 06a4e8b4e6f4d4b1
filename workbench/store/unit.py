"""The unit of work every command runs in, the change records it produces, and restoring them.

Every edit is a command run inside one :class:`Tx` (one transaction of a store). The transaction
captures a *row image* — the row as it was, version included — the first time a row is touched,
and the row as it ended up at commit. The resulting :class:`Change` says what kinds and ids changed
(views refresh from it) and carries both images, so undo is "restore the before-images" and redo
"restore the after-images" — one mechanism for every command, cascades included.

Restoring states the versions it expects the rows to be at (those the change being undone left);
when another writer has changed a row since, :func:`restore` raises :class:`Conflict` and writes
nothing. Every write bumps a row's version; derived columns (cached breach counts) are recomputed,
never restored, and never bump it.

Portable SQLAlchemy Core only: the store behind the session may be SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, delete, event, insert, select, update
from sqlalchemy.orm import Session

from workbench.domain.errors import Conflict
from workbench.domain.values import Context
from workbench.schema.model import DERIVED_COLUMNS, Base
from workbench.store.changes import Change, RowImage, RowKey, conflicts

if TYPE_CHECKING:
    from workbench.store.port import Rows, SearchIndex

TABLES: dict[str, Table] = {t.name: t for t in Base.metadata.sorted_tables}
_ORDER: dict[str, int] = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
#: The change records are plain values of their own module; named here too, where they are made.
__all__ = ["CHUNK", "TABLES", "Change", "RowImage", "RowKey", "Tx", "restore"]

#: Rows read or deleted per statement (bounded ``IN`` lists).
CHUNK = 500


def _strip(table: str, values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    stripped = dict(values)
    for name in DERIVED_COLUMNS.get(table, ()):
        stripped.pop(name, None)
    return stripped


#: Rows by id, locked for the rest of the transaction where the engine can (``FOR UPDATE`` on a
#: server; SQLite's writer already holds the whole file): a version read here stays true until commit.
_SELECT_BY_IDS = {name: select(t).where(t.c.id.in_(bindparam("ids", expanding=True))).with_for_update()
                  for name, t in TABLES.items()}


class Tx:
    """One command's unit of work: an ORM session in one transaction, the context, row-image
    capture, and the store's search index and plain SQL inside the same transaction."""

    def __init__(self, session: Session, ctx: Context, *, search: SearchIndex, rows: Rows,
                 defer_rechecks_over: int | None = None) -> None:
        self.session = session
        self.ctx = ctx
        self.search = search
        self.rows = rows
        self._before: dict[RowKey, dict[str, Any] | None] = {}
        self.extra: dict[str, Any] = {}
        #: Lingo re-checks of more messages than this are left for later (see ``edit.derived``).
        self.defer_rechecks_over = defer_rechecks_over
        #: Messages whose breach counts this transaction left to re-check later (all of them: None),
        #: and global avoid wordings whose messages (found through the search index) are to be too.
        self.deferred_recheck: frozenset[str] | None = frozenset()
        self.deferred_words: frozenset[str] = frozenset()
        event.listen(session, "before_flush", self._before_flush)

    def read_rows(self, table: str, row_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The rows among ``row_ids`` that exist, by id, every column (one query per 500 ids)."""
        ids = list(row_ids)
        conn = self.session.connection()
        found: dict[str, dict[str, Any]] = {}
        stmt = _SELECT_BY_IDS[table]
        for start in range(0, len(ids), CHUNK):
            for row in conn.execute(stmt, {"ids": ids[start:start + CHUNK]}).mappings():
                found[row["id"]] = dict(row)
        return found

    def touch(self, table: str, row_id: str) -> None:
        """Record the before-image of a row about to change (first touch wins)."""
        self.touch_all([(table, row_id)])

    def touch_many(self, table: str, row_ids: Iterable[str]) -> None:
        """:meth:`touch` for many rows of one table at once."""
        self.touch_all((table, rid) for rid in row_ids)

    def touch_all(self, keys: Iterable[RowKey]) -> None:
        """:meth:`touch` for rows of any tables: one query per table and 500 rows, the images
        recorded in the order the keys come (as one ``touch`` each would)."""
        pending = [key for key in dict.fromkeys(keys) if key not in self._before]
        by_table: dict[str, list[str]] = {}
        for table, rid in pending:
            by_table.setdefault(table, []).append(rid)
        found = {table: self.read_rows(table, ids) for table, ids in by_table.items()}
        for table, rid in pending:
            self._before[(table, rid)] = found[table].get(rid)

    def expect(self, versions: Mapping[RowKey, int | None]) -> None:
        """Raise :class:`Conflict` unless every row is at the version given (None: absent).

        Records the rows' before-images on the way (they are about to change).
        """
        self.touch_all(versions)
        found = {key: (None if self._before[key] is None else int(self._before[key]["version"]))  # type: ignore[index]
                 for key in versions}
        clashes = tuple(conflicts(versions, found))
        if clashes:
            raise Conflict(clashes)

    def _before_flush(self, session: Session, _ctx: object, _instances: object) -> None:
        """Record the before-image of every row the flush is about to write (in bulk)."""
        self.touch_all((table, obj.id) for obj in (*session.new, *session.dirty, *session.deleted)
                       if (table := getattr(obj, "__tablename__", None)) in TABLES)

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
            for rid, values in self.read_rows(table, ids).items():
                now_rows[(table, rid)] = values
        for key in keys:
            old = _strip(key[0], self._before[key])
            new = _strip(key[0], now_rows.get(key))
            if old == new:
                continue
            before.append(RowImage(key[0], key[1], old))
            after.append(RowImage(key[0], key[1], new))
        return Change(label, tuple(before), tuple(after), dict(self.extra))


def restore(tx: Tx, images: Iterable[RowImage], expect: Mapping[RowKey, int | None] | None = None) -> None:
    """Put rows back as the images say (deleting rows whose image is None), each one a new version.

    ``expect``: the version every row must be at now (None: absent) — :class:`Conflict` otherwise,
    and nothing is written. Deletes run children-first and inserts/updates parents-first so foreign
    keys hold throughout; rows are read, deleted and inserted in bulk (undoing a 48,000-message
    import statement by statement took half a minute).
    """
    images = list(images)
    if expect is not None:
        tx.expect(expect)
    conn = tx.session.connection()
    tx.touch_all((img.table, img.id) for img in images)
    gone = sorted((i for i in images if i.values is None), key=lambda i: -_ORDER[i.table])
    for table, group in groupby(gone, key=lambda i: i.table):
        t = TABLES[table]
        ids = [img.id for img in group]
        for start in range(0, len(ids), CHUNK):
            conn.execute(delete(t).where(t.c.id.in_(ids[start:start + CHUNK])))
    kept = sorted((i for i in images if i.values is not None), key=lambda i: _ORDER[i.table])
    for table, group in groupby(kept, key=lambda i: i.table):
        t = TABLES[table]
        new_rows: list[dict[str, Any]] = []
        for img in group:
            values = dict(img.values or {})
            now = tx.touched.get((img.table, img.id))
            # A new version, above both the one restored and the one replaced: nobody who read
            # either may write over it unawares.
            values["version"] = max(int(values.get("version") or 0), int((now or {}).get("version") or 0)) + 1
            if now is None:
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

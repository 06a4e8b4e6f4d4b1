"""The store port: what the core needs from a database, and nothing of any particular one.

A *store* hands out ORM sessions, one transaction each (writers take the write lock up front);
plain parameterised SQL for the few hot list queries (:class:`Rows`); the full-text
:class:`SearchIndex`; and translates its driver's failures into typed domain errors. The
``.workbench`` file (``store.sqlite``) is one implementation; everything above this package —
commands, undo, queries, interchange, the playbook — talks only to these protocols, never to a
driver, a PRAGMA or engine-specific SQL.

A *host* owns where a store lives and its lifecycle (a file's lock, working copy and write-back);
the session asks it for the store and tells it when a command committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from workbench.domain.errors import Conflict, ConflictingRow, WorkbenchError
from workbench.domain.values import Context

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.store.changes import Change

__all__ = ["Conflict", "ConflictingRow", "Host", "Rows", "SearchIndex", "Store"]


class Rows(Protocol):
    """Plain SQL with ``:name`` parameters in, tuples out — for list queries whose ORM rows cost
    more than the database work. The SQL must be portable (SQLite and PostgreSQL alike)."""

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """All rows of ``sql``."""
        ...


class SearchIndex(Protocol):
    """Full-text search over personas, messages, objections and lingo, inside one transaction.

    Documents are ``(kind, item_id, title, body)``; case and accents never matter, every script is
    searchable (text without spaces between words, such as Chinese, by character).
    """

    def put_many(self, docs: Iterable[tuple[str, str, str, str]]) -> None:
        """Index (or re-index) these documents."""
        ...

    def remove(self, item_ids: Iterable[str]) -> None:
        """Drop these items from the index (absent ones are ignored)."""
        ...

    def clear(self) -> None:
        """Empty the index (before a rebuild)."""
        ...

    def query(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, float]]:
        """Ranked ``(kind, item_id, rank)`` for what a person typed, best first; bounded in time on any
        input (snippets are made by :mod:`workbench.read.search` from the items' own text)."""
        ...

    def candidate_ids(self, terms: Iterable[str], kind: str | None = None) -> set[str] | None:
        """Ids of items whose text may contain any of ``terms`` (a superset), or None for "any"."""
        ...


class Store(Protocol):
    """One database holding one workbench."""

    #: What to call it in messages: a file path, or an address without its password.
    label: str
    readonly: bool

    def session(self, *, write: bool = False) -> AbstractContextManager[Session]:
        """An ORM session in one transaction; ``write`` takes the write lock up front."""
        ...

    def rows(self, session: Session) -> Rows:
        """Plain SQL on the session's connection (inside its transaction)."""
        ...

    def search(self, session: Session) -> SearchIndex:
        """The search index, inside the session's transaction."""
        ...

    def record(self, session: Session, change: Change) -> None:
        """Inside the command's transaction, just before it commits: keep what changed where others
        can see it (a server's change log; a file has no one to tell)."""
        ...

    def failure(self, exc: BaseException, *, writing: bool) -> WorkbenchError | None:
        """The typed error a driver failure means (damaged file, could not save …), or None when
        ``exc`` is not the driver's."""
        ...

    def dispose(self) -> None:
        """Close every connection."""
        ...


class Host(Protocol):
    """Where a store lives and how long: opening, preparing, saving, closing."""

    #: The address people know it by (a path, or a URL without its password).
    label: str
    ctx: Context

    @property
    def store(self) -> Store:
        """Where the rows are now (a deferred opening swaps it once, when it becomes editable)."""
        ...

    @property
    def readonly(self) -> bool:
        """Whether edits are refused."""
        ...

    @property
    def preparing(self) -> bool:
        """True while the host is readable but not yet editable (see :meth:`finish_opening`)."""
        ...

    def finish_opening(self) -> None:
        """Slow half of opening (checks, copies), run on a worker thread; then editable."""
        ...

    def committed(self) -> None:
        """A command changed the store: the host schedules whatever saving it does."""
        ...

    def close(self, *, write_back: bool = True) -> None:
        """Save what is pending (unless told not to) and give everything back."""
        ...

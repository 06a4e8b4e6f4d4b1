"""An open workbench: commands with undo, and reads, over whatever store hosts it.

``Workbench.open(path)`` opens a ``.workbench`` file through its host
(:class:`~workbench.store.sqlite.host.FileHost`: lock, working copy, write-back); the session itself
only knows the store port. ``execute(command)`` runs one command in one unit of work and returns a
:class:`~workbench.store.unit.Change`; ``undo``/``redo`` restore its row images, stating the row
versions they expect so a change made meanwhile by someone else is a :class:`Conflict`, never
overwritten. The read methods come from :class:`~workbench.read.facade.Reads`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workbench.domain import errors
from workbench.domain.values import Context, SearchHit
from workbench.edit.commands.base import Command, FunctionCommand, Restore
from workbench.edit.derived import recount_breaches, refresh_derived
from workbench.read.facade import Reads
from workbench.schema.model import DEFAULT_CHANNELS, Channel, Message, WorkbenchRow, default_channel_id
from workbench.store.changes import Change
from workbench.store.port import Host, Store
from workbench.store.unit import Tx

if TYPE_CHECKING:
    from workbench.store.sqlite.host import FileHost
    from workbench.store.sqlite.reader import FirstLook

T = TypeVar("T")
#: Messages re-checked per transaction by :meth:`Workbench.run_recheck` (each holds the write lock
#: for ≈ 0.1 s, so the GUI thread's commands wait at most that long).
RECHECK_CHUNK = 2000


def is_address(where: Path | str) -> bool:
    """Whether ``where`` names a team workbench on a server rather than a file."""
    # The same test as workbench.store.postgres.address.looks_like_address, without importing the
    # driver just to look at a file name.
    return isinstance(where, str) and where.strip().lower().startswith(("postgresql://", "postgres://"))


class Workbench(Reads):
    """One open workbench. Not thread-safe for writes: commands run one at a time."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.ctx = host.ctx
        #: Re-checks of more messages than this are left to :meth:`run_recheck` (None: never; the
        #: desktop app sets it so a lingo edit never freezes the window).
        self.defer_rechecks_over: int | None = None
        self._recheck_lock = threading.Lock()
        self._recheck_all = bool(getattr(host, "recovered", False))
        self._recheck_ids: set[str] = set()
        self._recheck_words: set[str] = set()
        self._closed = False

    # --- opening and creating ----------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, ctx: Context | None = None, *, name: str | None = None,
               fill: Callable[[Workbench], None] | None = None, default_channels: bool = True) -> None:
        """Create a new workbench file at ``path`` (refusing to overwrite) with the default channels;
        ``fill`` adds content (the sample, a hand-off's) before the file appears."""
        from workbench.store.sqlite.host import FileHost

        path = Path(path)
        with FileHost.creating(path, ctx or Context()) as host:
            wb = cls(host)
            wb.seed(name or path.stem, default_channels)
            if fill is not None:
                fill(wb)

    def seed(self, name: str, default_channels: bool = True) -> None:
        """Give a brand-new, empty workbench its own row and (unless told not to) the default channels."""
        def seed(tx: Tx) -> None:
            row = WorkbenchRow(id=tx.ctx.new_id(), name=name, organization="", narrative="", logo=None)
            now = tx.ctx.now()
            row.created_at = row.updated_at = now
            row.created_by = row.updated_by = tx.ctx.user
            tx.session.add(row)
            for position, (channel, guidance) in enumerate(DEFAULT_CHANNELS if default_channels else ()):
                c = Channel(id=default_channel_id(channel), name=channel, guidance=guidance, position=position)
                c.created_at = c.updated_at = now
                c.created_by = c.updated_by = tx.ctx.user
                tx.session.add(c)

        self.execute(FunctionCommand(seed, "Create Workbench"))

    @classmethod
    def open(cls, path: Path | str, ctx: Context | None = None, *, readonly: bool = False,
             data_dir: Path | None = None, password: Callable[[str], str | None] | None = None) -> Workbench:
        """Open a workbench — a file, or a team workbench at a ``postgresql://`` address — for editing
        (a file: locked, on a working copy) or read-only (nothing written).

        Raises a typed :class:`errors.FileProblem` when it cannot be used; a refused open never
        changes anything. ``password`` is asked for a server's password when neither the address,
        ``PGPASSWORD`` nor ``~/.pgpass`` has it.
        """
        if is_address(path):
            from workbench.store.postgres.host import TeamHost

            return cls(TeamHost.open(str(path), ctx, readonly=readonly, password=password))
        from workbench.store.sqlite.host import FileHost

        return cls(FileHost.open(path, ctx, readonly=readonly, data_dir=data_dir))

    @classmethod
    def open_deferred(cls, path: Path | str, ctx: Context | None = None, *,
                      data_dir: Path | None = None) -> Workbench:
        """Open for editing without copying the file on the caller's thread (see
        :meth:`FileHost.open_deferred`); call :meth:`finish_opening` on a worker."""
        from workbench.store.sqlite.host import FileHost

        return cls(FileHost.open_deferred(path, ctx, data_dir=data_dir))

    @classmethod
    def from_first_look(cls, look: FirstLook) -> Workbench:
        """Complete an opening begun with :func:`workbench.store.sqlite.reader.first_look`."""
        from workbench.store.sqlite.host import FileHost

        return cls(FileHost.from_first_look(look))

    @property
    def store(self) -> Store:
        """Where the rows are (it changes once, when a deferred opening finishes)."""
        return self.host.store

    @property
    def readonly(self) -> bool:
        """Whether edits are refused."""
        return self.host.readonly

    @property
    def preparing(self) -> bool:
        """True while the host is readable but not yet editable."""
        return self.host.preparing

    def finish_opening(self) -> None:
        """The slow half of a deferred opening (worker thread); then editable."""
        self.host.finish_opening()
        self._recheck_all |= bool(getattr(self.host, "recovered", False))

    @property
    def file(self) -> FileHost:
        """The file host (lock, working copy, write-back) — for flows that only a file has."""
        from workbench.store.sqlite.host import FileHost

        assert isinstance(self.host, FileHost)
        return self.host

    # Shortcuts to the file host that the app and the command line use throughout.

    @property
    def path(self) -> Path:
        """The workbench file."""
        return self.file.path

    def write_back(self, *, force: bool = False) -> bool:
        """Write pending edits to the user's file (atomically); see :meth:`FileHost.write_back`."""
        return self.file.write_back(force=force)

    @property
    def needs_write_back(self) -> bool:
        """Whether edits are waiting to reach the user's file."""
        return self.file.needs_write_back

    def save_copy_as(self, target: Path | str) -> None:
        """Write a consistent copy of the workbench to ``target`` (atomically; overwrites)."""
        self.file.save_copy_as(target)

    # --- closing ------------------------------------------------------------------------------

    def close(self, *, write_back: bool = True) -> None:
        """Finish pending re-checks, then let the host save and give everything back."""
        if self._closed:
            return
        try:
            if self.recheck_pending and not self.readonly:
                self.run_recheck()  # the file never keeps stale breach counts
        finally:
            self._closed = True
            self.host.close(write_back=write_back)

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only ORM session (for queries not wrapped by :class:`Reads`)."""
        with self.store.session() as s:
            yield s

    def _reading(self, fn: Callable[[Session], T]) -> T:
        store = self.store
        try:
            with store.session() as s:
                return fn(s)
        except errors.WorkbenchError:
            raise
        except (SQLAlchemyError, OSError, Exception) as exc:
            typed = store.failure(exc, writing=False)
            if typed is None:
                raise
            raise typed from None

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(orm_session, *args)``; a damaged page met while reading becomes
        :class:`errors.Damaged`, never a traceback."""
        return self._reading(lambda s: fn(s, *args, **kwargs))

    def read_rows(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(rows, *args)`` with the store's plain SQL."""
        return self._reading(lambda s: fn(self.store.rows(s), *args, **kwargs))

    def read_both(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(orm_session, rows, *args)``."""
        return self._reading(lambda s: fn(s, self.store.rows(s), *args, **kwargs))

    def search(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
        """Full-text search across personas, messages, objections and terms."""
        from workbench.read.search import search

        return self._reading(lambda s: search(self.store.search(s), self.store.rows(s), text, limit, kinds))

    # --- changing ----------------------------------------------------------------------------

    def execute(self, command: Command) -> Change:
        """Run one command in one transaction; return what changed. Raises without changing anything."""
        if self.readonly:
            raise errors.ReadOnlySession("This workbench is open read-only.")
        store = self.store
        try:
            with store.session(write=True) as session:
                tx = Tx(session, self.ctx, search=store.search(session), rows=store.rows(session),
                        defer_rechecks_over=self.defer_rechecks_over)
                command.apply(tx)
                session.flush()
                refresh_derived(tx)
                change = tx.finish(command.label)
                if not change.empty:
                    store.record(session, change)
                deferred, words = tx.deferred_recheck, tx.deferred_words
        except errors.WorkbenchError:
            raise
        except StaleDataError:
            raise errors.Conflict((), "Someone else changed this since you read it. Nothing was written; "
                                  "look at it again and redo your change.") from None
        except UnicodeEncodeError:
            raise errors.ValidationError(
                "The text contains a character that is not valid Unicode (an unpaired surrogate); "
                "remove it and try again.") from None
        except Exception as exc:
            typed = store.failure(exc, writing=True)
            if typed is None:
                raise
            raise typed from None
        if not change.empty:
            self.host.committed()
        if deferred is None or deferred or words:
            with self._recheck_lock:
                if deferred is None:
                    self._recheck_all = True
                else:
                    self._recheck_ids |= deferred
                self._recheck_words |= words
        return change

    def undo(self, change: Change, since: Change | None = None) -> Change:
        """Put back the rows as they were before ``change``; they must still be as ``since`` (the
        last step that touched them: ``change`` itself, or its latest redo) left them."""
        expect = (since or change).versions()
        return self.execute(Restore(change.before, label=change.label, expect=expect))

    def redo(self, change: Change, since: Change | None = None) -> Change:
        """Put back the rows as ``change`` left them; they must still be as ``since`` (the undo that
        went before) left them. Without ``since`` the versions are not checked."""
        expect = since.versions() if since is not None else None
        return self.execute(Restore(change.after, label=change.label, expect=expect))

    # --- lingo re-checks left for later -------------------------------------------------------

    @property
    def recheck_pending(self) -> bool:
        """Whether some messages' breach counts wait for :meth:`run_recheck` (see
        :attr:`defer_rechecks_over`)."""
        with self._recheck_lock:
            return self._recheck_all or bool(self._recheck_ids) or bool(self._recheck_words)

    def run_recheck(self, progress: Callable[[int, int], None] | None = None) -> frozenset[str]:
        """Re-check the messages commands left for later; return those whose breach count changed.

        Safe on a worker thread while the GUI thread runs commands: it works in transactions of
        :data:`RECHECK_CHUNK` messages, each holding the write lock only for its own chunk (and
        reading the rows inside it, so a message edited meanwhile is counted as it now is).
        """
        with self._recheck_lock:
            everything, ids, words = self._recheck_all, set(self._recheck_ids), set(self._recheck_words)
            self._recheck_all, self._recheck_ids, self._recheck_words = False, set(), set()
        if not everything and not ids and not words:
            return frozenset()
        store = self.store
        try:
            if words and not everything:
                found = self._reading(lambda s: store.search(s).candidate_ids(words, "message"))
                if found is None:
                    everything = True
                else:
                    ids |= found
            if everything:
                ids = set(self.read(lambda s: list(s.scalars(select(Message.id)))))
            todo = sorted(ids)
            check = self.checker()  # one vocabulary for the run: an edit meanwhile queues its own
            changed: set[str] = set()
            for start in range(0, len(todo), RECHECK_CHUNK):
                chunk = todo[start:start + RECHECK_CHUNK]
                with store.session(write=True) as session:
                    tx = Tx(session, self.ctx, search=store.search(session), rows=store.rows(session))
                    changed.update(recount_breaches(tx, chunk, check))
                if progress is not None:
                    progress(min(start + RECHECK_CHUNK, len(todo)), len(todo))
        except BaseException:
            with self._recheck_lock:  # not done: keep it pending (close() tries again)
                self._recheck_all |= everything
                self._recheck_ids |= ids
                self._recheck_words |= words
            raise
        if changed:
            self.host.committed()
        return frozenset(changed)

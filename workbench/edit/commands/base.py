"""What every command is, and the small helpers every entity's commands share.

A command is a small frozen dataclass with a ``label`` (what the Edit menu says: "Undo Rename
Persona") and ``apply(tx)``, which changes rows through the ORM inside the unit of work. The
session runs it, recomputes derived data, and returns a :class:`~workbench.store.unit.Change`
that can be undone and redone. A command that changes an existing row may state the version it
read (``version``); a row changed since raises :class:`~workbench.domain.errors.Conflict`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from workbench.domain import errors
from workbench.schema.model import KIND_OF_TABLE
from workbench.store.unit import RowImage, RowKey, Tx, restore

R = TypeVar("R")


class Command:
    """Base: ``label`` for menus, ``apply`` to change rows inside a transaction."""

    label: str = "Edit"

    def apply(self, tx: Tx) -> None:  # pragma: no cover - abstract
        """Change rows; raise a :class:`errors.WorkbenchError` to abort without changing anything."""
        raise NotImplementedError


@dataclass(frozen=True)
class Restore(Command):
    """Put rows back as images say: undo and redo of any other command.

    ``expect`` (row → version, None for "absent") is where the rows must be now: the versions the
    step being undone or redone left. Without it nothing is checked.
    """

    images: tuple[RowImage, ...]
    label: str = "Edit"
    expect: Mapping[RowKey, int | None] | None = None

    def apply(self, tx: Tx) -> None:
        """Check the versions, then restore the images."""
        restore(tx, self.images, self.expect)


class FunctionCommand(Command):
    """A command from a plain function (seeding a new workbench, stripping a copy)."""

    def __init__(self, fn: Callable[[Tx], None], label: str) -> None:
        self.fn = fn
        self.label = label

    def apply(self, tx: Tx) -> None:
        """Run the function."""
        self.fn(tx)


def stamp_new(tx: Tx, row: Any) -> None:
    """Record who created the row, and when."""
    now = tx.ctx.now()
    row.created_at = row.updated_at = now
    row.created_by = row.updated_by = tx.ctx.user


def stamp(tx: Tx, row: Any) -> None:
    """Record who changed the row last, and when."""
    row.updated_at = tx.ctx.now()
    row.updated_by = tx.ctx.user


def get(tx: Tx, cls: type[R], row_id: str, what: str, version: int | None = None) -> R:
    """The row, or :class:`errors.NotFoundInWorkbench`; a different ``version`` is a conflict."""
    row = tx.session.get(cls, row_id)
    if row is None:
        raise errors.NotFoundInWorkbench(f"That {what} no longer exists.")
    found = int(getattr(row, "version", 0) or 0)
    if version is not None and found != version:
        table = str(getattr(cls, "__tablename__", what))
        raise errors.Conflict((errors.ConflictingRow(KIND_OF_TABLE.get(table, what), row_id, version, found),))
    return row


def set_fields(row: Any, values: Mapping[str, Any]) -> bool:
    """Set attributes that differ (lists copied); True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, list(value) if isinstance(value, (list, tuple)) else value)
            changed = True
    return changed


def text_value(name: str, value: Any) -> str:
    """``value`` when it is text, else :class:`errors.ValidationError` naming the field."""
    if not isinstance(value, str):
        raise errors.ValidationError(f"{name} must be text.")
    return value

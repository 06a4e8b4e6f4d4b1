"""Change records: what one command changed, as row images that undo and redo restore.

Plain values (no database): they cross into the app, which keeps them on its undo stack and
refreshes its views from them, and a team server keeps them in its change log.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.errors import ConflictingRow
from workbench.schema.fileformat import KIND_OF_TABLE

RowKey = tuple[str, str]  # (table name, id)
RowValues = Mapping[str, Any]


@dataclass(frozen=True)
class RowImage:
    """A row as it was (or None: it did not exist)."""

    table: str
    id: str
    values: RowValues | None

    @property
    def version(self) -> int | None:
        """The row's version in this image (None: no row)."""
        return None if self.values is None else int(self.values.get("version") or 0)


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

    def versions(self) -> dict[RowKey, int | None]:
        """The version each row was left at (None: deleted) — what undoing this change expects."""
        return {(img.table, img.id): img.version for img in self.after}


def conflicts(expected: Mapping[RowKey, int | None], found: Mapping[RowKey, int | None]) -> Iterator[ConflictingRow]:
    """The rows whose ``found`` version is not the ``expected`` one, as :class:`ConflictingRow`."""
    for key, want in expected.items():
        have = found.get(key)
        if have != want:
            yield ConflictingRow(KIND_OF_TABLE.get(key[0], key[0]), key[1], want, have)

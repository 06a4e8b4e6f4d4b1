"""Commands on the workbench's own row: its name, organisation, brand narrative and logo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from workbench.domain import errors, images
from workbench.edit.commands.base import Command, get, set_fields, stamp, text_value
from workbench.schema.model import WorkbenchRow
from workbench.store.unit import Tx

#: The workbench fields a command may set.
WORKBENCH_FIELDS = ("name", "organization", "narrative")


def _row(tx: Tx, version: int | None) -> WorkbenchRow:
    row = tx.session.scalars(select(WorkbenchRow)).first()
    if row is None:
        raise errors.NotFoundInWorkbench("The workbench row is missing.")
    return get(tx, WorkbenchRow, row.id, "workbench", version)


@dataclass(frozen=True)
class UpdateWorkbench(Command):
    """Change the workbench's name, organisation or brand narrative."""

    values: Mapping[str, str]
    label: str = "Edit Workbench"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Set the given fields."""
        row = _row(tx, self.version)
        for key, value in self.values.items():
            if key not in WORKBENCH_FIELDS:
                raise errors.ValidationError(f"The workbench has no field called {key!r}.")
            text_value(key, value)
        if "name" in self.values and not self.values["name"].strip():
            raise errors.ValidationError("The workbench needs a name.")
        if set_fields(row, self.values):
            stamp(tx, row)


@dataclass(frozen=True)
class SetLogo(Command):
    """Set or clear the workbench logo (PNG or JPEG bytes)."""

    data: bytes | None
    label: str = "Change Logo"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Validate and store."""
        row = _row(tx, self.version)
        if self.data is not None:
            images.validate(self.data)
        row.logo = self.data
        stamp(tx, row)

"""Commands on objections: what prospects of a persona say, the approved response, how often heard."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workbench.domain import errors
from workbench.edit.commands.base import Command, get, stamp, stamp_new
from workbench.schema.model import Objection, Persona
from workbench.store.unit import Tx


def _check_objection_values(tx: Tx, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key not in ("persona_id", "objection", "response", "heard_count", "heard_by", "last_heard"):
            raise errors.ValidationError(f"Objections have no field called {key!r}.")
        if key == "heard_count":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise errors.ValidationError("How often heard is a whole number, 0 or more.")
        elif not isinstance(value, str):
            raise errors.ValidationError(f"{key} must be text.")
        elif key == "last_heard" and value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise errors.ValidationError("When it was last heard must be a date and time "
                                             "(ISO 8601, e.g. 2026-11-23T14:00:00+00:00).") from None
    if "persona_id" in values:
        get(tx, Persona, values["persona_id"], "persona")
    if "objection" in values and not values["objection"].strip():
        raise errors.ValidationError("An objection needs some text.")


@dataclass(frozen=True)
class CreateObjection(Command):
    """Add an objection heard from a persona's prospects."""

    persona_id: str
    objection: str
    response: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    objection_id: str | None = None
    label: str = "New Objection"

    def apply(self, tx: Tx) -> None:
        """Insert."""
        allv = {"persona_id": self.persona_id, "objection": self.objection, "response": self.response,
                **self.values}
        _check_objection_values(tx, allv)
        o = Objection(id=self.objection_id or tx.ctx.new_id(), persona_id=self.persona_id,
                      objection=self.objection, response=self.response,
                      heard_count=allv.get("heard_count", 0), heard_by=allv.get("heard_by", ""),
                      last_heard=allv.get("last_heard", ""))
        stamp_new(tx, o)
        tx.session.add(o)
        tx.extra["id"] = o.id


@dataclass(frozen=True)
class UpdateObjection(Command):
    """Change an objection or its response."""

    objection_id: str
    values: Mapping[str, Any]
    label: str = "Edit Objection"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Validate and set."""
        o = get(tx, Objection, self.objection_id, "objection", self.version)
        _check_objection_values(tx, self.values)
        changed = False
        for key, value in self.values.items():
            if getattr(o, key) != value:
                setattr(o, key, value)
                changed = True
        if changed:
            stamp(tx, o)


@dataclass(frozen=True)
class RecordObjectionHeard(Command):
    """A rep heard this objection again: count it, with who and when."""

    objection_id: str
    label: str = "Record Objection Heard"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Increment and stamp."""
        o = get(tx, Objection, self.objection_id, "objection", self.version)
        o.heard_count += 1
        o.heard_by = tx.ctx.user
        o.last_heard = tx.ctx.now()
        stamp(tx, o)


@dataclass(frozen=True)
class DeleteObjection(Command):
    """Delete an objection."""

    objection_id: str
    label: str = "Delete Objection"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Delete."""
        tx.session.delete(get(tx, Objection, self.objection_id, "objection", self.version))

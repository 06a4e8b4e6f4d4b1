"""Commands on the shared vocabulary: prefer / avoid / define terms, global or for one persona."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.domain import errors
from workbench.edit.commands.base import Command, get, stamp, stamp_new
from workbench.schema.model import TERM_KINDS, Persona, Term
from workbench.store.unit import Tx


def _check_term_values(tx: Tx, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key not in ("term", "kind", "replacement", "note", "persona_id"):
            raise errors.ValidationError(f"Terms have no field called {key!r}.")
        if key == "persona_id":
            if value is not None:
                get(tx, Persona, value, "persona")
        elif not isinstance(value, str):
            raise errors.ValidationError(f"{key} must be text.")
    if "term" in values and not values["term"].strip():
        raise errors.ValidationError("A term needs some text.")
    if "kind" in values and values["kind"] not in TERM_KINDS:
        raise errors.ValidationError(f"A term is one of {', '.join(TERM_KINDS)}.")


@dataclass(frozen=True)
class CreateTerm(Command):
    """Add a vocabulary entry."""

    term: str
    kind: str = "prefer"
    replacement: str = ""
    note: str = ""
    persona_id: str | None = None
    term_id: str | None = None
    label: str = "New Term"

    def apply(self, tx: Tx) -> None:
        """Insert."""
        _check_term_values(tx, {"term": self.term, "kind": self.kind, "replacement": self.replacement,
                                "note": self.note, "persona_id": self.persona_id})
        t = Term(id=self.term_id or tx.ctx.new_id(), term=self.term.strip(), kind=self.kind,
                 replacement=self.replacement, note=self.note, persona_id=self.persona_id)
        stamp_new(tx, t)
        tx.session.add(t)
        tx.extra["id"] = t.id


@dataclass(frozen=True)
class UpdateTerm(Command):
    """Change a vocabulary entry."""

    term_id: str
    values: Mapping[str, Any]
    label: str = "Edit Term"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Validate and set."""
        t = get(tx, Term, self.term_id, "term", self.version)
        _check_term_values(tx, self.values)
        changed = False
        for key, value in self.values.items():
            value = value.strip() if key == "term" else value
            if getattr(t, key) != value:
                setattr(t, key, value)
                changed = True
        if changed:
            stamp(tx, t)


@dataclass(frozen=True)
class DeleteTerm(Command):
    """Delete a vocabulary entry."""

    term_id: str
    label: str = "Delete Term"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Delete."""
        tx.session.delete(get(tx, Term, self.term_id, "term", self.version))

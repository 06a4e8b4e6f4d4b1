"""Personas: the list (order, summaries by key, counts) and full views of one or many."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.domain.values import PersonaSummary, PersonaView
from workbench.read.rows import chunks, in_list
from workbench.schema import fields

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.schema.model import Persona
    from workbench.store.port import Rows

_SUMMARY_COLUMNS = ("id, name, role, organization, status, CASE WHEN portrait IS NULL THEN 0 ELSE 1 END, "
                    "updated_at")
#: List order of personas: by name ignoring case, then id (stable for equal names); an index of
#: the same expression (``ix_personas_list``) serves it.
PERSONA_ORDER = "ORDER BY lower(name), id"


def _summary(r: Sequence[Any]) -> PersonaSummary:
    return PersonaSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6])


def persona_count(rows: Rows) -> int:
    """How many personas there are."""
    return int(rows("SELECT count(*) FROM personas")[0][0])


def persona_summaries(rows: Rows, offset: int = 0, limit: int | None = None) -> list[PersonaSummary]:
    """Personas in list order, without stories or portraits (paged).

    A list that scrolls through thousands uses :func:`persona_order` + :func:`persona_summaries_for`.
    """
    offset = max(0, offset)
    if limit is None:
        found = rows(f"SELECT {_SUMMARY_COLUMNS} FROM personas {PERSONA_ORDER}")[offset:]
    else:
        found = rows(f"SELECT {_SUMMARY_COLUMNS} FROM personas {PERSONA_ORDER} LIMIT :limit OFFSET :offset",
                     {"limit": max(0, limit), "offset": offset})
    return [_summary(r) for r in found]


def persona_order(rows: Rows) -> list[str]:
    """Every persona id in list order — for lazy list models (≈ 5 ms for 10,000 personas, from the
    index), after which :func:`persona_summaries_for` fetches any page by key."""
    return [r[0] for r in rows(f"SELECT id FROM personas {PERSONA_ORDER}")]


def persona_summaries_for(rows: Rows, ids: Sequence[str]) -> list[PersonaSummary]:
    """Summaries of the given personas, in the order given (ids that no longer exist are skipped)."""
    found: dict[str, PersonaSummary] = {}
    for chunk in chunks(ids):
        sql, params = in_list(chunk)
        for r in rows(f"SELECT {_SUMMARY_COLUMNS} FROM personas WHERE id IN ({sql})", params):
            found[r[0]] = _summary(r)
    return [found[i] for i in ids if i in found]


def portrait(rows: Rows, persona_id: str) -> bytes | None:
    """A persona's portrait bytes."""
    found = rows("SELECT portrait FROM personas WHERE id = :id", {"id": persona_id})
    return None if not found or found[0][0] is None else bytes(found[0][0])


def persona_view(p: Persona, has_portrait: bool) -> PersonaView:
    """ORM → view, field by field in the declared order (:mod:`workbench.schema.fields`)."""
    values: dict[str, Any] = {f.key: tuple(getattr(p, f.key) or ()) if f.kind == fields.LIST else getattr(p, f.key)
                              for f in fields.PERSONA_FIELDS}
    return PersonaView(id=p.id, **values, has_portrait=has_portrait, created_at=p.created_at,
                       created_by=p.created_by, updated_at=p.updated_at, updated_by=p.updated_by, version=p.version)


def persona(s: Session, persona_id: str) -> PersonaView | None:
    """One persona with every field."""
    from sqlalchemy import select

    from workbench.schema.model import Persona

    p = s.get(Persona, persona_id)
    if p is None:
        return None
    has = bool(s.execute(select(Persona.portrait.is_not(None)).where(Persona.id == persona_id)).scalar())
    return persona_view(p, has)


def personas(s: Session, ids: Sequence[str] | None = None) -> list[PersonaView]:
    """Full views of all personas (or the given ones), in list order."""
    from sqlalchemy import func, select

    from workbench.schema.model import Persona

    stmt = select(Persona, Persona.portrait.is_not(None)).order_by(func.lower(Persona.name), Persona.id)
    if ids is not None:
        stmt = stmt.where(Persona.id.in_(list(ids)))
    return [persona_view(p, bool(has)) for p, has in s.execute(stmt)]


def find_persona(s: Session, id_or_name: str) -> PersonaView | None:
    """A persona by id, or by exact name (case-insensitive when unique)."""
    from sqlalchemy import func, select

    from workbench.schema.model import Persona

    found = persona(s, id_or_name)
    if found is not None:
        return found
    matches = list(s.scalars(select(Persona.id).where(Persona.name == id_or_name)))
    if not matches:
        matches = list(s.scalars(select(Persona.id).where(func.lower(Persona.name) == id_or_name.lower())))
    return persona(s, matches[0]) if len(matches) == 1 else None

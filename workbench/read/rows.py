"""Plain, portable SQL for the hot list queries: ``:name`` parameters and bounded ``IN`` lists.

Persona lists, objection lists and coverage screens read thousands of rows where building ORM rows
costs more than the database's own work; those queries are written once here in SQL that SQLite
and PostgreSQL both accept, and run through a store's :class:`~workbench.store.port.Rows` — inside
an ORM session, or by the file's ORM-free reader (the command line's ``info`` and the window's first
paint never import SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

#: Ids per ``IN (…)`` list: bounded so no engine's parameter limit is ever reached.
CHUNK = 500


def in_list(values: Sequence[Any], prefix: str = "p") -> tuple[str, dict[str, Any]]:
    """``(":p0, :p1, …", {"p0": …})`` for an ``IN (…)`` list of ``values``."""
    params = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` in slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start:start + size]

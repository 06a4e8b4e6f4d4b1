"""A writer process for the concurrency test: random edits of a few personas, each stating the
version it read, reporting what became of every one (run in a child process, so importable)."""

from __future__ import annotations

import random
import time

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.postgres.host import TeamHost


def write_randomly(url: str, persona_ids: list[str], edits: int, seed: int, tag: str) -> list[tuple[str, int, str, str]]:
    """``edits`` times: read a random persona, wait a little, append a token to its tags stating the
    version read. Returns ``(persona id, version read, token, "ok" | "conflict" | error class)``."""
    rng = random.Random(seed)
    results: list[tuple[str, int, str, str]] = []
    with Workbench(TeamHost.open(url, Context(user=tag))) as wb:
        for i in range(edits):
            pid = rng.choice(persona_ids)
            seen = wb.persona(pid)
            assert seen is not None
            token = f"{tag}-{i}"
            time.sleep(rng.random() * 0.02)  # others write meanwhile: overlaps are the point
            try:
                wb.execute(C.UpdatePersona(pid, {"tags": [*seen.tags, token]}, version=seen.version))
                outcome = "ok"
            except errors.Conflict:
                outcome = "conflict"
            except errors.WorkbenchError as exc:
                outcome = type(exc).__name__
            results.append((pid, seen.version, token, outcome))
    return results

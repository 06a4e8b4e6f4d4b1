"""Several processes writing the same few rows at random: no edit is ever lost, and every write
that overlapped another is refused as a Conflict (nothing of it written)."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from tests.workbench.store.postgres.conftest import open_team
from tests.workbench.store.postgres.writers import write_randomly
from workbench.edit import commands as C

WRITERS = 4
EDITS = 30


def test_random_overlapping_writers_lose_nothing(team_url: str) -> None:
    with open_team(team_url) as wb:
        ids = [wb.execute(C.CreatePersona({"name": n})).extra["id"] for n in ("A", "B", "C")]
    with ProcessPoolExecutor(WRITERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        runs = [pool.submit(write_randomly, team_url, ids, EDITS, seed, f"w{seed}") for seed in range(WRITERS)]
        results = [r for run in runs for r in run.result(timeout=300)]
    assert len(results) == WRITERS * EDITS
    assert {outcome for *_, outcome in results} <= {"ok", "conflict"}
    conflicts = [r for r in results if r[3] == "conflict"]
    assert conflicts, "the writers never overlapped: the test proves nothing"
    kept: set[str] = set()
    with open_team(team_url) as wb:
        for pid in ids:
            done = sorted((version, token) for p, version, token, outcome in results if p == pid and outcome == "ok")
            # Each success built on the version the one before left: no two writes from one read.
            assert [version for version, _ in done] == list(range(1, len(done) + 1))
            final = wb.persona(pid)
            assert final is not None and final.version == len(done) + 1
            assert list(final.tags) == [token for _, token in done]  # every success kept, in order
            kept.update(final.tags)
    assert not {token for _, _, token, _ in conflicts} & kept  # nothing of a refused write was written

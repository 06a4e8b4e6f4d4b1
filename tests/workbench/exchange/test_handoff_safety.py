"""Hand-off and export targets: never written over a workbench someone holds open, and a hand-off
killed midway leaves nothing internal behind (the copy is built by allow-list into a fresh file)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.handoff import make_handoff
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[3]
SECRET = "INTERNAL-ONLY-7f3a margin is 42 percent"
DRAFT = "UNAPPROVED-DRAFT-9c1e wording"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def with_internal_text(sample: Workbench) -> None:
    harlan = sample.find_persona("Harlan Voss")
    assert harlan is not None
    approved = [m for m in sample.messages(harlan.id) if m.status == "approved"][0]
    sample.execute(C.UpdateMessage(approved.id, {"notes": SECRET}))
    sample.execute(C.UpdateMessage(approved.id, {"body": DRAFT}))


@pytest.mark.parametrize("write", ["handoff", "json"])
def test_a_held_workbench_is_never_written_over(sample_path: Path, tmp_path: Path, ctx: Context, write: str) -> None:
    held = tmp_path / "held.workbench"
    Workbench.create(held, ctx)
    holder = Workbench.open(held, Context(user="maria"))
    try:
        holder.execute(C.CreatePersona({"name": "Maria's work"}))
        holder.write_back()
        before = digest(held)
        with Workbench.open(sample_path, ctx, readonly=True) as wb:
            with pytest.raises(errors.Locked) as info:
                if write == "handoff":
                    make_handoff(wb, held)
                else:
                    interchange.write_json(wb.read, held)
        assert "maria" in str(info.value) and "\n" not in str(info.value)
        assert digest(held) == before
        assert [p.name for p in held.parent.iterdir() if storage.TMP_MARK in p.name] == []
    finally:
        holder.close()
    with Workbench.open(held, readonly=True) as ro:
        assert {p.name for p in ro.persona_summaries()} == {"Maria's work"}


def test_a_stale_lock_on_the_target_does_not_block(sample_path: Path, tmp_path: Path, ctx: Context) -> None:
    target = tmp_path / "old.workbench"
    Workbench.create(target, ctx)
    storage.lock_path(target).write_text(json.dumps({"user": "gone", "host": storage.hostname(), "pid": 999999,
                                                     "since": ""}))
    with Workbench.open(sample_path, ctx, readonly=True) as wb:
        make_handoff(wb, target)


def test_a_handoff_killed_before_the_rename_leaves_nothing_internal(sample: Workbench, tmp_path: Path) -> None:
    """4(b): a hand-off killed with its finished temp beside the target holds no internal text."""
    with_internal_text(sample)
    sample.write_back()
    code = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from workbench.exchange.handoff import make_handoff
        from workbench.session import Workbench
        from workbench.store.sqlite import storage
        def killed(*a, **k):
            os.kill(os.getpid(), signal.SIGKILL)
        storage.finish_replace = killed
        with Workbench.open(Path(sys.argv[1]), readonly=True) as wb:
            make_handoff(wb, Path(sys.argv[2]))
    """)
    target = tmp_path / "client.workbench"
    env = dict(os.environ, PERSONA_WORKBENCH_DATA=str(tmp_path / "child-data"))
    out = subprocess.run([sys.executable, "-c", code, str(sample.path), str(target)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == -9, out.stderr
    left = [p for p in tmp_path.iterdir() if p.name.startswith(f".{target.name}{storage.TMP_MARK}")]
    assert left, "the kill should have left the finished temp beside the target"
    for temp in left:
        raw = temp.read_bytes()
        assert SECRET.encode() not in raw and DRAFT.encode() not in raw and b"Priya Raman" not in raw
    assert not target.exists()

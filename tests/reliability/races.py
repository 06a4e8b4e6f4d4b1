"""Crash-harness scenarios where another writer races the child (see harness.py for the machinery).

- ``race``: the child edits and writes back while the parent replaces the file with a colleague's
  version at a random moment, then kills the child. The colleague's file must never be overwritten,
  and every edit acknowledged since the last write-back must survive — in the copy a write-back kept
  beside the file, or in the working copy the next open sets aside.
- ``export``: the child exports JSON to one target again and again while the parent writes that
  target too; killed at random. The target is always whole (the parent's or a complete export, never
  a mix), keeps its mode 0600, and the next export removes what the killed one left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import time

from tests.reliability.harness import Child, Figures, Lost, Scenario, integrity, sha, temps_beside
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.sample import create_sample
from workbench.session import Workbench


def _run_child(scenario: Scenario, figures: Figures, meanwhile: object) -> list[str]:
    """Start the child, let ``meanwhile()`` race it after a random delay, kill it; its acks."""
    scenario.round += 1
    child = Child(scenario.child_args(), scenario.data_dir)
    try:
        if child.wait_for(scenario.start_word()):
            time.sleep(scenario.rng.uniform(0, scenario.max_delay))
            meanwhile()  # type: ignore[operator]
            time.sleep(scenario.rng.uniform(0, 0.3))
        killed = child.kill()
    finally:
        if child.proc.poll() is None:
            child.proc.kill()
            child.proc.wait()
        for stream in (child.proc.stdout, child.proc.stderr):
            if stream is not None:
                stream.close()
    figures.kills += killed
    figures.finished_before_kill += not killed
    figures.by_scenario[scenario.name] = figures.by_scenario.get(scenario.name, 0) + 1
    return child.acked


class Race(Scenario):
    """Write-back against a colleague replacing the file."""

    name = "race"

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        create_sample(self.path, self.ctx)
        self.colleague = self.work / "colleague" / self.path.name
        self.colleague.parent.mkdir(exist_ok=True)

    def _prepare_colleague(self) -> str:
        """The colleague's version: today's file plus one persona of theirs, as a separate file."""
        for leftover in self.colleague.parent.iterdir():
            leftover.unlink()
        shutil.copyfile(self.path, self.colleague)
        with Workbench.open(self.colleague, self.ctx, data_dir=self.data_dir / "colleague") as wb:
            wb.execute(C.CreatePersona({"name": f"Theirs r{self.round + 1}"}))
        return sha(self.colleague)

    def one_kill(self, figures: Figures) -> None:
        theirs = self._prepare_colleague()
        before_kept = set(self.path.parent.glob(f"{self.path.stem} (my edits*"))
        acked = _run_child(self, figures, lambda: os.replace(self.colleague, self.path))
        if sha(self.path) != theirs:
            raise Lost("the colleague's file was overwritten by a write-back")
        last_write = max((i for i, line in enumerate(acked) if line == "W"), default=-1)
        pending = {line[2:] for line in acked[last_write + 1:] if line.startswith("P ")}
        figures.acknowledged += sum(line.startswith("P ") for line in acked)
        figures.write_backs += sum(line == "W" for line in acked)
        figures.kept_both += sum(line.startswith("K ") for line in acked)
        found: set[str] = set()
        for kept in set(self.path.parent.glob(f"{self.path.stem} (my edits*")) - before_kept:
            if integrity(kept) != "ok":
                raise Lost(f"the copy kept beside the file is damaged: {kept.name}")
            with Workbench.open(kept, self.ctx, readonly=True) as ro:
                found |= {p.name for p in ro.persona_summaries()}
        litter = temps_beside(self.path)
        with Workbench.open(self.path, self.ctx, data_dir=self.data_dir) as wb:  # recovery sets ours aside
            aside = wb.file.recovered_conflict
            if wb.find_persona(f"Theirs r{self.round}") is None:
                raise Lost("the colleague's persona is missing after the next open")
        figures.temps_cleaned += len(litter)
        if aside is not None:
            figures.recovered += 1
            with Workbench.open(aside, self.ctx, readonly=True) as ro:
                found |= {p.name for p in ro.persona_summaries()}
        lost = pending - found
        if lost:
            raise Lost(f"edits acknowledged after the last write-back are lost: {sorted(lost)[:5]}")
        if temps_beside(self.path):
            raise Lost(f"temporary files left beside {self.path.name}: {temps_beside(self.path)}")

    def verify(self, acked: list[str], figures: Figures) -> None:
        """Checked in :meth:`one_kill` (the colleague's version is needed there)."""


class Exports(Scenario):
    """JSON exports to one target, killed midway, while another writer replaces it."""

    name = "export"
    PARENT = b'{"written by": "the other writer"}\n'

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        create_sample(self.path, self.ctx)
        self.target = self.work / "shared.json"
        with Workbench.open(self.path, self.ctx, readonly=True) as wb:
            interchange.write_json(wb.read, self.target)
        self.expected = self.target.read_bytes()
        self.target.chmod(0o600)

    def child_args(self) -> list[str]:
        return [*super().child_args(), str(self.target)]

    def _other_writer(self) -> None:
        tmp = self.target.with_name(f"other-writer-{self.round}.tmp")
        tmp.write_bytes(self.PARENT)
        tmp.chmod(0o600)
        os.replace(tmp, self.target)

    def one_kill(self, figures: Figures) -> None:
        acked = _run_child(self, figures, self._other_writer)
        figures.acknowledged += sum(line.startswith("E ") for line in acked)
        self.verify(acked, figures)

    def verify(self, acked: list[str], figures: Figures) -> None:
        content = self.target.read_bytes()
        if content not in (self.expected, self.PARENT):
            raise Lost(f"the export target is neither whole export nor the other writer's ({len(content)} bytes)")
        if stat.S_IMODE(os.stat(self.target).st_mode) != 0o600:
            raise Lost(f"the export target's mode became {oct(stat.S_IMODE(os.stat(self.target).st_mode))}")
        litter = temps_beside(self.target)
        with Workbench.open(self.path, self.ctx, readonly=True) as wb:
            interchange.write_json(wb.read, self.target)
        figures.temps_cleaned += len(litter)
        if temps_beside(self.target):
            raise Lost(f"temporary files left beside {self.target.name}: {temps_beside(self.target)}")
        if self.target.read_bytes() != self.expected or stat.S_IMODE(os.stat(self.target).st_mode) != 0o600:
            raise Lost("the next export did not write the target whole with its mode")
        with contextlib.suppress(OSError):
            for tmp in self.work.glob("other-writer-*.tmp"):
                tmp.unlink()


KINDS: dict[str, type[Scenario]] = {"race": Race, "export": Exports}

"""The crash harness: run a writing child process, SIGKILL it at a random moment, check nothing was lost.

Shared by ``tests/reliability/test_crash.py`` (a bounded number of kills in CI) and
``bench/crash_harness.py`` (thousands, with figures). Randomness is seeded: a run is repeatable.

After every kill the checks are the design's promises (DESIGN.md, "The workbench file"):

- the user's file passes ``PRAGMA integrity_check`` and opens;
- after ``Workbench.open`` (which recovers the working copy) it holds every acknowledged edit, and
  after ``close`` (write-back) the user's file itself holds them;
- an interrupted import is all or nothing;
- no temporary file (``.NAME.pwkb-tmp-…``) is left beside the file after that open;
- a killed hand-off leaves no output or a complete, valid one, and nothing internal in any temp;
- races with another writer (tests/reliability/races.py): the other writer's file is never
  overwritten, and nothing acknowledged is lost;
- a migration killed midway leaves the file unchanged, its backup intact, and migrates next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain.values import Context
from workbench.exchange.sample import create_sample
from workbench.schema.fileformat import SCHEMA_VERSION
from workbench.session import Workbench
from workbench.store.sqlite import storage

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("edits", "import", "handoff", "migrate")
FIXTURE_V1 = ROOT / "tests" / "data" / "v1.workbench"


class Lost(AssertionError):
    """A promise was broken after a kill."""


@dataclass
class Figures:
    """What a run did: kills, acknowledged work checked, problems found."""

    kills: int = 0
    finished_before_kill: int = 0
    acknowledged: int = 0
    write_backs: int = 0
    imports: int = 0
    handoffs: int = 0
    temps_cleaned: int = 0
    recovered: int = 0
    #: Exports and hand-offs refused because their target was held open by another writer.
    refused: int = 0
    #: Races with another writer: its file kept and ours written beside it / its hold respected /
    #: a write that slipped in before the hold, caught by the holder's own write-back.
    kept_both: int = 0
    races_held: int = 0
    races_detected: int = 0
    by_scenario: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pragma(path: Path, name: str) -> object:
    """One PRAGMA of the file as it is (immutable: reads only, whatever schema version it claims)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file as it is."""
    return str(_pragma(path, "integrity_check"))


def user_version(path: Path) -> int:
    """The schema version the file claims (read raw: it may be newer than this app's)."""
    return int(_pragma(path, "user_version"))  # type: ignore[call-overload]


def temps_beside(path: Path) -> list[str]:
    prefix = f".{path.name}{storage.TMP_MARK}"
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(prefix))


@contextlib.contextmanager
def slow_v2_here(sleep_s: float = 0.0) -> Iterator[None]:
    """The child's slowed, marked migration to schema version 2 (``crash_child.slow_v2``), applied
    in this process and undone afterwards."""
    from workbench.store.sqlite import migrations

    steps = dict(migrations.STEPS)
    sys.path.insert(0, str(CHILD.parent))
    try:
        import crash_child

        crash_child.slow_v2(sleep_s, announce=False)
        yield
    finally:
        sys.path.remove(str(CHILD.parent))
        migrations.STEPS.clear()
        migrations.STEPS.update(steps)


class Child:
    """A running child with its acknowledgements read on a thread."""

    def __init__(self, args: list[str], data_dir: Path) -> None:
        env = dict(os.environ, PERSONA_WORKBENCH_DATA=str(data_dir), PYTHONDONTWRITEBYTECODE="1")
        self.proc = subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.acked: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, word: str, timeout: float = 30.0) -> bool:
        """Block until the child prints ``word`` (True) or exits first (False)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                return False
            self.acked.append(line)
            if line == word:
                return True
        raise Lost(f"child did not print {word!r} within {timeout}s: {self.stderr()}")

    def kill(self) -> bool:
        """SIGKILL; returns False when the child had already finished on its own."""
        finished = self.proc.poll() is not None
        if not finished:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.acked.append(line)
        if finished and self.proc.returncode != 0:
            raise Lost(f"child failed on its own (exit {self.proc.returncode}): {self.stderr()}")
        return not finished

    def stderr(self) -> str:
        if self.proc.poll() is None or self.proc.stderr is None:
            return ""
        return self.proc.stderr.read()[-3000:]


class Scenario:
    """One file being written by successive children, each killed; the acknowledged state accumulates."""

    name = ""

    def __init__(self, work: Path, rng: random.Random, max_delay: float) -> None:
        self.work = work
        self.rng = rng
        self.max_delay = max_delay
        self.data_dir = work / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = work / f"{self.name}.workbench"
        self.ctx = Context(user="checker")
        self.round = 0

    def child_args(self) -> list[str]:
        return [self.name, str(self.path), f"r{self.round}"]

    def start_word(self) -> str:
        return "ready"

    def one_kill(self, figures: Figures) -> None:
        self.round += 1
        child = Child(self.child_args(), self.data_dir)
        try:
            if child.wait_for(self.start_word()):
                time.sleep(self.rng.uniform(0, self.max_delay))
            killed = child.kill()
        finally:
            if child.proc.poll() is None:
                child.proc.kill()
                child.proc.wait()
            with contextlib.suppress(Exception):
                assert child.proc.stdout is not None and child.proc.stderr is not None
                child.proc.stdout.close()
                child.proc.stderr.close()
        figures.kills += killed
        figures.finished_before_kill += not killed
        figures.by_scenario[self.name] = figures.by_scenario.get(self.name, 0) + 1
        self.verify(child.acked, figures)

    def verify(self, acked: list[str], figures: Figures) -> None:
        raise NotImplementedError

    def check_file_then_open(self, figures: Figures) -> Workbench:
        """Integrity of the user's file as the kill left it; then open (recovering) and check temps."""
        result = integrity(self.path)
        if result != "ok":
            raise Lost(f"{self.path.name}: integrity_check says {result!r} after a kill")
        before = temps_beside(self.path)
        wb = Workbench.open(self.path, self.ctx, data_dir=self.data_dir)
        figures.recovered += wb.file.recovered
        if wb.file.recovered_conflict is not None:
            wb.close()
            raise Lost(f"{self.path.name}: the working copy was set aside as a conflict "
                       f"({wb.file.recovered_conflict.name}) although nobody else changed the file")
        left = temps_beside(self.path)
        if left:
            wb.close()
            raise Lost(f"temporary files left beside {self.path.name} after the next open: {left}")
        figures.temps_cleaned += len(before)
        return wb


class Edits(Scenario):
    """Commands through ``Workbench.execute``, write-backs, close and reopen."""

    name = "edits"

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        create_sample(self.path, self.ctx)
        self.names: set[str] = set()
        self.messages: set[str] = set()
        self.story = 0

    def verify(self, acked: list[str], figures: Figures) -> None:
        for line in acked:
            kind, _, value = line.partition(" ")
            if kind == "P":
                self.names.add(value)
            elif kind == "M":
                self.messages.add(value)
            elif kind == "S":
                self.story = max(self.story, int(value))
            figures.acknowledged += kind in ("P", "M", "S")
            figures.write_backs += kind == "W"
        wb = self.check_file_then_open(figures)
        try:
            self._check(wb, "after recovery")
        finally:
            wb.close()
        with Workbench.open(self.path, self.ctx, readonly=True) as ro:
            self._check(ro, "in the user's file after write-back")
        if integrity(self.path) != "ok":
            raise Lost("integrity_check failed after write-back")

    def _check(self, wb: Workbench, where: str) -> None:
        names = {p.name for p in wb.persona_summaries()}
        missing = self.names - names
        if missing:
            raise Lost(f"{len(missing)} acknowledged personas missing {where}: {sorted(missing)[:5]}")
        ids = {m.id for m in wb.messages()}
        if self.messages - ids:
            raise Lost(f"acknowledged messages missing {where}: {sorted(self.messages - ids)[:5]}")
        counter = wb.find_persona("Counter")
        if self.story and (counter is None or int(counter.story or 0) < self.story):
            raise Lost(f"the acknowledged story {self.story} was lost {where} "
                       f"(found {counter.story if counter else None!r})")


class Imports(Scenario):
    """JSON imports (all or nothing) interleaved with write-backs."""

    name = "import"

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        Workbench.create(self.path, self.ctx)
        self.batches: set[str] = set()

    def verify(self, acked: list[str], figures: Figures) -> None:
        from crash_child import IMPORT_SIZE  # type: ignore[import-not-found]

        for line in acked:
            kind, _, value = line.partition(" ")
            if kind == "I":
                self.batches.add(value)
                figures.acknowledged += 1
                figures.imports += 1
            figures.write_backs += kind == "W"
        wb = self.check_file_then_open(figures)
        try:
            per_batch: dict[str, int] = {}
            for p in wb.personas():
                for tag in p.tags:
                    per_batch[tag] = per_batch.get(tag, 0) + 1
        finally:
            wb.close()
        partial = {b: n for b, n in per_batch.items() if n != IMPORT_SIZE}
        if partial:
            raise Lost(f"interrupted imports are not all-or-nothing: {partial}")
        missing = self.batches - set(per_batch)
        if missing:
            raise Lost(f"acknowledged imports missing: {sorted(missing)}")


class Handoffs(Scenario):
    """Hand-off copies killed midway: no output, or a complete valid one; no temps after a retry; no
    internal text in anything a killed hand-off leaves; and never over the shared target while the
    parent holds it open for editing (a race with another writer)."""

    name = "handoff"
    SECRETS = (b"INTERNAL-ONLY-5e2c margin", b"UNAPPROVED-DRAFT-3b7d wording")

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        from workbench.edit import commands as C

        create_sample(self.path, self.ctx)
        with Workbench.open(self.path, self.ctx, data_dir=self.data_dir) as wb:
            for p in wb.persona_summaries():
                wb.execute(C.UpdatePersona(p.id, {"status": "approved"}))
            approved = [m for m in wb.messages() if m.status == "approved"][0]
            wb.execute(C.UpdateMessage(approved.id, {"notes": self.SECRETS[0].decode()}))
            wb.execute(C.UpdateMessage(approved.id, {"body": self.SECRETS[1].decode()}))
        with Workbench.open(self.path, self.ctx, readonly=True) as ro:
            self.expected = ro.persona_count()
        self.out = self.work / "handoffs"
        self.out.mkdir(exist_ok=True)
        self.shared = self.out / "client-shared.workbench"

    def child_args(self) -> list[str]:
        return [*super().child_args(), str(self.out)]

    def one_kill(self, figures: Figures) -> None:
        self.round += 1
        child = Child(self.child_args(), self.data_dir)
        holder = None
        try:
            if child.wait_for(self.start_word()):
                time.sleep(self.rng.uniform(0, self.max_delay))
                if self.rng.random() < 0.5 and self.shared.exists():
                    holder = self._hold_shared()
                    time.sleep(self.rng.uniform(0, 0.3))
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
        figures.by_scenario[self.name] = figures.by_scenario.get(self.name, 0) + 1
        if holder is not None:
            self._release_shared(holder, figures)
        self.verify(child.acked, figures)

    def _hold_shared(self) -> Workbench | None:
        """Another writer opens the shared target for editing (while hand-offs aim at it)."""
        from workbench.domain import errors
        from workbench.edit import commands as C

        try:
            holder = Workbench.open(self.shared, self.ctx, data_dir=self.data_dir / "holder")
        except errors.WorkbenchError:
            return None  # caught between a hand-off's temp and its rename, or held by a killed one
        holder.execute(C.CreatePersona({"name": f"Client's own r{self.round}"}))
        holder.write_back()
        return holder

    def _release_shared(self, holder: Workbench, figures: Figures) -> None:
        """The holder's edit is never lost: in the file, or (a hand-off slipped in) detected and kept."""
        from workbench.domain import errors

        try:
            holder.close()
        except errors.ChangedOnDisk:
            figures.races_detected += 1
            return
        with Workbench.open(self.shared, self.ctx, readonly=True) as ro:
            if ro.find_persona(f"Client's own r{self.round}") is None:
                raise Lost("a hand-off was written over the shared target while it was held open")
        figures.races_held += 1

    def verify(self, acked: list[str], figures: Figures) -> None:
        from workbench.exchange.handoff import make_handoff

        done = {line[2:] for line in acked if line.startswith("H ")}
        figures.acknowledged += len(done)
        figures.handoffs += len(done)
        figures.refused += sum(line == "R" for line in acked)
        for leftover in self.out.iterdir():
            if storage.TMP_MARK in leftover.name and leftover.is_file():
                raw = leftover.read_bytes()
                if any(secret in raw for secret in self.SECRETS):
                    raise Lost(f"a killed hand-off left internal text in {leftover.name}")
        for target in sorted(self.out.glob(f"client-r{self.round}-*.workbench")):
            if integrity(target) != "ok":
                raise Lost(f"a killed hand-off left a damaged {target.name}")
            with Workbench.open(target, self.ctx, readonly=True) as copy:
                if copy.persona_count() != self.expected:
                    raise Lost(f"hand-off {target.name} is incomplete")
        if self.shared.exists() and integrity(self.shared) != "ok":
            raise Lost("the shared hand-off target is damaged")
        missing = [d for d in done if not Path(d).exists()]
        if missing:
            raise Lost(f"acknowledged hand-offs missing: {missing}")
        # The next hand-off to the same place cleans up what the killed one left.
        n = len(done) + 1
        target = self.out / f"client-r{self.round}-{n}.workbench"
        litter = temps_beside(target)
        with Workbench.open(self.path, self.ctx, readonly=True) as wb:
            make_handoff(wb, target)
        figures.temps_cleaned += len(litter)
        if temps_beside(target):
            raise Lost(f"temporary files left beside {target.name}: {temps_beside(target)}")
        if any(secret in target.read_bytes() for secret in self.SECRETS):
            raise Lost("a hand-off copy holds internal text")
        if integrity(self.path) != "ok":
            raise Lost("the source file was damaged by a hand-off")


class Migrations(Scenario):
    """A v1 file whose (slowed) migration to schema version 2 is killed midway."""

    name = "migrate"

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.max_delay = min(self.max_delay, 0.35)  # inside the step's sleep

    def start_word(self) -> str:
        return "migrating"

    def one_kill(self, figures: Figures) -> None:
        for leftover in self.work.glob("migrate*"):
            leftover.unlink()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir()
        shutil.copyfile(FIXTURE_V1, self.path)
        self.original = sha(self.path)
        super().one_kill(figures)

    def verify(self, acked: list[str], figures: Figures) -> None:
        if "migrated" in acked:
            raise Lost("the kill came after the migration finished; the test's timing is wrong")
        if sha(self.path) != self.original:
            raise Lost("a migration killed midway changed the user's file")
        backup = self.work / "migrate.v1-backup.workbench"
        if not backup.exists() or sha(backup) != self.original:
            raise Lost("the pre-migration backup is missing or not intact")
        with slow_v2_here():
            wb = self.check_file_then_open(figures)
            try:
                if wb.file.migrated_from != 1:
                    raise Lost("the next open did not migrate")
                guidance = [c.guidance for c in wb.channels()]
                if not all(g.endswith("[v2]") and not g.endswith("[v2] [v2]") for g in guidance):
                    raise Lost(f"the next open did not migrate cleanly: {guidance}")
            finally:
                wb.close()
        if user_version(self.path) != SCHEMA_VERSION or integrity(self.path) != "ok":
            raise Lost("the migrated file was not written back intact")
        figures.acknowledged += 1


KINDS: dict[str, type[Scenario]] = {"edits": Edits, "import": Imports, "handoff": Handoffs,
                                     "migrate": Migrations}


def run(work: Path, kills_per_scenario: dict[str, int], seed: int, max_delay: float = 0.6,
        stop_on_problem: bool = True, progress: bool = False,
        kinds: dict[str, type[Scenario]] | None = None) -> Figures:
    """Run the scenarios (``kinds``: more than :data:`KINDS`, e.g. ``races.KINDS``), each killed the given
    number of times; return the figures."""
    rng = random.Random(seed)
    figures = Figures()
    known = {**KINDS, **(kinds or {})}
    sys.path.insert(0, str(CHILD.parent))  # for crash_child's constants
    try:
        for name, kills in kills_per_scenario.items():
            scenario = known[name](work / name, rng, max_delay)
            for i in range(kills):
                try:
                    scenario.one_kill(figures)
                except Lost as exc:
                    figures.problems.append(f"{name} kill {i + 1}: {exc}")
                    if stop_on_problem:
                        return figures
                if progress and (i + 1) % 25 == 0:
                    print(f"  {name}: {i + 1}/{kills} kills", flush=True)
    finally:
        sys.path.remove(str(CHILD.parent))
    return figures

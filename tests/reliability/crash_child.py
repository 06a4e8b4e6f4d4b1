"""A child process for the crash harness: writes to a workbench until it is killed.

Run as ``python crash_child.py SCENARIO FILE TAG [TARGET_DIR]``. It prints ``ready`` once the file is
open, then one line per *committed* piece of work, flushed before the next one starts — the parent
SIGKILLs it at a random moment and then checks that everything acknowledged survived:

- ``P <name>``    a persona was created (``Workbench.execute`` returned)
- ``S <n>``       the "Counter" persona's story was set to ``n`` (grows monotonically)
- ``M <id>``      a message was created
- ``W``           ``write_back`` finished (the user's file holds everything acknowledged so far)
- ``I <batch>``   a JSON import of ``IMPORT_SIZE`` personas tagged ``batch`` committed
- ``H <path>``    a hand-off copy was completed at ``path``
- ``migrating``   the (slowed) migration step to schema version 2 has started
- ``migrated``    the file is open and migrated on the working copy
- ``C``           a write-back refused: someone else replaced the file (race scenario)
- ``K <path>``    ... replaced *during* the write-back: ours was kept as a copy at ``path``
- ``R``           an export or hand-off refused: the target is a workbench someone holds open
- ``E <path>``    a JSON export was completed at ``path``

Working copies go to ``$PERSONA_WORKBENCH_DATA`` (the parent sets it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workbench.domain.values import Context  # noqa: E402
from workbench.edit import commands as C  # noqa: E402
from workbench.schema.model import default_channel_id  # noqa: E402

IMPORT_SIZE = 40
#: Seconds the fake migration step sleeps inside its transaction (a kill lands in it).
MIGRATION_SLEEP_S = 0.4
#: Safety net: a child that is never killed stops on its own.
MAX_SECONDS = 60.0


def say(line: str) -> None:
    """Acknowledge: the line reaches the parent before any further work starts."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def slow_v2(sleep_s: float = MIGRATION_SLEEP_S, announce: bool = True) -> None:
    """Make the real migration to schema version 2 slow (a kill lands inside it) and marked.

    The step runs the real ``_to_2``, then appends `` [v2]`` to every channel's guidance (so a step
    applied twice, or not at all, shows) and sleeps — all inside the migration's one transaction.
    """
    import sqlite3

    from workbench.store.sqlite import migrations

    real = migrations._to_2  # the module's own step, never a wrapped one: wrapping twice adds nothing

    def to_2(conn: sqlite3.Connection) -> None:
        if announce:
            say("migrating")
        real(conn)
        conn.execute("UPDATE channels SET guidance = guidance || ' [v2]'")
        time.sleep(sleep_s)

    migrations.STEPS[2] = to_2


def counter_id(wb: object) -> str:
    """The id of the persona whose story the edits scenario counts up in."""
    found = wb.find_persona("Counter")  # type: ignore[attr-defined]
    if found is not None:
        return str(found.id)
    change = wb.execute(C.CreatePersona({"name": "Counter", "story": "0"}))  # type: ignore[attr-defined]
    return str(change.extra["id"])


def edits(path: Path, tag: str, ctx: Context) -> None:
    """Commands, write-backs and the occasional close/reopen, acknowledged one by one."""
    from workbench.session import Workbench

    wb = Workbench.open(path, ctx)
    say("ready")
    start = time.monotonic()
    counter = counter_id(wb)
    last_persona = counter
    base = int(tag.lstrip("r") or 0) * 100_000
    i = 0
    while time.monotonic() - start < MAX_SECONDS:
        i += 1
        op = i % 6
        if op in (0, 1):
            name = f"{tag}-e{i}"
            change = wb.execute(C.CreatePersona({"name": name, "story": "x" * (i % 7) * 100}))
            last_persona = str(change.extra["id"])
            say(f"P {name}")
        elif op == 2:
            wb.execute(C.UpdatePersona(counter, {"story": str(base + i)}))
            say(f"S {base + i}")
        elif op == 3:
            change = wb.execute(C.CreateMessage(last_persona, default_channel_id("Ads"), "awareness",
                                                {"headline": f"{tag} headline {i}", "body": "b" * 500}))
            say(f"M {change.extra['id']}")
        elif op == 4:
            wb.write_back()
            say("W")
        elif i % 30 == 5:
            wb.close()
            wb = Workbench.open(path, ctx)
            say("reopened")
    wb.close()


def imports(path: Path, tag: str, ctx: Context) -> None:
    """JSON imports of IMPORT_SIZE personas each, with write-backs between them."""
    from workbench.exchange import interchange
    from workbench.session import Workbench

    wb = Workbench.open(path, ctx)
    say("ready")
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < MAX_SECONDS:
        n += 1
        batch = f"{tag}-b{n}"
        document = {"format": "persona-workbench", "version": 1,
                    "personas": [{"name": f"{batch}-p{k}", "tags": [batch], "story": "s" * 2000}
                                 for k in range(IMPORT_SIZE)]}
        wb.execute(interchange.ImportDocument(document))
        say(f"I {batch}")
        if n % 2 == 0:
            wb.write_back()
            say("W")
    wb.close()


def migrate(path: Path, tag: str, ctx: Context) -> None:
    """Open an older (v1) file with a slowed migration to v2, then edit and close."""
    from workbench.session import Workbench

    slow_v2()
    wb = Workbench.open(path, ctx)
    say("migrated")
    for i in range(3):
        name = f"{tag}-m{i}"
        wb.execute(C.CreatePersona({"name": name}))
        say(f"P {name}")
    wb.close()
    say("W")


def handoff(path: Path, tag: str, ctx: Context, target_dir: Path) -> None:
    """Hand-off copies of an open workbench, one after another: to fresh targets, and every other one
    to ``client-shared.workbench``, which the parent may open for editing meanwhile."""
    from workbench.domain import errors
    from workbench.exchange.handoff import make_handoff
    from workbench.session import Workbench

    wb = Workbench.open(path, ctx, readonly=True)
    say("ready")
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < MAX_SECONDS:
        n += 1
        target = target_dir / ("client-shared.workbench" if n % 2 else f"client-{tag}-{n}.workbench")
        try:
            make_handoff(wb, target)
        except errors.Locked:
            say("R")
            continue
        say(f"H {target}")
    wb.close()


def race(path: Path, tag: str, ctx: Context) -> None:
    """Edits and write-backs while the parent replaces the file with a colleague's version."""
    from workbench.domain import errors
    from workbench.session import Workbench
    from workbench.store.sqlite import storage

    wb = Workbench.open(path, ctx)
    say("ready")
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < MAX_SECONDS:
        i += 1
        name = f"{tag}-x{i}"
        wb.execute(C.CreatePersona({"name": name, "story": "y" * 3000}))
        say(f"P {name}")
        try:
            wb.write_back()
            say("W")
        except storage.ChangedWhileSaving as exc:
            say(f"K {exc.copy}")
        except errors.ChangedOnDisk:
            say("C")


def export(path: Path, tag: str, ctx: Context, target: Path) -> None:
    """JSON exports to the same target, one after another, while the parent writes it too."""
    from workbench.exchange import interchange
    from workbench.session import Workbench

    wb = Workbench.open(path, ctx, readonly=True)
    say("ready")
    start = time.monotonic()
    while time.monotonic() - start < MAX_SECONDS:
        interchange.write_json(wb.read, target)
        say(f"E {target}")
    wb.close()


def main(argv: list[str]) -> int:
    """Dispatch on the scenario name."""
    scenario, path, tag = argv[0], Path(argv[1]), argv[2]
    ctx = Context(user="crash")
    if scenario == "edits":
        edits(path, tag, ctx)
    elif scenario == "import":
        imports(path, tag, ctx)
    elif scenario == "migrate":
        migrate(path, tag, ctx)
    elif scenario == "handoff":
        handoff(path, tag, ctx, Path(argv[3]))
    elif scenario == "race":
        race(path, tag, ctx)
    elif scenario == "export":
        export(path, tag, ctx, Path(argv[3]))
    else:
        raise SystemExit(f"unknown scenario {scenario!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

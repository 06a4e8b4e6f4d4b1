"""Persona Workbench entry point: the GUI, or a headless command for automation.

    python main.py [FILE]                 the desktop app (last file, or the sample on first run)
    python main.py COMMAND ...            new, info, export, import, check, search, handoff

Exit status: 0 success; 1 ``check`` found problems; 2 bad usage or bad input — one clear line on
stderr, never a traceback. The core raises typed errors; this module turns them into words.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import argparse

COMMANDS = ("new", "info", "export", "import", "check", "search", "handoff")
PROG = "persona-workbench"


class UsageError(Exception):
    """Bad command-line usage (exit 2)."""


# --- terminal output ---------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not os.environ.get("CI")
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        pct = int(done * 100 / total)
        if pct == self._last:
            return
        self._last = pct
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {pct:3d}%")
        self.stream.flush()

    def finish(self) -> None:
        """End the line."""
        if self.enabled and self._last >= 0:
            self.stream.write("\n")
            self.stream.flush()


class Busy:
    """An elapsed-time indicator on a terminal for work that cannot count its steps (one transaction)."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not os.environ.get("CI")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Busy:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        start = time.monotonic()
        frames = "|/-\\"
        i = 0
        while not self._stop.wait(0.25):
            i += 1
            self.stream.write(f"\r{self.label} {frames[i % 4]} {time.monotonic() - start:4.0f} s")
            self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self.stream.write("\r" + " " * (len(self.label) + 12) + "\r")
            self.stream.flush()


def _drive(steps: Iterable[tuple[int, int]], label: str) -> None:
    bar = Progress(label)
    try:
        for done, total in steps:
            bar(done, total)
    finally:
        bar.finish()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


# --- commands ---------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from workbench.session import Workbench

    Workbench.create(Path(args.file), name=args.name, sample=args.sample)
    print(f"Created {args.file}{' with the sample content' if args.sample else ''}.")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    # Plain sqlite3 (workbench.store.sqlite.reader), not the ORM: `info` answers in a fraction of a second.
    from workbench.schema.fileformat import SCHEMA_VERSION, STAGES
    from workbench.store.sqlite import reader, storage

    path = Path(args.file)
    with reader.Reader.open(path) as look:
        info = look.info()
        counts = look.counts()
        channels = look.channels()
        kinds = look.read(reader.term_kinds)
        cells = look.read(reader.coverage_counts)
        holder = storage.read_holder(path)
        version = look.migrated_from or SCHEMA_VERSION
    m = counts.messages
    total_cells = counts.personas * len(channels) * len(STAGES)
    approved_cells = cells.get("approved", 0)
    breach_cells = cells.get("breach", 0)
    lines = [
        info.name or path.stem,
        f"  Organisation  {info.organization or '—'}",
        f"  File          {path} ({_size(path.stat().st_size)}, schema version {version})",
        f"  Held by       {holder.describe() if holder else 'nobody (not open for editing)'}",
        f"  Personas      {counts.personas} ({counts.approved_personas} approved, "
        f"{counts.personas - counts.approved_personas} draft)",
        f"  Channels      {len(channels)}" + (f" — {', '.join(c.name for c in channels)}" if channels else ""),
        f"  Messages      {sum(m.values())} — {m['approved']} approved, {m['in_review']} in review, "
        f"{m['draft']} draft, {m['retired']} retired ({_plural(counts.revisions, 'earlier revision')})",
        f"  Lingo         {_plural(counts.terms, 'term')} ({kinds['avoid']} avoid, {kinds['prefer']} prefer, "
        f"{kinds['define']} define)",
        f"  Objections    {counts.objections}",
        f"  Coverage      {approved_cells} of {total_cells} persona × channel × stage cells approved"
        + (f"; {_plural(breach_cells, 'cell')} with lingo breaches" if breach_cells else ""),
    ]
    if info.updated_at:
        lines.append(f"  Last change   {info.updated_at.replace('T', ' ')[:16]} by {info.updated_by}")
    print("\n".join(lines))
    return 0


def _resolve_selection(wb: Any, persona_names: Sequence[str], channel_names: Sequence[str]) -> tuple[
        list[str] | None, list[str] | None]:
    persona_ids: list[str] | None = None
    if persona_names:
        persona_ids = []
        for name in persona_names:
            found = wb.find_persona(name)
            if found is None:
                raise UsageError(f"no persona named {name!r} in {wb.path}")
            persona_ids.append(found.id)
    channels: list[str] | None = None
    if channel_names:
        known = {c.name.casefold(): c.name for c in wb.channels()}
        channels = []
        for name in channel_names:
            if name.casefold() not in known:
                raise UsageError(f"no channel named {name!r} in {wb.path}")
            channels.append(known[name.casefold()])
    return persona_ids, channels


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.session import Workbench

    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in (".json", ".pdf"):
        raise UsageError(f"cannot tell the format of {out.name}: use a .pdf or .json file name")
    if suffix == ".json" and (args.persona or args.channel or args.include_drafts or args.paper):
        raise UsageError("--persona, --channel, --include-drafts and --paper apply to PDF playbooks only")
    with Workbench.open(Path(args.file), readonly=True) as wb:
        if suffix == ".json":
            from workbench.exchange import interchange

            bar = Progress("Exporting")
            try:
                interchange.write_json(wb.read, out, bar)
            finally:
                bar.finish()
            print(f"Exported {wb.info().name} to {out}.")
            return 0
        try:
            from workbench import publish as playbook
        except ImportError:
            raise UsageError("PDF playbooks are not available in this build") from None
        persona_ids, channels = _resolve_selection(wb, args.persona or [], args.channel or [])
        opts = playbook.PlaybookOptions(persona_ids=persona_ids, channel_names=channels,
                                        include_drafts=args.include_drafts,
                                        paper=args.paper or playbook.default_paper())
        _drive(playbook.export_playbook(wb, out, opts), "Printing playbook")
    print(f"Wrote the playbook to {out}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.exchange import interchange
    from workbench.session import Workbench

    source = Path(args.source)
    if source.suffix.lower() not in (".json", ".workbench"):
        raise UsageError(f"cannot import {source.name}: use a .json or .workbench file")
    document, mode = interchange.load_source(source)
    if args.theirs:
        mode = "theirs"
    with Busy(f"Importing {source.name}"), Workbench.open(Path(args.file)) as wb:
        change = wb.execute(interchange.ImportDocument(document, mode=mode))
    report = change.extra.get("report")
    print(f"Imported {source} into {args.file}.")
    if report is not None:
        print(report.summary())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from workbench.read import queries
    from workbench.session import Workbench

    with Workbench.open(Path(args.file), readonly=True) as wb:
        found = wb.read(queries.problems, True)
    blocking = [p for p in found if p.blocking]
    labels = {"breach": "lingo", "gap": "gap", "persona": "persona", "accepted": "accepted"}
    for p in found:
        print(f"{labels.get(p.kind, p.kind):9} {p.text}")
    breaches = sum(1 for p in found if p.kind == "breach")
    gaps = sum(1 for p in found if p.kind == "gap")
    if blocking:
        print(f"{_plural(breaches, 'lingo breach').replace('breachs', 'breaches')}, "
              f"{_plural(gaps, 'coverage gap')}.", file=sys.stderr)
        return 1
    print("No lingo breaches and no coverage gaps.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from workbench.store.sqlite.reader import Reader
    from workbench.store.sqlite.search import HIT_END, HIT_START

    query = " ".join(args.query)
    with Reader.open(Path(args.file)) as look:
        hits = look.search(query, limit=args.limit)
    tty = sys.stdout.isatty()
    on, off = ("\033[1m", "\033[0m") if tty else ("[", "]")
    for hit in hits:
        snippet = " ".join(hit.snippet.split()).replace(HIT_START, on).replace(HIT_END, off)
        print(f"{hit.kind:9} {hit.title}\n          {snippet}")
    if not hits:
        print(f"Nothing found for {query!r}.")
    return 0


def cmd_handoff(args: argparse.Namespace) -> int:
    from workbench.exchange.handoff import make_handoff
    from workbench.session import Workbench

    out = Path(args.output)
    if out.resolve() == Path(args.file).resolve():
        raise UsageError("the hand-off copy must be a different file from the workbench")
    with Busy("Writing the hand-off copy"), Workbench.open(Path(args.file), readonly=True) as wb:
        summary = make_handoff(wb, out)
    print(f"Wrote the hand-off copy to {out}: {_plural(summary['personas'], 'persona')}, "
          f"{_plural(summary['messages'], 'approved message')}, {_plural(summary['terms'], 'term')}, "
          f"{_plural(summary['objections'], 'objection')}.")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new, "info": cmd_info, "export": cmd_export, "import": cmd_import,
    "check": cmd_check, "search": cmd_search, "handoff": cmd_handoff,
}


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    import argparse  # here: the desktop app starts without it

    from workbench import __version__

    class _Parser(argparse.ArgumentParser):
        """argparse that reports usage errors as one line and exit status 2."""

        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{message} (see '{self.prog} --help')")

    parser = _Parser(prog=PROG, description="Persona Workbench: storied personas, approved messaging, "
                     "shared lingo and PDF playbooks in one .workbench file. Without a command, opens "
                     "the desktop app.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("new", help="create a workbench file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sample", action="store_true", help="fill it with the sample content")
    p.add_argument("--name", help="the workbench's name (default: the file name)")
    p = sub.add_parser("info", help="counts, schema version, who holds it")
    p.add_argument("file", metavar="FILE")
    p = sub.add_parser("export", help="a PDF playbook or a JSON document (format from -o's extension)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf|OUT.json")
    p.add_argument("--persona", action="append", metavar="NAME", help="only this persona (repeatable)")
    p.add_argument("--channel", action="append", metavar="NAME", help="only this channel (repeatable)")
    p.add_argument("--include-drafts", action="store_true", help="include drafts, marked DRAFT")
    p.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: from the locale)")
    p = sub.add_parser("import", help="import a JSON document or merge another workbench")
    p.add_argument("file", metavar="FILE")
    p.add_argument("source", metavar="SOURCE.json|SOURCE.workbench")
    p.add_argument("--theirs", action="store_true",
                   help="on conflicts, take the other file's version (default: keep this workbench's)")
    p = sub.add_parser("check", help="lingo breaches and coverage gaps (exit 1 when any)")
    p.add_argument("file", metavar="FILE")
    p = sub.add_parser("search", help="full-text search")
    p.add_argument("file", metavar="FILE")
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, help="most results to show (default 20)")
    p = sub.add_parser("handoff", help="a client copy: approved content only, nothing internal")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="CLIENT.workbench")
    return parser


def run_cli(argv: Sequence[str]) -> int:
    """Run a headless command; return the exit status. Errors become one line on stderr."""
    from workbench.domain import errors

    try:
        args = build_parser().parse_args(list(argv))
        if not args.command:
            raise UsageError("no command given")
        return HANDLERS[args.command](args)
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except errors.WorkbenchError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except MemoryError:
        print(f"{PROG}: not enough memory to finish.", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch: a known command (or an option) runs headless; otherwise the GUI opens."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in COMMANDS or argv[0].startswith("-")):
        return run_cli(argv)
    if len(argv) > 1:
        print(f"{PROG}: unknown command {argv[0]!r} (see '{PROG} --help')", file=sys.stderr)
        return 2
    if sys.platform.startswith("linux") and not (os.environ.get("QT_QPA_PLATFORM") or
                                                 os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # Qt would abort with a page about platform plugins: say it in one line instead.
        print(f"{PROG}: there is no display to open the window on; for a headless command see "
              f"'{PROG} --help'", file=sys.stderr)
        return 2
    try:
        from ui.shell.app import run_gui
    except ImportError as exc:
        print(f"{PROG}: the desktop app cannot start: {exc}", file=sys.stderr)
        return 2
    return run_gui(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())

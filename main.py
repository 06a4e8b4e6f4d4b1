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


#: What one printed field (a name, a snippet) or one error line may show at most.
FIELD_CHARS = 300
LINE_CHARS = 1500


def _clean(text: object, limit: int | None = None) -> str:
    """Text from a file made safe for a terminal: no control characters (escape sequences, carriage
    returns, bells) and no bidirectional overrides; line breaks kept only when no ``limit`` is given
    (a field is one line); at most ``limit`` characters."""
    import unicodedata

    raw = str(text)
    if limit is not None and len(raw) > limit * 4:
        raw = raw[:limit * 4]
    keep = "\n\t" if limit is None else ""
    out = "".join(ch if ch in keep or (unicodedata.category(ch) != "Cc" and not 0x202A <= ord(ch) <= 0x202E
                                       and not 0x2066 <= ord(ch) <= 0x2069)
                  else (" " if ch in "\n\r\t" else "") for ch in raw)
    if limit is not None and len(out) > limit:
        out = out[:limit - 1] + "…"
    return out


def _say(text: str, *, err: bool = False) -> None:
    """Print a line (or lines) of output, cleaned of control characters; each line bounded."""
    lines = [_clean(line, LINE_CHARS) for line in str(text).split("\n")]
    print("\n".join(lines), file=sys.stderr if err else sys.stdout)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(n)


# --- commands ---------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from workbench.session import Workbench

    if args.sample:
        from workbench.exchange.sample import create_sample

        create_sample(Path(args.file), name=args.name)
    else:
        Workbench.create(Path(args.file), name=args.name)
    _say(f"Created {args.file}{' with the sample content' if args.sample else ''}.")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    # Plain sqlite3 (workbench.store.sqlite.reader), not the ORM: `info` answers in a fraction of a second.
    from workbench.schema.fileformat import SCHEMA_VERSION
    from workbench.store.sqlite import reader, storage

    path = Path(args.file)
    with reader.Reader.open(path) as look:
        info = look.info()
        counts = look.counts()
        channels = look.channels()
        kinds = look.term_kinds()
        cells = look.coverage_counts()
        holder = storage.read_holder(path)
        version = look.migrated_from or SCHEMA_VERSION
    m = counts.messages
    total_cells = sum(cells.values())
    approved_cells = cells.get("approved", 0)
    breach_cells = cells.get("breach", 0)
    lines = [
        _clean(info.name or path.stem, FIELD_CHARS),
        f"  Organisation  {_clean(info.organization, FIELD_CHARS) or '—'}",
        f"  File          {path} ({_size(path.stat().st_size)}, schema version {version})",
        f"  Held by       {holder.describe() if holder else 'nobody (not open for editing)'}",
        f"  Personas      {counts.personas} ({counts.approved_personas} approved, "
        f"{counts.personas - counts.approved_personas} draft)",
        f"  Channels      {len(channels)}"
        + (f" — {_clean(', '.join(c.name for c in channels), LINE_CHARS - 30)}" if channels else ""),
        f"  Messages      {sum(m.values())} — {m['approved']} approved"
        + (f" ({counts.pending_drafts} with a new draft waiting)" if counts.pending_drafts else "")
        + f", {m['in_review']} in review, {m['draft']} draft, {m['retired']} retired "
        f"({_plural(counts.revisions, 'earlier revision')})",
        f"  Lingo         {_plural(counts.terms, 'term')} ({kinds['avoid']} avoid, {kinds['prefer']} prefer, "
        f"{kinds['define']} define)",
        f"  Objections    {counts.objections}",
        f"  Coverage      {approved_cells} of {total_cells} persona × channel × stage cells approved"
        " (avoided channels left out)"
        + (f"; {_plural(breach_cells, 'cell')} with lingo breaches" if breach_cells else ""),
    ]
    if info.updated_at:
        lines.append(f"  Last change   {info.updated_at.replace('T', ' ')[:16]} by "
                     f"{_clean(info.updated_by, FIELD_CHARS)}")
    _say("\n".join(lines))
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
    if suffix not in (".json", ".pdf", ".html", ".htm"):
        raise UsageError(f"cannot tell the format of {out.name}: use a .pdf, .html or .json file name")
    if suffix == ".json" and (args.persona or args.channel or args.include_drafts or args.paper
                              or args.sheet or args.pages is not None):
        raise UsageError("--persona, --channel, --include-drafts, --paper, --sheet and --pages apply to "
                         "playbooks (.pdf or .html) only")
    if suffix != ".pdf" and (args.sheet or args.pages is not None):
        raise UsageError("--sheet and --pages apply to PDF playbooks only")
    if args.sheet and args.pages is not None:
        raise UsageError("choose either --sheet or --pages, not both")
    if args.pages is not None and args.pages < 1:
        raise UsageError("--pages needs a number of pages of at least 1")
    with Workbench.open(Path(args.file), readonly=True) as wb:
        if suffix == ".json":
            from workbench.exchange import interchange

            bar = Progress("Exporting")
            try:
                interchange.write_json(wb.read, out, bar)
            finally:
                bar.finish()
            _say(f"Exported {_clean(wb.info().name, FIELD_CHARS)} to {out}.")
            return 0
        try:
            from workbench import publish as playbook
        except ImportError:
            raise UsageError("playbooks are not available in this build") from None
        persona_ids, channels = _resolve_selection(wb, args.persona or [], args.channel or [])
        opts = playbook.PlaybookOptions(persona_ids=persona_ids, channel_names=channels,
                                        include_drafts=args.include_drafts,
                                        paper=args.paper or playbook.default_paper(),
                                        sheet=args.sheet, pages=args.pages)
        run = playbook.export_playbook(wb, out, opts)
        _drive(run, "Writing the playbook" if suffix != ".pdf" else "Printing playbook")
    summary = run.summary
    what = "the persona sheets" if args.sheet else "the playbook"
    _say(f"Wrote {what} to {out}" + (f" ({summary.headline.rstrip('.')})." if summary is not None else "."))
    for line in summary.notes if summary is not None else ():
        _say(f"note: {_clean(line, LINE_CHARS)}")
    for line in summary.warnings if summary is not None else ():
        _say(f"warning: {_clean(line, LINE_CHARS)}", err=True)
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
    _say(f"Imported {source} into {args.file}.")
    if report is not None:
        _say(report.summary())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from workbench.session import Workbench

    with Workbench.open(Path(args.file), readonly=True) as wb:
        found = wb.problems(fresh=True)
    from workbench.domain.values import problems_summary

    labels = {"breach": "lingo", "gap": "gap", "persona": "persona", "channel": "channel", "accepted": "accepted"}
    for p in found:
        _say(f"{labels.get(p.kind, p.kind):9} {_clean(p.text, LINE_CHARS - 10)}")
    if any(p.blocking for p in found):
        _say(f"{problems_summary(found)}.", err=True)
        return 1
    _say("No problems: no lingo breaches, no messages on avoided channels, no coverage gaps.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from workbench.domain.values import HIT_END, HIT_START
    from workbench.store.sqlite.reader import Reader

    query = " ".join(args.query)
    with Reader.open(Path(args.file)) as look:
        hits = look.search(query, limit=args.limit)
    tty = sys.stdout.isatty()
    on, off = ("\033[1m", "\033[0m") if tty else ("[", "]")
    for hit in hits:
        # Cleaned and bounded before the highlighting is added: the only escapes printed are ours.
        snippet = _clean(" ".join(hit.snippet.split()), FIELD_CHARS + 2).replace(HIT_START, on).replace(HIT_END, off)
        if snippet.count(on) > snippet.count(off):
            snippet += off
        print(f"{hit.kind:9} {_clean(hit.title, FIELD_CHARS)}\n          {snippet}")
    if not hits:
        _say(f"Nothing found for {query!r}.")
    return 0


def cmd_handoff(args: argparse.Namespace) -> int:
    from workbench.exchange.handoff import make_handoff
    from workbench.session import Workbench

    out = Path(args.output)
    # The real paths (links followed): writing the copy over the workbench itself would destroy it.
    if os.path.realpath(out) == os.path.realpath(args.file):
        raise UsageError("the hand-off copy must be a different file from the workbench")
    with Busy("Writing the hand-off copy"), Workbench.open(Path(args.file), readonly=True) as wb:
        summary = make_handoff(wb, out)
    _say(f"Wrote the hand-off copy to {out}: {_plural(summary['personas'], 'persona')}, "
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
    p = sub.add_parser("export", help="a PDF or HTML playbook, or a JSON document (format from -o's extension)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf|OUT.html|OUT.json")
    p.add_argument("--persona", action="append", metavar="NAME", help="only this persona (repeatable)")
    p.add_argument("--channel", action="append", metavar="NAME", help="only this channel (repeatable)")
    p.add_argument("--include-drafts", action="store_true", help="include drafts, marked DRAFT")
    p.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: from the locale)")
    p.add_argument("--sheet", action="store_true", help="one page per persona instead of the playbook (PDF)")
    p.add_argument("--pages", type=int, metavar="N",
                   help="a pocket playbook of at most N pages: the least essential parts go first (PDF)")
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
        from workbench.store.sqlite import storage

        # Nothing may stay pending after a command-line run (see storage.set_unattended).
        storage.set_unattended()
        status = HANDLERS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        # `persona-workbench info FILE | head`: the reader has what it wanted. End quietly, and point
        # stdout at nothing so the interpreter's last flush cannot complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # 128 + SIGPIPE, as any command killed by a closed pipe
    except UsageError as exc:
        _say(f"{PROG}: {_clean(exc, LINE_CHARS)}", err=True)
        return 2
    except errors.WorkbenchError as exc:
        _say(f"{PROG}: {_clean(exc, LINE_CHARS)}", err=True)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except MemoryError:
        print(f"{PROG}: not enough memory to finish.", file=sys.stderr)
        return 2
    except OSError as exc:
        _say(_clean(f"{PROG}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), LINE_CHARS), err=True)
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

"""What an export reports when it is done: pages, personas, messages, and any text it could not print.

A writer knows which characters it can draw (the PDF: the bundled fonts); the content model knows
where every printed text comes from. :func:`unprintable` puts the two together, so text that cannot be
printed is reported by field and character rather than silently lost. :class:`ExportRun` is the
export's generator with its :class:`ExportSummary` kept where a ``for`` loop can find it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from workbench.publish.contents import Playbook

#: Characters shown per field in a warning (the count says how many there were).
SHOWN_CHARACTERS = 8
#: Fields listed one by one in :attr:`ExportSummary.warnings`; the rest are counted.
SHOWN_FIELDS = 20


@dataclass(frozen=True)
class Unprintable:
    """Characters of one field that no font can show (left out of the document)."""

    where: str
    characters: str  # distinct, in the order they first appear

    def __str__(self) -> str:
        chars = self.characters[:SHOWN_CHARACTERS]
        codes = ", ".join(f"U+{ord(c):04X}" for c in chars)
        more = f" and {len(self.characters) - len(chars)} more" if len(self.characters) > len(chars) else ""
        n = len(self.characters)
        return (f"{self.where}: {n} character{'s' if n != 1 else ''} could not be printed and "
                f"{'were' if n != 1 else 'was'} left out — {' '.join(chars)} ({codes}{more})")


@dataclass(frozen=True)
class ExportSummary:
    """The outcome of an export, for the command line and the app to show.

    ``kind`` is ``"playbook"``, ``"sheet"`` (one page per persona) or ``"html"`` (``pages`` is 0: a web
    page has none). ``left_out`` names what a page budget dropped (``"the cover"``, ``"the retention
    stage"``); ``shortened`` has one line per persona whose sheet was shortened to fit.
    """

    path: Path
    pages: int
    personas: int
    messages: int
    unprintable: tuple[Unprintable, ...] = ()
    kind: str = "playbook"
    left_out: tuple[str, ...] = ()
    shortened: tuple[str, ...] = ()

    @property
    def headline(self) -> str:
        """``12 pages: 3 personas, 14 messages.`` — plus what was left out or shortened to fit."""
        counts = (f"{self.personas} persona{'s' if self.personas != 1 else ''}, "
                  f"{self.messages} message{'s' if self.messages != 1 else ''}")
        if self.kind == "html":
            line = f"an HTML page: {counts}"
        elif self.kind == "sheet":
            line = f"{self.pages} one-page sheet{'s' if self.pages != 1 else ''}: {counts}"
        else:
            line = f"{self.pages} page{'s' if self.pages != 1 else ''}: {counts}"
        if self.left_out:
            line += "; left out to fit: " + _and(self.left_out)
        if self.shortened:
            n = len(self.shortened)
            line += f"; shortened to fit on {n} sheet{'s' if n != 1 else ''}"
        return line + "."

    @property
    def notes(self) -> tuple[str, ...]:
        """What was shortened to fit, one line per persona (at most :data:`SHOWN_FIELDS` lines)."""
        lines = list(self.shortened[:SHOWN_FIELDS])
        rest = len(self.shortened) - SHOWN_FIELDS
        if rest > 0:
            lines.append(f"… and {rest} more sheet{'s' if rest != 1 else ''} shortened to fit.")
        return tuple(lines)

    @property
    def warnings(self) -> tuple[str, ...]:
        """One line per field with text that could not be printed (at most :data:`SHOWN_FIELDS`)."""
        lines = [str(u) for u in self.unprintable[:SHOWN_FIELDS]]
        rest = len(self.unprintable) - SHOWN_FIELDS
        if rest > 0:
            lines.append(f"… and {rest} more field{'s' if rest != 1 else ''} with characters that could not be printed.")
        return tuple(lines)


def _ignorable(ch: str) -> bool:
    """Characters that never show by themselves: spaces, joiners, variation selectors, skin tones, tags."""
    cp = ord(ch)
    return (ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Zl", "Zp")
            or 0xFE00 <= cp <= 0xFE0F or 0xE0000 <= cp <= 0xE01EF or 0x1F3FB <= cp <= 0x1F3FF)


def unprintable(playbook: Playbook, missing: Callable[[str], str]) -> tuple[Unprintable, ...]:
    """Every field with characters the writer cannot draw. ``missing(text)`` returns those characters."""
    found: dict[str, list[str]] = {}
    for where, text in playbook.texts():
        if not text or text.isascii():
            continue
        lost = [ch for ch in missing(text) if not _ignorable(ch)]
        if lost:
            bucket = found.setdefault(where, [])
            bucket.extend(ch for ch in lost if ch not in bucket)
    return tuple(Unprintable(where, "".join(chars)) for where, chars in found.items())


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summarise(playbook: Playbook, path: Path, pages: int, missing: Callable[[str], str] | None, *,
              kind: str = "playbook", shortened: tuple[str, ...] = ()) -> ExportSummary:
    """The summary of a finished export (``missing`` None: the writer cannot tell, e.g. a browser)."""
    messages = sum(1 for s in playbook.personas for _ in s.messages)
    lost = unprintable(playbook, missing) if missing is not None else ()
    return ExportSummary(path, pages, len(playbook.personas), messages, lost, kind=kind,
                         left_out=playbook.left_out, shortened=shortened)


class ExportRun(Generator[tuple[int, int], None, ExportSummary]):
    """An export in progress: iterate it for ``(done, total)``; afterwards :attr:`summary` says how it went.

    It is the export's own generator (``close()`` cancels and leaves no file; ``yield from`` returns
    the summary) with the summary kept, because a ``for`` loop drops a generator's return value.
    """

    def __init__(self, steps: Generator[tuple[int, int], None, ExportSummary]) -> None:
        self._steps = steps
        #: Set when the export has finished and the file is in place.
        self.summary: ExportSummary | None = None

    def __iter__(self) -> ExportRun:
        return self

    def send(self, value: None) -> tuple[int, int]:
        """Advance the export by one step."""
        try:
            return self._steps.send(value)
        except StopIteration as done:
            self.summary = done.value
            raise

    def throw(self, typ: Any = None, value: Any = None, tb: TracebackType | None = None) -> tuple[int, int]:
        """Raise inside the export (its cleanup runs)."""
        try:
            return self._steps.throw(typ, value, tb) if value is not None or tb is not None \
                else self._steps.throw(typ)
        except StopIteration as done:
            self.summary = done.value
            raise

    def close(self) -> None:
        """Cancel: the half-written file is removed."""
        self._steps.close()

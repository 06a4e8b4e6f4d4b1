"""The PDF playbook: what a sales rep prints — cover, contents, narrative, personas, lingo.

Public API (what the CLI and the app call)::

    opts = PlaybookOptions(persona_ids=None, channel_names=None, include_drafts=False, paper="a4")
    for done, total in export_playbook(wb, "out.pdf", opts):
        ...  # progress; stop iterating (close the generator) to cancel: no file is left behind

reportlab is imported only when a playbook is actually exported, so importing this package (and the
rest of the core) stays cheap.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.session import Workbench

PAPERS: tuple[str, ...] = ("a4", "letter")

#: Territories whose paper is US Letter (ISO 3166 codes as they appear in locale names).
_LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PR", "SV", "PA",
                                 "DO", "NI", "HN", "BZ"})


@dataclass(frozen=True)
class PlaybookOptions:
    """What to print.

    ``persona_ids``: None for every persona (approved ones, plus drafts with ``include_drafts``);
    ``channel_names``: None for every channel; ``include_drafts`` prints draft personas and working
    text, marked DRAFT, with a watermark on every page; ``paper``: ``"a4"`` or ``"letter"``;
    ``title``: the PDF title (default: the workbench's name). ``invariant`` makes the output
    byte-for-byte reproducible (tests); ``export_date`` overrides today's date on the cover and footers.
    """

    persona_ids: Sequence[str] | None = None
    channel_names: Sequence[str] | None = None
    include_drafts: bool = False
    paper: str = "a4"
    title: str | None = None
    invariant: bool = False
    export_date: date | None = None


def default_paper(environ: dict[str, str] | None = None) -> str:
    """``"letter"`` where the locale says US or Canada (and the other Letter countries), else ``"a4"``.

    Reads ``LC_ALL``, ``LC_PAPER`` and ``LANG`` (in that order) and falls back to Python's locale.
    """
    env = os.environ if environ is None else environ
    value = ""
    for name in ("LC_ALL", "LC_PAPER", "LANG"):
        if env.get(name):
            value = env[name]
            break
    if not value and environ is None:
        try:
            value = locale.getlocale()[0] or ""
        except ValueError:
            value = ""
    territory = value.split(".", 1)[0].split("@", 1)[0]
    if "_" in territory:
        code = territory.rsplit("_", 1)[1].upper()
        if code in _LETTER_TERRITORIES:
            return "letter"
    return "a4"


def export_playbook(wb: Workbench, out: str | Path, opts: PlaybookOptions | None = None) -> Iterator[tuple[int, int]]:
    """Write the playbook PDF to ``out``, yielding ``(done, total)`` as it goes.

    The file appears only when everything succeeded (written beside ``out``, then renamed over it).
    Closing the generator early cancels: neither ``out`` nor a temporary file remains. Raises
    :class:`workbench.domain.errors.ValidationError` for an unknown persona id, channel name or paper, and
    :class:`workbench.domain.errors.CouldNotSave` when the file cannot be written.
    """
    from workbench.publish.pdf.export import run

    return run(wb, Path(out), opts or PlaybookOptions())


__all__ = ["PAPERS", "PlaybookOptions", "default_paper", "export_playbook"]

"""What the person exporting chose: personas, channels, drafts, paper, sheet or page budget — and the
paper a locale expects."""

from __future__ import annotations

import locale
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
    ``title``: the PDF title (default: the workbench's name, plus "Persona playbook" unless the name
    already says playbook). ``invariant`` makes the output byte-for-byte reproducible (tests);
    ``export_date`` overrides today's date on the cover and footers.

    ``sheet`` prints one page per persona instead of the playbook (PDF only): what does not fit is
    shortened with "…" and listed in the summary. ``pages`` is a page budget for a pocket playbook
    (PDF only): the cover, contents, narrative and lingo are left out first, then the later buying
    stages, until it fits. ``preview_pages`` stops laying out after that many pages — a quick partial
    PDF for a live preview (its footers then say "page X" without a total).
    """

    persona_ids: Sequence[str] | None = None
    channel_names: Sequence[str] | None = None
    include_drafts: bool = False
    paper: str = "a4"
    title: str | None = None
    invariant: bool = False
    export_date: date | None = None
    sheet: bool = False
    pages: int | None = None
    preview_pages: int | None = None


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

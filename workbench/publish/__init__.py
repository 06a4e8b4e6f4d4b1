"""The playbook: what a sales rep prints — cover, contents, narrative, personas, lingo.

``contents`` decides what a playbook contains (format-independent), ``sheet`` what a one-page
persona sheet shows and ``budget`` what a page budget leaves out; ``pdf`` lays it out with reportlab
and ``html`` as one offline web page; ``preview`` renders a produced PDF's pages to images. Public API
(what the CLI and the app call)::

    opts = PlaybookOptions(persona_ids=None, channel_names=None, include_drafts=False, paper="a4")
    run = export_playbook(wb, "out.pdf", opts)
    for done, total in run:
        ...  # progress; stop iterating and close it to cancel: no file is left behind
    run.summary.headline, run.summary.warnings  # pages, and text that could not be printed

reportlab is imported only when a playbook is actually exported, so importing this package (and the
rest of the core) stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.publish.options import PAPERS, PlaybookOptions, default_paper
from workbench.publish.summary import ExportRun, ExportSummary, Unprintable

if TYPE_CHECKING:
    from workbench.session import Workbench


#: File name endings written as an offline HTML page; anything else is a PDF.
HTML_SUFFIXES = (".html", ".htm")


def export_playbook(wb: Workbench, out: str | Path, opts: PlaybookOptions | None = None) -> ExportRun:
    """Write the playbook to ``out`` — an HTML page when it ends in ``.html``/``.htm``, else a PDF
    (the playbook, one-page sheets with ``opts.sheet``, or a pocket playbook with ``opts.pages``);
    iterate the result for ``(done, total)``.

    The file appears only when everything succeeded (written beside ``out``, then renamed over it).
    Closing the run early cancels: neither ``out`` nor a temporary file remains. When iteration ends,
    ``summary`` holds the page count, what a budget left out or a sheet shortened, and every field
    whose characters could not be printed. Raises :class:`workbench.domain.errors.ValidationError`
    for an unknown persona id, channel name or paper, options the format cannot honour, or a budget
    too small for the personas' essentials; :class:`workbench.domain.errors.CouldNotSave` when the
    file cannot be written.
    """
    from workbench.store.sqlite import outputs

    # A held workbench, a read-only file or a link: refused or resolved before any work is done.
    path = outputs.prepare_output(Path(out))
    if path.suffix.lower() in HTML_SUFFIXES:
        from workbench.publish.html.export import run as html_run

        return ExportRun(html_run(wb, path, opts or PlaybookOptions()))
    from workbench.publish.pdf.export import run

    return ExportRun(run(wb, path, opts or PlaybookOptions()))


__all__ = ["HTML_SUFFIXES", "PAPERS", "ExportRun", "ExportSummary", "PlaybookOptions", "Unprintable",
           "default_paper", "export_playbook"]

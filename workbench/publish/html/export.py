"""The HTML export generator: build the content model, write the page piece by piece, rename it into place."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain import errors
from workbench.publish import contents, files
from workbench.publish.html.page import document
from workbench.publish.options import PlaybookOptions
from workbench.publish.summary import ExportSummary, summarise

if TYPE_CHECKING:
    from workbench.session import Workbench


def check(opts: PlaybookOptions) -> None:
    """Raise ValidationError for options that only a PDF has."""
    if opts.sheet:
        raise errors.ValidationError("The one-page sheet is a PDF: export it to a .pdf file.")
    if opts.pages is not None:
        raise errors.ValidationError("A page budget applies to PDF playbooks: a web page has no pages.")


def run(wb: Workbench, out: Path, opts: PlaybookOptions) -> Generator[tuple[int, int], None, ExportSummary]:
    """The generator behind :func:`workbench.publish.export_playbook` for ``.html``; returns the summary.

    Progress: each persona read, then each persona written, plus the front matter and the finish.
    """
    check(opts)
    building = contents.build_steps(wb, opts)
    while True:
        try:
            done, count = next(building)
        except StopIteration as finished:
            book: contents.Playbook = finished.value
            break
        yield done, 2 * count + 3
    count = len(book.personas)
    total = 2 * count + 3
    with files.replacing(out) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for k, piece in enumerate(document(book, wb.portrait)):
            fh.write(piece)
            yield min(count + 1 + k, total - 1), total
    yield total, total
    return summarise(book, out, 0, None, kind="html")

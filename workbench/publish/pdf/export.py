"""The export generator: build the content model, lay it out persona by persona, write atomically.

Three ways to print the same model: the playbook streamed to disk persona by persona (any size, in
bounded memory); a pocket playbook under a page budget (laid out in memory, smaller and smaller
until it fits — see :mod:`workbench.publish.budget`); and one-page sheets (:mod:`.sheet`).
"""

from __future__ import annotations

import io
from collections.abc import Generator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from workbench.domain import errors
from workbench.publish import budget, contents, files
from workbench.publish.options import PAPERS, PlaybookOptions
from workbench.publish.pdf import fonts, front, styles
from workbench.publish.pdf.document import Meta, PlaybookDoc
from workbench.publish.pdf.persona import PersonaPages
from workbench.publish.summary import ExportSummary, summarise

if TYPE_CHECKING:
    from workbench.session import Workbench

#: The largest page budget accepted (a budget is for pocket playbooks; beyond this, leave it out).
MAX_BUDGET = 10_000


def check(opts: PlaybookOptions) -> None:
    """Raise ValidationError for options no PDF can honour."""
    if opts.paper not in PAPERS:
        raise errors.ValidationError(f"Paper is one of {', '.join(PAPERS)}, not {opts.paper!r}.")
    if opts.pages is not None and not 1 <= opts.pages <= MAX_BUDGET:
        raise errors.ValidationError(f"A page budget is a number of pages from 1 to {MAX_BUDGET:,}, not {opts.pages}.")
    if opts.pages is not None and opts.sheet:
        raise errors.ValidationError("A page budget does not apply to one-page sheets (each persona is one page).")
    if opts.preview_pages is not None and opts.preview_pages < 1:
        raise errors.ValidationError("A preview shows at least one page.")


def build(wb: Workbench, opts: PlaybookOptions) -> Generator[tuple[int, int], None, contents.Playbook]:
    """Build the content model, yielding ``(done, total)`` where total counts every later step too:
    each persona twice (read, then laid out), the front matter, the lingo and writing the file."""
    building = contents.build_steps(wb, opts)
    while True:
        try:
            done, count = next(building)
        except StopIteration as finished:
            book: contents.Playbook = finished.value
            return book
        yield done, 2 * count + 3


def run(wb: Workbench, out: Path, opts: PlaybookOptions) -> Generator[tuple[int, int], None, ExportSummary]:
    """The generator behind :func:`workbench.publish.export_playbook` for a PDF; returns the summary."""
    check(opts)
    book = yield from build(wb, opts)
    if opts.sheet:
        from workbench.publish.pdf import sheet

        return (yield from sheet.write(wb, out, book, opts))
    if opts.pages is not None:
        return (yield from _within_budget(wb, out, book, opts, opts.pages))
    return (yield from _streamed(wb, out, book, opts))


def _doc(target: str | IO[bytes], book: contents.Playbook, opts: PlaybookOptions) -> PlaybookDoc:
    m = book.metadata
    meta = Meta(title=m.title, author=m.author, subject=m.subject, workbench_name=book.workbench_name[:300],
                date_label=book.footer, draft=book.draft)
    doc = PlaybookDoc(target, styles.stylesheet(opts.paper), meta, invariant=opts.invariant)
    doc.partial = opts.preview_pages is not None
    return doc


def lay_out(doc: PlaybookDoc, wb: Workbench, book: contents.Playbook,
            preview_pages: int | None = None) -> Generator[int, None, None]:
    """Feed the whole playbook to ``doc``, yielding after the front matter, each persona and the lingo
    (the number of steps done). With ``preview_pages``, stops once that many pages are laid out."""
    sheet = doc.sheet
    doc.begin(cover=book.cover is not None)
    flow = front.cover(sheet, book.cover, logo=book.logo, draft=book.draft) if book.cover is not None else []
    if book.contents:
        flow += front.contents(sheet, book.contents)
    if book.narrative:
        flow += front.narrative(sheet, book.narrative)
    doc.feed(flow)
    yield 1

    pages = PersonaPages(sheet)
    for n, section in enumerate(book.personas, start=1):
        if preview_pages is not None and doc.canv.getPageNumber() > preview_pages:
            return
        # One persona at a time: its portrait and flowables are dropped once laid out.
        portrait = wb.portrait(section.portrait_id) if section.portrait_id else None
        doc.feed(pages.build(section, portrait))
        yield 1 + n
    if book.lingo is not None and (preview_pages is None or doc.canv.getPageNumber() <= preview_pages):
        doc.feed(front.lingo(sheet, book.lingo))
    yield len(book.personas) + 2


def _streamed(wb: Workbench, out: Path, book: contents.Playbook,
              opts: PlaybookOptions) -> Generator[tuple[int, int], None, ExportSummary]:
    """Lay out straight into a temporary file beside ``out`` (memory stays bounded), then rename it."""
    count = len(book.personas)
    total = 2 * count + 3
    with files.replacing(out) as tmp:
        doc = _doc(str(tmp), book, opts)
        for step in lay_out(doc, wb, book, opts.preview_pages):
            yield count + step, total
        doc.finish()
    yield total, total
    return summarise(book, out, doc.page_count, fonts.missing)


def _within_budget(wb: Workbench, out: Path, book: contents.Playbook, opts: PlaybookOptions,
                   budget_pages: int) -> Generator[tuple[int, int], None, ExportSummary]:
    """Lay out smaller and smaller playbooks in memory until one fits ``budget_pages``; write that one.

    A pocket playbook is small, so holding it in memory is cheap; each try is one layout pass.
    """
    count = len(book.personas)
    total = 2 * count + 3
    needed = 0
    first = True
    for candidate in budget.trimmed(book):
        buffer = io.BytesIO()
        doc = _doc(buffer, candidate, opts)
        for step in lay_out(doc, wb, candidate):
            yield (count + step if first else total - 1), total
        first = False
        doc.finish()
        needed = doc.page_count
        if needed <= budget_pages:
            with files.replacing(out) as tmp:
                tmp.write_bytes(buffer.getvalue())
            yield total, total
            return summarise(candidate, out, needed, fonts.missing)
    personas = f"{count} persona{'s' if count != 1 else ''}"
    raise errors.ValidationError(
        f"{budget_pages} page{'s are' if budget_pages != 1 else ' is'} too few for {personas}: even without "
        f"the cover, contents, narrative, lingo and messages, the essentials take {needed} pages. "
        "Allow more pages or choose fewer personas.")

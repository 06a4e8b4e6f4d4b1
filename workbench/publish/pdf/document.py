"""The playbook's page machinery: templates, running header and footer, watermark, and one-pass layout.

The document is laid out exactly once. Numbers that are only known at the end — "page X of Y" in
every footer and the page of each contents entry — are drawn as references to PDF form XObjects that
are defined after the last page (a PDF may use a form before defining it). So a clickable contents
page with page numbers costs nothing extra, instead of reportlab's usual three ``multiBuild`` passes.
Each page's footer label is its own small form, drawn right-aligned at the margin once the total —
and so the label's width — is known.

Bookmarks are made by the flowable they point at (:class:`Anchored` wraps a heading), so a heading
that moves to the next page takes its bookmark along; the document opens with the bookmarks panel.

Flowables are fed in chunks (one persona at a time) through :meth:`PlaybookDoc.feed`, so the caller
can report progress, cancel between chunks, and never holds every persona's flowables and images.

Sections begin with :class:`SectionStart` rather than a bare page break: on a new page, unless the
page so far holds so little that starting there leaves no near-empty page behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, PageTemplate, Paragraph

from workbench.publish.pdf import fonts
from workbench.publish.pdf.breaking import KeepWithFirstLines
from workbench.publish.pdf.styles import COVER, DRAFT, MUTED, RULE, Stylesheet, color
from workbench.publish.pdf.text import para

FOOTER_FORM = "pwFoot{}"


@dataclass(frozen=True)
class Meta:
    """What the page furniture and the PDF's metadata say."""

    title: str
    author: str
    subject: str
    workbench_name: str
    date_label: str
    draft: bool


class PlaybookDoc(BaseDocTemplate):  # type: ignore[misc]
    """A BaseDocTemplate driven chunk by chunk, with header/footer/watermark and late-bound numbers."""

    def __init__(self, filename: str | IO[bytes], sheet: Stylesheet, meta: Meta, *, invariant: bool) -> None:
        g = sheet.geometry
        super().__init__(
            filename, pagesize=(g.width, g.height), leftMargin=g.left, rightMargin=g.right,
            topMargin=g.top, bottomMargin=g.bottom, title=meta.title, author=meta.author,
            subject=meta.subject, creator="Persona Workbench", producer="Persona Workbench (reportlab)",
            keywords=["persona", "playbook"], invariant=1 if invariant else 0, pageCompression=1,
            initialFontName=fonts.SANS, initialFontSize=9, initialLeading=12, lang="en",
        )
        self.keepTogetherClass = KeepWithFirstLines
        self.sheet = sheet
        self.meta = meta
        #: Page number of each anchor key, filled in as anchors are drawn.
        self.anchor_pages: dict[str, int] = {}
        #: Forms that show an anchor's page number (contents rows), defined at the end.
        self.page_forms: dict[str, str] = {}
        self.running_title = ""
        self._form_style: dict[str, tuple[float, str]] = {}
        #: Pages whose footer shows "page X of Y" (the forms are defined at the end).
        self.footer_pages: list[int] = []
        #: The number of pages, once :meth:`finish` has run.
        self.page_count = 0
        #: A partial document (a preview's first pages): footers show "page X" without a total.
        self.partial = False
        self._header_cache: dict[str, Paragraph] = {}
        self._footer_left: Paragraph | None = None
        frame = Frame(g.left, g.bottom, g.frame_width, g.frame_height, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        band = g.height * 0.52
        cover_top = Frame(g.left, g.height - band + 18, g.frame_width, band - 18 - 30, id="cover_band",
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_bottom = Frame(g.left, g.bottom, g.frame_width, g.height - band - g.bottom - 26,
                             id="cover_rest", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.cover_band_height = band
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[cover_top, cover_bottom], onPage=self._cover_background,
                         onPageEnd=self._cover_end, autoNextPageTemplate="body"),
            PageTemplate(id="body", frames=[frame], onPageEnd=self._page_end),
        ])

    # --- driving -------------------------------------------------------------------------------

    def begin(self, *, cover: bool = True) -> None:
        """Start the build (creates the canvas; nothing is written to disk until :meth:`finish`).
        ``cover=False`` starts on a body page (a pocket playbook without its cover)."""
        self._doSave = 0
        self._firstPageTemplateIndex = 0 if cover else 1
        self._startBuild(self.filename)
        self.canv._doctemplate = self
        self.canv.showOutline()  # open with the bookmarks panel (PageMode /UseOutlines)

    def feed(self, flowables: list[Flowable]) -> None:
        """Lay out a chunk of flowables (the list is consumed)."""
        while flowables:
            self.clean_hanging()
            self.handle_flowable(flowables)

    def finish(self) -> None:
        """End the last page, define the late-bound number forms, and write the file."""
        self._endBuild()
        canv = self.canv
        total = max(canv.getPageNumber() - 1, 1)
        self.page_count = total
        for page in self.footer_pages:
            label = f"page {page}" if self.partial else f"page {page} of {total}"
            self._number_form(FOOTER_FORM.format(page), label, font=fonts.SANS, size=7, colour=MUTED)
        for key, form in self.page_forms.items():
            target = self.anchor_pages.get(key)
            size, colour = self._form_style.get(form, (10, MUTED))
            self._number_form(form, str(target) if target else "–", font=fonts.SANS_BOLD, size=size, colour=colour)
        del canv._doctemplate
        canv.save()

    def _number_form(self, name: str, text: str, *, font: str, size: float, colour: str) -> None:
        """A form that draws ``text`` ending at its origin (right-aligned wherever it is placed)."""
        canv = self.canv
        canv.beginForm(name, lowerx=-160, lowery=-4, upperx=4, uppery=16)
        canv.setFont(font, size)
        canv.setFillColor(color(colour))
        canv.drawRightString(0, 0, text)
        canv.endForm()

    def page_number_form(self, key: str, *, size: float, colour: str) -> str:
        """The name of a form that will show ``key``'s page number (for the contents)."""
        name = self.page_forms.get(key)
        if name is None:
            name = f"pwPage{len(self.page_forms)}"
            self.page_forms[key] = name
            self._form_style[name] = (size, colour)
        return name

    # --- page furniture --------------------------------------------------------------------------

    def _cover_background(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        g = self.sheet.geometry
        canv.saveState()
        canv.setFillColor(color(COVER))
        canv.rect(0, g.height - self.cover_band_height, g.width, self.cover_band_height, stroke=0, fill=1)
        canv.setFillColor(color("#b8572a"))
        canv.rect(0, g.height - self.cover_band_height - 5, g.width, 5, stroke=0, fill=1)
        canv.restoreState()

    def _cover_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._watermark(canv)

    def _page_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        g = self.sheet.geometry
        canv.saveState()
        # Header: the running title (persona or section) left, the playbook's name right, a hairline.
        y = g.height - g.top + 22
        title = self._header(self.running_title, "header")
        w, h = title.wrap(g.frame_width * 0.62, 20)
        title.drawOn(canv, g.left, y)
        right = self._header(self.meta.workbench_name, "header_right")
        right.wrap(g.frame_width * 0.36, 20)
        right.drawOn(canv, g.left + g.frame_width * 0.64, y)
        canv.setStrokeColor(color(RULE))
        canv.setLineWidth(0.6)
        canv.line(g.left, y - 5, g.width - g.right, y - 5)
        # Footer: workbench name and date left, "page X of Y" right, ending at the margin like the header.
        fy = g.bottom - 24
        canv.line(g.left, fy + 12, g.width - g.right, fy + 12)
        if self._footer_left is None:
            name = " ".join(self.meta.workbench_name.split())
            name = name if len(name) <= 50 else name[:49].rstrip() + "…"
            self._footer_left = para(self.sheet, f"{name}  ·  {self.meta.date_label}", "footer")
            self._footer_left.wrap(g.frame_width * 0.7, 20)
        self._footer_left.drawOn(canv, g.left, fy)
        page = canv.getPageNumber()
        self.footer_pages.append(page)
        canv.translate(g.width - g.right, fy + 2)
        canv.doForm(FOOTER_FORM.format(page))
        canv.restoreState()
        self._watermark(canv)

    def _header(self, text: str, style: str) -> Paragraph:
        found = self._header_cache.get(style + "\0" + text)
        if found is None:
            limit = 80 if style == "header" else 56
            one_line = " ".join(text.split())
            if len(one_line) > limit:
                one_line = one_line[:limit - 1].rstrip() + "…"
            found = para(self.sheet, one_line, style)
            if len(self._header_cache) > 64:
                self._header_cache.clear()
            self._header_cache[style + "\0" + text] = found
        return found

    def _watermark(self, canv: Canvas) -> None:
        if not self.meta.draft:
            return
        g = self.sheet.geometry
        canv.saveState()
        canv.setFillColor(color(DRAFT))
        canv.setFillAlpha(0.11)
        canv.translate(g.width / 2, g.height / 2)
        canv.rotate(52)
        canv.setFont(fonts.SANS_BOLD, min(g.width, g.height) * 0.24)
        canv.drawCentredString(0, -g.width * 0.07, "DRAFT")
        canv.restoreState()


class SectionStart(Flowable):  # type: ignore[misc]
    """Where a section begins: on a new page — unless at least ``min_free`` points of the page are
    still free, when it begins on this page after a gap and a rule. At the top of a page it is nothing.

    ``min_free`` beyond the page's height means "always a new page" (but never an empty one, as a
    bare page break at the top of a page would make).
    """

    locChanger = 1

    def __init__(self, min_free: float, gap: float = 26) -> None:
        super().__init__()
        self.min_free = min_free
        self.gap = gap
        self._used = 0.0
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Nothing at a page's top; a page break when too little is free; else the gap."""
        frame = self._doctemplateAttr("frame")
        self._used = 0.0
        if frame is None or frame._atTop:
            return 0, 0
        if available_height < self.min_free:
            frame.add_generated_content(FrameBreak)
            return 0, 0
        self.width = available_width
        self._used = self.gap
        return available_width, self.gap

    def draw(self) -> None:
        """A rule in the middle of the gap, when the section shares the page."""
        if self._used:
            self.canv.setStrokeColor(color(RULE))
            self.canv.setLineWidth(0.8)
            self.canv.line(0, self._used / 2, self.width, self._used / 2)


def _mark(canv: Canvas, key: str, title: str, level: int, running: str | None, top: float) -> None:
    """Record the page, add the bookmark (pointing ``top`` points above the origin), set the header."""
    doc = getattr(canv, "_doctemplate", None)
    canv.bookmarkHorizontal(key, 0, top)
    # Outline titles are shown by the PDF viewer with its own fonts: any script is fine there.
    outline = " ".join(fonts.clean(title).split())[:200] or "—"
    canv.addOutlineEntry(outline, key, level=level, closed=True)
    if doc is not None:
        doc.anchor_pages[key] = canv.getPageNumber()
        if running is not None:
            doc.running_title = running


class Anchor(Flowable):  # type: ignore[misc]
    """A zero-size mark: a bookmark (outline entry), a link target and the running header's title.

    Only for the start of a page (after a page break); a heading carries its own (:class:`Anchored`).
    """

    _ZEROSIZE = 1  # drawn inside containers too (a shrunk lingo), which skip zero-height flowables

    def __init__(self, key: str, title: str, level: int = 0, *, running: str | None = None) -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.level = level
        self.running = running

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """No size."""
        return 0, 0

    def draw(self) -> None:
        """Record the page, add the bookmark and set the header title."""
        _mark(self.canv, self.key, self.title, self.level, self.running, 12)


class Anchored(Flowable):  # type: ignore[misc]
    """A flowable (a section heading) that is itself the bookmark's target: where it is drawn, the
    bookmark points — also when keep-with-next moved it to the next page."""

    def __init__(self, inner: Flowable, key: str, title: str, level: int = 1) -> None:
        super().__init__()
        self.inner = inner
        self.key = key
        self.title = title
        self.level = level
        self.width = self.height = 0.0

    def getKeepWithNext(self) -> bool:  # noqa: N802 - reportlab's name
        """As the heading inside — unless the document has already grouped it with what follows
        (reportlab then sets ``keepWithNext = 0`` on the flowable itself)."""
        if "keepWithNext" in self.__dict__:
            return bool(self.__dict__["keepWithNext"])
        return bool(self.inner.getKeepWithNext())

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        """As the heading inside."""
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        """As the heading inside."""
        return float(self.inner.getSpaceAfter())

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The heading's size."""
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Split the heading; the bookmark stays with its first part."""
        parts = self.inner.split(available_width, available_height)
        if not parts:
            return []
        return [Anchored(parts[0], self.key, self.title, self.level), *parts[1:]]

    def draw(self) -> None:
        """Bookmark at the heading's top, then the heading."""
        _mark(self.canv, self.key, self.title, self.level, None, self.height)
        self.inner.drawOn(self.canv, 0, 0)


class TocRow(Flowable):  # type: ignore[misc]
    """A contents row: title (and a second line) left, the late-bound page number right, all clickable."""

    def __init__(self, key: str, title: Paragraph, sub: Paragraph | None, *, indent: float = 0,
                 number_size: float = 10, number_colour: str = "#1f6f6b") -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.sub = sub
        self.indent = indent
        self.number_size = number_size
        self.number_colour = number_colour
        self._heights = (0.0, 0.0)
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Title and subtitle wrapped beside a fixed-width number column."""
        self.width = available_width
        text_w = available_width - self.indent - 50
        _, th = self.title.wrap(text_w, available_height)
        sh = self.sub.wrap(text_w, available_height)[1] if self.sub is not None else 0.0
        self._heights = (th, sh)
        return available_width, th + sh + 11

    def draw(self) -> None:
        """Draw the row, its number form and the link rectangle."""
        canv = self.canv
        th, sh = self._heights
        height = th + sh + 11
        self.title.drawOn(canv, self.indent, height - 5 - th)
        if self.sub is not None:
            self.sub.drawOn(canv, self.indent, height - 5 - th - sh)
        doc = canv._doctemplate
        form = doc.page_number_form(self.key, size=self.number_size, colour=self.number_colour)
        canv.saveState()
        canv.translate(self.width, height - 5 - th + 3)
        canv.doForm(form)
        canv.restoreState()
        canv.setStrokeColor(color(RULE))
        canv.setLineWidth(0.5)
        canv.line(self.indent, 0, self.width, 0)
        if not doc.partial:  # a preview may stop before the section: no link to a missing target
            canv.linkRect("", self.key, (0, 0, self.width, height), relative=1, thickness=0)

"""A safe live markdown preview: user text in, sanitised rich text out, nothing fetched or followed.

Markdown in a workbench comes from files people email around, so the preview treats it as untrusted:
raw HTML is shown as text (python-markdown's HTML passes are switched off), images become their alt
text, the output goes through nh3 with a small allowlist (http/https/mailto links only, relative URLs
dropped), ``loadResource`` returns nothing (no local file is read, nothing remote is fetched), and a
link click opens the browser only after a confirmation showing the full address.

python-markdown has super-linear corners (PLATFORM.md: ``'[a' * 10000`` takes ~28 s, 1,000 nested
lists raise RecursionError), so :func:`bound_markdown` caps size, indentation, quote depth and block
length, and hides brackets that cannot start a link behind a placeholder restored after rendering.
Rendering runs off a short debounce timer, never per keystroke.
"""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QWidget

#: Only this much of a text is previewed; the rest is summarised in a note.
MAX_PREVIEW_CHARS = 60_000
#: …and only this many lines (each block costs python-markdown ~50 µs of fixed work).
MAX_PREVIEW_LINES = 3_000
#: Leading indentation beyond this many columns adds no further nesting.
MAX_INDENT = 24
#: Block-quote markers beyond this many at the start of a line are dropped.
MAX_QUOTE_DEPTH = 6
#: A paragraph longer than this is cut into pieces so inline parsing stays linear.
MAX_BLOCK_CHARS = 4_000
#: Debounce before re-rendering after the text changed (ms); longer for long texts.
RENDER_DELAY_MS = 150

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
         "blockquote", "ul", "ol", "li", "a", "span", "table", "thead", "tbody", "tr", "th", "td", "del"}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
#: Stands in for a ``[`` that cannot open a link; restored after rendering. Private-use character.
_BRACKET = "\ue000"
_LEAD = re.compile(r"^[ \t>]+", re.MULTILINE)
_BLANK_SPLIT = re.compile(r"(\n[ \t]*\n)")
_LINK_START = re.compile(
    r"!?\[[^\[\]\n]{0,500}\]"                           # [text]
    r"(?:\(\s*<?[^()\s<>]{0,2000}>?(?:\s+\"[^\"\n]{0,200}\")?\s*\)"  # (url "title")
    r"|\[[^\[\]\n]{0,200}\])?")                        # [ref] (or nothing: a shortcut reference)
_REF_DEF = re.compile(r"^ {0,3}\[([^\[\]\n]{1,200})\]:[ \t]*\S+", re.MULTILINE)


def _cap_leading(match: re.Match[str]) -> str:
    """Limit a line's quote depth and indentation: deeper nesting renders at the deepest level."""
    lead = match.group(0).expandtabs(4)
    quotes = lead.count(">")
    indent = lead.rsplit(">", 1)[-1] if quotes else lead
    if quotes <= MAX_QUOTE_DEPTH and len(indent) <= MAX_INDENT:
        return lead
    return "> " * min(quotes, MAX_QUOTE_DEPTH) + indent[:MAX_INDENT]


def _split_long(block: str) -> list[str]:
    """Cut a too-long block into pieces, at line ends where possible."""
    pieces: list[str] = []
    while len(block) > MAX_BLOCK_CHARS:
        cut = block.rfind("\n", 0, MAX_BLOCK_CHARS)
        if cut <= 0:
            cut = MAX_BLOCK_CHARS
        pieces.append(block[:cut])
        block = block[cut:].lstrip("\n")
    pieces.append(block)
    return pieces


def _hide_stray_brackets(block: str, refs: set[str]) -> str:
    """Replace every ``[`` that does not start a well-formed link with a placeholder.

    python-markdown tries each ``[`` as a link start and scans ahead, which is quadratic when
    thousands never close. Only brackets our own linear regex recognises as links stay.
    """
    if "[" not in block:
        return block
    out: list[str] = []
    i = 0
    n = len(block)
    while i < n:
        j = block.find("[", i)
        if j < 0:
            out.append(block[i:])
            break
        start = j - 1 if j > 0 and block[j - 1] == "!" else j
        m = _LINK_START.match(block, start)
        keep = False
        if m is not None and m.end() > j + 1:
            tail = m.group(0)[m.group(0).find("]") + 1:]
            if tail.startswith("("):
                keep = True
            else:
                label = (tail[1:-1] if tail.startswith("[") and tail[1:-1] else
                         m.group(0)[m.group(0).find("[") + 1:m.group(0).find("]")])
                keep = label.strip().lower() in refs
        if keep and m is not None:
            out.append(block[i:m.end()])
            i = m.end()
        else:
            out.append(block[i:j] + _BRACKET)
            i = j + 1
    return "".join(out)


def bound_markdown(text: str) -> tuple[str, bool]:
    """Make ``text`` safe to hand to python-markdown in bounded time; returns (text, truncated)."""
    text = text.replace("\r\n", "\n")
    head = text[:MAX_PREVIEW_CHARS]
    cut = -1
    for _ in range(MAX_PREVIEW_LINES):
        cut = head.find("\n", cut + 1)
        if cut < 0:
            break
    if cut >= 0:
        head = head[:cut]
    truncated = len(head) < len(text)
    text = head.replace(_BRACKET, "\ufffd")
    text = _LEAD.sub(_cap_leading, text)
    refs = {m.group(1).strip().lower() for m in _REF_DEF.finditer(text)}
    parts = _BLANK_SPLIT.split(text)
    out: list[str] = []
    for part in parts:
        if _BLANK_SPLIT.fullmatch(part):
            out.append(part)
            continue
        out.append("\n\n".join(_hide_stray_brackets(p, refs) for p in _split_long(part)))
    return "".join(out), truncated


def _markdown() -> Any:
    import markdown  # heavy: loaded when the first preview renders, not at start-up
    from markdown.treeprocessors import Treeprocessor

    class _ImagesToAlt(Treeprocessor):  # type: ignore[misc]  # markdown ships no type information: its classes are Any
        """Images become their alt text in brackets: nothing is ever fetched."""

        def run(self, root: Any) -> None:
            for img in list(root.iter("img")):
                alt = img.get("alt") or "image"
                img.tag = "em"
                img.attrib.clear()
                img.text = f"[image: {alt}]"

    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")   # raw HTML blocks are shown as text
    md.inlinePatterns.deregister("html")        # …and so are inline tags
    md.treeprocessors.register(_ImagesToAlt(md), "images_to_alt", 0)
    return md


_md: Any = None


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML fragment. Safe for a QTextBrowser; bounded time on any input."""
    global _md
    import nh3

    if not text.strip():
        return ""
    bounded, truncated = bound_markdown(text)
    if _md is None:
        _md = _markdown()
    _md.reset()
    try:
        raw = _md.convert(bounded)
    except RecursionError:  # defence in depth: should be unreachable after bounding
        raw = "<pre>" + html.escape(bounded) + "</pre>"
    raw = raw.replace(_BRACKET, "[")
    clean: str = nh3.clean(raw, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
                           url_relative="deny", link_rel=None, strip_comments=True,
                           clean_content_tags={"script", "style"})
    if truncated:
        clean += (f"<p><em>The preview stops here: the text is {len(text):,} characters long; "
                  "the rest is kept but not previewed.</em></p>")
    return clean


def is_safe_link(url: QUrl | str) -> bool:
    """Whether a link may be offered to the browser at all (http, https or mailto, absolute)."""
    q = QUrl(url) if isinstance(url, str) else url
    return q.isValid() and q.scheme().lower() in SAFE_SCHEMES and not q.isRelative()


class MarkdownView(QTextBrowser):
    """Read-only preview of markdown text, rendered safely a moment after the text last changed."""

    #: Emitted after each render (tests wait on it rather than sleeping).
    rendered = Signal()
    #: A safe link was confirmed and handed to the system browser.
    link_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "Nothing to preview yet.") -> None:
        super().__init__(parent)
        # A preview is read, not typed into: Tab skips it (a click still focuses it to select text).
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setAccessibleName("Preview")
        self.setAccessibleDescription("Formatted preview of the markdown text")
        self._placeholder = placeholder
        self._pending = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.render_now)
        self.anchorClicked.connect(self._on_anchor)
        self.document().setDocumentMargin(10)
        self.set_markdown_now("")

    # --- rendering ---------------------------------------------------------------------------

    def set_markdown(self, text: str) -> None:
        """Schedule a render of ``text`` after a short pause (typing never waits on it)."""
        self._pending = text
        delay = RENDER_DELAY_MS if len(text) < 20_000 else RENDER_DELAY_MS * 4
        self._timer.start(delay)

    def set_markdown_now(self, text: str) -> None:
        """Render ``text`` immediately (when a different record is shown)."""
        self._pending = text
        self.render_now()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Re-render for a new (light or dark) palette: the placeholder colour is baked into the HTML."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_pending"):
            self.render_now()

    def render_now(self) -> None:
        """Render the pending text now."""
        self._timer.stop()
        body = render_markdown(self._pending)
        if not body:
            muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
            body = f"<p style='color:{muted}'><em>{html.escape(self._placeholder)}</em></p>"
        bar = self.verticalScrollBar()
        keep = bar.value()
        self.setHtml(body)
        bar.setValue(keep)  # the preview keeps its place while the writer types
        self.rendered.emit()

    def markdown(self) -> str:
        """The text last given."""
        return self._pending

    def loadResource(self, type: int, name: QUrl | str) -> Any:  # noqa: A002,N802 - Qt override
        """Never load anything: no local files, no network, no data: URLs."""
        return None

    # --- links -------------------------------------------------------------------------------

    @classmethod
    def confirm_open_link(cls, parent: QWidget | None, address: str) -> bool:
        """Ask before leaving the app, showing the full address (tests stub this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Open link?",
                          "Open this address in your browser?", parent=parent)
        box.setInformativeText(address)
        box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return bool(box.exec() == QMessageBox.StandardButton.Open)

    def _on_anchor(self, url: QUrl) -> None:
        self.open_link(url)

    def open_link(self, url: QUrl) -> bool:
        """Open a clicked link after confirmation; unsafe schemes are ignored. Returns True if opened."""
        if not is_safe_link(url):
            return False
        address = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if not self.confirm_open_link(self, address):
            return False
        QDesktopServices.openUrl(url)
        self.link_opened.emit(address)
        return True

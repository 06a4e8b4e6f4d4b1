"""Search across personas, messages, objections and lingo, with results as you type.

The query runs a moment after the last keystroke (FTS5 is fast, but a burst of keystrokes should
cost one query, not ten). Snippets come from the core with private-use markers around the hits;
they are HTML-escaped first and only then turned into bold, so user text can never inject markup.
"""

from __future__ import annotations

import html
from typing import Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QIcon, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.services import icons
from workbench.domain.values import HIT_END, HIT_START, SearchHit


class SearchSource(Protocol):
    """What the panel searches: the first look's :class:`workbench.store.sqlite.reader.Reader`, then the session."""

    def search(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[SearchHit]: ...


#: The invisible root, as a shared default argument (one instance, never mutated).
_ROOT = QModelIndex()
KIND_ICON = {"persona": "persona", "message": "channel", "objection": "objection", "term": "lingo"}
KIND_WORD = {"persona": "Persona", "message": "Message", "objection": "Objection", "term": "Lingo"}
DEBOUNCE_MS = 120
LIMIT = 60


def snippet_html(snippet: str) -> str:
    """Escape user text, then bold the marked hits (the markers cannot appear in escaped text)."""
    text = " ".join(snippet.split())
    return html.escape(text).replace(HIT_START, "<b>").replace(HIT_END, "</b>")


class SearchModel(QAbstractListModel):
    """Search hits as rows; the delegate draws title and highlighted snippet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        """Replace the results."""
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        word = KIND_WORD.get(hit.kind, hit.kind)
        plain = " ".join(hit.snippet.replace(HIT_START, "").replace(HIT_END, "").split())
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title or "(untitled)"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{word}: {hit.title} — {plain}"
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon(KIND_ICON.get(hit.kind, "search"))
        if role == Qt.ItemDataRole.UserRole:
            return hit
        return None


class _HitDelegate(QStyledItemDelegate):
    """Title on the first line (kind in grey), snippet with bold hits below, both as rich text."""

    def _document(self, option: QStyleOptionViewItem, hit: SearchHit, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text).name()
        quiet = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText).name()
        title = html.escape(hit.title or "(untitled)")
        word = html.escape(KIND_WORD.get(hit.kind, hit.kind))
        doc.setHtml(f"<div style='color:{text}'><b>{title}</b> <span style='color:{quiet}'>· {word}</span>"
                    f"<br/><span>{snippet_html(hit.snippet)}</span></div>")
        doc.setTextWidth(width)
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hit = index.data(Qt.ItemDataRole.UserRole)
        width = max(120, (option.rect.width() or 260) - 28)
        if not isinstance(hit, SearchHit):
            return super().sizeHint(option, index)
        doc = self._document(option, hit, width)
        return QSize(width + 28, int(min(doc.size().height(), option.fontMetrics.height() * 4 + 8)) + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        hit = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(hit, SearchHit):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = option.rect
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        icon.paint(painter, QRect(rect.left() + 4, rect.top() + 5, 16, 16), Qt.AlignmentFlag.AlignCenter,
                   QIcon.Mode.Selected if selected else QIcon.Mode.Normal)
        doc = self._document(option, hit, rect.width() - 28)
        painter.translate(rect.left() + 24, rect.top() + 2)
        clip = QRectF(0, 0, rect.width() - 28, rect.height() - 4)
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        painter.restore()


class _SearchField(QLineEdit):
    """A line edit that hands Down/Enter to the results and clears on Escape."""

    down = Signal()
    escape = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Search field + results; ``open_requested(kind, item_id)`` when a result is chosen."""

    open_requested = Signal(str, str)
    #: Whether there is a query (the main window shows results instead of the navigator).
    active_changed = Signal(bool)
    #: A search finished: how many hits.
    searched = Signal(int)

    def __init__(self, source: SearchSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.field = _SearchField()
        self.field.setPlaceholderText("Search everything (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.setAccessibleDescription("Search personas, messages, objections and lingo as you type")
        self.field.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.model = SearchModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setWordWrap(True)
        self.status = QLabel()
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._set_results_visible(False)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_query)
        self.field.textChanged.connect(self._on_text)
        self.field.returnPressed.connect(self._open_first)
        self.field.down.connect(self._focus_results)
        self.field.escape.connect(self.clear)
        self.results.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)
        self._active = False

    def set_source(self, source: SearchSource) -> None:
        """Search through ``source`` from now on (the same file, its editing session)."""
        self.source = source

    def focus_field(self) -> None:
        """Ctrl+F: put the cursor in the field with its text selected."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear(self) -> None:
        """Empty the query (Escape)."""
        self.field.clear()

    def _set_results_visible(self, visible: bool) -> None:
        self.results.setVisible(visible)
        self.status.setVisible(visible)

    def _on_text(self, text: str) -> None:
        active = bool(text.strip())
        if active != self._active:
            self._active = active
            self._set_results_visible(active)
            self.active_changed.emit(active)
        if active:
            self._timer.start()
        else:
            self._timer.stop()
            self.model.set_hits([])

    def run_query(self) -> None:
        """Search now for the field's text."""
        text = self.field.text().strip()
        if not text:
            self.model.set_hits([])
            return
        try:
            hits = self.source.search(text, limit=LIMIT)
        except Exception as exc:  # a malformed query is not a crash: say so quietly
            hits = []
            self.status.setText(f"Cannot search for that: {exc}")
        else:
            n = len(hits)
            self.status.setText("Nothing found." if not n else
                                f"{n}{'+' if n >= LIMIT else ''} result{'s' if n != 1 else ''} — Enter opens the first")
        self.model.set_hits(hits)
        if hits:
            self.results.setCurrentIndex(self.model.index(0))
        self.searched.emit(len(hits))

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0))

    def _open_first(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.run_query()
        idx = self.results.currentIndex()
        if not idx.isValid() and self.model.rowCount():
            idx = self.model.index(0)
        self._open_index(idx)

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hit = self.model.hits[index.row()]
        self.open_requested.emit(hit.kind, hit.item_id)

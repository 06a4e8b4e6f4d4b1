"""The navigator: brand narrative, personas (paged, with portraits and status), channels, lingo,
objections and the coverage matrix, as one tree on the left of the window.

The model holds every persona id in list order (one cheap query: ~20 ms for 10,000) and so knows
every row from the start — the scroll bar is true and End jumps to the last persona — but reads a
persona's summary (name, role, status) only when its row is shown, a page of rows by key at a
time. Portrait thumbnails are decoded only for rows that are painted, a few per event-loop turn,
and the most recent few hundred are kept.

The navigator reads through a :class:`PersonaSource` — at first the window's quick
:class:`workbench.store.sqlite.reader.Reader` (so the list paints before the editing session exists), then the
controller's workbench (:meth:`Navigator.attach`), keeping scroll position and selection.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.services import icons
from workbench.domain import errors
from workbench.domain.values import PersonaSummary

if TYPE_CHECKING:
    from ui.services.controller import WorkbenchController
    from workbench.store.changes import Change

#: The invisible root, as a shared default argument (one instance, never mutated).
_ROOT = QModelIndex()
#: Persona summaries are read this many rows at a time (by key), as rows are shown.
PAGE = 100
#: How many decoded portrait thumbnails are kept (the most recently shown).
THUMBS_KEPT = 400
THUMB = 32
ROLE_KIND = Qt.ItemDataRole.UserRole + 1
ROLE_ID = Qt.ItemDataRole.UserRole + 2
ROLE_SUBTITLE = Qt.ItemDataRole.UserRole + 3

#: Top-level sections: (key, label, icon).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("narrative", "Brand narrative", "narrative"),
    ("personas", "Personas", "persona"),
    ("channels", "Channels", "channel"),
    ("lingo", "Lingo", "lingo"),
    ("objections", "Objections", "objection"),
    ("coverage", "Coverage matrix", "matrix"),
)
PERSONAS_ROW = 1
_SECTION = 0  # internalId of a top-level row
_PERSONA = 1  # internalId of a persona row (parent: Personas)
STATUS_LABEL = {"draft": "Draft", "approved": "Approved"}
#: The roles a persona row answers from its summary (others need no read).
_PERSONA_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
                            Qt.ItemDataRole.DecorationRole, ROLE_SUBTITLE})


class PersonaSource(Protocol):
    """Where the navigator reads personas: a :class:`workbench.store.sqlite.reader.Reader` or a ``Workbench``."""

    def persona_order(self) -> list[str]: ...

    def persona_summaries_for(self, ids: Sequence[str]) -> list[PersonaSummary]: ...

    def portrait(self, persona_id: str) -> bytes | None: ...


class NavigatorModel(QAbstractItemModel):
    """Sections at the top level; personas, lazily paged by key, under "Personas"."""

    def __init__(self, source: PersonaSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._order: list[str] = []
        self._row_of: dict[str, int] = {}
        self._summaries: dict[str, PersonaSummary] = {}
        self._set_order(source.persona_order())
        self._thumbs: OrderedDict[str, QPixmap] = OrderedDict()
        self._wanted: list[str] = []
        self._loader = QTimer(self)
        self._loader.setSingleShot(True)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._load_some_thumbnails)

    def _set_order(self, order: list[str]) -> None:
        self._order = order
        self._row_of = {pid: row for row, pid in enumerate(order)}

    # --- structure ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _SECTION) if row < len(SECTIONS) else QModelIndex()
        if parent.internalId() == _SECTION and parent.row() == PERSONAS_ROW and row < len(self._order):
            return self.createIndex(row, 0, _PERSONA)
        return QModelIndex()

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]  # Qt overloads parent() (the QObject) with parent(index): we override the second
        if index.isValid() and index.internalId() == _PERSONA:
            return self.createIndex(PERSONAS_ROW, 0, _SECTION)
        return QModelIndex()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(SECTIONS)
        if parent.internalId() == _SECTION and parent.row() == PERSONAS_ROW:
            return len(self._order)
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 1

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        if not parent.isValid():
            return True
        return parent.internalId() == _SECTION and parent.row() == PERSONAS_ROW and bool(self._order)

    def _summary_at(self, row: int) -> PersonaSummary | None:
        """The summary shown in ``row``, reading its page of rows (by key) the first time it is needed."""
        pid = self._order[row]
        found = self._summaries.get(pid)
        if found is None:
            start = row - row % PAGE
            missing = [i for i in self._order[start:start + PAGE] if i not in self._summaries]
            try:
                found_now = self._source.persona_summaries_for(missing)
            except errors.WorkbenchError:  # a damaged page of a big file met while painting: a
                return None               # blank row (the open's integrity check says why)
            for summary in found_now:
                self._summaries[summary.id] = summary
            found = self._summaries.get(pid)
        return found

    @staticmethod
    def _is_personas(parent: QModelIndex | QPersistentModelIndex) -> bool:
        return parent.isValid() and parent.internalId() == _SECTION and parent.row() == PERSONAS_ROW

    def personas_index(self) -> QModelIndex:
        """The "Personas" section row."""
        return self.index(PERSONAS_ROW, 0)

    def section_index(self, key: str) -> QModelIndex:
        """A section's row by key."""
        for row, (k, _label, _icon) in enumerate(SECTIONS):
            if k == key:
                return self.index(row, 0)
        return QModelIndex()

    def persona_index(self, persona_id: str) -> QModelIndex:
        """A persona's row (invalid when there is no such persona)."""
        row = self._row_of.get(persona_id)
        return self.index(row, 0, self.personas_index()) if row is not None else QModelIndex()

    @property
    def loaded(self) -> int:
        """How many personas' summaries have been read so far."""
        return len(self._summaries)

    # --- data ---------------------------------------------------------------------------------

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            key, label, icon_name = SECTIONS[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{label} ({len(self._order)})" if key == "personas" else label
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{label}, {len(self._order)} personas" if key == "personas" else label
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.icon(icon_name)
            if role == ROLE_KIND:
                return "section"
            if role == ROLE_ID:
                return key
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == ROLE_KIND:  # answered without reading the row: sizing asks it for every row
            return "persona"
        if role == ROLE_ID:
            return self._order[index.row()]
        if role not in _PERSONA_ROLES:
            return None
        p = self._summary_at(index.row())
        if p is None:  # deleted by someone else since the order was read
            return None
        subtitle = " · ".join(x for x in (p.role, p.organization) if x)
        if role == Qt.ItemDataRole.DisplayRole:
            return p.name
        if role == ROLE_SUBTITLE:
            return subtitle
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{p.name}, {STATUS_LABEL.get(p.status, p.status)}" + (f" — {subtitle}" if subtitle else "")
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(p)
        return None

    def _thumbnail(self, p: PersonaSummary) -> QPixmap:
        found = self._thumbs.get(p.id)
        if found is not None:
            self._thumbs.move_to_end(p.id)
            return found
        if p.has_portrait:
            if p.id not in self._wanted:
                self._wanted.append(p.id)
                self._loader.start()
            placeholder = self._thumbs.get("")
            if placeholder is None:
                placeholder = self._thumbs[""] = icons.portrait_thumbnail(None, THUMB)
            return placeholder
        key = f"status:{p.status}"  # personas without a portrait share one placeholder per status
        thumb = self._thumbs.get(key)
        if thumb is None:
            thumb = self._thumbs[key] = icons.portrait_thumbnail(None, THUMB, p.status)
        return thumb

    def _load_some_thumbnails(self) -> None:
        """Decode a few portraits per event-loop turn so scrolling stays smooth."""
        batch, self._wanted = self._wanted[:8], self._wanted[8:]
        for pid in batch:
            row = self._row_of.get(pid)
            summary = self._summaries.get(pid)
            if row is None or summary is None:
                continue
            try:
                data = self._source.portrait(pid)
            except Exception:  # the file went away mid-scroll: a placeholder is fine
                data = None
            self._thumbs[pid] = icons.portrait_thumbnail(data, THUMB, summary.status)
            while len(self._thumbs) > THUMBS_KEPT:
                self._thumbs.popitem(last=False)
            idx = self.index(row, 0, self.personas_index())
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])
        if self._wanted:
            self._loader.start()

    # --- refresh from change records ----------------------------------------------------------

    def set_source(self, source: PersonaSource) -> None:
        """Read from ``source`` from now on (the same file, opened for editing): rows stay as they are."""
        self._source = source

    def apply_change(self, change: Change) -> None:
        """Refresh only what ``change`` touched: edited personas in place, the list on add/delete
        or when a rename moves a persona in the order."""
        if "persona" not in change.kinds:
            return
        if change.created("persona") or change.deleted("persona"):
            self.reload()
            return
        changed = [pid for pid in change.ids("persona") if pid in self._row_of]
        for pid in changed:
            self._thumbs.pop(pid, None)
        old = {pid: self._summaries.get(pid) for pid in changed}
        fresh = {p.id: p for p in self._source.persona_summaries_for(changed)}
        if any((before := old[pid]) is None or before.name != summary.name for pid, summary in fresh.items()):
            self.reload()  # a new name may sort elsewhere
            return
        for pid, summary in fresh.items():
            self._summaries[pid] = summary
            idx = self.index(self._row_of[pid], 0, self.personas_index())
            self.dataChanged.emit(idx, idx)

    def reload(self) -> None:
        """Re-read the persona order (summaries again as rows are shown), keeping the section expanded."""
        parent = self.personas_index()
        if self._order:
            self.beginRemoveRows(parent, 0, len(self._order) - 1)
            self._set_order([])
            self.endRemoveRows()
        self._summaries.clear()
        self._thumbs.clear()
        order = self._source.persona_order()
        if order:
            self.beginInsertRows(parent, 0, len(order) - 1)
            self._set_order(order)
            self.endInsertRows()
        self.dataChanged.emit(parent, parent)

    def clear_thumbnails(self) -> None:
        """Forget rendered thumbnails (the palette changed)."""
        self._thumbs.clear()
        if self._order:
            self.dataChanged.emit(self.index(0, 0, self.personas_index()),
                                  self.index(len(self._order) - 1, 0, self.personas_index()))


class _PersonaDelegate(QStyledItemDelegate):
    """Persona rows in two lines — name, then role · organisation in a quieter colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.data(ROLE_KIND) == "persona":
            # Fixed, and without asking for the decoration: sizing must not decode portraits.
            return QSize(200, max(THUMB + 8, option.fontMetrics.height() * 2 + 10))
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), 26))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(ROLE_KIND) != "persona":
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else None
        opt.text = ""
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect: QRect = option.rect
        thumb = index.data(Qt.ItemDataRole.DecorationRole)
        top = rect.top() + (rect.height() - THUMB) // 2
        if isinstance(thumb, QPixmap):
            painter.drawPixmap(rect.left() + 2, top, thumb)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if option.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
        text_colour = option.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        left = rect.left() + THUMB + 10
        width = rect.right() - left - 4
        fm = option.fontMetrics
        line = fm.height()
        y = rect.top() + (rect.height() - 2 * line) // 2
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        name = painter.fontMetrics().elidedText(str(index.data()), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, y, width, line), Qt.AlignmentFlag.AlignVCenter, name)
        painter.setFont(option.font)
        sub = option.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText)
        painter.setPen(sub)
        subtitle = fm.elidedText(str(index.data(ROLE_SUBTITLE) or ""), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, y + line, width, line), Qt.AlignmentFlag.AlignVCenter, subtitle)
        painter.restore()


class Navigator(QWidget):
    """The tree on the left; emits what the person picked, the main window shows it."""

    persona_selected = Signal(str)
    section_selected = Signal(str)

    def __init__(self, source: PersonaSource, parent: QWidget | None = None, *,
                 controller: WorkbenchController | None = None) -> None:
        super().__init__(parent)
        self.controller: WorkbenchController | None = None
        self.model = NavigatorModel(source, self)
        self._quiet = False
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(_PersonaDelegate(self.tree))
        self.tree.setIconSize(QSize(16, 16))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAccessibleName("Navigator")
        self.tree.setAccessibleDescription("Brand narrative, personas, channels, lingo, objections and coverage")
        self.tree.setIndentation(14)
        self.tree.expand(self.model.personas_index())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.model.rowsInserted.connect(self._expand_personas)
        if controller is not None:
            self.attach(controller)

    def attach(self, controller: WorkbenchController) -> None:
        """Read through ``controller``'s workbench from now on and follow its changes."""
        if self.controller is not None:
            try:
                self.controller.changed.disconnect(self.model.apply_change)
            except (RuntimeError, TypeError):  # the old controller is already gone
                pass
        self.controller = controller
        self.model.set_source(controller.workbench)
        controller.changed.connect(self.model.apply_change)

    def _expand_personas(self, parent: QModelIndex, *_args: object) -> None:
        if not parent.isValid():
            return
        self.tree.expand(self.model.personas_index())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._quiet:
            return
        kind = current.data(ROLE_KIND)
        ident = str(current.data(ROLE_ID))
        if kind == "persona":
            self.persona_selected.emit(ident)
        else:
            self.section_selected.emit(ident)

    def select_persona(self, persona_id: str) -> None:
        """Highlight a persona (fetching pages until it is loaded) without re-emitting."""
        idx = self.model.persona_index(persona_id)
        self._select_quietly(idx)

    def select_section(self, key: str) -> None:
        """Highlight a section without re-emitting."""
        self._select_quietly(self.model.section_index(key))

    def _select_quietly(self, idx: QModelIndex) -> None:
        if not idx.isValid():
            return
        self._quiet = True
        try:
            self.tree.setCurrentIndex(idx)
        finally:
            self._quiet = False
        self.tree.scrollTo(idx)

    def refresh_palette(self) -> None:
        """Re-render thumbnails and glyphs for a new palette."""
        self.model.clear_thumbnails()
        self.tree.viewport().update()

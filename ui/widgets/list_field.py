"""Editing a list of short texts (motivations, worries, do / don't …): add, remove, reorder, edit in place.

Each finished edit emits ``changed(list)`` once — the persona editor turns that into one
``UpdatePersona`` command, so one undo step takes back one list edit. Everything works from the
keyboard (Insert adds, F2 or Enter edits, Delete removes, Ctrl+Up/Down moves) and every control has
an accessible name built from the field's label.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class _List(QListWidget):
    """A list that shows a teaching placeholder while empty and handles editing keys."""

    def __init__(self, owner: ListField) -> None:
        super().__init__(owner)
        self._owner = owner
        self.placeholder = ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Paint the placeholder when there are no items."""
        super().paintEvent(event)
        if self.count() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            rect = self.viewport().rect().adjusted(8, 6, -8, -6)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextWordWrap), self.placeholder)
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Insert / Delete / Ctrl+Up / Ctrl+Down / Enter."""
        if self.state() == QAbstractItemView.State.EditingState or self._owner.read_only:
            super().keyPressEvent(event)
            return
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Insert:
            self._owner.add_item()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem() is not None:
            self._owner.remove_current()
        elif ctrl and key == Qt.Key.Key_Up:
            self._owner.move_current(-1)
        elif ctrl and key == Qt.Key.Key_Down:
            self._owner.move_current(1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.editItem(self.currentItem())
        else:
            super().keyPressEvent(event)


class ListField(QWidget):
    """A list of strings with add / remove / move buttons; emits ``changed(list)`` per finished edit."""

    #: The list after one finished edit (add, edit, remove, move).
    changed = Signal(list)

    def __init__(self, label: str, *, item_name: str = "item", placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.item_name = item_name
        self.read_only = False
        self._suggestions: list[str] = []
        self._last: list[str] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.list = _List(self)
        self.list.placeholder = placeholder
        self.list.setAccessibleName(label)
        self.list.setAccessibleDescription(
            f"List of {label.lower()}. Insert adds, F2 edits, Delete removes, Control+Up and Down move.")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(84)
        self.list.setMaximumHeight(150)
        self.list.itemChanged.connect(self._item_changed)
        self.list.model().rowsMoved.connect(self._rows_moved)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.list, 1)

        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        self.add_button = self._button("+", f"Add {item_name}", self.add_item)
        self.remove_button = self._button("−", f"Remove {item_name}", self.remove_current)
        self.up_button = self._button("↑", f"Move {item_name} up", lambda: self.move_current(-1))
        self.down_button = self._button("↓", f"Move {item_name} down", lambda: self.move_current(1))
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_buttons()

    def _button(self, text: str, name: str, slot: object) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(name)
        b.setAccessibleName(f"{name} ({self.label})")
        b.setAutoRaise(True)
        b.setFixedSize(26, 24)
        b.clicked.connect(slot)
        return b

    # --- values ------------------------------------------------------------------------------

    def items(self) -> list[str]:
        """The current non-empty items, in order."""
        out = []
        for i in range(self.list.count()):
            text = self.list.item(i).text().strip()
            if text:
                out.append(text)
        return out

    def set_items(self, values: Sequence[str]) -> None:
        """Show ``values`` (from the workbench) without emitting ``changed``; an open edit is kept."""
        values = list(values)
        if self.list.state() == QAbstractItemView.State.EditingState and values != self._last:
            return  # the person is typing into an item: the refresh waits for their edit
        self._last = values
        if [self.list.item(i).text() for i in range(self.list.count())] == values:
            return
        row = self.list.currentRow()
        blocked = self.list.blockSignals(True)
        self.list.clear()
        for v in values:
            self.list.addItem(self._new_item(v))
        self.list.blockSignals(blocked)
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        self._update_buttons()
        self.list.viewport().update()

    def set_suggestions(self, names: Sequence[str]) -> None:
        """Offer these values from the Add button's menu (e.g. channel names)."""
        self._suggestions = list(names)

    def set_read_only(self, read_only: bool) -> None:
        """Switch editing off (read-only session) but keep the list readable and scrollable."""
        self.read_only = read_only
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only else
                                  QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop if read_only else
                                  QAbstractItemView.DragDropMode.InternalMove)
        self._update_buttons()

    def _new_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        flags = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable
                 | Qt.ItemFlag.ItemIsDragEnabled)
        item.setFlags(flags)
        return item

    def _emit_if_changed(self) -> None:
        now = self.items()
        if now != self._last:
            self._last = now
            self.changed.emit(now)

    # --- actions -----------------------------------------------------------------------------

    def add_item(self, text: str = "") -> None:
        """Add an item: with ``text`` directly, or a menu of suggestions, or an empty row to type in."""
        if self.read_only:
            return
        if not text and self._suggestions and self.sender() is self.add_button:
            menu = self._suggestion_menu()
            menu.popup(self.add_button.mapToGlobal(QPoint(0, self.add_button.height())))
            return
        item = self._new_item(text)
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        if text:
            self._emit_if_changed()
        else:
            self.list.editItem(item)
        self._update_buttons()

    def _suggestion_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setAccessibleName(f"Add {self.item_name}")
        have = {v.casefold() for v in self.items()}
        for name in self._suggestions:
            act = QAction(name, menu)
            act.setEnabled(name.casefold() not in have)
            act.triggered.connect(lambda _=False, n=name: self.add_item(n))
            menu.addAction(act)
        menu.addSeparator()
        other = menu.addAction("Other…")
        other.triggered.connect(lambda: self._add_blank())
        return menu

    def _add_blank(self) -> None:
        item = self._new_item("")
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        self.list.editItem(item)

    def remove_current(self) -> None:
        """Remove the selected item."""
        row = self.list.currentRow()
        if self.read_only or row < 0:
            return
        self.list.takeItem(row)
        self._emit_if_changed()
        self._update_buttons()

    def move_current(self, step: int) -> None:
        """Move the selected item up (-1) or down (+1)."""
        row = self.list.currentRow()
        target = row + step
        if self.read_only or row < 0 or not 0 <= target < self.list.count():
            return
        blocked = self.list.blockSignals(True)
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.blockSignals(blocked)
        self.list.setCurrentRow(target)
        self._emit_if_changed()
        self._update_buttons()

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not item.text().strip():
            row = self.list.row(item)
            if row >= 0:
                blocked = self.list.blockSignals(True)
                self.list.takeItem(row)  # an emptied item is a removed one
                self.list.blockSignals(blocked)
        self._emit_if_changed()
        self._update_buttons()

    def _rows_moved(self, *_: QModelIndex | int) -> None:
        self._emit_if_changed()

    def _context_menu(self, pos: QPoint) -> None:
        if self.read_only:
            return
        menu = QMenu(self)
        menu.addAction(f"Add {self.item_name}", lambda: self.add_item())
        if self.list.currentItem() is not None:
            menu.addAction("Edit", lambda: self.list.editItem(self.list.currentItem()))
            menu.addAction("Remove", self.remove_current)
            menu.addAction("Move up", lambda: self.move_current(-1))
            menu.addAction("Move down", lambda: self.move_current(1))
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def _update_buttons(self, *_: object) -> None:
        row = self.list.currentRow()
        editable = not self.read_only
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and row >= 0)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < self.list.count() - 1)

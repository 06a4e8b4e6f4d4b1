"""The "Messages" section of the persona editor: this persona's messaging by channel and stage.

It answers the rep's question "what do we say to this person, where?" at a glance: one group per
channel (in the workbench's channel order), one row per message in journey-stage order, with the
status shown as an icon *and* a word. Double-click or Enter opens a message; the editor wires that
to ``open_message_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.editor_widgets import STAGE_LABELS, STATUS_LABELS, hint_label, status_icon
from workbench.domain.values import ChannelView, MessageView
from workbench.schema.model import STAGES

_ID_ROLE = Qt.ItemDataRole.UserRole


def message_state(m: MessageView) -> str:
    """The state a row shows: a breach wins unless the approval accepted it with a reason."""
    if m.breach_count and not (m.status == "approved" and m.override_reason):
        return "breach"
    return m.status


class _Tree(QTreeWidget):
    activated_id = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter opens the selected message."""
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            mid = item.data(0, _ID_ROLE)
            if mid:
                self.activated_id.emit(mid)
                return
        super().keyPressEvent(event)


class PersonaMessages(QWidget):
    """Tree of a persona's messages grouped by channel, with a New Message button."""

    open_message_requested = Signal(str)
    new_message_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.tree = _Tree(self)
        self.tree.setAccessibleName("Messages for this persona")
        self.tree.setAccessibleDescription("Grouped by channel. Enter or double-click opens a message.")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Message", "Stage", "Status"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.activated_id.connect(self.open_message_requested)
        self.tree.setMinimumHeight(180)
        layout.addWidget(self.tree)
        self.empty_hint = hint_label("No messages yet. Write the first one: pick a channel this persona "
                                     "prefers and say what they need to hear at the awareness stage.")
        layout.addWidget(self.empty_hint)
        row = QHBoxLayout()
        self.new_button = QPushButton("New Message…")
        self.new_button.setAccessibleName("New message for this persona")
        self.new_button.clicked.connect(self.new_message_requested)
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open selected message")
        self.open_button.clicked.connect(self._open_current)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._read_only = False
        self._update_buttons()

    def set_messages(self, channels: list[ChannelView], messages: list[MessageView]) -> None:
        """Show ``messages`` grouped by ``channels`` (keeps the selection)."""
        current = self.current_message_id()
        self.tree.clear()
        by_channel: dict[str, list[MessageView]] = {}
        for m in messages:
            by_channel.setdefault(m.channel_id, []).append(m)
        order = {s: i for i, s in enumerate(STAGES)}
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for ch in channels:
            items = sorted(by_channel.get(ch.id, []), key=lambda m: (order.get(m.stage, 9), m.headline))
            if not items:
                continue
            group = QTreeWidgetItem([ch.name, "", f"{len(items)} message{'s' if len(items) != 1 else ''}"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for m in items:
                state = message_state(m)
                child = QTreeWidgetItem([m.headline or "(no headline yet)", STAGE_LABELS.get(m.stage, m.stage),
                                         STATUS_LABELS.get(state, state)])
                child.setIcon(2, status_icon(state))
                child.setData(0, _ID_ROLE, m.id)
                tip = f"{ch.name} · {STAGE_LABELS.get(m.stage, m.stage)} · {STATUS_LABELS.get(state, state)}"
                if m.in_force is not None:
                    tip += "\nAn approved text stays in force while this draft is edited."
                child.setToolTip(0, tip)
                group.addChild(child)
                if m.id == current:
                    self.tree.setCurrentItem(child)
            group.setExpanded(True)
        has_any = self.tree.topLevelItemCount() > 0
        self.tree.setVisible(has_any)
        self.empty_hint.setVisible(not has_any)
        self._update_buttons()

    def current_message_id(self) -> str | None:
        """The selected message's id."""
        item = self.tree.currentItem()
        return item.data(0, _ID_ROLE) if item is not None else None

    def message_ids(self) -> list[str]:
        """Every listed message id, in display order."""
        out: list[str] = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is not None:
                out.extend(str(child.data(0, _ID_ROLE)) for j in range(group.childCount())
                           if (child := group.child(j)) is not None)
        return out

    def set_read_only(self, read_only: bool) -> None:
        """New Message is off in a read-only session; opening still works."""
        self._read_only = read_only
        self._update_buttons()

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        mid = item.data(0, _ID_ROLE)
        if mid:
            self.open_message_requested.emit(mid)

    def _open_current(self) -> None:
        mid = self.current_message_id()
        if mid:
            self.open_message_requested.emit(mid)

    def _update_buttons(self) -> None:
        self.new_button.setEnabled(not self._read_only)
        self.open_button.setEnabled(self.current_message_id() is not None)

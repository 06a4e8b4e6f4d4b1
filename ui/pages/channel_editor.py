"""Channels: where messages go (Ads, PR, Direct mail, Sales script …), their order and their guidance.

The order is the column order of the coverage matrix and the playbook, so it is edited here with
Move Up / Move Down. Deleting a channel deletes its messages, so the confirmation says how many.

Each channel shows how many messages it has. Counting them is one grouped query over every message
(≈ 0.1 s for 240,000), so it runs on a worker after the list has painted, and again only when
messages are added, removed or moved between channels — renaming or reordering channels keeps the
counts it has.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.services.background import BackgroundQuery
from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import (
    FieldCommitter,
    RefreshWhenShown,
    hint_label,
    messages_moved,
    section_header,
    set_editable,
    title_label,
)
from workbench.domain.values import ChannelView
from workbench.edit import commands
from workbench.store.changes import Change

_ID = Qt.ItemDataRole.UserRole


class ChannelEditor(RefreshWhenShown):
    """The ordered list of channels with name and guidance."""

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.channels: list[ChannelView] = []
        self._current: ChannelView | None = None
        #: Messages per channel id, counted on a worker (``None`` until the first count is in).
        self.counts: dict[str, int] | None = None
        self._counts_stale = True
        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._counted)
        self._query.failed.connect(self._count_failed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(title_label("Channels"))
        layout.addWidget(hint_label("Where messages go. The order here is the column order of the coverage "
                                    "matrix and the order of the playbook."))
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Channels")
        self.list.currentRowChanged.connect(self._row_changed)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("Add Channel")
        self.up_button = QPushButton("Move Up")
        self.down_button = QPushButton("Move Down")
        self.delete_button = QPushButton("Delete…")
        for b, name, slot in ((self.add_button, "Add channel", self.add_channel),
                              (self.up_button, "Move channel up", lambda: self.move_channel(-1)),
                              (self.down_button, "Move channel down", lambda: self.move_channel(1)),
                              (self.delete_button, "Delete channel", self.delete_channel)):
            b.setAccessibleName(name)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.list.setMaximumWidth(360)
        self.list.setSpacing(3)
        detail = QVBoxLayout()
        detail.setContentsMargins(16, 0, 0, 0)
        row.addLayout(detail, 2)
        layout.addLayout(row, 1)
        detail.addWidget(section_header("Selected channel"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name = QLineEdit()
        self.name.setAccessibleName("Channel name")
        self.name.setPlaceholderText("e.g. Email, Social, Events")
        self.guidance = QPlainTextEdit()
        self.guidance.setAccessibleName("Guidance")
        self.guidance.setTabChangesFocus(True)
        self.guidance.setMinimumHeight(140)
        self.guidance.setPlaceholderText("What works on this channel: length limits, tone, what to avoid. "
                                         "e.g. Subject under 50 characters; one link; sent Tuesday mornings.")
        form.addRow("&Name:", self.name)
        form.addRow("&Guidance:", self.guidance)
        detail.addLayout(form)
        detail.addWidget(hint_label("Guidance is shown above every message written for this channel."))
        detail.addStretch(1)
        self._committers = {
            "name": FieldCommitter(self.name, self._commit_name),
            "guidance": FieldCommitter(self.guidance, lambda t: self._update(guidance=t)),
        }
        controller.changed.connect(self._on_changed)
        self.show_channels()

    # --- showing -----------------------------------------------------------------------------

    def show_channels(self) -> None:
        """Reload the list (keeps the selection); message counts follow from a worker when stale."""
        self._stale = False
        keep = self._current.id if self._current else None
        wb = self.controller.workbench
        self.channels = wb.channels()
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.channels:
            item = QListWidgetItem(self._item_text(c))
            item.setData(_ID, c.id)
            item.setToolTip(c.guidance)
            self.list.addItem(item)
        ids = [c.id for c in self.channels]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._row_changed(row, force=keep not in ids)
        if self._counts_stale:
            # After the list has painted: on two cores the count would otherwise compete with it.
            QTimer.singleShot(0, self, self._count)

    def _item_text(self, c: ChannelView) -> str:
        if self.counts is None:
            return f"{c.name}\ncounting messages…"
        n = self.counts.get(c.id, 0)
        return f"{c.name}\n{n} message{'s' if n != 1 else ''}"

    def _count(self) -> None:
        """Count messages per channel on a worker (a newer count supersedes one in flight)."""
        if self._counts_stale:
            self._counts_stale = False
            self._query.start(self.controller.workbench.message_counts_by_channel)

    def _counted(self, result: object) -> None:
        """Show fresh counts in place: the list, its selection and scroll position stay."""
        if not isinstance(result, dict):
            return
        self.counts = result
        for row, c in enumerate(self.channels):
            item = self.list.item(row)
            if item is not None:
                item.setText(self._item_text(c))

    def _count_failed(self, _message: str) -> None:
        """A count that failed (e.g. the file went away) is tried again at the next refresh."""
        self._counts_stale = True

    def message_count(self, channel_id: str) -> int:
        """How many messages are written for a channel (counted now unless the shown counts are current)."""
        if self.counts is not None and not self._counts_stale and not self._query.running:
            return self.counts.get(channel_id, 0)
        return self.controller.workbench.message_counts_by_channel().get(channel_id, 0)

    def _row_changed(self, row: int, force: bool = True) -> None:
        new = self.channels[row] if 0 <= row < len(self.channels) else None
        if force or new is None or self._current is None or new.id != self._current.id:
            for c in self._committers.values():
                c.flush()
            force = True
        self._current = new
        for key, c in self._committers.items():
            c.load(getattr(new, key) if new else "", force=force)
        ro = self.controller.readonly
        set_editable([self.name, self.guidance], not ro and new is not None)
        self.add_button.setEnabled(not ro)
        self.delete_button.setEnabled(not ro and new is not None)
        self.up_button.setEnabled(not ro and row > 0)
        self.down_button.setEnabled(not ro and 0 <= row < len(self.channels) - 1)

    # --- editing -----------------------------------------------------------------------------

    def _commit_name(self, text: str) -> None:
        if not text.strip():
            if self._current is not None:
                self._committers["name"].load(self._current.name, force=True)
            return
        self._update(name=text)

    def _update(self, *, name: str | None = None, guidance: str | None = None) -> None:
        if self._current is None or self.controller.readonly:
            return
        if (name is None or name == self._current.name) and (guidance is None or guidance == self._current.guidance):
            return
        label = "Rename Channel" if name is not None else "Edit Channel Guidance"
        change = self.controller.run(commands.UpdateChannel(self._current.id, name=name, guidance=guidance,
                                                            label=label))
        if change is None and name is not None:  # refused (e.g. a duplicate name): show the real name
            self._committers["name"].load(self._current.name, force=True)

    def add_channel(self) -> None:
        """Add a channel with a free name and start editing its name."""
        if self.controller.readonly:
            return
        taken = {c.name.casefold() for c in self.channels}
        name, n = "New channel", 2
        while name.casefold() in taken:
            name, n = f"New channel {n}", n + 1
        change = self.controller.run(commands.CreateChannel(name))
        if change is not None and change.extra.get("id"):
            self.select_channel(change.extra["id"])
            self.name.setFocus()
            self.name.selectAll()

    def select_channel(self, channel_id: str) -> bool:
        """Select a channel by id."""
        for r, c in enumerate(self.channels):
            if c.id == channel_id:
                self.list.setCurrentRow(r)
                return True
        return False

    def move_channel(self, step: int) -> None:
        """Move the selected channel up (-1) or down (+1)."""
        row = self.list.currentRow()
        if self._current is None or self.controller.readonly or not 0 <= row + step < len(self.channels):
            return
        self.controller.run(commands.MoveChannel(self._current.id, row + step))

    @classmethod
    def confirm_delete(cls, parent: QWidget | None, name: str, message_count: int) -> bool:
        """Ask before deleting a channel, saying how many messages go with it (tests stub this)."""
        if message_count:
            what = f"its {message_count} message{'s' if message_count != 1 else ''} will be deleted with it"
        else:
            what = "it has no messages"
        answer = QMessageBox.question(parent, "Delete channel?",
                                      f"Delete the channel “{name}”? {what[0].upper() + what[1:]}. "
                                      "Edit ▸ Undo brings everything back.")
        return bool(answer == QMessageBox.StandardButton.Yes)

    def delete_channel(self) -> None:
        """Delete the selected channel (and its messages) after confirmation."""
        if self._current is None or self.controller.readonly:
            return
        if self.confirm_delete(self, self._current.name, self.message_count(self._current.id)):
            self.controller.run(commands.DeleteChannel(self._current.id))

    def _on_changed(self, change: Change) -> None:
        """Reload when a channel changed or messages were added, removed or moved between channels
        (the counts); editing a message's text changes nothing here. Deferred while hidden."""
        moved = messages_moved(change)
        if "channel" not in change.kinds and not moved:
            return
        if moved:
            self._counts_stale = True
        if self._current is not None and self._current.id in change.deleted("channel"):
            self._current = None
        if self.on_screen_or_defer():
            self.show_channels()

    def refresh_stale(self) -> None:
        """Re-read the channels and their message counts."""
        self.show_channels()

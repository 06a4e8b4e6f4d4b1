"""A message's revision history: every earlier text plus the current one, and a side-by-side diff.

Reviewers ask "what changed since the version we approved?", so the diff is word-level (difflib over
words and whitespace) with removed words struck through in red on the left and added words in green
on the right. All text is escaped before it becomes HTML; the two panes are plain QTextBrowsers that
follow no links and load no resources.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import STATUS_LABELS, hint_label, palette_is_dark, status_icon
from workbench.store.changes import Change

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_DEL = "background:#FDDCDC;color:#8E1B1B;text-decoration:line-through;"
_INS = "background:#D6F5D6;color:#1B5E20;"
#: The same marks for a dark palette: dark tints, light text.
_DEL_DARK = "background:#5C2326;color:#FFCDD2;text-decoration:line-through;"
_INS_DARK = "background:#1E4620;color:#C8E6C9;"
#: Diffs of texts longer than this compare lines, not words (keeps difflib fast).
MAX_WORD_DIFF_TOKENS = 20_000


@dataclass(frozen=True)
class Version:
    """One text of a message: an earlier revision or the current working text."""

    label: str
    status: str
    headline: str
    body: str
    call_to_action: str
    who: str
    when: str

    def text(self) -> str:
        """The customer-facing text, as compared."""
        return f"{self.headline}\n\n{self.body}\n\n{self.call_to_action}".strip()


def word_diff(old: str, new: str, dark: bool = False) -> tuple[str, str]:
    """HTML for the old and the new text with removed / added words highlighted (all escaped);
    ``dark`` picks colours readable on a dark palette."""
    deleted, inserted = (_DEL_DARK, _INS_DARK) if dark else (_DEL, _INS)
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    if len(a) + len(b) > 2 * MAX_WORD_DIFF_TOKENS:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = html.escape("".join(a[i1:i2]))
        new_part = html.escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<span style='{deleted}'>{old_part}</span>")
        if new_part:
            right.append(f"<span style='{inserted}'>{new_part}</span>")

    def wrap(parts: list[str]) -> str:
        return ("<div style='white-space:pre-wrap; '>"
                + "".join(parts) + "</div>")

    return wrap(left), wrap(right)


class _Pane(QTextBrowser):
    """A read-only pane that never loads anything."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName(name)

    def loadResource(self, type: int, name: QUrl | str) -> Any:  # noqa: A002,N802 - Qt override
        """Nothing is ever loaded."""
        return None


class RevisionHistory(QWidget):
    """The list of versions and the diff of any two (left: older, right: newer)."""

    open_persona_requested = Signal(str)

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.message_id: str | None = None
        self.versions: list[Version] = []
        self._persona_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        top.addWidget(self.heading, 1)
        self.persona_button = QPushButton("Open Persona")
        self.persona_button.setAccessibleName("Open persona")
        self.persona_button.clicked.connect(lambda: self.open_persona_requested.emit(self._persona_id))
        top.addWidget(self.persona_button)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setAccessibleName("Versions")
        self.list.setMinimumWidth(220)
        self.list.setIconSize(QSize(16, 16))
        self.list.currentRowChanged.connect(self._pick_from_list)
        split.addWidget(self.list)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        self.old_combo = QComboBox()
        self.old_combo.setAccessibleName("Compare from (older)")
        self.new_combo = QComboBox()
        self.new_combo.setAccessibleName("Compare to (newer)")
        for text, combo in (("Compare", self.old_combo), ("with", self.new_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            pick.addWidget(label)
            pick.addWidget(combo, 1)
        self.old_combo.currentIndexChanged.connect(self.refresh_diff)
        self.new_combo.currentIndexChanged.connect(self.refresh_diff)
        rl.addLayout(pick)
        panes = QSplitter(Qt.Orientation.Horizontal)
        self.old_view = _Pane("Older text")
        self.new_view = _Pane("Newer text")
        panes.addWidget(self.old_view)
        panes.addWidget(self.new_view)
        rl.addWidget(panes, 1)
        rl.addWidget(hint_label("Red struck-through words were removed; green words were added."))
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        controller.changed.connect(self._on_changed)

    def show_message(self, message_id: str) -> None:
        """Load a message's versions; compares the previous version with the current text."""
        self.message_id = message_id
        wb = self.controller.workbench
        m = wb.message(message_id)
        if m is None:
            self.versions = []
            self.heading.setText("This message no longer exists.")
            self.list.clear()
            return
        self._persona_id = m.persona_id
        persona = wb.persona(m.persona_id)
        self.heading.setText(f"<b>{html.escape(m.headline or '(no headline)')}</b><br>"
                             f"{html.escape(persona.name if persona else '')} · {html.escape(m.channel_name)} · "
                             f"{m.stage.capitalize()}")
        self.versions = [Version(f"Revision {r.seq}", r.status, r.headline, r.body, r.call_to_action,
                                 r.approved_by if r.status == "approved" and r.approved_by else r.saved_by,
                                 r.approved_at if r.status == "approved" and r.approved_at else r.saved_at)
                         for r in wb.revisions(message_id)]
        self.versions.append(Version("Current text", m.status, m.headline, m.body, m.call_to_action,
                                     m.updated_by, m.updated_at))
        self.list.blockSignals(True)
        self.list.clear()
        for combo in (self.old_combo, self.new_combo):
            combo.blockSignals(True)
            combo.clear()
        for v in self.versions:
            when = v.when[:16].replace("T", " ")
            item = QListWidgetItem(status_icon(v.status), f"{v.label} — {STATUS_LABELS.get(v.status, v.status)}\n"
                                   f"{v.who}, {when}")
            self.list.addItem(item)
            self.old_combo.addItem(f"{v.label} ({STATUS_LABELS.get(v.status, v.status)}, {when})")
            self.new_combo.addItem(f"{v.label} ({STATUS_LABELS.get(v.status, v.status)}, {when})")
        last = len(self.versions) - 1
        self.old_combo.setCurrentIndex(max(0, last - 1))
        self.new_combo.setCurrentIndex(last)
        self.list.setCurrentRow(last)
        for combo in (self.old_combo, self.new_combo):
            combo.blockSignals(False)
        self.list.blockSignals(False)
        self.refresh_diff()

    def compare(self, older: int, newer: int) -> None:
        """Show the diff between two versions (indexes into :attr:`versions`)."""
        self.old_combo.setCurrentIndex(older)
        self.new_combo.setCurrentIndex(newer)
        self.refresh_diff()

    def refresh_diff(self, *_: object) -> None:
        """Render the diff of the two chosen versions."""
        i, j = self.old_combo.currentIndex(), self.new_combo.currentIndex()
        if not (0 <= i < len(self.versions) and 0 <= j < len(self.versions)):
            self.old_view.clear()
            self.new_view.clear()
            return
        left, right = word_diff(self.versions[i].text(), self.versions[j].text(), palette_is_dark(self))
        self.old_view.setHtml(left)
        self.new_view.setHtml(right)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Re-render the diff in colours for a new (light or dark) palette."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "new_combo"):
            self.refresh_diff()

    def _pick_from_list(self, row: int) -> None:
        # Picking a version compares it with the one before it: "what did this revision change?"
        if row >= 0:
            self.compare(max(0, row - 1), row)

    def _on_changed(self, change: Change) -> None:
        if self.message_id and self.message_id in change.ids("message"):
            self.show_message(self.message_id)


class RevisionHistoryDialog(QDialog):
    """A non-modal window around :class:`RevisionHistory`."""

    open_persona_requested = Signal(str)

    def __init__(self, controller: WorkbenchController, message_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Revision History")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        self.history = RevisionHistory(controller, self)
        self.history.show_message(message_id)
        self.history.open_persona_requested.connect(self.open_persona_requested)
        layout.addWidget(self.history)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    @classmethod
    def open_for(cls, parent: QWidget | None, controller: WorkbenchController,
                 message_id: str) -> RevisionHistoryDialog | None:
        """Show the history window for a message (non-modal; tests may stub this)."""
        dialog = cls(controller, message_id, parent)
        dialog.show()
        return dialog

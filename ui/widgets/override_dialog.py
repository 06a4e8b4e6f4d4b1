"""Approving a message that still breaks the lingo: say why, and the reason is kept with the approval.

Sometimes a breach is right ("contract" in a procurement letter that must use the legal word). The
rule (DESIGN.md "Lingo check") is that this takes an explicit decision with a reason on record, so
the dialog lists what is wrong and will not accept an empty reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.editor_widgets import status_icon
from workbench.domain.lingo import Breach


class OverrideDialog(QDialog):
    """Lists the breaches and asks for the reason to approve anyway."""

    def __init__(self, breaches: Sequence[object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Approve despite lingo problems?")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        intro = QLabel("<b>This message still breaks the shared vocabulary.</b><br>Fix the words, or approve "
                       "it anyway with a reason — the reason is recorded with the approval and shown to "
                       "everyone who reads this message.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Lingo problems in this message")
        for b in breaches:
            text = b.describe() if isinstance(b, Breach) else str(b)
            where = f"{b.field.replace('_', ' ')}: " if isinstance(b, Breach) and b.field != "channel" else ""
            self.list.addItem(where + text)
            self.list.item(self.list.count() - 1).setIcon(status_icon("breach"))
        self.list.setMaximumHeight(120)
        layout.addWidget(self.list)
        label = QLabel("&Reason for the override:")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the override")
        self.reason.setPlaceholderText("e.g. Procurement letter: the customer's legal team requires the word "
                                       "“contract”.")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.approve = self.buttons.addButton("Approve with Override", QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve.setAccessibleName("Approve with override")
        self.approve.setEnabled(False)
        self.reason.textChanged.connect(lambda: self.approve.setEnabled(bool(self.reason.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    @classmethod
    def get_reason(cls, parent: QWidget | None, breaches: Sequence[object]) -> tuple[str, bool]:
        """Ask for the override reason: (reason, accepted). Tests stub this classmethod."""
        dialog = cls(breaches, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            reason = dialog.reason.toPlainText().strip()
        finally:
            dialog.deleteLater()
        return reason, accepted and bool(reason)

"""The window-modal busy dialog shown while a long command runs on a worker.

It has no Cancel: a command is one transaction that the core cannot interrupt or report progress
from yet, so the bar is indeterminate and the text says why. Escape and the close button do nothing
— the dialog goes when the work is done (:meth:`BusyDialog.finish`), never before: the window must
not take input while a command is half-way.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget


class BusyDialog(QProgressDialog):
    """"Importing 2,000 personas…" with a moving bar, modal to its window.

    ``text``'s first paragraph is what runs (in bold); the rest, if any, explains (why no progress).
    """

    def __init__(self, parent: QWidget, title: str, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("busyDialog")
        self.setWindowTitle(title)
        label = QLabel()
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        label.setTextFormat(Qt.TextFormat.RichText)
        head, _, rest = text.partition("\n\n")
        label.setText(f"<b>{html.escape(head)}</b>"
                      + (f"<p style='margin-top:6px'>{html.escape(rest).replace(chr(10), '<br>')}</p>" if rest else ""))
        self.setLabel(label)
        self._text = text
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        self.setCancelButton(None)  # nothing to cancel: one transaction
        self.setRange(0, 0)  # indeterminate: the moving bar also shows the window is alive
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setFixedWidth(460)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._finished = False

    def text(self) -> str:
        """What the dialog says, as plain text (for tests and screen readers)."""
        return self._text

    def reject(self) -> None:
        """Escape: ignored while the work runs (there is nothing to cancel)."""

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._finished:
            super().closeEvent(event)
        else:
            event.ignore()

    def finish(self) -> None:
        """The work is done: go away for good."""
        self._finished = True
        self.hide()
        self.deleteLater()

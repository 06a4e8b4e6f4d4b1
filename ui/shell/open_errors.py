"""Turn each typed error from ``Workbench.open`` into a dialog: what happened, and what to do now.

The core's one-sentence message is kept (it names the file and versions), and each kind adds the
advice a person needs — never a traceback. A held file offers "Open Read-Only"; tests stub
:meth:`OpenErrorDialog.ask` rather than clicking a real modal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from workbench.domain import errors

READ_ONLY = "readonly"
OPEN_OTHER = "open_other"
CLOSE = "close"


@dataclass(frozen=True)
class Explanation:
    """Words for one kind of failure."""

    title: str
    what: str
    advice: str
    offer_read_only: bool = False
    severe: bool = True


def explain(error: Exception) -> Explanation:
    """The headline, description and advice for an open error (any exception, to be safe)."""
    path = getattr(error, "path", "")
    name = Path(path).name if path else "This file"
    detail = str(error)
    if isinstance(error, errors.Locked):
        h = error.holder
        since = h.since.replace("T", " ")[:16]
        return Explanation(
            "Someone else is editing this workbench",
            f"{name} is open in Persona Workbench by {h.user} on {h.host} (since {since}).",
            f"You can open it read-only now and see everything. To edit it, ask {h.user} to close it. "
            f"If Persona Workbench crashed on {h.host}, opening the file there again releases it.",
            offer_read_only=True, severe=False)
    if isinstance(error, errors.NewerVersion):
        return Explanation(
            "Made with a newer Persona Workbench",
            f"{name} was saved by a newer version of Persona Workbench (file version {error.file_version}; "
            f"this app reads up to version {error.app_version}).",
            "Update Persona Workbench to open it. The file has not been changed.")
    if isinstance(error, errors.NotFound):
        return Explanation("The file is not there", detail,
                           "It may have been moved, renamed or deleted, or its drive is not connected. "
                           "Choose Open Another… to find it.")
    if isinstance(error, errors.NotAFile):
        return Explanation("That is not a file", detail,
                           "Choose a .workbench file rather than a folder or device.")
    if isinstance(error, errors.Unreadable):
        return Explanation("The file cannot be read", detail,
                           "Your account is not allowed to read it. Ask whoever shared it to give you access, "
                           "or copy it somewhere you can read.")
    if isinstance(error, errors.NotSQLite):
        return Explanation("This is not a workbench file", detail,
                           "It does not contain Persona Workbench data. If someone sent it to you, ask them to "
                           "send the .workbench file itself (not a preview or a converted copy).")
    if isinstance(error, errors.NotAWorkbench):
        return Explanation("This file belongs to another application", detail,
                           "It is a database, but not one Persona Workbench wrote. Open it with the app that "
                           "made it, or choose another file.")
    if isinstance(error, errors.Damaged):
        return Explanation("This workbench file is damaged", detail,
                           "Nothing was changed. Open an earlier copy — a backup, your sync service's version "
                           "history, or the copy you sent someone — or ask whoever sent it for a fresh copy.")
    if isinstance(error, errors.CouldNotSave):
        return Explanation("Could not start working on this file", detail,
                           "Persona Workbench needs a little free space in your user folder to work on a "
                           "private copy. Free some space, then try again.")
    if isinstance(error, errors.WorkbenchError):
        return Explanation("The workbench could not be opened", detail, "Nothing was changed. Try another file.")
    return Explanation("The workbench could not be opened", detail or type(error).__name__,
                       "Nothing was changed. If this keeps happening, please report it with the file.")


class OpenErrorDialog(QDialog):
    """A friendly error for a file that cannot be opened, with the choices that make sense."""

    def __init__(self, error: Exception, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = CLOSE
        info = explain(error)
        self.explanation = info
        self.setWindowTitle("Cannot Open Workbench" if not info.offer_read_only else "Workbench In Use")
        self.setAccessibleName(info.title)
        self.setModal(True)
        self.setMinimumWidth(460)
        self.setMaximumWidth(640)

        icon = QLabel()
        pixmap_kind = QStyle.StandardPixmap.SP_MessageBoxCritical if info.severe else \
            QStyle.StandardPixmap.SP_MessageBoxInformation
        icon.setPixmap(self.style().standardIcon(pixmap_kind).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(info.title)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        title.setWordWrap(True)
        what = QLabel(info.what)
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        what.setAccessibleName("What happened")
        advice = QLabel(info.advice)
        advice.setWordWrap(True)
        advice.setAccessibleName("What you can do")
        path = getattr(error, "path", "")
        where = QLabel(path)
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setAccessibleName("File")
        where.setVisible(bool(path))
        where.setStyleSheet("color: palette(placeholder-text);")

        buttons = QDialogButtonBox()
        if info.offer_read_only:
            read_only = QPushButton("Open Read-Only")
            read_only.setAccessibleName("Open read-only")
            read_only.setDefault(True)
            buttons.addButton(read_only, QDialogButtonBox.ButtonRole.AcceptRole)
            read_only.clicked.connect(lambda: self._finish(READ_ONLY))
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.clicked.connect(lambda: self._finish(CLOSE, accepted=False))
        else:
            other = QPushButton("Open Another…")
            other.setAccessibleName("Open another file")
            buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
            other.clicked.connect(lambda: self._finish(OPEN_OTHER))
            close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setDefault(True)
            close.clicked.connect(lambda: self._finish(CLOSE, accepted=False))

        text = QVBoxLayout()
        text.setSpacing(8)
        text.addWidget(title)
        text.addWidget(what)
        text.addWidget(advice)
        text.addWidget(where)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addLayout(row)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    def _finish(self, choice: str, accepted: bool = True) -> None:
        self.choice = choice
        if accepted:
            self.accept()
        else:
            self.reject()

    @classmethod
    def ask(cls, parent: QWidget | None, error: Exception) -> tuple[str, bool]:
        """Show the dialog; returns (choice, accepted) — choice is ``readonly``, ``open_other`` or ``close``."""
        dialog = cls(error, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        choice = dialog.choice
        dialog.deleteLater()
        return choice, accepted

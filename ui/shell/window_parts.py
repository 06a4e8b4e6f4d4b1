"""Pieces of the main window's frame: status bar, banners, the welcome and the opening page.

Split out of ``main_window`` so that module holds the wiring (what happens) and this one the
furniture (what it looks like); none of these hold workbench state of their own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.services import icons
from workbench.domain.values import Counts


class InfoBar(QFrame):
    """A thin coloured banner above the editors: read-only state, recovery notices."""

    action_requested = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}Bar")
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Read-only notice" if kind == "readonly" else "Notice")
        self.button = QPushButton()
        self.button.setAccessibleName("Notice action")
        self.button.clicked.connect(self.action_requested)
        self.dismiss = QToolButton()
        self.dismiss.setText("✕")
        self.dismiss.setAccessibleName("Dismiss notice")
        self.dismiss.setToolTip("Dismiss")
        self.dismiss.setAutoRaise(True)
        self.dismiss.clicked.connect(self.hide)
        self.dismiss.setVisible(kind != "readonly")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        row.addWidget(self.dismiss)
        self.restyle()
        self.hide()

    def show_message(self, text: str, action: str = "") -> None:
        """Show the banner with ``text`` and, if given, an action button."""
        self.text.setText(text)
        self.button.setText(action)
        self.button.setAccessibleName(action)
        self.button.setVisible(bool(action))
        self.show()

    def restyle(self) -> None:
        """Colours for the current palette (amber for read-only, blue for notices)."""
        dark = icons.is_dark()
        if self.kind == "readonly":
            bg, fg, border = ("#4A3F1C", "#FFE9A8", "#6B5A22") if dark else ("#FFF3CD", "#5C4400", "#F0D98C")
            self.icon.setPixmap(icons.pixmap("in-review"))
        else:
            bg, fg, border = ("#1F3247", "#CFE3FF", "#2E4C6B") if dark else ("#E3EEFC", "#123A6B", "#B9D2F2")
            self.icon.setPixmap(icons.pixmap("approved"))
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ background: {bg}; border-bottom: 1px solid {border}; }}"
                           f" QFrame#{self.objectName()} QLabel {{ color: {fg}; }}")


class StatusParts:
    """The permanent status-bar fields: file, held/read-only, save state, counts, problems."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.file = QLabel()
        self.file.setAccessibleName("File")
        self.mode = QLabel()
        self.mode.setAccessibleName("Editing state")
        self.save = QLabel()
        self.save.setAccessibleName("Save state")
        self.counts = QLabel()
        self.counts.setAccessibleName("Counts")
        self.readonly = False
        self.problems = QLabel()
        self.problems.setAccessibleName("Problem count")
        for label in (self.file, self.mode, self.save, self.problems, self.counts):
            label.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(label)
        self.clear()

    def clear(self) -> None:
        """No file open."""
        self.file.setText("No workbench open")
        self.file.setToolTip("")
        for label in (self.mode, self.save, self.counts, self.problems):
            label.setText("")

    def show_file(self, path: Path, readonly: bool) -> None:
        """File name (full path in the tooltip) and whether it is held by us or read-only."""
        self.readonly = readonly
        self.file.setText(path.name)
        self.file.setToolTip(str(path))
        if readonly:
            self.mode.setText("Read-only")
            self.mode.setToolTip("Opened read-only: nothing can be changed and the file is not held")
            self.mode.setStyleSheet("color: #B26A00; font-weight: bold;")
        else:
            self.mode.setText("Editing (held by you)")
            self.mode.setToolTip("You hold this file; others who open it get a read-only copy")
            self.mode.setStyleSheet("")

    def show_save_state(self, state: str, error: str) -> None:
        """Saved / saving / pending / failed."""
        if self.readonly:
            self.save.setText("Nothing to save")
            self.save.setToolTip("A read-only session never writes to the file")
            return
        words = {"saved": "All changes saved", "pending": "Saving soon…", "saving": "Saving…",
                 "failed": "Not saved — edits kept safe"}
        self.save.setText(words.get(state, state))
        self.save.setToolTip(error or "Every edit is kept at once and written to the file within seconds")
        self.save.setStyleSheet("color: #C62828; font-weight: bold;" if state == "failed" else "")

    def show_counts(self, counts: object) -> None:
        """Personas, messages and terms."""
        if not isinstance(counts, Counts):
            return
        m = counts.messages
        total = sum(m.values())
        self.counts.setText(f"{counts.personas} persona{'s' if counts.personas != 1 else ''} · {total} "
                            f"message{'s' if total != 1 else ''} ({m.get('approved', 0)} approved) · "
                            f"{counts.terms} term{'s' if counts.terms != 1 else ''}")

    def show_problem_count(self, n: int) -> None:
        """Blocking problems (breaches and gaps)."""
        self.problems.setText(f"⚠ {n} problem{'s' if n != 1 else ''}" if n else "✓ No problems")


class WelcomePage(QWidget):
    """Shown when no workbench is open: what the app is and the two ways to start."""

    new_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Persona Workbench")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        blurb = QLabel("Storied personas, approved messaging for every channel, one shared vocabulary "
                       "and a playbook your reps can print — all in one file.")
        blurb.setWordWrap(True)
        blurb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        blurb.setMaximumWidth(520)
        new = QPushButton("New Workbench…")
        new.setAccessibleName("New workbench")
        new.clicked.connect(self.new_requested)
        open_ = QPushButton("Open…")
        open_.setAccessibleName("Open a workbench")
        open_.clicked.connect(self.open_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(new)
        buttons.addWidget(open_)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(blurb, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)


class OpeningPage(QWidget):
    """Shown in the editor area while a file opens: blank at first (most opens finish at once),
    then "Opening NAME…" so a slow open of a big file never looks like a hang."""

    #: How long the page stays quiet before it says what is happening.
    QUIET_MS = 400

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("openingLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.label.show)

    def start(self, path: Path) -> None:
        """Say nothing for a moment, then that ``path`` is opening."""
        self.label.setText(f"Opening {path.name}…")
        self.label.setAccessibleName(f"Opening {path.name}")
        self.label.hide()
        self._timer.start(self.QUIET_MS)

    def stop(self) -> None:
        """The file is shown (or failed): stop the timer."""
        self._timer.stop()
        self.label.hide()

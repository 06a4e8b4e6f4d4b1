"""Pieces of the main window's frame: menus and actions, status bar, banners and the welcome page.

Split out of ``main_window`` so that module holds the wiring (what happens) and this one the
furniture (what it looks like); none of these hold workbench state of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
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

from ui.services import icons, settings
from workbench.domain.values import Counts

if TYPE_CHECKING:
    from types import ModuleType

    from ui.shell.main_window import MainWindow


def file_flows() -> ModuleType:
    """The File menu's flows, imported on first use: they need the editing core, which the first
    paint must not wait for."""
    from ui.shell import file_actions as module

    return module


#: Platform-standard keys, with the common binding where a platform defines none (offscreen, some X11).
FALLBACK_KEYS = {
    QKeySequence.StandardKey.New: "Ctrl+N", QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.SaveAs: "Ctrl+Shift+S", QKeySequence.StandardKey.Print: "Ctrl+P",
    QKeySequence.StandardKey.Close: "Ctrl+W", QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Find: "Ctrl+F", QKeySequence.StandardKey.Undo: "Ctrl+Z",
    QKeySequence.StandardKey.Redo: "Ctrl+Shift+Z",
}


def standard_keys(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """The platform's bindings for a standard action, never empty."""
    found = QKeySequence.keyBindings(key)
    return found or [QKeySequence(FALLBACK_KEYS.get(key, ""))]


def _action(window: QWidget, text: str, slot: Any, shortcut: QKeySequence.StandardKey | str | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(standard_keys(shortcut))
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    return action


def build_menus(w: MainWindow) -> dict[str, Any]:
    """Create the menu bar; returns the actions by key (plus ``edit_menu`` for undo/redo)."""
    sk = QKeySequence.StandardKey
    a: dict[str, Any] = {}
    bar = w.menuBar()

    file_menu = bar.addMenu("&File")
    a["new"] = _action(w, "&New Workbench…", lambda: file_flows().new_workbench(w), sk.New,
                       "Create an empty workbench file")
    a["open"] = _action(w, "&Open…", w.open_dialog, sk.Open, "Open a workbench file")
    a["recent_menu"] = recent = file_menu.addMenu("Open &Recent")
    recent.aboutToShow.connect(lambda: _fill_recent(w, recent))
    a["save_copy"] = _action(w, "Save a &Copy As…", lambda: file_flows().save_copy_as(w), sk.SaveAs,
                             "Write a copy of this workbench to another file")
    a["handoff"] = _action(w, "&Hand-off Copy…", lambda: file_flows().handoff(w), None,
                           "A copy for a client: approved content only, no internal notes or history")
    a["import"] = _action(w, "&Import…", lambda: file_flows().import_file(w), "Ctrl+Shift+I",
                          "Import a JSON document or merge another workbench")
    a["export_pdf"] = _action(w, "Export &Playbook…", w.export_playbook, sk.Print,
                              "Print a PDF playbook for sales")
    a["export_json"] = _action(w, "Export &JSON…", lambda: file_flows().export_json(w), "Ctrl+Shift+E",
                               "Export everything as a JSON document")
    a["close"] = _action(w, "&Close", w.close_file, sk.Close, "Close this workbench")
    a["quit"] = _action(w, "&Quit", w.close, sk.Quit, "Quit Persona Workbench")
    a["quit"].setMenuRole(QAction.MenuRole.QuitRole)
    file_menu.insertAction(recent.menuAction(), a["new"])
    file_menu.insertAction(recent.menuAction(), a["open"])
    file_menu.addSeparator()
    file_menu.addActions([a["save_copy"], a["handoff"]])
    file_menu.addSeparator()
    file_menu.addActions([a["import"], a["export_pdf"], a["export_json"]])
    file_menu.addSeparator()
    file_menu.addActions([a["close"], a["quit"]])

    edit_menu = bar.addMenu("&Edit")
    a["edit_menu"] = edit_menu
    edit_menu.addSeparator()
    a["find"] = _action(w, "&Find…", w.focus_search, sk.Find, "Search personas, messages, objections and lingo")
    edit_menu.addAction(a["find"])

    view_menu = bar.addMenu("&View")
    a["coverage"] = _action(w, "&Coverage Matrix", w.show_coverage, "Ctrl+1",
                            "Personas × channels: where approved messaging exists")
    a["coverage"].setIcon(icons.icon("matrix"))
    problems = w.problems_dock.toggleViewAction()
    problems.setText("&Problems")
    problems.setShortcut(QKeySequence("Ctrl+2"))
    a["problems"] = problems
    a["navigator"] = _action(w, "&Navigator", lambda on: w.sidebar.setVisible(on), "Ctrl+0",
                             "Show or hide the navigator and search")
    a["navigator"].setCheckable(True)
    a["navigator"].setChecked(True)
    view_menu.addActions([a["coverage"], problems, a["navigator"]])

    persona_menu = bar.addMenu("&Persona")
    a["new_persona"] = _action(w, "New &Persona", w.new_persona, "Ctrl+Shift+N", "Add a persona")
    a["new_persona"].setIcon(icons.icon("persona"))
    a["new_message"] = _action(w, "New &Message", lambda: w.new_message(None), "Ctrl+Shift+M",
                               "Add a draft message for the current persona")
    a["delete"] = _action(w, "&Delete Persona…", w.delete_current, None, "Delete what is shown (undo brings it back)")
    persona_menu.addActions([a["new_persona"], a["new_message"]])
    persona_menu.addSeparator()
    persona_menu.addAction(a["delete"])

    help_menu = bar.addMenu("&Help")
    a["about"] = _action(w, "&About Persona Workbench", w.about, None)
    a["about"].setMenuRole(QAction.MenuRole.AboutRole)
    help_menu.addAction(a["about"])
    return a


def _fill_recent(w: MainWindow, menu: Any) -> None:
    menu.clear()
    items = settings.RECENT_FILES.get()
    for i, path in enumerate(items, 1):
        label = f"&{i} {Path(path).name}" if i < 10 else Path(path).name
        action = menu.addAction(label)
        action.setToolTip(path)
        action.setStatusTip(path)
        action.setEnabled(Path(path).exists())
        action.triggered.connect(lambda _c=False, p=path: w.open_path(p))
    if not items:
        none = menu.addAction("No Recent Files")
        none.setEnabled(False)
        return
    menu.addSeparator()
    clear = menu.addAction("Clear Menu")
    clear.triggered.connect(lambda: settings.RECENT_FILES.set([]))


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

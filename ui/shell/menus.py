"""The menu bar: every action, its shortcut and what it calls on the window.

The File flows (:mod:`ui.shell.file_actions`) are imported when an action first runs: they need the
editing core (SQLAlchemy), which the window's first paint must not wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from ui.services import icons, settings
from ui.shell.host import MenuHost, WindowHost

#: Platform-standard keys, with the common binding where a platform defines none (offscreen, some X11).
FALLBACK_KEYS = {
    QKeySequence.StandardKey.New: "Ctrl+N", QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.SaveAs: "Ctrl+Shift+S", QKeySequence.StandardKey.Print: "Ctrl+P",
    QKeySequence.StandardKey.Close: "Ctrl+W", QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Find: "Ctrl+F", QKeySequence.StandardKey.Undo: "Ctrl+Z",
    QKeySequence.StandardKey.Redo: "Ctrl+Shift+Z",
}


@dataclass
class Menus:
    """The menu bar's actions by key, and the two menus the window fills later."""

    actions: dict[str, QAction]
    #: Edit: undo/redo of the open file are inserted at its top.
    edit_menu: QMenu
    #: File › Open Recent: filled each time it opens.
    recent_menu: QMenu


def standard_keys(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """The platform's bindings for a standard action, never empty."""
    found = QKeySequence.keyBindings(key)
    return found or [QKeySequence(FALLBACK_KEYS.get(key, ""))]


def new_workbench(w: WindowHost) -> None:
    """File › New (also the welcome page's button)."""
    from ui.shell import file_actions

    file_actions.new_workbench(w)


def _save_copy_as(w: WindowHost) -> None:
    from ui.shell import file_actions

    file_actions.save_copy_as(w)


def _handoff(w: WindowHost) -> None:
    from ui.shell import file_actions

    file_actions.handoff(w)


def _import_file(w: WindowHost) -> None:
    from ui.shell import file_actions

    file_actions.import_file(w)


def _export_json(w: WindowHost) -> None:
    from ui.shell import file_actions

    file_actions.export_json(w)


def _action(window: QWidget, text: str, slot: Callable[..., object],
            shortcut: QKeySequence.StandardKey | str | None = None, tip: str = "") -> QAction:
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


def build_menus(w: MenuHost) -> Menus:
    """Create the menu bar; returns its actions by key and the menus filled later."""
    sk = QKeySequence.StandardKey
    a: dict[str, QAction] = {}
    bar = w.menuBar()
    parent = w.window()

    file_menu = bar.addMenu("&File")
    a["new"] = _action(parent, "&New Workbench…", lambda: new_workbench(w), sk.New,
                       "Create an empty workbench file")
    a["open"] = _action(parent, "&Open…", w.open_dialog, sk.Open, "Open a workbench file")
    recent = file_menu.addMenu("Open &Recent")
    recent.aboutToShow.connect(lambda: _fill_recent(w, recent))
    a["save_copy"] = _action(parent, "Save a &Copy As…", lambda: _save_copy_as(w), sk.SaveAs,
                             "Write a copy of this workbench to another file")
    a["handoff"] = _action(parent, "&Hand-off Copy…", lambda: _handoff(w), None,
                           "A copy for a client: approved content only, no internal notes or history")
    a["import"] = _action(parent, "&Import…", lambda: _import_file(w), "Ctrl+Shift+I",
                          "Import a JSON document or merge another workbench")
    a["export_pdf"] = _action(parent, "Export &Playbook…", w.export_playbook, sk.Print,
                              "Print a PDF playbook for sales")
    a["export_json"] = _action(parent, "Export &JSON…", lambda: _export_json(w), "Ctrl+Shift+E",
                               "Export everything as a JSON document")
    a["close"] = _action(parent, "&Close", w.close_file, sk.Close, "Close this workbench")
    a["quit"] = _action(parent, "&Quit", w.close, sk.Quit, "Quit Persona Workbench")
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
    edit_menu.addSeparator()
    a["find"] = _action(parent, "&Find…", w.focus_search, sk.Find,
                        "Search personas, messages, objections and lingo")
    edit_menu.addAction(a["find"])

    view_menu = bar.addMenu("&View")
    a["coverage"] = _action(parent, "&Coverage Matrix", w.show_coverage, "Ctrl+1",
                            "Personas × channels: where approved messaging exists")
    a["coverage"].setIcon(icons.icon("matrix"))
    problems = w.problems_dock.toggleViewAction()
    problems.setText("&Problems")
    problems.setShortcut(QKeySequence("Ctrl+2"))
    a["problems"] = problems
    a["navigator"] = _action(parent, "&Navigator", lambda on: w.sidebar.setVisible(on), "Ctrl+0",
                             "Show or hide the navigator and search")
    a["navigator"].setCheckable(True)
    a["navigator"].setChecked(True)
    view_menu.addActions([a["coverage"], problems, a["navigator"]])

    persona_menu = bar.addMenu("&Persona")
    a["new_persona"] = _action(parent, "New &Persona", w.new_persona, "Ctrl+Shift+N", "Add a persona")
    a["new_persona"].setIcon(icons.icon("persona"))
    a["new_message"] = _action(parent, "New &Message", lambda: w.new_message(None), "Ctrl+Shift+M",
                               "Add a draft message for the current persona")
    a["delete"] = _action(parent, "&Delete Persona…", w.delete_current, None,
                          "Delete what is shown (undo brings it back)")
    persona_menu.addActions([a["new_persona"], a["new_message"]])
    persona_menu.addSeparator()
    persona_menu.addAction(a["delete"])

    help_menu = bar.addMenu("&Help")
    a["about"] = _action(parent, "&About Persona Workbench", w.about, None)
    a["about"].setMenuRole(QAction.MenuRole.AboutRole)
    help_menu.addAction(a["about"])
    return Menus(a, edit_menu, recent)


def _fill_recent(w: WindowHost, menu: QMenu) -> None:
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

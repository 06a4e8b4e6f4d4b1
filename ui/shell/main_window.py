"""The main window: navigator and search on the left, the selected editor in the middle, problems
below, file state in the status bar — and the one place where widgets' requests are wired together.

Everything tied to an open file (controller, navigator, editors, matrix, panels) is built fresh per
file by :meth:`MainWindow.install` and thrown away by :meth:`close_file`; the window itself, its
menus, splitter and docks persist. Opening runs in stages on pool threads (:mod:`ui.shell.opening`): the
navigator paints from a quick plain-SQLite look at the file before the editing core (SQLAlchemy)
and the editors are even imported — which is why those imports live inside the methods that need them.

The window hands itself to its flows — opening (:class:`~ui.shell.opening.OpeningFlow`), pages
(:class:`~ui.shell.window_pages.Pages`), menus, File and Edit actions — typed as the protocols of
:mod:`ui.shell.host`, so none of them imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.panels.navigator import Navigator, PersonaSource
from ui.panels.search_panel import SearchPanel, SearchSource
from ui.services import settings
from ui.services.background import BackgroundQuery
from ui.shell import menus, prompts
from ui.shell.opening import OpeningFlow
from ui.shell.window_pages import Pages
from ui.shell.window_parts import InfoBar, OpeningPage, StatusParts, WelcomePage
from workbench.domain import errors
from workbench.domain.values import Counts
from workbench.store.sqlite.reader import FirstLook

if TYPE_CHECKING:
    from ui.panels.problems_panel import ProblemsPanel
    from ui.services.controller import WorkbenchController
    from ui.shell.export_dialog import PlaybookExport
    from ui.widgets.busy_dialog import BusyDialog
    from workbench.session import Workbench
    from workbench.store.changes import Change


DEFAULT_SIZE = QSize(1280, 800)


class MainWindow(QMainWindow):
    """One window, one open workbench at a time."""

    #: A workbench was opened and its views built: the file path.
    file_opened = Signal(str)
    #: The file's views are painted (possibly still read-only while it is prepared for editing).
    file_shown = Signal(str)
    #: Opening failed (after the dialog): the file path.
    open_failed = Signal(str)
    #: The open workbench was closed.
    file_closed = Signal()
    #: A background file task (copy, hand-off, export, import) ended: its title.
    task_finished = Signal(str)
    #: A playbook export ended: (path, ok).
    export_finished = Signal(str, bool)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.controller: WorkbenchController | None = None
        self.navigator: Navigator | None = None
        self.search_panel: SearchPanel | None = None
        self.problems_panel: ProblemsPanel | None = None
        self.tasks: list[BackgroundQuery] = []
        self.export: PlaybookExport | None = None
        self.current_persona: str | None = None
        self.current_message: str | None = None
        #: Opening files in stages (one at a time).
        self.opening = OpeningFlow(self, self)
        self._undo_actions: list[QAction] = []
        self._busy_dialog: BusyDialog | None = None
        self._conflict_path: Path | None = None

        # Persistent frame: sidebar | stack, with banners above, problems dock below.
        self.sidebar = QWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setMinimumWidth(220)
        self._sidebar_layout = QVBoxLayout(self.sidebar)
        self._sidebar_layout.setContentsMargins(6, 6, 0, 6)
        self._sidebar_layout.setSpacing(6)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.welcome = WelcomePage()
        self.welcome.new_requested.connect(lambda: menus.new_workbench(self))
        self.welcome.open_requested.connect(self.open_dialog)
        self.stack.addWidget(self.welcome)
        self.opening_page = OpeningPage()
        self.stack.addWidget(self.opening_page)
        #: The pages (editors, coverage), built when first shown, and navigation between them.
        self.nav = Pages(self, self.stack)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 990])
        self.readonly_bar = InfoBar("readonly")
        self.readonly_bar.action_requested.connect(self._retry_editable)
        self.notice_bar = InfoBar("notice")
        self.notice_bar.action_requested.connect(self._notice_action)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.readonly_bar)
        column.addWidget(self.notice_bar)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                                           | Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock.setWidget(QLabel())
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.resizeDocks([self.problems_dock], [125], Qt.Orientation.Vertical)
        self.status = StatusParts(self.statusBar())
        built = menus.build_menus(self)
        self.actions_ = built.actions
        self.edit_menu = built.edit_menu
        self.recent_menu = built.recent_menu
        self._counts = BackgroundQuery(self)
        self._counts.finished.connect(self.status.show_counts)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(300)
        self._counts_timer.timeout.connect(self._refresh_counts)
        self.update_state()

    # --- opening and closing ------------------------------------------------------------------

    def open_path(self, path: str | Path, readonly: bool = False) -> None:
        """Open ``path`` in stages (see :mod:`ui.shell.opening`); ``file_shown``, ``file_opened`` or a dialog follow."""
        self.opening.open_path(path, readonly)

    def show_opening(self, path: Path) -> None:
        """Nothing is shown yet: the editor area says that ``path`` is opening."""
        self.opening_page.start(path)
        self.stack.setCurrentWidget(self.opening_page)

    def show_first_look(self, look: FirstLook) -> QWidget:
        """Stage 1 of opening: the persona list, search and status from the user's file, before the
        editing core loads; returns the list's viewport (its first paint lets the core load)."""
        self.search_panel = self._make_search_panel(look.reader)
        self.navigator = self._make_navigator(look.reader)
        self.status.show_file(look.path, True)
        self.show_read_only(
            "Preparing this workbench for editing… You can read it meanwhile." if not look.readonly else
            "This workbench is open read-only: you can read, search and export it, but not change it.")
        return self.navigator.tree.viewport()

    def count_with(self, counts: Callable[[], Counts]) -> None:
        """Fill the status bar's counts from ``counts`` on a pool thread."""
        self._counts.start(counts)

    def show_read_only(self, text: str, action: str = "") -> None:
        """The read-only banner, with an optional action button."""
        self.readonly_bar.show_message(text, action)

    def open_dialog(self) -> None:
        """File › Open."""
        folder = str(self.controller.workbench.path.parent) if self.controller else ""
        path = prompts.open_path(self, folder)
        if path:
            self.open_path(path)

    def install(self, controller: WorkbenchController, wb: Workbench) -> None:
        """Build every per-file view over ``controller`` and wire their requests together."""
        from ui.panels.problems_panel import ProblemsPanel

        self.controller = controller
        controller.changed.connect(self._on_change)
        controller.failed.connect(lambda title, text: prompts.show_error(self, title, text))
        controller.save_state_changed.connect(self.status.show_save_state)
        controller.rechecking.connect(self._show_rechecking)
        controller.busy_started.connect(self._show_busy)
        controller.busy_ended.connect(self._hide_busy)
        if self.navigator is None:
            self.navigator = self._make_navigator(wb)
        self.navigator.attach(controller)
        if self.search_panel is None:
            self.search_panel = self._make_search_panel(wb)
        else:
            self.search_panel.set_source(wb)
        if self.problems_panel is None:  # docked last, so Tab goes search → navigator → editor → problems
            self.problems_panel = ProblemsPanel(controller)
            self.problems_panel.jump_requested.connect(self.nav.jump_to_problem)
            self.problems_panel.counted.connect(self.status.show_problem_count)
            self.problems_dock.setWidget(self.problems_panel)
        else:  # rebuilt for editing: the same file, the same problems
            self.problems_panel.attach(controller)
            if not self.problems_panel.busy:  # otherwise its check reports when done
                self.status.show_problem_count(sum(1 for p in self.problems_panel.problems if p.blocking))
        self._install_undo(controller)
        self.setTabOrder(self.search_panel.field, self.navigator.tree)
        self.opening_page.stop()
        self.status.show_file(wb.path, wb.readonly)
        self.status.show_save_state("saved", "")
        if wb.preparing:
            self.readonly_bar.show_message(
                "Preparing this workbench for editing… You can read and search it meanwhile.")
        elif wb.readonly:
            self.readonly_bar.show_message(
                "This workbench is open read-only: you can read, search and export it, but not change it.",
                "Try Editing Again")
        else:
            self.readonly_bar.hide()
        self._show_recovery_notice(wb)
        self.update_state()
        self._refresh_counts()
        if self.current_persona is not None:
            self.show_persona(self.current_persona)  # picked in the list while the views loaded
            return
        first = wb.persona_summaries(0, 1)
        if first:
            self.show_persona(first[0].id)
        else:
            self.show_section("narrative")

    def _install_undo(self, controller: WorkbenchController) -> None:
        menu = self.edit_menu
        undo = controller.undo_stack.createUndoAction(self)
        undo.setShortcuts(menus.standard_keys(QKeySequence.StandardKey.Undo))
        redo = controller.undo_stack.createRedoAction(self)
        redo.setShortcuts(menus.standard_keys(QKeySequence.StandardKey.Redo))
        if menu.actions():
            menu.insertActions(menu.actions()[0], [undo, redo])
        else:
            menu.addActions([undo, redo])
        self._undo_actions = [undo, redo]
        if controller.readonly:
            undo.setEnabled(False)
            redo.setEnabled(False)

    def _show_recovery_notice(self, wb: Workbench) -> None:
        file = wb.file
        self._conflict_path = file.recovered_conflict
        if file.recovered_conflict is not None:
            self.notice_bar.show_message(
                f"{wb.path.name} was changed elsewhere after your last session ended unexpectedly. Your unsaved "
                f"edits were kept as {file.recovered_conflict.name}.", "Open Them")
        elif file.recovered:
            self.notice_bar.show_message("Your edits from the last session, which ended unexpectedly, were "
                                         "recovered and are being saved to the file.", "")
        elif file.migrated_from is not None and file.backup_path is not None:
            self.notice_bar.show_message(f"This workbench was upgraded to the current format. A backup of the "
                                         f"original is at {file.backup_path.name}.", "")
        else:
            self.notice_bar.hide()

    def _notice_action(self) -> None:
        if self._conflict_path is not None:
            self.open_path(self._conflict_path)

    def _retry_editable(self) -> None:
        if self.controller is not None:
            self.open_path(self.controller.workbench.path, readonly=False)

    def close_file(self) -> bool:
        """Final write-back and release; False when the person chose to keep the file open.

        The write-back of a big file takes seconds: it runs on a worker behind the busy dialog
        (:meth:`WorkbenchController.final_write_back`), and so does the release."""
        c = self.controller
        if c is None:
            return True
        if c.busy:  # a long command is running (only a programmatic close gets here): not now
            return False
        saved_copy = False
        if not c.readonly:
            try:
                c.final_write_back()
            except (errors.ChangedOnDisk, errors.CouldNotSave) as exc:
                choice = prompts.ask_unsaved_close(self, exc)
                if choice == prompts.KEEP_OPEN:
                    return False
                if choice == prompts.SAVE_COPY:
                    if not self._save_copy_before_close(c):
                        return False
                    saved_copy = True
        if self.export is not None and self.export.running:
            self.export.cancel()
            self.export.worker_thread.wait()
        self.teardown()
        try:
            c.close()
        except errors.WorkbenchError:
            pass  # already offered a copy; the working copy keeps the edits for recovery
        working = c.workbench.file.working
        if saved_copy and working is not None:
            working.discard()  # every edit is in the copy: nothing to recover next time
        c.deleteLater()
        self.file_closed.emit()
        return True

    def _save_copy_before_close(self, c: WorkbenchController) -> bool:
        wb = c.workbench
        path = prompts.save_path(self, "Save a Copy As", str(wb.path.with_name(f"{wb.path.stem} (my edits).workbench")),
                                 prompts.WORKBENCH_FILTER, ".workbench")
        if not path:
            return False
        try:
            c.run_long("Save a Copy", f"Saving a copy as {Path(path).name}…", lambda: wb.save_copy_as(path))
        except errors.WorkbenchError as exc:
            prompts.show_error(self, "Could Not Save the Copy", str(exc))
            return False
        settings.add_recent(path)
        return True

    def teardown(self, *, rebuilding: bool = False) -> None:
        """Drop every per-file widget; the frame stays (and, when rebuilding the same file for
        editing, the navigator and the problems found)."""
        for action in self._undo_actions:
            self.edit_menu.removeAction(action)
            action.deleteLater()
        self._undo_actions = []
        navigator, search_panel = self.navigator, self.search_panel
        for widget in () if rebuilding else (self.navigator, self.search_panel):
            if widget is not None:
                self._sidebar_layout.removeWidget(widget)
                widget.deleteLater()
        self.nav.retire_all()
        problems = self.problems_panel
        if problems is not None and not rebuilding:
            self.problems_dock.setWidget(QLabel())
            problems.deleteLater()
        self.search_panel = search_panel if rebuilding else None
        self.navigator = navigator if rebuilding else None
        self.problems_panel = problems if rebuilding else None
        self.controller = None
        self.current_persona = self.current_message = None
        self.stack.setCurrentWidget(self.welcome)
        self.readonly_bar.hide()
        self.notice_bar.hide()
        self.status.clear()
        self.update_state()

    def _make_search_panel(self, source: SearchSource) -> SearchPanel:
        panel = SearchPanel(source)
        panel.open_requested.connect(self.nav.open_item)
        panel.active_changed.connect(lambda active: self.navigator.setVisible(not active)
                                     if self.navigator else None)
        self._sidebar_layout.insertWidget(0, panel, 0)
        return panel

    def _make_navigator(self, source: PersonaSource) -> Navigator:
        navigator = Navigator(source)
        navigator.persona_selected.connect(self.nav.show_persona)
        navigator.section_selected.connect(self.nav.show_section)
        self._sidebar_layout.addWidget(navigator, 1)
        return navigator

    def _show_rechecking(self, running: bool) -> None:
        if running:
            self.statusBar().showMessage("Checking the lingo in the messages this change affects…")
        else:
            self.statusBar().clearMessage()

    def _show_busy(self, title: str, text: str) -> None:
        """A long command outlasted a moment on its worker: the modal busy dialog until it ends."""
        from ui.widgets.busy_dialog import BusyDialog

        self._hide_busy()
        self._busy_dialog = BusyDialog(self, title, text)
        self._busy_dialog.show()

    def _hide_busy(self) -> None:
        dialog, self._busy_dialog = self._busy_dialog, None
        if dialog is not None:
            dialog.finish()

    # --- navigation (see ui.shell.window_pages) -------------------------------------------------

    def current_page(self) -> str | None:
        """The key of the page on show, if any."""
        return self.nav.current_key()

    def show_persona(self, persona_id: str) -> None:
        """Show a persona in the persona editor and highlight it in the navigator."""
        self.nav.show_persona(persona_id)

    def show_message(self, message_id: str) -> None:
        """Show a message in the message editor (its persona stays current)."""
        self.nav.show_message(message_id)

    def show_section(self, key: str) -> None:
        """Show a navigator section's page."""
        self.nav.show_section(key)

    def show_coverage(self) -> None:
        """View › Coverage Matrix."""
        self.nav.show_section("coverage")

    def focus_search(self) -> None:
        """Edit › Find."""
        if self.search_panel is not None:
            self.sidebar.setVisible(True)
            self.actions_["navigator"].setChecked(True)
            self.search_panel.focus_field()

    # --- creating, deleting and exporting (flows in edit_actions / file_actions) ---------------

    def new_persona(self) -> None:
        """Persona › New Persona."""
        from ui.shell import edit_actions

        edit_actions.new_persona(self)

    def new_message(self, persona_id: str | None = None) -> None:
        """Persona › New Message (or the persona editor's request)."""
        from ui.shell import edit_actions

        edit_actions.new_message(self, persona_id)

    def create_message(self, persona_id: str, channel_id: str, stage: str) -> None:
        """A draft for one matrix cell, opened in the message editor."""
        from ui.shell import edit_actions

        edit_actions.create_message(self, persona_id, channel_id, stage)

    def delete_current(self) -> None:
        """Persona › Delete…."""
        from ui.shell import edit_actions

        edit_actions.delete_current(self)

    def export_playbook(self) -> None:
        """File › Export Playbook…."""
        from ui.shell import file_actions

        file_actions.export_playbook(self)

    def start_export(self, path: Path, options: object, export_fn: Callable[..., object] | None = None) -> PlaybookExport:
        """Run a playbook export in the background (``export_fn`` replaces the core's, for tests)."""
        from ui.shell import file_actions

        return file_actions.start_export(self, path, options, export_fn)

    # --- state, layout, events ----------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        self._counts_timer.start()
        if "persona" in change.kinds and self.current_persona in change.deleted("persona"):
            self.current_persona = None
        if "message" in change.kinds and self.current_message in change.deleted("message"):
            self.current_message = None
        self.update_state()

    def _refresh_counts(self) -> None:
        if self.controller is not None:
            self._counts.start(self.controller.workbench.counts)

    def update_state(self) -> None:
        """Enable actions for what is open and editable; set the title."""
        c = self.controller
        has_file = c is not None
        editable = c is not None and not c.readonly
        a = self.actions_
        for key in ("save_copy", "handoff", "export_pdf", "export_json", "close", "find", "coverage"):
            a[key].setEnabled(has_file)
        a["import"].setEnabled(editable)
        a["new_persona"].setEnabled(editable)
        a["new_message"].setEnabled(editable and self.current_persona is not None)
        shown = self.current_page()
        on_message = shown == "message" and self.current_message is not None
        a["delete"].setText("&Delete Message…" if on_message else "&Delete Persona…")
        a["delete"].setEnabled(editable and (on_message or (self.current_persona is not None and shown == "persona")))
        if c is None:
            self.setWindowTitle("Persona Workbench")
        else:
            suffix = " (read-only)" if c.readonly else ""
            self.setWindowTitle(f"{c.workbench.path.name}{suffix} — Persona Workbench")

    def restore_layout(self) -> None:
        """Geometry, dock and splitter positions from last time (or a sensible 1280×800)."""
        geometry = settings.WINDOW_GEOMETRY.get()
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(DEFAULT_SIZE)
        state = settings.WINDOW_STATE.get()
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = settings.SPLITTER_STATE.get()
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        self.actions_["navigator"].setChecked(self.sidebar.isVisible() or not self.isVisible())

    def save_layout(self) -> None:
        """Remember geometry, docks and splitter."""
        settings.WINDOW_GEOMETRY.set(self.saveGeometry())
        settings.WINDOW_STATE.set(self.saveState())
        settings.SPLITTER_STATE.set(self.splitter.saveState())

    def follow_color_scheme(self, _scheme: object = None) -> None:
        """The system switched between light and dark: switch palettes and redraw."""
        from ui.services.theme import apply_scheme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_scheme(app)
        self.palette_changed()

    def palette_changed(self) -> None:
        """The system switched between light and dark: redraw what caches colours."""
        if self.navigator is not None:
            self.navigator.refresh_palette()
        if self.problems_panel is not None:
            self.problems_panel.refresh_palette()
        self.readonly_bar.restyle()
        self.notice_bar.restyle()
        # Style sheets resolve palette(...) colours when set: set them again under the new palette.
        for widget in self.findChildren(QWidget):
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)
        self.update()

    def about(self) -> None:
        """Help › About."""
        from workbench import __version__

        prompts.about(self, __version__)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.controller is not None and self.controller.busy:
            # A long command is running (the busy dialog blocks the window, so this is SIGTERM or
            # a timer): close once it is done rather than under it.
            event.ignore()
            QTimer.singleShot(250, self, self.close)
            return
        self.save_layout()
        if not self.close_file():
            event.ignore()
            return
        self.opening.closing = True
        if self.opening.running:
            # A file is being opened on the pool: let it finish and deliver its result, which
            # the opening flow gives straight back (lock released) now that we are closing.
            QThreadPool.globalInstance().waitForDone(60_000)
            QApplication.processEvents()
        if self.controller is not None and not self.close_file():  # opened while we waited
            self.opening.closing = False
            event.ignore()
            return
        self.opening.release_look()  # closed before its session started
        for task in list(self.tasks):
            task.cancel()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if _dropped_workbench(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = _dropped_workbench(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_path(path)


def _dropped_workbench(event: QDragEnterEvent | QDropEvent) -> str | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".workbench"):
            return url.toLocalFile()
    return None

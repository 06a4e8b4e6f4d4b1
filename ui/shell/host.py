"""What the window's flows need from the window, named as Protocols so that no flow imports the window.

The File and Edit flows (:mod:`ui.shell.file_actions`, :mod:`ui.shell.edit_actions`), the menus
(:mod:`ui.shell.menus`), opening a file in stages (:mod:`ui.shell.opening`) and page navigation
(:mod:`ui.shell.window_pages`) are each handed the main window typed as the narrowest protocol
here that covers what they use. The window imports them; none of them imports the window, so the
shell has no import circle — not even a type-only one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QDockWidget, QMenuBar, QStatusBar, QWidget

    from ui.panels.navigator import Navigator
    from ui.panels.problems_panel import ProblemsPanel
    from ui.services.background import BackgroundQuery
    from ui.services.controller import WorkbenchController
    from ui.shell.export_dialog import PlaybookExport
    from workbench.domain.values import Counts
    from workbench.session import Workbench
    from workbench.store.sqlite.reader import FirstLook


class Shown(Protocol):
    """The window as every flow sees it: the open file's controller, and where dialogs and status go."""

    @property
    def controller(self) -> WorkbenchController | None:
        """The open workbench's controller (None: nothing open)."""

    def window(self) -> QWidget:
        """The top-level widget: the parent of every dialog a flow asks (``QWidget.window``)."""

    def statusBar(self) -> QStatusBar:  # noqa: N802 - the QMainWindow method
        """Where a flow says what it is doing."""


class Navigation(Shown, Protocol):
    """Going to what a flow made or found."""

    current_persona: str | None
    current_message: str | None

    def show_persona(self, persona_id: str) -> None:
        """Show a persona in its editor."""

    def show_message(self, message_id: str) -> None:
        """Show a message in its editor."""

    def show_section(self, key: str) -> None:
        """Show a navigator section's page."""


class WindowHost(Navigation, Protocol):
    """What the File and Edit flows use: navigation, background tasks, the export and opening files."""

    tasks: list[BackgroundQuery]
    export: PlaybookExport | None

    @property
    def task_finished(self) -> SignalInstance:
        """Emitted with a task's title when a background file task ended (tests wait on it)."""

    @property
    def export_finished(self) -> SignalInstance:
        """Emitted with (path, ok) when a playbook export ended."""

    def current_page(self) -> str | None:
        """The key of the page on show ("persona", "message", "coverage", …), if any."""

    def open_path(self, path: str | Path, readonly: bool = False) -> None:
        """Open a workbench file (in stages; a dialog on failure)."""


class MenuHost(WindowHost, Protocol):
    """What the menu bar's actions call, besides the File flows they import on first use."""

    problems_dock: QDockWidget
    sidebar: QWidget

    def menuBar(self) -> QMenuBar:  # noqa: N802 - the QMainWindow method
        """The window's menu bar."""

    def close(self) -> bool:
        """Quit: close the window (final write-back, lock released)."""

    def open_dialog(self) -> None:
        """File › Open."""

    def close_file(self) -> bool:
        """File › Close."""

    def export_playbook(self) -> None:
        """File › Export Playbook."""

    def focus_search(self) -> None:
        """Edit › Find."""

    def show_coverage(self) -> None:
        """View › Coverage Matrix."""

    def new_persona(self) -> None:
        """Persona › New Persona."""

    def new_message(self, persona_id: str | None = None) -> None:
        """Persona › New Message."""

    def delete_current(self) -> None:
        """Persona › Delete."""

    def about(self) -> None:
        """Help › About."""


class PagesHost(Navigation, Protocol):
    """What page navigation needs: the panels it keeps in step and the flows a page may ask for."""

    @property
    def navigator(self) -> Navigator | None:
        """The persona list (None while no file is shown)."""

    @property
    def problems_panel(self) -> ProblemsPanel | None:
        """The problems dock's panel (None while no file is open)."""

    def new_message(self, persona_id: str | None = None) -> None:
        """A new draft for a persona (the persona editor asks)."""

    def create_message(self, persona_id: str, channel_id: str, stage: str) -> None:
        """A draft for one matrix cell (the coverage view asks)."""

    def update_state(self) -> None:
        """Enable the actions for what is now shown."""


class OpeningHost(Navigation, Protocol):
    """What opening a file in stages needs: to show each stage, and to install or drop its views."""

    @property
    def file_opened(self) -> SignalInstance:
        """Emitted with the path once the file's views are built (editable, or read-only for good)."""

    @property
    def file_shown(self) -> SignalInstance:
        """Emitted with the path once the persona list is painted."""

    @property
    def open_failed(self) -> SignalInstance:
        """Emitted with the path after an opening failed and its dialog was answered."""

    def open_dialog(self) -> None:
        """Ask for another file to open."""

    def close_file(self) -> bool:
        """Close the open file (False: the person kept it open)."""

    def show_opening(self, path: Path) -> None:
        """Nothing is shown yet: say that ``path`` is opening."""

    def show_first_look(self, look: FirstLook) -> QWidget:
        """Show the persona list and status from a first look; returns the widget whose first paint
        lets the editing core load."""

    def count_with(self, counts: Callable[[], Counts]) -> None:
        """Fill the status bar's counts from ``counts`` (run off the GUI thread)."""

    def show_read_only(self, text: str, action: str = "") -> None:
        """The read-only banner, with an optional action button (e.g. "Try Editing Again")."""

    def install(self, controller: WorkbenchController, wb: Workbench) -> None:
        """Build every per-file view over ``controller``."""

    def teardown(self, *, rebuilding: bool = False) -> None:
        """Drop every per-file view (keeping the navigator and problems when ``rebuilding``)."""

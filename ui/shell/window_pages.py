"""The main window's pages and navigation between them (a mixin of :class:`ui.shell.main_window.MainWindow`).

Pages — the editors and the coverage view — are built the first time they are shown: building them
all when a file opened read every objection, every persona for two choosers and every channel's
message count of a big workbench before anything showed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from workbench.domain.values import Problem

if TYPE_CHECKING:
    from ui.pages.coverage_view import CoverageView
    from ui.panels.navigator import Navigator
    from ui.panels.problems_panel import ProblemsPanel
    from ui.panels.search_panel import SearchPanel
    from ui.services.controller import WorkbenchController


#: Page key → (module, class) of the editor pages, imported when first shown.
EDITORS: dict[str, tuple[str, str]] = {
    "persona": ("ui.pages.persona_editor", "PersonaEditor"),
    "message": ("ui.pages.message_editor", "MessageEditor"),
    "narrative": ("ui.pages.narrative_editor", "NarrativeEditor"),
    "channels": ("ui.pages.channel_editor", "ChannelEditor"),
    "lingo": ("ui.pages.lingo_editor", "LingoEditor"),
    "objections": ("ui.pages.objection_editor", "ObjectionEditor"),
}


def _make_editor(key: str, controller: WorkbenchController) -> QWidget:
    module_name, class_name = EDITORS[key]
    widget: QWidget = getattr(importlib.import_module(module_name), class_name)(controller)
    return widget


class PageNavigation:
    """Which page shows what: personas, messages, sections, search hits and problems."""

    controller: WorkbenchController | None
    pages: dict[str, QWidget]
    stack: QStackedWidget
    navigator: Navigator | None
    search_panel: SearchPanel | None
    problems_panel: ProblemsPanel | None
    current_persona: str | None
    current_message: str | None
    sidebar: QWidget
    actions_: dict[str, Any]

    def page(self, key: str) -> QWidget | None:
        """The page for ``key`` (an editor, or "coverage"), built the first time it is needed.

        Building every page when a file opens read all 20,000 objections, every persona for the
        choosers and every channel's message count of a big workbench before anything showed.
        """
        if self.controller is None:
            return None
        found = self.pages.get(key)
        if found is not None:
            return found
        if key == "coverage":
            from ui.pages.coverage_view import CoverageView

            view = CoverageView(self.controller)
            view.open_message_requested.connect(self.show_message)
            view.create_message_requested.connect(self.create_message)
            found = view
        elif key in EDITORS:
            found = _make_editor(key, self.controller)
            if hasattr(found, "open_message_requested"):  # the persona editor
                found.open_message_requested.connect(self.show_message)
            if hasattr(found, "new_message_requested"):
                found.new_message_requested.connect(self.new_message)
            if hasattr(found, "open_persona_requested"):  # the message editor
                found.open_persona_requested.connect(self.show_persona)
        else:
            return None
        self.pages[key] = found
        self.stack.addWidget(found)
        self._problems_last_in_tab_order()
        return found

    def _problems_last_in_tab_order(self) -> None:
        """Keep Tab running search → navigator → editor → problems when a page is built late
        (a new page's widgets join the end of the window's focus chain, after the problems list)."""
        panel = self.problems_panel
        if panel is None:
            return
        last = self.previousInFocusChain()  # the chain is a ring starting at the window: its end
        for widget in panel.findChildren(QWidget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget is not last:
                QWidget.setTabOrder(last, widget)
                last = widget

    @property
    def coverage_view(self) -> CoverageView | None:
        """The coverage matrix view (built on first use)."""
        return self.page("coverage")  # type: ignore[return-value]

    def _show_page(self, key: str) -> QWidget | None:
        page = self.page(key)
        if page is not None:
            self.stack.setCurrentWidget(page)
        self._update_state()
        return page

    def show_persona(self, persona_id: str) -> None:
        """Show a persona in the persona editor and highlight it in the navigator."""
        self.current_persona = persona_id
        self.current_message = None
        page = self._show_page("persona")
        if page is not None and hasattr(page, "show_persona"):
            page.show_persona(persona_id)
        if self.navigator is not None:
            self.navigator.select_persona(persona_id)
        self._update_state()

    def show_message(self, message_id: str) -> None:
        """Show a message in the message editor (its persona stays current)."""
        if self.controller is None:
            return
        view = self.controller.workbench.message(message_id)
        if view is None:
            return
        self.current_persona = view.persona_id
        self.current_message = message_id
        page = self._show_page("message")
        if page is not None and hasattr(page, "show_message"):
            page.show_message(message_id)
        if self.navigator is not None:
            self.navigator.select_persona(view.persona_id)
        self._update_state()

    def show_section(self, key: str) -> None:
        """Show a navigator section's page."""
        if key == "personas":
            target = self.current_persona
            if target is None and self.controller is not None:
                first = self.controller.workbench.persona_summaries(0, 1)
                target = first[0].id if first else None
            if target is not None:
                self.show_persona(target)
            return
        self.current_message = None
        page = self._show_page(key)
        if page is None:
            return
        method = {"narrative": "show_narrative", "channels": "show_channels", "lingo": "show_terms"}.get(key)
        if method and hasattr(page, method):
            getattr(page, method)()
        if key == "objections" and hasattr(page, "show_objections"):
            page.show_objections(None)
        if self.navigator is not None:
            self.navigator.select_section(key)
        self._update_state()

    def show_coverage(self) -> None:
        """View › Coverage Matrix."""
        self.show_section("coverage")

    def open_item(self, kind: str, item_id: str) -> None:
        """Go to a search hit."""
        if kind == "persona":
            self.show_persona(item_id)
        elif kind == "message":
            self.show_message(item_id)
        elif kind == "term":
            self.show_section("lingo")
            page = self.pages.get("lingo")
            if page is not None and hasattr(page, "select_term"):
                page.select_term(item_id)
        elif kind == "objection":
            self.show_section("objections")
            page = self.pages.get("objections")
            if page is not None and hasattr(page, "select_objection"):
                page.select_objection(item_id)

    def jump_to_problem(self, problem: Problem) -> None:
        """Go to what a problem is about: the message, the persona, or the matrix cell of a gap."""
        if problem.message_id:
            self.show_message(problem.message_id)
        elif problem.kind == "gap" and problem.persona_id and problem.channel_id:
            self.show_coverage()
            if self.coverage_view is not None:
                self.coverage_view.select_cell(problem.persona_id, problem.channel_id)
        elif problem.persona_id:
            self.show_persona(problem.persona_id)

    def focus_search(self) -> None:
        """Edit › Find."""
        if self.search_panel is not None:
            self.sidebar.setVisible(True)
            self.actions_["navigator"].setChecked(True)
            self.search_panel.focus_field()

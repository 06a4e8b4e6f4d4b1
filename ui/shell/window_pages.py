"""The main window's pages and navigation between them.

Pages — the editors and the coverage view — are built the first time they are shown: building them
all when a file opened read every objection, every persona for two choosers and every channel's
message count of a big workbench before anything showed. Each page is imported by name in the
function that builds it (the editors are not needed for the window's first paint).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.shell.host import PagesHost
from workbench.domain.values import Problem

if TYPE_CHECKING:
    from ui.pages.coverage_view import CoverageView
    from ui.services.controller import WorkbenchController

class Pages:
    """Which page shows what: personas, messages, sections, search hits and problems.

    Owns the pages built so far (in the window's page stack); what is current (persona, message)
    is the window's, read and set through :class:`ui.shell.host.PagesHost`.
    """

    def __init__(self, host: PagesHost, stack: QStackedWidget) -> None:
        self.host = host
        self.stack = stack
        #: Pages built so far, by key (each is built the first time it is shown: see :meth:`page`).
        self.built: dict[str, QWidget] = {}

    def page(self, key: str) -> QWidget | None:
        """The page for ``key`` (an editor, or "coverage"), built the first time it is needed.

        Building every page when a file opens read all 20,000 objections, every persona for the
        choosers and every channel's message count of a big workbench before anything showed.
        """
        controller = self.host.controller
        if controller is None:
            return None
        found = self.built.get(key)
        if found is None:
            found = self._build(key, controller)
            if found is None:
                return None
            self.built[key] = found
            self.stack.addWidget(found)
            self._problems_last_in_tab_order()
        return found

    def _build(self, key: str, controller: WorkbenchController) -> QWidget | None:
        """A new page for ``key``, its requests wired to the window (None: no such page)."""
        host = self.host
        if key == "persona":
            from ui.pages.persona_editor import PersonaEditor

            persona = PersonaEditor(controller)
            persona.open_message_requested.connect(self.show_message)
            persona.new_message_requested.connect(host.new_message)
            return persona
        if key == "message":
            from ui.pages.message_editor import MessageEditor

            message = MessageEditor(controller)
            message.open_persona_requested.connect(self.show_persona)
            return message
        if key == "narrative":
            from ui.pages.narrative_editor import NarrativeEditor

            return NarrativeEditor(controller)
        if key == "channels":
            from ui.pages.channel_editor import ChannelEditor

            return ChannelEditor(controller)
        if key == "lingo":
            from ui.pages.lingo_editor import LingoEditor

            return LingoEditor(controller)
        if key == "objections":
            from ui.pages.objection_editor import ObjectionEditor

            return ObjectionEditor(controller)
        if key == "coverage":
            from ui.pages.coverage_view import CoverageView

            view = CoverageView(controller)
            view.open_message_requested.connect(self.show_message)
            view.create_message_requested.connect(host.create_message)
            return view
        return None

    def _problems_last_in_tab_order(self) -> None:
        """Keep Tab running search → navigator → editor → problems when a page is built late
        (a new page's widgets join the end of the window's focus chain, after the problems list)."""
        panel = self.host.problems_panel
        if panel is None:
            return
        last = self.host.window().previousInFocusChain()  # the chain is a ring starting at the window: its end
        if last is None:
            return
        for widget in panel.findChildren(QWidget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget is not last:
                QWidget.setTabOrder(last, widget)
                last = widget

    def current_key(self) -> str | None:
        """The key of the page on show, if it is one of ours."""
        shown = self.stack.currentWidget()
        return next((key for key, page in self.built.items() if page is shown), None)

    def retire_all(self) -> None:
        """Remove every page (the file is closing, or its views are rebuilt)."""
        from ui.widgets.editor_widgets import RefreshWhenShown

        for page in self.built.values():
            if isinstance(page, RefreshWhenShown):
                page.retire()  # removing pages shows the next one: no refresh of a closing file
        for page in self.built.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.built = {}

    @property
    def coverage_view(self) -> CoverageView | None:
        """The coverage matrix view (built on first use)."""
        from ui.pages.coverage_view import CoverageView

        view = self.page("coverage")
        return view if isinstance(view, CoverageView) else None

    def _show_page(self, key: str) -> QWidget | None:
        page = self.page(key)
        if page is not None:
            self.stack.setCurrentWidget(page)
        self.host.update_state()
        return page

    def show_persona(self, persona_id: str) -> None:
        """Show a persona in the persona editor and highlight it in the navigator."""
        from ui.pages.persona_editor import PersonaEditor

        self.host.current_persona = persona_id
        self.host.current_message = None
        page = self._show_page("persona")
        if isinstance(page, PersonaEditor):
            page.show_persona(persona_id)
        if self.host.navigator is not None:
            self.host.navigator.select_persona(persona_id)
        self.host.update_state()

    def show_message(self, message_id: str) -> None:
        """Show a message in the message editor (its persona stays current)."""
        from ui.pages.message_editor import MessageEditor

        controller = self.host.controller
        if controller is None:
            return
        view = controller.workbench.message(message_id)
        if view is None:
            return
        self.host.current_persona = view.persona_id
        self.host.current_message = message_id
        page = self._show_page("message")
        if isinstance(page, MessageEditor):
            page.show_message(message_id)
        if self.host.navigator is not None:
            self.host.navigator.select_persona(view.persona_id)
        self.host.update_state()

    def show_section(self, key: str) -> None:
        """Show a navigator section's page."""
        if key == "personas":
            target = self.host.current_persona
            controller = self.host.controller
            if target is None and controller is not None:
                first = controller.workbench.persona_summaries(0, 1)
                target = first[0].id if first else None
            if target is not None:
                self.show_persona(target)
            return
        self.host.current_message = None
        page = self._show_page(key)
        if page is None:
            return
        self._show_everything(key, page)
        if self.host.navigator is not None:
            self.host.navigator.select_section(key)
        self.host.update_state()

    @staticmethod
    def _show_everything(key: str, page: QWidget) -> None:
        """A section page shows all of its kind (not one persona's objections, say); each branch
        imports only its own page, which is built by now."""
        if key == "narrative":
            from ui.pages.narrative_editor import NarrativeEditor

            if isinstance(page, NarrativeEditor):
                page.show_narrative()
        elif key == "channels":
            from ui.pages.channel_editor import ChannelEditor

            if isinstance(page, ChannelEditor):
                page.show_channels()
        elif key == "lingo":
            from ui.pages.lingo_editor import LingoEditor

            if isinstance(page, LingoEditor):
                page.show_terms()
        elif key == "objections":
            from ui.pages.objection_editor import ObjectionEditor

            if isinstance(page, ObjectionEditor):
                page.show_objections(None)

    def open_item(self, kind: str, item_id: str) -> None:
        """Go to a search hit."""
        if kind == "persona":
            self.show_persona(item_id)
        elif kind == "message":
            self.show_message(item_id)
        elif kind == "term":
            from ui.pages.lingo_editor import LingoEditor

            self.show_section("lingo")
            lingo = self.built.get("lingo")
            if isinstance(lingo, LingoEditor):
                lingo.select_term(item_id)
        elif kind == "objection":
            from ui.pages.objection_editor import ObjectionEditor

            self.show_section("objections")
            objections = self.built.get("objections")
            if isinstance(objections, ObjectionEditor):
                objections.select_objection(item_id)

    def jump_to_problem(self, problem: Problem) -> None:
        """Go to what a problem is about: the message, the persona, or the matrix cell of a gap."""
        if problem.message_id:
            self.show_message(problem.message_id)
        elif problem.kind == "gap" and problem.persona_id and problem.channel_id:
            self.show_section("coverage")
            view = self.coverage_view
            if view is not None:
                view.select_cell(problem.persona_id, problem.channel_id)
        elif problem.persona_id:
            self.show_persona(problem.persona_id)

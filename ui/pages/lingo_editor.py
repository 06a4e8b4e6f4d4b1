"""The shared vocabulary: words we prefer, words we avoid (and what to say instead), and definitions.

A table for scanning ("say this, not that") and a form under it for the selected term. Every change
is one command, so the underlines in open message editors update at once through
``controller.changed`` (they rebuild their checker when a term changes).

"Applies to" is a :class:`~ui.widgets.persona_chooser.PersonaChooser`: with 10,000 personas a list of every
name cost a full read each time personas changed, and nobody scrolls 10,000 names; it finds a persona
as you type and reads the list only when opened. The table reads only the names of the personas
that terms are scoped to.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import (
    FieldCommitter,
    RefreshWhenShown,
    filling,
    hint_label,
    new_delete_row,
    section_header,
    set_editable,
    title_label,
)
from ui.widgets.persona_chooser import PersonaChooser, persona_list_changed
from workbench.domain.values import TermView
from workbench.edit import commands
from workbench.store.changes import Change

KIND_LABELS = {"prefer": "Prefer", "avoid": "Avoid", "define": "Define"}
KIND_HINTS = {"prefer": "A word we want everyone to use.",
              "avoid": "A word that must not reach customers; messages using it cannot be approved "
                       "without an override.",
              "define": "A term the team must understand the same way (MQL, SQL …)."}
_ID = Qt.ItemDataRole.UserRole


class LingoEditor(RefreshWhenShown):
    """Table of terms with add / edit / delete."""

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.terms: list[TermView] = []
        self._current: TermView | None = None
        #: Names of the personas terms are scoped to (the "Applies to" column), read with the terms.
        self._names: dict[str, str] = {}
        #: Personas added, removed or renamed since the chooser last caught up (see refresh_stale).
        self._names_stale = False
        self._renamed: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(title_label("Lingo"))
        layout.addWidget(hint_label("The shared vocabulary. Avoided words are underlined in messages as "
                                    "people type, with the preferred word as a one-click fix."))
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Terms")
        self.table.setHorizontalHeaderLabels(["Term", "Kind", "Say instead", "Applies to", "Note"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        row, self.new_button, self.delete_button = new_delete_row("term", self.new_term, self.delete_term)
        layout.addLayout(row)

        layout.addWidget(section_header("Selected term"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.term = QLineEdit()
        self.term.setAccessibleName("Term")
        self.term.setPlaceholderText("The word or phrase, e.g. contract")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for k, text in KIND_LABELS.items():
            self.kind.addItem(text, k)
        self.kind_hint = hint_label()
        self.replacement = QLineEdit()
        self.replacement.setAccessibleName("Say instead")
        self.replacement.setPlaceholderText("The word to use instead, e.g. paperwork")
        self.scope = PersonaChooser(lambda: self.controller.workbench, everyone="Everyone", label="Only {name}")
        self.scope.setAccessibleName("Applies to")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self.note.setPlaceholderText("Why: e.g. Dealers hear “contract” as lawyers and lock-in.")
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind)
        kind_row.addWidget(self.kind_hint, 1)
        form.addRow("&Term:", self.term)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        form.addRow(kind_label, kind_row)
        form.addRow("Say &instead:", self.replacement)
        form.addRow("&Applies to:", self.scope)
        form.addRow("&Note:", self.note)
        layout.addLayout(form)
        self._committers = {
            "term": FieldCommitter(self.term, lambda t: self._update({"term": t}) if t.strip() else self._reload_form()),
            "replacement": FieldCommitter(self.replacement, lambda t: self._update({"replacement": t})),
            "note": FieldCommitter(self.note, lambda t: self._update({"note": t})),
        }
        self.kind.activated.connect(lambda _i: self._update({"kind": self.kind.currentData()}))
        self.scope.chosen.connect(lambda pid: self._update({"persona_id": pid}))
        controller.changed.connect(self._on_changed)
        self.show_terms()

    # --- showing -----------------------------------------------------------------------------

    def show_terms(self) -> None:
        """Reload the table (keeps the selected term) with the names of the personas terms are
        scoped to; the persona chooser catches up with persona changes without reading anything."""
        self._stale = self._table_stale = False
        keep = self._current.id if self._current else None
        wb = self.controller.workbench
        self.terms = sorted(wb.terms(), key=lambda t: (("avoid", "prefer", "define").index(t.kind)
                                                        if t.kind in KIND_LABELS else 9, t.term.casefold()))
        if keep:  # the selected term as it is now (its kind or text may have changed)
            self._current = next((t for t in self.terms if t.id == keep), self._current)
        scoped = sorted({t.persona_id for t in self.terms if t.persona_id})
        self._names = {p.id: p.name for p in wb.persona_summaries_for(scoped)} if scoped else {}
        self._catch_up_names()
        names = self._names
        with filling(self.table):
            self.table.setRowCount(len(self.terms))
            for r, t in enumerate(self.terms):
                values = [t.term, KIND_LABELS.get(t.kind, t.kind), t.replacement,
                          names.get(t.persona_id, "?") if t.persona_id else "Everyone", " ".join(t.note.split())]
                for c, v in enumerate(values):
                    item = QTableWidgetItem(v)
                    item.setData(_ID, t.id)
                    if c == 4:
                        item.setToolTip(t.note)
                    self.table.setItem(r, c, item)
        self._apply_read_only()
        if keep and self.select_term(keep):
            return
        if self.terms:
            self.select_term(self.terms[0].id)
        else:
            self._current = None
            self._reload_form()

    def _catch_up_names(self) -> None:
        """Let the chooser forget what persona changes made stale (it reads again when opened)."""
        if self._names_stale:
            self._names_stale = False
            renamed, self._renamed = self._renamed, set()
            self.scope.invalidate(renamed)

    def select_term(self, term_id: str) -> bool:
        """Select a term by id; returns whether it exists."""
        for r, t in enumerate(self.terms):
            if t.id == term_id:
                self.table.selectRow(r)
                first = self.table.item(r, 0)
                if first is not None:
                    self.table.scrollToItem(first)
                if self._current is None or self._current.id != term_id:
                    self._select(t)
                return True
        return False

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            term = self.terms[rows[0].row()]
            if self._current is None or term.id != self._current.id:
                self._select(term)

    def _select(self, term: TermView) -> None:
        for c in self._committers.values():
            c.flush()
        self._current = term
        self._reload_form(force=True)

    def _reload_form(self, force: bool = True) -> None:
        t = self._current
        for key, c in self._committers.items():
            c.load(getattr(t, key) if t else "", force=force)
        if t is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(t.kind)))
            self.scope.set_persona(t.persona_id, self._names.get(t.persona_id) if t.persona_id else None)
            self.kind_hint.setText(KIND_HINTS.get(t.kind, ""))
        self.replacement.setEnabled(t is not None and t.kind == "avoid")
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        ro = self.controller.readonly
        has = self._current is not None
        set_editable([self.term, self.note, self.replacement], not ro and has)
        set_editable([self.kind, self.scope], not ro and has)
        self.new_button.setEnabled(not ro)
        self.delete_button.setEnabled(not ro and has)

    # --- editing -----------------------------------------------------------------------------

    def _update(self, values: dict[str, object]) -> None:
        if self._current is None or self.controller.readonly:
            return
        if all(getattr(self._current, k) == v for k, v in values.items()):
            return
        self.controller.run(commands.UpdateTerm(self._current.id, values))

    def new_term(self) -> None:
        """Add an avoided term to fill in, select it and put the cursor in its text."""
        if self.controller.readonly:
            return
        change = self.controller.run(commands.CreateTerm("new term", "avoid"))
        if change is not None and change.extra.get("id"):
            self.select_term(change.extra["id"])
            self.term.setFocus()
            self.term.selectAll()

    def delete_term(self) -> None:
        """Delete the selected term (Edit ▸ Undo brings it back)."""
        if self._current is None or self.controller.readonly:
            return
        self.controller.run(commands.DeleteTerm(self._current.id))

    _table_stale = False

    def _on_changed(self, change: Change) -> None:
        """Refresh from the change record: terms when a term changed or a persona they are scoped to
        was renamed; the persona chooser (no read until it is opened) when a persona was added,
        removed or renamed; nothing at all while the page is hidden."""
        relevant = False
        if persona_list_changed(change):
            self._names_stale = relevant = True
            self._renamed |= change.ids("persona")
            if change.ids("persona") & self._names.keys():
                self._table_stale = True
        if "term" in change.kinds:
            self._table_stale = relevant = True
        if not relevant:
            return
        if self._current is not None and self._current.id in change.deleted("term"):
            self._current = None
        if not self.on_screen_or_defer():
            return
        self.refresh_stale()

    def refresh_stale(self) -> None:
        """Re-read the terms if they went stale (the chooser only forgets), keeping the selection
        and any typing."""
        self._stale = False
        if self._table_stale:
            self._table_stale = False
            self.show_terms()
        else:
            self._catch_up_names()
        if self._current is not None:
            self._reload_form(force=False)

"""The shared vocabulary: words we prefer, words we avoid (and what to say instead), and definitions.

A table for scanning ("say this, not that") and a form under it for the selected term. Every change
is one command, so the underlines in open message editors update at once through
``controller.changed`` (they rebuild their checker when a term changes).
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

from ui.controller import WorkbenchController
from ui.editor_widgets import (
    FieldCommitter,
    RefreshWhenShown,
    filling,
    hint_label,
    new_delete_row,
    personas_renamed_or_listed,
    section_header,
    set_editable,
    title_label,
)
from workbench import commands
from workbench.changes import Change
from workbench.views import TermView

KIND_LABELS = {"prefer": "Prefer", "avoid": "Avoid", "define": "Define"}
KIND_HINTS = {"prefer": "A word we want everyone to use.",
              "avoid": "A word that must not reach customers; messages using it cannot be approved "
                       "without an override.",
              "define": "A term the team must understand the same way (MQL, SQL …)."}
_ID = Qt.ItemDataRole.UserRole


class LingoEditor(RefreshWhenShown, QWidget):
    """Table of terms with add / edit / delete."""

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.terms: list[TermView] = []
        self._current: TermView | None = None
        #: Persona names for "Applies to", re-read only when a persona is added, removed or renamed.
        self._names: dict[str, str] = {}
        self._names_stale = True
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
        self.scope = QComboBox()
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
        self.scope.activated.connect(lambda _i: self._update({"persona_id": self.scope.currentData()}))
        controller.changed.connect(self._on_changed)
        self.show_terms()

    # --- showing -----------------------------------------------------------------------------

    def show_terms(self) -> None:
        """Reload the table (keeps the selected term); persona choices only when they went stale."""
        self._stale = False
        keep = self._current.id if self._current else None
        wb = self.controller.workbench
        self.terms = sorted(wb.terms(), key=lambda t: (("avoid", "prefer", "define").index(t.kind)
                                                        if t.kind in KIND_LABELS else 9, t.term.casefold()))
        if keep:  # the selected term as it is now (its kind or text may have changed)
            self._current = next((t for t in self.terms if t.id == keep), self._current)
        if self._names_stale:
            self._load_persona_choices()
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

    def _load_persona_choices(self) -> None:
        """Every persona's name, for the "Applies to" chooser (the one read that grows with the file)."""
        self._names = {p.id: p.name for p in self.controller.workbench.persona_summaries()}
        self._names_stale = False
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("Everyone", None)
        for pid, name in sorted(self._names.items(), key=lambda kv: kv[1].casefold()):
            self.scope.addItem(f"Only {name}", pid)
        self.scope.blockSignals(False)

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
            self.scope.setCurrentIndex(max(0, self.scope.findData(t.persona_id)))
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

    def _on_changed(self, change: Change) -> None:
        """Refresh from the change record: terms when a term changed; persona choices only when a
        persona was added, removed or renamed; nothing at all while the page is hidden."""
        if personas_renamed_or_listed(change, self._names):
            self._names_stale = True
        elif "term" not in change.kinds:
            return
        if self._current is not None and self._current.id in change.deleted("term"):
            self._current = None
        if not self.on_screen_or_defer():
            return
        self.refresh_stale()

    def refresh_stale(self) -> None:
        """Re-read the terms (and persona choices if stale), keeping the selection and any typing."""
        self.show_terms()
        if self._current is not None:
            self._reload_form(force=False)

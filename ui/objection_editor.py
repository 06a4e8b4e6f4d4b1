"""Objection handling: what prospects of a persona say, the approved response, and how often it comes up.

Reps press "Heard Again" after a call, which counts the objection and records who heard it and when,
so the team sees which objections matter most (the table sorts by how often each was heard).
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
    QPlainTextEdit,
    QPushButton,
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
from workbench.views import ObjectionView


def _when(stamp: str) -> str:
    return stamp[:10] if stamp else "—"


class ObjectionEditor(RefreshWhenShown, QWidget):
    """Objections for one persona (or everyone) with the selected one's response."""

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.persona_id: str | None = None
        self.objections: list[ObjectionView] = []
        self._current: ObjectionView | None = None
        #: Persona names (chooser and column), re-read only when a persona is added, removed or renamed.
        self._names: dict[str, str] = {}
        self._names_stale = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        self.title = title_label("Objections")
        layout.addWidget(self.title)
        layout.addWidget(hint_label("What prospects say, as sales hears it, and the response the team "
                                    "agreed on. Press Heard Again after a call to keep the counts true."))
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Objections")
        self.table.setHorizontalHeaderLabels(["Objection", "Persona", "Heard", "Last heard"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        row, self.new_button, self.delete_button = new_delete_row("objection", self.new_objection, self.delete_objection)
        layout.addLayout(row)

        layout.addWidget(section_header("Selected objection"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.persona = QComboBox()
        self.persona.setAccessibleName("Persona")
        self.objection = QPlainTextEdit()
        self.objection.setAccessibleName("Objection")
        self.objection.setPlaceholderText("In their words, e.g. “We’ve done it on paper for fifty years, "
                                          "and it works.”")
        self.response = QPlainTextEdit()
        self.response.setAccessibleName("Approved response")
        self.response.setPlaceholderText("What we say back: acknowledge, reframe in their terms, offer a "
                                         "small next step.")
        for w, h in ((self.objection, 56), (self.response, 110)):
            w.setTabChangesFocus(True)
            w.setMinimumHeight(h)
            w.setMaximumHeight(h + 30)
        stats = QHBoxLayout()
        self.stats = QLabel()
        self.stats.setAccessibleName("How often heard")
        self.heard_button = QPushButton("Heard Again")
        self.heard_button.setAccessibleName("Record that this objection was heard again")
        self.heard_button.setToolTip("Count one more time this objection came up, with you and today's date")
        self.heard_button.clicked.connect(self.heard_again)
        stats.addWidget(self.stats, 1)
        stats.addWidget(self.heard_button)
        form.addRow("&Persona:", self.persona)
        form.addRow("&Objection:", self.objection)
        form.addRow("&Response:", self.response)
        form.addRow("Heard:", stats)
        layout.addLayout(form)
        self._committers = {
            "objection": FieldCommitter(self.objection, lambda t: self._update({"objection": t}) if t.strip()
                                        else self._reload_form()),
            "response": FieldCommitter(self.response, lambda t: self._update({"response": t})),
        }
        self.persona.activated.connect(lambda _i: self._update({"persona_id": self.persona.currentData()}))
        controller.changed.connect(self._on_changed)
        self.show_objections(None)

    # --- showing -----------------------------------------------------------------------------

    def show_objections(self, persona_id: str | None) -> None:
        """Show the objections of one persona, or of everyone with ``None``."""
        if persona_id != self.persona_id:
            self._flush()
            self._current = None
        self.persona_id = persona_id
        self._stale = self._table_stale = False
        if self._names_stale:
            self._load_persona_choices()
        self.title.setText(f"Objections — {self._names[persona_id]}" if persona_id in self._names
                           else "Objections")
        self.table.setColumnHidden(1, persona_id is not None)
        self._reload_table()

    def _load_persona_choices(self) -> None:
        """Every persona's name, for the chooser and the Persona column (grows with the file)."""
        self._names = {p.id: p.name for p in self.controller.workbench.persona_summaries()}
        self._names_stale = False
        self.persona.blockSignals(True)
        self.persona.clear()
        for pid, name in sorted(self._names.items(), key=lambda kv: kv[1].casefold()):
            self.persona.addItem(name, pid)
        self.persona.blockSignals(False)

    def _reload_table(self) -> None:
        keep = self._current.id if self._current else None
        self.objections = sorted(self.controller.workbench.objections(self.persona_id),
                                 key=lambda o: (-o.heard_count, o.objection.casefold()))
        with filling(self.table):
            self.table.setRowCount(len(self.objections))
            for r, o in enumerate(self.objections):
                values = [" ".join(o.objection.split()), self._names.get(o.persona_id, "?"), str(o.heard_count),
                          _when(o.last_heard)]
                for c, v in enumerate(values):
                    item = QTableWidgetItem(v)
                    if c == 2:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if c == 0:
                        item.setToolTip(o.objection)
                    self.table.setItem(r, c, item)
        if keep and self.select_objection(keep):
            self._reload_form(force=False)
        elif self.objections:
            self.select_objection(self.objections[0].id)
        else:
            self._current = None
            self._reload_form()

    def select_objection(self, objection_id: str) -> bool:
        """Select an objection by id (switching to everyone's list if it is another persona's)."""
        for r, o in enumerate(self.objections):
            if o.id == objection_id:
                self.table.selectRow(r)
                if self._current is None or self._current.id != o.id:
                    self._select(o)
                else:
                    self._current = o
                return True
        if self.persona_id is not None and any(o.id == objection_id
                                               for o in self.controller.workbench.objections(None)):
            self.show_objections(None)
            return self.select_objection(objection_id)
        return False

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            o = self.objections[rows[0].row()]
            if self._current is None or o.id != self._current.id:
                self._select(o)

    def _select(self, o: ObjectionView) -> None:
        self._flush()
        self._current = o
        self._reload_form(force=True)

    def _flush(self) -> None:
        for c in self._committers.values():
            c.flush()

    def _reload_form(self, force: bool = True) -> None:
        o = self._current
        for key, c in self._committers.items():
            c.load(getattr(o, key) if o else "", force=force)
        if o is not None:
            self.persona.setCurrentIndex(max(0, self.persona.findData(o.persona_id)))
            times = "once" if o.heard_count == 1 else f"{o.heard_count} times"
            self.stats.setText(f"Heard {times}" + (f" · last by {o.heard_by} on {_when(o.last_heard)}"
                                                   if o.last_heard else "") if o.heard_count else
                               "Not counted yet.")
        else:
            self.stats.setText("")
        ro = self.controller.readonly
        has = o is not None
        set_editable([self.objection, self.response], not ro and has)
        set_editable([self.persona, self.heard_button], not ro and has)
        self.new_button.setEnabled(not ro and bool(self._names))
        self.delete_button.setEnabled(not ro and has)

    # --- editing -----------------------------------------------------------------------------

    def _update(self, values: dict[str, object]) -> None:
        if self._current is None or self.controller.readonly:
            return
        if all(getattr(self._current, k) == v for k, v in values.items()):
            return
        self.controller.run(commands.UpdateObjection(self._current.id, values))

    def new_objection(self) -> None:
        """Add an objection for the shown (or selected) persona and start typing it."""
        if self.controller.readonly:
            return
        pid = self.persona_id or (self._current.persona_id if self._current else None) or \
            next(iter(sorted(self._names, key=lambda k: self._names[k].casefold())), None)
        if pid is None:
            return
        change = self.controller.run(commands.CreateObjection(pid, "New objection"))
        if change is not None and change.extra.get("id"):
            self.select_objection(change.extra["id"])
            self.objection.setFocus()
            self.objection.selectAll()

    def delete_objection(self) -> None:
        """Delete the selected objection (Edit ▸ Undo brings it back)."""
        if self._current is not None and not self.controller.readonly:
            self.controller.run(commands.DeleteObjection(self._current.id))

    def heard_again(self) -> None:
        """Count the selected objection once more, with who and when."""
        if self._current is not None and not self.controller.readonly:
            self._flush()
            self.controller.run(commands.RecordObjectionHeard(self._current.id))

    def _on_changed(self, change: Change) -> None:
        """Refresh from the change record: the table when an objection changed or a persona was
        renamed or removed; the persona chooser alone when one was added; nothing while hidden."""
        if personas_renamed_or_listed(change, self._names):
            self._names_stale = True
            if not (change.created("persona") and "objection" not in change.kinds
                    and not change.deleted("persona")):
                self._table_stale = True
        elif "objection" in change.kinds:
            self._table_stale = True
        else:
            return
        if self._current is not None and self._current.id in change.deleted("objection"):
            self._current = None
        if not self.on_screen_or_defer():
            return
        self.refresh_stale()

    _table_stale = False

    def refresh_stale(self) -> None:
        """Re-read what went stale: persona names, the objections, keeping the selection."""
        table, self._table_stale = self._table_stale, False
        if self._names_stale:
            self._load_persona_choices()
            if self.persona_id is not None and self.persona_id not in self._names:
                self.show_objections(None)
                return
            if table:
                self.show_objections(self.persona_id)
            else:  # a new persona: only the chooser grows; keep the form's persona shown
                self._reload_form(force=False)
        elif table:
            self._reload_table()

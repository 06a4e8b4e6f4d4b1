"""Objection handling: what prospects of a persona say, the approved response, and how often it comes up.

Reps press "Heard Again" after a call, which counts the objection and records who heard it and when,
so the team sees which objections matter most (the table sorts by how often each was heard).

A big workbench holds tens of thousands of objections: building every row as a widget item cost
seconds each time the page opened. The table is a lazy model — the same pattern as the navigator —
that knows every objection id in display order from one light query (ids and sort keys, no
responses), so the scroll bar is true from the start, and reads the rows it shows by key, a page at
a time. A change record refreshes only what it names: the rows it edited, and the order only when a
sort key (text, count, persona under a filter) changed or objections came or went.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import (
    FieldCommitter,
    RefreshWhenShown,
    hint_label,
    new_delete_row,
    section_header,
    set_editable,
    title_label,
)
from ui.widgets.persona_chooser import PersonaChooser, persona_list_changed
from workbench.domain.values import ObjectionView
from workbench.edit import commands
from workbench.session import Workbench
from workbench.store.changes import Change

_ROOT = QModelIndex()
#: Objections are read this many rows at a time (by key), as rows are shown.
PAGE = 100
#: Column headers; column 1 (Persona) is hidden while one persona's objections are shown.
COLUMNS = ("Objection", "Persona", "Heard", "Last heard")
PERSONA_COLUMN = 1
#: Widest the Persona column is fitted to (a long name must not squeeze the objections).
MAX_PERSONA_WIDTH = 260
#: The role an objection's id is answered in, without reading its row.
ROLE_ID = Qt.ItemDataRole.UserRole
#: Columns of an objection that decide its place in the list (see ``queries.OBJECTION_ORDER``).
_SORT_KEYS = ("objection", "heard_count")


def _when(stamp: str) -> str:
    return stamp[:10] if stamp else "—"


def _order_changed(change: Change, persona_filter: str | None) -> bool:
    """Whether ``change`` can move objections in (or into, or out of) the list shown, read from its
    row images: objections added or removed, a text or count changed, or — under a persona filter —
    an objection moved to another persona."""
    if change.created("objection") or change.deleted("objection"):
        return True
    keys = _SORT_KEYS if persona_filter is None else (*_SORT_KEYS, "persona_id")
    before = {b.id: b.values for b in change.before if b.table == "objections"}
    for image in change.after:
        if image.table != "objections" or image.values is None:
            continue
        old = before.get(image.id)
        if old is None or any(old.get(k) != image.values.get(k) for k in keys):
            return True
    return False


class ObjectionModel(QAbstractTableModel):
    """Objections in display order; a row is read (by key, a page at a time) when first shown."""

    def __init__(self, workbench: Callable[[], Workbench], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wb = workbench
        self._order: list[str] = []
        self._row_of: dict[str, int] = {}
        #: Rows read so far, by id (kept across re-orders; what a change touched is forgotten).
        self._rows: dict[str, ObjectionView] = {}
        #: Persona names for the Persona column, read by key with the rows that need them.
        self._names: dict[str, str] = {}
        #: How many pages of rows have been read: tests check that only what is shown is read.
        self.pages_read = 0

    # --- structure ----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    @property
    def order(self) -> list[str]:
        """Every objection id shown, in display order."""
        return self._order

    def row_of(self, objection_id: str) -> int | None:
        """The row of an objection (``None`` when it is not in the list)."""
        return self._row_of.get(objection_id)

    def id_at(self, row: int) -> str:
        """The id in ``row`` (no read)."""
        return self._order[row]

    @property
    def loaded(self) -> int:
        """How many objections' rows have been read so far."""
        return len(self._rows)

    # --- reading ------------------------------------------------------------------------------

    def objection_at(self, row: int) -> ObjectionView | None:
        """The objection shown in ``row``, reading its page of rows (by key) the first time."""
        oid = self._order[row]
        found = self._rows.get(oid)
        if found is None:
            start = row - row % PAGE
            missing = [i for i in self._order[start:start + PAGE] if i not in self._rows]
            self.pages_read += 1
            for view in self._wb().objection_rows_for(missing):
                self._rows[view.id] = view
            found = self._rows.get(oid)
        return found

    def objection(self, objection_id: str) -> ObjectionView | None:
        """An objection in the list by id (read with its page if needed)."""
        row = self._row_of.get(objection_id)
        return None if row is None else self.objection_at(row)

    def name_of(self, persona_id: str, row: int | None = None) -> str | None:
        """A persona's name for the Persona column; with ``row``, read (by key) for the personas of
        that row's page that are not known yet."""
        name = self._names.get(persona_id)
        if name is None and row is not None:
            start = row - row % PAGE
            wanted = {persona_id}
            for oid in self._order[start:start + PAGE]:
                o = self._rows.get(oid)
                if o is not None and o.persona_id not in self._names:
                    wanted.add(o.persona_id)
            for summary in self._wb().persona_summaries_for(sorted(wanted)):
                self._names[summary.id] = summary.name
            for pid in wanted:
                self._names.setdefault(pid, "?")  # removed by someone else meanwhile
            name = self._names[persona_id]
        return name

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        row, col = index.row(), index.column()
        if role == ROLE_ID:
            return self._order[row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        o = self.objection_at(row)
        if o is None:  # deleted since the order was read
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return o.objection if col == 0 else None
        if col == 0:
            return " ".join(o.objection.split())
        if col == 1:
            return self.name_of(o.persona_id, row)
        if col == 2:
            return str(o.heard_count)
        return _when(o.last_heard)

    # --- refresh ------------------------------------------------------------------------------

    def set_order(self, order: list[str]) -> None:
        """Show ``order``. The same objections re-sorted keep their selection (a layout change);
        others reset the rows. Rows already read stay in memory either way."""
        if len(order) == len(self._order) and set(order) == set(self._row_of):
            self.layoutAboutToBeChanged.emit()
            old = self.persistentIndexList()
            new_row_of = {oid: row for row, oid in enumerate(order)}
            self.changePersistentIndexList(old, [self.index(new_row_of[self._order[i.row()]], i.column())
                                                 for i in old])
            self._order, self._row_of = order, new_row_of
            self.layoutChanged.emit()
            return
        self.beginResetModel()
        self._order = order
        self._row_of = {oid: row for row, oid in enumerate(order)}
        self.endResetModel()

    def forget(self, objection_ids: Iterable[str]) -> None:
        """Drop rows that changed: they are read again when next shown."""
        for oid in objection_ids:
            self._rows.pop(oid, None)

    def refresh_rows(self, objection_ids: Iterable[str]) -> None:
        """Re-read rows that changed in place (no re-order), repainting only those."""
        ids = set(objection_ids)
        self.forget(ids)
        for oid in ids:
            row = self._row_of.get(oid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def forget_names(self, persona_ids: Iterable[str]) -> None:
        """Personas were renamed or removed: their names are read again (only rows on screen repaint)."""
        dropped = [pid for pid in persona_ids if self._names.pop(pid, None) is not None]
        if dropped and self._order:
            self.dataChanged.emit(self.index(0, PERSONA_COLUMN), self.index(len(self._order) - 1, PERSONA_COLUMN),
                                  [Qt.ItemDataRole.DisplayRole])


class ObjectionEditor(RefreshWhenShown):
    """Objections for one persona (or everyone) with the selected one's response."""

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.persona_id: str | None = None
        self._current: ObjectionView | None = None
        #: What changes named while the page could not refresh (see :meth:`refresh_stale`).
        self._order_stale = False
        self._stale_rows: set[str] = set()
        self._names_stale = False
        self._renamed: set[str] = set()
        self._removed_personas: set[str] = set()
        #: Where the selected objection was when it was deleted (its neighbour is selected instead).
        self._deleted_row: int | None = None
        #: Whether a list has been shown (a later show of the same list with nothing stale reads nothing).
        self._shown = False
        #: Whether there is any persona to add an objection for (``None``: ask when needed).
        self._any_persona: bool | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        self.title = title_label("Objections")
        layout.addWidget(self.title)
        layout.addWidget(hint_label("What prospects say, as sales hears it, and the response the team "
                                    "agreed on. Press Heard Again after a call to keep the counts true."))
        self.model = ObjectionModel(lambda: self.controller.workbench, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Objections")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Fitting a column to its contents measures at most this many rows (by default 1,000, which
        # would read ten pages of a big list); rows stay one line high without measuring any.
        self.table.verticalHeader().setResizeContentsPrecision(PAGE)
        self.table.horizontalHeader().setResizeContentsPrecision(PAGE)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        row, self.new_button, self.delete_button = new_delete_row("objection", self.new_objection, self.delete_objection)
        layout.addLayout(row)

        layout.addWidget(section_header("Selected objection"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.persona = PersonaChooser(lambda: self.controller.workbench)
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
        self.persona.chosen.connect(self._persona_chosen)
        controller.changed.connect(self._on_changed)
        self.show_objections(None)

    # --- showing -----------------------------------------------------------------------------

    def show_objections(self, persona_id: str | None) -> None:
        """Show the objections of one persona, or of everyone with ``None``."""
        if persona_id != self.persona_id:
            self._flush()
            self._current = None
            self._deleted_row = None
        elif self._shown and not (self._stale or self._order_stale or self._stale_rows or self._names_stale):
            return  # already showing this list, kept current by change records (no read)
        self.persona_id = persona_id
        self._shown = True
        self._stale = False
        self._catch_up_names()
        self.model.forget(self._stale_rows)  # the order is read again below: rows only need forgetting
        self._stale_rows.clear()
        self._order_stale = False
        name = None
        if persona_id is not None:
            found = self.controller.workbench.persona_summaries_for([persona_id])
            name = found[0].name if found else None
        self.title.setText(f"Objections — {name}" if name else "Objections")
        self.table.setColumnHidden(PERSONA_COLUMN, persona_id is not None)
        self._reload_order(fit=True)

    def _catch_up_names(self) -> None:
        """Apply persona additions, removals and renames seen since the last refresh (no reads)."""
        if not self._names_stale:
            return
        self._names_stale = False
        changed, self._renamed = self._renamed, set()
        self.persona.invalidate(changed)
        self.model.forget_names(changed)

    def _reload_order(self, fit: bool = False) -> None:
        """Re-read the order (ids only) and keep the selected objection selected and in view."""
        keep = self._current.id if self._current else None
        self.model.set_order(self.controller.workbench.objection_order(self.persona_id))
        if fit:
            self._fit_columns()
        near, self._deleted_row = self._deleted_row, None
        if keep and self.select_objection(keep):
            self._reload_form(force=False)
        elif self.model.order:  # the selected one was deleted: its neighbour takes its place
            self.select_objection(self.model.order[min(near or 0, len(self.model.order) - 1)])
        else:
            self._current = None
            self._reload_form()

    def _fit_columns(self) -> None:
        """Fit the narrow columns: counts and dates by their widest possible text, the Persona column
        to the rows on screen (never to every row: that would read them all)."""
        header = self.table.horizontalHeader()
        style = self.table.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1) + 4
        metrics = self.table.fontMetrics()
        for col, widest in ((2, "99999"), (3, "0000-00-00")):
            self.table.setColumnWidth(col, max(header.sectionSizeHint(col), metrics.horizontalAdvance(widest) + margin))
        if not self.table.isColumnHidden(PERSONA_COLUMN):
            self.table.resizeColumnToContents(PERSONA_COLUMN)
            if self.table.columnWidth(PERSONA_COLUMN) > MAX_PERSONA_WIDTH:
                self.table.setColumnWidth(PERSONA_COLUMN, MAX_PERSONA_WIDTH)

    def select_objection(self, objection_id: str) -> bool:
        """Select an objection by id (switching to everyone's list if it is another persona's)."""
        row = self.model.row_of(objection_id)
        if row is not None:
            o = self.model.objection_at(row)
            if o is None:
                return False
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            if self._current is None or self._current.id != o.id:
                self._select(o)
            else:
                self._current = o
            return True
        if self.persona_id is not None and self.controller.workbench.objection_rows_for([objection_id]):
            self.show_objections(None)
            return self.select_objection(objection_id)
        return False

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            o = self.model.objection_at(rows[0].row())
            if o is not None and (self._current is None or o.id != self._current.id):
                self._select(o)

    def _select(self, o: ObjectionView) -> None:
        self._flush()  # may commit typing, whose refresh re-selects the old objection: select ``o`` again
        self._current = o
        row = self.model.row_of(o.id)
        rows = self.table.selectionModel().selectedRows()
        if row is not None and (not rows or rows[0].row() != row):
            self.table.selectRow(row)
        self._reload_form(force=True)

    def _flush(self) -> None:
        for c in self._committers.values():
            c.flush()

    def _reload_form(self, force: bool = True) -> None:
        o = self._current
        for key, c in self._committers.items():
            c.load(getattr(o, key) if o else "", force=force)
        if o is not None:
            self.persona.set_persona(o.persona_id, self.model.name_of(o.persona_id))
            times = "once" if o.heard_count == 1 else f"{o.heard_count} times"
            self.stats.setText(f"Heard {times}" + (f" · last by {o.heard_by} on {_when(o.last_heard)}"
                                                   if o.last_heard else "") if o.heard_count else
                               "Not counted yet.")
        else:
            self.persona.set_persona(None)
            self.stats.setText("")
        ro = self.controller.readonly
        has = o is not None
        set_editable([self.objection, self.response], not ro and has)
        set_editable([self.persona, self.heard_button], not ro and has)
        self.new_button.setEnabled(not ro and (has or self._has_personas()))
        self.delete_button.setEnabled(not ro and has)

    def _has_personas(self) -> bool:
        """Whether any persona exists to add an objection for (counted once, again after personas
        come or go)."""
        if self._any_persona is None:
            self._any_persona = self.controller.workbench.persona_count() > 0
        return self._any_persona

    # --- editing -----------------------------------------------------------------------------

    def _update(self, values: dict[str, object]) -> None:
        if self._current is None or self.controller.readonly:
            return
        if all(getattr(self._current, k) == v for k, v in values.items()):
            return
        self.controller.run(commands.UpdateObjection(self._current.id, values))

    def _persona_chosen(self, persona_id: object) -> None:
        if isinstance(persona_id, str):
            self._update({"persona_id": persona_id})

    def new_objection(self) -> None:
        """Add an objection for the shown (or selected) persona and start typing it."""
        if self.controller.readonly:
            return
        pid = self.persona_id or (self._current.persona_id if self._current else None)
        if pid is None:
            first = self.controller.workbench.persona_summaries(0, 1)
            pid = first[0].id if first else None
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
        """Note what the change record names — objections edited in place, the order, persona names
        — and refresh just that; nothing is read while the page is hidden."""
        relevant = False
        if persona_list_changed(change):
            self._names_stale = True
            self._renamed |= change.ids("persona")
            gone = change.deleted("persona")
            self._removed_personas |= gone
            if change.created("persona") or gone:
                self._any_persona = None
            relevant = True
        if "objection" in change.kinds:
            if _order_changed(change, self.persona_id):
                self._order_stale = True
            self._stale_rows |= change.ids("objection")
            relevant = True
        if not relevant:
            return
        if self._current is not None and self._current.id in change.deleted("objection"):
            self._deleted_row = self.model.row_of(self._current.id)
            self._current = None
        if self.on_screen_or_defer():
            self.refresh_stale()

    def refresh_stale(self) -> None:
        """Re-read what went stale, keeping the selection and anything being typed: changed rows in
        place, the order when it may have moved, persona names when personas changed."""
        self._stale = False
        removed, self._removed_personas = self._removed_personas, set()
        if self.persona_id is not None and self.persona_id in removed:
            self.show_objections(None)
            return
        renamed = self.persona_id is not None and self.persona_id in self._renamed
        self._catch_up_names()
        if renamed:
            self.show_objections(self.persona_id)  # the title names the persona
            return
        stale, self._stale_rows = self._stale_rows, set()
        if self._order_stale:
            self._order_stale = False
            self.model.forget(stale)
            self._reload_order()
            return
        if stale:
            self.model.refresh_rows(stale)
            if self._current is not None and self._current.id in stale:
                self._current = self.model.objection(self._current.id) or self._current
        self._reload_form(force=False)

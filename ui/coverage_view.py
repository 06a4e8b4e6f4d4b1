"""The coverage matrix: personas × channels, one cell per pair, coloured *and* iconed by state.

This is the team's alignment picture, so a state is never shown by colour alone (icon + word in the
cell, full sentence for screen readers). Double-clicking a cell opens its message, or asks the main
window to create one there; the matrix itself never changes data.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Change
from workbench.views import COVERAGE_STATES, CoverageMatrix

from . import icons
from .background import BackgroundQuery
from .controller import WorkbenchController

#: The invisible root, as a shared default argument (one instance, never mutated).
_ROOT = QModelIndex()
STAGE_LABEL = {"awareness": "Awareness", "consideration": "Consideration", "decision": "Decision",
               "retention": "Retention"}
ROLE_STATE = Qt.ItemDataRole.UserRole + 1


class CoverageModel(QAbstractTableModel):
    """A table over a :class:`CoverageMatrix`; ``stage=None`` shows each channel across all stages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = CoverageMatrix((), (), (), {})
        self.stage: str | None = None

    def set_matrix(self, matrix: CoverageMatrix) -> None:
        """Show a fresh matrix (reset: rows and columns may both change)."""
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def set_stage(self, stage: str | None) -> None:
        """Filter to one journey stage, or None for the channel's best/worst across stages."""
        self.stage = stage
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.matrix.personas)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.matrix.channels)

    def state_at(self, row: int, column: int) -> str:
        """The state shown in one cell."""
        p = self.matrix.personas[row]
        c = self.matrix.channels[column]
        return self.matrix.state(p.id, c.id, self.stage)

    def stage_summary(self, row: int, column: int) -> str:
        """Per-stage states of one cell, for the tooltip ("Awareness: Approved" …)."""
        p = self.matrix.personas[row]
        c = self.matrix.channels[column]
        return "\n".join(f"{STAGE_LABEL.get(s, s)}: {icons.STATE_LABEL[self.matrix.state(p.id, c.id, s)]}"
                         for s in self.matrix.stages)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        state = self.state_at(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return icons.STATE_LABEL[state]
        if role == Qt.ItemDataRole.ForegroundRole and state == "none":
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.state_icon(state)
        if role == Qt.ItemDataRole.BackgroundRole:
            return icons.state_colour(state)
        if role == ROLE_STATE:
            return state
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            p = self.matrix.personas[index.row()]
            c = self.matrix.channels[index.column()]
            head = f"{p.name} — {c.name}: {icons.STATE_LABEL[state]}"
            if role == Qt.ItemDataRole.AccessibleTextRole or self.stage is not None:
                return head
            return f"{head}\n\n{self.stage_summary(index.row(), index.column())}\n\nDouble-click to open."
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self.matrix.channels):
                return None
            c = self.matrix.channels[section]
            return c.guidance or c.name if role == Qt.ItemDataRole.ToolTipRole else c.name
        if section >= len(self.matrix.personas):
            return None
        p = self.matrix.personas[section]
        return p.name if role == Qt.ItemDataRole.DisplayRole else " · ".join(x for x in (p.role, p.organization) if x)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CoverageView(QWidget):
    """Matrix + stage filter + legend. Emits requests; the main window opens or creates messages."""

    open_message_requested = Signal(str)
    create_message_requested = Signal(str, str, str)  # persona id, channel id, stage

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = CoverageModel(self)
        self._stale = True

        title = QLabel("Coverage matrix")
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel("Where approved messaging exists for each persona and channel. "
                       "Double-click a cell to open its message, or to write one where there is none.")
        intro.setWordWrap(True)
        self.stage_combo = QComboBox()
        self.stage_combo.addItem("All stages", None)
        for key, label in STAGE_LABEL.items():
            self.stage_combo.addItem(label, key)
        self.stage_combo.setAccessibleName("Journey stage filter")
        self.stage_combo.setToolTip("Show one journey stage, or each channel across all stages")
        stage_label = QLabel("&Stage:")
        stage_label.setBuddy(self.stage_combo)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Coverage matrix")
        self.table.setAccessibleDescription("Personas in rows, channels in columns; each cell shows the "
                                            "state of the messaging for that pair")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setIconSize(QSize(16, 16))
        self.table.setShowGrid(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(110)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(34)
        # Double-click (not "activated": on single-click platforms that would create messages by
        # accident) and Enter/Return for keyboard users.
        self.table.doubleClicked.connect(self._activate)
        for enter_key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(enter_key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(lambda: self._activate(self.table.currentIndex()))

        top = QHBoxLayout()
        top.addWidget(stage_label)
        top.addWidget(self.stage_combo)
        top.addStretch(1)
        legend = QHBoxLayout()
        legend.setSpacing(14)
        legend_title = QLabel("Legend:")
        legend.addWidget(legend_title)
        for state in COVERAGE_STATES:
            icon_label = QLabel()
            icon_label.setPixmap(icons.pixmap(icons.STATE_ICON[state]))
            text = QLabel(icons.STATE_LABEL[state])
            pair = QHBoxLayout()
            pair.setSpacing(4)
            pair.addWidget(icon_label)
            pair.addWidget(text)
            legend.addLayout(pair)
        legend.addStretch(1)
        self.summary = QLabel()
        self.summary.setAccessibleName("Coverage summary")
        legend.addWidget(self.summary)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(legend)

        self.stage_combo.currentIndexChanged.connect(self._on_stage)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self._refresh_in_background)
        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._show_matrix)
        controller.changed.connect(self._on_change)
        # No read here: the matrix is read when first shown (a 10,000-persona file opens faster).

    def _on_change(self, change: Change) -> None:
        if change.kinds & {"persona", "channel", "message", "term"}:
            # Coalesce a burst of edits (typing) into one re-read, and skip it while hidden.
            self._stale = True
            if self.isVisible():
                self._refresh_timer.start()

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the matrix now (first show: the person is waiting for it anyway)."""
        self._query.cancel()
        self._show_matrix(self.controller.workbench.coverage())

    def _refresh_in_background(self) -> None:
        """After an edit: re-read off the GUI thread so typing never waits for a big matrix."""
        self._query.start(self.controller.workbench.coverage)

    def _show_matrix(self, matrix: object) -> None:
        assert isinstance(matrix, CoverageMatrix)
        current = self.table.currentIndex()
        self.model.set_matrix(matrix)
        self._stale = False
        self._summarise()
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))

    def _on_stage(self, _index: int) -> None:
        self.model.set_stage(self.stage_combo.currentData())
        self._summarise()

    def _summarise(self) -> None:
        """"9 of 20 cells approved" for the cells shown — from the stored cells only, so a
        10,000-persona matrix is summarised without visiting every empty cell."""
        m = self.model.matrix
        total = len(m.personas) * len(m.channels)
        stage = self.model.stage
        pairs: dict[tuple[str, str], set[str]] = {}
        for (pid, cid, st), state in m.cells.items():
            if stage is None or st == stage:
                pairs.setdefault((pid, cid), set()).add(state)
        approved = sum(1 for states in pairs.values() if "approved" in states and "breach" not in states)
        self.summary.setText(f"{approved} of {total} cell{'s' if total != 1 else ''} approved" if total else "")

    def set_stage(self, stage: str | None) -> None:
        """Select the stage filter (None: all stages)."""
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(stage)))

    def select_cell(self, persona_id: str, channel_id: str) -> None:
        """Put the cursor on the cell of a persona and channel (from the problems panel)."""
        rows = [i for i, p in enumerate(self.model.matrix.personas) if p.id == persona_id]
        cols = [i for i, c in enumerate(self.model.matrix.channels) if c.id == channel_id]
        if rows and cols:
            idx = self.model.index(rows[0], cols[0])
            self.table.setCurrentIndex(idx)
            self.table.scrollTo(idx)
            self.table.setFocus()

    def _activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        m = self.model.matrix
        persona = m.personas[index.row()]
        channel = m.channels[index.column()]
        stage = self.model.stage
        messages = self.controller.workbench.messages(persona_id=persona.id, channel_id=channel.id, stage=stage)
        live = [x for x in messages if x.status != "retired"] or messages
        if live:
            # Prefer the message that makes the cell's colour: a breach, then approved, review, draft.
            order = {"approved": 1, "in_review": 2, "draft": 3, "retired": 4}
            live.sort(key=lambda x: (0 if x.breach_count else order.get(x.status, 5),
                                     m.stages.index(x.stage) if x.stage in m.stages else 9))
            self.open_message_requested.emit(live[0].id)
            return
        self.create_message_requested.emit(persona.id, channel.id, stage or (m.stages[0] if m.stages else "awareness"))

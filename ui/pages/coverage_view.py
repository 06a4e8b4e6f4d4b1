"""The coverage matrix: personas × channels, one cell per pair, coloured *and* iconed by state.

This is the team's alignment picture, so a state is never shown by colour alone (icon + word in the
cell, full sentence for screen readers). Double-clicking a cell opens its message, or asks the main
window to create one there; the matrix itself never changes data.

The matrix never reads the whole of itself, so it opens at once on 10,000 personas (the full matrix
is a scan of every message, ≈ 0.2 s there): the model holds every persona id in list order (one
cheap query) and reads the rows it shows a page at a time (:meth:`Workbench.coverage_for`, an index
search by persona) — when they scroll into view, or when a lookup needs them. The totals line is
counted in SQL on a worker thread (:meth:`Workbench.coverage_summary`) and reads "Counting…"
until then. After an edit only the rows the change names are read again, together with fresh totals,
and both are shown at once, so the cells and the totals always describe the same moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QPalette, QShortcut, QShowEvent
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

from ui.services import icons
from ui.services.background import BackgroundQuery
from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import personas_of_messages
from workbench.domain import errors
from workbench.domain.values import (
    AVOIDED,
    COVERAGE_STATES,
    PARTIAL,
    ChannelView,
    CoverageMatrix,
    CoverageSummary,
    PersonaSummary,
)
from workbench.store.changes import Change

#: The invisible root, as a shared default argument (one instance, never mutated).
_ROOT = QModelIndex()
STAGE_LABEL = {"awareness": "Awareness", "consideration": "Consideration", "decision": "Decision",
               "retention": "Retention"}
ROLE_STATE = Qt.ItemDataRole.UserRole + 1
#: Rows read per query: two or three screens at the matrix's row height, a few ms on a big file.
PAGE = 50
#: Rows kept in memory at most; rows far from the screen are forgotten (and re-read if scrolled back).
MAX_ROWS_KEPT = 2000
ROW_HEIGHT = 34
COUNTING = "Counting…"
#: Change kinds that can change what the matrix shows.
_RELEVANT = frozenset({"persona", "channel", "message", "term"})


def _missing(persona_id: str) -> PersonaSummary:
    """A row whose persona was deleted after the order was read (until the change refreshes it)."""
    return PersonaSummary(persona_id, "", "", "", "", False, "")


class LazyCoverage:
    """The matrix as the view sees it: every row known by persona id, cells read a page at a time.

    It answers like a :class:`CoverageMatrix` (``personas``, ``channels``, ``stages``, ``state()``)
    so code written for a whole matrix keeps working, but a lookup reads only the page of rows it
    falls in, once; at most :data:`MAX_ROWS_KEPT` rows stay in memory. Qt-free; GUI thread only.
    """

    def __init__(self, order: Sequence[str] = (), channels: Sequence[ChannelView] = (),
                 stages: Sequence[str] = (), fetch: Callable[[Sequence[str]], CoverageMatrix] | None = None) -> None:
        self.order: list[str] = list(order)
        self.row_of: dict[str, int] = {pid: row for row, pid in enumerate(self.order)}
        self.channels: tuple[ChannelView, ...] = tuple(channels)
        self.stages: tuple[str, ...] = tuple(stages)
        self.personas: Sequence[PersonaSummary] = _Rows(self)
        #: Reads the rows of some personas (``Workbench.coverage_for``); None: an empty matrix.
        self.fetch = fetch
        self._pages: dict[str, CoverageMatrix] = {}  # persona id → the page its row was read with
        self._people: dict[str, PersonaSummary] = {}

    def is_loaded(self, persona_id: str) -> bool:
        """Whether a persona's row is in memory."""
        return persona_id in self._pages

    def loaded_ids(self) -> set[str]:
        """Persona ids whose rows are in memory."""
        return set(self._pages)

    def loaded_personas(self) -> list[PersonaSummary]:
        """The personas of the rows in memory."""
        return list(self._people.values())

    def ensure(self, first: int, last: int) -> list[str]:
        """Read rows ``first``…``last`` that are not in memory, whole pages at a time, in one query.

        Returns the persona ids read (empty when everything was there already).
        """
        if self.fetch is None or not self.order:
            return []
        first, last = max(0, first), min(len(self.order) - 1, last)
        if last < first:
            return []
        start, stop = first - first % PAGE, min(len(self.order), last - last % PAGE + PAGE)
        missing = [pid for pid in self.order[start:stop] if pid not in self._pages]
        if not missing:
            return []
        self.put(self.fetch(missing), missing)
        if len(self._pages) > MAX_ROWS_KEPT:
            keep = range(max(0, start - MAX_ROWS_KEPT // 2), stop + MAX_ROWS_KEPT // 2)
            self.forget([pid for pid in self._pages if self.row_of.get(pid, -1) not in keep])
        return missing

    def put(self, page: CoverageMatrix, persona_ids: Iterable[str]) -> None:
        """Keep freshly read rows (ids the page lacks were deleted meanwhile: shown empty)."""
        for p in page.personas:
            self._people[p.id] = p
        for pid in persona_ids:
            self._pages[pid] = page

    def forget(self, persona_ids: Iterable[str]) -> None:
        """Drop rows from memory: they are read again when next shown."""
        for pid in persona_ids:
            self._pages.pop(pid, None)
            self._people.pop(pid, None)

    def adopt(self, other: LazyCoverage, persona_ids: Iterable[str]) -> None:
        """Take over rows another (older) matrix still holds, e.g. after the persona order changed."""
        for pid in persona_ids:
            page = other._pages.get(pid)
            if page is not None and pid in self.row_of:
                self._pages[pid] = page
                if pid in other._people:
                    self._people[pid] = other._people[pid]

    def summary(self, row: int) -> PersonaSummary:
        """The persona of a row (reads its page if needed)."""
        pid = self.order[row]
        if pid not in self._pages:
            self.ensure(row, row)
        return self._people.get(pid) or _missing(pid)

    def state(self, persona_id: str, channel_id: str, stage: str | None = None) -> str:
        """A cell's state, as :meth:`CoverageMatrix.state` (reads the persona's page if needed)."""
        page = self._pages.get(persona_id)
        if page is None:
            row = self.row_of.get(persona_id)
            if row is None:
                return "none"
            self.ensure(row, row)
            page = self._pages.get(persona_id)
            if page is None:
                return "none"
        return page.state(persona_id, channel_id, stage)


class _Rows(Sequence[PersonaSummary]):
    """``LazyCoverage.personas``: every row's persona, read on first look."""

    def __init__(self, owner: LazyCoverage) -> None:
        self._owner = owner

    def __len__(self) -> int:
        return len(self._owner.order)

    @overload
    def __getitem__(self, index: int) -> PersonaSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[PersonaSummary]: ...

    def __getitem__(self, index: int | slice) -> PersonaSummary | list[PersonaSummary]:
        if isinstance(index, slice):
            rows = range(*index.indices(len(self)))
            if rows:
                self._owner.ensure(min(rows), max(rows))
            return [self._owner.summary(r) for r in rows]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._owner.summary(index)


class CoverageModel(QAbstractTableModel):
    """A table over a :class:`LazyCoverage`; ``stage=None`` shows each channel across all stages."""

    #: Reading rows failed (a damaged file): the message, for the view to show.
    load_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = LazyCoverage()
        self.stage: str | None = None
        self.header_width = 120
        #: The row header's font (set by the view), to fit the header to the names.
        self.header_font: QFont | None = None

    def set_matrix(self, matrix: LazyCoverage) -> None:
        """Show fresh rows (reset: rows and columns may both change)."""
        self.beginResetModel()
        self.matrix = matrix
        self.header_width = self._fit_header()
        self.endResetModel()

    def _fit_header(self) -> int:
        """The row header's width, from the names read so far (the first screen).

        The header would otherwise size itself from the names of the first and last hundred rows,
        reading four pages before anything is shown; longer names further down are elided.
        """
        metrics = QFontMetrics(self.header_font or QApplication.font())
        names = [p.name for p in self.matrix.loaded_personas()[:4 * PAGE]]
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0)
        return max(96, min(280, widest + 24))

    def set_stage(self, stage: str | None) -> None:
        """Filter to one journey stage, or None for the channel's best/worst across stages."""
        self.stage = stage
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def load(self, first: int, last: int) -> None:
        """Read rows ``first``…``last`` if they are not in memory (before they are painted)."""
        try:
            self.matrix.ensure(first, last)
        except errors.WorkbenchError as exc:
            self.load_failed.emit(str(exc))

    def rows_changed(self, rows: Iterable[int]) -> None:
        """Repaint rows whose data was re-read or forgotten: one signal per run of adjacent rows."""
        last_column = self.columnCount() - 1
        ordered = sorted(set(rows))
        if last_column < 0 or not ordered:
            return
        start = prev = ordered[0]
        for row in [*ordered[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, last_column))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, start, prev)
            if row is not None:
                start = prev = row

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.matrix.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.matrix.channels)

    def state_at(self, row: int, column: int) -> str:
        """The state shown in one cell (reads the row's page if it is not in memory)."""
        return self.matrix.state(self.matrix.order[row], self.matrix.channels[column].id, self.stage)

    def stage_summary(self, row: int, column: int) -> str:
        """Per-stage states of one cell, for the tooltip ("Awareness: Approved" …)."""
        pid, cid = self.matrix.order[row], self.matrix.channels[column].id
        return "\n".join(f"{STAGE_LABEL.get(s, s)}: {icons.STATE_LABEL[self.matrix.state(pid, cid, s)]}"
                         for s in self.matrix.stages)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        try:
            state = self.state_at(index.row(), index.column())
        except errors.WorkbenchError as exc:  # painting must never raise: say so once, show nothing
            self.load_failed.emit(str(exc))
            return None
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
            p = self.matrix.summary(index.row())
            c = self.matrix.channels[index.column()]
            head = f"{p.name} — {c.name}: {icons.STATE_LABEL[state]}"
            if role == Qt.ItemDataRole.AccessibleTextRole or self.stage is not None:
                return head
            return f"{head}\n\n{self.stage_summary(index.row(), index.column())}\n\nDouble-click to open."
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.SizeHintRole:
            return QSize(self.header_width, ROW_HEIGHT)  # never read rows just to size the header
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.matrix.channels):
                return None
            c = self.matrix.channels[section]
            return c.guidance or c.name if role == Qt.ItemDataRole.ToolTipRole else c.name
        if not 0 <= section < len(self.matrix.order):
            return None
        try:
            p = self.matrix.summary(section)
        except errors.WorkbenchError as exc:
            self.load_failed.emit(str(exc))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return p.name
        return " · ".join(x for x in (p.role, p.organization) if x) or p.name

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass
class _Stale:
    """What changes made out of date since the rows and totals on screen were read."""

    order: bool = False  # personas or channels were added, removed or renamed: re-read the order
    everything: bool = False  # a lingo term or channel changed: any row's breaches may have
    personas: set[str] = field(default_factory=set)  # rows whose persona or messages changed

    def __bool__(self) -> bool:
        return self.order or self.everything or bool(self.personas)

    def copy(self) -> _Stale:
        """A snapshot for one refresh."""
        return _Stale(self.order, self.everything, set(self.personas))

    def settled(self, done: _Stale) -> None:
        """Forget what a finished refresh covered; changes made since it started stay."""
        self.order = self.order and not done.order
        self.everything = self.everything and not done.everything
        self.personas -= done.personas


@dataclass(frozen=True)
class _Fresh:
    """One background refresh's result: re-read rows (and order) with the totals of the same moment."""

    covers: _Stale
    order: list[str] | None
    ids: list[str]
    page: CoverageMatrix | None
    totals: CoverageSummary


class CoverageView(QWidget):
    """Matrix + stage filter + legend. Emits requests; the main window opens or creates messages."""

    open_message_requested = Signal(str)
    create_message_requested = Signal(str, str, str)  # persona id, channel id, stage

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = CoverageModel(self)
        self._loaded = False  # nothing read yet: the first show reads the first screen at once
        self._stale = _Stale()
        self._totals: CoverageSummary | None = None
        self._failure = ""

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
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.model.header_font = self.table.verticalHeader().font()
        # Rows are read as they scroll into view, before they are painted (data() reads any row
        # still missing, so a cell never shows a placeholder).
        self.table.verticalScrollBar().valueChanged.connect(self._load_visible)
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
        for state in (*COVERAGE_STATES, PARTIAL, AVOIDED):
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
        self.model.load_failed.connect(self._on_failure)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self._refresh_in_background)
        # One recurring background read for totals and re-read rows: a newer one supersedes an
        # older one, so totals counted before an edit never arrive after it.
        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._apply)
        self._query.failed.connect(self._on_failure)
        controller.changed.connect(self._on_change)
        controller.rechecked.connect(self._on_rechecked)
        # No read here: the matrix is read when first shown (a 10,000-persona file opens faster).

    # --- reading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded:
            self.refresh()
        elif self._stale or self._totals is None:
            self._refresh_in_background()

    def refresh(self) -> None:
        """Read the persona order and the first screen now; count the totals on a worker.

        The person is waiting for the matrix, and a screenful is a couple of small indexed queries
        (≈ 15 ms on 10,000 personas); the totals need a scan of every message, so they follow.
        """
        self._refresh_timer.stop()
        wb = self.controller.workbench
        current = self._current_cell()
        try:
            order = wb.persona_order()
            first = wb.coverage_for(order[:PAGE])
        except errors.WorkbenchError as exc:
            self._on_failure(str(exc))
            return
        matrix = LazyCoverage(order, first.channels, first.stages, wb.coverage_for)
        matrix.put(first, order[:PAGE])
        self.model.set_matrix(matrix)
        self._loaded = True
        self._stale = _Stale()
        self._failure = ""
        self._restore_cell(current)
        self._totals = None
        self._summarise()
        # After the first paint: on two cores the count would otherwise compete with it.
        QTimer.singleShot(0, self, self._count)

    def _count(self) -> None:
        """Count the totals on a worker (a newer refresh, already under way, brings its own)."""
        if self._totals is None and not self._stale and not self._query.running:
            wb = self.controller.workbench
            self._query.start(lambda: _Fresh(_Stale(), None, [], None, wb.coverage_summary()))

    def _refresh_in_background(self) -> None:
        """After an edit: re-read the rows it touched that are on screen, with fresh totals.

        Rows it touched off screen are forgotten now and read when scrolled to; a change of the
        persona order (a persona added, removed or renamed) re-reads the order and only the rows on
        screen not already in memory. Nothing is shown until the totals are in too.
        """
        if not self._loaded or not self.isVisible():
            return  # the first show reads everything; a hidden view catches up when shown
        if not self._stale:
            self._count()  # e.g. after a count that failed
            return
        wb = self.controller.workbench
        covers = self._stale.copy()
        first, last = self._visible_rows()
        m = self.model.matrix
        known = m.loaded_ids() - (m.loaded_ids() if covers.everything else covers.personas)

        if covers.order:
            top = m.order[first] if first < len(m.order) else None

            def run() -> _Fresh:
                order = wb.persona_order()
                # The rows on screen once the top row's persona is kept at the top.
                start = order.index(top) if top in order else min(first, max(0, len(order) - 1))
                ids = [pid for pid in order[start:start + last - first + 1] if pid not in known]
                return _Fresh(covers, order, ids, wb.coverage_for(ids), wb.coverage_summary())
        else:
            ids = [pid for pid in m.order[first:last + 1] if pid not in known]

            def run() -> _Fresh:
                return _Fresh(covers, None, ids, wb.coverage_for(ids) if ids else None,
                              wb.coverage_summary())
        self._totals = None
        self._summarise()
        self._query.start(run)

    def _apply(self, result: object) -> None:
        assert isinstance(result, _Fresh)
        covers = result.covers
        m = self.model.matrix
        outdated = m.loaded_ids() if covers.everything else m.loaded_ids() & covers.personas
        if result.order is not None and result.page is not None:
            current = self._current_cell()
            first, _last = self._visible_rows()
            top = m.order[first] if first < len(m.order) else None
            fresh = LazyCoverage(result.order, result.page.channels, result.page.stages, m.fetch)
            fresh.adopt(m, m.loaded_ids() - outdated)
            fresh.put(result.page, result.ids)
            self.model.set_matrix(fresh)
            self._restore_cell(current)
            # Keep the persona at the top of the screen there (rows added above must not shift it).
            row = fresh.row_of.get(top, min(first, len(fresh.order) - 1)) if top is not None else 0
            if 0 <= row < len(fresh.order) and fresh.channels:
                self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            m.forget(outdated)
            if result.page is not None:
                m.put(result.page, result.ids)
            rows = {m.row_of[pid] for pid in (*outdated, *result.ids) if pid in m.row_of}
            self.model.rows_changed(rows)
        self._stale.settled(covers)
        if not self._stale:  # else an edit made since: its own refresh brings the totals
            self._totals = result.totals
            self._failure = ""
        self._summarise()

    def _on_change(self, change: Change) -> None:
        kinds = change.kinds
        if not kinds & _RELEVANT or not self._loaded:
            return
        if kinds & {"persona", "channel"}:
            self._stale.order = True
            self._stale.personas |= change.ids("persona")
        if kinds & {"term", "channel"}:
            self._stale.everything = True
        touched = personas_of_messages(change)
        self._stale.personas |= touched
        if "message" in kinds and not touched:  # cannot tell whose: read every row again
            self._stale.everything = True
        self._totals = None  # the old totals may be wrong from now on
        self._summarise()
        # Coalesce a burst of edits (typing) into one re-read, and skip it while hidden.
        if self.isVisible():
            self._refresh_timer.start()

    def _on_rechecked(self, _message_ids: object) -> None:
        """A background lingo re-check changed breach counts: cells and totals may change anywhere."""
        if not self._loaded:
            return
        self._stale.everything = True
        self._totals = None
        self._summarise()
        if self.isVisible():
            self._refresh_timer.start()

    def _visible_rows(self) -> tuple[int, int]:
        """The rows on screen (the first page when nothing is laid out yet)."""
        n = self.model.rowCount()
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(max(0, self.table.viewport().height() - 1))
        if last < 0:
            last = min(n, first + PAGE) - 1
        return first, max(first, last)

    def _load_visible(self) -> None:
        if self._loaded:
            first, last = self._visible_rows()
            self.model.load(first, last)

    def _on_failure(self, message: str) -> None:
        self._failure = message
        self._summarise()

    # --- showing ------------------------------------------------------------------------------

    def _on_stage(self, _index: int) -> None:
        self.model.set_stage(self.stage_combo.currentData())
        self._summarise()

    def _summarise(self) -> None:
        """"9 of 20 cells approved" for the stage shown, from the totals counted in SQL — or
        "Counting…" while they are being counted, never a number from before an edit."""
        if self._failure:
            self.summary.setText(self._failure)
            return
        t = self._totals
        if t is None:
            self.summary.setText(COUNTING if self.model.rowCount() and self.model.columnCount() else "")
            return
        stage = self.model.stage
        total = t.total(stage)
        if not total:
            self.summary.setText("")
            return
        text = f"{t.count('approved', stage)} of {total} cell{'s' if total != 1 else ''} approved"
        breaches = t.count("breach", stage)
        if breaches:
            text += f" · {breaches} with a lingo breach"
        self.summary.setText(text)

    def set_stage(self, stage: str | None) -> None:
        """Select the stage filter (None: all stages)."""
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(stage)))

    def _current_cell(self) -> tuple[str, str] | None:
        idx = self.table.currentIndex()
        m = self.model.matrix
        if not idx.isValid() or idx.row() >= len(m.order) or idx.column() >= len(m.channels):
            return None
        return m.order[idx.row()], m.channels[idx.column()].id

    def _restore_cell(self, cell: tuple[str, str] | None) -> None:
        if cell is None:
            return
        m = self.model.matrix
        row = m.row_of.get(cell[0])
        cols = [i for i, c in enumerate(m.channels) if c.id == cell[1]]
        if row is not None and cols:
            auto = self.table.hasAutoScroll()
            self.table.setAutoScroll(False)  # the cursor comes back without scrolling the screen to it
            self.table.setCurrentIndex(self.model.index(row, cols[0]))
            self.table.setAutoScroll(auto)

    def select_cell(self, persona_id: str, channel_id: str) -> None:
        """Put the cursor on the cell of a persona and channel (from the problems panel)."""
        m = self.model.matrix
        row = m.row_of.get(persona_id)
        cols = [i for i, c in enumerate(m.channels) if c.id == channel_id]
        if row is not None and cols:
            idx = self.model.index(row, cols[0])
            self.table.setCurrentIndex(idx)
            self.table.scrollTo(idx)
            self.table.setFocus()

    def _activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        m = self.model.matrix
        persona_id = m.order[index.row()]
        channel = m.channels[index.column()]
        stage = self.model.stage
        if m.state(persona_id, channel.id, stage) == AVOIDED:
            return  # the persona avoids this channel: not a cell, nothing to write there
        messages = self.controller.workbench.messages(persona_id=persona_id, channel_id=channel.id, stage=stage)
        live = [x for x in messages if x.status != "retired"] or messages
        if live:
            # Prefer the message that makes the cell's colour: a breach, then approved, review, draft.
            order = {"approved": 1, "in_review": 2, "draft": 3, "retired": 4}
            live.sort(key=lambda x: (0 if x.breach_count else order.get(x.status, 5),
                                     m.stages.index(x.stage) if x.stage in m.stages else 9))
            self.open_message_requested.emit(live[0].id)
            return
        self.create_message_requested.emit(persona_id, channel.id, stage or (m.stages[0] if m.stages else "awareness"))

"""The problems panel: every lingo breach and coverage gap, refreshed after each change.

The list is computed off the GUI thread (a full check reads every message) and refreshed a moment
after the last edit, so typing in an editor never waits for it. A click asks the main window to
jump to the message, persona or matrix cell the problem is about.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ui.services import icons
from ui.services.background import BackgroundQuery
from ui.services.controller import WorkbenchController
from workbench.domain.values import Problem
from workbench.store.changes import Change

KIND_ICON = {"breach": "breach", "gap": "missing", "persona": "breach", "accepted": "approved"}
KIND_WORD = {"breach": "Lingo breach", "gap": "Coverage gap", "persona": "Persona wording",
             "accepted": "Accepted with override"}
REFRESH_DELAY_MS = 400
#: Longest wait after an edit before re-checking (a check of a huge file waits this long at most).
MAX_DELAY_MS = 10_000
#: Message columns that never change a problem: editing only these does not re-check.
_QUIET_MESSAGE_COLUMNS = frozenset({"notes", "updated_at", "updated_by", "breach_count"})
FIELD_WORD = {"headline": "headline", "body": "body", "call_to_action": "call to action", "notes": "notes"}


def describe(problem: Problem) -> str:
    """The problem's text, naming the message field when there is one (two breaches of the same
    word in headline and body would otherwise read as a duplicated row)."""
    field = problem.breach.field if problem.breach is not None and problem.message_id else ""
    word = FIELD_WORD.get(field, "")
    return f"{problem.text} (in the {word})" if word else problem.text


def summarise(problems: list[Problem]) -> str:
    """One line such as "2 lingo breaches · 1 coverage gap" (or that all is well)."""
    breaches = sum(1 for p in problems if p.kind in ("breach", "persona"))
    gaps = sum(1 for p in problems if p.kind == "gap")
    accepted = sum(1 for p in problems if p.kind == "accepted")
    parts = []
    if breaches:
        parts.append(f"{breaches} lingo breach{'es' if breaches != 1 else ''}")
    if gaps:
        parts.append(f"{gaps} coverage gap{'s' if gaps != 1 else ''}")
    if accepted:
        parts.append(f"{accepted} accepted with an override")
    return " · ".join(parts) if parts else "No lingo breaches and no coverage gaps."


class ProblemsPanel(QWidget):
    """A list of :class:`Problem`; ``jump_requested(Problem)`` when one is clicked or activated."""

    jump_requested = Signal(object)
    #: The list was refreshed: how many blocking problems (breaches and gaps) there are.
    counted = Signal(int)

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.problems: list[Problem] = []
        self._last_check_ms = 0
        self._started = 0.0
        self.summary = QLabel("Checking…")
        self.summary.setAccessibleName("Problems summary")
        self.list = QListWidget()
        self.list.setAccessibleName("Problems")
        self.list.setAccessibleDescription("Lingo breaches and coverage gaps; press Enter to go to one")
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(16, 16))
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._on_item)
        self.list.itemClicked.connect(self._on_item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)

        self._query = BackgroundQuery(self)
        self._query.finished.connect(self._show)
        self._query.failed.connect(lambda msg: self.summary.setText(f"Could not check: {msg}"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        controller.changed.connect(self._on_change)
        controller.rechecked.connect(self._on_rechecked)
        # The first check starts a moment after opening, once the window has been built: a full
        # check of a big file should not compete with the editors' first reads.
        self._timer.start()

    def attach(self, controller: WorkbenchController) -> None:
        """Follow ``controller`` from now on — the same file, now open for editing — keeping the
        list (a full check of a big workbench takes seconds: it is not repeated)."""
        try:
            self.controller.changed.disconnect(self._on_change)
            self.controller.rechecked.disconnect(self._on_rechecked)
        except (RuntimeError, TypeError):  # the old controller is already gone
            pass
        self.controller = controller
        controller.changed.connect(self._on_change)
        controller.rechecked.connect(self._on_rechecked)
        if self._query.running:  # the check still reads through the old session: ask again
            self._timer.start()

    def _on_change(self, change: Change) -> None:
        if not change.kinds & {"persona", "channel", "message", "term"}:
            return
        if change.kinds <= {"message", "revision"} and _only_quiet_columns(change):
            return  # e.g. internal notes: no problem can appear or go away
        # A full check reads every message on a pool thread, but it still shares the interpreter
        # with typing: wait for a pause that grows with how long the last check took.
        self._timer.start(max(REFRESH_DELAY_MS, min(MAX_DELAY_MS, 2 * self._last_check_ms)))

    def _on_rechecked(self, _message_ids: object) -> None:
        self._timer.start(REFRESH_DELAY_MS)  # breach counts changed behind the last list

    def refresh(self) -> None:
        """Re-check the workbench in the background; the list updates when the check is done."""
        self._started = time.perf_counter()
        self._query.start(self.controller.workbench.problems)

    @property
    def busy(self) -> bool:
        """Whether a check is due or running (wait on :attr:`counted` for its result)."""
        return self._query.running or self._timer.isActive()

    def _show(self, problems: object) -> None:
        assert isinstance(problems, list)
        if self._started:
            self._last_check_ms = int((time.perf_counter() - self._started) * 1000)
            self._started = 0.0
        self.problems = problems
        self.list.clear()
        for p in problems:
            text = describe(p)
            item = QListWidgetItem(icons.icon(KIND_ICON.get(p.kind, "breach")), text)
            word = KIND_WORD.get(p.kind, p.kind)
            item.setToolTip(f"{word}: {text}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{word}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.list.addItem(item)
        self.summary.setText(summarise(problems))
        self.counted.emit(sum(1 for p in problems if p.blocking))

    def _on_item(self, item: QListWidgetItem) -> None:
        problem = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(problem, Problem):
            self.jump_requested.emit(problem)

    def refresh_palette(self) -> None:
        """Redraw icons for a new palette."""
        self._show(self.problems)


def _only_quiet_columns(change: Change) -> bool:
    """Whether every message row in ``change`` kept its text, status, channel and persona."""
    before = {b.id: b.values for b in change.before if b.table == "messages"}
    for image in change.after:
        if image.table != "messages":
            continue
        old = before.get(image.id)
        if old is None or image.values is None:
            return False
        if any(old.get(k) != v for k, v in image.values.items() if k not in _QUIET_MESSAGE_COLUMNS):
            return False
    return True

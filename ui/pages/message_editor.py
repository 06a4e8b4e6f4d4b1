"""The message editor: one persona × channel × stage message, lingo-checked as you type, and its approval.

Headline, body and call to action are :class:`~ui.widgets.lingo_highlighter.LingoTextEdit` fields so breaches
are underlined live with the core's checker; the list under the editor says what each one is and
jumps to it. Status buttons follow the workflow draft → in review → approved → retired. Approving text
that still breaks the lingo opens :class:`~ui.widgets.override_dialog.OverrideDialog` and retries with the
reason. Editing approved text makes a new draft; the approved text in force is shown above it until
the new one is approved (DESIGN.md "Approval").
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import (
    STAGE_LABELS,
    STATUS_LABELS,
    FieldCommitter,
    RefreshWhenShown,
    hint_label,
    palette_is_dark,
    section_header,
    set_editable,
    status_colour,
    status_icon,
    title_label,
)
from ui.widgets.lingo_highlighter import LingoTextEdit, describe_breach
from ui.widgets.markdown_view import MarkdownView, render_markdown
from ui.widgets.override_dialog import OverrideDialog
from workbench.domain import errors
from workbench.domain.lingo import Breach, Checker
from workbench.domain.values import MessageView, PersonaView
from workbench.edit import commands
from workbench.schema.model import STAGES
from workbench.store.changes import Change

_FIELD_LABELS = {"headline": "Headline", "body": "Body", "call_to_action": "Call to action", "notes": "Notes"}
#: Which status buttons are enabled in which status.
_ALLOWED = {
    "draft": {"in_review", "approved", "retired"},
    "in_review": {"approved", "draft", "retired"},
    "approved": {"draft", "retired"},
    "retired": {"draft"},
}


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


class MessageEditor(RefreshWhenShown):
    """Edits one message; ``show_message(id)`` chooses which."""

    open_persona_requested = Signal(str)
    #: The message was deleted from here (the shell may select something else).
    message_deleted = Signal(str)

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.message_id: str | None = None
        self._message: MessageView | None = None
        self._persona: PersonaView | None = None
        self._checker: Checker | None = None
        self._committers: dict[str, FieldCommitter] = {}
        self._breach_timer = QTimer(self)
        self._breach_timer.setSingleShot(True)
        self._breach_timer.setInterval(120)
        self._breach_timer.timeout.connect(self.refresh_breach_list)
        self._build()
        controller.changed.connect(self._on_changed)

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.empty = QLabel("Choose a message in the navigator, the coverage matrix or a persona's "
                            "Messages list.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.empty)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Message editor")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        self.scroll_area.setWidget(page)
        self.stack.addWidget(self.scroll_area)
        body = QVBoxLayout(page)
        body.setContentsMargins(24, 16, 24, 24)
        body.setSpacing(6)

        top = QHBoxLayout()
        self.title = title_label("Message")
        top.addWidget(self.title, 1)
        self.status_badge = QLabel()
        self.status_badge.setAccessibleName("Message status")
        top.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        body.addLayout(top)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.persona_button = QPushButton()
        self.persona_button.setFlat(True)
        self.persona_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.persona_button.setAccessibleName("Open persona")
        self.persona_button.setStyleSheet("QPushButton { color: palette(link); text-align: left; padding: 2px; }")
        self.persona_button.clicked.connect(self._open_persona)
        row.addWidget(self.persona_button)
        row.addSpacing(12)
        self.channel = QComboBox()
        self.channel.setAccessibleName("Channel")
        self.channel.activated.connect(self._channel_chosen)
        self.stage = QComboBox()
        self.stage.setAccessibleName("Journey stage")
        for s in STAGES:
            self.stage.addItem(STAGE_LABELS[s], s)
        self.stage.activated.connect(self._stage_chosen)
        for text, w in (("&Channel", self.channel), ("S&tage", self.stage)):
            label = QLabel(text)
            label.setBuddy(w)
            row.addWidget(label)
            row.addWidget(w)
        row.addStretch(1)
        body.addLayout(row)
        self.guidance = hint_label()
        body.addWidget(self.guidance)

        self.in_force = QFrame()
        self.in_force.setObjectName("inForce")
        inf = QVBoxLayout(self.in_force)
        inf.setContentsMargins(12, 8, 12, 8)
        self.in_force_title = QLabel()
        self.in_force_title.setWordWrap(True)
        self.in_force_text = QLabel()
        self.in_force_text.setWordWrap(True)
        self.in_force_text.setTextFormat(Qt.TextFormat.RichText)
        self.in_force_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.in_force_text.setOpenExternalLinks(False)
        self.in_force_text.setToolTip("The approved text, shortened; History… shows it in full")
        self.in_force_text.setAccessibleName("Approved text in force")
        inf.addWidget(self.in_force_title)
        inf.addWidget(self.in_force_text)
        body.addWidget(self.in_force)

        body.addWidget(section_header("Headline"))
        self.headline = LingoTextEdit(single_line=True, placeholder="What they should read first, e.g. "
                                      "“From one family business to another”")
        self.headline.setAccessibleName("Headline")
        body.addWidget(self.headline)
        body.addWidget(section_header("Body", "Markdown. The preview shows how the playbook will print it."))
        self.body = LingoTextEdit(placeholder="Write to one person. Open with their world, not our product; "
                                  "use their words (check the lingo), and end with one clear next step.")
        self.body.setAccessibleName("Body (markdown)")
        self.body.setMinimumHeight(220)
        self.preview = MarkdownView(placeholder="The preview appears here as you write.")
        self.preview.setAccessibleName("Body preview")
        self.preview.setMinimumHeight(220)
        self.body.textChanged.connect(lambda: self.preview.set_markdown(self.body.toPlainText()))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("messageBodySplitter")
        split.addWidget(self.body)
        split.addWidget(self.preview)
        split.setChildrenCollapsible(False)
        split.setSizes([1, 1])
        body.addWidget(split)
        body.addWidget(section_header("Call to action"))
        self.cta = LingoTextEdit(single_line=True, placeholder="The one thing to do next, e.g. “Call (785) "
                                 "555-0143 for the printed guide”")
        self.cta.setAccessibleName("Call to action")
        body.addWidget(self.cta)

        body.addWidget(section_header("Lingo check"))
        self.breach_list = QListWidget()
        self.breach_list.setAccessibleName("Lingo problems")
        self.breach_list.setMaximumHeight(96)
        self.breach_list.setIconSize(QSize(16, 16))
        self.breach_list.itemActivated.connect(self._jump_to_breach)
        self.breach_list.itemClicked.connect(self._jump_to_breach)
        body.addWidget(self.breach_list)

        body.addWidget(section_header("Internal notes", "For the team only: never printed in a playbook "
                                      "or included in a hand-off copy."))
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Internal notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Timing, paper stock, who to send it to, what we learned last time…")
        self.notes.setMaximumHeight(80)
        body.addWidget(self.notes)

        body.addWidget(section_header("Approval"))
        self.approval = QLabel()
        self.approval.setWordWrap(True)
        self.approval.setAccessibleName("Approval")
        self.approval.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(self.approval)
        buttons = QGridLayout()
        buttons.setHorizontalSpacing(8)
        self.review_button = self._status_button("Send for Review", "in_review")
        self.approve_button = self._status_button("Approve", "approved")
        self.retire_button = self._status_button("Retire", "retired")
        self.draft_button = self._status_button("Return to Draft", "draft")
        self.history_button = QPushButton("History…")
        self.history_button.setAccessibleName("Revision history")
        self.history_button.clicked.connect(self.show_history)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete message")
        self.delete_button.clicked.connect(self.delete_message)
        for i, b in enumerate((self.review_button, self.approve_button, self.retire_button, self.draft_button)):
            buttons.addWidget(b, 0, i)
        buttons.setColumnStretch(4, 1)
        buttons.addWidget(self.history_button, 0, 5)
        buttons.addWidget(self.delete_button, 0, 6)
        body.addLayout(buttons)
        body.addStretch(1)

        lingo_fields: dict[str, LingoTextEdit] = {"headline": self.headline, "body": self.body,
                                                  "call_to_action": self.cta}
        text_fields: dict[str, QPlainTextEdit] = {**lingo_fields, "notes": self.notes}
        for key, edit in text_fields.items():
            self._committers[key] = FieldCommitter(edit, self._committer_for(key))
        for key, lingo in lingo_fields.items():
            lingo.set_finder(self._finder_for(key))
            lingo.textChanged.connect(self._breach_timer.start)
            lingo.quick_fixed.connect(self._committers[key].flush)
        self.headline.editing_finished.connect(self._committers["headline"].flush)
        self.cta.editing_finished.connect(self._committers["call_to_action"].flush)
        # Top to bottom: persona link, channel, stage, then the texts (creation order put the
        # header row last).
        chain = [self.persona_button, self.channel, self.stage, self.headline]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.stack.setCurrentWidget(self.empty)
        self._restyle()

    def _committer_for(self, key: str) -> Callable[[str], None]:
        return lambda text: self._commit(key, text)

    def _finder_for(self, key: str) -> Callable[[str], list[Breach]]:
        return lambda text: self._find(text, key)

    def _status_button(self, text: str, status: str) -> QPushButton:
        b = QPushButton(status_icon(status), text)
        b.setAccessibleName(text)
        b.clicked.connect(lambda: self.set_status(status))
        return b

    # --- showing -----------------------------------------------------------------------------

    def show_message(self, message_id: str | None) -> None:
        """Show a message (or the empty page when ``None`` or unknown)."""
        self.flush()
        self._stale = False
        m = self.controller.workbench.message(message_id) if message_id else None
        if m is None:
            self.message_id = None
            self._message = None
            self.stack.setCurrentWidget(self.empty)
            return
        self.message_id = m.id
        self._persona = self.controller.workbench.persona(m.persona_id)
        self._checker = self.controller.workbench.checker()
        self._load(m, force=True)
        self.stack.setCurrentWidget(self.scroll_area)
        self.scroll_area.verticalScrollBar().setValue(0)

    def _load(self, m: MessageView, *, force: bool = False) -> None:
        self._message = m
        for key, committer in self._committers.items():
            committer.load(getattr(m, key), force=force)
        if force:
            self.preview.set_markdown_now(self.body.toPlainText())
        persona = self._persona.name if self._persona else "Unknown persona"
        self.persona_button.setText(f"{persona} ›")
        self.persona_button.setToolTip(f"Open {persona}'s persona")
        self.title.setText(f"{m.channel_name} · {STAGE_LABELS.get(m.stage, m.stage)}")
        channels = self.controller.workbench.channels()
        blocked = self.channel.blockSignals(True)
        self.channel.clear()
        for c in channels:
            self.channel.addItem(c.name, c.id)
        self.channel.setCurrentIndex(max(0, self.channel.findData(m.channel_id)))
        self.channel.blockSignals(blocked)
        self.stage.setCurrentIndex(max(0, self.stage.findData(m.stage)))
        guidance = next((c.guidance for c in channels if c.id == m.channel_id), "")
        self.guidance.setText(f"{m.channel_name} guidance: {guidance}" if guidance else "")
        self.guidance.setVisible(bool(guidance))
        self._show_status(m)
        for w in (self.headline, self.body, self.cta):
            w.highlighter.rehighlight()
        self.refresh_breach_list()
        self._apply_read_only()

    def _show_status(self, m: MessageView) -> None:
        words = STATUS_LABELS.get(m.status, m.status)
        self.status_badge.setToolTip(f"Status: {words}")
        self.status_badge.setAccessibleDescription(words)
        self.status_badge.setText(f"● {words}")
        self._style_status(m.status)
        if m.status == "approved":
            text = f"Approved by <b>{html.escape(m.approved_by)}</b> on {_when(m.approved_at)}."
            if m.override_reason:
                text += (f"<br>Approved despite lingo problems. Reason: "
                         f"<i>{html.escape(m.override_reason)}</i>")
        elif m.status == "in_review":
            text = "Waiting for review. Approve it when the wording is right, or return it to draft."
        elif m.status == "retired":
            text = "Retired: kept for the record, no longer used in playbooks."
        else:
            text = "Draft. Send it for review when it is ready; only approved messages go into playbooks."
        self.approval.setText(text)
        inf = m.in_force
        show = inf is not None and m.status != "approved"
        self.in_force.setVisible(show)
        if inf is not None and show:
            self.in_force_title.setText(
                f"<b>Approved text in force</b> — approved by {html.escape(inf.approved_by)} on "
                f"{_when(inf.approved_at)}. It stays in playbooks until this draft is approved.")
            self.in_force_text.setText(f"<p><b>{html.escape(inf.headline)}</b></p>"
                                       f"{render_markdown(inf.body if len(inf.body) <= 400 else inf.body[:400].rsplit(' ', 1)[0] + ' …')}"
                                       f"<p><i>{html.escape(inf.call_to_action)}</i></p>")
        allowed = _ALLOWED.get(m.status, set())
        ro = self.controller.readonly
        for status, b in (("in_review", self.review_button), ("approved", self.approve_button),
                          ("retired", self.retire_button), ("draft", self.draft_button)):
            b.setEnabled(not ro and status in allowed)
        self.delete_button.setEnabled(not ro)

    def _style_status(self, status: str) -> None:
        self.status_badge.setStyleSheet(f"font-weight: bold; color: {status_colour(self, status)}; "
                                        "padding: 4px 10px; border: 1px solid palette(mid); border-radius: 10px;")

    def _restyle(self) -> None:
        """Colours for the current palette (light or dark); run again when the palette changes."""
        green = status_colour(self, "approved")
        tint = "rgba(129,199,132,0.12)" if palette_is_dark(self) else "rgba(46,125,50,0.07)"
        self.in_force.setStyleSheet(f"#inForce {{ border: 1px solid {green}; border-radius: 6px; "
                                    f"background: {tint}; }}")
        if self._message is not None:
            self._style_status(self._message.status)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Follow a switch between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "in_force"):
            self._restyle()

    def _apply_read_only(self) -> None:
        ro = self.controller.readonly
        set_editable([self.headline, self.body, self.cta, self.notes, self.channel, self.stage], not ro)

    # --- lingo -------------------------------------------------------------------------------

    def _find(self, text: str, field: str) -> list[Breach]:
        if self._checker is None or self._message is None:
            return []
        dont = self._persona.dont if self._persona else ()
        return self._checker.check_text(text, field, self._message.persona_id, dont)

    def current_breaches(self) -> list[Breach]:
        """Breaches in the text as typed now (not yet saved), including an avoided channel."""
        if self._checker is None or self._message is None:
            return []
        p = self._persona
        return self._checker.check_message(
            {"headline": self.headline.toPlainText(), "body": self.body.toPlainText(),
             "call_to_action": self.cta.toPlainText()}, self._message.persona_id,
            p.dont if p else (), self.channel.currentText(), p.avoid_channels if p else ())

    def refresh_breach_list(self) -> None:
        """Rebuild the list of lingo problems under the editor."""
        self._breach_timer.stop()
        self.breach_list.clear()
        breaches = self.current_breaches()
        for b in breaches:
            where = _FIELD_LABELS.get(b.field, "Channel")
            item = QListWidgetItem(status_icon("breach"), f"{where}: {describe_breach(b).splitlines()[0]}")
            item.setData(Qt.ItemDataRole.UserRole, (b.field, b.start, b.end))
            item.setToolTip(describe_breach(b))
            self.breach_list.addItem(item)
        if not breaches:
            self.breach_list.addItem(QListWidgetItem(status_icon("approved"),
                                                     "No lingo problems: the wording follows the shared vocabulary."))
        self.breach_list.setMaximumHeight(min(96, 8 + 24 * max(1, len(breaches))))

    def _jump_to_breach(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data:
            return
        field, start, end = data
        w = {"headline": self.headline, "body": self.body, "call_to_action": self.cta}.get(field)
        if w is None:
            self.channel.setFocus()
            return
        cursor = w.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        w.setTextCursor(cursor)
        w.setFocus()

    # --- editing -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Commit every field still being typed in."""
        if self.message_id is None:
            return
        for committer in self._committers.values():
            committer.flush()

    def _commit(self, key: str, text: str) -> None:
        if self.message_id is None or self.controller.readonly:
            return
        self.controller.run(commands.UpdateMessage(self.message_id, {key: text},
                                                   label=f"Edit Message {_FIELD_LABELS[key]}"))

    def _channel_chosen(self, _index: int) -> None:
        if self.message_id and self._message and self.channel.currentData() != self._message.channel_id:
            self.controller.run(commands.UpdateMessage(self.message_id, {"channel_id": self.channel.currentData()},
                                                       label="Move Message to Channel"))

    def _stage_chosen(self, _index: int) -> None:
        if self.message_id and self._message and self.stage.currentData() != self._message.stage:
            self.controller.run(commands.UpdateMessage(self.message_id, {"stage": self.stage.currentData()},
                                                       label="Change Message Stage"))

    def set_status(self, status: str) -> bool:
        """Move the message to ``status``; approving with breaches asks for an override reason."""
        if self.message_id is None or self.controller.readonly:
            return False
        self.flush()
        try:
            self.controller.run(commands.SetMessageStatus(self.message_id, status), raise_errors=True)
            return True
        except errors.ApprovalBlocked as blocked:
            reason, ok = OverrideDialog.get_reason(self, blocked.breaches)
            if not ok or not reason.strip():
                return False
            return self.controller.run(commands.SetMessageStatus(self.message_id, status, reason)) is not None
        except errors.WorkbenchError as exc:
            self.controller.failed.emit("Change Message Status", str(exc))
            return False

    def show_history(self) -> None:
        """Open the revision history for this message."""
        if self.message_id is None:
            return
        self.flush()
        from ui.widgets.revision_history import RevisionHistoryDialog

        dialog = RevisionHistoryDialog.open_for(self, self.controller, self.message_id)
        if dialog is not None:
            dialog.open_persona_requested.connect(self.open_persona_requested)

    @classmethod
    def confirm_delete(cls, parent: QWidget | None, headline: str) -> bool:
        """Ask before deleting a message (tests stub this)."""
        answer = QMessageBox.question(parent, "Delete message?",
                                      f"Delete “{headline or 'this message'}” and its revision history? "
                                      "You can undo this with Edit ▸ Undo.")
        return bool(answer == QMessageBox.StandardButton.Yes)

    def delete_message(self) -> None:
        """Delete the message after confirmation."""
        if self.message_id is None or self.controller.readonly or self._message is None:
            return
        if not self.confirm_delete(self, self._message.headline):
            return
        mid = self.message_id
        if self.controller.run(commands.DeleteMessage(mid)) is not None:
            self.message_deleted.emit(mid)

    def _open_persona(self) -> None:
        if self._message is not None:
            self.open_persona_requested.emit(self._message.persona_id)

    def _on_changed(self, change: Change) -> None:
        """Refresh from the change record: only when it touches this message, its persona, the
        lingo or the channels; while the page is hidden only remember to refresh on show."""
        if self.message_id is None:
            return
        if self.message_id in change.deleted("message"):
            self.show_message(None)
            return
        kinds = change.kinds
        if "term" in kinds:
            self._checker = None  # rebuilt on refresh: the vocabulary changed
        persona_id = self._message.persona_id if self._message is not None else None
        if not (self.message_id in change.ids("message") or kinds & {"term", "channel"}
                or persona_id in change.ids("persona")):
            return
        if self.on_screen_or_defer():
            self.refresh_stale()

    def refresh_stale(self) -> None:
        """Re-read the shown message (and its persona); fields being typed in are left alone."""
        if self.message_id is None:
            return
        wb = self.controller.workbench
        m = wb.message(self.message_id)
        if m is None:
            self.show_message(None)
            return
        if self._checker is None:
            self._checker = wb.checker()
        self._persona = wb.persona(m.persona_id)
        self._load(m)

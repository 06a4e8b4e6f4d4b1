"""The persona form: every field of a storied persona, the story in markdown beside its preview.

Each field commits as one ``UpdatePersona`` command when the person leaves it or pauses (see
:class:`~ui.widgets.editor_widgets.FieldCommitter`), labelled by field ("Undo Rename Persona", "Undo Edit
Story"). Refreshes come from ``controller.changed``; a field with uncommitted typing is never
overwritten. The story is lingo-checked as you type, like messages, because reps quote it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import (
    FieldCommitter,
    RefreshWhenShown,
    hint_label,
    personas_of_messages,
    section_header,
    set_editable,
    status_icon,
)
from ui.widgets.image_well import ImageWell
from ui.widgets.lingo_highlighter import LingoTextEdit
from ui.widgets.list_field import ListField
from ui.widgets.markdown_view import MarkdownView
from ui.widgets.persona_messages import PersonaMessages
from workbench.domain.lingo import Breach, Checker
from workbench.domain.values import PersonaView
from workbench.edit import commands
from workbench.store.changes import Change

COMFORT_LABELS = ("Not set", "1 — Avoids technology", "2 — Uses the basics", "3 — Comfortable",
                  "4 — Confident", "5 — Early adopter")

#: Text fields: key → (label, placeholder, undo label).
_LINES: dict[str, tuple[str, str]] = {
    "role": ("Role", "e.g. Owner and President"),
    "organization": ("Organisation", "e.g. Voss Farm Supply"),
    "industry": ("Industry", "e.g. Farm-supply dealership"),
    "location": ("Location", "e.g. Salina, Kansas"),
    "owner": ("Owner", "Who on the team keeps this persona true"),
}
#: List fields: key → (label, item name, placeholder).
_LISTS: dict[str, tuple[str, str, str]] = {
    "motivations": ("Motivations", "motivation", "What gets them out of bed? e.g. “Hand the business on stronger”"),
    "worries": ("Worries", "worry", "What keeps them up at night? e.g. “A consolidator undercutting on price”"),
    "goals": ("Goals", "goal", "What do they want to achieve this year?"),
    "preferred_channels": ("Preferred channels", "channel", "Where they listen: add a channel with +"),
    "avoid_channels": ("Channels to avoid", "channel", "Where a message would backfire"),
    "gatekeepers": ("Gatekeepers and influencers", "person",
                    "Who filters their inbox or sways the decision? e.g. “Dana — office manager, opens all mail”"),
    "do": ("Do", "do", "What works with them, e.g. “Send a letter on good paper”"),
    "dont": ("Don't", "don't", "What to never do or say, e.g. Never mention \"QR codes\" — quoted words are lingo-checked"),
    "tags": ("Tags", "tag", "Short labels for finding them: owner, low tech comfort …"),
}
_UNDO_LABELS = {"name": "Rename Persona", "story": "Edit Story", "dont": "Edit Don'ts", "do": "Edit Dos",
                "mql": "Edit MQL Criteria", "sql": "Edit SQL Criteria", "technology_comfort":
                "Change Technology Comfort", "status": "Change Persona Status"}


class PersonaEditor(RefreshWhenShown):
    """Edits one persona; ``show_persona(id)`` chooses which."""

    open_message_requested = Signal(str)
    new_message_requested = Signal(str)

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.persona_id: str | None = None
        self._persona: PersonaView | None = None
        self._checker: Checker | None = None
        self._committers: dict[str, FieldCommitter] = {}
        self.lists: dict[str, ListField] = {}
        self.lines: dict[str, QLineEdit] = {}
        self._build()
        controller.changed.connect(self._on_changed)

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.empty = QLabel("Choose a persona in the navigator, or create one with File ▸ New Persona.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack.addWidget(self.empty)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Persona editor")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        self.scroll_area.setWidget(page)
        self.stack.addWidget(self.scroll_area)
        body = QVBoxLayout(page)
        body.setContentsMargins(24, 16, 24, 24)
        body.setSpacing(6)
        body.addLayout(self._build_header())
        body.addWidget(section_header("At a glance"))
        body.addLayout(self._build_glance())
        body.addWidget(section_header("Story", "Markdown: *italic*, **bold**, lists with “-”. The preview "
                                      "on the right shows how the playbook reads."))
        body.addWidget(self._build_story())
        body.addWidget(section_header("Motivations, worries and goals"))
        body.addLayout(self._list_row("motivations", "worries", "goals"))
        body.addWidget(section_header("Channels and people", "Preferred and avoided channels steer the "
                                      "coverage matrix; a message on an avoided channel counts as a breach."))
        body.addLayout(self._list_row("preferred_channels", "avoid_channels", "gatekeepers"))
        body.addWidget(section_header("Do and don't", "Phrases in quotes on the don't list are "
                                      "underlined in this persona's messages."))
        body.addLayout(self._list_row("do", "dont"))
        body.addWidget(section_header("Voice and tone"))
        self.voice = self._text("voice", "Voice and tone",
                                "How should we sound to them? e.g. Plain, warm and unhurried — short sentences, "
                                "no jargon.", 70)
        body.addWidget(self.voice)
        body.addWidget(section_header("Lead qualification", "What makes this persona a marketing-qualified "
                                      "lead (MQL), and when sales takes over (SQL)."))
        qual = QGridLayout()
        qual.setHorizontalSpacing(16)
        self.mql = self._text("mql", "Marketing-qualified when",
                              "e.g. Returns the reply card or calls the number on a letter", 70)
        self.sql = self._text("sql", "Sales-qualified when",
                              "e.g. Agreed to an on-site visit and named the season to start", 70)
        qual.addWidget(self._caption("Marketing-qualified (MQL) when…", self.mql), 0, 0)
        qual.addWidget(self._caption("Sales-qualified (SQL) when…", self.sql), 0, 1)
        qual.addWidget(self.mql, 1, 0)
        qual.addWidget(self.sql, 1, 1)
        body.addLayout(qual)
        body.addWidget(section_header("Messages", "This persona's messaging by channel and journey stage."))
        self.messages = PersonaMessages(self)
        self.messages.open_message_requested.connect(self.open_message_requested)
        self.messages.new_message_requested.connect(self._new_message)
        body.addWidget(self.messages)
        body.addStretch(1)
        # Column by column, as the form reads: the left column, then comfort at the top of the right.
        QWidget.setTabOrder(self.lines["industry"], self.comfort)
        QWidget.setTabOrder(self.comfort, self.lines["location"])
        self.stack.setCurrentWidget(self.empty)

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(18)
        self.portrait = ImageWell("portrait", parent=self)
        self.portrait.image_chosen.connect(self._set_portrait)
        self.portrait.remove_requested.connect(lambda: self._set_portrait(None))
        self.portrait.failed.connect(lambda msg: self.controller.failed.emit("Portrait", msg))
        row.addWidget(self.portrait, 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        col.setSpacing(6)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Their name, e.g. Harlan Voss")
        self.name.setAccessibleName("Persona name")
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setFrame(False)
        self.name.setStyleSheet("QLineEdit { background: transparent; padding: 2px 0; }"
                                "QLineEdit:focus { border-bottom: 2px solid palette(highlight); }")
        self._commit_on(self.name, "name")
        col.addWidget(self.name)
        self.subtitle = hint_label()
        col.addWidget(self.subtitle)
        form = QHBoxLayout()
        form.setSpacing(8)
        self.status = QComboBox()
        self.status.setAccessibleName("Persona status")
        self.status.addItem(status_icon("draft"), "Draft — still being researched", "draft")
        self.status.addItem(status_icon("approved"), "Approved — the team works from it", "approved")
        self.status.activated.connect(lambda _i: self._update(
            {"status": self.status.currentData()}, "status"))
        status_label = QLabel("&Status")
        status_label.setBuddy(self.status)
        form.addWidget(status_label)
        form.addWidget(self.status)
        form.addStretch(1)
        col.addLayout(form)
        self.stamp = hint_label()
        col.addWidget(self.stamp)
        col.addStretch(1)
        row.addLayout(col, 1)
        return row

    def _build_glance(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        left = QFormLayout()
        right = QFormLayout()
        for form in (left, right):
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for i, (key, (label, placeholder)) in enumerate(_LINES.items()):
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label)
            self._commit_on(edit, key)
            self.lines[key] = edit
            (left if i < 3 else right).addRow(f"{label}:", edit)
        self.comfort = QComboBox()
        self.comfort.setAccessibleName("Technology comfort")
        self.comfort.setToolTip("How at ease they are with technology, from 1 to 5: it decides whether a "
                                "QR code or a printed letter reaches them.")
        for i, text in enumerate(COMFORT_LABELS):
            self.comfort.addItem(text, i or None)
        self.comfort.activated.connect(lambda _i: self._update(
            {"technology_comfort": self.comfort.currentData()}, "technology_comfort"))
        right.insertRow(0, "Technology comfort:", self.comfort)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        tags = self._list("tags")
        tags.list.setMinimumHeight(60)
        tags.list.setMaximumHeight(70)
        grid.addWidget(self._caption("Tags", tags.list), 1, 0, 1, 2)
        grid.addWidget(tags, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _build_story(self) -> QSplitter:
        self.story = LingoTextEdit(placeholder="Tell their story: where they grew up, what their business "
                                   "is like, what keeps them up at night, and how they decide. Write it the way "
                                   "you would tell a new colleague over coffee.")
        self.story.setTabChangesFocus(True)
        self.story.setAccessibleName("Story (markdown)")
        self.story.setMinimumHeight(300)
        self._commit_on(self.story, "story")
        self.story_preview = MarkdownView(placeholder="The story preview appears here as you write.")
        self.story_preview.setAccessibleName("Story preview")
        self.story_preview.setMinimumHeight(300)
        self.story.textChanged.connect(lambda: self.story_preview.set_markdown(self.story.toPlainText()))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("personaStorySplitter")
        split.addWidget(self.story)
        split.addWidget(self.story_preview)
        split.setChildrenCollapsible(False)
        split.setSizes([1, 1])
        return split

    def _list(self, key: str) -> ListField:
        label, item, placeholder = _LISTS[key]
        field = ListField(label, item_name=item, placeholder=placeholder)
        field.changed.connect(lambda values, k=key: self._update({k: values}, k))
        self.lists[key] = field
        return field

    def _list_row(self, *keys: str) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for col, key in enumerate(keys):
            field = self._list(key)
            grid.addWidget(self._caption(_LISTS[key][0], field.list), 0, col)
            grid.addWidget(field, 1, col)
            grid.setColumnStretch(col, 1)
        return grid

    def _text(self, key: str, name: str, placeholder: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(height + 10)
        self._commit_on(edit, key)
        return edit

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setBuddy(buddy)
        return label

    def _commit_on(self, widget: QLineEdit | QPlainTextEdit, key: str) -> None:
        def commit(text: str) -> None:
            self._commit_text(key, text)

        self._committers[key] = FieldCommitter(widget, commit)

    # --- showing -----------------------------------------------------------------------------

    def show_persona(self, persona_id: str | None) -> None:
        """Show a persona (or the empty page when ``None`` or unknown)."""
        self.flush()
        self._stale = False
        self.persona_id = persona_id
        persona = self.controller.workbench.persona(persona_id) if persona_id else None
        if persona is None:
            self.persona_id = None
            self._persona = None
            self.stack.setCurrentWidget(self.empty)
            return
        self._checker = self.controller.workbench.checker()
        self._load(persona, force=True)
        self.portrait.set_image(self.controller.workbench.portrait(persona.id))
        self._load_messages()
        self._apply_read_only()
        self.stack.setCurrentWidget(self.scroll_area)
        self.scroll_area.verticalScrollBar().setValue(0)

    def _load(self, p: PersonaView, *, force: bool = False) -> None:
        self._persona = p
        for key, committer in self._committers.items():
            committer.load(str(getattr(p, key) or ""), force=force)
        if force:
            self.story_preview.set_markdown_now(self.story.toPlainText())
        for key, field in self.lists.items():
            field.set_items(getattr(p, key))
        self.lists["preferred_channels"].set_suggestions([c.name for c in self.controller.workbench.channels()])
        self.lists["avoid_channels"].set_suggestions([c.name for c in self.controller.workbench.channels()])
        self.comfort.setCurrentIndex(p.technology_comfort or 0)
        self.status.setCurrentIndex(max(0, self.status.findData(p.status)))
        where = " · ".join(x for x in (p.role, p.organization, p.location) if x)
        self.subtitle.setText(where or "Add their role, organisation and location below.")
        self.stamp.setText(f"Last edited by {p.updated_by} on {p.updated_at[:16].replace('T', ' ')}")
        self.story.set_finder(self._story_finder)

    def _load_messages(self) -> None:
        if self.persona_id is None:
            return
        wb = self.controller.workbench
        self.messages.set_messages(wb.channels(), wb.messages(persona_id=self.persona_id))

    def _story_finder(self, text: str) -> list[Breach]:
        if self._checker is None or self._persona is None:
            return []
        return self._checker.check_text(text, "story", self._persona.id, self._persona.dont)

    def _apply_read_only(self) -> None:
        ro = self.controller.readonly
        set_editable([c.widget for c in self._committers.values()], not ro)
        set_editable([self.comfort, self.status], not ro)
        for field in self.lists.values():
            field.set_read_only(ro)
        self.portrait.set_read_only(ro)
        self.messages.set_read_only(ro)

    def flush(self) -> None:
        """Commit any field still being typed in (before switching persona or closing)."""
        if self.persona_id is None:
            return
        for committer in self._committers.values():
            committer.flush()

    # --- editing -----------------------------------------------------------------------------

    def _commit_text(self, key: str, text: str) -> None:
        if key == "name" and not text.strip():
            if self._persona is not None:  # a persona needs a name: put the old one back
                self._committers["name"].load(self._persona.name, force=True)
            return
        self._update({key: text}, key)

    def _update(self, values: dict[str, Any], key: str) -> None:
        if self.persona_id is None or self.controller.readonly or self._persona is None:
            return
        if all(getattr(self._persona, k, None) == (tuple(v) if isinstance(v, list) else v)
               for k, v in values.items()):
            return
        label = _UNDO_LABELS.get(key) or f"Edit {(_LISTS.get(key) or _LINES.get(key) or (key,))[0]}"
        self.controller.run(commands.UpdatePersona(self.persona_id, values, label=label))

    def _set_portrait(self, data: bytes | None) -> None:
        if self.persona_id is None or self.controller.readonly:
            return
        label = "Remove Portrait" if data is None else "Change Portrait"
        self.controller.run(commands.SetPortrait(self.persona_id, data, label=label))

    def _new_message(self) -> None:
        if self.persona_id is not None:
            self.new_message_requested.emit(self.persona_id)

    def _on_changed(self, change: Change) -> None:
        """Refresh from the change record: only when it touches this persona, its messages, the
        lingo or the channels; while the page is hidden only remember to refresh on show."""
        if self.persona_id is None:
            return
        if self.persona_id in change.deleted("persona"):
            self.show_persona(None)
            return
        kinds = change.kinds
        if "term" in kinds:
            self._checker = None  # rebuilt on refresh: the vocabulary changed
        if not (self.persona_id in change.ids("persona") or kinds & {"term", "channel"}
                or self.persona_id in personas_of_messages(change)):
            return
        if not self.on_screen_or_defer():
            return
        if self.persona_id in change.ids("persona") or kinds & {"term", "channel"}:
            self.refresh_stale()
        else:
            self._load_messages()

    def refresh_stale(self) -> None:
        """Re-read the shown persona and its messages; fields being typed in are left alone."""
        if self.persona_id is None:
            return
        wb = self.controller.workbench
        persona = wb.persona(self.persona_id)
        if persona is None:
            self.show_persona(None)
            return
        if self._checker is None:
            self._checker = wb.checker()
        old = self._persona
        self._load(persona)
        if old is None or old.has_portrait != persona.has_portrait or old.updated_at != persona.updated_at:
            self.portrait.set_image(wb.portrait(persona.id))
        self.story.highlighter.rehighlight()
        self._load_messages()

"""Creating and deleting personas and messages from the menus, the matrix and the editors.

The main window owns these flows (the editors only *request* a new message), so the rules live in
one place: a new persona is named "New persona" and opened at once; a new message goes to the first
channel × stage the persona has nothing for, preferred channels first; deleting asks first, and
undo brings everything back.
"""

from __future__ import annotations

from ui.shell import prompts
from ui.shell.host import WindowHost
from workbench.edit import commands
from workbench.schema.model import STAGES


def new_persona(w: WindowHost) -> None:
    """Persona › New Persona: create "New persona" and open it for editing."""
    if w.controller is None or w.controller.readonly:
        return
    change = w.controller.run(commands.CreatePersona({"name": "New persona"}))
    if change is not None:
        w.show_persona(str(change.extra["id"]))


def new_message(w: WindowHost, persona_id: str | None = None) -> None:
    """Persona › New Message: a draft for the current persona in its first empty channel/stage."""
    if w.controller is None or w.controller.readonly:
        return
    pid = persona_id or w.current_persona
    if pid is None:
        prompts.show_error(w.window(), "New Message", "Choose a persona first: a message is written for one persona.")
        return
    wb = w.controller.workbench
    persona = wb.persona(pid)
    if persona is None:
        return
    taken = {(m.channel_id, m.stage) for m in wb.messages(persona_id=pid) if m.status != "retired"}
    preferred = {c.casefold() for c in persona.preferred_channels}
    channels = sorted(wb.channels(), key=lambda c: (c.name.casefold() not in preferred, c.position))
    for stage in STAGES:
        for c in channels:
            if (c.id, stage) not in taken:
                create_message(w, pid, c.id, stage)
                return
    if channels:
        create_message(w, pid, channels[0].id, STAGES[0])


def create_message(w: WindowHost, persona_id: str, channel_id: str, stage: str) -> None:
    """Create a draft message for a persona × channel × stage and open it (matrix double-click)."""
    if w.controller is None or w.controller.readonly:
        return
    change = w.controller.run(commands.CreateMessage(persona_id, channel_id, stage))
    if change is not None:
        w.show_message(str(change.extra["id"]))


def delete_current(w: WindowHost) -> None:
    """Persona › Delete…: the message or persona being shown, after a confirmation (undo brings it back)."""
    c = w.controller
    if c is None or c.readonly:
        return
    if w.current_page() == "message" and w.current_message:
        view = c.workbench.message(w.current_message)
        title = view.headline if view and view.headline else "this message"
        if prompts.confirm(w.window(), "Delete Message", f"Delete “{title}” and its revision history?\n\n"
                           "Edit › Undo brings it back.", "Delete Message"):
            persona = w.current_persona
            if c.run(commands.DeleteMessage(w.current_message)) is not None and persona:
                w.show_persona(persona)
        return
    if w.current_persona:
        persona_view = c.workbench.persona(w.current_persona)
        if persona_view is None:
            return
        n = len(c.workbench.messages(persona_id=persona_view.id))
        if prompts.confirm(w.window(), "Delete Persona", f"Delete {persona_view.name} with {n} message"
                           f"{'s' if n != 1 else ''}, its objections and its own lingo?\n\n"
                           "Edit › Undo brings it all back.", "Delete Persona"):
            if c.run(commands.DeletePersona(persona_view.id)) is not None:
                w.current_persona = None
                w.show_section("personas" if c.workbench.persona_count() else "narrative")

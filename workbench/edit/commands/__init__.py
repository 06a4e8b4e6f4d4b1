"""Every edit to a workbench is one of these commands, one module per entity.

Import the package (``from workbench.edit import commands as C``) and use ``C.CreatePersona``,
``C.UpdateMessage`` …: every command class is available here.
"""

from workbench.edit.commands.base import Command, FunctionCommand, Restore
from workbench.edit.commands.channels import CreateChannel, DeleteChannel, MoveChannel, UpdateChannel
from workbench.edit.commands.lingo import CreateTerm, DeleteTerm, UpdateTerm
from workbench.edit.commands.messages import (
    REVISION_COALESCE_S,
    TEXT_FIELDS,
    CreateMessage,
    DeleteMessage,
    SetMessageStatus,
    UpdateMessage,
    snapshot,
)
from workbench.edit.commands.objections import (
    CreateObjection,
    DeleteObjection,
    RecordObjectionHeard,
    UpdateObjection,
)
from workbench.edit.commands.personas import (
    CreatePersona,
    DeletePersona,
    SetPortrait,
    UpdatePersona,
    check_persona_value,
)
from workbench.edit.commands.workbench import SetLogo, UpdateWorkbench

__all__ = [
    "REVISION_COALESCE_S", "TEXT_FIELDS", "Command", "CreateChannel", "CreateMessage", "CreateObjection",
    "CreatePersona", "CreateTerm", "DeleteChannel", "DeleteMessage", "DeleteObjection", "DeletePersona",
    "DeleteTerm", "FunctionCommand", "MoveChannel", "RecordObjectionHeard", "Restore", "SetLogo",
    "SetMessageStatus", "SetPortrait", "UpdateChannel", "UpdateMessage", "UpdateObjection", "UpdatePersona",
    "UpdateTerm", "UpdateWorkbench", "check_persona_value", "snapshot",
]

"""Persona Workbench core: the domain, the .workbench file and its workflows — no Qt here."""

from importlib import metadata as _metadata

APP_NAME = "Persona Workbench"
APP_ID = "persona-workbench"
#: Reverse-DNS id used for desktop integration (MIME type, .desktop file, AppStream).
APP_REVERSE_DNS = "org.personaworkbench.PersonaWorkbench"

try:
    __version__ = _metadata.version("persona-workbench")
except _metadata.PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+checkout"

"""Persona Workbench core: the domain, the .workbench file and its workflows — no Qt here."""

APP_NAME = "Persona Workbench"
APP_ID = "persona-workbench"
#: Reverse-DNS id used for desktop integration (MIME type, .desktop file, AppStream).
APP_REVERSE_DNS = "org.personaworkbench.PersonaWorkbench"
#: The one place the version is written: pyproject.toml reads it from here into the package metadata
#: (installers, the bundle's name), and start-up reads it without importlib.metadata (≈ 30 ms).
__version__ = "0.2.0"

"""Typed domain errors: the core raises these, the CLI and the GUI turn them into words."""

from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """Base of every error the core reports to a person; ``str()`` is one clear sentence."""


class FileProblem(WorkbenchError):
    """A file cannot be opened as a workbench. Nothing was written to it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


class NotFound(FileProblem):
    """The path does not exist."""


class NotAFile(FileProblem):
    """The path is a directory, a FIFO, a device or something else that is not a regular file."""


class Unreadable(FileProblem):
    """The operating system refuses to let us read the file."""


class NotSQLite(FileProblem):
    """The file is not an SQLite database at all (empty, text, an image …)."""


class NotAWorkbench(FileProblem):
    """An SQLite database, but not one Persona Workbench wrote (foreign application id)."""


class Damaged(FileProblem):
    """Ours, but damaged or altered: truncated, corrupt pages, a schema we did not write."""


class NewerVersion(FileProblem):
    """Written by a newer Persona Workbench whose schema this version does not know."""

    def __init__(self, path: str, file_version: int, app_version: int) -> None:
        super().__init__(
            path,
            f"{path} was saved by a newer Persona Workbench (file schema version {file_version}; "
            f"this app reads up to version {app_version}). Update the app to open it.",
        )
        self.file_version = file_version
        self.app_version = app_version


class AlreadyExists(FileProblem):
    """Refusing to overwrite an existing file."""


@dataclass(frozen=True)
class Holder:
    """Who holds a workbench open for writing, as recorded in its lock file."""

    user: str
    host: str
    pid: int
    since: str
    app: str = ""

    def describe(self) -> str:
        """A phrase such as 'maria on laptop-7 since 2026-11-23 14:02'."""
        since = self.since.replace("T", " ")[:16]
        return f"{self.user} on {self.host} since {since}"


class Locked(FileProblem):
    """Someone else holds the workbench open for writing."""

    def __init__(self, path: str, holder: Holder) -> None:
        super().__init__(
            path,
            f"{path} is open in Persona Workbench by {holder.describe()}. "
            "Open it read-only, or ask them to close it.",
        )
        self.holder = holder


class ChangedOnDisk(FileProblem):
    """The user's file was replaced by someone else since we opened it; we will not overwrite it."""


class CouldNotSave(FileProblem):
    """Writing the user's file failed (disk full, read-only place …). The working copy keeps every edit."""


@dataclass(frozen=True)
class ConflictingRow:
    """One row a change expected at one version and found at another (``None``: absent)."""

    kind: str
    id: str
    expected: int | None
    found: int | None

    def describe(self) -> str:
        """A phrase such as 'persona 1f0c… (expected version 3, found 4)'."""
        def version(v: int | None) -> str:
            return "no row" if v is None else f"version {v}"
        return f"{self.kind} {self.id[:8]}… (expected {version(self.expected)}, found {version(self.found)})"


class Conflict(WorkbenchError):
    """Rows changed since the person (or the undo step) last read them; nothing was written.

    Every write states the row versions it read; a store raises this when they no longer match, so
    nobody's edit is silently overwritten. ``rows`` names each row with both versions.
    """

    def __init__(self, rows: tuple[ConflictingRow, ...], message: str = "") -> None:
        listed = "; ".join(r.describe() for r in rows[:3])
        more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
        super().__init__(message or f"Someone else changed this since you read it: {listed}{more}. "
                         "Nothing was written.")
        self.rows = rows


class ReadOnlySession(WorkbenchError):
    """An edit was attempted on a workbench opened read-only."""


class ValidationError(WorkbenchError):
    """A command's input is not acceptable (empty name, unknown status …)."""


class NotFoundInWorkbench(WorkbenchError):
    """A command named a row (persona, message …) that does not exist."""


class ApprovalBlocked(WorkbenchError):
    """A message with lingo breaches cannot be approved without an override reason."""

    def __init__(self, message: str, breaches: tuple[object, ...]) -> None:
        super().__init__(message)
        self.breaches = breaches


class InterchangeError(WorkbenchError):
    """A JSON file to import is malformed; ``path`` names the offending field (``personas[3].name``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.field_path = path


class Cancelled(WorkbenchError):
    """Long work was cancelled by the person who started it; nothing was changed."""

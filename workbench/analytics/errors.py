"""Typed errors of the results engine: a bad export file names the file, the row and the column."""

from __future__ import annotations

from workbench.domain.errors import ValidationError, WorkbenchError


class ExportError(WorkbenchError):
    """An export file (ad platform, analytics or CRM CSV) cannot be imported; nothing was kept.

    ``path`` is the file, ``line`` the 1-based line of the file where the problem sits (``None`` when
    the whole file is at fault) and ``column`` the header of the offending column (``None`` likewise).
    ``str()`` is one line naming all three, ready for the CLI and a dialog.
    """

    def __init__(self, path: str, problem: str, line: int | None = None, column: str | None = None) -> None:
        where = path
        if line is not None:
            where += f", row {line}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem


class NotAnExport(ExportError):
    """Not a CSV export we can read: binary, a spreadsheet workbook, or no recognisable header."""


class BadValue(ExportError):
    """A cell that must hold a number, a date or a currency holds something else."""


class AmbiguousDateOrder(ExportError):
    """Slash dates such as 3/4/2026 that fit both month/day and day/month: the person must choose."""


class ExportTooLarge(ExportError):
    """The file is over the size limit; refused before (or while) reading it."""


class BadPeriod(ValidationError):
    """A period that is not ``2026-09``, ``2026-Q3`` or ``2026-09-01..2026-09-30``."""


class BadCode(ValidationError):
    """A tracking code that is not 6–8 lowercase letters and digits (or cannot be made unique)."""


class BadLink(ValidationError):
    """A landing URL that cannot carry tags (not http(s), no host)."""


class BadColumnMap(ValidationError):
    """A generic CSV column map (``COLUMN=FIELD``) that names an unknown field or mixes levels."""

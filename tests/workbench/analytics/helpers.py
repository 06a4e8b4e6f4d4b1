"""Shared helpers of the results-engine tests: the fixture exports and the codes they carry."""

from __future__ import annotations

from pathlib import Path

from workbench.analytics.importers import ImportOptions, open_export
from workbench.analytics.rows import ImportSummary, ResultRow

EXPORTS = Path(__file__).resolve().parents[2] / "data" / "exports"
#: The tracking codes of the fixture workbench (``zz9zz9z`` in the GA4 file is deliberately unknown).
CODES = frozenset({"k7m2qp4", "h3xw9ta", "r8vn2jc", "w5bt6ye"})


def read_all(path: Path | str, options: ImportOptions | None = None) -> tuple[list[ResultRow], ImportSummary]:
    """Every row of an export and its summary."""
    export = open_export(EXPORTS / path if isinstance(path, str) else path, options)
    rows = list(export.rows())
    return rows, export.summary()

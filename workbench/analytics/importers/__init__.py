"""Importers of ad-platform, analytics and CRM exports into normalized result rows (one module per source).

Public API::

    if file_sha256(path) in imported_hashes: ...   # the same file again: nothing to do
    run = read_export(path, codes, sink, ImportOptions(kind=None, date_order="auto", default_currency="USD"))
    for done, total in run:          # bytes; sink(chunk) receives [(ResultRow, code or None), ...]
        ...                          # close the iterator to cancel; errors may come mid-stream
    run.summary                      # ImportSummary: sha256, kind, counts, matched/unmatched, dates

    export = open_export(path, options); export.kind; for row in export.rows(): ...; export.summary()

Errors: ``NotFound``/``NotAFile``/``Unreadable`` (domain), ``ExportTooLarge``, ``NotAnExport``,
``BadValue``, ``AmbiguousDateOrder`` (:mod:`workbench.analytics.errors`), ``ValidationError`` for
options. Store a file's rows in one transaction: a bad cell can surface after rows were yielded.
"""

from __future__ import annotations

from workbench.analytics.importers.csvfile import DEFAULT_MAX_BYTES, file_sha256
from workbench.analytics.importers.generic import FIELDS, parse_column_map
from workbench.analytics.importers.run import (
           SPECS,
           ExportFile,
           ImportOptions,
           ImportRun,
           MatchedRow,
           open_export,
           read_export,
)

__all__ = ["DEFAULT_MAX_BYTES", "FIELDS", "SPECS", "ExportFile", "ImportOptions", "ImportRun", "MatchedRow",
           "file_sha256", "open_export", "parse_column_map", "read_export"]

"""Any other CSV, read through a column map ``COLUMN=FIELD`` (``--map "Week=date" --map "Visits=sessions"``).

The map names which column holds the date, the campaign, the texts that may carry a code and the
metrics; the level (platform, tracked, hard) follows from the metrics mapped, and one file holds
one level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench.analytics.errors import BadColumnMap
from workbench.analytics.importers.spec import Metric, SourceSpec, normalize
from workbench.analytics.rows import GENERIC, METRICS, METRICS_OF, MONEY_METRICS, Level

#: Fields that are not metrics, and how many columns may feed each (``None``: any number).
PLAIN_FIELDS: dict[str, int | None] = {
    "date": 1, "start": 1, "end": 1, "campaign": 1, "origin": 1, "record": 1, "currency": 1,
    "url": None, "content": None, "name": None,
}
FIELDS = tuple(PLAIN_FIELDS) + METRICS


def parse_column_map(items: Iterable[str]) -> dict[str, str]:
    """``["Week=date", "Visits=sessions"]`` → ``{"Week": "date", "Visits": "sessions"}``.

    Split at the last ``=`` (a column name may contain one; a field never does). Raises
    :class:`BadColumnMap` for an item without ``=``, an unknown field or a column named twice.
    """
    found: dict[str, str] = {}
    for item in items:
        column, sep, field = item.rpartition("=")
        column, field = column.strip(), field.strip().lower()
        if not sep or not column:
            raise BadColumnMap(f"'{item}' is not COLUMN=FIELD")
        if field not in FIELDS:
            raise BadColumnMap(f"'{field}' is not a field; use one of: {', '.join(FIELDS)}")
        if column in found:
            raise BadColumnMap(f"the column '{column}' is mapped twice")
        found[column] = field
    return found


def spec_for(column_map: Mapping[str, str]) -> SourceSpec:
    """The spec of a generic CSV read through ``column_map`` (column → field).

    Raises :class:`BadColumnMap` when the map has no date (``date`` or ``start``), no metric, metrics
    of more than one level, or several columns for a one-column field.
    """
    by_field: dict[str, list[str]] = {}
    for column, field in column_map.items():
        if field not in FIELDS:
            raise BadColumnMap(f"'{field}' is not a field; use one of: {', '.join(FIELDS)}")
        by_field.setdefault(field, []).append(normalize(column))
    for field, limit in PLAIN_FIELDS.items():
        if limit is not None and len(by_field.get(field, ())) > limit:
            raise BadColumnMap(f"only one column can be the {field}")
    if "date" in by_field and "start" in by_field:
        raise BadColumnMap("map either a date or a start column, not both")
    levels = sorted({lvl for lvl, names in METRICS_OF.items() for f in by_field if f in names})
    if not levels:
        raise BadColumnMap("map at least one metric column (for example Sessions=sessions)")
    if len(levels) > 1:
        raise BadColumnMap(f"one file holds one level; this map mixes {' and '.join(levels)} metrics")
    start = tuple(by_field.get("date", by_field.get("start", [])))
    if not start:
        raise BadColumnMap("map the column that holds the date (for example Day=date)")
    level: Level = levels[0]
    metrics = tuple(Metric(field, (column,), money=field in MONEY_METRICS)
                    for field, columns in by_field.items() if field in METRICS for column in columns)

    def one(field: str) -> tuple[str, ...]:
        return tuple(by_field.get(field, ()))

    return SourceSpec(
        kind=GENERIC, label="generic CSV", level=level,
        signature=tuple((normalize(column),) for column in column_map),
        start=start, end=one("end"), campaign=one("campaign"), names=one("name"), origin=one("origin"),
        record=one("record"), currency=one("currency"), metrics=metrics, urls=one("url"),
        contents=one("content"),
    )

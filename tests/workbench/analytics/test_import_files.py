"""The shared CSV reader and the import run: encodings, detection, forced kinds, bad files named by
file/row/column, size and file-type limits, streaming with progress, matched and unmatched counts."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import make_png
from tests.workbench.analytics.helpers import CODES, EXPORTS, read_all
from workbench.analytics.errors import AmbiguousDateOrder, BadColumnMap, BadValue, ExportTooLarge, NotAnExport
from workbench.analytics.importers import (
    ImportOptions,
    MatchedRow,
    file_sha256,
    open_export,
    parse_column_map,
    read_export,
)
from workbench.domain.errors import NotAFile, NotFound, ValidationError, WorkbenchError

GOOGLE = EXPORTS / "google_ads_campaign_report.csv"


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _edited(tmp_path: Path, old: str, new: str, source: Path = GOOGLE) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, source.name, text.replace(old, new, 1))


# --- bad files: one typed error naming the file, the row and the column -------------------------------

def test_a_non_number_names_file_row_and_column(tmp_path: Path) -> None:
    path = _edited(tmp_path, ",845,21,", ",845,2x1,")
    with pytest.raises(BadValue) as caught:
        read_all(path)
    err = caught.value
    assert (err.path, err.line, err.column) == ("google_ads_campaign_report.csv", 5, "Clicks")
    assert str(err) == "google_ads_campaign_report.csv, row 5, column 'Clicks': not a number"
    assert isinstance(err, WorkbenchError)


def test_a_bad_date_names_its_column(tmp_path: Path) -> None:
    path = _edited(tmp_path, "2026-09-02,Harvest", "2026-09-31,Harvest")
    with pytest.raises(BadValue, match=r"row 7, column 'Day': '2026-09-31' is not a valid date"):
        read_all(path)


def test_an_empty_date_is_refused(tmp_path: Path) -> None:
    path = _edited(tmp_path, "2026-09-02,Harvest", ",Harvest")
    with pytest.raises(BadValue, match="column 'Day': no date"):
        read_all(path)


def test_a_range_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    path = _edited(tmp_path, "2026-09-01,2026-09-30,Brand", "2026-09-01,2026-08-30,Brand",
                   EXPORTS / "meta_ads_export.csv")
    with pytest.raises(BadValue, match="column 'Reporting ends'"):
        read_all(path)


def test_money_in_two_currencies_on_one_row_is_refused(tmp_path: Path) -> None:
    path = _edited(tmp_path, ",1873.44,", ",€1873.44,", EXPORTS / "meta_ads_export.csv")
    with pytest.raises(BadValue, match=r"column 'Amount spent \(USD\)': '€1873.44' is in EUR, but the column is in USD"):
        read_all(path)
    path = _edited(tmp_path, ",USD,112.40,", ",USD,€112.40,")
    with pytest.raises(BadValue, match="is in EUR, but the row's currency is USD"):
        read_all(path)


def test_a_binary_file_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "portrait.csv"
    path.write_bytes(make_png())
    with pytest.raises(NotAnExport, match="portrait.csv: this is a binary file"):
        open_export(path)


def test_a_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(NotAnExport, match=r"spreadsheet workbook \(.xlsx\)"):
        open_export(path)


@pytest.mark.parametrize("text", ["", "just some notes\nabout nothing\n", "a,b,c\n1,2,3\n"])
def test_no_recognisable_header(tmp_path: Path, text: str) -> None:
    with pytest.raises(NotAnExport, match="no header found"):
        open_export(_write(tmp_path, "x.csv", text))


def test_the_header_must_sit_in_the_first_lines(tmp_path: Path) -> None:
    text = "note\n" * 250 + GOOGLE.read_text(encoding="utf-8")
    with pytest.raises(NotAnExport, match="first 200 lines"):
        open_export(_write(tmp_path, "late.csv", text))


def test_slash_dates_that_fit_both_orders_ask_for_a_date_order() -> None:
    with pytest.raises(AmbiguousDateOrder) as caught:
        open_export(EXPORTS / "linkedin_ambiguous_dates.csv")
    assert caught.value.line == 6 and caught.value.column == "Start Date (in UTC)"
    assert "choose the date order" in str(caught.value)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    size = GOOGLE.stat().st_size
    with pytest.raises(ExportTooLarge, match=f"the file is {size:,} bytes; the limit is 500"):
        open_export(GOOGLE, ImportOptions(max_bytes=500))


def test_a_file_growing_past_the_limit_while_read_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "growing.csv"
    shutil.copy(GOOGLE, path)
    export = open_export(path, ImportOptions(max_bytes=path.stat().st_size + 100))
    with path.open("a", encoding="utf-8") as grow:  # written by another program after the check
        grow.write("2026-09-30,Late,Late,x,1,1,USD,1.00,0\r\n" * 2000)
    with pytest.raises(ExportTooLarge, match="larger than the limit"):
        list(export.rows())


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        open_export(tmp_path / "missing.csv")
    with pytest.raises(NotAFile, match="folder"):
        open_export(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile, match="not a regular file"):
        open_export(fifo)  # never blocks waiting for a writer


def test_invalid_text_after_the_sniffed_start_names_its_row(tmp_path: Path) -> None:
    text = GOOGLE.read_text(encoding="utf-8")
    body = text.splitlines()[3]
    data = (text + "\r\n".join([body] * 800)).encode("utf-8") + b"\r\n2026-09-03,Caf\xe9,x,y,1,1,USD,1,1\r\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    with pytest.raises(NotAnExport, match="not valid utf-8"):
        read_all(path)


# --- encodings and delimiters ----------------------------------------------------------------------

def test_windows_1252_text_is_read(tmp_path: Path) -> None:
    text = GOOGLE.read_text(encoding="utf-8").replace("Brand - Tillwright", "Café – Tillwright")
    rows, summary = read_all(_write(tmp_path, "cp.csv", text, "cp1252"))
    assert summary.encoding == "cp1252" and rows[2].campaign == "Café – Tillwright"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised(tmp_path: Path, encoding: str) -> None:
    rows, summary = read_all(_write(tmp_path, "u.csv", GOOGLE.read_text(encoding="utf-8"), encoding))
    assert summary.encoding == encoding and summary.rows_read == 8


def test_a_tab_separated_utf8_file(tmp_path: Path) -> None:
    text = (EXPORTS / "google_ads_excel_utf16.csv").read_text(encoding="utf-16")
    rows, summary = read_all(_write(tmp_path, "t.csv", text))
    assert summary.delimiter == "\t" and summary.rows_read == 3


def test_total_rows_are_told_from_campaigns_named_total(tmp_path: Path) -> None:
    text = ("Campaign report\r\nSeptember 1, 2026 - September 30, 2026\r\nCampaign,Impr.,Clicks,Cost\r\n"
            "Total Recall,100,3,5.00\r\nTotals,100,3,5.00\r\nTotal: Account,100,3,5.00\r\nGrand total,1,1,1\r\n")
    rows, summary = read_all(_write(tmp_path, "t.csv", text))
    assert [r.campaign for r in rows] == ["Total Recall"] and summary.totals_skipped == 3
    # No Day column: the rows span the report's date range from the line above the header.
    assert (rows[0].start.isoformat(), rows[0].end.isoformat()) == ("2026-09-01", "2026-09-30")


def test_a_meta_summary_row_is_not_counted(tmp_path: Path) -> None:
    source = EXPORTS / "meta_ads_export.csv"
    text = source.read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    summary_row = "2026-08-25,2026-09-30,,,,,72000,174447,1004,39,,4022.39,\n"
    rows, summary = read_all(_write(tmp_path, source.name, header + "\n" + summary_row + rest))
    assert summary.rows_read == 4 and summary.totals_skipped == 1
    assert sum(r.impressions for r in rows) == 174447


def test_a_google_ads_report_without_day_or_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAnExport, match="no date column"):
        open_export(_write(tmp_path, "t.csv", "Campaign,Impr.,Cost\r\nA,1,1\r\n"))


def test_blank_lines_are_skipped_not_counted(tmp_path: Path) -> None:
    text = GOOGLE.read_text(encoding="utf-8").replace("\n2026-09-02,", "\n,,,,,,,,\n\n2026-09-02,", 1)
    rows, summary = read_all(_write(tmp_path, "b.csv", text))
    assert summary.rows_read == 8 and summary.other_skipped == 2


def test_rows_report_the_file_line_they_end_on(tmp_path: Path) -> None:
    text = GOOGLE.read_text(encoding="utf-8").replace("Brand terms", '"Brand\r\nterms"', 1)
    rows, _ = read_all(_write(tmp_path, "m.csv", text))
    assert [r.line for r in rows[:4]] == [4, 5, 7, 8]  # the quoted line break makes row 3 two lines


# --- forced kinds and generic maps ----------------------------------------------------------------

def test_a_forced_kind_overrides_detection(tmp_path: Path) -> None:
    text = ("Date,Campaign,Session campaign,Impr.,Cost,Sessions\r\n"
            "2026-09-01,Harvest,harvest,10,1.00,4\r\n")
    path = _write(tmp_path, "both.csv", text)
    assert read_all(path)[1].kind == "ga4"
    rows, summary = read_all(path, ImportOptions(kind="google-ads"))
    assert summary.kind == "google-ads" and rows[0].impressions == 10 and rows[0].spend == Decimal("1.00")


def test_a_forced_kind_that_does_not_fit_says_what_it_looked_for() -> None:
    with pytest.raises(NotAnExport, match="looked for the HubSpot columns record id, lifecycle stage"):
        open_export(GOOGLE, ImportOptions(kind="hubspot"))


def test_an_unknown_kind_or_date_order_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="not a source"):
        open_export(GOOGLE, ImportOptions(kind="tiktok"))
    with pytest.raises(ValidationError, match="date order"):
        open_export(GOOGLE, ImportOptions(date_order="ymd"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="currency code"):
        open_export(GOOGLE, ImportOptions(default_currency="dollars"))


@pytest.mark.parametrize(("items", "message"), [
    (["Week"], "is not COLUMN=FIELD"),
    (["Week=when"], "is not a field"),
    (["Week=date", "Week=start"], "mapped twice"),
])
def test_bad_column_maps(items: list[str], message: str) -> None:
    with pytest.raises(BadColumnMap, match=message):
        parse_column_map(items)


@pytest.mark.parametrize(("mapping", "message"), [
    ({"Spend": "spend"}, "holds the date"),
    ({"Week": "date"}, "at least one metric"),
    ({"Week": "date", "Spend": "spend", "Visits": "sessions"}, "mixes platform and tracked"),
    ({"Week": "date", "Day": "start", "Spend": "spend"}, "either a date or a start"),
    ({"Week": "date", "A": "campaign", "B": "campaign", "Spend": "spend"}, "only one column"),
])
def test_generic_maps_that_cannot_work(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(BadColumnMap, match=message):
        open_export(EXPORTS / "generic_weekly.csv", ImportOptions(column_map=mapping))


def test_a_column_name_may_contain_an_equals_sign() -> None:
    assert parse_column_map(["Cost (a=b)=spend"]) == {"Cost (a=b)": "spend"}


# --- the run: streaming, progress, sink, summary ---------------------------------------------------

def test_the_run_streams_chunks_keeps_unmatched_rows_and_counts_them() -> None:
    chunks: list[list[MatchedRow]] = []
    run = read_export(EXPORTS / "ga4_traffic_acquisition.csv", CODES, chunks.append, chunk_size=3)
    progress = list(run)
    assert [len(c) for c in chunks] == [3, 3, 1]
    codes = [code for chunk in chunks for _, code in chunk]
    assert codes == ["k7m2qp4", "h3xw9ta", None, "k7m2qp4", "r8vn2jc", None, None]  # unmatched kept
    assert run.summary is not None
    assert (run.summary.matched, run.summary.unmatched, run.summary.rows_read) == (4, 3, 7)
    size = (EXPORTS / "ga4_traffic_acquisition.csv").stat().st_size
    assert progress[-1] == (size, size)
    assert all(a[0] <= b[0] for a, b in zip(progress, progress[1:], strict=False))
    assert run.summary.sha256 == file_sha256(EXPORTS / "ga4_traffic_acquisition.csv")


def test_the_same_file_has_the_same_hash_and_a_changed_one_does_not(tmp_path: Path) -> None:
    copy = tmp_path / "again.csv"
    shutil.copy(GOOGLE, copy)
    assert file_sha256(copy) == file_sha256(GOOGLE) == read_all(copy)[1].sha256
    assert file_sha256(_edited(tmp_path, ",845,21,", ",845,22,")) != file_sha256(GOOGLE)


def test_rows_stream_without_reading_the_whole_file_first(tmp_path: Path) -> None:
    lines = ["Date,Session manual ad content,Sessions,Engaged sessions,Key events"]
    lines += [f"202609{d % 28 + 1:02d},k7m2qp4,{d},1,0" for d in range(200_000)]
    path = _write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    export = open_export(path)
    rows = export.rows()
    next(rows)
    done, size = export.progress
    assert done < size / 2  # a generator: one row needs only the first buffers
    rows.close()
    assert export.summary().rows_read == 1


def test_closing_the_run_early_stops_reading() -> None:
    chunks: list[list[MatchedRow]] = []
    run = read_export(GOOGLE, CODES, chunks.append, chunk_size=2)
    iterator = iter(run)
    next(iterator)
    next(iterator)
    iterator.close()
    assert run.summary is None and len(chunks) == 1

"""The shared CSV reader: a regular file under a size limit, hashed as it is read, its encoding
(UTF-8 with or without BOM, UTF-16, Windows-1252) and delimiter (``,`` ``;`` tab) found, the header
found below any preamble lines, and the data rows streamed.

Nothing here knows a source: the header is recognised by a callback, so detecting Google Ads or a
generic column map goes through the same path.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from workbench.analytics.errors import ExportTooLarge, NotAnExport
from workbench.domain import errors

if TYPE_CHECKING:
    from _csv import Reader

#: Files over this many bytes are refused: a year of daily GA4 rows by source and content is far less.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: How far down the header may sit (below report titles, date ranges, ``#`` comment blocks).
SCAN_LINES = 200
#: The longest line the header search reads: a single 500 MB "line" is not a header.
LINE_LIMIT = 64 * 1024
#: How much of the start of the file decides its encoding.
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")

Found = TypeVar("Found")


class _HashingRaw(io.RawIOBase):
    """A raw reader over a file descriptor that hashes and counts every byte it hands on, and
    stops the read when the file grows past the limit while we read it."""

    def __init__(self, fd: int, limit: int, name: str) -> None:
        super().__init__()
        self._file = os.fdopen(fd, "rb", buffering=0)
        self._limit = limit
        self._name = name
        self._head = b""
        self.sha256 = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes, read now and handed on again by later reads."""
        while len(self._head) < size:
            chunk = self._file.read(size - len(self._head))
            if not chunk:
                break
            self._take(chunk)
            self._head += chunk
        return self._head

    def _take(self, chunk: bytes | memoryview) -> None:
        self.sha256.update(chunk)
        self.count += len(chunk)
        if self.count > self._limit:
            raise ExportTooLarge(self._name, f"the file is larger than the limit of {self._limit:,} bytes")

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        n = self._file.readinto(view) or 0
        if n:
            self._take(view[:n])
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _open_regular(path: Path, limit: int) -> tuple[int, int]:
    """Open ``path`` for reading without blocking on a FIFO; ``(fd, size)`` of a regular file under
    the limit, or a typed error."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise errors.NotFound(name, f"{name} does not exist.") from None
    except PermissionError:
        raise errors.Unreadable(name, f"{name} cannot be read: permission denied.") from None
    except IsADirectoryError:
        raise errors.NotAFile(name, f"{name} is a folder, not an export file.") from None
    except OSError as exc:
        raise errors.Unreadable(name, f"{name} cannot be read: {exc.strerror}.") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a pipe or a device?)"
        raise errors.NotAFile(name, f"{name} is {kind}, not an export file.")
    if st.st_size > limit:
        os.close(fd)
        raise ExportTooLarge(name, f"the file is {st.st_size:,} bytes; the limit is {limit:,}")
    return fd, st.st_size


def sniff_encoding(head: bytes, name: str) -> str:
    """The codec of a file starting with ``head``, or :class:`NotAnExport` for binary content.

    A BOM decides; UTF-16 without a BOM shows as NUL bytes in every other position; other NULs or
    many control bytes mean binary (an .xlsx workbook is a zip and says so). Text that is not valid
    UTF-8 is read as Windows-1252, what Excel on Windows writes as "CSV".
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        odd, even = sample[1::2], sample[0::2]
        if odd.count(0) > len(odd) * 0.9 and even.count(0) < len(even) * 0.1:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.9 and odd.count(0) < len(odd) * 0.1:
            return "utf-16-be"
    if head.startswith(b"PK\x03\x04"):
        raise NotAnExport(name, "this is a spreadsheet workbook (.xlsx) or another zip file; export it as CSV")
    if head.startswith(b"%PDF"):
        raise NotAnExport(name, "this is a PDF; export the report as CSV")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 26))
    if b"\x00" in sample or controls > max(2, len(sample) // 100):
        raise NotAnExport(name, "this is a binary file, not a CSV export")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


@dataclass
class CsvSource:
    """An opened export: the text stream positioned after the header, and what was found.

    ``preamble`` holds the lines above the header (report titles, date ranges, GA4's ``#`` lines);
    ``header_line`` is the 1-based line of the header. ``reader()`` streams the data rows. ``done``/``size`` give progress in bytes; ``sha256()`` is complete once the rows
    are exhausted and :meth:`drain` ran.
    """

    name: str
    size: int
    encoding: str
    delimiter: str
    header_line: int
    header_cells: list[str]
    preamble: list[str]
    _text: TextIO
    _raw: _HashingRaw

    @property
    def done(self) -> int:
        """Bytes read so far."""
        return self._raw.count

    def sha256(self) -> str:
        """The SHA-256 of the bytes read so far (of the whole file once ``rows()`` ended)."""
        return self._raw.sha256.hexdigest()

    def reader(self) -> Reader:
        """A ``csv`` reader over the data rows below the header; the file line a row ends on is
        ``header_line + reader.line_num``. Wrap the iteration in :meth:`errors` and call
        :meth:`drain` after it, so the hash covers every byte."""
        return csv.reader(self._text, delimiter=self.delimiter)

    def drain(self) -> None:
        """Read whatever the CSV reader did not need (nothing, normally), for the hash."""
        while self._raw.read(1 << 20):
            pass

    def failure(self, exc: UnicodeDecodeError | csv.Error, line: int) -> NotAnExport:
        """The error to raise for a decoding or CSV error met at file line ``line``."""
        if isinstance(exc, UnicodeDecodeError):
            return NotAnExport(self.name, f"the text is not valid {self.encoding}", line)
        return NotAnExport(self.name, f"the CSV is malformed ({exc})", line)

    def close(self) -> None:
        """Release the file."""
        self._text.close()


def reopen_rows(path: str | Path, source: CsvSource, max_bytes: int = DEFAULT_MAX_BYTES,
                ) -> tuple[Iterator[list[str]], Callable[[], int], Callable[[], None]]:
    """A second, independent pass over the data rows of an opened export (same encoding, header
    line and delimiter): ``(rows, line_of_last_row, close)``. Used to decide the date order."""
    fd, _ = _open_regular(Path(path), max_bytes)
    raw = _HashingRaw(fd, max_bytes, source.name)
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding=source.encoding, newline="")
    try:
        for _ in range(source.header_line):
            text.readline(LINE_LIMIT)
    except BaseException:
        text.close()
        raise
    reader = csv.reader(text, delimiter=source.delimiter)
    return reader, lambda: source.header_line + reader.line_num, text.close


def open_csv(path: str | Path, recognise: Callable[[list[str]], Found | None],
             max_bytes: int = DEFAULT_MAX_BYTES, what: str = "a recognisable header",
             ) -> tuple[CsvSource, Found]:
    """Open an export and find its header: the first line (within :data:`SCAN_LINES`) that
    ``recognise`` accepts when split by one of :data:`DELIMITERS`; returns the source and what
    ``recognise`` returned. :class:`NotAnExport` (``what`` says what was looked for) when none is.
    """
    p = Path(path)
    name = p.name
    fd, size = _open_regular(p, max_bytes)
    raw = _HashingRaw(fd, max_bytes, name)
    try:
        encoding = sniff_encoding(raw.head(SNIFF_BYTES), name)
        text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding=encoding, newline="")
        preamble: list[str] = []
        for number in range(1, SCAN_LINES + 1):
            try:
                line = text.readline(LINE_LIMIT)
            except UnicodeDecodeError:
                raise NotAnExport(name, f"the text is not valid {encoding}", number) from None
            if not line:
                break
            found = _recognise_line(line, recognise)
            if found is not None:
                delimiter, cells, result = found
                source = CsvSource(name, size, encoding, delimiter, number, cells, preamble, text, raw)
                return source, result
            preamble.append(line.rstrip("\r\n"))
        raise NotAnExport(name, f"no header found: looked for {what} in the first {SCAN_LINES} lines")
    except BaseException:
        raw.close()
        raise


def _recognise_line(line: str, recognise: Callable[[list[str]], Found | None],
                    ) -> tuple[str, list[str], Found] | None:
    """The delimiter, cells and recognised header of ``line``, trying each delimiter; the split with
    the most cells wins when several are recognised."""
    best: tuple[str, list[str], Found] | None = None
    for delimiter in DELIMITERS:
        if delimiter not in line:
            continue
        cells = next(csv.reader([line], delimiter=delimiter), [])
        if len(cells) < 2 or (best is not None and len(cells) <= len(best[1])):
            continue
        result = recognise(cells)
        if result is not None:
            best = (delimiter, cells, result)
    return best


def file_sha256(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The SHA-256 of a file's bytes (a regular file under the limit), to recognise a file imported
    before without parsing it again."""
    p = Path(path)
    fd, _ = _open_regular(p, max_bytes)
    raw = _HashingRaw(fd, max_bytes, p.name)
    try:
        while raw.read(1 << 20):
            pass
    finally:
        raw.close()
    return raw.sha256.hexdigest()

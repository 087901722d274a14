"""Reading an uploaded spreadsheet, Excel (.xlsx) or CSV: the one place every upload's file is
read, with the limits that keep one file from stopping the server.

The kind is decided by the content, never by the file's name: an .xlsx workbook is a zip file
(it starts with "PK"); anything else must be UTF-8 CSV. A workbook's first sheet is turned into
CSV records, one per sheet row (empty rows included, so row numbers stay the spreadsheet's),
and then read by read_csv, so both kinds obey the same header, row and size rules.

A small .xlsx can expand to gigabytes, and parsing is CPU work that would hold the event loop
(every request, /healthz too) for as long as it lasts. So the parsing runs in a worker thread
(`read_spreadsheet` awaits it), and it is bounded before and while it runs: the file's size;
the zip's central directory (every member's declared size, their total, each member's
compression ratio, the number of members), checked before anything is inflated; the XML
elements of each row, counted by a streaming pass before openpyxl holds any row in memory;
then rows, blank rows, columns, characters per cell and in all, counted as the sheet is read.
Declared sizes can be trusted: zipfile never inflates a member past its declared size (the CRC
check fails first).
"""

import asyncio
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from functools import partial
from typing import IO, Any, ParamSpec, TypeVar
from xml.parsers import expat

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from resolvers.core.csv_files import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    CsvTable,
    cell_too_long,
    file_error,
    read_csv,
    too_many_columns,
)
from resolvers.core.errors import ErrorCode

# The file as sent; the largest real upload (20,000 centre rows) is under 1 MB as .xlsx, 3 MB
# as CSV.
MAX_FILE_BYTES = 10_000_000
# A workbook's members as its zip central directory declares them, all added up: that
# 20,000-row file holds 10.5 MB.
MAX_XLSX_UNCOMPRESSED_BYTES = 25_000_000
# Declared size over compressed size, per member: real sheets compress 5 to 15 times, the
# zip bombs seen in practice 260 times and more. Members under a megabyte are not held to it.
MAX_XLSX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1_000_000
# A workbook has a dozen members, a few dozen with many sheets.
MAX_XLSX_MEMBERS = 500
# Excel writes deflated or stored members; other methods only appear in crafted files.
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# XML elements inside one sheet row (cells and their parts): openpyxl holds a row's elements in
# memory before reading it, and a row of 1.8 million empty cells, 5.5 MB as .xlsx, took 1.2 GB.
# 50 columns of rich text need a few hundred.
MAX_ROW_ELEMENTS = 20_000
# Empty sheet rows cost nothing in the file (row 1 then row 1,000,000) but each is read.
MAX_BLANK_ROWS = 10_000
# The text of all the cells read from a sheet: a few cells repeated in every row can hold
# far more than the file's size.
MAX_SHEET_CHARS = MAX_FILE_BYTES

NOT_A_SPREADSHEET = (
    "The file is not an Excel or CSV file. Upload an Excel workbook (.xlsx) or a CSV file "
    'saved as "CSV UTF-8 (comma delimited)".'
)
NOT_A_CSV_FILE = (
    'The file is not a CSV file. Save it as "CSV UTF-8 (comma delimited)" and upload that.'
)

# Parsing runs here, never on the event loop: a big or hostile file slows its own request,
# not every other one. Two threads, so a small file is not queued behind a big one; under the
# GIL they share one core, and more would only take more of it from the loop.
_PARSERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="examdesk-upload")
# Bytes no text file holds (all but tab, line feed, vertical tab, form feed, carriage return).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")

T = TypeVar("T")
P = ParamSpec("P")


async def off_loop(work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`work` run by an upload worker thread, awaited: for reading and checking a file."""
    return await asyncio.get_running_loop().run_in_executor(
        _PARSERS, partial(work, *args, **kwargs)
    )


def is_xlsx(content: bytes) -> bool:
    return content.startswith(b"PK")


def parse_spreadsheet(
    content: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int = MAX_ROWS,
    what: str = "rows",
    excel: bool = True,
) -> CsvTable:
    """The header and rows of an .xlsx or CSV file (CSV only unless `excel`), cells as
    stripped text, read in the calling thread: for code already in a worker."""
    if len(content) > MAX_FILE_BYTES:
        raise file_error(
            ErrorCode.FILE_TOO_LARGE,
            f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB; split it into smaller "
            "files.",
        )
    if is_xlsx(content):
        if not excel:
            raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_CSV_FILE)
        content = _xlsx_as_csv(content, max_rows)
    elif content.startswith(b"%PDF") or _CONTROL_BYTES.search(content):
        raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET if excel else NOT_A_CSV_FILE)
    # Text: read_csv says so if it is not UTF-8.
    return read_csv(content, required=required, optional=optional, max_rows=max_rows, what=what)


def in_worker(work: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """`work` as a coroutine function that runs it in an upload worker thread."""

    async def awaited(*args: P.args, **kwargs: P.kwargs) -> T:
        return await off_loop(work, *args, **kwargs)

    return awaited


# parse_spreadsheet, off the event loop: how a request reads an uploaded file.
read_spreadsheet = in_worker(parse_spreadsheet)


def _check_archive(content: bytes) -> None:
    """Refuse a zip whose central directory promises more than a spreadsheet upload needs,
    before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise file_error(
            ErrorCode.FILE_TOO_LARGE,
            f"The workbook has {len(members):,} parts; at most {MAX_XLSX_MEMBERS:,} are read. "
            "Save the sheet on its own in a new workbook, or as CSV UTF-8.",
        )
    # Encrypted or patched members (flag bits 0, 5, 6): zipfile refuses them with exceptions
    # of its own, and no spreadsheet has them.
    if any(
        member.compress_type not in _ZIP_METHODS or member.flag_bits & 0x61 for member in members
    ):
        raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET)
    total = sum(member.file_size for member in members)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise file_error(
            ErrorCode.FILE_TOO_LARGE,
            f"The workbook expands to {total / 1_000_000:,.0f} MB; at most "
            f"{MAX_XLSX_UNCOMPRESSED_BYTES // 1_000_000} MB is read. Keep only the sheet to "
            "upload, or save it as CSV UTF-8.",
        )
    for member in members:
        if member.file_size >= RATIO_CHECKED_FROM_BYTES and member.file_size > MAX_XLSX_RATIO * max(
            member.compress_size, 1
        ):
            raise file_error(
                ErrorCode.FILE_TOO_LARGE,
                f"The workbook's part {member.filename[:100]!r} expands "
                f"{member.file_size // max(member.compress_size, 1):,} times; a spreadsheet "
                f"expands at most {MAX_XLSX_RATIO} times. Save it again from Excel, or as CSV "
                "UTF-8.",
            )


class _RowTooWide(Exception):
    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _check_rows(content: bytes) -> None:
    """Count the elements in every row of every part with expat, streaming and keeping
    nothing, before openpyxl builds any row in memory. Every part, not only the sheets the
    workbook names: a crafted file may keep its sheet anywhere."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in archive.infolist():
            with archive.open(member) as stream:
                try:
                    _count_row_elements(stream)
                except _RowTooWide as wide:
                    raise file_error(
                        ErrorCode.FILE_TOO_LARGE,
                        f"Row {wide.row:,} of the workbook holds more than "
                        f"{MAX_ROW_ELEMENTS:,} cells and cell parts; a sheet may have at most "
                        f"{MAX_COLUMNS} columns.",
                    ) from None
                except expat.ExpatError:
                    # Not XML (an image), or broken where openpyxl will stop too; the rows
                    # before the fault were counted.
                    continue


def _count_row_elements(stream: IO[bytes]) -> None:
    parser = expat.ParserCreate()
    depth = rows = inside = 0
    row_depth = -1  # the depth of the row being read; -1 outside rows

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth, rows, inside, row_depth
        depth += 1
        if row_depth >= 0:
            inside += 1
            if inside > MAX_ROW_ELEMENTS:
                raise _RowTooWide(rows)
        elif name == "row" or name.endswith(":row"):
            rows, inside, row_depth = rows + 1, 0, depth

    def end(_name: str) -> None:
        nonlocal depth, row_depth
        if depth == row_depth:
            row_depth = -1
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ParseFile(stream)


def _xlsx_as_csv(content: bytes, max_rows: int) -> bytes:
    _check_archive(content)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        _check_rows(content)
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores: not the uploader's problem.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                # The sheet's own <dimension> may claim A1:XFD1048576, which openpyxl would
                # fill with empty cells: read only the cells that are there.
                sheet.reset_dimensions()
                writer.writerows(_records(sheet, max_rows))
            finally:
                workbook.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        IndexError,
        ValueError,
        OSError,
        EOFError,
    ):
        # A zip that is not a workbook (a .docx, a damaged download) or a workbook with no sheet.
        raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET) from None
    return out.getvalue().encode("utf-8")


def _records(sheet: Any, max_rows: int) -> Iterator[list[str]]:
    """The sheet's rows as text; stops one row past the limit, which read_csv then refuses.
    Refuses, as soon as they are seen, the cells and rows no upload could need."""
    filled = blank = chars = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        _check_width(number, values)
        record = [_text(value) for value in values[:MAX_COLUMNS]]
        if not any(record):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise file_error(
                    ErrorCode.TOO_MANY_ROWS,
                    f"The sheet has more than {MAX_BLANK_ROWS:,} empty rows; delete them.",
                )
            yield record
            continue
        for column, cell in enumerate(record, start=1):
            if len(cell) > MAX_CELL_CHARS:
                raise cell_too_long(number, get_column_letter(column), len(cell))
        chars += sum(map(len, record))
        if chars > MAX_SHEET_CHARS:
            raise file_error(
                ErrorCode.FILE_TOO_LARGE,
                f"The sheet holds more than {MAX_SHEET_CHARS // 1_000_000} MB of text by row "
                f"{number:,}; split it into smaller files.",
            )
        yield record
        filled += 1
        if filled > max_rows + 1:  # the header, then one row too many
            return


def _check_width(number: int, values: tuple[Any, ...]) -> None:
    extra = values[MAX_COLUMNS:]
    # count(), not a loop: a row may reach column ZZZ (18,278 cells) at little cost.
    if extra and extra.count(None) + extra.count("") != len(extra):
        raise too_many_columns(number)


def _text(value: Any) -> str:
    """A cell as the text a person sees: 12345 not 12345.0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def xlsx_bytes(
    rows: Sequence[Sequence[str]],
    *,
    title: str = "Sheet1",
    more: Sequence[tuple[str, Sequence[Sequence[str]]]] = (),
) -> bytes:
    """Rows as an .xlsx workbook: their sheet first (the one an upload reads), then the `more`
    sheets (title, rows), notes for the person filling it in, say."""
    workbook = Workbook(write_only=True)
    for name, sheet_rows in ((title, rows), *more):
        sheet = workbook.create_sheet(name)
        for row in sheet_rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

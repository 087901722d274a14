"""Reading an uploaded spreadsheet, Excel (.xlsx) or CSV, into the rows of resolvers/csv_files.py.

The kind is decided by the content, never by the file's name: an .xlsx workbook is a zip file
(it starts with "PK"); anything else must be UTF-8 CSV. A workbook's first sheet is turned into
CSV records, one per sheet row (empty rows included, so row numbers stay the spreadsheet's),
and then read by read_csv, so both kinds obey the same header, row and size rules.
"""

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from resolvers.csv_files import MAX_ROWS, CsvTable, file_error, read_csv
from resolvers.errors import ErrorCode

NOT_A_SPREADSHEET = (
    "The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file saved as "
    "\"CSV UTF-8 (comma delimited)\"."
)


def is_xlsx(content: bytes) -> bool:
    return content.startswith(b"PK")


def read_spreadsheet(
    content: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int = MAX_ROWS,
    what: str = "rows",
) -> CsvTable:
    """The header and rows of an .xlsx or CSV file, cells as stripped text."""
    if is_xlsx(content):
        content = _xlsx_as_csv(content, max_rows)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET) from None
        if "\x00" in text:
            raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET)
    return read_csv(content, required=required, optional=optional, max_rows=max_rows, what=what)


def _xlsx_as_csv(content: bytes, max_rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores: not the uploader's problem.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                writer.writerows(_records(workbook.worksheets[0], max_rows))
            finally:
                workbook.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, ValueError,
            OSError):
        # A zip that is not a workbook (a .docx, a damaged download) or a workbook with no sheet.
        raise file_error(ErrorCode.FILE_UNREADABLE, NOT_A_SPREADSHEET) from None
    return out.getvalue().encode("utf-8")


def _records(sheet: Any, max_rows: int) -> Iterator[list[str]]:
    """The sheet's rows as text; stops one row past the limit, which read_csv then refuses."""
    filled = 0
    for values in sheet.iter_rows(values_only=True):
        record = [_text(value) for value in values]
        yield record
        if any(record):
            filled += 1
            if filled > max_rows + 1:  # the header, then one row too many
                return


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


def xlsx_bytes(rows: Sequence[Sequence[str]], *, title: str = "Sheet1") -> bytes:
    """Rows as a one-sheet .xlsx workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


__all__ = ["NOT_A_SPREADSHEET", "is_xlsx", "read_spreadsheet", "xlsx_bytes"]

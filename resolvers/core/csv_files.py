"""Reading an uploaded CSV file for the bulk uploads: one place for the file-level rules.

A file is UTF-8 text (a byte-order mark, as Excel's "CSV UTF-8" writes, is allowed), comma
separated, with a header row. Column names are compared without case, and spaces or hyphens in
them count as underscores ("First Name" is first_name); their order is free. Blank lines are
skipped. Rows are numbered as a spreadsheet numbers them (the header is row 1).

File-level problems (not text, no header, unknown or missing columns, nothing in it, too many
rows) raise DomainError on ("input", "file"); a row with too many or too few cells is reported on
that row, so the rest of the file is still checked.
"""

import csv
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from resolvers.core.errors import DomainError, ErrorCode, UserError

MAX_ROWS = 5_000
# The widest upload has 9 columns; the longest value any of them takes is 500 characters.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1_000
FILE_FIELD = ("input", "file")
# Values per IN (...) list when checking a file's rows against the database: well under
# SQLite's and PostgreSQL's limits on parameters.
IN_BATCH = 1_000


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row; `column` names the cell, if one is to blame."""

    code: ErrorCode
    message: str
    column: str | None = None


@dataclass
class CsvRow:
    number: int
    cells: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class CsvTable:
    columns: tuple[str, ...]
    rows: list[CsvRow]


def column_name(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def problems_of(error: DomainError, column: str | None) -> list[RowProblem]:
    """A check's DomainError as row problems on `column`."""
    return [RowProblem(e.code, e.message, column) for e in error.errors]


def row_problems(errors: list[UserError]) -> list[RowProblem]:
    """A check's errors as row problems, each on the column its field names."""
    return [RowProblem(e.code, e.message, e.field[0] if e.field else None) for e in errors]


async def in_batches(
    values: Sequence[Any], query: Callable[[Sequence[Any]], Awaitable[Any]]
) -> list[Any]:
    """What `query` finds for all the values, asking for at most IN_BATCH at a time."""
    found: list[Any] = []
    for start in range(0, len(values), IN_BATCH):
        found.extend(await query(values[start : start + IN_BATCH]))
    return found


def file_error(code: ErrorCode, message: str) -> DomainError:
    return DomainError([UserError(code, message, FILE_FIELD)])


def too_many_columns(row: int) -> DomainError:
    return file_error(
        ErrorCode.FILE_TOO_LARGE,
        f"Row {row} has cells beyond column {get_column_letter(MAX_COLUMNS)}; a file may have "
        f"at most {MAX_COLUMNS} columns.",
    )


def cell_too_long(row: int, column: str, length: int) -> DomainError:
    """The error for a cell over MAX_CELL_CHARS, in a sheet or a CSV file alike."""
    return file_error(
        ErrorCode.FILE_TOO_LARGE,
        f"Row {row}, column {column} holds {length:,} characters; a cell may hold at most "
        f"{MAX_CELL_CHARS:,}.",
    )


async def upload_bytes(upload: Any) -> bytes:
    """The content of an Upload variable (a Starlette UploadFile), or a clear refusal."""
    if isinstance(upload, bytes):
        return upload
    read = getattr(upload, "read", None)
    if read is None:
        raise file_error(
            ErrorCode.FILE_UNREADABLE,
            "Send the file as a multipart upload (the GraphQL multipart request spec), not as "
            "text in the variables.",
        )
    content = await read()
    return content if isinstance(content, bytes) else str(content).encode()


def upload_name(upload: Any) -> str | None:
    name = getattr(upload, "filename", None)
    return str(name)[:200] if name else None


def read_csv(
    content: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int = MAX_ROWS,
    what: str = "rows",
) -> CsvTable:
    """The file's header and rows, its cells stripped of surrounding spaces."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(
            ErrorCode.FILE_UNREADABLE,
            'The file is not UTF-8 text. Save it as "CSV UTF-8 (comma delimited)".',
        ) from None
    if "\x00" in text:
        raise file_error(
            ErrorCode.FILE_UNREADABLE,
            "The file is not a CSV file (it holds binary data). Save it as CSV UTF-8.",
        )
    records = csv.reader(io.StringIO(text, newline=""), strict=False)
    header: list[str] | None = None
    rows: list[CsvRow] = []
    try:
        for index, record in enumerate(records, start=1):
            _check_size(index, record)
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if header is None:
                header = _check_header(cells, required, optional)
                continue
            if len(rows) >= max_rows:
                raise file_error(
                    ErrorCode.TOO_MANY_ROWS,
                    f"The file has more than {max_rows:,} {what}; split it into files of at "
                    f"most {max_rows:,}.",
                )
            rows.append(_row(index, cells, header))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # The csv module's own cap (131,072 characters), met before ours could look.
            raise file_error(
                ErrorCode.FILE_TOO_LARGE,
                f"A cell ending by line {records.line_num:,} holds more than "
                f"{csv.field_size_limit():,} characters; a cell may hold at most "
                f"{MAX_CELL_CHARS:,}.",
            ) from None
        raise file_error(
            ErrorCode.FILE_UNREADABLE, f"The file is not valid CSV: {error}."
        ) from None
    if header is None:
        raise file_error(ErrorCode.FILE_EMPTY, "The file is empty.")
    if not rows:
        raise file_error(ErrorCode.FILE_EMPTY, f"The file has a header row but no {what} under it.")
    return CsvTable(columns=tuple(header), rows=rows)


def _check_size(number: int, record: list[str]) -> None:
    """Refuse a row wider, or a cell longer, than any upload needs, before the header and row
    rules turn it into a confusing error or a huge report."""
    extra = record[MAX_COLUMNS:]
    # Trailing empty cells (stray commas) are harmless; count() runs at C speed on a long row.
    if extra and len(extra) != extra.count("") and any(cell.strip() for cell in extra):
        raise too_many_columns(number)
    for column, cell in enumerate(record, start=1):
        if len(cell) > MAX_CELL_CHARS:
            raise cell_too_long(number, get_column_letter(column), len(cell))


def _check_header(cells: list[str], required: Sequence[str], optional: Sequence[str]) -> list[str]:
    names = [column_name(cell) for cell in cells]
    allowed = [*required, *optional]
    problems: list[str] = []
    unnamed = [str(i) for i, name in enumerate(names, start=1) if not name]
    if unnamed:
        problems.append(f"column {', '.join(unnamed)} of the header row has no name")
    unknown = [cells[i] for i, name in enumerate(names) if name and name not in allowed]
    if unknown:
        problems.append("unknown column " + ", ".join(repr(c) for c in unknown))
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append("column " + ", ".join(repeated) + " appears more than once")
    missing = [name for name in required if name not in names]
    if missing:
        problems.append("missing column " + ", ".join(missing))
    if problems:
        raise file_error(
            ErrorCode.CSV_COLUMNS_INVALID,
            "The header row is wrong: " + "; ".join(problems) + ". The first row must name "
            "the columns: "
            + ", ".join(required)
            + (" and optionally " + ", ".join(optional) if optional else "")
            + ".",
        )
    return names


def _row(number: int, cells: list[str], header: list[str]) -> CsvRow:
    # Trailing empty cells (a spreadsheet's stray commas) do no harm.
    while len(cells) > len(header) and not cells[-1]:
        cells.pop()
    row = CsvRow(number=number, cells=dict(zip(header, cells, strict=False)))
    if len(cells) != len(header):
        row.problems.append(
            RowProblem(
                ErrorCode.CSV_ROW_MALFORMED,
                f"Row {number} has {len(cells)} cells but the header row has {len(header)} columns "
                "(a comma in a value needs the value in double quotes).",
            )
        )
    return row

"""The one way the server writes CSV files people open in a spreadsheet (exports, entry codes,
PINs, templates), safe against formula injection.

A cell that starts with = + - @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (`=HYPERLINK(...)` in a candidate's name becomes a link that
leaks data when clicked). Following OWASP's CSV injection guidance, such a value is written
with a leading single quote, which spreadsheets show as text and hide. The exception is a
value that is a plain number ("-5", "+3", "-2.5", say a negative mark or an adjustment):
spreadsheets read it as that number and run nothing, and quoting it would turn legitimate
numbers into text that no longer sums. Anything else after the sign ("-5+A1", "-cmd|...")
is escaped. The csv module quotes separators, quotes and line breaks inside values.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: object) -> str:
    """The value as a CSV cell a spreadsheet will not run; None is empty."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    """Rows in, UTF-8 CSV out (with a byte order mark, which Excel needs to read names in any
    script right), every cell through safe_cell."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)

    def getvalue(self) -> bytes:
        return self._buffer.getvalue().encode("utf-8-sig")


def csv_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """Rows as a whole CSV file, the safe way."""
    writer = CsvWriter()
    writer.writerows(rows)
    return writer.getvalue()

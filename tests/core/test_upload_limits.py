"""One upload cannot stop the server (issue 9, part 3): zip bombs and oversized sheets are refused
before or while they are read, files that are not spreadsheets say so, and the parsing runs off
the event loop, so /healthz answers while a file is being read."""

import asyncio
import io
import random
import struct
import threading
import zipfile
from collections.abc import Iterable
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from models.audit import AuditEvent
from models.jobs import Job
from models.organisations import Organisation
from models.users import Membership, User
from resolvers.core import spreadsheets
from resolvers.core.csv_files import MAX_CELL_CHARS, MAX_COLUMNS
from resolvers.core.spreadsheets import (
    MAX_BLANK_ROWS,
    MAX_ROW_ELEMENTS,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    RATIO_CHECKED_FROM_BYTES,
    xlsx_bytes,
)
from tests.helpers.graphql import GraphQLClient

USERS = """
mutation($input: UploadUsersInput!) { uploadUsers(input: $input) {
  rowsRead dryRun job { id } errors { code message field }
} }"""
CENTRES = """
mutation($input: UploadCentresInput!) { uploadCentres(input: $input) {
  dryRun job { id } errors { code message field }
} }"""
CANDIDATES = """
mutation($input: EnterCandidatesFromCsvInput!) { enterCandidatesFromCsv(input: $input) {
  rowsRead job { id } errors { code message field }
} }"""
RESULTS = """
mutation($input: LoadResultsFromCsvInput!) { loadResultsFromCsv(input: $input) {
  rowsRead errors { code message field }
} }"""
USER_HEADER = ["first_name", "last_name", "email", "password", "role"]
USER_ROW = ["Ada", "Lovelace", "ada.l@aa101.example", "Lantern-Harbour-2026", "SLT"]
CENTRE_HEADER = ["centre_number", "centre_name", "address", "city", "country"]
CENTRE_ROW = ["ZZ901", "Riverside Academy", "1 High Street", "Cambridge", "United Kingdom"]
SHEET = "xl/worksheets/sheet1.xml"


class Uploader:
    """The upload mutations, each as its owner sends it: (query, field, input, token)."""

    def __init__(self, http: httpx.AsyncClient, manager: str, board: str, officer: str) -> None:
        self.gql = GraphQLClient(http)
        self.tokens = {
            "uploadUsers": manager,
            "uploadCentres": board,
            "enterCandidatesFromCsv": officer,
            "loadResultsFromCsv": board,
        }

    async def send(
        self, field: str, content: bytes, filename: str = "file.xlsx", dry_run: bool = True
    ) -> dict[str, Any]:
        query, values = {
            "uploadUsers": (USERS, {"organisationCode": "AA101"}),
            "uploadCentres": (CENTRES, {}),
            "enterCandidatesFromCsv": (
                CANDIDATES,
                {"centreCode": "AA101", "seriesCode": "2026-NOV"},
            ),
            "loadResultsFromCsv": (RESULTS, {"seriesCode": "2026-NOV"}),
        }[field]
        data = await self.gql.upload_ok(
            query,
            {"input": {**values, "dryRun": dry_run}},
            {"input.file": (filename, content, "application/octet-stream")},
            self.tokens[field],
        )
        return data[field]

    async def refused(
        self, field: str, content: bytes, filename: str = "file.xlsx"
    ) -> dict[str, Any]:
        """The one file-level error of a refused upload (not a dry run), which wrote nothing."""
        before = await snapshot()
        payload = await self.send(field, content, filename, dry_run=False)
        assert payload.get("job") is None, payload
        assert len(payload["errors"]) == 1, payload
        assert payload["errors"][0]["field"] == ["input", "file"], payload
        assert await snapshot() == before, "a refused file changed the database"
        return payload["errors"][0]


async def snapshot() -> tuple[int, ...]:
    return (
        await User.all().count(),
        await Membership.all().count(),
        await Organisation.all().count(),
        await Job.all().count(),
        await AuditEvent.all().count(),
    )


@pytest.fixture
async def uploader(demo: object, gql: GraphQLClient, http: httpx.AsyncClient) -> Uploader:
    return Uploader(
        http,
        await gql.sign_in("users@aa101.example"),
        await gql.sign_in("admin@exb.example"),
        await gql.sign_in("eo@aa101.example"),
    )


def with_sheet(rows: list[list[str]], sheet_xml: Iterable[bytes]) -> bytes:
    """A real workbook of `rows` whose first sheet is replaced by `sheet_xml`, deflated as Excel
    does, written piece by piece: what a zip bomb looks like to the server."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in original.infolist():
            if member.filename != SHEET:
                archive.writestr(member, original.read(member))
        with archive.open(SHEET, "w") as sheet:
            for piece in sheet_xml:
                sheet.write(piece)
    return out.getvalue()


def blank_rows_sheet(header: list[str], size: int) -> Iterable[bytes]:
    """A sheet of `header`, then empty styled rows until it is `size` bytes: nothing for a
    row limit to count, all of it for the parser to read."""
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + f"<row>{cells}</row>".encode()
    )
    blank = b"<row><c/><c/><c/><c/><c/></row>" * 32_768
    for _ in range(size // len(blank) + 1):
        yield blank
    yield b"</sheetData></worksheet>"


def one_wide_row(header: list[str], cells: int) -> Iterable[bytes]:
    """A header row, then one row of `cells` empty cells with random styles: a few bytes each,
    no zip bomb, yet millions of them would take gigabytes to hold as one row."""
    styles = random.Random(3)
    names = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + f"<row>{names}</row><row>".encode()
    )
    yield "".join(f'<c s="{styles.randrange(100_000)}"/>' for _ in range(cells)).encode()
    yield b"</row></sheetData></worksheet>"


def patched(content: bytes, member: str, offset: int, value: bytes) -> bytes:
    """The zip with `value` written at `offset` of `member`'s central directory entry."""
    at = content.rindex(b"PK\x01\x02", 0, content.rindex(b"PK\x05\x06"))
    while content[at + 46 : at + 46 + len(member)] != member.encode():
        at = content.rindex(b"PK\x01\x02", 0, at)
    return content[: at + offset] + value + content[at + offset + len(value) :]


def declaring(content: bytes, member: str, size: int) -> bytes:
    """A small file that claims to hold a huge sheet: `member`'s uncompressed size changed."""
    return patched(content, member, 24, struct.pack("<I", size))


@pytest.mark.parametrize("field", ["uploadUsers", "uploadCentres"])
async def test_a_zip_bomb_is_refused_before_it_is_read(uploader: Uploader, field: str) -> None:
    header = USER_HEADER if field == "uploadUsers" else CENTRE_HEADER
    bomb = with_sheet([header], blank_rows_sheet(header, MAX_XLSX_UNCOMPRESSED_BYTES + 1))
    assert len(bomb) < MAX_XLSX_UNCOMPRESSED_BYTES // 100
    error = await uploader.refused(field, bomb)
    assert error["code"] == "FILE_TOO_LARGE"
    assert "expands to" in error["message"]


async def test_a_sheet_that_expands_too_many_times_is_refused(uploader: Uploader) -> None:
    # Under the total, but a megabyte and more from a few kilobytes: no sheet compresses so.
    bomb = with_sheet([USER_HEADER], blank_rows_sheet(USER_HEADER, 2 * RATIO_CHECKED_FROM_BYTES))
    error = await uploader.refused("uploadUsers", bomb)
    assert error["code"] == "FILE_TOO_LARGE"
    assert f"'{SHEET}' expands" in error["message"]


async def test_a_zip_declaring_a_huge_sheet_is_refused(uploader: Uploader) -> None:
    content = declaring(xlsx_bytes([USER_HEADER, USER_ROW]), SHEET, 3_000_000_000)
    error = await uploader.refused("uploadUsers", content)
    assert error["code"] == "FILE_TOO_LARGE"
    assert "expands to 3,000 MB" in error["message"]


async def test_a_row_of_too_many_cells_is_refused_before_it_is_read(uploader: Uploader) -> None:
    content = with_sheet([USER_HEADER], one_wide_row(USER_HEADER, MAX_ROW_ELEMENTS + 1))
    error = await uploader.refused("uploadUsers", content)
    assert error["code"] == "FILE_TOO_LARGE"
    assert error["message"].startswith(
        f"Row 2 of the workbook holds more than {MAX_ROW_ELEMENTS:,} cells"
    )


@pytest.mark.parametrize("field", ["uploadUsers", "uploadCentres"])
@pytest.mark.parametrize(
    "content",
    [
        random.Random(9).randbytes(20_000),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n",
    ],
    ids=["random-bytes", "pdf", "text-only-pdf"],
)
async def test_a_file_that_is_not_a_spreadsheet_says_so(
    uploader: Uploader, field: str, content: bytes
) -> None:
    error = await uploader.refused(field, content, filename="users.xlsx")
    assert error["code"] == "FILE_UNREADABLE"
    assert "not an Excel or CSV file" in error["message"]


async def test_a_csv_upload_refuses_a_workbook_or_binary_as_not_a_csv_file(
    uploader: Uploader,
) -> None:
    for content in (xlsx_bytes([USER_HEADER]), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"):
        error = await uploader.refused("enterCandidatesFromCsv", content, filename="c.csv")
        assert error["code"] == "FILE_UNREADABLE"
        assert "not a CSV file" in error["message"]


async def test_a_workbook_with_an_encrypted_part_is_unreadable(uploader: Uploader) -> None:
    # Flag bit 0 of the sheet: "encrypted", which zipfile answers with an exception.
    content = patched(xlsx_bytes([USER_HEADER, USER_ROW]), SHEET, 8, struct.pack("<H", 1))
    error = await uploader.refused("uploadUsers", content)
    assert error["code"] == "FILE_UNREADABLE"
    assert "not an Excel or CSV file" in error["message"]


def workbook(cells: dict[tuple[int, int], str]) -> bytes:
    """An .xlsx with these (row, column) cells, as Excel would save it."""
    book = Workbook()
    sheet = book.active
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def user_cells(*rows: list[str]) -> dict[tuple[int, int], str]:
    return {
        (r, c): value
        for r, row in enumerate([USER_HEADER, *rows], start=1)
        for c, value in enumerate(row, start=1)
    }


async def test_a_cell_over_the_cap_is_refused_with_its_place(uploader: Uploader) -> None:
    long_name = "A" * (MAX_CELL_CHARS + 1)
    content = workbook(user_cells(USER_ROW, [long_name, *USER_ROW[1:]]))
    error = await uploader.refused("uploadUsers", content)
    assert error["code"] == "FILE_TOO_LARGE"
    assert error["message"] == (
        f"Row 3, column A holds {MAX_CELL_CHARS + 1:,} characters; a "
        f"cell may hold at most {MAX_CELL_CHARS:,}."
    )
    text = ",".join(CENTRE_HEADER) + "\n" + ",".join([*CENTRE_ROW[:2], long_name, "", ""])
    error = await uploader.refused("uploadCentres", text.encode(), filename="c.csv")
    assert error["message"].startswith("Row 2, column C holds")
    results = f"entry_code,grade\nK7QX-4MPA,{long_name}\n".encode()
    error = await uploader.refused("loadResultsFromCsv", results, filename="r.csv")
    assert (error["code"], error["message"][:20]) == ("FILE_TOO_LARGE", "Row 2, column B hold")


async def test_a_row_wider_than_the_cap_is_refused(uploader: Uploader) -> None:
    cells = user_cells(USER_ROW)
    cells[2, MAX_COLUMNS + 1] = "stray"
    error = await uploader.refused("uploadUsers", workbook(cells))
    assert error["code"] == "FILE_TOO_LARGE"
    assert error["message"] == (
        f"Row 2 has cells beyond column AX; a file may have at most {MAX_COLUMNS} columns."
    )
    # Stray empty cells at the end of a row are no reason to refuse a file.
    text = ",".join(USER_HEADER) + "\n" + ",".join(USER_ROW) + "," * 200 + "\n"
    assert (await uploader.send("uploadUsers", text.encode(), "u.csv"))["errors"] == []
    wide = ",".join(USER_HEADER) + ",x" * (MAX_COLUMNS + 1) + "\n"
    error = await uploader.refused("enterCandidatesFromCsv", wide.encode(), filename="c.csv")
    assert error["code"] == "FILE_TOO_LARGE"
    assert "at most 50 columns" in error["message"]


async def test_rows_far_down_an_empty_sheet_are_refused(uploader: Uploader) -> None:
    cells = user_cells(USER_ROW)
    cells.update({(MAX_BLANK_ROWS + 10, c): v for c, v in enumerate(USER_ROW, start=1)})
    error = await uploader.refused("uploadUsers", workbook(cells))
    assert error["code"] == "TOO_MANY_ROWS"
    assert f"more than {MAX_BLANK_ROWS:,} empty rows" in error["message"]


async def test_healthz_answers_while_a_file_is_being_read(
    uploader: Uploader, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse waits until /healthz has answered. Run on the event loop, it would hold the
    loop, healthz could not answer, and the parse would give up waiting: so the order the
    requests finish in shows where the parsing runs. (The wait's limit is only a safeguard.)"""
    loop = asyncio.get_running_loop()
    parsing = asyncio.Event()
    answered = threading.Event()
    healthz_first: list[bool] = []
    real_load = spreadsheets.load_workbook

    def slow_load(*args: Any, **kwargs: Any) -> Any:
        loop.call_soon_threadsafe(parsing.set)
        healthz_first.append(answered.wait(timeout=10))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "load_workbook", slow_load)
    finished: list[str] = []

    async def upload() -> None:
        payload = await uploader.send("uploadUsers", workbook(user_cells(USER_ROW)))
        assert payload["errors"] == [], payload
        assert payload["rowsRead"] == 1
        finished.append("upload")

    async def health() -> None:
        await parsing.wait()
        response = await http.get("/healthz")
        assert response.json() == {"status": "ok"}
        finished.append("healthz")
        answered.set()

    await asyncio.gather(upload(), health())
    assert healthz_first == [True]
    assert finished == ["healthz", "upload"]

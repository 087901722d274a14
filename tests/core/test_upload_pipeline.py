"""The one bulk-upload pipeline (resolvers/core/uploads.py) on its own: row reports, the upload
report's counts, repeats in a file, batched look-ups, sealed passwords, the one transaction, a
checked file that queues nothing, and the starter files every upload hands out."""

import io
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from openpyxl import load_workbook
from starlette.applications import Starlette

from models.organisations import Organisation, OrganisationKind
from resolvers.core import csv_files, uploads
from resolvers.core.credential_secrets import sealer
from resolvers.core.csv_files import CsvRow, RowProblem
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.spreadsheets import parse_spreadsheet
from resolvers.identity.passwords import hash_passwords, verify_password


@dataclass(kw_only=True)
class _Report(uploads.RowReport):
    name: str = ""


def _rows() -> list[CsvRow]:
    too_wide = RowProblem(ErrorCode.INVALID_INPUT, "Too many cells.", None)
    return [
        CsvRow(2, {"name": "Ada"}),
        CsvRow(3, {"name": "Alan"}, [too_wide]),
        CsvRow(4, {}),
    ]


def test_a_row_report_starts_with_what_reading_found_and_the_cells_named() -> None:
    reports = uploads.row_reports(_rows(), uploads.RowReport)
    assert [r.number for r in reports] == [2, 3, 4]
    assert [len(r.problems) for r in reports] == [0, 1, 0]

    named = uploads.row_reports(_rows(), _Report, name="name")
    assert [r.name for r in named] == ["Ada", "Alan", ""]


def test_the_report_counts_the_rows_read_and_the_rows_with_errors() -> None:
    rows = _rows()
    upload = uploads.Upload(rows=uploads.row_reports(rows, uploads.RowReport), dry_run=True)
    assert (upload.rows_read, upload.rows_with_errors, upload.job) == (3, 1, None)
    # The report's rows are its own: a problem added to one is not added to the file's row.
    upload.rows[0].problems.append(RowProblem(ErrorCode.INVALID_INPUT, "Bad.", "name"))
    assert upload.rows_with_errors == 2
    assert rows[0].problems == []


def test_a_cell_is_checked_as_the_single_item_mutation_checks_it() -> None:
    report = uploads.RowReport(number=7)

    def grade(value: str, *field: str) -> str:
        if value not in {"A", "B"}:
            raise DomainError.one(ErrorCode.GRADE_INVALID, f"No grade {value}.", *field)
        return value

    assert report.check("grade", grade, "A", "grade") == "A"
    assert report.problems == []
    assert report.check("grade", grade, "Z", "grade") is None
    assert report.problems == [RowProblem(ErrorCode.GRADE_INVALID, "No grade Z.", "grade")]


def test_a_repeat_names_the_row_that_had_it_first() -> None:
    first_row_of: dict[str, int] = {}
    assert uploads.repeated(first_row_of, "ada@example.org", 2) is None
    assert uploads.repeated(first_row_of, "alan@example.org", 3) is None
    assert uploads.repeated(first_row_of, "ada@example.org", 5) == 2
    # Asking again for the first row is no repeat.
    assert uploads.repeated(first_row_of, "ada@example.org", 2) is None


async def test_a_checked_file_with_row_errors_queues_nothing() -> None:
    upload = uploads.Upload(rows=uploads.row_reports(_rows(), uploads.RowReport), dry_run=False)

    def payload() -> dict[str, Any]:
        raise AssertionError("a file with row errors needs no payload")

    same = await uploads.queue_checked(
        None,  # type: ignore[arg-type]  # never reached: nothing is queued or recorded
        upload,
        kind="any",
        event="any.upload",
        organisation_id=None,
        payload=payload,
        total=3,
        after={},
    )
    assert same is upload
    assert upload.job is None


async def test_sealed_passwords_open_only_for_their_use(app: Starlette) -> None:
    items = [{"email": "a@example.org", "password": "Lantern-2026"}, {"password": None}]
    passwords = uploads.Passwords("upload test", chunk=2, hash_passwords=hash_passwords)
    sealed = passwords.sealed(items, "password")
    assert sealed[1] == {"password": None}
    assert sealed[0]["email"] == "a@example.org"
    assert "Lantern" not in sealed[0]["password"]
    assert items[0]["password"] == "Lantern-2026"  # the items themselves are left as they are
    opened = sealer("upload test").decrypt(sealed[0]["password"].encode())
    assert opened == b"Lantern-2026"
    with pytest.raises(InvalidToken):
        sealer("another use").decrypt(sealed[0]["password"].encode())


class _Run:
    """What a job's run is to the hashing: somewhere to report progress."""

    def __init__(self) -> None:
        self.progress_reports: list[tuple[int, int | None, str | None]] = []

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.progress_reports.append((done, total, stage))


async def test_a_job_hashes_the_sealed_passwords_a_chunk_at_a_time(app: Starlette) -> None:
    """In the CPU pool's processes, with the hashing the app is configured with (fast here),
    and in the items' order."""
    passwords = uploads.Passwords("upload test", chunk=2, hash_passwords=hash_passwords)
    plain = ("first-one", "second-one", "third-one")
    items = [{"password": p} for p in plain]
    run = _Run()
    hashed = await passwords.hashed(run, passwords.sealed(items, "password"), "password")  # type: ignore[arg-type]
    assert len(hashed) == len(plain)
    assert all(verify_password(hash_, p) for hash_, p in zip(hashed, plain, strict=True))
    assert all("$m=1024,t=1," in hash_ for hash_ in hashed)
    assert run.progress_reports == [(0, 3, "Hashing passwords"), (2, 3, None), (3, 3, None)]


async def test_look_ups_by_the_files_values_go_in_batches(
    app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_files, "IN_BATCH", 2)
    codes = ["ZZ901", "ZZ902", "ZZ903"]
    await Organisation.bulk_create(
        [Organisation(kind=OrganisationKind.CENTRE, code=c, name=f"Centre {c}") for c in codes]
    )
    wanted = [*codes, "ZZ999"]
    found = await uploads.found_by(Organisation, "code", wanted, kind=OrganisationKind.CENTRE)
    assert sorted(found) == codes
    assert all(isinstance(o, Organisation) for o in found.values())
    assert await uploads.taken(Organisation, "code", wanted) == set(codes)
    assert await uploads.taken(Organisation, "code", wanted, kind=OrganisationKind.BOARD) == set()
    ids = await uploads.ids_of(Organisation, "code", wanted)
    assert ids == {c: o.id for c, o in found.items()}


async def _two_centres_numbered_alike() -> None:
    async with uploads.one_transaction("Someone was quicker.", "input", "file"):
        await Organisation.create(kind=OrganisationKind.CENTRE, code="ZZ901", name="One")
        await Organisation.create(kind=OrganisationKind.CENTRE, code="ZZ901", name="Two")


async def test_one_transaction_writes_nothing_and_says_so_on_a_collision(app: Starlette) -> None:
    with pytest.raises(DomainError) as refused:
        await _two_centres_numbered_alike()
    [error] = refused.value.errors
    assert (error.code, error.message, error.field) == (
        ErrorCode.CONCURRENT_CHANGE,
        "Someone was quicker.",
        ("input", "file"),
    )
    assert not await Organisation.filter(code="ZZ901").exists()


@pytest.mark.parametrize("file_format", ["CSV", "XLSX"])
def test_a_starter_file_reads_back_as_an_upload(file_format: str) -> None:
    rows = [("code", "name"), ("ZZ901", "Riverside Academy")]
    name, content_type, content = uploads.starter_file(
        "sample", file_format, rows, title="Centres", more=[("Notes", [("code", "5 letters")])]
    )
    assert name == f"sample.{file_format.lower()}"
    assert content_type == ("text/csv" if file_format == "CSV" else uploads.XLSX_TYPE)
    table = parse_spreadsheet(content, required=("code", "name"))
    assert [row.cells for row in table.rows] == [{"code": "ZZ901", "name": "Riverside Academy"}]
    if file_format == "XLSX":
        workbook = load_workbook(io.BytesIO(content))
        assert workbook.sheetnames == ["Centres", "Notes"]

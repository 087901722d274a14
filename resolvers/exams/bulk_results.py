"""Results from a CSV file: the board loads a series' results in one go, all or nothing.

Columns (resolvers/core/csv_files.py has the file-level rules): grade, optionally mark, and the
entry, either as entry_code or as centre_code + candidate_number + syllabus_code (a row may use
either when the file has both). Each row is checked as loadResult checks one result (the grade,
a mark from 0 to 100, the entry in that series and not withdrawn), and one entry may appear only
once in the file. A result loaded before is replaced. The rows are few thousand at most and need
no hashing, so they are written in the request, in one transaction (resolvers/core/uploads.py
has the steps every upload shares)."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from models.exams import Entry, EntryStatus, Result, Series
from models.organisations import OrganisationKind
from policies import Actor, Authorizer, Target
from policies.viewer_can import LOAD_RESULT
from resolvers.core import audit, clock, uploads
from resolvers.core.csv_files import CsvRow, RowProblem, file_error, in_batches
from resolvers.core.errors import ErrorCode
from resolvers.core.exam_lookups import find_series
from resolvers.core.spreadsheets import read_spreadsheet
from resolvers.exams.results import check_grade, check_mark

MAX_RESULT_ROWS = 5_000
ENTRY_COLUMNS = ("entry_code",)
NATURAL_KEY = ("centre_code", "candidate_number", "syllabus_code")


class ResultRowOutcome(StrEnum):
    NEW_RESULT = "NEW_RESULT"
    REPLACES_RESULT = "REPLACES_RESULT"


@dataclass(kw_only=True)
class ResultRowReport(uploads.RowReport):
    entry_code: str | None = None
    centre_code: str | None = None
    candidate_number: str | None = None
    syllabus_code: str | None = None
    grade: str | None = None
    mark: int | None = None
    outcome: ResultRowOutcome | None = None
    entry_id: int | None = None


@dataclass(kw_only=True)
class ResultUpload(uploads.Upload[ResultRowReport]):
    loaded: int = 0
    replaced: int = 0
    written: bool = False


def _entry_code(value: str) -> str:
    cleaned = "".join(value.split()).upper()
    if len(cleaned) == 8 and "-" not in cleaned:
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    return cleaned


def _mark(value: str, report: ResultRowReport) -> int | None:
    if not value:
        return None
    try:
        mark = int(value)
    except ValueError:
        mark = -1  # not a number: refused as out of range
    return report.check("mark", check_mark, mark, "mark")


_ENTRY_FIELDS = (
    "id",
    "entry_code",
    "status",
    "series_id",
    "series__code",
    "syllabus__code",
    "candidate__candidate_number",
    "candidate__centre_id",
    "candidate__centre__code",
    "candidate__centre__kind",
    "candidate__centre__parent_id",
    "candidate__centre__deleted_at",
)


async def load_results_from_csv(
    actor: Actor,
    *,
    series_code: str,
    content: bytes,
    filename: str | None = None,
    dry_run: bool = False,
) -> ResultUpload:
    """Check a file of results and, if every row is right (and it is no dry run), load them."""
    authorizer = Authorizer(actor)
    authorizer.require(*LOAD_RESULT)
    series = await find_series(series_code, "input", "seriesCode")
    table = await read_spreadsheet(
        content,
        required=("grade",),
        optional=(*ENTRY_COLUMNS, *NATURAL_KEY, "mark"),
        max_rows=MAX_RESULT_ROWS,
        what="result rows",
        excel=False,
    )
    by_code, by_key = _entry_columns(table.columns)
    reports = uploads.row_reports(table.rows, ResultRowReport)
    for row, report in zip(table.rows, reports, strict=True):
        if not report.problems:
            _check_cells(row, report, by_code=by_code, by_key=by_key)
    entries = await _entries_named(reports, series)
    seen: dict[int, int] = {}
    for report in reports:
        entry = _entry_of(report, entries, series)
        if entry is not None:
            _check_entry(report, entry, authorizer, seen, by_code=by_code)
    existing = await uploads.found_by(Result, "entry_id", sorted(seen))
    upload = ResultUpload(rows=reports, dry_run=dry_run)
    for report in reports:
        if report.entry_id is not None:
            report.outcome = (
                ResultRowOutcome.REPLACES_RESULT
                if report.entry_id in existing
                else ResultRowOutcome.NEW_RESULT
            )
    if not upload.rows_with_errors:
        upload.replaced = sum(1 for r in reports if r.outcome is ResultRowOutcome.REPLACES_RESULT)
        upload.loaded = len(reports)
        await _write(actor, upload, existing, series.code, filename)
    return upload


def _entry_columns(columns: Sequence[str]) -> tuple[bool, bool]:
    """Whether the file names entries by entry_code, by the natural key, or both."""
    by_code = "entry_code" in columns
    by_key = all(c in columns for c in NATURAL_KEY)
    partial = [c for c in NATURAL_KEY if c in columns]
    if (not by_code and not by_key) or (partial and not by_key):
        raise file_error(
            ErrorCode.CSV_COLUMNS_INVALID,
            "The header row must name the entry: an entry_code column, or the columns "
            "centre_code, candidate_number and syllabus_code (all three).",
        )
    return by_code, by_key


def _check_cells(row: CsvRow, report: ResultRowReport, *, by_code: bool, by_key: bool) -> None:
    """The row on its own: the entry it names, its grade and mark."""
    if row.get("entry_code"):
        report.entry_code = _entry_code(row.get("entry_code"))
    elif by_key:
        report.centre_code = row.get("centre_code").upper()
        report.candidate_number = row.get("candidate_number")
        if report.candidate_number.isdigit() and len(report.candidate_number) <= 4:
            report.candidate_number = report.candidate_number.zfill(4)
        report.syllabus_code = row.get("syllabus_code").upper()
        if not (report.centre_code and report.candidate_number and report.syllabus_code):
            report.problems.append(
                RowProblem(
                    ErrorCode.INVALID_INPUT,
                    "Give the entry_code, or the centre_code, candidate_number and syllabus_code.",
                    "entry_code" if by_code else "centre_code",
                )
            )
    else:
        report.problems.append(
            RowProblem(ErrorCode.INVALID_INPUT, "The entry code is required.", "entry_code")
        )
    report.grade = report.check("grade", check_grade, row.get("grade"), "grade")
    report.mark = _mark(row.get("mark"), report)


@dataclass
class _Entries:
    by_code: dict[str, dict[str, Any]]
    by_key: dict[tuple[Any, ...], dict[str, Any]]


async def _entries_named(reports: list[ResultRowReport], series: Series) -> _Entries:
    """The entries the rows name, in a few queries for the whole file."""
    codes = sorted({r.entry_code for r in reports if r.entry_code})
    centres = sorted({r.centre_code for r in reports if r.centre_code})
    return _Entries(
        by_code={
            e["entry_code"]: e
            for e in await in_batches(codes, lambda chunk: _entry_values(entry_code__in=chunk))
        },
        by_key={
            (e["candidate__centre__code"], e["candidate__candidate_number"], e["syllabus__code"]): e
            for e in await in_batches(
                centres,
                lambda chunk: _entry_values(series_id=series.id, candidate__centre__code__in=chunk),
            )
        },
    )


def _entry_of(report: ResultRowReport, entries: _Entries, series: Series) -> dict[str, Any] | None:
    """The entry of the series the row names, or None (and a problem if it names one)."""
    if report.entry_code:
        entry = entries.by_code.get(report.entry_code)
        if entry is None:
            message = f"There is no entry {report.entry_code}."
        elif entry["series_id"] != series.id:
            message = (
                f"Entry {report.entry_code} is in series {entry['series__code']}, not "
                f"{series.code}."
            )
        else:
            return entry
        column = "entry_code"
    elif report.centre_code:
        key = (report.centre_code, report.candidate_number, report.syllabus_code)
        entry = entries.by_key.get(key)
        if entry is not None:
            return entry
        message = (
            f"Candidate {report.candidate_number} at {report.centre_code} has no entry "
            f"for {report.syllabus_code} in {series.code}."
        )
        column = "candidate_number"
    else:
        return None
    report.problems.append(RowProblem(ErrorCode.ENTRY_NOT_FOUND, message, column))
    return None


def _check_entry(
    report: ResultRowReport,
    entry: dict[str, Any],
    authorizer: Authorizer,
    seen: dict[int, int],
    *,
    by_code: bool,
) -> None:
    """The row against its entry: the actor may load results at its centre, the entry is not
    withdrawn, and no other row gives its result."""
    report.entry_code = entry["entry_code"]
    report.centre_code = entry["candidate__centre__code"]
    report.candidate_number = entry["candidate__candidate_number"]
    report.syllabus_code = entry["syllabus__code"]
    report.entry_id = entry["id"]
    # One decision per centre (cached), never one per row.
    authorizer.require(
        "results",
        "load",
        Target(
            id=entry["candidate__centre_id"],
            kind=OrganisationKind(entry["candidate__centre__kind"]),
            parent_id=entry["candidate__centre__parent_id"],
            deleted=entry["candidate__centre__deleted_at"] is not None,
        ),
    )
    if entry["status"] == EntryStatus.WITHDRAWN:
        report.problems.append(
            RowProblem(
                ErrorCode.ENTRY_WITHDRAWN,
                f"Entry {report.entry_code} is withdrawn: it can have no result.",
                "entry_code",
            )
        )
    first = uploads.repeated(seen, entry["id"], report.number)
    if first is not None:
        report.problems.append(
            RowProblem(
                ErrorCode.DUPLICATE_IN_FILE,
                f"Row {first} already gives the result of entry {report.entry_code}.",
                "entry_code" if by_code else "candidate_number",
            )
        )


def _entry_values(**filters: Any) -> Any:
    return Entry.filter(**filters).values(*_ENTRY_FIELDS)


async def _write(
    actor: Actor,
    upload: ResultUpload,
    existing: dict[int, Result],
    series_code: str,
    filename: str | None,
) -> None:
    now = clock.now()
    fresh = [
        Result(entry_id=r.entry_id, grade=r.grade, mark=r.mark, loaded_at=now)
        for r in upload.rows
        if r.entry_id not in existing
    ]
    replaced: list[Result] = []
    for report in upload.rows:
        result = existing.get(report.entry_id)  # type: ignore[arg-type]
        if result is not None:
            assert report.grade is not None
            result.grade, result.mark, result.loaded_at = report.grade, report.mark, now
            replaced.append(result)
    async with uploads.one_transaction(
        "Results for some of these entries were loaded at the same time; nothing was "
        "written. Upload the file again.",
        "input",
        "file",
    ):
        if not upload.dry_run:
            if fresh:
                await Result.bulk_create(fresh, batch_size=500)
            if replaced:
                await Result.bulk_update(
                    replaced, fields=["grade", "mark", "loaded_at"], batch_size=500
                )
        await audit.record(
            actor,
            "result.upload",
            target_type="Series",
            target_id=series_code,
            after={
                "file": filename,
                "series": series_code,
                "rows": upload.rows_read,
                "loaded": upload.loaded,
                "replaced": upload.replaced,
                "dryRun": upload.dry_run,
            },
        )
    upload.written = not upload.dry_run

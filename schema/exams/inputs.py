"""Inputs of the exams: filters, series and syllabus edits, entering candidates and loading
results, one by one or from a CSV file."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from schema.core.uploads import SEND_FILE
from schema.exams.enums import EntryStatus, SeriesMonth


@strawberry.input
class CandidateFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number, UCI or username.",
    )
    series_code: str | None = strawberry.field(
        default=None, description="Only candidates with an entry in this series, e.g. 2026-JUN."
    )


@strawberry.input
class SyllabusFilter:
    search: str | None = strawberry.field(default=None, description="Part of a code or title.")


@strawberry.input
class EntryFilter:
    status: EntryStatus | None = None
    syllabus_code: str | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number, UCI or username.",
    )


@strawberry.input
class CreateSeriesInput:
    year: int
    month: SeriesMonth
    results_release_at: datetime
    credentials_open_at: datetime | None = strawberry.field(
        default=None,
        description="Defaults to 25 March for the March and June series, 5 October for November.",
    )


@strawberry.input
class UpdateSeriesInput:
    series_code: str
    credentials_open_at: datetime | None = None
    results_release_at: datetime | None = None


@strawberry.input
class CreateSyllabusInput:
    code: str
    title: str


@strawberry.input
class EnterCandidateInput:
    centre_code: str
    series_code: str
    syllabus_codes: list[str]
    username: str = strawberry.field(
        description="Unique at the centre. 1 to 500 letters, digits, @ _ - . or supported "
        "accented letters. An existing username links these entries to that candidate."
    )
    first_name: str
    last_name: str
    password: str | None = strawberry.field(
        default=None,
        description="Needed for a new candidate: 8 or more characters with an upper-case "
        "letter and a digit. Ignored when the username links to an existing candidate.",
    )
    candidate_number: str | None = strawberry.field(
        default=None, description="1 to 4 digits; the next free number if not given."
    )
    uci: str | None = strawberry.field(
        default=None,
        description="Unique Candidate Identifier: up to 20 letters and digits, one candidate's "
        "across the board (another candidate's is UCI_IN_USE). Ignored when the username links "
        "to an existing candidate.",
    )


@strawberry.input
class WithdrawEntryInput:
    entry_id: relay.GlobalID


@strawberry.input
class LoadResultInput:
    entry_id: relay.GlobalID
    grade: str = strawberry.field(description="A* to G or U, 9 to 1, or a to e.")
    mark: int | None = strawberry.field(default=None, description="Percentage, 0 to 100.")


_UPLOAD_HOW = f" {SEND_FILE} UTF-8 CSV with a header row (names in any case and order)."


@strawberry.input
class EnterCandidatesFromCsvInput:
    centre_code: str
    series_code: str
    file: Upload = strawberry.field(
        description="Columns first_name, last_name, username, password, syllabus_codes "
        "(separated by spaces or semicolons), optional candidate_number and uci; up to 5,000 "
        "rows." + _UPLOAD_HOW
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )


@strawberry.input
class LoadResultsFromCsvInput:
    series_code: str
    file: Upload = strawberry.field(
        description="Columns grade, optional mark (0 to 100), and entry_code or "
        "centre_code + candidate_number + syllabus_code; up to 5,000 rows." + _UPLOAD_HOW
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )

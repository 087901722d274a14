"""Inputs of the exams: filters, series and syllabus edits, entering candidates and loading
results, one by one or from a CSV file."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from schema.core.described import CENTRE_CODE, SERIES_CODE, SYLLABUS_CODE
from schema.core.uploads import SEND_FILE
from schema.exams.enums import EntryStatus, SeriesMonth
from schema.network.descriptions import CANDIDATE_SEARCH, DRY_RUN

_ENTRY_ID = "The entry's id (a global ID), as Entry.id gives it."
_FILE_SERIES = "The series every row is for. " + SERIES_CODE


@strawberry.input(description="Which of a centre's candidates the `candidates` list shows.")
class CandidateFilter:
    search: str | None = strawberry.field(default=None, description=CANDIDATE_SEARCH)
    series_code: str | None = strawberry.field(
        default=None,
        description="Only candidates with an entry (entered or withdrawn) in this series, e.g. "
        "2026-JUN; null for every candidate.",
    )


@strawberry.input(description="Which syllabuses the `syllabuses` list shows.")
class SyllabusFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words (case ignored) that must each appear in the syllabus' code or title; "
        "null for every syllabus.",
    )


@strawberry.input(description="Which entries the `entries` list shows; every one if null.")
class EntryFilter:
    status: EntryStatus | None = strawberry.field(
        default=None, description="Only entries in this state; null for both."
    )
    syllabus_code: str | None = strawberry.field(
        default=None, description="Only entries for this syllabus; null for all. " + SYLLABUS_CODE
    )
    search: str | None = strawberry.field(default=None, description=CANDIDATE_SEARCH)


@strawberry.input(description="A new exam series, for createSeries; its code is YEAR-MON.")
class CreateSeriesInput:
    year: int = strawberry.field(description="The year it is sat in, 2000 to 2100.")
    month: SeriesMonth = strawberry.field(
        description="The month it is sat in; one series per year and month (SERIES_EXISTS)."
    )
    results_release_at: datetime = strawberry.field(
        description="When centres may see the results, with a time zone (ISO 8601, e.g. "
        "2026-08-11T07:00Z); not before credentialsOpenAt."
    )
    credentials_open_at: datetime | None = strawberry.field(
        default=None,
        description="From when centres may create candidates' results website credentials, "
        "with a time zone. Defaults to 25 March for the March and June series, 5 October for "
        "November (00:00 UTC).",
    )


@strawberry.input(description="A series' new key times, for updateSeries. What is null stays.")
class UpdateSeriesInput:
    series_code: str = strawberry.field(description=SERIES_CODE)
    credentials_open_at: datetime | None = strawberry.field(
        default=None,
        description="The new time from which credentials may be created, with a time zone; "
        "null keeps it.",
    )
    results_release_at: datetime | None = strawberry.field(
        default=None,
        description="The new results release time, with a time zone, not before the "
        "credentials time; null keeps it.",
    )


@strawberry.input(description="A new syllabus, for createSyllabus.")
class CreateSyllabusInput:
    code: str = strawberry.field(
        description="1 to 16 letters, digits or hyphens, e.g. 0580, kept upper-case; unique "
        "(SYLLABUS_EXISTS)."
    )
    title: str = strawberry.field(
        description="The syllabus' name, e.g. Mathematics; spaces are tidied, at most 200 "
        "characters."
    )


@strawberry.input(
    description="A candidate and the syllabuses to enter them for, for enterCandidate."
)
class EnterCandidateInput:
    centre_code: str = strawberry.field(description=CENTRE_CODE)
    series_code: str = strawberry.field(description=SERIES_CODE)
    syllabus_codes: list[str] = strawberry.field(
        description='One or more syllabus codes, e.g. ["0580", "0610"]: an entry for each '
        "(ALREADY_ENTERED if the candidate has one; a withdrawn one is entered again)."
    )
    username: str = strawberry.field(
        description="Unique at the centre. 1 to 500 letters, digits, @ _ - . or supported "
        "accented letters. An existing username links these entries to that candidate."
    )
    first_name: str = strawberry.field(
        description="The candidate's first name, as printed on their documents."
    )
    last_name: str = strawberry.field(
        description="The candidate's last name, as printed on their documents."
    )
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


@strawberry.input(description="The entry to withdraw, for withdrawEntry.")
class WithdrawEntryInput:
    entry_id: relay.GlobalID = strawberry.field(description=_ENTRY_ID)


@strawberry.input(description="An entry's result, for loadResult.")
class LoadResultInput:
    entry_id: relay.GlobalID = strawberry.field(description=_ENTRY_ID)
    grade: str = strawberry.field(
        description="A* to G or U, 9 to 1, or a to e (case matters); else GRADE_INVALID."
    )
    mark: int | None = strawberry.field(
        default=None,
        description="The percentage uniform mark, 0 to 100 (else MARK_INVALID); null if none.",
    )


_UPLOAD_HOW = f" {SEND_FILE} UTF-8 CSV with a header row (names in any case and order)."


@strawberry.input(description="A CSV file of candidates to enter, for enterCandidatesFromCsv.")
class EnterCandidatesFromCsvInput:
    centre_code: str = strawberry.field(description=CENTRE_CODE)
    series_code: str = strawberry.field(description=_FILE_SERIES)
    file: Upload = strawberry.field(
        description="Columns first_name, last_name, username, password, syllabus_codes "
        "(separated by spaces or semicolons), optional candidate_number and uci; up to 5,000 "
        "rows." + _UPLOAD_HOW
    )
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)


@strawberry.input(description="A CSV file of results for one series, for loadResultsFromCsv.")
class LoadResultsFromCsvInput:
    series_code: str = strawberry.field(description=_FILE_SERIES)
    file: Upload = strawberry.field(
        description="Columns grade, optional mark (0 to 100), and entry_code or "
        "centre_code + candidate_number + syllabus_code; up to 5,000 rows." + _UPLOAD_HOW
    )
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)

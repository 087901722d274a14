"""Payloads of the exams' mutations."""

import strawberry

from resolvers.exams import bulk_entries as entry_uploads
from resolvers.exams import bulk_results as result_uploads
from resolvers.exams import name_warnings
from schema.core.errors import UserError
from schema.core.jobs import JobNode
from schema.core.uploads import rows_invalid
from schema.exams.csv_rows import CandidateCsvRow, ResultCsvRow
from schema.exams.enums import EntryOutcome, EntryWarningCode
from schema.exams.types import (
    CandidateNode,
    EntryNode,
    ResultNode,
    SeriesNode,
    SyllabusNode,
)
from schema.network.descriptions import DRY_RUN, ROWS_READ, ROWS_WITH_ERRORS, payload_errors

_FILE_ERRORS = (
    "FILE_EMPTY",
    "FILE_UNREADABLE",
    "FILE_TOO_LARGE",
    "CSV_COLUMNS_INVALID",
    "TOO_MANY_ROWS",
    "ROWS_INVALID (see `rows`)",
    "SERIES_NOT_FOUND",
)
_ENTRY_ERRORS = ("ENTRY_NOT_FOUND", "ENTRY_WITHDRAWN")


@strawberry.type(description="What createSeries or updateSeries did.")
class SeriesPayload:
    series: SeriesNode | None = strawberry.field(
        default=None, description="The series as it is now; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "INVALID_INPUT (a year out of range, a time without its zone, or a release before "
            "the credentials time)",
            "SERIES_EXISTS",
            "SERIES_NOT_FOUND",
        ),
    )


@strawberry.type(description="What createSyllabus did.")
class SyllabusPayload:
    syllabus: SyllabusNode | None = strawberry.field(
        default=None, description="The new syllabus; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors("INVALID_INPUT (code or title)", "SYLLABUS_EXISTS"),
    )


@strawberry.type(
    description="Something to check about an entry that was made: a reused username whose "
    "candidate has other names, say."
)
class EntryWarning:
    code: EntryWarningCode = strawberry.field(description="What to check, as a stable code.")
    message: str = strawberry.field(description="What to check, in words, to show the centre.")
    field: list[str] | None = strawberry.field(
        description='Path to the input it is about, e.g. ["input", "firstName"].'
    )

    @classmethod
    def of(cls, warning: name_warnings.EntryWarning) -> "EntryWarning":
        return cls(code=warning.code, message=warning.message, field=list(warning.field) or None)


@strawberry.type(description="What enterCandidate did.")
class EnterCandidatePayload:
    candidate: CandidateNode | None = strawberry.field(
        default=None, description="The candidate entered, new or linked; null on errors."
    )
    entries: list[EntryNode] = strawberry.field(
        default_factory=list,
        description="The entries made or reinstated, one per syllabus code; empty on errors.",
    )
    outcome: EntryOutcome | None = strawberry.field(
        default=None, description="Whether a candidate was created or linked; null on errors."
    )
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    warnings: list[EntryWarning] = strawberry.field(
        default_factory=list,
        description="What the centre should check, though the entry was made; empty if nothing.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "SERIES_NOT_FOUND",
            "SYLLABUS_NOT_FOUND",
            "ALREADY_ENTERED",
            "USERNAME_INVALID",
            "USERNAME_IN_USE_AT_VENUE",
            "CANDIDATE_PASSWORD_INVALID",
            "CANDIDATE_NUMBER_INVALID",
            "CANDIDATE_NUMBER_TAKEN",
            "UCI_INVALID",
            "UCI_IN_USE",
            "NAME_REQUIRED",
            "NOT_A_CENTRE",
            "ORGANISATION_DELETED",
            "INVALID_INPUT",
        ),
    )


@strawberry.type(description="What withdrawEntry did.")
class EntryPayload:
    entry: EntryNode | None = strawberry.field(
        default=None, description="The entry, now WITHDRAWN; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description=payload_errors(*_ENTRY_ERRORS)
    )


@strawberry.type(description="What loadResult did.")
class LoadResultPayload:
    entry: EntryNode | None = strawberry.field(
        default=None, description="The entry the result is for; null on errors."
    )
    result: ResultNode | None = strawberry.field(
        default=None, description="The result as loaded; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(*_ENTRY_ERRORS, "GRADE_INVALID", "MARK_INVALID"),
    )


@strawberry.type(
    description="What enterCandidatesFromCsv checked and, unless a dry run or any row error, "
    "queued."
)
class EnterCandidatesFromCsvPayload:
    rows_read: int = strawberry.field(default=0, description=ROWS_READ)
    rows_with_errors: int = strawberry.field(default=0, description=ROWS_WITH_ERRORS)
    rows: list[CandidateCsvRow] = strawberry.field(
        default_factory=list, description="Every row, in file order, with what it does."
    )
    new_candidates: int = strawberry.field(
        default=0, description="Candidates the file creates (new usernames at the centre)."
    )
    linked_candidates: int = strawberry.field(
        default=0, description="Existing candidates the file adds entries to, by username."
    )
    entries: int = strawberry.field(default=0, description="Entries the file makes.")
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job writing the candidates: poll job(id) until SUCCEEDED; its result "
        "gives each row's candidate number and entry codes. Null for a dry run or errors.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(*_FILE_ERRORS, "NOT_A_CENTRE", "ORGANISATION_DELETED"),
    )

    @classmethod
    def of(cls, upload: entry_uploads.CandidateUpload) -> "EnterCandidatesFromCsvPayload":
        return cls(
            rows_read=upload.rows_read,
            rows_with_errors=upload.rows_with_errors,
            rows=[CandidateCsvRow.of(r) for r in upload.rows],
            new_candidates=upload.new_candidates,
            linked_candidates=upload.linked_candidates,
            entries=upload.entries,
            dry_run=upload.dry_run,
            job=JobNode.of(upload.job) if upload.job else None,
            errors=rows_invalid(upload.rows_with_errors, upload.rows_read),
        )


@strawberry.type(description="What loadResultsFromCsv checked and, unless a dry run, loaded.")
class LoadResultsFromCsvPayload:
    rows_read: int = strawberry.field(default=0, description=ROWS_READ)
    rows_with_errors: int = strawberry.field(default=0, description=ROWS_WITH_ERRORS)
    rows: list[ResultCsvRow] = strawberry.field(
        default_factory=list, description="Every row, in file order, with what it does."
    )
    results_loaded: int = strawberry.field(
        default=0, description="Results written (or, in a dry run, that would be)."
    )
    results_replaced: int = strawberry.field(
        default=0, description="Of those, results that replace one loaded before."
    )
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    errors: list[UserError] = strawberry.field(
        default_factory=list, description=payload_errors(*_FILE_ERRORS)
    )

    @classmethod
    def of(cls, upload: result_uploads.ResultUpload) -> "LoadResultsFromCsvPayload":
        return cls(
            rows_read=upload.rows_read,
            rows_with_errors=upload.rows_with_errors,
            rows=[ResultCsvRow.of(r) for r in upload.rows],
            results_loaded=upload.loaded,
            results_replaced=upload.replaced,
            dry_run=upload.dry_run,
            errors=rows_invalid(upload.rows_with_errors, upload.rows_read),
        )

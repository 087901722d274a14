"""Payloads of the exams' mutations."""

import strawberry

from resolvers.exams import bulk_entries as entry_uploads
from resolvers.exams import bulk_results as result_uploads
from resolvers.exams import name_warnings
from schema.core.errors import UserError
from schema.core.jobs import JobNode
from schema.core.uploads import rows_invalid
from schema.exams.enums import EntryOutcome, EntryWarningCode
from schema.exams.types import (
    CandidateCsvRow,
    CandidateNode,
    EntryNode,
    ResultCsvRow,
    ResultNode,
    SeriesNode,
    SyllabusNode,
)


@strawberry.type
class SeriesPayload:
    series: SeriesNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SyllabusPayload:
    syllabus: SyllabusNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(
    description="Something to check about an entry that was made: a reused username whose "
    "candidate has other names, say."
)
class EntryWarning:
    code: EntryWarningCode
    message: str
    field: list[str] | None = strawberry.field(
        description='Path to the input it is about, e.g. ["input", "firstName"].'
    )

    @classmethod
    def of(cls, warning: name_warnings.EntryWarning) -> "EntryWarning":
        return cls(code=warning.code, message=warning.message, field=list(warning.field) or None)


@strawberry.type
class EnterCandidatePayload:
    candidate: CandidateNode | None = None
    entries: list[EntryNode] = strawberry.field(default_factory=list)
    outcome: EntryOutcome | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    warnings: list[EntryWarning] = strawberry.field(
        default_factory=list,
        description="What the centre should check, though the entry was made; empty if nothing.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EntryPayload:
    entry: EntryNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LoadResultPayload:
    entry: EntryNode | None = None
    result: ResultNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnterCandidatesFromCsvPayload:
    rows_read: int = 0
    rows_with_errors: int = 0
    rows: list[CandidateCsvRow] = strawberry.field(default_factory=list)
    new_candidates: int = 0
    linked_candidates: int = 0
    entries: int = strawberry.field(default=0, description="Entries the file makes.")
    dry_run: bool = False
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job writing the candidates: poll job(id) until SUCCEEDED; its result "
        "gives each row's candidate number and entry codes. Null for a dry run or errors.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

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


@strawberry.type
class LoadResultsFromCsvPayload:
    rows_read: int = 0
    rows_with_errors: int = 0
    rows: list[ResultCsvRow] = strawberry.field(default_factory=list)
    results_loaded: int = strawberry.field(
        default=0, description="Results written (or, in a dry run, that would be)."
    )
    results_replaced: int = strawberry.field(
        default=0, description="Of those, results that replace one loaded before."
    )
    dry_run: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)

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

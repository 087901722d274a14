"""Bulk CSV uploads: many candidates' entries (a job), and a series' results.

Files come as GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
with the header `X-Examdesk-Upload: 1` besides `Authorization` (examdesk/graphql.py refuses a
multipart request without them, so a cross-site form cannot post one).
"""

import strawberry
from strawberry.file_uploads import Upload

from resolvers.core.csv_files import RowProblem, upload_bytes, upload_name
from resolvers.exams import bulk_entries as entry_uploads
from resolvers.exams import bulk_results as result_uploads
from schema.core.context import Info
from schema.core.errors import ErrorCode, UserError, payload, rows_invalid
from schema.core.jobs import JobNode
from schema.core.permissions import SignedIn
from schema.exams.exams import EntryOutcome

ResultRowOutcome = strawberry.enum(
    result_uploads.ResultRowOutcome, description="What loadResultsFromCsv does with a row."
)

_UPLOAD_HOW = (
    " Send it as a GraphQL multipart request with the headers `Authorization: Bearer <token>` "
    "and `X-Examdesk-Upload: 1`. UTF-8 CSV with a header row (names in any case and order)."
)


@strawberry.type(description="What is wrong with one row of an uploaded file.")
class CsvRowError:
    code: ErrorCode
    message: str
    column: str | None = strawberry.field(description="The column to blame, if one is.")

    @classmethod
    def of(cls, problem: RowProblem) -> "CsvRowError":
        return cls(code=problem.code, message=problem.message, column=problem.column)


@strawberry.type(description="One row of a file of candidates: what it does, or what is wrong.")
class CandidateCsvRow:
    row_number: int = strawberry.field(
        description="As a spreadsheet numbers it: the header is row 1."
    )
    username: str
    candidate_number: str | None = strawberry.field(
        description="The number given, the existing candidate's, or the one it will get."
    )
    outcome: EntryOutcome | None
    syllabus_codes: list[str]
    message: str | None = strawberry.field(description="What happens, in words, if not plain.")
    errors: list[CsvRowError]

    @classmethod
    def of(cls, row: entry_uploads.CandidateRowReport) -> "CandidateCsvRow":
        return cls(
            row_number=row.number,
            username=row.username,
            candidate_number=row.candidate_number,
            outcome=row.outcome,
            syllabus_codes=row.syllabus_codes,
            message=row.message,
            errors=[CsvRowError.of(p) for p in row.problems],
        )


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


@strawberry.type(description="One row of a file of results: what it does, or what is wrong.")
class ResultCsvRow:
    row_number: int = strawberry.field(
        description="As a spreadsheet numbers it: the header is row 1."
    )
    entry_code: str | None
    centre_code: str | None
    candidate_number: str | None
    syllabus_code: str | None
    grade: str | None
    mark: int | None
    outcome: ResultRowOutcome | None
    errors: list[CsvRowError]

    @classmethod
    def of(cls, row: result_uploads.ResultRowReport) -> "ResultCsvRow":
        return cls(
            row_number=row.number,
            entry_code=row.entry_code,
            centre_code=row.centre_code,
            candidate_number=row.candidate_number,
            syllabus_code=row.syllabus_code,
            grade=row.grade,
            mark=row.mark,
            outcome=row.outcome,
            errors=[CsvRowError.of(p) for p in row.problems],
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


@strawberry.type
class BulkMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's exams officer: enter many candidates from a CSV file, every "
        "row checked as enterCandidate checks one. All or nothing: any row error writes "
        "nothing. A good file queues a job that writes them (payload.job).",
    )
    async def enter_candidates_from_csv(
        self, info: Info, input: EnterCandidatesFromCsvInput
    ) -> EnterCandidatesFromCsvPayload:
        async def upload() -> entry_uploads.CandidateUpload:
            content = await upload_bytes(input.file)
            return await entry_uploads.enter_candidates_from_csv(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            EnterCandidatesFromCsvPayload,
            upload(),
            EnterCandidatesFromCsvPayload.of,
            dry_run=input.dry_run,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: load (or replace) a series' results from a CSV file, every "
        "row checked as loadResult checks one. All or nothing, in one transaction.",
    )
    async def load_results_from_csv(
        self, info: Info, input: LoadResultsFromCsvInput
    ) -> LoadResultsFromCsvPayload:
        async def upload() -> result_uploads.ResultUpload:
            content = await upload_bytes(input.file)
            return await result_uploads.load_results_from_csv(
                info.context.actor,
                series_code=input.series_code,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            LoadResultsFromCsvPayload,
            upload(),
            LoadResultsFromCsvPayload.of,
            dry_run=input.dry_run,
        )


__all__ = ["BulkMutations"]

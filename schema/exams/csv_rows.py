"""The rows of the candidates and results files as the API reports them."""

import strawberry

from resolvers.exams import bulk_entries as entry_uploads
from resolvers.exams import bulk_results as result_uploads
from schema.core.uploads import CsvRowError
from schema.exams.enums import EntryOutcome, ResultRowOutcome
from schema.network.descriptions import CANDIDATE_NUMBER, ROW_ERRORS, ROW_NUMBER

_AS_IN_FILE = "As the row gives it; null if the row leaves it out."


@strawberry.type(description="One row of a file of candidates: what it does, or what is wrong.")
class CandidateCsvRow:
    row_number: int = strawberry.field(description=ROW_NUMBER)
    username: str = strawberry.field(description="The row's username, as given.")
    candidate_number: str | None = strawberry.field(
        description="The number given, the existing candidate's, or the one it will get."
    )
    outcome: EntryOutcome | None = strawberry.field(
        description="A new candidate or one linked by username; null if the row has errors."
    )
    syllabus_codes: list[str] = strawberry.field(
        description="The syllabuses the row enters the candidate for, upper-case."
    )
    message: str | None = strawberry.field(description="What happens, in words, if not plain.")
    errors: list[CsvRowError] = strawberry.field(description=ROW_ERRORS)

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


@strawberry.type(description="One row of a file of results: what it does, or what is wrong.")
class ResultCsvRow:
    row_number: int = strawberry.field(description=ROW_NUMBER)
    entry_code: str | None = strawberry.field(
        description="The entry's code, e.g. K7QX-4MPA. " + _AS_IN_FILE
    )
    centre_code: str | None = strawberry.field(
        description="The candidate's centre number. " + _AS_IN_FILE
    )
    candidate_number: str | None = strawberry.field(
        description=CANDIDATE_NUMBER + " " + _AS_IN_FILE
    )
    syllabus_code: str | None = strawberry.field(description="The syllabus' code. " + _AS_IN_FILE)
    grade: str | None = strawberry.field(description="The grade to load. " + _AS_IN_FILE)
    mark: int | None = strawberry.field(
        description="The percentage mark to load, 0 to 100. " + _AS_IN_FILE
    )
    outcome: ResultRowOutcome | None = strawberry.field(
        description="Whether the row loads a first result or replaces one; null if the row has "
        "errors."
    )
    errors: list[CsvRowError] = strawberry.field(description=ROW_ERRORS)

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

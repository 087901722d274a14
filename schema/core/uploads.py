"""How the API reports an uploaded file's rows: what is wrong with one row, and the one error of
a file with bad rows (all or nothing: such a file writes nothing)."""

import strawberry

from resolvers.core.csv_files import RowProblem
from schema.core.errors import ErrorCode, UserError


@strawberry.type(description="What is wrong with one row of an uploaded file.")
class CsvRowError:
    code: ErrorCode
    message: str
    column: str | None = strawberry.field(description="The column to blame, if one is.")

    @classmethod
    def of(cls, problem: RowProblem) -> "CsvRowError":
        return cls(code=problem.code, message=problem.message, column=problem.column)


def rows_invalid(rows_with_errors: int, rows_read: int) -> list[UserError]:
    """An uploaded file's one error when any row has some (the rows say which): none otherwise."""
    if not rows_with_errors:
        return []
    return [
        UserError(
            code=ErrorCode.ROWS_INVALID,
            message=f"{rows_with_errors} of {rows_read} rows have errors (see rows); "
            "nothing was written.",
            field=["input", "file"],
        )
    ]


__all__ = ["CsvRowError", "rows_invalid"]

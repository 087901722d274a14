"""Uploaded files: how an input says to send one, and how the API reports a file's rows (what is
wrong with one row, and the one error of a file with bad rows: such a file writes nothing)."""

import strawberry

from resolvers.core.csv_files import RowProblem
from schema.core.errors import ErrorCode, UserError

# Files come as GraphQL multipart requests
# (https://github.com/jaydenseric/graphql-multipart-request-spec); examdesk/graphql.py refuses
# one without both headers, so a cross-site form cannot post one.
SEND_FILE = (
    "Send it as a GraphQL multipart request with the headers `Authorization: Bearer <token>` "
    "and `X-Examdesk-Upload: 1`."
)


@strawberry.type(description="What is wrong with one row of an uploaded file.")
class CsvRowError:
    code: ErrorCode = strawberry.field(description="What is wrong, as a stable code.")
    message: str = strawberry.field(description="What is wrong with the row, in words.")
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

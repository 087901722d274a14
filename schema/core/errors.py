"""Typed errors in mutation payloads, and the one way a mutation answers with its payload.

Every payload type carries `errors: [UserError!]!`, empty when the mutation did what it was asked.
A mutation runs its use case through `payload`, which turns an expected failure (a DomainError)
into the payload with only its errors, so no mutation writes its own try/except.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from resolvers.core.errors import DomainError
from resolvers.core.errors import ErrorCode as DomainErrorCode

ErrorCode = strawberry.enum(
    DomainErrorCode, description="Stable codes of expected failures, for programs to act on."
)


@strawberry.type(description="An expected failure: bad input or a rule the request broke.")
class UserError:
    code: ErrorCode
    message: str
    field: list[str] | None = strawberry.field(
        description='Path to the input that caused it, e.g. ["input", "roles", "0"].'
    )


def user_errors(error: DomainError) -> list[UserError]:
    return [
        UserError(code=e.code, message=e.message, field=list(e.field) or None) for e in error.errors
    ]


R = TypeVar("R")
P = TypeVar("P")


async def payload(
    payload_type: Callable[..., P],
    work: Awaitable[R],
    success: Callable[[R], P],
    /,
    **on_failure: object,
) -> P:
    """Run a use case: `success(result)`, or, when it fails as expected,
    `payload_type(errors=..., **on_failure)`, the payload holding the errors and any field a
    failure still answers (an upload's dryRun)."""
    try:
        result = await work
    except DomainError as error:
        return payload_type(errors=user_errors(error), **on_failure)
    return success(result)

"""Typed errors in mutation payloads."""

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


async def run_mutation(
    work: Awaitable[R], success: Callable[[R], P], failure: Callable[[list[UserError]], P]
) -> P:
    """Run a use case; expected failures become the payload's errors."""
    try:
        result = await work
    except DomainError as error:
        return failure(user_errors(error))
    return success(result)


__all__ = ["ErrorCode", "UserError", "run_mutation", "user_errors"]

"""Typed errors in mutation payloads, and the one way a mutation answers with its payload.

Every payload type carries `errors: [UserError!]!`, empty when the mutation did what it was asked.
A mutation runs its use case through `payload`, which turns an expected failure (a DomainError)
into the payload with only its errors, so no mutation writes its own try/except.
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from resolvers.core.errors import DomainError
from resolvers.core.errors import ErrorCode as DomainErrorCode
from schema.core.described import described_enum
from schema.core.error_codes import MEANINGS

ErrorCode = described_enum(
    DomainErrorCode,
    "Stable codes of expected failures, for programs to act on: a code keeps its meaning "
    "across releases, a message may be reworded.",
    MEANINGS,
)


@strawberry.type(description="An expected failure: bad input or a rule the request broke.")
class UserError:
    code: ErrorCode = strawberry.field(description="What went wrong, as a stable code.")
    message: str = strawberry.field(
        description="What went wrong and what to do, in English, for people; may be reworded."
    )
    field: list[str] | None = strawberry.field(
        description='Path to the input that caused it, e.g. ["input", "roles", "0"].'
    )


_INPUT_CHECKS = "INPUT_TOO_LONG and INVALID_CHARACTERS (a text input breaking its limit)"


def errors_field(*codes: DomainErrorCode) -> Any:
    """A payload's `errors`, naming the codes its mutation answers with besides the input checks;
    none named for a payload several mutations share (each mutation names its own)."""
    listed = (
        f"{', '.join(code.value for code in codes)}, or "
        if codes
        else "those the mutation's description names, or "
    )
    return strawberry.field(
        default_factory=list,
        description="Empty when the mutation did what it was asked; otherwise why it changed "
        f"nothing. Codes: {listed}{_INPUT_CHECKS}.",
    )


def error_codes(text: str, *codes: DomainErrorCode) -> str:
    """A mutation's description, ending with the codes its payload's `errors` may hold."""
    return f"{text} Error codes: {', '.join(code.value for code in codes)}."


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

"""The GraphQL-over-HTTP rules /graphql follows beyond what strawberry does itself: refusals with
a stable code, which answers are request errors, and which operation a request may run."""

import re
from itertools import islice

from cross_web import HTTPException
from graphql import GraphQLError, OperationDefinitionNode, parse
from strawberry.types import ExecutionResult

from schema.core.extensions.limits import MAX_TOKENS

# Every operation but the anonymous `{ ... }` starts with one of these words.
_OPERATION_KEYWORD = re.compile(r"\b(?:query|mutation|subscription)\b")
# The codes of errors that are the server's fault, not the request's: a failure after execution
# (an audit event that could not be written) also leaves no data and no path.
_SERVER_FAULTS = {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"}


class RequestRefused(HTTPException):
    """A request /graphql will not run, answered as a JSON GraphQL error with `code`."""

    def __init__(
        self, status_code: int, code: str, reason: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status_code, reason)
        self.code = code
        self.headers = headers


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the request failed before execution began (its document did not parse or
    validate, or its variables did not coerce): no data, and no error at a field's path or of
    the server's making."""
    errors = result.errors or []
    return (
        result.data is None
        and bool(errors)
        and all(
            error.path is None and (error.extensions or {}).get("code") not in _SERVER_FAULTS
            for error in errors
        )
    )


def has_several_operations(query: str) -> bool:
    """Whether the document holds more than one operation; False when it does not parse, which
    execution then reports as the GraphQL error it is."""
    # Parsing costs as much again as execution's own parse, so it is skipped where it cannot
    # find two: with fewer than two keywords there is at most one operation beside anonymous
    # ones, and an anonymous operation that is not alone fails validation anyway.
    if len(list(islice(_OPERATION_KEYWORD.finditer(query), 2))) < 2:
        return False
    try:
        document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return False
    operations = (
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    )
    return len(list(islice(operations, 2))) == 2

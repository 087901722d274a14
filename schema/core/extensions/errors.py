"""Shapes every error the client sees.

Access failures carry extensions.code UNAUTHENTICATED or FORBIDDEN and extensions.reason, why
(policies/reasons.py); expected domain failures in
queries carry their error code; anything unexpected is logged with the request id and reaches the
client only as "Unexpected error." with that request id, never a traceback.
"""

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import InvalidOperationTypeError

from policies import AccessError
from resolvers.core.errors import DomainError

log = logging.getLogger("examdesk.graphql")


def is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(
        original, AccessError | DomainError | GraphQLError | InvalidOperationTypeError
    )


def request_id_of(context: object) -> str:
    """The id of the request being answered, as in its X-Request-ID header."""
    actor = getattr(context, "actor", None)
    return actor.request.request_id if actor is not None else "-"


def unexpected_message(request_id: str) -> str:
    return f"Unexpected error. Quote request id {request_id} when reporting it."


def log_unexpected(error: GraphQLError, context: object) -> None:
    # The id goes into the message itself, not only a log-record attribute, so that it is in
    # whatever handler or formatter the deployment uses: it is what support will search for.
    log.error(
        "unexpected error (request id %s) at %s",
        request_id_of(context),
        error.path,
        exc_info=error.original_error,
    )


class ErrorShaping(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [self._shape(error) for error in result.errors]

    def on_stream_result(self, result: object) -> Iterator[None]:
        # A subscription's results are sent as they come, before its operation ends. Shaping
        # is idempotent, so on_operation may shape the last one again.
        if getattr(result, "errors", None):
            result.errors = [self._shape(error) for error in result.errors]  # type: ignore[attr-defined]
        yield

    def _request_id(self) -> str:
        return request_id_of(self.execution_context.context)

    def _shape(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, AccessError):
            # The reason is a code from policies/reasons.py, chosen so that it never tells what
            # exists at an organisation the caller has nothing to do with.
            return _copy(
                error, str(original), {"code": original.code, "reason": original.reason.value}
            )
        if isinstance(original, DomainError):
            first = original.errors[0]
            return _copy(error, first.message, {"code": first.code.value})
        if isinstance(original, InvalidOperationTypeError):
            # Only a WebSocket refuses an operation type here (HTTP answers 405 itself).
            return _copy(
                error,
                "Only subscriptions are served over the WebSocket: send queries and mutations "
                "with an HTTP POST to /graphql.",
                {"code": "BAD_REQUEST"},
            )
        if original is None or isinstance(original, GraphQLError):
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            return _copy(error, error.message, extensions)
        request_id = self._request_id()
        return _copy(
            error,
            unexpected_message(request_id),
            {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


def _copy(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )

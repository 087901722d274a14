"""One log line per HTTP request, and the same facts for the metrics (examdesk/metrics.py).

The line says which request it was (its id, also in the X-Request-ID header and in the audit
events it wrote), what it asked (the route's template, never the path itself: a download's path
is its signed token; never the query string, which may carry a token or GraphQL variables), the
GraphQL operation's name, who asked (the user's id), the status, how long it took and how many
SQL statements it sent. Headers, variables and bodies are never logged.

The SQL statements are counted from tortoise's statement log ("tortoise.db_client"), which is
turned on at DEBUG for this and kept from reaching the application's handlers, so the statements
(and their values) are counted, not printed. The count follows the request's context, so it
includes its DataLoaders' batches (tasks started by the request) and not the background loops'.
"""

import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from graphql import GraphQLError
from graphql.language import Lexer, Source, TokenKind
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examdesk.requests import request_id_var

log = logging.getLogger("examdesk.access")

STATEMENT_LOGGER = "tortoise.db_client"
_STATEMENTS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"})


@dataclass
class RequestRecord:
    """What one request did, filled in as it runs (the GraphQL view adds what it knows)."""

    operations: list[str | None] = field(default_factory=list)
    user_id: int | None = None
    error_codes: list[str] = field(default_factory=list)
    statements: int = 0


_current: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar(
    "request_record", default=None
)


# Tokens read from the start of a document for its operation's name: past the fragments a
# client puts first, not through a whole document.
NAME_SCAN_TOKENS = 500
_OPERATION_KINDS = frozenset({"query", "mutation", "subscription"})


def operation_name(sent: str | None, document: str | None) -> str | None:
    """The operation's name: the operationName sent, or the name in the document (clients often
    send only that); None for an anonymous operation or a document that does not lex."""
    if sent is not None or not document:
        return sent
    lexer = Lexer(Source(document))
    depth = 0
    try:
        token = lexer.advance()
        if token.kind is TokenKind.BRACE_L:
            return None  # the `{ ... }` shorthand: an anonymous query
        for _ in range(NAME_SCAN_TOKENS):
            if token.kind is TokenKind.EOF:
                return None
            if token.kind is TokenKind.BRACE_L:
                depth += 1
            elif token.kind is TokenKind.BRACE_R:
                depth -= 1
            elif depth == 0 and token.kind is TokenKind.NAME and token.value in _OPERATION_KINDS:
                following = lexer.advance()
                return following.value if following.kind is TokenKind.NAME else None
            token = lexer.advance()
    except GraphQLError:
        return None
    return None


def current_request() -> RequestRecord | None:
    """The record of the HTTP request being answered, if any."""
    return _current.get()


class _StatementCounter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        current = _current.get()
        if current is not None:
            # The statement's text without formatting its values (a bulk insert's are many).
            text = record.args[0] if record.msg == "%s: %s" and record.args else record.msg
            first = str(text).lstrip()[:7].split(None, 1)
            if first and first[0].upper() in _STATEMENTS:
                current.statements += 1
        return True


def count_statements() -> None:
    """Have tortoise report each statement (idempotent), counted and not printed."""
    logger = logging.getLogger(STATEMENT_LOGGER)
    if not any(isinstance(f, _StatementCounter) for f in logger.filters):
        logger.addFilter(_StatementCounter())
        logger.addHandler(logging.NullHandler())
    logger.setLevel(logging.DEBUG)
    logger.propagate = False


@dataclass(frozen=True)
class Finished:
    """A request as the log line and the metrics see it."""

    method: str
    route: str
    operation: str | None
    user_id: int | None
    status: int
    seconds: float
    statements: int
    error_codes: tuple[str, ...]

    @property
    def outcome(self) -> str:
        if self.status >= 500:
            return "server_error"
        if self.status >= 400:
            return "client_error"
        return "graphql_error" if self.error_codes else "ok"


ObserveRequest = Callable[[Finished], None]


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    return route.path if isinstance(route, BaseRoute) and hasattr(route, "path") else "unmatched"


def _operation_of(record: RequestRecord) -> str | None:
    if len(record.operations) > 1:
        return "batch"
    return record.operations[0] if record.operations else None


class AccessLogMiddleware:
    """Logs each HTTP request once it is answered, and hands it to `observe` (the metrics)."""

    def __init__(self, app: ASGIApp, observe: ObserveRequest | None = None) -> None:
        self.app = app
        self.observe = observe
        count_statements()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = RequestRecord()
        token = _current.set(record)
        status = 500
        started = time.perf_counter()

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            _current.reset(token)
            finished = Finished(
                method=scope["method"],
                route=_route_of(scope),
                operation=_operation_of(record),
                user_id=record.user_id,
                status=status,
                seconds=time.perf_counter() - started,
                statements=record.statements,
                error_codes=tuple(dict.fromkeys(record.error_codes)),
            )
            _log(finished)
            if self.observe is not None:
                self.observe(finished)


def _log(finished: Finished) -> None:
    fields = {
        "request_id": request_id_var.get(),
        "method": finished.method,
        "route": finished.route,
        "operation": finished.operation,
        "user_id": finished.user_id,
        "status": finished.status,
        "outcome": finished.outcome,
        "duration_ms": round(finished.seconds * 1000, 1),
        "sql_statements": finished.statements,
        "error_codes": list(finished.error_codes),
    }
    log.info(
        "%s %s%s user=%s status=%s %.1fms sql=%d%s",
        finished.method,
        finished.route,
        f" {finished.operation}" if finished.operation else "",
        finished.user_id if finished.user_id is not None else "-",
        finished.status,
        finished.seconds * 1000,
        finished.statements,
        f" errors={','.join(finished.error_codes)}" if finished.error_codes else "",
        extra={"fields": fields, "request_id": fields["request_id"]},
    )

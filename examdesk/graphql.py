"""The /graphql endpoint: strawberry's ASGI view with examdesk's request context.

Files come in GraphQL multipart requests (the bulk CSV uploads). A browser lets any site post a
multipart form cross-site without asking first, so such a request is refused unless it carries
what a form cannot: an `Authorization` header (our bearer token) and a custom header,
`X-Examdesk-Upload` or one that client libraries send for the same purpose
(`Apollo-Require-Preflight`, `X-Apollo-Operation-Name`), with any non-empty value. Both force a
CORS preflight, which only the origins in EXAMDESK_CORS_ORIGINS pass.

A request that is not a well-formed GraphQL-over-HTTP request gets a 4xx JSON error (the spec's
status codes: 400 for a body that is not a JSON object, 415 for another content type, 405 for a
mutation over GET). When the database cannot be reached, the answer is 503 SERVICE_UNAVAILABLE
rather than a masked internal error, so that clients and load balancers retry.

Subscriptions travel over a WebSocket on /graphql with the graphql-transport-ws protocol only
(the legacy graphql-ws protocol is refused: its clients are unmaintained). The bearer token comes
in connection_init's payload, as {"Authorization": "Bearer <token>"}. A browser lets any page
open a WebSocket anywhere (CORS does not apply), so the handshake is refused (403) unless its
Origin is this server's own, the public URL's or one of EXAMDESK_CORS_ORIGINS.

A registered document may be sent by its hash instead of its text, and a trusted-documents-only
server runs nothing else: examdesk/trusted_documents.py decides, as the request is read.
"""

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from examdesk.database import database_reachable
from examdesk.graphiql import graphiql_page
from examdesk.headers import graphiql_csp
from examdesk.requests import request_id_var, request_meta
from examdesk.responses import error_response, unavailable_message
from examdesk.trusted_documents import (
    DocumentRefused,
    TrustedDocuments,
    names_a_document,
    sent_document_id,
)
from policies import Actor
from resolvers.identity.actors import resolve_actor
from schema.core.context import Context

log = logging.getLogger("examdesk.graphql")


@dataclass
class WebSocketContext(Context):
    # connection_init's payload; strawberry sets it before on_ws_connect.
    connection_params: Any = None


def authorization_param(params: Any) -> str | None:
    """The Authorization entry of connection_init's payload, however its name is cased."""
    if not isinstance(params, dict):
        return None
    for name, value in params.items():
        if isinstance(name, str) and name.lower() == "authorization" and isinstance(value, str):
            return value
    return None


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


UPLOAD_HEADER = "x-examdesk-upload"
# Headers a cross-site form cannot send, any of which marks an upload as a client's own request:
# ours, and those client libraries already send for the same reason (Apollo Client's
# upload link sends Apollo-Require-Preflight or x-apollo-operation-name).
PREFLIGHT_HEADERS = (UPLOAD_HEADER, "apollo-require-preflight", "x-apollo-operation-name")
# The request bodies /graphql reads; anything else is 415 Unsupported Media Type.
JSON = "application/json"
MULTIPART = "multipart/form-data"
SUBSCRIPTIONS_OVER_WEBSOCKET = (
    "A subscription needs a WebSocket to /graphql with the graphql-transport-ws protocol."
)
_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}


def _unavailable(errors: list[GraphQLError], request_id: str) -> list[GraphQLError]:
    """The masked internal errors restated as what they are: the database is down."""
    return [
        GraphQLError(
            unavailable_message(request_id),
            path=error.path,
            extensions={"code": "SERVICE_UNAVAILABLE", "requestId": request_id},
        )
        if (error.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR"
        else error
        for error in errors
    ]


class ExamdeskGraphQL(GraphQL[Context, None]):
    def __init__(
        self, *args: Any, production: bool, only_trusted_documents: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("multipart_uploads_enabled", True)
        super().__init__(*args, **kwargs)
        self.production = production
        self.trusted_documents = TrustedDocuments(only_trusted=only_trusted_documents)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # One id for the whole connection, in its log lines and its errors' requestId.
            token = request_id_var.set(secrets.token_hex(8))
            try:
                await super().__call__(scope, receive, send)
            finally:
                request_id_var.reset(token)
            return
        try:
            response = await self.run(Request(scope, receive))
        except DocumentRefused as refusal:
            response = refusal.response()
        except HTTPException as error:
            # strawberry answers these in plain text; a client reads every error as JSON.
            response = error_response(
                error.status_code,
                error.reason,
                headers={"Allow": "POST"} if error.status_code == 405 else None,
            )
        await response(scope, receive, send)

    async def run(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().run(request, *args, **kwargs)
        except HTTPException:
            raise
        except Exception:
            # Before execution (the actor's session is read first), a database outage escapes
            # as an exception; anything else is a bug, answered as one.
            if not isinstance(request, Request) or await database_reachable():
                raise
            log.exception("database unavailable (request id %s)", request_id_var.get())
            return self._unavailable_response()
        finally:
            if isinstance(request, Request):
                # Closes the uploaded files (spooled to disk when big) once the answer is made.
                await request.close()

    @staticmethod
    def _unavailable_response() -> Response:
        request_id = request_id_var.get()
        return error_response(503, unavailable_message(request_id), request_id=request_id)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            refused = error.__cause__
            if isinstance(refused, InvalidOperationTypeError):
                if refused.operation_type is OperationType.SUBSCRIPTION:
                    raise HTTPException(400, SUBSCRIPTIONS_OVER_WEBSOCKET) from error
                # GraphQL-over-HTTP: a mutation over GET is 405 Method Not Allowed.
                raise HTTPException(405, error.reason) from error
            raise
        masked = any(
            (e.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR" for e in result.errors or []
        )
        # Probed only when something failed: a working request costs no extra query.
        if masked and not await database_reachable():
            result.errors = _unavailable(result.errors or [], request_id_var.get())
            sub_response.status_code = 503
        return result

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = super().parse_json(data)
        except UnicodeDecodeError as error:
            # strawberry turns only JSONDecodeError into a 400; bytes that are not UTF-8 are
            # not JSON either (RFC 8259 section 8.1).
            raise HTTPException(400, "The request body is not UTF-8 encoded JSON.") from error
        # A list is a batch, which strawberry refuses itself (400) with a clearer message.
        if not isinstance(value, dict | list):
            kind = "null" if value is None else _JSON_KINDS.get(type(value), "not an object")
            raise HTTPException(
                400, f'Expected a JSON object such as {{"query": "{{ __typename }}"}}, got {kind}.'
            )
        return value

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type not in {JSON, MULTIPART}:
                raise HTTPException(
                    415,
                    f"Send the request as Content-Type: {JSON} ({MULTIPART} for file uploads).",
                )
        return await self.document_by_hash(request, await super().parse_http_body(request))

    async def document_by_hash(
        self,
        request: AsyncHTTPRequestAdapter,
        data: GraphQLRequestData | list[GraphQLRequestData],
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The registered document a request names by hash, and in trusted-only mode nothing
        but registered documents (examdesk/trusted_documents.py)."""
        if isinstance(data, list):  # a batch, which strawberry has refused already
            return data
        document_id = await sent_document_id(request, self.parse_json)
        return await self.trusted_documents.resolve(data, document_id)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET naming a document by hash is an API call, whatever its Accept header.
        return super().should_render_graphql_ide(request) and not names_a_document(
            request.query_params
        )

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        headers = request.headers
        marked = any(headers.get(name, "").strip() for name in PREFLIGHT_HEADERS)
        if not marked or not bearer_token(headers.get("authorization")):
            raise HTTPException(
                400,
                "A file upload needs the headers Authorization: Bearer <token> and "
                "X-Examdesk-Upload: 1 (or Apollo-Require-Preflight: true).",
            )
        try:
            return await super().parse_multipart(request)
        except (AttributeError, IndexError, TypeError, ValueError) as error:
            # A `map` that is not an object of lists of paths, or paths that lead nowhere in
            # `operations`: strawberry follows them blindly.
            raise HTTPException(
                400,
                "The multipart request's map does not fit its operations (see "
                "github.com/jaydenseric/graphql-multipart-request-spec).",
            ) from error

    async def render_graphql_ide(self, request: Request) -> Response:
        # Our own page (examdesk/graphiql.py), not strawberry's, which loads GraphiQL from a CDN.
        # A fresh nonce per page lets its own scripts run and no script injected into it.
        nonce = secrets.token_urlsafe(18)
        return HTMLResponse(
            graphiql_page(nonce),
            headers={"Content-Security-Policy": graphiql_csp(nonce), "Cache-Control": "no-store"},
        )

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        meta = request_meta(request)
        if isinstance(request, WebSocket):
            # Signed out until connection_init brings a token (on_ws_connect).
            return WebSocketContext(
                request=request,
                response=response,
                actor=Actor(request=meta),
                production=self.production,
            )
        actor = await resolve_actor(bearer_token(request.headers.get("authorization")), meta)
        return Context(request=request, response=response, actor=actor, production=self.production)

    async def on_ws_connect(self, context: Context) -> UnsetType:  # type: ignore[override]
        assert isinstance(context, WebSocketContext)
        token = bearer_token(authorization_param(context.connection_params))
        meta = context.actor.request

        async def reread_actor() -> Actor:
            return await resolve_actor(token, meta)

        context.actor = await reread_actor()
        context.reread_actor = reread_actor
        return UNSET

"""The /graphql endpoint: strawberry's ASGI view with examdesk's request context.

It is over 400 lines: strawberry's view is one class, and every hook examdesk overrides (the HTTP
rules, uploads, trusted documents, the WebSocket's sign-in) is a method of it; the rules live in
examdesk/graphql_http.py, media_types.py and trusted_documents.py.

Files come in GraphQL multipart requests (the bulk CSV uploads). A browser lets any site post a
multipart form cross-site without asking first, so such a request is refused unless it carries
what a form cannot: an `Authorization` header (our bearer token) and a custom header,
`X-Examdesk-Upload` or one that client libraries send for the same purpose
(`Apollo-Require-Preflight`, `X-Apollo-Operation-Name`), with any non-empty value. Both force a
CORS preflight, which only the origins in EXAMDESK_CORS_ORIGINS pass.

A request that is not a well-formed GraphQL-over-HTTP request gets a 4xx JSON error with a
stable extensions.code (the spec's status codes: 400 for a body that is not a JSON object, 415 for
another content type, 405 for a mutation over GET, 406 for an Accept header that allows neither
JSON type). Answers are application/graphql-response+json when the client asks for it, where a
document that does not parse or validate is a 400; application/json otherwise. When the database
cannot be reached, the answer is 503 SERVICE_UNAVAILABLE rather than a masked internal error, so
that clients and load balancers retry.

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
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, GraphQLRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from examdesk.database import database_reachable
from examdesk.graphiql import graphiql_page
from examdesk.graphql_http import (
    RequestRefused,
    has_several_operations,
    is_request_error,
)
from examdesk.headers import graphiql_csp
from examdesk.media_types import GRAPHQL_RESPONSE, response_media_type
from examdesk.request_log import current_request, operation_name
from examdesk.requests import request_id_var, request_meta
from examdesk.responses import CODES, error_response, unavailable_message
from examdesk.trusted_documents import (
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
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as error:
            response = self._refusal(request, error)
        await response(scope, receive, send)

    @staticmethod
    def _refusal(request: Request, error: HTTPException) -> Response:
        # strawberry answers these in plain text; a client reads every error as JSON.
        if not isinstance(error, RequestRefused):
            error = RequestRefused(
                error.status_code,
                CODES.get(error.status_code, "BAD_REQUEST"),
                error.reason,
                # strawberry's own 405 is for a method other than GET and POST.
                {"Allow": "GET, POST"} if error.status_code == 405 else None,
            )
        return error_response(
            error.status_code,
            error.reason,
            code=error.code,
            headers=error.headers,
            media_type=response_media_type(request.headers.get("accept")) or JSON,
        )

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
        self._require_operation_name(request_data)
        record = current_request()
        if record is not None:
            record.operations.append(
                operation_name(request_data.operation_name, request_data.query)
            )
        try:
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            refused = self._operation_refused(error)
            if refused is None:
                raise
            raise refused from error
        masked = any(
            (e.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR" for e in result.errors or []
        )
        # Probed only when something failed: a working request costs no extra query.
        if masked and not await database_reachable():
            result.errors = _unavailable(result.errors or [], request_id_var.get())
            sub_response.status_code = 503
        self._set_request_error_status(result, sub_response)
        if record is not None:
            record.error_codes.extend(
                str((e.extensions or {}).get("code", "GRAPHQL_ERROR")) for e in result.errors or []
            )
        return result

    @staticmethod
    def _require_operation_name(request_data: GraphQLRequestData) -> None:
        # strawberry would run the first operation; which one was meant is the client's to say.
        query = request_data.query
        if request_data.operation_name is None and query and has_several_operations(query):
            raise RequestRefused(
                400,
                "OPERATION_NAME_REQUIRED",
                "The document holds several operations; say which to run in operationName.",
            )

    @staticmethod
    def _operation_refused(error: HTTPException) -> RequestRefused | None:
        """strawberry's refusals of the operation a request picked, with their own codes."""
        cause = error.__cause__
        if isinstance(cause, InvalidOperationTypeError):
            if cause.operation_type is OperationType.SUBSCRIPTION:
                return RequestRefused(400, "BAD_REQUEST", SUBSCRIPTIONS_OVER_WEBSOCKET)
            # GraphQL-over-HTTP: a mutation over GET is 405 Method Not Allowed.
            return RequestRefused(405, "METHOD_NOT_ALLOWED", error.reason, {"Allow": "POST"})
        if isinstance(cause, CannotGetOperationTypeError):
            if cause.operation_name is None:
                return RequestRefused(400, "BAD_REQUEST", "The document holds no operation.")
            return RequestRefused(400, "UNKNOWN_OPERATION_NAME", error.reason)
        return None

    @staticmethod
    def _set_request_error_status(result: ExecutionResult, sub_response: Response) -> None:
        # application/json answers a well-formed request with 200 whatever its errors, so
        # that old clients read the body; the newer type tells by status.
        if sub_response.media_type == GRAPHQL_RESPONSE and is_request_error(result):
            sub_response.status_code = 400

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if is_request_error(result):
            # Nothing was executed, so there is no data, not even null (GraphQL spec, 7.1.1).
            response.pop("data", None)
        return response

    async def get_sub_response(self, request: Request) -> Response:  # type: ignore[override]
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = sub_response.media_type or JSON
        return response

    def _validate_batch_request(
        self, request_data: list[GraphQLRequestData], protocol: GraphQLRequestProtocol
    ) -> None:
        # Batching would multiply every per-request limit (depth, aliases, tokens).
        raise RequestRefused(
            400,
            "BATCHING_NOT_SUPPORTED",
            "Batching is not enabled: send one operation per request, as a JSON object.",
        )

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
        self._require_acceptable_answer(request)
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type not in {JSON, MULTIPART}:
                raise HTTPException(
                    415,
                    f"Send the request as Content-Type: {JSON} ({MULTIPART} for file uploads).",
                )
        request_data = await super().parse_http_body(request)
        self._require_string_operation_name(request_data)
        return await self.document_by_hash(request, request_data)

    @staticmethod
    def _require_acceptable_answer(request: AsyncHTTPRequestAdapter) -> None:
        # Checked here, after strawberry chose whether to show GraphiQL (an Accept of text/html).
        if response_media_type(request.headers.get("accept")) is None:
            raise HTTPException(
                406, f"Accept {GRAPHQL_RESPONSE} or {JSON}: /graphql answers in one of them."
            )

    @staticmethod
    def _require_string_operation_name(request_data: GraphQLRequestData | list[Any]) -> None:
        # strawberry passes any JSON value on, which graphql-core does not expect.
        name = getattr(request_data, "operation_name", None)
        if not isinstance(name, str | None):
            raise HTTPException(
                400, "The GraphQL operation's `operationName` must be a string or null."
            )

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
            raise RequestRefused(
                400,
                "UPLOAD_HEADERS_REQUIRED",
                "A file upload needs the headers Authorization: Bearer <token> and "
                "X-Examdesk-Upload: 1 (or Apollo-Require-Preflight: true).",
            )
        try:
            return await super().parse_multipart(request)
        except HTTPException as error:
            # A body that is no multipart form, or parts that are not JSON or miss a file.
            raise RequestRefused(400, "INVALID_UPLOAD", error.reason) from error
        except (AttributeError, IndexError, TypeError, ValueError) as error:
            # A `map` that is not an object of lists of paths, or paths that lead nowhere in
            # `operations`: strawberry follows them blindly.
            raise RequestRefused(
                400,
                "INVALID_UPLOAD",
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
        if (record := current_request()) is not None:
            record.user_id = actor.user_id
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

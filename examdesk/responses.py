"""The JSON answer to a request that never reached GraphQL execution: a malformed request, an
outage, a failure outside any resolver. Shaped as a GraphQL response without `data` (the
GraphQL-over-HTTP spec's request error), so a client reads every error the same way."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

# extensions.code for each HTTP status such an answer may carry.
CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    request_id: str | None = None,
    headers: dict[str, str] | None = None,
    media_type: str = "application/json",
) -> JSONResponse:
    """`code` names the refusal more precisely than its status (OPERATION_NAME_REQUIRED rather
    than BAD_REQUEST); `media_type` is the JSON type the client accepts."""
    extensions = {"code": code or CODES[status]}
    if request_id is not None:
        extensions["requestId"] = request_id
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]},
        status_code=status,
        headers=headers,
        media_type=media_type,
    )


def unavailable_message(request_id: str) -> str:
    return (
        "The service is unavailable: its database cannot be reached. Try again in a moment; "
        f"quote request id {request_id} if it lasts."
    )


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such route, a method the route does not take) as JSON."""
    assert isinstance(exc, HTTPException)
    if exc.status_code not in CODES:
        return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
    return error_response(exc.status_code, exc.detail, headers=exc.headers)

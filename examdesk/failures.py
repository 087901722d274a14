"""The last word on a request that failed outside GraphQL's own error handling.

A client that goes away before its request is read is routine (a closed tab, a timeout on a
phone): one INFO line. Anything else unexpected is logged with its traceback and answered with
a JSON error carrying the request id, as inside GraphQL, instead of the server's bare 500 (which
bypassed the middlewares that add the security headers and the X-Request-ID header).
"""

import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examdesk.requests import request_id_var
from examdesk.responses import error_response
from schema.core.extensions.errors import unexpected_message

log = logging.getLogger("examdesk.requests")


class FailureMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        request_id = request_id_var.get()
        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            # Nobody is left to answer.
            log.info(
                "client disconnected before its request was read (request id %s, %s %s)",
                request_id,
                scope["method"],
                scope["path"],
            )
        except Exception:
            if started:
                raise  # too late for another answer; the server logs it and drops the connection
            log.exception(
                "unexpected error (request id %s) in %s %s",
                request_id,
                scope["method"],
                scope["path"],
            )
            await error_response(500, unexpected_message(request_id), request_id=request_id)(
                scope, receive, send
            )

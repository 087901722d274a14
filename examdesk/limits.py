"""A cap on request bodies, so one request cannot make the server parse megabytes of query.

JSON (and anything else) may be 1 MB; a multipart upload (a CSV file for the bulk uploads) has
its own, larger cap, EXAMDESK_MAX_UPLOAD_BYTES (20 MB by default).
"""

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from examdesk.responses import error_response

MAX_BODY_BYTES = 1_000_000
MAX_UPLOAD_BYTES = 20_000_000


class BodyTooLarge(Exception):
    pass


def too_large(limit: int) -> Response:
    return error_response(413, f"The request body is over its limit of {limit:,} bytes.")


class BodySizeLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = MAX_BODY_BYTES,
        max_upload_bytes: int = MAX_UPLOAD_BYTES,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        limit = self.max_upload_bytes if content_type == b"multipart/form-data" else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await too_large(limit)(scope, receive, send)

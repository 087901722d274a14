"""GET /files/{token}: a file behind a short-lived signed link (resolvers/core/downloads.py)."""

from collections.abc import AsyncIterator
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from examdesk.requests import request_meta
from resolvers.core import downloads

CHUNK = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store"}


def _disposition(name: str) -> str:
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def _chunks(content: bytes) -> AsyncIterator[bytes]:
    view = memoryview(content)
    for start in range(0, len(view), CHUNK):
        yield bytes(view[start : start + CHUNK])


async def download_file(request: Request) -> Response:
    if request.method != "GET":
        # Starlette answers HEAD on GET routes; a HEAD must not count as a download.
        return PlainTextResponse("Use GET.", 405, headers={**_NO_STORE, "Allow": "GET"})
    meta = request_meta(request)
    try:
        found = await downloads.open_download(request.path_params["token"], meta)
    except downloads.LinkExpired:
        return PlainTextResponse(
            "This download link has expired. Ask for the file again.", 410, headers=_NO_STORE
        )
    except downloads.LinkRevoked:
        return PlainTextResponse("You no longer have access to this file.", 403, headers=_NO_STORE)
    except downloads.LinkInvalid:
        return PlainTextResponse("Not found.", 404, headers=_NO_STORE)
    file = found.file
    return StreamingResponse(
        _chunks(bytes(file.content)),
        media_type=file.content_type,
        headers={
            **_NO_STORE,
            "Content-Disposition": _disposition(file.name),
            "Content-Length": str(len(file.content)),
            "X-Content-Type-Options": "nosniff",
        },
    )


ROUTES = [Route("/files/{token}", download_file, methods=["GET"])]

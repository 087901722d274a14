"""The app as the tests start it: the factory fixture's type, and the app behind a real uvicorn
for tests that need real sockets."""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import uvicorn
from starlette.applications import Starlette

AppFactory = Callable[..., Awaitable[Starlette]]


@contextlib.asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """The app (its lifespan already running) behind a real uvicorn on a free loopback port,
    logging as `examdesk serve` does (into the root logger); yields its base URL."""
    # Named TCP, asyncio turns Nagle's algorithm off on each connection, as it does for a port
    # uvicorn binds itself; a bare socket() left every answer waiting some 40 ms for an ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_config=None, http="h11"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(30):
            while not server.started:  # noqa: ASYNC110 (uvicorn has no event for this)
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()

"""A graphql-transport-ws client (github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md) over a
real WebSocket, as a browser's graphql-ws client speaks it to /graphql."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

PROTOCOL = "graphql-transport-ws"
# Generous: a job's progress is read every half second, and a slow machine runs the suite.
WAIT_SECONDS = 15


def websocket_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/graphql"


@contextlib.asynccontextmanager
async def opened(
    base_url: str, *, origin: str | None = None, protocol: str = PROTOCOL
) -> AsyncIterator["GraphQLWebSocket"]:
    """A connection to the served app's /graphql; `origin` as a browser page on it sends."""
    async with connect(
        websocket_url(base_url),
        origin=Origin(origin) if origin else None,
        subprotocols=[Subprotocol(protocol)],
        proxy=None,
    ) as connection:
        yield GraphQLWebSocket(connection)


class GraphQLWebSocket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        async with asyncio.timeout(WAIT_SECONDS):
            return json.loads(await self.connection.recv())

    async def init(self, payload: dict[str, Any] | None = None) -> None:
        """connection_init, with the token in `payload`; insists on the connection_ack."""
        await self.send({"type": "connection_init", "payload": payload or {}})
        assert await self.receive() == {"type": "connection_ack"}

    async def subscribe(self, op_id: str, query: str, variables: dict[str, Any]) -> None:
        await self.send(
            {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )

    async def until_done(self, op_id: str) -> list[dict[str, Any]]:
        """This operation's messages, up to and including its `complete` or `error`."""
        messages: list[dict[str, Any]] = []
        while not messages or messages[-1]["type"] not in {"complete", "error"}:
            message = await self.receive()
            assert message.get("id") == op_id, message
            messages.append(message)
        return messages

    async def next_job(self, op_id: str) -> dict[str, Any]:
        """The job in the operation's next `next` message."""
        message = await self.receive()
        assert (message["type"], message["id"]) == ("next", op_id), message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"]["jobProgress"]

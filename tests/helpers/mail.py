"""A real SMTP server on loopback and what it received."""

import asyncio
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """What a real SMTP server on loopback received."""

    messages: list[EmailMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # While set, the server answers every message with this SMTP reply (an outage, say
    # "451 4.3.0 Mail system unavailable") and keeps nothing.
    refusal: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusal is not None:
            return self.refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    async def wait_for(self, address: str, count: int = 1) -> list[EmailMessage]:
        """Wait (up to 10 seconds) until `count` messages to `address` have arrived."""
        try:
            async with asyncio.timeout(10):
                # The SMTP server fills the list from its own thread, so poll it.
                while len(self.to(address)) < count:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(f"no email to {address} within 10s: {self.messages}") from None
        return self.to(address)


class LoopbackController(Controller):
    """aiosmtpd's Controller starts its server by connecting to `port`, so with port 0 (any free
    port) it connects to port 0 and fails; read the port the server really bound first.

    Stopping closes the connections still open, such as a delivery cut off when the app stopped
    first: the server's close() leaves them, and a socket garbage collected unclosed later fails
    whichever test happens to be running then (ResourceWarning is an error in this suite)."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._sessions: list[Any] = []

    def factory(self) -> Any:
        session = super().factory()
        self._sessions.append(session)
        return session

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()

    def stop(self, no_assert: bool = False) -> None:
        closed = threading.Event()

        def close_sessions() -> None:
            for session in self._sessions:
                if session.transport is not None:
                    session.transport.close()
            closed.set()

        if self.loop.is_running():
            # Run in the server's loop, before the stop that super() schedules after it.
            self.loop.call_soon_threadsafe(close_sessions)
            closed.wait(5)
        super().stop(no_assert)

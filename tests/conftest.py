"""Fixtures: the real ASGI app on a real database file (or PostgreSQL), an httpx client,
a GraphQL helper that signs demo users in, a real SMTP server on loopback, and a SQL query
counter."""

import asyncio
import contextlib
import contextvars
import logging
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import asyncpg
import httpx
import pytest
from aiosmtpd.controller import Controller
from starlette.applications import Starlette

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from resolvers import clock

POSTGRES_URL = os.environ.get("EXAMDESK_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


async def _reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture
async def database_url(tmp_path: Any) -> str:
    if POSTGRES_URL:
        await _reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite://{tmp_path / 'examdesk.sqlite3'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        fast_password_hashing=True,
        public_url="http://examdesk.test",
        mail_poll_seconds=0.05,
    )


AppFactory = Callable[..., Awaitable[Starlette]]


@pytest.fixture
async def make_app(settings: Settings) -> AsyncIterator[AppFactory]:
    """Start the app (its lifespan included) with settings overridden as given."""
    async with contextlib.AsyncExitStack() as stack:

        async def make(**overrides: Any) -> Starlette:
            app = create_app(replace(settings, **overrides))
            await stack.enter_async_context(app.router.lifespan_context(app))
            return app

        yield make


@pytest.fixture
async def app(make_app: AppFactory) -> Starlette:
    return await make_app()


@pytest.fixture
async def demo(app: Starlette) -> Starlette:
    await seed_demo()
    return app


class GraphQLClient:
    """Posts GraphQL to the app through httpx, as a browser or script would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def ok(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """Post and insist on no GraphQL errors; return data."""
        body = await self.post(query, variables, token)
        assert not body.get("errors"), body
        return body["data"]

    async def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> str:
        data = await self.ok(
            "mutation($input: SignInInput!) { signIn(input: $input) "
            "{ token stage errors { code message } } }",
            {"input": {"email": email, "password": password}},
        )
        result = data["signIn"]
        assert result["errors"] == [], result
        assert result["stage"] == "FULL", result
        return result["token"]


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


@dataclass
class Mailbox:
    """What a real SMTP server on loopback received."""

    messages: list[EmailMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
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


class _LoopbackController(Controller):
    """aiosmtpd's Controller starts its server by connecting to `port`, so with port 0 (any free
    port) it connects to port 0 and fails; read the port the server really bound first."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = _LoopbackController(box, hostname="127.0.0.1", port=0)
    controller.start()
    box.url = f"smtp://127.0.0.1:{controller.port}"  # type: ignore[attr-defined]
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
async def mail_app(make_app: AppFactory, mailbox: Mailbox) -> Starlette:
    """The app delivering its outbox to the loopback SMTP server."""
    return await make_app(smtp_url=mailbox.url)  # type: ignore[attr-defined]


# Set while counting, and inherited by the tasks started meanwhile (a DataLoader's batch): the
# counter ignores statements from tasks that were already running, such as the mail delivery
# task polling the outbox, which would otherwise add a statement to a request now and then.
_counting: contextvars.ContextVar["QueryCounter | None"] = contextvars.ContextVar(
    "counting", default=None
)


class QueryCounter(logging.Handler):
    """Counts SQL statements sent by the ORM from the counting code (and its tasks)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _counting.get() is not self:
            return
        text = record.getMessage()
        if text.lstrip().split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            self.statements.append(text)


@pytest.fixture
def count_queries() -> Callable[[], contextlib.AbstractContextManager[QueryCounter]]:
    @contextlib.contextmanager
    def counting() -> Iterator[QueryCounter]:
        logger = logging.getLogger("tortoise.db_client")
        counter = QueryCounter()
        previous = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(counter)
        token = _counting.set(counter)
        try:
            yield counter
        finally:
            _counting.reset(token)
            logger.removeHandler(counter)
            logger.setLevel(previous)

    return counting

"""Fixtures: the real ASGI app on a real database file (or PostgreSQL), an httpx client,
a GraphQL helper that signs demo users in, a real SMTP server on loopback, and a SQL query
counter."""

import asyncio
import contextlib
import contextvars
import copy
import json
import logging
import os
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from resolvers.core import clock

POSTGRES_URL = os.environ.get("EXAMDESK_TEST_DATABASE_URL")


# Every test starts on the same day, whatever the calendar says: the demo places its series around
# the day it is created (on this day 2026-JUN is released and 2026-NOV's results come out on
# 2027-01-13), and what the tests and examples expect must not change with the calendar. Time
# still passes from there, and tests move it with clock.advance. A second process a test starts
# must be put on this clock too (tests/test_second_process.py).
TEST_DAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_day() -> Iterator[None]:
    clock.travel_to(TEST_DAY)
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


# A file sent in a multipart request: (file name, content, content type).
UploadFile = tuple[str, bytes, str]
# What job(id) returns to GraphQLClient.wait_for_job unless told otherwise.
JOB = """
query($id: ID!) { job(id: $id) {
  id kind status done total stage percent errorCode errorMessage result finishedAt
  files { name url }
} }"""
JOB_ENDED = ("SUCCEEDED", "FAILED")


def _with_nulls(variables: Mapping[str, Any], paths: Collection[str]) -> dict[str, Any]:
    """A copy of `variables` with null at each dotted path (`input.file`, `input.files.0`),
    where the multipart spec wants the files; missing objects and list items are added."""
    result = copy.deepcopy(dict(variables))
    for path in paths:
        *parents, leaf = path.split(".")
        target: Any = result
        for key, child in zip(parents, [*parents[1:], leaf], strict=True):
            empty: Any = [] if child.isdigit() else {}
            if isinstance(target, list):
                index = int(key)
                target.extend([None] * (index + 1 - len(target)))
                if target[index] is None:
                    target[index] = empty
                target = target[index]
            else:
                target = target.setdefault(key, empty)
        if isinstance(target, list):
            target.extend([None] * (int(leaf) + 1 - len(target)))
            target[int(leaf)] = None
        else:
            target[leaf] = None
    return result


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

    async def upload(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        files: Mapping[str, UploadFile] | None = None,
        token: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """A GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec),
        as a client sends it: `operations` (the variables with null where each file goes), `map`
        (part name to variable path), then one part a file.

        `files` maps a path below `variables` to its file: `{"input.file": (name, bytes,
        content_type)}`, or `input.files.0`, `input.files.1`... for a list. The request carries
        `X-Examdesk-Upload: 1` and, with a token, `Authorization`; `headers` adds to or
        overrides them, and a header given as "" is not sent."""
        files = files or {}
        sent = {"X-Examdesk-Upload": "1"}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        operations = {"query": query, "variables": _with_nulls(variables or {}, files)}
        return await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({str(i): [f"variables.{path}"] for i, path in enumerate(files)}),
            },
            files={str(i): file for i, file in enumerate(files.values())},
            headers={name: value for name, value in sent.items() if value},
        )

    async def upload_ok(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        files: Mapping[str, UploadFile] | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """Upload, insisting on a 200 and no GraphQL errors; return data."""
        response = await self.upload(query, variables, files, token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]

    async def wait_for_job(
        self,
        job_id: str,
        token: str,
        *,
        timeout: float = 60,  # noqa: ASYNC109 (the tests' own limit, one for each kind of job)
        query: str = JOB,
        until: Collection[str] = JOB_ENDED,
    ) -> dict[str, Any]:
        """Poll job(id) as a client would until its status is one of `until` (by default until it
        SUCCEEDED or FAILED), for `timeout` seconds at most; the job as `query` selects it."""
        job: dict[str, Any] = {}
        try:
            async with asyncio.timeout(timeout):
                # A client polls job(id): so do the tests, through the API.
                while True:
                    job = (await self.ok(query, {"id": job_id}, token))["job"]
                    if job["status"] in until:
                        return job
                    await asyncio.sleep(0.02)
        except TimeoutError:
            raise AssertionError(
                f"job {job_id} not {'/'.join(until)} within {timeout}s: {job}"
            ) from None


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


@contextlib.asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """The app (its lifespan already running) behind a real uvicorn on a free loopback port,
    logging as `examdesk serve` does (into the root logger); yields its base URL."""
    sock = socket.socket()
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


class _LoopbackController(Controller):
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


@pytest.fixture
async def mail_client(mail_app: Starlette) -> AsyncIterator[GraphQLClient]:
    """A client of the app that delivers to the loopback SMTP server, with the demo data.

    The `gql` fixture is bound to the plain `app`, so using it beside this one would start a
    second app (and a second, log-only mail delivery racing this one for the outbox).
    """
    await seed_demo()
    transport = httpx.ASGITransport(app=mail_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        yield GraphQLClient(http)


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

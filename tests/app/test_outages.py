"""Nothing is lost when a dependency fails: a database that cannot be reached is a 503
SERVICE_UNAVAILABLE (clients and load balancers retry), not a masked internal error in a 200; a
client that goes away mid-request is one INFO line, not an ERROR with a traceback."""

import asyncio
import contextlib
import logging
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise
from tortoise.exceptions import OperationalError

from examdesk.demo import seed_demo
from resolvers.identity import me
from tests.helpers.app import AppFactory, serving
from tests.helpers.database import POSTGRES_URL, create_schema_directly
from tests.helpers.graphql import GraphQLClient

SIGN_IN = (
    'mutation { signIn(input: {email: "users@aa101.example", password: "x"}) '
    "{ token errors { code } } }"
)
ORGANISATIONS = "{ me { user { email } organisations { code } } }"


@contextlib.contextmanager
def fail_after(seconds: float) -> Iterator[None]:
    """A hang becomes a failure (the limit is no timing claim: a working server takes ms)."""
    try:
        with anyio.fail_after(seconds):
            yield
    except TimeoutError:
        raise AssertionError(f"no answer within {seconds}s: the server hangs") from None


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A port on loopback where nothing listens while the block runs: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
async def outage(make_app: AppFactory, tmp_path: Path) -> AsyncIterator[tuple[Starlette, "Outage"]]:
    if POSTGRES_URL:
        app = await make_app()
    else:
        # The database file lives in a directory that the outage removes.
        (tmp_path / "data").mkdir()
        url = f"sqlite://{tmp_path / 'data' / 'examdesk.sqlite3'}"
        await create_schema_directly(url)
        app = await make_app(database_url=url)
    with closed_port() as port:
        yield app, Outage(tmp_path / "data", port)


class Outage:
    def __init__(self, sqlite_directory: Path, closed_port: int) -> None:
        self.sqlite_directory = sqlite_directory
        self.closed_port = closed_port
        self.port = 0

    async def start(self) -> None:
        """Cut the database off: the open connections close, and new ones cannot be made."""
        client = Tortoise.get_connection("default")
        await client.close()
        # No await from here on: no other task may reconnect before the database is gone.
        if POSTGRES_URL:
            self.port = client.port  # type: ignore[attr-defined]
            client.port = self.closed_port  # type: ignore[attr-defined]
        else:
            shutil.rmtree(self.sqlite_directory)

    def end(self) -> None:
        """The database is back (for SQLite an empty one: the directory is made again)."""
        if POSTGRES_URL:
            Tortoise.get_connection("default").port = self.port  # type: ignore[attr-defined]
        else:
            self.sqlite_directory.mkdir()


async def test_a_database_outage_is_a_503(
    outage: tuple[Starlette, Outage],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, cut = outage
    await seed_demo()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        gql = GraphQLClient(http)
        token = await gql.sign_in("users@aa101.example")
        assert (await http.get("/healthz")).status_code == 200

        # Only an unreachable database is a 503: a failing statement on a working database is
        # a bug, answered as one (200, INTERNAL_SERVER_ERROR, masked).
        async def broken(*args: object, **kwargs: object) -> list:
            raise OperationalError("no such column: organisation.nickname")

        with monkeypatch.context() as patch:
            patch.setattr(me, "organisations_for", broken)
            response = await http.post(
                "/graphql",
                json={"query": ORGANISATIONS},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert response.status_code == 200
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "nickname" not in response.text

        await cut.start()

        # Signed out, the failure comes in execution (signIn reads the users table); signed in,
        # before it (the session is read to know who is asking). Both are 503, and soon: a
        # database that cannot be opened once must not leave the next queries waiting forever.
        with caplog.at_level(logging.INFO), fail_after(60):
            answers = [
                await http.post("/graphql", json={"query": SIGN_IN}),
                await http.post(
                    "/graphql",
                    json={"query": ORGANISATIONS},
                    headers={"Authorization": f"Bearer {token}"},
                ),
                await http.get(
                    "/graphql",
                    params={"query": ORGANISATIONS},
                    headers={"Authorization": f"Bearer {token}"},
                ),
            ]
        for response in answers:
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/json"
            request_id = response.headers["x-request-id"]
            errors = response.json()["errors"]
            assert errors
            for error in errors:
                assert error["extensions"] == {
                    "code": "SERVICE_UNAVAILABLE",
                    "requestId": request_id,
                }
                assert "database cannot be reached" in error["message"]
                assert request_id in error["message"]
            for secret in ("Traceback", "sqlite", "asyncpg", "refused", "unable to open"):
                assert secret not in response.text
        assert (await http.get("/healthz")).status_code == 503

        # Once the database is back, the same server answers again: nothing stayed stuck.
        cut.end()
        with fail_after(60):
            assert (await http.get("/healthz")).status_code == 200
            response = await http.post("/graphql", json={"query": "{ __typename }"})
        assert response.json() == {"data": {"__typename": "Query"}}
    # The outage is in the log, with what the client was not told.
    assert any("unavailable" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info for r in caplog.records if r.levelno >= logging.WARNING)


# --- clients that go away ------------------------------------------------------------------------


def disconnect_records(caplog: pytest.LogCaptureFixture) -> tuple[list, list]:
    info = [
        r for r in caplog.records if r.levelno == logging.INFO and "disconnected" in r.getMessage()
    ]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    return info, errors


async def test_a_client_that_disconnects_is_one_info_line(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    """As an ASGI server reports it: the body stops and `http.disconnect` comes instead."""
    messages = iter(
        [
            {"type": "http.request", "body": b'{"query": "{ __typ', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict:
        return next(messages)

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "server": ("examdesk.test", 80),
        "client": ("127.0.0.1", 50000),
        "headers": [
            (b"host", b"examdesk.test"),
            (b"content-type", b"application/json"),
            (b"content-length", b"200"),
            (b"x-request-id", b"gone-away-0001"),
        ],
    }
    with caplog.at_level(logging.DEBUG):
        await app(scope, receive, send)
    info, errors = disconnect_records(caplog)
    assert errors == []
    [line] = info
    assert "gone-away-0001" in line.getMessage()
    assert "POST /graphql" in line.getMessage()
    assert line.exc_info is None
    assert sent == []  # nobody is left to answer


async def test_a_client_that_hangs_up_on_a_real_server_is_one_info_line(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    """The same through uvicorn: a connection closed halfway through its body."""
    with caplog.at_level(logging.INFO):
        async with serving(app) as url:
            host, port = url.removeprefix("http://").split(":")
            _, writer = await asyncio.open_connection(host, int(port))
            writer.write(
                b"POST /graphql HTTP/1.1\r\nHost: examdesk.test\r\n"
                b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                b'{"query": "{ __typ'
            )
            await writer.drain()
            writer.close()
            await writer.wait_closed()
            async with asyncio.timeout(30):
                # Until the server has said something about it, either way.
                while not any(disconnect_records(caplog)):  # noqa: ASYNC110 (logs are no event)
                    await asyncio.sleep(0.01)
    info, errors = disconnect_records(caplog)
    assert errors == [], [r.getMessage() for r in errors]
    assert len(info) == 1

"""Fixtures: the real ASGI app on a real database file (or PostgreSQL), an httpx client,
a GraphQL helper that signs demo users in, a real SMTP server on loopback, and a SQL query
counter (the helpers themselves are in tests/helpers/)."""

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from examdesk.app import create_app
from examdesk.demo import seed_demo
from examdesk.settings import Settings
from resolvers.core import clock
from tests.helpers.app import AppFactory
from tests.helpers.database import (
    POSTGRES_URL,
    create_schema_directly,
    postgres_with_schema,
    reset_postgres,
    sqlite_folder,
)
from tests.helpers.days import TEST_DAY
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import LoopbackController, Mailbox
from tests.helpers.query_counts import CountQueries, counting

# Every test starts on the same day, whatever the calendar says: the demo places its series around
# the day it is created (on this day 2026-JUN is released and 2026-NOV's results come out on
# 2027-01-13), and what the tests and examples expect must not change with the calendar. Time
# still passes from there, and tests move it with clock.advance. A second process a test starts
# must be put on this clock too (tests/helpers/processes.py).


@pytest.fixture(autouse=True)
def _fixed_day() -> Iterator[None]:
    clock.travel_to(TEST_DAY)
    yield
    clock.reset()


@pytest.fixture
async def empty_database_url(tmp_path: Any) -> AsyncIterator[str]:
    if POSTGRES_URL:
        await reset_postgres(POSTGRES_URL)
        yield POSTGRES_URL
        return
    with sqlite_folder(tmp_path) as folder:
        yield f"sqlite://{folder / 'examdesk.sqlite3'}"


@pytest.fixture
async def database_url(tmp_path: Any) -> AsyncIterator[str]:
    """A database with the current schema (made quickly, as the migrations would make it)."""
    if POSTGRES_URL:
        await postgres_with_schema(POSTGRES_URL)
        yield POSTGRES_URL
        return
    with sqlite_folder(tmp_path) as folder:
        url = f"sqlite://{folder / 'examdesk.sqlite3'}"
        await create_schema_directly(url)
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        fast_password_hashing=True,
        public_url="http://examdesk.test",
        mail_poll_seconds=0.05,
    )


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


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = LoopbackController(box, hostname="127.0.0.1", port=0)
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


@pytest.fixture
def count_queries() -> CountQueries:
    return counting

"""/healthz and /readyz (examdesk/health.py): alive, and ready only while the database answers
and its migrations are this examdesk's."""

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from examdesk.migrator import RECORDER_TABLE


async def test_ready_when_the_database_answers_at_the_migrations_head(
    http: httpx.AsyncClient,
) -> None:
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}
    assert (await http.get("/healthz")).status_code == 200


@pytest.fixture
async def recorded_migrations(app: Starlette) -> AsyncIterator[BaseDBAsyncClient]:
    """The database's connection, its record of migrations put back as it was afterwards (the
    PostgreSQL suite keeps that record from one test to the next: tests/helpers/database.py)."""
    connection = Tortoise.get_connection("default")
    _, rows = await connection.execute_query(f'SELECT * FROM "{RECORDER_TABLE}"')
    yield connection
    await connection.execute_query(f'DELETE FROM "{RECORDER_TABLE}"')
    for row in rows:
        await connection.execute_query(
            f'INSERT INTO "{RECORDER_TABLE}" (id, app, name, applied_at) VALUES ($1, $2, $3, $4)'
            if connection.capabilities.dialect == "postgres"
            else f'INSERT INTO "{RECORDER_TABLE}" (id, app, name, applied_at) VALUES (?, ?, ?, ?)',
            [row["id"], row["app"], row["name"], row["applied_at"]],
        )


async def test_not_ready_when_a_migration_is_missing(
    http: httpx.AsyncClient, recorded_migrations: BaseDBAsyncClient
) -> None:
    await recorded_migrations.execute_query(
        f'DELETE FROM "{RECORDER_TABLE}" WHERE name = (SELECT max(name) FROM "{RECORDER_TABLE}")'
    )
    answer = await http.get("/readyz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "reason": "migrations behind"}
    # Alive all the same: restarting would not help, migrating would.
    assert (await http.get("/healthz")).status_code == 200


async def test_not_ready_when_a_newer_examdesk_migrated_the_database(
    http: httpx.AsyncClient, recorded_migrations: BaseDBAsyncClient
) -> None:
    await recorded_migrations.execute_query(
        f'INSERT INTO "{RECORDER_TABLE}" (app, name, applied_at) '
        "VALUES ('models', '9999_from_the_future', CURRENT_TIMESTAMP)"
    )
    answer = await http.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["reason"] == "migrations ahead"

"""The database the suite runs on: a file per test on SQLite, or the PostgreSQL named by
EXAMDESK_TEST_DATABASE_URL, emptied before each use."""

import os

import asyncpg

POSTGRES_URL = os.environ.get("EXAMDESK_TEST_DATABASE_URL")


async def reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()

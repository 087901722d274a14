"""The database the suite runs on: a file per test on SQLite, or the PostgreSQL named by
EXAMDESK_TEST_DATABASE_URL, emptied before each use; and the quick way to give it the current
schema."""

import os

import asyncpg
from tortoise import Tortoise

from examdesk.database import close_database, open_database
from examdesk.migration_executor import ExamdeskMigrationExecutor
from examdesk.migrator import apps_config

POSTGRES_URL = os.environ.get("EXAMDESK_TEST_DATABASE_URL")


async def reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def create_schema_directly(url: str) -> None:
    """Give the empty database at `url` the current schema in one step, recorded as migrated.

    The app would apply every migration instead, which makes the same schema
    (tests/app/test_migrations.py compares the two) but takes several times longer, and the
    suite makes a database per test. A step the models cannot describe (raw SQL in a migration,
    such as a search index) must be taken here too: that test fails until it is.
    """
    await open_database(url, check_schema=False)
    try:
        await Tortoise.generate_schemas(safe=False)
        executor = ExamdeskMigrationExecutor(Tortoise.get_connection("default"), apps_config())
        await executor.migrate(fake=True)
    finally:
        await close_database()

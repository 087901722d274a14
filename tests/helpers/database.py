"""The database the suite runs on: a file per test on SQLite, or the PostgreSQL named by
EXAMDESK_TEST_DATABASE_URL, emptied before each use; and the quick way to give it the current
schema."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from tortoise import Tortoise

from examdesk.database import close_database, open_database
from examdesk.migration_executor import ExamdeskMigrationExecutor
from examdesk.migrator import RECORDER_TABLE, apps_config
from models.search_index import create_search_indexes

POSTGRES_URL = os.environ.get("EXAMDESK_TEST_DATABASE_URL")

# Where the machine has memory-backed storage, the suite's SQLite files live there: still real
# files under a real SQLite with its WAL, but a commit waits for no disk. Starting an app (its
# tables created one statement and one flush at a time) took 0.31 s on this machine's disk and
# 0.06 s there, and the suite starts an app for nearly every test.
MEMORY_BACKED = Path("/dev/shm")


@contextmanager
def sqlite_folder(fallback: Path) -> Iterator[Path]:
    """A new empty folder for a test's database files, in memory-backed storage if the machine
    has it (removed afterwards, as the storage is the machine's memory), else `fallback`."""
    if not (MEMORY_BACKED.is_dir() and os.access(MEMORY_BACKED, os.W_OK)):
        yield fallback
        return
    folder = Path(tempfile.mkdtemp(prefix="examdesk-test-", dir=MEMORY_BACKED))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
        await create_search_indexes()
    finally:
        await close_database()


# What a PostgreSQL schema is made of, as one digest: its columns, indexes and triggers.
SCHEMA_DIGEST = """
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
    SELECT table_name || '.' || column_name || ' ' || data_type AS item
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
) AS items
"""

# The digest of the schema last made at each PostgreSQL database in this process.
_made_schemas: dict[str, str] = {}


async def postgres_with_schema(url: str) -> None:
    """Give the PostgreSQL database at `url` the current schema and no rows.

    Dropping and making some forty tables for each test was most of the suite's time on
    PostgreSQL; emptying them takes milliseconds. They are only emptied while the schema is
    exactly the one made last (a test may have changed it or dropped it); else it is made anew.
    """
    connection = await asyncpg.connect(url)
    try:
        known = _made_schemas.get(url)
        if known is not None and await connection.fetchval(SCHEMA_DIGEST) == known:
            tables = await connection.fetch(
                "SELECT quote_ident(tablename) AS name FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> $1",
                RECORDER_TABLE,
            )
            names = ", ".join(table["name"] for table in tables)
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    await create_schema_directly(url)
    connection = await asyncpg.connect(url)
    try:
        _made_schemas[url] = await connection.fetchval(SCHEMA_DIGEST)
    finally:
        await connection.close()

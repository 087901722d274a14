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
from examdesk.migrator import apps_config

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
    finally:
        await close_database()

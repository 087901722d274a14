"""One process at a time checks and changes a database's schema.

Processes started together on an empty database (`serve` beside a `worker`, several app
processes, a deployment starting its replicas) would otherwise each apply the first migration:
one wins and the others fail, on tables that now exist (PostgreSQL) or on a locked database
(SQLite). Each waits here for the one before it, then finds the schema made.

- PostgreSQL: a session advisory lock, held on a connection of its own for the while.
- SQLite: an exclusive flock on a file beside the database, `<database>.schema-lock`. Not on
  the database file itself: closing any descriptor of that file would drop the POSIX locks
  SQLite holds on it in this process (SQLite's documentation warns of exactly this).
"""

import asyncio
import contextlib
import fcntl
import os
from collections.abc import AsyncIterator

import asyncpg
from tortoise.backends.base.config_generator import expand_db_url

# Any 64-bit number no other application on the database uses: "examdesk" in ASCII.
ADVISORY_LOCK_KEY = int.from_bytes(b"examdesk", "big") >> 1


@contextlib.asynccontextmanager
async def schema_lock(database_url: str) -> AsyncIterator[None]:
    """Held while the schema is checked and changed; waits for any other process holding it."""
    config = expand_db_url(database_url)
    credentials = config["credentials"]
    if "sqlite" in config["engine"]:
        async with _file_lock(credentials["file_path"]):
            yield
        return
    connection = await asyncpg.connect(
        host=credentials.get("host"),
        port=credentials.get("port"),
        user=credentials.get("user"),
        password=credentials.get("password"),
        database=credentials.get("database"),
    )
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
        try:
            yield
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", ADVISORY_LOCK_KEY)
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def _file_lock(path: str) -> AsyncIterator[None]:
    if path == ":memory:":
        yield  # nobody else can open it
        return
    descriptor = os.open(f"{path}.schema-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        await asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # which lets the lock go

"""The raw endpoint's database access: the driver examdesk's ORM uses, without the ORM.

SQLite: one aiosqlite connection with tortoise's pragmas (WAL, foreign keys, busy timeout) and,
as tortoise does, one lock taken for every statement and held through a transaction, so that no
other request's statement lands inside it. PostgreSQL: an asyncpg pool of tortoise's default
size (1 to 5). Statements are written with `?` placeholders and numbered for asyncpg.
"""

import asyncio
import contextlib
import json
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import aiosqlite
import asyncpg

Row = dict[str, Any]
_PLACEHOLDER = re.compile(r"\?")


def placeholders(count: int) -> str:
    """`?,?,...` for an IN list of `count` values (never empty: callers check first)."""
    return ",".join("?" * count)


def numbered(sql: str) -> str:
    """The statement with asyncpg's $1, $2... for its `?` (no literal `?` in ours)."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def moment(value: datetime | str | None) -> datetime | None:
    """A stored time as an aware datetime: SQLite holds tortoise's text, asyncpg gives UTC."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Database(Protocol):
    async def rows(self, sql: str, *args: Any) -> list[Row]: ...

    async def row(self, sql: str, *args: Any) -> Row | None: ...

    async def value(self, sql: str, *args: Any) -> Any: ...

    async def insert(self, sql: str, *args: Any) -> int: ...

    def transaction(self) -> contextlib.AbstractAsyncContextManager["Database"]: ...

    def stored(self, value: datetime) -> Any: ...

    def json(self, value: object) -> Any: ...

    async def close(self) -> None: ...


class SqliteDatabase:
    def __init__(
        self, connection: aiosqlite.Connection, lock: asyncio.Lock, in_transaction: bool = False
    ) -> None:
        self.connection = connection
        self.lock = lock
        # The transaction's own statements run under the lock it holds.
        self.in_transaction = in_transaction

    @classmethod
    async def open(cls, path: str, busy_timeout: int) -> "SqliteDatabase":
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection._conn.row_factory = sqlite3.Row  # as tortoise does
        for pragma in ("journal_mode=WAL", "journal_size_limit=16384", "foreign_keys=ON"):
            await connection.execute(f"PRAGMA {pragma}")
        await connection.execute(f"PRAGMA busy_timeout={busy_timeout}")
        return cls(connection, asyncio.Lock())

    @contextlib.asynccontextmanager
    async def _locked(self) -> AsyncIterator[aiosqlite.Connection]:
        if self.in_transaction:
            yield self.connection
            return
        async with self.lock:
            yield self.connection

    async def rows(self, sql: str, *args: Any) -> list[Row]:
        async with self._locked() as connection:
            return [dict(r) for r in await connection.execute_fetchall(sql, args)]

    async def row(self, sql: str, *args: Any) -> Row | None:
        found = await self.rows(sql, *args)
        return found[0] if found else None

    async def value(self, sql: str, *args: Any) -> Any:
        async with self._locked() as connection:
            found = await connection.execute_fetchall(sql, args)
            return next(iter(found[0])) if found else None

    async def insert(self, sql: str, *args: Any) -> int:
        async with self._locked() as connection:
            row_id, *_ = await connection.execute_insert(sql, args)
            return int(row_id)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator["Database"]:
        async with self.lock:
            await self.connection.execute("BEGIN")
            try:
                yield SqliteDatabase(self.connection, self.lock, in_transaction=True)
            except BaseException:
                await self.connection.rollback()
                raise
            await self.connection.commit()

    def stored(self, value: datetime) -> Any:
        return value.isoformat(" ")  # tortoise's adapter

    def json(self, value: object) -> Any:
        return json.dumps(value, separators=(",", ":"))

    async def close(self) -> None:
        await self.connection.close()


class PostgresDatabase:
    def __init__(self, pool: "asyncpg.Pool[Any] | None", connection: Any = None) -> None:
        self.pool = pool
        self.connection = connection

    @classmethod
    async def open(cls, url: str) -> "PostgresDatabase":
        return cls(await asyncpg.create_pool(url, min_size=1, max_size=5))

    @contextlib.asynccontextmanager
    async def _acquired(self) -> AsyncIterator[Any]:
        if self.connection is not None:
            yield self.connection
            return
        assert self.pool is not None
        async with self.pool.acquire() as connection:
            yield connection

    async def rows(self, sql: str, *args: Any) -> list[Row]:
        async with self._acquired() as connection:
            return [dict(r) for r in await connection.fetch(numbered(sql), *args)]

    async def row(self, sql: str, *args: Any) -> Row | None:
        found = await self.rows(sql, *args)
        return found[0] if found else None

    async def value(self, sql: str, *args: Any) -> Any:
        async with self._acquired() as connection:
            return await connection.fetchval(numbered(sql), *args)

    async def insert(self, sql: str, *args: Any) -> int:
        async with self._acquired() as connection:
            return int(await connection.fetchval(numbered(sql) + ' RETURNING "id"', *args))

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator["Database"]:
        async with self._acquired() as connection, connection.transaction():
            yield PostgresDatabase(None, connection)

    def stored(self, value: datetime) -> Any:
        return value

    def json(self, value: object) -> Any:
        return json.dumps(value, separators=(",", ":"))

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()


async def open_database(url: str) -> Database:
    """The database an EXAMDESK_DATABASE_URL names, as examdesk/database.py reads it."""
    if url.startswith("sqlite://"):
        parts = urlsplit(url)
        path = url[len("sqlite://") :].split("?", 1)[0]
        timeout = parse_qs(parts.query).get("busy_timeout", ["5000"])[0]
        return await SqliteDatabase.open(path, int(timeout))
    return await PostgresDatabase.open(url.replace("postgres://", "postgresql://", 1))


def in_list(values: Sequence[Any]) -> str:
    """An IN list's placeholders; tortoise sends no IN for an empty list, nor do we."""
    return f"({placeholders(len(values))})"

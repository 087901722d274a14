"""Tortoise's SQLite backend, with its lock released when the connection cannot be opened.

tortoise-orm 1.1 takes the connection's lock and then opens the connection on first use (after
Tortoise.close_connections, or once an earlier open failed); when the open fails (the file's
directory gone, a full or read-only disk), it raises without releasing the lock, and every query
after that waits for the lock forever: the server hangs instead of reporting the outage, and does
not recover when the file is back. These subclasses release it; otherwise they are tortoise's.
Named as the engine in examdesk/database.py for sqlite:// URLs.
"""

from typing import Any

from tortoise.backends.base.client import ConnectionWrapper, TransactionalDBClient
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections


class _ConnectionWrapper(ConnectionWrapper):
    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection


class _TransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> TransactionalDBClient:
        # Tortoise's own steps, undone if one fails (its __aexit__ runs only after success).
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection


class ExamdeskSqliteClient(SqliteClient):
    def acquire_connection(self) -> ConnectionWrapper:
        return _ConnectionWrapper(self._lock, self)

    def _in_transaction(self) -> SqliteTransactionContext:
        return _TransactionContext(SqliteTransactionWrapper(self), self._lock)


client_class = ExamdeskSqliteClient

"""Tortoise's migration executor, with SQLite's statements cut where SQLite ends them.

tortoise-orm 1.1 runs a migration on SQLite in one transaction, sending its SQL a statement at a
time, and finds the statements by splitting at every ";". A ";" inside a comment (our tables'
descriptions are written into CREATE TABLE as comments) or inside a trigger's body then cuts a
statement in two, and the migration fails with a syntax error. This editor asks SQLite itself
where each statement ends; everything else is tortoise's.
"""

import sqlite3
from collections.abc import Iterator

from tortoise.migrations.executor import MigrationExecutor
from tortoise.migrations.schema_editor import BaseSchemaEditor, SqliteSchemaEditor


def sqlite_statements(script: str) -> Iterator[str]:
    """The statements of `script`, each whole: a ";" in a comment, a string or a trigger's
    body does not end one."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip().rstrip(";").strip():
                yield pending.strip()
            pending = ""
    if pending.strip().rstrip(";").strip():
        yield pending.strip()


class _SqliteSchemaEditor(SqliteSchemaEditor):
    async def _run_sql(self, sql: str) -> None:
        if self.collect_sql or not self.atomic_migration:
            await super()._run_sql(sql)
            return
        for statement in sqlite_statements(sql):
            await self.client.execute_query(statement)


class ExamdeskMigrationExecutor(MigrationExecutor):
    def _schema_editor(self, atomic: bool = True, collect_sql: bool = False) -> BaseSchemaEditor:
        if self.connection.capabilities.dialect == "sqlite":
            return _SqliteSchemaEditor(self.connection, atomic=atomic, collect_sql=collect_sql)
        return super()._schema_editor(atomic=atomic, collect_sql=collect_sql)

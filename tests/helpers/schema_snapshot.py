"""What a database holds besides its rows, read from the database itself (SQLite's catalogue or
PostgreSQL's), so two databases made different ways can be compared: tables and their columns
(type, nullability, default), keys, foreign keys, indexes, comments and triggers. Column order
is left out: a column a migration adds comes last, wherever the model declares it."""

from typing import Any

from tortoise import Tortoise

from examdesk.migrator import RECORDER_TABLE

# SQLite's own tables, and the one in which tortoise records the migrations applied.
_SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
    f"AND name <> '{RECORDER_TABLE}' ORDER BY name"
)

_POSTGRES_QUERIES = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, column_default,
               character_maximum_length, numeric_precision,
               col_description(format('%I', table_name)::regclass, ordinal_position) AS comment
        FROM information_schema.columns WHERE table_schema = current_schema()""",
    "tables": """
        SELECT c.relname AS table_name, obj_description(c.oid, 'pg_class') AS comment
        FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
        AND c.relkind IN ('r', 'v', 'm', 'f', 'p')""",
    "constraints": """
        SELECT c.relname AS table_name, k.conname, k.contype, pg_get_constraintdef(k.oid) AS def
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE c.relnamespace = current_schema()::regnamespace""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema()""",
    "triggers": """
        SELECT event_object_table, trigger_name, event_manipulation, action_statement
        FROM information_schema.triggers WHERE trigger_schema = current_schema()""",
    "sequences": """
        SELECT sequence_name, data_type FROM information_schema.sequences
        WHERE sequence_schema = current_schema()""",
}


async def _rows(query: str) -> list[dict[str, Any]]:
    return await Tortoise.get_connection("default").execute_query_dict(query)


def _without_recorder(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows as sorted tuples, but those about tortoise's record of migrations."""
    return sorted(
        tuple(str(value) for value in row.values())
        for row in rows
        if not any(RECORDER_TABLE in str(value) for value in row.values())
    )


async def _sqlite_table(table: str) -> dict[str, Any]:
    indexes = {}
    for index in await _rows(f'PRAGMA index_list("{table}")'):
        columns = [row["name"] for row in await _rows(f'PRAGMA index_info("{index["name"]}")')]
        indexes[index["name"]] = (index["unique"], index["origin"], index["partial"], columns)
    return {
        "columns": sorted(
            (c["name"], c["type"], c["notnull"], c["dflt_value"], c["pk"])
            for c in await _rows(f'PRAGMA table_info("{table}")')
        ),
        "foreign keys": sorted(
            (k["from"], k["table"], k["to"], k["on_update"], k["on_delete"])
            for k in await _rows(f'PRAGMA foreign_key_list("{table}")')
        ),
        "indexes": indexes,
    }


async def schema_snapshot() -> dict[str, Any]:
    """The schema of the open database (Tortoise's default connection)."""
    if Tortoise.get_connection("default").capabilities.dialect == "sqlite":
        tables = [row["name"] for row in await _rows(_SQLITE_TABLES)]
        others = await _rows(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        )
        return {
            "tables": {table: await _sqlite_table(table) for table in tables},
            "triggers and views": _without_recorder(others),
        }
    return {
        name: _without_recorder(await _rows(query)) for name, query in _POSTGRES_QUERIES.items()
    }

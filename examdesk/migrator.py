"""Bringing a database to the models' schema with tortoise's migrations (models/migrations/):
where a database stands, applying what it lacks (`examdesk migrate`), and recording as migrated
a database that Tortoise.generate_schemas made before examdesk had migrations, when its tables are
the first migration's."""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.executor import MigrationTarget
from tortoise.migrations.schema_generator.state import State
from tortoise.migrations.schema_generator.state_apps import StateApps

from examdesk.migration_executor import ExamdeskMigrationExecutor
from models import MODEL_MODULES

log = logging.getLogger("examdesk.migrator")

APP = "models"
# Where the app's migrations are: beside its models, where tortoise looks for them by default.
MIGRATIONS = "models.migrations"
# The table in which tortoise records the migrations applied.
RECORDER_TABLE = "tortoise_migrations"
# How many missing or unexpected tables (and columns) a refusal names.
NAMED_THINGS = 8


def apps_config() -> dict[str, dict[str, Any]]:
    return {
        APP: {"models": MODEL_MODULES, "default_connection": "default", "migrations": MIGRATIONS}
    }


class Standing(enum.Enum):
    EMPTY = "empty"
    CURRENT = "current"
    BEHIND = "behind"
    # Tables, but no record of migrations: made by an examdesk from before it had them.
    UNRECORDED = "unrecorded"
    # Migrations applied that this examdesk does not have: a newer examdesk migrated it.
    AHEAD = "ahead"


@dataclass(frozen=True)
class SchemaStatus:
    standing: Standing
    pending: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def explain(self) -> str:
        if self.standing is Standing.BEHIND:
            return (
                f"the database needs {len(self.pending)} migration(s) "
                f"({', '.join(self.pending)}): run `examdesk migrate` first"
            )
        if self.standing is Standing.UNRECORDED:
            return (
                "the database was made before examdesk recorded its migrations: run "
                "`examdesk migrate` first (it records the tables as migrated if they are the "
                "first migration's, then applies the others)"
            )
        if self.standing is Standing.AHEAD:
            return (
                f"the database has migrations this examdesk does not know "
                f"({', '.join(self.unknown)}): a newer examdesk migrated it; run that one"
            )
        return f"the database is {self.standing.value}"


class SchemaOutOfDate(Exception):
    """The database needs `examdesk migrate` before the app may use it."""


class MigrationRefused(Exception):
    """`examdesk migrate` cannot bring this database to the current schema."""


def _executor() -> ExamdeskMigrationExecutor:
    return ExamdeskMigrationExecutor(Tortoise.get_connection("default"), apps_config())


async def table_columns() -> dict[str, set[str]]:
    """The database's tables (but tortoise's record of migrations) with their columns."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        query = (
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master AS m "
            "JOIN pragma_table_info(m.name) AS p "
            "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'"
        )
    else:
        query = (
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        )
    _, rows = await connection.execute_query(query)
    tables: dict[str, set[str]] = {}
    for row in rows:
        tables.setdefault(row["table_name"], set()).add(row["column_name"])
    tables.pop(RECORDER_TABLE, None)
    return tables


async def schema_status() -> SchemaStatus:
    executor = _executor()
    steps = await executor.plan()
    applied = executor.loader.applied_migrations
    if unknown := sorted(k.name for k in applied if k not in executor.loader.graph.nodes):
        return SchemaStatus(Standing.AHEAD, unknown=tuple(unknown))
    pending = tuple(step.migration.name for step in steps)
    if not pending:
        return SchemaStatus(Standing.CURRENT)
    if applied:
        return SchemaStatus(Standing.BEHIND, pending=pending)
    if await table_columns():
        return SchemaStatus(Standing.UNRECORDED, pending=pending)
    return SchemaStatus(Standing.EMPTY, pending=pending)


async def ensure_current_schema() -> None:
    """Create every table on an empty database (by applying the migrations), and refuse one
    that needs migrating: that is `examdesk migrate`'s to do, once, before the app starts."""
    status = await schema_status()
    if status.standing is Standing.EMPTY:
        log.info("the database is empty: applying %d migration(s)", len(status.pending))
        await migrate()
    elif status.standing is not Standing.CURRENT:
        raise SchemaOutOfDate(status.explain())


async def migrate(progress: Callable[[str], object] = lambda name: None) -> list[str]:
    """Apply the migrations the database lacks, in one transaction each, and return their
    names; `progress` hears each one's name as it is applied."""
    status = await schema_status()
    if status.standing is Standing.AHEAD:
        raise MigrationRefused(status.explain())
    applied: list[str] = []
    if status.standing is Standing.UNRECORDED:
        applied.append(await _record_first_migration())
        progress(applied[-1])

    def report(event: str, app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)
            progress(name)

    await _executor().migrate(direction="forward", progress=report)
    return applied


async def _record_first_migration() -> str:
    """Record the first migration as applied to tables made without it, if they are its."""
    executor = _executor()
    await executor.loader.build_graph()
    [first] = executor.loader.graph.root_nodes(APP)
    state = State(models={}, apps=StateApps(default_connections={APP: "default"}))
    await executor.loader.graph.nodes[first].apply(state, dry_run=True)
    expected = {model._meta.db_table: model._meta.db_fields for model in state.apps[APP].values()}
    found = await table_columns()
    if found != expected:
        raise MigrationRefused(_mismatch(first.name, expected, found))
    await executor.migrate([MigrationTarget(APP, first.name)], fake=True)
    return f"{first.name} (recorded: the tables were already there)"


def _named(names: list[str]) -> str:
    more = " and more" if len(names) > NAMED_THINGS else ""
    return ", ".join(names[:NAMED_THINGS]) + more


def _mismatch(first: str, expected: dict[str, set[str]], found: dict[str, set[str]]) -> str:
    differences = []
    for words, ours, theirs in (("lacks", expected, found), ("also has", found, expected)):
        tables = sorted(ours.keys() - theirs.keys())
        both = ours.keys() & theirs.keys()
        columns = sorted(f"{t}.{c}" for t in both for c in ours[t] - theirs[t])
        if tables:
            differences.append(f"it {words} the table(s) {_named(tables)}")
        if columns:
            differences.append(f"it {words} the column(s) {_named(columns)}")
    return (
        f"the database was made before examdesk had migrations, and its tables are not those of "
        f"the first migration ({first}): {'; '.join(differences)}. An examdesk older than the "
        f"first migration made it, and it cannot be upgraded (README, Migrations)"
    )

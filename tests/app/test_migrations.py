"""The migrations in models/migrations/ make the schema the models describe, on SQLite and on
PostgreSQL (whichever the suite runs on); a database with data takes a new migration and then
serves every example; and a database that needs migrating is refused until `examdesk migrate`
has run, which records a database made before migrations existed, when its tables are the first
migration's, and refuses one made by an older examdesk.

These tests make their database themselves, starting from an empty one (`database_url` is
overridden below); the rest of the suite is given the schema directly (tests/helpers/database.py).
"""

import asyncio
import os
import shutil
import sys
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise
from tortoise.migrations.executor import MigrationTarget

import models.migrations
from examdesk.database import close_database, open_database
from examdesk.demo import seed_demo
from examdesk.migration_executor import ExamdeskMigrationExecutor
from examdesk.migration_files import model_changes
from examdesk.migrator import (
    RECORDER_TABLE,
    SchemaOutOfDate,
    Standing,
    apps_config,
    ensure_current_schema,
    migrate,
    schema_status,
    table_columns,
)
from tests.helpers.cli import run_cli
from tests.helpers.database import POSTGRES_URL, create_schema_directly, reset_postgres
from tests.helpers.graphql import GraphQLClient
from tests.helpers.graphql_examples import example_paths, load, run_example
from tests.helpers.schema_snapshot import schema_snapshot

REPOSITORY_MIGRATIONS = sorted(
    path.stem for path in Path(models.migrations.__file__).parent.glob("[0-9]*.py")
)

# A later migration, as `examdesk makemigrations` and a hand would write it: a column, filled
# from the rows already there. The models do not know the column, as a running app of the
# release before it would not.
LATER_MIGRATION = """
from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "{newest}")]

    operations = [
        ops.AddField("Candidate", "called", fields.CharField(max_length=100, null=True)),
        ops.RunSQL(
            "UPDATE candidate SET called = first_name",
            reverse_sql="UPDATE candidate SET called = NULL",
        ),
    ]
"""
LATER = "9001_candidate_called"


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    return empty_database_url


@pytest.fixture
def later_migrations(app: Starlette, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repository's migrations and one more after them, as the migrations examdesk uses
    from now on (the app already started with the repository's)."""
    package = tmp_path / "later_migrations"
    shutil.copytree(Path(models.migrations.__file__).parent, package)
    newest = REPOSITORY_MIGRATIONS[-1]
    (package / f"{LATER}.py").write_text(LATER_MIGRATION.format(newest=newest), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("examdesk.migrator.MIGRATIONS", "later_migrations")


async def snapshot_made_by(url: str, make: str) -> dict[str, object]:
    if make == "directly":
        await create_schema_directly(url)
    await open_database(url, check_schema=make == "by migrations")
    try:
        assert (await schema_status()).standing is Standing.CURRENT
        return await schema_snapshot()
    finally:
        await close_database()


async def test_the_migrations_make_the_schema_the_models_describe(
    database_url: str, tmp_path: Path
) -> None:
    by_migrations = await snapshot_made_by(database_url, "by migrations")
    if POSTGRES_URL:
        await reset_postgres(POSTGRES_URL)
    else:
        database_url = f"sqlite://{tmp_path / 'directly.sqlite3'}"
    directly = await snapshot_made_by(database_url, "directly")
    assert by_migrations == directly


async def test_the_migrations_hold_every_change_to_the_models() -> None:
    # Models and migrations compared as tortoise's makemigrations compares them; what each
    # database then makes of the migrations, the test above compares.
    changes = await model_changes()
    assert changes == [], (
        "The models changed since the newest migration: run `examdesk makemigrations --name "
        f"<what changed>` and commit the migration it writes. It would hold: {changes}"
    )


async def test_a_database_with_the_demo_takes_a_later_migration_and_serves_every_example(
    app: Starlette,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    later_migrations: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The app found the database empty and applied the repository's migrations to it.
    await seed_demo()
    status = await schema_status()
    assert (status.standing, status.pending) == (Standing.BEHIND, (LATER,))
    with pytest.raises(SchemaOutOfDate, match="run `examdesk migrate` first"):
        await ensure_current_schema()

    assert await migrate() == [LATER]
    await ensure_current_schema()
    assert "called" in (await table_columns())["candidate"]
    _, rows = await Tortoise.get_connection("default").execute_query(
        "SELECT count(*) AS unnamed FROM candidate WHERE called IS NULL OR called <> first_name"
    )
    assert rows[0]["unnamed"] == 0
    invited: dict[str, str] = {}
    for path in example_paths():
        await run_example(load(path), http, gql, invited)

    # The release before it, started again on this database, does not know the new migration.
    monkeypatch.setattr("examdesk.migrator.MIGRATIONS", "models.migrations")
    with pytest.raises(SchemaOutOfDate, match=rf"\({LATER}\): a newer examdesk migrated it"):
        await ensure_current_schema()


async def make_tables_as_before_migrations(url: str, *changes: str) -> None:
    """The tables as examdesk made them before it had migrations (those of the first migration,
    with no record of it), changed by `changes`."""
    await open_database(url, check_schema=False)
    try:
        connection = Tortoise.get_connection("default")
        first = MigrationTarget("models", REPOSITORY_MIGRATIONS[0])
        await ExamdeskMigrationExecutor(connection, apps_config()).migrate([first])
        await connection.execute_script(f'DROP TABLE "{RECORDER_TABLE}"')
        for change in changes:
            await connection.execute_script(change)
    finally:
        await close_database()


async def test_a_database_made_before_migrations_is_refused_until_migrate_records_it(
    database_url: str,
) -> None:
    await make_tables_as_before_migrations(database_url)
    refused = run_cli(database_url, "serve", "--port", "0")
    assert refused.returncode == 1, refused.stdout
    assert "run `examdesk migrate` first" in refused.stderr
    assert run_cli(database_url, "demo").returncode == 1

    migrated = run_cli(database_url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert f"applied {REPOSITORY_MIGRATIONS[0]} (recorded: the tables were already there)" in (
        migrated.stdout
    )
    assert run_cli(database_url, "demo").returncode == 0
    again = run_cli(database_url, "migrate")
    assert "0 migration(s) applied; the database is up to date." in again.stdout


async def test_a_database_older_than_the_first_migration_is_refused(database_url: str) -> None:
    await make_tables_as_before_migrations(
        database_url,
        "ALTER TABLE entry DROP COLUMN test_session_id",
        'ALTER TABLE "user" DROP COLUMN temporary_password_expires_at',
        "DROP TABLE trusted_document",
    )
    refused = run_cli(database_url, "migrate")
    assert refused.returncode == 1, refused.stdout
    assert (
        "it lacks the table(s) trusted_document; "
        "it lacks the column(s) entry.test_session_id, user.temporary_password_expires_at"
    ) in refused.stderr
    assert "cannot be upgraded" in refused.stderr
    assert run_cli(database_url, "serve", "--port", "0").returncode == 1


async def test_processes_migrating_an_empty_database_at_once_wait_for_each_other(
    database_url: str,
) -> None:
    # Each process waits for the schema lock (examdesk/schema_lock.py); without it, all but
    # one failed here, on tables already made or on a locked database.
    environment = {
        **os.environ,
        "EXAMDESK_DATABASE_URL": database_url,
        "EXAMDESK_FAST_PASSWORD_HASHING": "1",
    }

    async def migrate_in_a_process() -> tuple[int | None, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "examdesk.cli",
            "migrate",
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
        return process.returncode, stdout.decode(), stderr.decode()

    outcomes = await asyncio.gather(*(migrate_in_a_process() for _ in range(3)))
    assert [code for code, _, _ in outcomes] == [0, 0, 0], outcomes
    reports = sorted(stdout.splitlines()[-1] for _, stdout, _ in outcomes)
    applied = f"{len(REPOSITORY_MIGRATIONS)} migration(s) applied; the database is up to date."
    up_to_date = "0 migration(s) applied; the database is up to date."
    assert reports == sorted([applied, up_to_date, up_to_date])

"""`examdesk backup FILE` (examdesk/backup.py): a copy of the SQLite database taken while the
server runs, which opens on its own with the same rows; PostgreSQL is pointed to pg_dump."""

import sqlite3
from pathlib import Path

import pytest

from examdesk.demo import seed_demo
from tests.helpers.app import AppFactory
from tests.helpers.cli import run_cli
from tests.helpers.database import create_schema_directly, sqlite_folder

TABLES = ("organisation", "user", "candidate", "entry", "audit_event", "tortoise_migrations")


def row_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in TABLES
        }
    finally:
        connection.close()


def standalone(path: Path) -> tuple[str, str, bool]:
    """The file's journal mode, its integrity check, and whether a -wal file lies beside it."""
    connection = sqlite3.connect(path)
    try:
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    return journal, integrity, Path(f"{path}-wal").exists()


async def test_a_backup_of_the_running_database_has_the_same_rows(
    make_app: AppFactory, tmp_path: Path
) -> None:
    with sqlite_folder(tmp_path) as folder:
        source = folder / "examdesk.sqlite3"
        url = f"sqlite://{source}"
        await create_schema_directly(url)
        await make_app(database_url=url)  # the server, with its connection open, in WAL mode
        await seed_demo()
        copy = tmp_path / "backup.sqlite3"

        done = run_cli(url, "backup", str(copy))
        assert done.returncode == 0, done.stderr
        assert f"to {copy}" in done.stdout

        counts = row_counts(copy)
        assert counts == row_counts(source)
        assert counts["candidate"] > 0
        assert counts["tortoise_migrations"] > 0
        # A file that stands alone: no write-ahead log to carry beside it.
        assert standalone(copy) == ("delete", "ok", False)

        again = run_cli(url, "backup", str(copy))
        assert again.returncode == 1
        assert "already exists" in again.stderr
        assert row_counts(copy) == counts


def test_no_backup_of_a_missing_database(tmp_path: Path) -> None:
    refused = run_cli(f"sqlite://{tmp_path / 'none.sqlite3'}", "backup", str(tmp_path / "b"))
    assert refused.returncode == 1
    assert "no database file" in refused.stderr
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("url", ["postgres://examdesk@db.invalid:5432/examdesk"])
def test_postgresql_is_pointed_to_pg_dump(url: str, tmp_path: Path) -> None:
    refused = run_cli(url, "backup", str(tmp_path / "backup"))
    assert refused.returncode == 1
    assert "pg_dump" in refused.stderr
    assert not (tmp_path / "backup").exists()

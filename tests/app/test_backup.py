"""`examdesk backup FILE` (examdesk/backup.py): a copy of the SQLite database taken while the
server runs, which opens on its own with the same rows; PostgreSQL is pointed to pg_dump."""

import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.database import sqlite_folder

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


def test_a_backup_of_a_database_in_use_has_the_same_rows(tmp_path: Path) -> None:
    """The database made and filled by `examdesk demo` (a process of its own: this process's
    ORM may be on PostgreSQL), then written to by a connection that stays open, as a running
    server's does: those rows are in the write-ahead log only, which a copy of the file misses."""
    with sqlite_folder(tmp_path) as folder:
        source = folder / "examdesk.sqlite3"
        url = f"sqlite://{source}"
        made = run_cli(url, "demo")
        assert made.returncode == 0, made.stderr
        server = sqlite3.connect(source)
        try:
            server.execute("PRAGMA wal_autocheckpoint=0")
            assert server.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            server.execute(
                "INSERT INTO audit_event (at, action, request_id) "
                "VALUES ('2026-11-23 09:00:00+00:00', 'test.in_the_wal', 'backup-test')"
            )
            server.commit()
            copy = tmp_path / "backup.sqlite3"

            done = run_cli(url, "backup", str(copy))
            assert done.returncode == 0, done.stderr
            assert f"to {copy}" in done.stdout
            counts = row_counts(copy)
            assert counts == row_counts(source)
        finally:
            server.close()
        assert counts["candidate"] > 0
        assert counts["tortoise_migrations"] > 0
        assert in_the_wal(copy) == 1
        # A file that stands alone: no write-ahead log to carry beside it.
        assert standalone(copy) == ("delete", "ok", False)

        again = run_cli(url, "backup", str(copy))
        assert again.returncode == 1
        assert "already exists" in again.stderr
        assert row_counts(copy) == counts


def in_the_wal(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        query = "SELECT count(*) FROM audit_event WHERE action = 'test.in_the_wal'"
        return connection.execute(query).fetchone()[0]
    finally:
        connection.close()


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

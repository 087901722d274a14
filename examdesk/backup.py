"""`examdesk backup FILE`: a consistent copy of the SQLite database, taken while the server runs.

SQLite's online backup API copies the database page by page, a few pages at a time, so the
server's writers wait at most for one step; a write between steps makes the copy start over from
that point, and the copy is always of one moment. The copy is written beside FILE and renamed
into place once it is whole and checked, so FILE is never half a database. PostgreSQL has its own
tool for this (pg_dump); the command says so rather than guess at a connection.
"""

import os
import sqlite3
from pathlib import Path

from tortoise.backends.base.config_generator import expand_db_url

# Pages copied per step, and the pause between steps that lets the server's writers in.
PAGES_PER_STEP = 256
PAUSE_SECONDS = 0.005


class BackupRefused(Exception):
    """The backup cannot be made; the message says why and what to do."""


def sqlite_file(database_url: str) -> Path:
    if not database_url.startswith("sqlite://"):
        raise BackupRefused(
            "`examdesk backup` copies a SQLite database; this one is PostgreSQL: use pg_dump, "
            "e.g. `pg_dump --format=custom --file=examdesk.dump <database URL>` (README, "
            "Running in production)"
        )
    path = Path(expand_db_url(database_url)["credentials"]["file_path"])
    if not path.is_file():
        raise BackupRefused(f"there is no database file at {path}")
    return path


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the database to `target` (which must not exist); the number of pages copied."""
    source_path = sqlite_file(database_url)
    if target.exists():
        raise BackupRefused(f"{target} already exists: give the name of a new file")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        # Read-only: the backup cannot change the database, whatever happens.
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy, pages=PAGES_PER_STEP, sleep=PAUSE_SECONDS)
                [(verdict,)] = copy.execute("PRAGMA quick_check").fetchall()
                if verdict != "ok":
                    raise BackupRefused(f"the copy does not check out ({verdict}); try again")
                [(pages,)] = copy.execute("PRAGMA page_count").fetchall()
                # A file that stands alone: not in WAL mode, so no -wal file to carry with it.
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupRefused(f"the backup failed: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return int(pages)

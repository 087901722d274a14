"""Opening and closing the database, and creating its schema on first start (by applying the
migrations: examdesk/migrator.py)."""

import asyncio
import logging

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

from examdesk.background import BackgroundLoop
from examdesk.migrator import apps_config, ensure_current_schema
from examdesk.schema_lock import schema_lock
from models.search_index import create_search_indexes, find_search_indexes

log = logging.getLogger("examdesk.database")


def tortoise_config(database_url: str) -> dict:
    connection: str | dict = database_url
    if database_url.startswith("sqlite://"):
        url = database_url
        if "busy_timeout" not in url:
            # WAL and foreign keys are the sqlite backend's defaults; waiting on a lock is not.
            url += ("&" if "?" in url else "?") + "busy_timeout=5000"
        # Tortoise's backend, but one that survives a database it cannot open (see there).
        connection = {**expand_db_url(url), "engine": "examdesk.sqlite_engine"}
    return {
        "connections": {"default": connection},
        "apps": apps_config(),
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str, *, check_schema: bool = True) -> None:
    """Connect; unless told not to, create the tables on an empty database and refuse one that
    needs `examdesk migrate` (SchemaOutOfDate)."""
    # The global fallback lets request tasks see the connection the lifespan task opened.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    if not check_schema:
        await find_search_indexes()
        return
    try:
        async with schema_lock(database_url):
            await ensure_current_schema()
            # What the models cannot describe, made when missing (idempotent): the search
            # index's FTS5 table and triggers, or PostgreSQL's trigram index
            # (models/search_index.py).
            await create_search_indexes()
    except BaseException:
        await close_database()
        raise


async def close_database() -> None:
    await Tortoise.close_connections()


# How often SQLite is asked whether its statistics need refreshing; asking costs next to nothing.
STATISTICS_SECONDS = 600.0


async def refresh_statistics() -> None:
    """Keeps SQLite's query planner statistics current, as SQLite advises for a long-lived
    connection: `PRAGMA optimize` runs ANALYZE on the tables queried since the connection opened
    that have none or have grown 25 times since. Without them SQLite guesses that a centre has
    ten candidates and walks all of a centre's rows instead of asking the search index for the
    few it finds. PostgreSQL's autovacuum keeps its own."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        await connection.execute_script("PRAGMA optimize")


# Long enough for a busy database to answer, short enough that a client waiting on a dead one
# is told so before it gives up.
PROBE_SECONDS = 5.0


async def database_reachable() -> bool:
    """Whether the database answers a trivial query now: tells an outage from a bug."""
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            await Tortoise.get_connection("default").execute_query("SELECT 1")
    except Exception:
        log.warning("the database cannot be reached", exc_info=True)
        return False
    return True


def statistics_refresher(poll_seconds: float = STATISTICS_SECONDS) -> BackgroundLoop:
    """refresh_statistics now and then; nothing wakes it early."""
    return BackgroundLoop(
        "examdesk-statistics", refresh_statistics, lambda _wake: lambda: None, poll_seconds
    )

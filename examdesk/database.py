"""Opening and closing the database, and creating its schema on first start."""

from tortoise import Tortoise

from models import MODEL_MODULES


def tortoise_config(database_url: str) -> dict:
    url = database_url
    if url.startswith("sqlite://") and "busy_timeout" not in url:
        # WAL and foreign keys are the sqlite backend's defaults; waiting on a lock is not.
        url += ("&" if "?" in url else "?") + "busy_timeout=5000"
    return {
        "connections": {"default": url},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str, *, create_schema: bool = True) -> None:
    # The global fallback lets request tasks see the connection the lifespan task opened.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    if create_schema:
        await Tortoise.generate_schemas(safe=True)


async def close_database() -> None:
    await Tortoise.close_connections()

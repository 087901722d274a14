"""`examdesk makemigrations`: a migration in models/migrations/ for what changed in the models
since the newest one, found and written by tortoise's own makemigrations, then tidied by ruff
(when installed, as it is for development) to the style the suite holds every module to."""

import importlib.util
import subprocess
import sys
from pathlib import Path

from tortoise.cli.cli import CLIContext, makemigrations
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.writer import migrations_module_path

from examdesk.migrator import APP, MIGRATIONS, apps_config

# The models and their migrations: all that comparing them needs (no database is opened).
MODELS_ONLY = {"connections": {"default": "sqlite://:memory:"}, "apps": apps_config()}


async def model_changes() -> list[str]:
    """What a new migration would do: nothing, when the migrations make the models' schema."""
    async with TortoiseContext() as context:
        await context.init(config=MODELS_ONLY)
        writers = await MigrationAutodetector(context.apps, apps_config()).changes()
    return [operation.describe() for writer in writers for operation in writer.operations]


async def write_migration(name: str | None, *, empty: bool) -> list[Path]:
    """Write the migration the models need (an empty one to fill by hand when `empty`), and
    return its file: none when nothing changed."""
    folder = migrations_module_path(MIGRATIONS)
    before = set(folder.glob("*.py"))
    await makemigrations(
        CLIContext(config=f"{__name__}.MODELS_ONLY", config_file=None), (APP,), empty, name
    )
    return sorted(set(folder.glob("*.py")) - before)


def tidy(paths: list[Path]) -> None:
    """Sort the imports and format the files as the rest of the code, when ruff is installed."""
    if paths and importlib.util.find_spec("ruff"):
        for command in (["check", "--fix-only"], ["format"]):
            subprocess.run(
                [sys.executable, "-m", "ruff", *command, "--quiet", *map(str, paths)], check=False
            )

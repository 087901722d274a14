"""Candidates and users keep `search_text`, the folded text of the columns a search looks in
(models/search.py), which the search index covers (models/search_index.py, made at start-up as
the models cannot describe it). The rows already there get theirs here, computed as the models
compute it, so an upgraded database finds what it found before."""

from tortoise import fields, migrations
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor

from models.search import folded_text

# The columns each table's search looks in, as the models name them (SEARCHED) today.
SEARCHED = {
    "candidate": ("first_name", "last_name", "candidate_number", "uci", "username"),
    "user": ("first_name", "last_name", "email"),
}
BATCH = 1000


def _marks(client: BaseDBAsyncClient, count: int) -> list[str]:
    """The parameter placeholders of the client's dialect."""
    if client.capabilities.dialect == "sqlite":
        return ["?"] * count
    return [f"${number}" for number in range(1, count + 1)]


async def _fill(client: BaseDBAsyncClient, table: str, columns: tuple[str, ...]) -> None:
    listed = ", ".join(f'"{column}"' for column in columns)
    after = _marks(client, 1)[0]
    text, row_id = _marks(client, 2)
    select = (
        f'SELECT "id", {listed} FROM "{table}" WHERE "id" > {after} ORDER BY "id" LIMIT {BATCH}'
    )
    update = f'UPDATE "{table}" SET "search_text" = {text} WHERE "id" = {row_id}'
    last = 0
    while True:
        _, rows = await client.execute_query(select, [last])
        if not rows:
            return
        await client.execute_many(
            update, [[folded_text(*(row[c] or "" for c in columns)), row["id"]] for row in rows]
        )
        last = rows[-1]["id"]


async def fill_search_text(_apps: object, schema_editor: BaseSchemaEditor) -> None:
    for table, columns in SEARCHED.items():
        await _fill(schema_editor.client, table, columns)


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Candidate",
            name="search_text",
            field=fields.TextField(default="", db_default="", unique=False),
        ),
        ops.AddField(
            model_name="User",
            name="search_text",
            field=fields.TextField(default="", db_default="", unique=False),
        ),
        ops.RunPython(fill_search_text),
    ]

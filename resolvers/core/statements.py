"""Statements written out by hand for the reads that nearly every request makes (the actor,
`me`), read back as the models read their columns.

Through the ORM, such a read cost five to seven times what the database took to answer it
(`bench/fixed_cost.py --profile me`): the query is composed anew on every call and each row
becomes a model. Everything else goes through the ORM.
"""

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.fields import Field
from tortoise.models import Model

_PLACEHOLDER = re.compile(r"\?")


def in_list(count: int) -> str:
    """`(?,?,...)` for an IN list of `count` values; callers never ask for an empty one."""
    return "(" + ",".join("?" * count) + ")"


def fields_of(model: type[Model], *names: str) -> dict[str, Field]:
    """The model's fields by column name, to read those columns back as the model does."""
    return {name: model._meta.fields_map[name] for name in names}


@functools.lru_cache(maxsize=256)
def _numbered(sql: str) -> str:
    """asyncpg's $1, $2... for the statement's `?` (none of ours holds a literal `?`)."""
    counter = itertools.count(1)
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


async def read_rows(
    model: type[Model], sql: str, values: Sequence[Any], convert: Mapping[str, Field]
) -> list[dict[str, Any]]:
    """The rows of `sql` (with `?` placeholders) on `model`'s connection, the one of the
    transaction running if any; the columns in `convert` read back as those fields read them
    (times, enums, JSON on either database), the others as the driver gives them."""
    db = model._choose_db()
    if db.capabilities.dialect == "postgres":
        sql = _numbered(sql)
    rows = await db.execute_query_dict(sql, list(values))
    for row in rows:
        for name, field in convert.items():
            if row[name] is not None:
                row[name] = field.to_python_value(row[name])
    return rows

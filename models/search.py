"""Names as a search compares them: without accents and case, so "zoe" finds "Zoë" and "garcia"
finds "José García" on SQLite and PostgreSQL alike. The folded form is stored beside the name
(a column each database can compare with a plain LIKE) and written by the model itself, so no
use case can forget it."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ħ": "h",
        "ŧ": "t",
        "\u0131": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """`text` lower-cased, its accents and marks dropped and its spaces single."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_UNDECOMPOSED).split())


def folded_name(first_name: str, last_name: str) -> str:
    return fold(f"{first_name} {last_name}")


class SearchableName:
    """Mixed into a model with first_name and last_name: keeps `search_name`, their folded form,
    in step on create, on save and in bulk_create (which builds the instances but saves none)."""

    search_name = fields.CharField(max_length=201, default="")
    first_name: str
    last_name: str

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.search_name = folded_name(self.first_name or "", self.last_name or "")

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        self.search_name = folded_name(self.first_name, self.last_name)
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            update_fields = [*update_fields, "search_name"]
        await super().save(
            using_db=using_db,
            update_fields=update_fields,
            force_create=force_create,
            force_update=force_update,
        )

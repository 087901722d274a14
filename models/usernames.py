"""Candidate usernames as a centre tells them apart: "LinkMe_01" and "linkme_01" are one
person. The key (the casefold of the NFC form, so "JOSÉ.GARCÍA" matches "josé.garcía" however
the accent was typed) is stored beside the username and written by the model itself, so a
unique index on it holds under races and no use case can forget it. The username keeps the case
the centre first typed."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient


def username_key(username: str) -> str:
    """What two usernames that name one candidate have in common."""
    return unicodedata.normalize("NFC", username).casefold()


class KeyedUsername:
    """Mixed into a model with a username: keeps `username_key` in step on create, on save and
    in bulk_create (which builds the instances but saves none)."""

    username_key = fields.CharField(max_length=500, default="")
    username: str

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.username_key = username_key(self.username or "")

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        self.username_key = username_key(self.username)
        if update_fields is not None and "username" in set(update_fields):
            update_fields = [*update_fields, "username_key"]
        await super().save(
            using_db=using_db,
            update_fields=update_fields,
            force_create=force_create,
            force_update=force_update,
        )

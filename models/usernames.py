"""Candidate usernames as a centre tells them apart: "LinkMe_01" and "linkme_01" are one
person. The key (the casefold of the NFC form, so "JOSÉ.GARCÍA" matches "josé.garcía" however
the accent was typed) is stored beside the username and written by the model itself, so a
unique index on it holds under races and no use case can forget it. The username keeps the case
the centre first typed."""

import unicodedata
from typing import ClassVar

from tortoise import fields

from models.derived import Derivation, DerivedColumns


def username_key(username: str) -> str:
    """What two usernames that name one candidate have in common."""
    return unicodedata.normalize("NFC", username).casefold()


class KeyedUsername(DerivedColumns):
    """Mixed into a model with a username: `username_key` is its key."""

    # Before the field of the same name, which would otherwise hide the function here.
    DERIVED: ClassVar[dict[str, Derivation]] = {"username_key": (("username",), username_key)}
    username_key = fields.CharField(max_length=500, default="")

"""Global ids in inputs: decoded and checked against the type they must name."""

import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry import relay

from resolvers.core.errors import DomainError, ErrorCode

# Every table's primary key is a 32-bit integer on PostgreSQL (SQLite's are 64-bit): a number
# beyond it names nothing we could have issued, and must not reach the database, which would
# fail on it rather than find nothing.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[1-9][0-9]{0,9}")


def node_id(global_id: relay.GlobalID, type_name: str, *field: str) -> int:
    try:
        if global_id.type_name != type_name:
            raise ValueError(global_id.type_name)
        # Only plain decimal digits: int() would take " 7", "+7", "7_0" and other scripts too.
        if not _DIGITS.fullmatch(global_id.node_id) or int(global_id.node_id) > MAX_ID:
            raise ValueError(global_id.node_id)
        return int(global_id.node_id)
    except ValueError as exc:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, f"That is not the id of a {type_name}.", *field
        ) from exc


def parse_global_id(value: str) -> tuple[str, int] | None:
    """The type name and key a global id names, or None if it names nothing we issue."""
    try:
        global_id = relay.GlobalID.from_id(value)
    except relay.GlobalIDValueError:
        return None
    if not _DIGITS.fullmatch(global_id.node_id) or int(global_id.node_id) > MAX_ID:
        return None
    return global_id.type_name, int(global_id.node_id)


VALUE_ID_DESCRIPTION = "Stable and unique across types, for client caches (not for `node`)."


def value_id(type_name: str, *key: object) -> strawberry.ID:
    """The id of an object that is not a Node (no `node` query reads it), for client caches:
    stable, and unique across types as a global id is."""
    return strawberry.ID(relay.to_base64(type_name, ":".join(str(part) for part in key)))


R = TypeVar("R")


async def with_user_id(global_id: relay.GlobalID, work: Callable[[int], Awaitable[R]]) -> R:
    """`work` on the user the id names; a bad id becomes the payload's error, like the rest."""
    return await work(node_id(global_id, "User", "input", "userId"))

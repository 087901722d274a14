"""Enums defined outside schema/ (models/, policies/, resolvers/), described for the API.

strawberry reads a value's description only from `strawberry.enum_value` inside the enum's own
class; the domain's enums stay plain, so their values are described here, each exactly once: a
value left out, or one that does not exist, stops the server from starting.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry


def described_enum(
    enum: type[Enum], description: str, values: Mapping[Any, str], *, name: str | None = None
) -> Any:
    """`strawberry.enum(enum)` with a description for the type and for every one of its values."""
    wrapped = strawberry.enum(enum, name=name, description=description)
    by_name = {member.name: text for member, text in values.items()}
    members = {member.name for member in enum}
    if by_name.keys() != members:
        raise ValueError(
            f"{name or enum.__name__}: describe exactly its values; missing "
            f"{sorted(members - by_name.keys())}, unknown {sorted(by_name.keys() - members)}"
        )
    for value in wrapped.__strawberry_definition__.values:
        value.description = by_name[value.name]
    return wrapped

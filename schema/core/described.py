"""Descriptions that strawberry has no direct place for, and texts that recur across the API.

strawberry reads a value's description only from `strawberry.enum_value` inside the enum's own
class; the domain's enums (models/, policies/, resolvers/) stay plain, so their values are
described here, each exactly once: a value left out, or one that does not exist, stops the server
from starting.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any

import strawberry

from resolvers.core.downloads import URL_TTL


def described_enum(
    enum: type[Enum], description: str, values: Mapping[Any, str], *, name: str | None = None
) -> Any:
    """`strawberry.enum(enum)` with a description for the type and for every one of its values
    (`values` keyed by member or by member name)."""
    wrapped = strawberry.enum(enum, name=name, description=description)
    by_name = {
        member.name if isinstance(member, Enum) else member: text for member, text in values.items()
    }
    members = {member.name for member in enum}
    if by_name.keys() != members:
        raise ValueError(
            f"{name or enum.__name__}: describe exactly its values; missing "
            f"{sorted(members - by_name.keys())}, unknown {sorted(by_name.keys() - members)}"
        )
    for value in wrapped.__strawberry_definition__.values:
        value.description = by_name[value.name]
    return wrapped


LINK_URL = (
    f"A signed link for you alone: a plain GET downloads the file, for "
    f"{URL_TTL.seconds // 60} minutes. Query again for a fresh link."
)
LINK_EXPIRES_AT = "When the link stops working (ISO 8601, UTC)."
FILE_SIZE = "The file's size in bytes."

# What the codes that name things across the API mean (their lengths are added by input_checks).
CENTRE_CODE = (
    "The centre's number, e.g. AA101 (case and surrounding spaces ignored). A code you may not "
    "act for is refused as FORBIDDEN whether or not it exists; board admins get NOT_FOUND for "
    "an unknown one."
)
SERIES_CODE = "The exam series' code: its year and month, e.g. 2026-JUN (case ignored)."
SYLLABUS_CODE = "The syllabus' code, e.g. 0580."

# Arguments that recur across root fields.
CentreCode = Annotated[str, strawberry.argument(description=CENTRE_CODE)]
SeriesCode = Annotated[str, strawberry.argument(description=SERIES_CODE)]
SeriesFilterArgument = Annotated[
    str | None,
    strawberry.argument(description=f"{SERIES_CODE} Only that series; leave out for every one."),
]

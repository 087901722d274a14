"""Descriptions that strawberry has no direct place for: the values of an enum defined in models/
or resolvers/, and the `errors` of a payload listing the codes its mutation may answer with."""

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry

from resolvers.core.downloads import URL_TTL
from resolvers.core.errors import ErrorCode

E = TypeVar("E", bound=type[Enum])

_INPUT_CODES = "INPUT_TOO_LONG or INVALID_CHARACTERS for a text beyond its limits"


def enum_with_values(
    cls: E, *, description: str, values: Mapping[str, str], name: str | None = None
) -> E:
    """`strawberry.enum(cls)` with a description for each value. Every member must be described,
    so that a value added to the model's enum cannot reach the schema undocumented."""
    missing = {member.name for member in cls} ^ set(values)
    if missing:
        raise ValueError(f"{cls.__name__}: describe exactly its values; check {sorted(missing)}")
    wrapped = strawberry.enum(cls, name=name, description=description)
    for value in wrapped.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]
    return wrapped


def errors_field(*codes: ErrorCode) -> Any:
    """A payload's `errors`: empty when the mutation did what it was asked, else why nothing
    changed, with the codes it may answer with."""
    listed = ", ".join(code.value for code in codes)
    return strawberry.field(
        default_factory=list,
        description="Empty when it succeeded; otherwise why nothing changed, each with a stable "
        f"code: {listed}; {_INPUT_CODES}.",
    )


LINK_URL = (
    f"A signed link for you alone: a plain GET downloads the file, for "
    f"{URL_TTL.seconds // 60} minutes. Query again for a fresh link."
)
LINK_EXPIRES_AT = "When the link stops working (ISO 8601, UTC)."
FILE_SIZE = "The file's size in bytes."

# What the codes that name things across the API mean (their lengths are added by input_checks).
CENTRE_CODE = "The centre's code, e.g. AA101."
SERIES_CODE = "The exam series' code, e.g. 2026-NOV."
SYLLABUS_CODE = "The syllabus's code, e.g. 0580."

# Arguments that recur across root fields.
CentreCodeArgument = Annotated[str, strawberry.argument(description=CENTRE_CODE)]
SeriesFilterArgument = Annotated[
    str | None,
    strawberry.argument(description=f"{SERIES_CODE} Only that series; leave out for every one."),
]

"""Arguments and input fields that recur across the schema, each described once here.

Text limits are not repeated: schema/core/input_checks.py appends each input's own limit from
schema/core/input_rules.py to whatever is written here.
"""

from typing import Annotated, Any

import strawberry

# Every mutation takes one `input`: its problems are answers, not GraphQL errors.
INPUT = strawberry.argument(
    description="What to do. Problems with it come back in the payload's `errors`, with "
    "`field` pointing into this input; nothing is changed then."
)

_ORGANISATION_CODE = (
    "The organisation's code: a centre's or associate's number as the exam board gives it "
    "(e.g. AA101), or the board's own code."
)

OrganisationCode = Annotated[str, strawberry.argument(description=_ORGANISATION_CODE)]


def organisation_code_field() -> Any:
    """An input's `organisationCode`: where the mutation acts."""
    return strawberry.field(description=f"Where to act. {_ORGANISATION_CODE}")


def user_id_field() -> Any:
    """An input's `userId`: the person acted on."""
    return strawberry.field(
        description="The User's id (`User.id`, as `organisationUsers` lists them); the user "
        "must belong to the organisation."
    )

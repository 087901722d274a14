"""Identity as the API shows it: you (`me`), your roles and where you may act."""

import strawberry

from schema.core.enums import Role
from schema.network.types import OrganisationNode
from schema.people.types import UserNode


@strawberry.type(description="The roles you hold at one organisation.")
class Grant:
    organisation: OrganisationNode = strawberry.field(description="Where you hold them.")
    roles: list[Role] = strawberry.field(
        description="Your roles there. EXAMS_OFFICER includes every other centre role, "
        "whether listed or not."
    )


@strawberry.type(description="You: your account, your roles, and where you may act.")
class Me:
    user: UserNode = strawberry.field(description="Your account.")
    grants: list[Grant] = strawberry.field(
        description="Your roles, one entry per organisation you belong to (soft-deleted ones "
        "left out)."
    )
    organisations: list[OrganisationNode] = strawberry.field(
        description='Organisations you may act for ("Change Organisation"): your own and, '
        "for an associate, its associate centres."
    )

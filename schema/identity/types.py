"""Identity as the API shows it: you (`me`), your roles and where you may act."""

import strawberry

from schema.core.enums import Role
from schema.network.types import OrganisationNode
from schema.people.types import UserNode


@strawberry.type(description="The roles you hold at one organisation.")
class Grant:
    organisation: OrganisationNode
    roles: list[Role]


@strawberry.type(description="You: your account, your roles, and where you may act.")
class Me:
    user: UserNode
    grants: list[Grant]
    organisations: list[OrganisationNode] = strawberry.field(
        description='Organisations you may act for ("Change Organisation"): your own and, '
        "for an associate, its associate centres."
    )

"""Identity's root field: `me`."""

import strawberry

from policies import Role as RoleValue
from resolvers.identity import me as me_cases
from schema.core.context import Info
from schema.core.permissions import SignedIn
from schema.identity.types import Grant, Me
from schema.network.dataloaders import OrganisationByIdLoader
from schema.network.types import OrganisationNode
from schema.people.types import UserNode


@strawberry.type
class AccountQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="You, once fully signed in: your account, your roles at each organisation "
        "and the organisations you may act for.",
    )
    async def me(self, info: Info) -> Me:
        view = await me_cases.me(info.context.actor)
        # An associate centre's parent is most often among the organisations just read.
        OrganisationByIdLoader.of(info.context).prime_many({o.id: o for o in view.acting_for})
        account = view.user
        return Me(
            user=UserNode(
                id=account.id,
                email=account.email,
                first_name=account.first_name,
                last_name=account.last_name,
                status=account.status,
                last_login_at=account.last_login_at,
                totp_enabled=account.totp_enabled_at is not None,
            ),
            grants=[
                Grant(organisation=OrganisationNode.of(o), roles=[RoleValue(r) for r in roles])
                for o, roles in view.grants
            ],
            organisations=[OrganisationNode.of(o) for o in view.acting_for],
        )

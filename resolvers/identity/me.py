"""Who the signed-in user is: their account, their roles per organisation, where they may act."""

from dataclasses import dataclass

from models.organisations import Organisation
from models.users import User
from policies import Actor, Authorizer
from resolvers.core.organisation_access import organisations_for


@dataclass(frozen=True)
class MeView:
    user: User
    grants: list[tuple[Organisation, list[str]]]
    acting_for: list[Organisation]


async def me(actor: Actor) -> MeView:
    """The signed-in user, their roles per organisation, and where they may act."""
    Authorizer(actor).require_signed_in()
    user = await User.get(id=actor.user_id)
    acting_for = await organisations_for(actor)
    by_id = {o.id: o for o in acting_for}
    missing = [p.organisation_id for p in actor.placements if p.organisation_id not in by_id]
    if missing:
        by_id.update({o.id: o for o in await Organisation.filter(id__in=missing)})
    grants = [
        (by_id[p.organisation_id], sorted(p.roles)) for p in actor.placements if not p.deleted
    ]
    return MeView(user=user, grants=grants, acting_for=acting_for)

"""Whether someone holds a right now: their memberships as they are at this moment, asked of the
Authorizer. For what outlives a request (file links, jobs), so that access ends when the
membership or role that allowed it ends."""

from collections.abc import Iterable

from models.organisations import Organisation
from models.sessions import SessionStage
from models.users import Membership, User, UserStatus
from policies import Actor, Authorizer, Placement, RequestMeta, Right, Target


async def placements_of(user_id: int) -> tuple[Placement, ...]:
    """Every organisation the user belongs to, with the roles held there, as stored now."""
    memberships = (
        await Membership.filter(user_id=user_id)
        .select_related("organisation")
        .order_by("organisation_id")
    )
    return tuple(
        Placement(
            organisation_id=m.organisation_id,
            kind=m.organisation.kind,
            parent_id=m.organisation.parent_id,
            deleted=m.organisation.deleted_at is not None,
            roles=frozenset(m.roles),
        )
        for m in memberships
    )


async def holder(user_id: int, request: RequestMeta) -> Actor | None:
    """The user as a fully signed-in actor with today's grants, outside any session (a link is
    used without one); None once the account is gone or no longer active."""
    user = await User.get_or_none(id=user_id).only("id", "email", "status")
    if user is None or user.status is not UserStatus.ACTIVE:
        return None
    return Actor(
        request=request,
        user_id=user.id,
        email=user.email,
        stage=SessionStage.FULL,
        placements=await placements_of(user.id),
    )


async def holds(actor: Actor, right: Right) -> bool:
    """Does the actor hold `right` now? A vanished organisation grants nothing."""
    return right in await held(actor, [right])


async def held(actor: Actor, wanted: Iterable[Right]) -> set[Right]:
    """Those of the rights the actor holds now (holds, for many), in one query at most."""
    rights = set(wanted)
    # The actor's placements were read with their organisations for this request: most rights
    # are held where one belongs, and cost no query. Others (the board's, an associate's)
    # need the organisations themselves, all in one query.
    targets = {
        p.organisation_id: Target(
            id=p.organisation_id, kind=p.kind, parent_id=p.parent_id, deleted=p.deleted
        )
        for p in actor.placements
    }
    missing = {r.organisation_id for r in rights if r.organisation_id is not None} - set(targets)
    if missing:
        targets |= {o.id: Target.of(o) for o in await Organisation.filter(id__in=missing)}
    authorizer = Authorizer(actor)
    return {
        right
        for right in rights
        if (right.organisation_id is None or right.organisation_id in targets)
        and authorizer.allows(
            right.obj,
            right.act,
            None if right.organisation_id is None else targets[right.organisation_id],
        )
    }

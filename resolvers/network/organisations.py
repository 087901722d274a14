"""Organisations: finding them, and which ones an actor may act for."""

from dataclasses import dataclass

from tortoise.expressions import Q

from models.organisations import Organisation, OrganisationKind
from models.users import User
from policies import Actor, Authorizer
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page


async def get_organisation(actor: Actor, code: str) -> Organisation | None:
    try:
        return await require_organisation(actor, code, "organisation", "read")
    except DomainError:
        return None


async def list_organisations(
    actor: Actor,
    *,
    search: str | None = None,
    kind: OrganisationKind | None = None,
    include_deleted: bool = False,
    limit: int = 15,
    offset: int = 0,
) -> Page[Organisation]:
    Authorizer(actor).require("organisations", "list")
    check_page(limit, offset)
    query = Organisation.all()
    if not include_deleted:
        query = query.filter(deleted_at=None)
    if kind is not None:
        query = query.filter(kind=kind)
    for term in (search or "").split():
        query = query.filter(Q(code__icontains=term) | Q(name__icontains=term))
    total = await query.count()
    items = await query.order_by("code", "id").offset(offset).limit(limit)
    return Page(items=list(items), total=total, offset=offset)


async def organisations_for(actor: Actor) -> list[Organisation]:
    """Where the actor may act: their own organisations and, for an associate, its centres.

    This is the seed's "Change Organisation" list. Soft-deleted organisations are left out.
    """
    Authorizer(actor).require_signed_in()
    own = [p.organisation_id for p in actor.placements if not p.deleted]
    associates = [
        p.organisation_id
        for p in actor.placements
        if not p.deleted and p.kind is OrganisationKind.ASSOCIATE
    ]
    if not own:
        return []
    return list(
        await Organisation.filter(
            Q(id__in=own) | Q(parent_id__in=associates or [0]), deleted_at=None
        ).order_by("code")
    )


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


async def require_centre(
    actor: Actor, code: str, obj: str, act: str, *field: str, deleted_too: bool = False
) -> Organisation:
    """The centre with this code, if the actor may do `act` on `obj` there.

    A soft-deleted centre is refused unless `deleted_too` (the board's own centre management,
    which restores it).
    """
    organisation = await require_organisation(actor, code, obj, act, *field)
    if organisation.kind is not OrganisationKind.CENTRE:
        raise DomainError.one(
            ErrorCode.NOT_A_CENTRE,
            f"{organisation.name} is not a centre: it has no candidates.",
            *field,
        )
    if organisation.deleted_at is not None and not deleted_too:
        raise DomainError.one(
            ErrorCode.ORGANISATION_DELETED, f"{organisation.name} is deleted.", *field
        )
    return organisation

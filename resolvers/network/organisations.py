"""Organisations: listing and finding them, and finding a centre."""

from tortoise.expressions import Q

from models.organisations import Organisation, OrganisationKind
from policies import Actor, Authorizer, Target
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page


async def get_organisation(actor: Actor, code: str) -> Organisation | None:
    try:
        return await require_organisation(actor, code, "organisation", "read")
    except DomainError:
        return None


async def organisations_by_ids(actor: Actor, ids: list[int]) -> dict[int, Organisation]:
    """Those of the organisations get_organisation would answer with, in one query."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    return {
        organisation.id: organisation
        for organisation in await Organisation.filter(id__in=ids)
        if authorizer.allows("organisation", "read", Target.of(organisation))
    }


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

"""The organisation a use case acts at, found by its code and checked with the Authorizer, and
the organisations an actor may act for.

Every domain asks this first (people at an organisation, its centres, its exams), so it sits
below them all: the people and network packages both use it without importing each other.
"""

from tortoise.expressions import Q

from models.organisations import Organisation, OrganisationKind
from policies import ELSEWHERE, Actor, Authorizer, Target
from resolvers.core.errors import DomainError, ErrorCode


async def require_organisation(
    actor: Actor, code: str, obj: str, act: str, *field: str
) -> Organisation:
    """The organisation with this code, if the actor may do `act` on `obj` there.

    Only those who may list organisations learn that a code does not exist; everyone else gets
    the same refusal for a missing organisation as for somebody else's.
    """
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    organisation = await Organisation.get_or_none(code=code.strip().upper())
    if organisation is None:
        if authorizer.allows("organisations", "list"):
            raise DomainError.one(
                ErrorCode.NOT_FOUND, f"No organisation has the code {code!r}.", *field
            )
        raise authorizer.refusal(obj, act, ELSEWHERE)
    authorizer.require(obj, act, Target.of(organisation))
    return organisation


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

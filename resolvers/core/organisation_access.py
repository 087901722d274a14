"""The organisation a use case acts at, found by its code and checked with the Authorizer, and
the organisations an actor may act for.

Every domain asks this first (people at an organisation, its centres, its exams), so it sits
below them all: the people and network packages both use it without importing each other.
"""

from dataclasses import dataclass
from datetime import datetime

from models.organisations import Organisation, OrganisationKind
from policies import ELSEWHERE, Actor, Authorizer, Target
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.statements import fields_of, in_list, read_rows


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


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    """An organisation as read for a list of a few: its columns, no model built."""

    id: int
    kind: OrganisationKind
    code: str
    name: str
    address: str
    city: str
    country: str
    deleted_at: datetime | None
    parent_id: int | None


_ORGANISATION_COLUMNS = "id, kind, code, name, address, city, country, deleted_at, parent_id"
_CONVERT = fields_of(Organisation, "kind", "deleted_at")


async def organisations_for(actor: Actor) -> list[OrganisationRow]:
    """Where the actor may act: their own organisations and, for an associate, its centres.

    This is the seed's "Change Organisation" list. Soft-deleted organisations are left out.
    Written out (resolvers/core/statements.py): `me` asks it on every page a UI shows.
    """
    Authorizer(actor).require_signed_in()
    own = [p.organisation_id for p in actor.placements if not p.deleted]
    associates = [
        p.organisation_id
        for p in actor.placements
        if not p.deleted and p.kind is OrganisationKind.ASSOCIATE
    ] or [0]
    if not own:
        return []
    sql = (
        f"SELECT {_ORGANISATION_COLUMNS} FROM organisation WHERE (id IN {in_list(len(own))} "
        f"OR parent_id IN {in_list(len(associates))}) AND deleted_at IS NULL ORDER BY code"
    )
    rows = await read_rows(Organisation, sql, [*own, *associates], _CONVERT)
    return [OrganisationRow(**row) for row in rows]


async def organisations_by_id(ids: list[int]) -> list[OrganisationRow]:
    """These organisations, deleted or not, in code order; `ids` is never empty."""
    sql = f"SELECT {_ORGANISATION_COLUMNS} FROM organisation WHERE id IN {in_list(len(ids))}"
    rows = await read_rows(Organisation, sql + " ORDER BY code", ids, _CONVERT)
    return [OrganisationRow(**row) for row in rows]

"""The organisation a use case acts at, found by its code and checked with the Authorizer.

Every domain asks this first (people at an organisation, its centres, its exams), so it sits
below them all: the people and network packages both use it without importing each other.
"""

from models.organisations import Organisation
from policies import Actor, Authorizer, Forbidden, Target
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
        raise Forbidden()
    authorizer.require(obj, act, Target.of(organisation))
    return organisation

"""What the viewer may do at an organisation (the `permissions` query): answered by
policies/viewer_can.py at the organisation the code names."""

from models.organisations import Organisation
from policies import Actor, Authorizer, Target
from policies.viewer_can import ORGANISATION_ACTIONS, decide


async def organisation_permissions(actor: Actor, code: str) -> dict[str, bool]:
    """The organisation-level actions the actor may take at `code`. A code that names nothing
    answers as an organisation where the actor holds no rights, so that the answer never says
    whether it exists."""
    Authorizer(actor).require_signed_in()
    organisation = await Organisation.get_or_none(code=code.strip().upper())
    return decide(actor, ORGANISATION_ACTIONS, Target.of(organisation) if organisation else None)

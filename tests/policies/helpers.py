"""Hand-built actors, placements and targets for asking the Authorizer, shared by the policy
truth tables."""

from models.organisations import OrganisationKind
from models.sessions import SessionStage
from policies import (
    Actor,
    Placement,
    RequestMeta,
    Target,
)

BOARD, AS100, AS101, AS102, AA101, BB202 = 1, 2, 3, 4, 5, 6


TARGETS = {
    "EXB": Target(BOARD, OrganisationKind.BOARD, None, False),
    "AS100": Target(AS100, OrganisationKind.ASSOCIATE, None, False),
    "AS101": Target(AS101, OrganisationKind.CENTRE, AS100, False),
    "AS102": Target(AS102, OrganisationKind.CENTRE, AS100, False),
    "AA101": Target(AA101, OrganisationKind.CENTRE, None, False),
    "BB202": Target(BB202, OrganisationKind.CENTRE, None, False),
}

KINDS = {BOARD: OrganisationKind.BOARD, AS100: OrganisationKind.ASSOCIATE}


PARENTS = {AS101: AS100, AS102: AS100}


def placement(organisation_id: int, *roles: str, deleted: bool = False) -> Placement:
    return Placement(
        organisation_id=organisation_id,
        kind=KINDS.get(organisation_id, OrganisationKind.CENTRE),
        parent_id=PARENTS.get(organisation_id),
        deleted=deleted,
        roles=frozenset(roles),
    )


def actor(*placements: Placement, stage: SessionStage | None = SessionStage.FULL) -> Actor:
    return Actor(
        request=RequestMeta(request_id="test"),
        user_id=7,
        email="someone@example.test",
        session_id=1,
        stage=stage,
        placements=placements,
    )


def deleted(target: Target) -> Target:
    return Target(target.id, target.kind, target.parent_id, deleted=True)

"""What each role means, who may grant it, and which services an actor may open."""

from dataclasses import dataclass

from policies import ROLE_CATALOGUE, SERVICE_NAMES, Actor, Authorizer, RoleInfo, Service, Target
from resolvers.core.organisation_access import require_organisation


@dataclass(frozen=True)
class RoleAtOrganisation:
    info: RoleInfo
    grantable: bool


@dataclass(frozen=True)
class ServiceAccess:
    service: Service
    name: str
    may_open: bool


async def roles_at(actor: Actor, code: str) -> list[RoleAtOrganisation]:
    organisation = await require_organisation(actor, code, "organisation", "read")
    authorizer = Authorizer(actor)
    target = Target.of(organisation)
    return [
        RoleAtOrganisation(info, authorizer.allows(f"role:{info.role}", "grant", target))
        for info in ROLE_CATALOGUE
        if organisation.kind in info.applies_to
    ]


async def services_at(actor: Actor, code: str) -> list[ServiceAccess]:
    organisation = await require_organisation(actor, code, "organisation", "read")
    authorizer = Authorizer(actor)
    target = Target.of(organisation)
    return [
        ServiceAccess(
            service, SERVICE_NAMES[service], authorizer.allows(f"service:{service}", "open", target)
        )
        for service in Service
    ]

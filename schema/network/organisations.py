"""Organisations: types and root fields."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from models.organisations import Organisation
from resolvers.network import organisations
from resolvers.people import roles
from schema.core.context import Info
from schema.core.enums import OrganisationKind, Role, Service
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.network.dataloaders import OrganisationByIdLoader


@strawberry.type(name="Organisation", description="The exam board, an associate or a centre.")
class OrganisationNode(relay.Node):
    id: relay.NodeID[int]
    kind: OrganisationKind
    code: str = strawberry.field(description="Centre or associate number, e.g. AA101.")
    name: str
    address: str
    city: str
    country: str
    deleted_at: datetime | None
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="Soft-deleted: its users have no access until undone.")
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @strawberry.field(description="The associate of an associate centre.")
    async def parent(self, info: Info) -> "OrganisationNode | None":
        if self.parent_id is None:
            return None
        parent = await OrganisationByIdLoader.of(info.context).load(self.parent_id)
        return OrganisationNode.of(parent) if parent else None

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationNode":
        return cls(
            id=organisation.id,
            kind=organisation.kind,
            code=organisation.code,
            name=organisation.name,
            address=organisation.address,
            city=organisation.city,
            country=organisation.country,
            deleted_at=organisation.deleted_at,
            parent_id=organisation.parent_id,
        )


@strawberry.type(description="A role, what it means, and whether you may grant it here.")
class RoleDescription:
    role: Role
    name: str
    description: str
    grantable: bool = strawberry.field(
        description="Whether you may give this role to users of this organisation."
    )


@strawberry.type(description="A service of the organisation and whether you may open it.")
class ServiceAccess:
    service: Service
    name: str
    may_open: bool


@strawberry.input
class OrganisationFilter:
    search: str | None = strawberry.field(default=None, description="Part of a code or name.")
    kind: OrganisationKind | None = None
    include_deleted: bool = False


@strawberry.type
class OrganisationQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every organisation, by code, searchable by number or name.",
    )
    async def organisations(
        self,
        info: Info,
        filter: OrganisationFilter | None = None,
        first: int = 15,
        after: str | None = None,
    ) -> Connection[OrganisationNode]:
        criteria = filter or OrganisationFilter()
        page = await organisations.list_organisations(
            info.context.actor,
            search=criteria.search,
            kind=criteria.kind,
            include_deleted=criteria.include_deleted,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, OrganisationNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="One organisation you may act for, by its code.",
    )
    async def organisation(
        self, info: Info, code: Annotated[str, strawberry.argument(description="e.g. AA101")]
    ) -> OrganisationNode | None:
        found = await organisations.get_organisation(info.context.actor, code)
        return OrganisationNode.of(found) if found else None

    @strawberry.field(
        permission_classes=[SignedIn],
        description="What do the roles mean? Each role at the organisation, and whether you "
        "may grant it there.",
    )
    async def roles(self, info: Info, organisation_code: str) -> list[RoleDescription]:
        return [
            RoleDescription(
                role=item.info.role,
                name=item.info.name,
                description=item.info.description,
                grantable=item.grantable,
            )
            for item in await roles.roles_at(info.context.actor, organisation_code)
        ]

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The services of the organisation and which of them you may open.",
    )
    async def services(self, info: Info, organisation_code: str) -> list[ServiceAccess]:
        return [
            ServiceAccess(service=item.service, name=item.name, may_open=item.may_open)
            for item in await roles.services_at(info.context.actor, organisation_code)
        ]


__all__ = ["OrganisationNode", "OrganisationQueries", "RoleDescription", "ServiceAccess"]

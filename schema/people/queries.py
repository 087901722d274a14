"""People's root fields: what the roles and services of an organisation are, its users, and the
user upload template."""

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.people import roles, staff_upload, users
from schema.core.arguments import OrganisationCode
from schema.core.context import Info
from schema.core.downloads import FileDownload
from schema.core.ids import node_id
from schema.core.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection,
    paginate,
)
from schema.core.permissions import SignedIn
from schema.network.types import OrganisationNode
from schema.people.enums import UserUploadTemplateFormat
from schema.people.inputs import OrganisationUserFilter
from schema.people.types import OrganisationUser, RoleDescription, ServiceAccess


@strawberry.type
class RoleQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="What do the roles mean? Each role at the organisation, and whether you "
        "may grant it there. Members of the organisation and board admins.",
    )
    async def roles(self, info: Info, organisation_code: OrganisationCode) -> list[RoleDescription]:
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
        description="The services of the organisation and which of them you may open. Members "
        "of the organisation and board admins.",
    )
    async def services(
        self, info: Info, organisation_code: OrganisationCode
    ) -> list[ServiceAccess]:
        return [
            ServiceAccess(service=item.service, name=item.name, may_open=item.may_open)
            for item in await roles.services_at(info.context.actor, organisation_code)
        ]


@strawberry.type
class UserQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="User managers (the exams officer among them) and board admins: the "
        "organisation's users with their roles there, sorted by full name, 15 a page by "
        "default.",
    )
    async def organisation_users(
        self,
        info: Info,
        organisation_code: OrganisationCode,
        filter: Annotated[
            OrganisationUserFilter | None,
            strawberry.argument(description="Only the users matching it; all without it."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[OrganisationUser]:
        (organisation, _), page = await paginate(
            PageArgs(first, after, last, before),
            lambda limit, offset: users.list_users(
                info.context.actor,
                organisation_code,
                search=(filter or OrganisationUserFilter()).search,
                limit=limit,
                offset=offset,
            ),
            lambda answer: answer[1],
            default=15,
        )
        # Every row's organisation is this one: one node for the page, its parent read once.
        place = OrganisationNode.of(organisation)
        await place.fill_parent(info)
        return connection(page, lambda row: OrganisationUser.of_row(row, place))

    @strawberry.field(
        permission_classes=[SignedIn],
        description="User managers and board admins: one user of the organisation, with "
        "their roles there; null when the user does not belong to it.",
    )
    async def organisation_user(
        self,
        info: Info,
        organisation_code: OrganisationCode,
        user_id: Annotated[relay.GlobalID, strawberry.argument(description="The User's id.")],
    ) -> OrganisationUser | None:
        membership = await users.get_member(
            info.context.actor, organisation_code, node_id(user_id, "User", "userId")
        )
        return OrganisationUser.of(membership) if membership else None


@strawberry.type
class StaffAccountQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="User managers: the UserUploadTemplate for uploadUsers, as a download: "
        "the header row and one example row to replace.",
    )
    async def user_upload_template(
        self,
        info: Info,
        format: Annotated[
            UserUploadTemplateFormat,
            strawberry.argument(description="The file type wanted; XLSX by default."),
        ] = staff_upload.TemplateFormat.XLSX,
    ) -> FileDownload:
        link = await staff_upload.user_upload_template(
            info.context.actor, staff_upload.TemplateFormat(format)
        )
        return FileDownload.of(link)

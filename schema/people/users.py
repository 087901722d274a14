"""Users and user management: types, root fields and payloads."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.users import Membership, User
from policies import Role as RoleValue
from resolvers.people import users
from schema.core.context import Info
from schema.core.enums import Role, UserStatus
from schema.core.errors import UserError, payload
from schema.core.ids import node_id, with_user_id
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.network.types import OrganisationNode


@strawberry.type(name="User", description="A person's account.")
class UserNode(relay.Node):
    id: relay.NodeID[int]
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    last_login_at: datetime | None
    totp_enabled: bool

    @strawberry.field
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def of(cls, user: User) -> "UserNode":
        return cls(
            id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            status=user.status,
            last_login_at=user.last_login_at,
            totp_enabled=user.totp_enabled_at is not None,
        )


@strawberry.type(description="A user as seen by one organisation, with the roles held there.")
class OrganisationUser:
    user: UserNode
    organisation: OrganisationNode
    roles: list[Role]

    @strawberry.field(description="Whether this user is the organisation's exams officer.")
    def is_exams_officer(self) -> bool:
        return RoleValue.EXAMS_OFFICER in self.roles

    @classmethod
    def of(cls, membership: Membership) -> "OrganisationUser":
        return cls(
            user=UserNode.of(membership.user),
            organisation=OrganisationNode.of(membership.organisation),
            roles=[RoleValue(role) for role in membership.roles],
        )


@strawberry.input
class OrganisationUserFilter:
    search: str | None = strawberry.field(
        default=None, description="Words that must each appear in the name or email."
    )


@strawberry.type
class UserQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="The organisation's users, sorted by full name, 15 a page by default.",
    )
    async def organisation_users(
        self,
        info: Info,
        organisation_code: str,
        filter: OrganisationUserFilter | None = None,
        first: int = 15,
        after: str | None = None,
    ) -> Connection[OrganisationUser]:
        page = await users.list_users(
            info.context.actor,
            organisation_code,
            search=(filter or OrganisationUserFilter()).search,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, OrganisationUser.of)

    @strawberry.field(
        permission_classes=[SignedIn], description="One user of the organisation, with roles."
    )
    async def organisation_user(
        self, info: Info, organisation_code: str, user_id: relay.GlobalID
    ) -> OrganisationUser | None:
        membership = await users.get_member(
            info.context.actor, organisation_code, node_id(user_id, "User", "userId")
        )
        return OrganisationUser.of(membership) if membership else None


InviteOutcome = strawberry.enum(users.InviteOutcome, description="What inviteUser did.")


@strawberry.input
class InviteUserInput:
    organisation_code: str
    first_name: str
    last_name: str
    email: str
    roles: list[Role]


@strawberry.type
class InviteUserPayload:
    organisation_user: OrganisationUser | None = None
    outcome: InviteOutcome | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RegisterUserInput:
    organisation_code: str
    first_name: str
    last_name: str
    email: str
    roles: list[Role] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateUserRolesInput:
    organisation_code: str
    user_id: relay.GlobalID
    roles: list[Role] = strawberry.field(
        description="The roles the user should hold here; roles you cannot grant are kept."
    )


@strawberry.input
class UpdateUserInput:
    organisation_code: str
    user_id: relay.GlobalID
    first_name: str
    last_name: str


@strawberry.type
class OrganisationUserPayload:
    organisation_user: OrganisationUser | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RemoveUserInput:
    organisation_code: str
    user_id: relay.GlobalID


@strawberry.type
class RemoveUserPayload:
    removed_user_id: relay.GlobalID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DesignateExamsOfficerInput:
    organisation_code: str
    email: str
    first_name: str | None = strawberry.field(
        default=None, description="Needed only when the email has no account yet."
    )
    last_name: str | None = None


@strawberry.type
class DesignateExamsOfficerPayload:
    organisation: OrganisationNode | None = None
    exams_officer: UserNode | None = None
    previous_exams_officers: list[UserNode] = strawberry.field(default_factory=list)
    invited: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


def _invitation_message(invitation: users.Invitation) -> str:
    user = invitation.membership.user
    if invitation.outcome == users.InviteOutcome.INVITED:
        return f"{user.full_name} has been sent an invitation email with a temporary password."
    return (
        f"{user.email} already has an account: the roles were added to it and "
        f"{user.full_name} can use them at once."
    )


@strawberry.type
class UserMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Add a user (seed option 1), or give an existing account roles here "
        "(option 2).",
    )
    async def invite_user(self, info: Info, input: InviteUserInput) -> InviteUserPayload:
        return await payload(
            InviteUserPayload,
            users.invite_user(
                info.context.actor,
                organisation_code=input.organisation_code,
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                roles=[r.value for r in input.roles],
            ),
            lambda r: InviteUserPayload(
                organisation_user=OrganisationUser.of(r.membership),
                outcome=r.outcome,
                message=_invitation_message(r),
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: register an email; the person activates the account.",
    )
    async def register_user(self, info: Info, input: RegisterUserInput) -> OrganisationUserPayload:
        return await payload(
            OrganisationUserPayload,
            users.register_user(
                info.context.actor,
                organisation_code=input.organisation_code,
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                roles=[r.value for r in input.roles],
            ),
            lambda m: OrganisationUserPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(permission_classes=[SignedIn])
    async def update_user_roles(
        self, info: Info, input: UpdateUserRolesInput
    ) -> OrganisationUserPayload:
        return await payload(
            OrganisationUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: users.update_user_roles(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    roles=[r.value for r in input.roles],
                ),
            ),
            lambda m: OrganisationUserPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(permission_classes=[SignedIn], description="Edit a user's names.")
    async def update_user(self, info: Info, input: UpdateUserInput) -> OrganisationUserPayload:
        return await payload(
            OrganisationUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: users.update_user_names(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    first_name=input.first_name,
                    last_name=input.last_name,
                ),
            ),
            lambda m: OrganisationUserPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Remove a user from the organisation; their account stays.",
    )
    async def remove_user(self, info: Info, input: RemoveUserInput) -> RemoveUserPayload:
        return await payload(
            RemoveUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: users.remove_user(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                ),
            ),
            lambda _: RemoveUserPayload(removed_user_id=input.user_id),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: make someone the organisation's exams officer.",
    )
    async def designate_exams_officer(
        self, info: Info, input: DesignateExamsOfficerInput
    ) -> DesignateExamsOfficerPayload:
        return await payload(
            DesignateExamsOfficerPayload,
            users.designate_exams_officer(
                info.context.actor,
                organisation_code=input.organisation_code,
                email=input.email,
                first_name=input.first_name,
                last_name=input.last_name,
            ),
            lambda d: DesignateExamsOfficerPayload(
                organisation=OrganisationNode.of(d.organisation),
                exams_officer=UserNode.of(d.exams_officer),
                previous_exams_officers=[UserNode.of(u) for u in d.previous],
                invited=d.invited,
            ),
        )


__all__ = ["OrganisationUser", "UserMutations", "UserNode", "UserQueries"]

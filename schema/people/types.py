"""People as the API shows them: users, their places at organisations, and the rows of a file of
staff accounts."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.users import Membership, User
from policies import Role as RoleValue
from policies.viewer_can import member_actions
from resolvers.people import staff_upload, users
from schema.core.context import Info
from schema.core.enums import Role, Service, UserStatus
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.core.uploads import CsvRowError
from schema.core.viewer_can import OrganisationUserViewerCan, answers
from schema.network.types import OrganisationNode
from schema.people.dataloaders import HoldingsByUserIdLoader


@strawberry.type(name="User", description="A person's account.")
class UserNode(relay.Node):
    id: relay.NodeID[int]
    email: str = strawberry.field(description="Their email address, lower-cased; unique.")
    first_name: str = strawberry.field(description="Their first (given) name.")
    last_name: str = strawberry.field(description="Their last (family) name.")
    status: UserStatus = strawberry.field(description="Where the account is in its life.")
    last_login_at: datetime | None = strawberry.field(
        description="When they last signed in (ISO 8601, UTC); null if never."
    )
    totp_enabled: bool = strawberry.field(
        description="Whether signing in asks for an authenticator app's code."
    )

    @strawberry.field(description="First and last name, with a space between.")
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
    user: UserNode = strawberry.field(description="The person's account.")
    organisation: OrganisationNode = strawberry.field(description="The organisation.")
    roles: list[Role] = strawberry.field(description="The roles they hold there.")

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("OrganisationUser", self.organisation.id, self.user.id)

    @strawberry.field(description="Whether this user is the organisation's exams officer.")
    def is_exams_officer(self) -> bool:
        return RoleValue.EXAMS_OFFICER in self.roles

    @strawberry.field(
        description="What you may do to this person here. A list asks for all its rows' "
        "organisations in one batch."
    )
    async def viewer_can(self, info: Info) -> OrganisationUserViewerCan:  # type: ignore[valid-type]
        holdings = await HoldingsByUserIdLoader.of(info.context).load(self.user.id)
        actor, target = info.context.actor, self.organisation.target()
        decided = member_actions(actor, self.user.id, holdings, acting_at=target)
        return answers(OrganisationUserViewerCan, decided)

    @classmethod
    def of(cls, membership: Membership) -> "OrganisationUser":
        return cls(
            user=UserNode.of(membership.user),
            organisation=OrganisationNode.of(membership.organisation),
            roles=[RoleValue(role) for role in membership.roles],
        )

    @classmethod
    def of_row(cls, row: users.MemberRow, organisation: OrganisationNode) -> "OrganisationUser":
        """A row of an organisation's users list; `organisation` is shared by the page."""
        return cls(
            user=UserNode(
                id=row.user_id,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                status=row.status,
                last_login_at=row.last_login_at,
                totp_enabled=row.totp_enabled_at is not None,
            ),
            organisation=organisation,
            roles=[RoleValue(role) for role in row.roles],
        )


@strawberry.type(description="One row of a file of users: its account, or what is wrong.")
class UserUploadRow:
    row_number: int = strawberry.field(
        description="As a spreadsheet numbers it: the header is row 1."
    )
    email: str = strawberry.field(description="The row's email address, as read.")
    roles: list[Role] = strawberry.field(
        description="The roles the row's role column means (EO, SLT and INV translated)."
    )
    errors: list[CsvRowError] = strawberry.field(
        description="What is wrong with the row; empty for a good row."
    )

    @classmethod
    def of(cls, row: staff_upload.UserRowReport) -> "UserUploadRow":
        return cls(
            row_number=row.number,
            email=row.email,
            roles=[Role(r) for r in row.roles],
            errors=[CsvRowError.of(p) for p in row.problems],
        )


@strawberry.type(description="A role, what it means, and whether you may grant it here.")
class RoleDescription:
    role: Role = strawberry.field(description="The role's code, as inputs take it.")
    name: str = strawberry.field(description='Its name to show, e.g. "Invigilator (INV)".')
    description: str = strawberry.field(description="What a holder may do, in a sentence.")
    grantable: bool = strawberry.field(
        description="Whether you may give this role to users of this organisation."
    )


@strawberry.type(description="A service of the organisation and whether you may open it.")
class ServiceAccess:
    service: Service = strawberry.field(description="The service's code.")
    name: str = strawberry.field(description='Its name to show, e.g. "Submit for Assessment".')
    may_open: bool = strawberry.field(
        description="Whether your roles here let you open it: show it, or show it locked."
    )

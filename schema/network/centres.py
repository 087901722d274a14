"""The board's "Manage centres": centres' details, soft delete and undo, and centres' users."""

from collections.abc import Awaitable
from datetime import datetime

import strawberry
from strawberry import relay

from models.organisations import Organisation
from policies import Role as RoleValue
from resolvers.network import centres
from schema.core.context import Info
from schema.core.enums import Role, UserStatus
from schema.core.errors import UserError, payload
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.network.organisations import OrganisationNode
from schema.people.users import with_user_id


@strawberry.type(description="A centre's user as the exam board sees them.")
class CentreUser:
    user_id: relay.GlobalID = strawberry.field(description="The User's id, for removeCentreUser.")
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    pin: str | None = strawberry.field(description="The 6-digit PIN given with the account.")
    last_login_at: datetime | None = strawberry.field(description="Last logged in.")
    roles: list[Role] = strawberry.field(description="The roles held at this centre.")

    @strawberry.field
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def of(cls, row: centres.CentreUserRow) -> "CentreUser":
        return cls(
            user_id=relay.GlobalID("User", str(row.user_id)),
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            status=row.status,
            pin=row.pin,
            last_login_at=row.last_login_at,
            roles=[RoleValue(role) for role in row.roles],
        )


@strawberry.type
class CentreQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: a centre's users, by email, with PIN and last sign-in. "
        "Deleted centres too.",
    )
    async def centre_users(
        self, info: Info, code: str, first: int = 15, after: str | None = None
    ) -> Connection[CentreUser]:
        page = await centres.list_centre_users(
            info.context.actor, code, limit=first, offset=offset_after(after)
        )
        return connection(page, CentreUser.of)


@strawberry.input
class CreateCentreInput:
    code: str = strawberry.field(description="The centre number: 2 to 16 letters and digits.")
    name: str
    address: str = ""
    city: str = ""
    country: str = ""
    associate_code: str | None = strawberry.field(
        default=None, description="Makes it an associate centre of this associate."
    )


@strawberry.input(description="What is not given stays as it is.")
class UpdateCentreInput:
    code: str
    name: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None


@strawberry.input
class CentreCodeInput:
    code: str


@strawberry.type
class CentrePayload:
    centre: OrganisationNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AddCentreUserInput:
    code: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    roles: list[Role] = strawberry.field(default_factory=list)


@strawberry.type
class AddCentreUserPayload:
    centre_user: CentreUser | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RemoveCentreUserInput:
    code: str
    user_id: relay.GlobalID


@strawberry.type
class RemoveCentreUserPayload:
    removed_user_id: relay.GlobalID | None = None
    last_membership: bool | None = strawberry.field(
        default=None,
        description="True when this was the person's last organisation: the account stays, "
        "but opens nothing until someone gives it a place.",
    )
    message: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _centre_payload(work: Awaitable[Organisation]) -> Awaitable[CentrePayload]:
    return payload(
        CentrePayload,
        work,
        lambda centre: CentrePayload(centre=OrganisationNode.of(centre)),
    )


def _removal_message(removal: centres.Removal) -> str:
    if removal.last_membership:
        return (
            f"{removal.email} was removed from the centre. It was their last organisation: "
            "the account stays, with no access."
        )
    return f"{removal.email} was removed from the centre; their other organisations stay."


@strawberry.type
class CentreMutations:
    @strawberry.mutation(permission_classes=[SignedIn], description="Board admins: a new centre.")
    async def create_centre(self, info: Info, input: CreateCentreInput) -> CentrePayload:
        return await _centre_payload(
            centres.create_centre(
                info.context.actor,
                code=input.code,
                name=input.name,
                address=input.address,
                city=input.city,
                country=input.country,
                associate_code=input.associate_code,
            )
        )

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Board admins: a centre's name and location."
    )
    async def update_centre(self, info: Info, input: UpdateCentreInput) -> CentrePayload:
        return await _centre_payload(
            centres.update_centre(
                info.context.actor,
                code=input.code,
                name=input.name,
                address=input.address,
                city=input.city,
                country=input.country,
            )
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: soft-delete a centre. Its users lose all access there at "
        "once; undoDeleteCentre restores it.",
    )
    async def delete_centre(self, info: Info, input: CentreCodeInput) -> CentrePayload:
        return await _centre_payload(centres.delete_centre(info.context.actor, code=input.code))

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Board admins: restore a deleted centre."
    )
    async def undo_delete_centre(self, info: Info, input: CentreCodeInput) -> CentrePayload:
        return await _centre_payload(
            centres.undo_delete_centre(info.context.actor, code=input.code)
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: add a user to a centre by email, with a new PIN; the "
        "activation email is sent. The email must not be in use anywhere.",
    )
    async def add_centre_user(self, info: Info, input: AddCentreUserInput) -> AddCentreUserPayload:
        return await payload(
            AddCentreUserPayload,
            centres.add_centre_user(
                info.context.actor,
                code=input.code,
                email=input.email,
                first_name=input.first_name,
                last_name=input.last_name,
                roles=[r.value for r in input.roles],
            ),
            lambda row: AddCentreUserPayload(
                centre_user=CentreUser.of(row),
                message=f"{row.email} has been added and sent an activation email.",
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: take a user out of a centre; the centre and the account stay.",
    )
    async def remove_centre_user(
        self, info: Info, input: RemoveCentreUserInput
    ) -> RemoveCentreUserPayload:
        return await payload(
            RemoveCentreUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: centres.remove_centre_user(
                    info.context.actor,
                    code=input.code,
                    user_id=user_id,
                ),
            ),
            lambda removal: RemoveCentreUserPayload(
                removed_user_id=input.user_id,
                last_membership=removal.last_membership,
                message=_removal_message(removal),
            ),
        )


__all__ = ["CentreMutations", "CentreQueries", "CentreUser"]

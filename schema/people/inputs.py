"""Inputs of people: the users filter, inviting and registering users, their roles, staff
accounts one by one and from a file."""

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from schema.core.enums import Role
from schema.core.uploads import SEND_FILE


@strawberry.input
class OrganisationUserFilter:
    search: str | None = strawberry.field(
        default=None, description="Words that must each appear in the name or email."
    )


@strawberry.input
class InviteUserInput:
    organisation_code: str
    first_name: str
    last_name: str
    email: str
    roles: list[Role]


@strawberry.input
class ResendInvitationInput:
    organisation_code: str
    user_id: relay.GlobalID


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


@strawberry.input
class RemoveUserInput:
    organisation_code: str
    user_id: relay.GlobalID


@strawberry.input
class DesignateExamsOfficerInput:
    organisation_code: str
    email: str
    first_name: str | None = strawberry.field(
        default=None, description="Needed only when the email has no account yet."
    )
    last_name: str | None = None


@strawberry.input
class CreateUserAccountInput:
    organisation_code: str
    first_name: str
    last_name: str
    email: str
    password: str = strawberry.field(
        description="Chosen by you; the user must change it at their first sign-in."
    )
    roles: list[Role]


@strawberry.input
class UpdateUserAccountInput:
    organisation_code: str
    user_id: relay.GlobalID
    first_name: str | None = None
    last_name: str | None = None
    password: str | None = strawberry.field(
        default=None,
        description="A new password: the user must change it at their next sign-in, and "
        "their sessions end.",
    )
    email: str | None = strawberry.field(
        default=None,
        description="The Centre Admin (exams officer) only, and never their own.",
    )


@strawberry.input
class DeleteUserAccountInput:
    organisation_code: str
    user_id: relay.GlobalID
    confirmation: str = strawberry.field(description="Exactly DELETE, in capitals.")


@strawberry.input
class UploadUsersInput:
    organisation_code: str
    file: Upload = strawberry.field(
        description="The UserUploadTemplate (userUploadTemplate), as .xlsx or UTF-8 CSV: "
        "columns first_name, last_name, email, password, role (EO, SLT, INV or role codes, "
        f"several separated by ;); up to 5,000 rows. {SEND_FILE}"
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )

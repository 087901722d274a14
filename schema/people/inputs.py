"""Inputs of people: the users filter, inviting and registering users, their roles, staff
accounts one by one and from a file."""

from typing import Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from resolvers.people import access_review
from schema.core.arguments import organisation_code_field, user_id_field
from schema.core.enums import Role
from schema.core.uploads import SEND_FILE

_FIRST_NAME = "The person's first (given) name."
_LAST_NAME = "The person's last (family) name."
_EMAIL = "The person's email address, where the invitation or login details go; any case."
_ROLES = (
    "Roles to hold at the organisation (at least one). Only those you may grant there: never "
    "EXAMS_OFFICER or GLOBAL_LISTENING (see `roles(organisationCode:)`)."
)


def _field(description: str) -> Any:
    return strawberry.field(description=description)


@strawberry.input(description="Narrows organisationUsers; every field left out narrows nothing.")
class OrganisationUserFilter:
    search: str | None = strawberry.field(
        default=None, description="Words that must each appear in the name or email."
    )


@strawberry.input(description="Who to invite where, and with which roles.")
class InviteUserInput:
    organisation_code: str = organisation_code_field()
    first_name: str = _field(_FIRST_NAME)
    last_name: str = _field(_LAST_NAME)
    email: str = _field(_EMAIL)
    roles: list[Role] = _field(_ROLES)


@strawberry.input(description="Whose invitation to send again.")
class ResendInvitationInput:
    organisation_code: str = organisation_code_field()
    user_id: relay.GlobalID = user_id_field()


@strawberry.input(description="Board admins: who to register at which organisation.")
class RegisterUserInput:
    organisation_code: str = organisation_code_field()
    first_name: str = _field(_FIRST_NAME)
    last_name: str = _field(_LAST_NAME)
    email: str = _field(
        "The person's email address: they activate the account with it (requestAccountActivation)."
    )
    roles: list[Role] = strawberry.field(
        default_factory=list,
        description="Roles to hold there from the start; none by default.",
    )


@strawberry.input(description="The roles a user should hold at the organisation from now on.")
class UpdateUserRolesInput:
    organisation_code: str = organisation_code_field()
    user_id: relay.GlobalID = user_id_field()
    roles: list[Role] = strawberry.field(
        description="The roles the user should hold here; roles you cannot grant are kept."
    )


@strawberry.input(description="A user's new names.")
class UpdateUserInput:
    organisation_code: str = organisation_code_field()
    user_id: relay.GlobalID = user_id_field()
    first_name: str = _field(_FIRST_NAME)
    last_name: str = _field(_LAST_NAME)


@strawberry.input(description="Whose place at the organisation to take away.")
class RemoveUserInput:
    organisation_code: str = organisation_code_field()
    user_id: relay.GlobalID = user_id_field()


@strawberry.input(description="Board admins: who becomes the organisation's exams officer.")
class DesignateExamsOfficerInput:
    organisation_code: str = organisation_code_field()
    email: str = _field(
        "The new exams officer's email address: an existing account, or one to invite."
    )
    first_name: str | None = strawberry.field(
        default=None, description="Needed only when the email has no account yet."
    )
    last_name: str | None = strawberry.field(
        default=None, description="With `firstName`, when the email has no account yet."
    )


@strawberry.input(description="User managers: an account to create, with its first password.")
class CreateUserAccountInput:
    organisation_code: str = organisation_code_field()
    first_name: str = _field(_FIRST_NAME)
    last_name: str = _field(_LAST_NAME)
    email: str = _field(_EMAIL)
    password: str = strawberry.field(
        description="Chosen by you; the user must change it at their first sign-in."
    )
    roles: list[Role] = _field(_ROLES)


@strawberry.input(description="What to change about a user's account; fields left out stay.")
class UpdateUserAccountInput:
    organisation_code: str = organisation_code_field()
    user_id: relay.GlobalID = user_id_field()
    first_name: str | None = strawberry.field(default=None, description=_FIRST_NAME)
    last_name: str | None = strawberry.field(default=None, description=_LAST_NAME)
    password: str | None = strawberry.field(
        default=None,
        description="A new password: the user must change it at their next sign-in, and "
        "their sessions end.",
    )
    email: str | None = strawberry.field(
        default=None,
        description="The Centre Admin (exams officer) only, and never their own.",
    )


@strawberry.input(description="Whose account to delete for good, confirmed by typing DELETE.")
class DeleteUserAccountInput:
    organisation_code: str = organisation_code_field()
    user_id: relay.GlobalID = user_id_field()
    confirmation: str = strawberry.field(description="Exactly DELETE, in capitals.")


@strawberry.input(description="A file of staff accounts to create at the organisation.")
class UploadUsersInput:
    organisation_code: str = organisation_code_field()
    file: Upload = strawberry.field(
        description="The UserUploadTemplate (userUploadTemplate), as .xlsx or UTF-8 CSV: "
        "columns first_name, last_name, email, password, role (EO, SLT, INV or role codes, "
        f"several separated by ;); up to 5,000 rows. {SEND_FILE}"
    )
    dry_run: bool = strawberry.field(
        default=False, description="Check the file and report, writing nothing."
    )


@strawberry.input(
    description="Whose access to review. Board admins: every organisation, or the one named; "
    "an exams officer: their own organisation."
)
class ExportAccessReviewInput:
    organisation_code: str | None = strawberry.field(
        default=None,
        description="Only the people of this organisation (e.g. AA101); an exams officer's "
        "own by default.",
    )
    many_centres: int = strawberry.field(
        default=access_review.DEFAULT_MANY_CENTRES,
        description="Flag people with roles at more live centres than this (1 to "
        f"{access_review.MAX_MANY_CENTRES:,}; counted within the review's organisations).",
    )

"""Payloads of people's mutations."""

from typing import Any

import strawberry
from strawberry import relay

from resolvers.people import staff_upload
from schema.core.errors import ErrorCode, UserError, errors_field
from schema.core.jobs import JobNode
from schema.core.payloads import job_payload
from schema.core.uploads import rows_invalid
from schema.network.types import OrganisationNode
from schema.people.enums import InviteOutcome
from schema.people.types import OrganisationUser, UserNode, UserUploadRow

_PLACE = "The user at the organisation, with the roles they now hold there; null when `errors`."
_USER_ERRORS = (
    ErrorCode.NOT_FOUND,
    ErrorCode.NOT_A_MEMBER,
)


def _place() -> Any:
    return strawberry.field(default=None, description=_PLACE)


@strawberry.type(description="inviteUser's answer: the user's place and what was done.")
class InviteUserPayload:
    organisation_user: OrganisationUser | None = _place()
    outcome: InviteOutcome | None = strawberry.field(
        default=None, description="Which of the three things inviteUser did; null when `errors`."
    )
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = errors_field(
        ErrorCode.NOT_FOUND,
        ErrorCode.ORGANISATION_DELETED,
        ErrorCode.EMAIL_INVALID,
        ErrorCode.NAME_REQUIRED,
        ErrorCode.ROLES_REQUIRED,
        ErrorCode.ROLE_NOT_GRANTABLE,
    )


@strawberry.type(description="resendInvitation's answer.")
class ResendInvitationPayload:
    organisation_user: OrganisationUser | None = strawberry.field(
        default=None, description="The user invited again, with a new temporary password."
    )
    message: str | None = strawberry.field(
        default=None, description="What happened, in words (what to tell the person)."
    )
    errors: list[UserError] = errors_field(
        *_USER_ERRORS, ErrorCode.ACCOUNT_NOT_INVITED, ErrorCode.ORGANISATION_DELETED
    )


@strawberry.type(
    description="The answer of a mutation changing a user at one organisation (registerUser, "
    "updateUserRoles, updateUser): the user as they now are there."
)
class OrganisationUserPayload:
    organisation_user: OrganisationUser | None = _place()
    errors: list[UserError] = errors_field()


@strawberry.type(description="removeUser's answer.")
class RemoveUserPayload:
    removed_user_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The removed User's id: drop them from lists of the organisation; their "
        "account stays. Null when `errors`.",
    )
    errors: list[UserError] = errors_field(
        *_USER_ERRORS, ErrorCode.CANNOT_REMOVE_SELF, ErrorCode.CANNOT_REMOVE_EXAMS_OFFICER
    )


@strawberry.type(description="designateExamsOfficer's answer.")
class DesignateExamsOfficerPayload:
    organisation: OrganisationNode | None = strawberry.field(
        default=None, description="The organisation that has a new exams officer."
    )
    exams_officer: UserNode | None = strawberry.field(
        default=None, description="Its exams officer now."
    )
    previous_exams_officers: list[UserNode] = strawberry.field(
        default_factory=list,
        description="Who held the role before and no longer does (usually one person, or none).",
    )
    invited: bool = strawberry.field(
        default=False,
        description="True when the email had no account: one was made and invited, with a "
        "temporary password.",
    )
    errors: list[UserError] = errors_field(
        ErrorCode.NOT_FOUND,
        ErrorCode.ORGANISATION_DELETED,
        ErrorCode.EMAIL_INVALID,
        ErrorCode.NAME_REQUIRED,
    )


@strawberry.type(description="createUserAccount's answer.")
class CreateUserAccountPayload:
    organisation_user: OrganisationUser | None = _place()
    reminder: str | None = strawberry.field(
        default=None,
        description="What you must now do: pass the login details on to the user.",
    )
    errors: list[UserError] = errors_field(
        ErrorCode.NOT_FOUND,
        ErrorCode.ORGANISATION_DELETED,
        ErrorCode.EMAIL_INVALID,
        ErrorCode.EMAIL_IN_USE,
        ErrorCode.NAME_REQUIRED,
        ErrorCode.VALUE_REQUIRED,
        ErrorCode.PASSWORD_TOO_WEAK,
        ErrorCode.ROLES_REQUIRED,
        ErrorCode.ROLE_NOT_GRANTABLE,
    )


@strawberry.type(
    name="UpdateUserAccountPayload",
    description="updateUserAccount's answer: the user as they now are at the organisation.",
)
class UpdateUserAccountPayload(OrganisationUserPayload):
    """OrganisationUserPayload under the name updateUserAccount's payload has always had."""

    errors: list[UserError] = errors_field(
        *_USER_ERRORS,
        ErrorCode.NAME_REQUIRED,
        ErrorCode.EMAIL_INVALID,
        ErrorCode.EMAIL_IN_USE,
        ErrorCode.EMAIL_CHANGE_OWN_REFUSED,
        ErrorCode.PASSWORD_CHANGE_OWN_REFUSED,
        ErrorCode.PASSWORD_TOO_WEAK,
    )


@strawberry.type(description="deleteUserAccount's answer.")
class DeleteUserAccountPayload:
    deleted_user_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The deleted User's id: it no longer exists anywhere. Null when `errors`.",
    )
    errors: list[UserError] = errors_field(
        *_USER_ERRORS,
        ErrorCode.DELETE_NOT_CONFIRMED,
        ErrorCode.CANNOT_DELETE_SELF,
        ErrorCode.CANNOT_REMOVE_EXAMS_OFFICER,
        ErrorCode.ACCOUNT_SHARED,
        ErrorCode.ACCOUNT_HAS_RECORDS,
    )


@strawberry.type(
    description="uploadUsers' answer: a report on every row and, for a good file, the job "
    "creating the accounts."
)
class UploadUsersPayload:
    rows_read: int = strawberry.field(default=0, description="Rows read, the header not counted.")
    rows_with_errors: int = strawberry.field(
        default=0, description="Rows with at least one error; any makes the file write nothing."
    )
    rows: list[UserUploadRow] = strawberry.field(
        default_factory=list, description="Every row read, in file order, with its errors."
    )
    dry_run: bool = strawberry.field(
        default=False, description="True when the input asked only to check the file."
    )
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job creating the accounts: poll job(id) until SUCCEEDED. Null for a "
        "dry run or errors.",
    )
    reminder: str | None = strawberry.field(
        default=None, description="What you must do once the accounts exist."
    )
    errors: list[UserError] = errors_field(
        ErrorCode.NOT_FOUND,
        ErrorCode.ORGANISATION_DELETED,
        ErrorCode.FILE_EMPTY,
        ErrorCode.FILE_UNREADABLE,
        ErrorCode.CSV_COLUMNS_INVALID,
        ErrorCode.TOO_MANY_ROWS,
        ErrorCode.ROWS_INVALID,
    )

    @classmethod
    def of(cls, upload: staff_upload.UserUpload) -> "UploadUsersPayload":
        bad = upload.rows_with_errors
        return cls(
            rows_read=upload.rows_read,
            rows_with_errors=bad,
            rows=[UserUploadRow.of(r) for r in upload.rows],
            dry_run=upload.dry_run,
            job=JobNode.of(upload.job) if upload.job else None,
            reminder=None if bad else staff_upload.BULK_REMINDER,
            errors=rows_invalid(bad, upload.rows_read),
        )


AccessReviewExportPayload = job_payload(
    "AccessReviewExportPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` hold the review as CSV and as .xlsx (the same "
    "rows: one per person, organisation and role, with who granted it and when, last sign-in, "
    "TOTP and the person's flags; the workbook's About sheet explains them).",
)

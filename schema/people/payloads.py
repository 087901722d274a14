"""Payloads of people's mutations."""

import strawberry
from strawberry import relay

from resolvers.people import staff_upload
from schema.core.errors import UserError
from schema.core.jobs import JobNode
from schema.core.uploads import rows_invalid
from schema.network.types import OrganisationNode
from schema.people.enums import InviteOutcome
from schema.people.types import OrganisationUser, UserNode, UserUploadRow


@strawberry.type
class InviteUserPayload:
    organisation_user: OrganisationUser | None = None
    outcome: InviteOutcome | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ResendInvitationPayload:
    organisation_user: OrganisationUser | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OrganisationUserPayload:
    organisation_user: OrganisationUser | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemoveUserPayload:
    removed_user_id: relay.GlobalID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DesignateExamsOfficerPayload:
    organisation: OrganisationNode | None = None
    exams_officer: UserNode | None = None
    previous_exams_officers: list[UserNode] = strawberry.field(default_factory=list)
    invited: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateUserAccountPayload:
    organisation_user: OrganisationUser | None = None
    reminder: str | None = strawberry.field(
        default=None,
        description="What you must now do: pass the login details on to the user.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(name="UpdateUserAccountPayload")
class UpdateUserAccountPayload(OrganisationUserPayload):
    """OrganisationUserPayload under the name updateUserAccount's payload has always had."""


@strawberry.type
class DeleteUserAccountPayload:
    deleted_user_id: relay.GlobalID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UploadUsersPayload:
    rows_read: int = 0
    rows_with_errors: int = 0
    rows: list[UserUploadRow] = strawberry.field(default_factory=list)
    dry_run: bool = False
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job creating the accounts: poll job(id) until SUCCEEDED. Null for a "
        "dry run or errors.",
    )
    reminder: str | None = strawberry.field(
        default=None, description="What you must do once the accounts exist."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

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

"""Payloads of the network's mutations."""

import strawberry
from strawberry import relay

from resolvers.network import centre_upload as upload_cases
from schema.core.enums import UserStatus
from schema.core.errors import UserError
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.core.jobs import JobNode
from schema.network.descriptions import DRY_RUN, EMAIL, USER_ID, payload_errors
from schema.network.types import CentreUploadReport, CentreUser, OrganisationNode

_LAST_MEMBERSHIP = (
    "True when this was the person's last organisation: the account stays, but opens nothing "
    "until someone gives it a place."
)
_WHAT_HAPPENED = "What happened, in words, to show the board admin; null on errors."
_ALL_OR_NONE = "Nothing was changed if this is not empty (all or none). Codes: "


@strawberry.type(
    description="What createCentre, updateCentre, deleteCentre or undoDeleteCentre did."
)
class CentrePayload:
    centre: OrganisationNode | None = strawberry.field(
        default=None, description="The centre as it is now; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "CENTRE_CODE_INVALID",
            "CENTRE_CODE_TAKEN",
            "NAME_REQUIRED",
            "NOT_AN_ASSOCIATE",
            "NOT_FOUND",
            "NOT_A_CENTRE",
            "ORGANISATION_DELETED",
            "ORGANISATION_NOT_DELETED",
            "CONCURRENT_CHANGE",
            "INVALID_INPUT",
            "INPUT_TOO_LONG",
        ),
    )


@strawberry.type(description="What addCentreUser did.")
class AddCentreUserPayload:
    centre_user: CentreUser | None = strawberry.field(
        default=None,
        description="The new user, PENDING_ACTIVATION, with their PIN; null on errors.",
    )
    message: str | None = strawberry.field(default=None, description=_WHAT_HAPPENED)
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "EMAIL_INVALID",
            "EMAIL_IN_USE",
            "ROLE_NOT_GRANTABLE",
            "NOT_FOUND",
            "NOT_A_CENTRE",
            "ORGANISATION_DELETED",
            "INPUT_TOO_LONG",
        ),
    )


@strawberry.type(description="What resendActivationEmail did.")
class ResendActivationEmailPayload:
    centre_user: CentreUser | None = strawberry.field(
        default=None, description="The user the email went to; null on errors."
    )
    message: str | None = strawberry.field(default=None, description=_WHAT_HAPPENED)
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "NOT_PENDING_ACTIVATION", "TOO_MANY_EMAILS", "NOT_A_MEMBER", "NOT_FOUND"
        ),
    )


@strawberry.type(description="What removeCentreUser did.")
class RemoveCentreUserPayload:
    removed_user_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The User id taken out of the centre; null on errors."
    )
    last_membership: bool | None = strawberry.field(
        default=None, description=_LAST_MEMBERSHIP + " Null on errors."
    )
    message: str | None = strawberry.field(default=None, description=_WHAT_HAPPENED)
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors("NOT_A_MEMBER", "NOT_FOUND", "CONCURRENT_CHANGE"),
    )


@strawberry.type(description="What uploadCentres checked and, unless a dry run, queued.")
class UploadCentresPayload:
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    report: CentreUploadReport | None = strawberry.field(
        default=None,
        description="What the file does, as checked now. The job's own report, of what it "
        "did: centresUploadReport(job) once the job has SUCCEEDED.",
    )
    job: JobNode | None = strawberry.field(
        default=None,
        description="The job writing the file: poll job(id) until SUCCEEDED; its files hold the "
        "new users' PINs (CSV: email, centre, pin).",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "FILE_EMPTY",
            "FILE_UNREADABLE",
            "FILE_TOO_LARGE",
            "CSV_COLUMNS_INVALID",
            "TOO_MANY_ROWS",
            "ROWS_INVALID",
            "CENTRE_CODE_INVALID",
            "DUPLICATE_IN_FILE",
            "EMAIL_INVALID",
            "NAME_REQUIRED",
            "NOT_A_CENTRE",
            "ORGANISATION_DELETED",
            "ROLE_NOT_GRANTABLE",
        )
        + " Each problem names its row and column.",
    )

    @classmethod
    def of(cls, upload: upload_cases.CentreUpload) -> "UploadCentresPayload":
        return cls(
            dry_run=upload.dry_run,
            report=CentreUploadReport.of(upload.report),
            job=JobNode.of(upload.job) if upload.job else None,
        )


@strawberry.type(description="What deleteCentres or undoDeleteCentres did.")
class CentresPayload:
    centres: list[OrganisationNode] = strawberry.field(
        default_factory=list, description="The centres as they are now; empty on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=_ALL_OR_NONE
        + "NOT_FOUND, NOT_A_CENTRE, ORGANISATION_DELETED, ORGANISATION_NOT_DELETED, "
        "INVALID_INPUT (none or more than 1,000 codes), CONCURRENT_CHANGE.",
    )


@strawberry.type(description="A user taken out of a centre; the account stays.")
class RemovedCentreUser:
    centre_code: str = strawberry.field(description="The number of the centre they left.")
    user_id: relay.GlobalID = strawberry.field(description=USER_ID)
    email: str = strawberry.field(description=EMAIL)
    last_membership: bool = strawberry.field(description=_LAST_MEMBERSHIP)

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("RemovedCentreUser", self.centre_code, self.user_id.node_id)


@strawberry.type(description="What removeCentreUsers did.")
class RemoveCentreUsersPayload:
    removed: list[RemovedCentreUser] = strawberry.field(
        default_factory=list, description="Each place taken away, in input order; empty on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=_ALL_OR_NONE
        + "NOT_A_MEMBER, NOT_FOUND, INVALID_INPUT (none or more than 1,000 places), "
        "CONCURRENT_CHANGE.",
    )


@strawberry.type(description="What undoRemoveCentreUsers did.")
class UndoRemoveCentreUsersPayload:
    restored: list[CentreUser] = strawberry.field(
        default_factory=list, description="The places given back, with the roles they had."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=_ALL_OR_NONE
        + "NOT_REMOVED (the place was not taken away, or is back already), NOT_FOUND, "
        "INVALID_INPUT, CONCURRENT_CHANGE.",
    )


@strawberry.type(description="What checkUserPin found.")
class CheckUserPinPayload:
    matches: bool | None = strawberry.field(
        default=None, description="Whether the PIN is the account's; null on errors."
    )
    email: str | None = strawberry.field(
        default=None, description="The account's email address as stored; null on errors."
    )
    status: UserStatus | None = strawberry.field(
        default=None, description="The account's status, to decide what to do next."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors("NOT_FOUND (no account has that email)", "PIN_LOCKED"),
    )

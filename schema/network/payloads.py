"""Payloads of the network's mutations."""

import strawberry
from strawberry import relay

from resolvers.network import centre_upload as upload_cases
from schema.core.enums import UserStatus
from schema.core.errors import UserError
from schema.core.ids import value_id
from schema.core.jobs import JobNode
from schema.network.types import CentreUploadReport, CentreUser, OrganisationNode


@strawberry.type
class CentrePayload:
    centre: OrganisationNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddCentreUserPayload:
    centre_user: CentreUser | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ResendActivationEmailPayload:
    centre_user: CentreUser | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    errors: list[UserError] = strawberry.field(default_factory=list)


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


@strawberry.type
class UploadCentresPayload:
    dry_run: bool = False
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
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, upload: upload_cases.CentreUpload) -> "UploadCentresPayload":
        return cls(
            dry_run=upload.dry_run,
            report=CentreUploadReport.of(upload.report),
            job=JobNode.of(upload.job) if upload.job else None,
        )


@strawberry.type
class CentresPayload:
    centres: list[OrganisationNode] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="A user taken out of a centre; the account stays.")
class RemovedCentreUser:
    centre_code: str
    user_id: relay.GlobalID
    email: str
    last_membership: bool = strawberry.field(
        description="True when this was the person's last organisation: the account stays, "
        "but opens nothing until someone gives it a place."
    )

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
    def id(self) -> strawberry.ID:
        return value_id("RemovedCentreUser", self.centre_code, self.user_id.node_id)


@strawberry.type
class RemoveCentreUsersPayload:
    removed: list[RemovedCentreUser] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UndoRemoveCentreUsersPayload:
    restored: list[CentreUser] = strawberry.field(
        default_factory=list, description="The places given back, with the roles they had."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CheckUserPinPayload:
    matches: bool | None = strawberry.field(
        default=None, description="Whether the PIN is the account's."
    )
    email: str | None = None
    status: UserStatus | None = strawberry.field(
        default=None, description="The account's status, to decide what to do next."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

"""Payloads of the candidate results website's mutations."""

from datetime import datetime

import strawberry

from schema.core.errors import UserError
from schema.core.jobs import JobNode
from schema.core.payloads import JobPayload
from schema.network.descriptions import payload_errors
from schema.results_website.types import ResultsAccessNode

_ACCESS_AS_NOW = "The centre's access for the series as it is now; null on errors."
_LOOKUP_ERRORS = ("SERIES_NOT_FOUND", "NOT_A_CENTRE", "ORGANISATION_DELETED")


@strawberry.type(description="What updateResultsAccess did.")
class UpdateResultsAccessPayload:
    results_access: ResultsAccessNode | None = strawberry.field(
        default=None, description=_ACCESS_AS_NOW
    )
    credentials_created: int = strawberry.field(
        default=0,
        description="Usernames and passwords created now (ALL: for candidates who had none).",
    )
    credentials_revoked: int = strawberry.field(
        default=0, description="Usernames and passwords that stopped working now (NONE)."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            *_LOOKUP_ERRORS,
            "NO_VALID_ENTRY",
            "CREDENTIALS_NOT_OPEN",
            "RESULTS_AGREEMENT_REQUIRED",
            "CONTACT_NAME_REQUIRED",
            "CONTACT_DETAILS_REQUIRED",
            "PHONE_INVALID",
            "EMAIL_INVALID",
            "DELAY_INVALID",
            "CONCURRENT_CHANGE",
        ),
    )


@strawberry.type(description="What updateResultsAccessSelection did.")
class UpdateResultsAccessSelectionPayload:
    results_access: ResultsAccessNode | None = strawberry.field(
        default=None, description=_ACCESS_AS_NOW
    )
    added: int = strawberry.field(default=0, description="Credentials created or renewed.")
    removed: int = strawberry.field(default=0, description="Credentials revoked.")
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            *_LOOKUP_ERRORS,
            "RESULTS_ACCESS_NOT_SELECTED",
            "CANDIDATE_NOT_ENTERED",
            "CREDENTIALS_NOT_OPEN",
            "INVALID_INPUT (a candidate both added and removed, or an id that is not a "
            "Candidate's)",
            "CONCURRENT_CHANGE",
        ),
    )


@strawberry.type(description="What signInCandidate did: a session token, or why not.")
class SignInCandidatePayload:
    token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>`."
    )
    expires_at: datetime | None = strawberry.field(
        default=None,
        description="When the token stops working (ISO 8601, UTC); sign in again then.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            "INVALID_CREDENTIALS (a wrong username or password, or one that no longer gives "
            "access, alike)",
            "SIGN_IN_THROTTLED (too many failures for the username or from your address: wait 15 "
            "minutes)",
        ),
    )


@strawberry.type(description="What createResultsCredentialsDocuments queued.")
class CreateResultsCredentialsDocumentsPayload(JobPayload):
    job: JobNode | None = strawberry.field(
        default=None,
        description="Poll `job(id)`; once SUCCEEDED its `files` are the PDF (a page per "
        "candidate) and the zip (a PDF per candidate). Null on errors.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=payload_errors(
            *_LOOKUP_ERRORS, "NO_ACTIVE_CREDENTIALS (give candidates access first)"
        ),
    )

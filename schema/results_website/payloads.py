"""Payloads of the candidate results website's mutations."""

from datetime import datetime

import strawberry

from schema.core.errors import UserError
from schema.core.payloads import job_payload
from schema.results_website.types import ResultsAccessNode


@strawberry.type
class UpdateResultsAccessPayload:
    results_access: ResultsAccessNode | None = None
    credentials_created: int = 0
    credentials_revoked: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpdateResultsAccessSelectionPayload:
    results_access: ResultsAccessNode | None = None
    added: int = strawberry.field(default=0, description="Credentials created or renewed.")
    removed: int = strawberry.field(default=0, description="Credentials revoked.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SignInCandidatePayload:
    token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>`."
    )
    expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


CreateResultsCredentialsDocumentsPayload = job_payload(
    "CreateResultsCredentialsDocumentsPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` are the PDF (a page per candidate) and the zip "
    "(a PDF per candidate).",
)

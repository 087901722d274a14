"""Payloads of starting a test and of the log-in sheet."""

from datetime import datetime

import strawberry

from schema.core.errors import UserError
from schema.core.payloads import job_payload
from schema.test_sessions.types import CandidateTest


@strawberry.type
class StartTestPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Send it as `Authorization: Bearer <token>`; it reads `currentTest` and "
        "nothing else, until the session ends.",
    )
    expires_at: datetime | None = None
    test: CandidateTest | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


CreateLogInSheetPayload = job_payload(
    "CreateLogInSheetPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` are the PDF (a block per candidate, to cut "
    "apart) and the CSV of the same details.",
)

"""Payloads of board administration's mutations."""

import strawberry

from schema.admin.types import EmailTemplateNode, ReportedProblem, UndeliveredEmailNode
from schema.core.errors import UserError
from schema.core.payloads import job_payload

AuditExportPayload = job_payload(
    "AuditExportPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` hold the CSV (a header row, newest first; "
    "before and after as JSON text).",
)


@strawberry.type
class ResendEmailPayload:
    email: UndeliveredEmailNode | None = strawberry.field(
        default=None, description="Queued again (PENDING): it goes out within seconds."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EmailTemplatePayload:
    email_template: EmailTemplateNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="The email as it would go out, filled with sample values.")
class EmailTemplatePreview:
    key: str | None = None
    subject: str | None = None
    body: str | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the wording tried could not be saved (the same checks as a save).",
    )


@strawberry.type
class ResolveErrorPayload:
    problem: ReportedProblem | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

"""Payloads of board administration's mutations."""

import strawberry

from schema.admin.types import EmailTemplateNode, ReportedProblem, UndeliveredEmailNode
from schema.core.errors import ErrorCode, UserError, errors_field
from schema.core.payloads import job_payload

AuditExportPayload = job_payload(
    "AuditExportPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` hold the CSV (a header row, newest first; "
    "before and after as JSON text).",
)


@strawberry.type(description="resendEmail's answer.")
class ResendEmailPayload:
    email: UndeliveredEmailNode | None = strawberry.field(
        default=None, description="Queued again (PENDING): it goes out within seconds."
    )
    errors: list[UserError] = errors_field(ErrorCode.NOT_FOUND, ErrorCode.EMAIL_NOT_FAILED)


@strawberry.type(
    description="The answer of updateEmailTemplate and resetEmailTemplate: the email as it is "
    "now worded."
)
class EmailTemplatePayload:
    email_template: EmailTemplateNode | None = strawberry.field(
        default=None, description="The email with its saved wording; null when `errors`."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The email as it would go out, filled with sample values.")
class EmailTemplatePreview:
    key: str | None = strawberry.field(default=None, description="Which email; null when `errors`.")
    subject: str | None = strawberry.field(
        default=None, description="The subject line, placeholders filled; null when `errors`."
    )
    body: str | None = strawberry.field(
        default=None, description="The body, placeholders filled; null when `errors`."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the wording tried could not be saved (the same checks as a save).",
    )


@strawberry.type(description="resolveError's answer.")
class ResolveErrorPayload:
    problem: ReportedProblem | None = strawberry.field(
        default=None, description="The problem, now resolved; null when `errors`."
    )
    errors: list[UserError] = errors_field(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_RESOLVED)

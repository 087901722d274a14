"""Board administration's mutations: audit exports, email templates, resending email."""

from typing import Annotated

import strawberry

from models.mail import OutboxMessage
from resolvers.admin import audit_reports, error_report, outbox, templates
from schema.admin.inputs import (
    ExportAuditEventsInput,
    ExportSignInEventsInput,
    ResendEmailInput,
    ResetEmailTemplateInput,
    ResolveErrorInput,
    UpdateEmailTemplateInput,
)
from schema.admin.payloads import (
    AuditExportPayload,
    EmailTemplatePayload,
    ResendEmailPayload,
    ResolveErrorPayload,
)
from schema.admin.types import EmailTemplateNode, ReportedProblem, UndeliveredEmailNode
from schema.core.arguments import INPUT
from schema.core.context import Info
from schema.core.errors import ErrorCode, error_codes, payload
from schema.core.ids import node_id
from schema.core.permissions import SignedIn


@strawberry.type
class AuditReportMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Board admins and exams officers: the audit events `auditEvents` would list for "
            "the filter, as a CSV made in the background.",
            ErrorCode.NOT_FOUND,
            ErrorCode.TOO_MANY_ROWS,
        ),
    )
    async def export_audit_events(
        self, info: Info, input: Annotated[ExportAuditEventsInput, INPUT]
    ) -> AuditExportPayload:
        return await payload(
            AuditExportPayload,
            audit_reports.export_audit_events(info.context.actor, input.filter.to_domain()),
            AuditExportPayload.of,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Board admins and exams officers: the sign-ins `signInEvents` would list for the "
            "filter, as a CSV made in the background.",
            ErrorCode.NOT_FOUND,
            ErrorCode.TOO_MANY_ROWS,
        ),
    )
    async def export_sign_in_events(
        self, info: Info, input: Annotated[ExportSignInEventsInput, INPUT]
    ) -> AuditExportPayload:
        return await payload(
            AuditExportPayload,
            audit_reports.export_sign_in_events(info.context.actor, input.filter.to_domain()),
            AuditExportPayload.of,
        )


@strawberry.type
class OutboxMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: send a FAILED email again, retried for a whole new "
        "give-up window.",
    )
    async def resend_email(
        self, info: Info, input: Annotated[ResendEmailInput, INPUT]
    ) -> ResendEmailPayload:
        async def work() -> OutboxMessage:
            return await outbox.resend(
                info.context.actor, node_id(input.id, "UndeliveredEmail", "input", "id")
            )

        return await payload(
            ResendEmailPayload,
            work(),
            lambda row: ResendEmailPayload(email=UndeliveredEmailNode.of(row)),
        )


def _saved(view: templates.TemplateView) -> EmailTemplatePayload:
    return EmailTemplatePayload(email_template=EmailTemplateNode.of(view))


@strawberry.type
class TemplateMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Board admins: reword an email; it is sent so from the moment it is saved.",
            ErrorCode.NOT_FOUND,
            ErrorCode.UNKNOWN_PLACEHOLDER,
            ErrorCode.REQUIRED_PLACEHOLDER_MISSING,
            ErrorCode.PLACEHOLDER_INVALID,
        ),
    )
    async def update_email_template(
        self, info: Info, input: Annotated[UpdateEmailTemplateInput, INPUT]
    ) -> EmailTemplatePayload:
        return await payload(
            EmailTemplatePayload,
            templates.update_template(
                info.context.actor, key=input.key, subject=input.subject, body=input.body
            ),
            _saved,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Board admins: an email back to examdesk's default wording.", ErrorCode.NOT_FOUND
        ),
    )
    async def reset_email_template(
        self, info: Info, input: Annotated[ResetEmailTemplateInput, INPUT]
    ) -> EmailTemplatePayload:
        return await payload(
            EmailTemplatePayload,
            templates.reset_template(info.context.actor, key=input.key),
            _saved,
        )


@strawberry.type
class ErrorReportMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: mark a problem of the errors report resolved, with a note. "
        "A problem fixed in the data leaves the report by itself.",
    )
    async def resolve_error(
        self, info: Info, input: Annotated[ResolveErrorInput, INPUT]
    ) -> ResolveErrorPayload:
        return await payload(
            ResolveErrorPayload,
            error_report.resolve(info.context.actor, input.key, input.note),
            lambda problem: ResolveErrorPayload(problem=ReportedProblem.of(problem)),
        )

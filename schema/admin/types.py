"""Board administration as the API shows it: audit and sign-in events, email templates, undelivered
email."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.audit import AuditEvent, SignInEvent
from models.mail import DeliveryStatus as DeliveryStatusValue
from models.mail import OutboxMessage
from resolvers.admin import error_report, templates
from schema.admin.enums import DeliveryStatus, ErrorKind, SignInOutcome
from schema.core.context import Info
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.network.dataloaders import OrganisationByIdLoader
from schema.network.types import OrganisationNode, organisation_node_or_none
from schema.people.types import UserNode


@strawberry.type(name="AuditEvent", description="Who did what, where, before and after.")
class AuditEventNode(relay.Node):
    id: relay.NodeID[int]
    at: datetime = strawberry.field(description="When it happened (ISO 8601, UTC).")
    actor_email: str | None = strawberry.field(description="Null for anonymous requests.")
    action: str = strawberry.field(description="e.g. user.invite, email_template.update.")
    target_type: str | None = strawberry.field(
        description="The kind of thing acted on, e.g. User or EmailTemplate; null if none."
    )
    target_id: str | None = strawberry.field(description="Its database id, as text.")
    before: JSON | None = strawberry.field(
        description="What changed, as it was (a JSON object); null when nothing was before."
    )
    after: JSON | None = strawberry.field(
        description="What changed, as it became (a JSON object); null when nothing is after."
    )
    request_id: str | None = strawberry.field(description="As in the X-Request-ID header.")
    organisation_id: strawberry.Private[int | None]

    @strawberry.field(description="Where it happened; null for the board's own settings.")
    def organisation(self, info: Info) -> OrganisationNode | None:
        # Not `async`: the audit log reads its page's organisations first; otherwise this
        # returns the awaitable that loads it.
        if self.organisation_id is None:
            return None
        return OrganisationByIdLoader.of(info.context).now_or_later(  # type: ignore[return-value]
            self.organisation_id, organisation_node_or_none
        )

    @classmethod
    def of(cls, row: AuditEvent) -> "AuditEventNode":
        return cls(
            id=row.id,
            at=row.at,
            actor_email=row.actor_email,
            action=row.action,
            target_type=row.target_type,
            target_id=row.target_id,
            before=row.before,
            after=row.after,
            request_id=row.request_id,
            organisation_id=row.organisation_id,
        )


@strawberry.type(name="SignInEvent", description="One sign-in attempt, successful or not.")
class SignInEventNode(relay.Node):
    id: relay.NodeID[int]
    at: datetime = strawberry.field(description="When it was tried (ISO 8601, UTC).")
    email: str = strawberry.field(
        description="As typed (a candidate's results username for CANDIDATE_ outcomes)."
    )
    outcome: SignInOutcome = strawberry.field(description="What the attempt came to.")
    ip_address: str | None = strawberry.field(
        description="The client's IP address, as the server saw it; null if unknown."
    )
    user_agent: str | None = strawberry.field(
        description="The client's User-Agent header; null if none was sent."
    )
    request_id: str | None = strawberry.field(
        description="The request's X-Request-ID, to find it in the server's logs."
    )

    @classmethod
    def of(cls, row: SignInEvent) -> "SignInEventNode":
        return cls(
            id=row.id,
            at=row.at,
            email=row.email,
            outcome=row.outcome,
            ip_address=row.ip_address,
            user_agent=row.user_agent,
            request_id=row.request_id,
        )


@strawberry.type(
    name="UndeliveredEmail",
    description="An email the outbox could not deliver. Its body is never shown: it may hold a "
    "temporary password or a sign-in code.",
)
class UndeliveredEmailNode(relay.Node):
    id: relay.NodeID[int]
    recipient: str = strawberry.field(description="The email address it was for.")
    subject: str = strawberry.field(description="Its subject line.")
    template: str = strawberry.field(description="Which email it is, e.g. INVITATION.")
    status: DeliveryStatus = strawberry.field(description="PENDING (still retried) or FAILED.")
    attempts: int = strawberry.field(description="Attempts since it was (re)queued.")
    last_error: str | None = strawberry.field(description="What the mail server last said.")
    created_at: datetime = strawberry.field(
        description="When it was first written (ISO 8601, UTC)."
    )
    queued_at: datetime = strawberry.field(
        description="When delivery began, or began again after resendEmail; it is retried "
        "for the give-up window from then."
    )
    last_attempt_at: datetime | None = strawberry.field(
        description="When delivery was last tried (ISO 8601, UTC); null before the first try."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next; null once FAILED."
    )
    failed_at: datetime | None = strawberry.field(description="When delivery was given up.")

    @classmethod
    def of(cls, row: OutboxMessage) -> "UndeliveredEmailNode":
        failed = row.status is DeliveryStatusValue.FAILED
        return cls(
            id=row.id,
            recipient=row.recipient,
            subject=row.subject,
            template=row.template,
            status=row.status,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
            queued_at=row.queued_at,
            last_attempt_at=row.last_attempt_at,
            next_attempt_at=None if failed else row.next_attempt_at,
            failed_at=row.failed_at,
        )


@strawberry.type(name="EmailTemplate", description="One email examdesk sends, as it is worded now.")
class EmailTemplateNode:
    key: str = strawberry.field(description="e.g. PASSWORD_RESET.")
    description: str = strawberry.field(description="When the email is sent, and what for.")
    subject: str = strawberry.field(description="The subject as sent now, with placeholders.")
    body: str = strawberry.field(description="The plain-text body as sent now, with placeholders.")
    default_subject: str = strawberry.field(
        description="examdesk's own subject, which resetEmailTemplate brings back."
    )
    default_body: str = strawberry.field(
        description="examdesk's own body, which resetEmailTemplate brings back."
    )
    placeholders: list[str] = strawberry.field(
        description="The names this email offers, written $name or ${name} in the subject or "
        "body ($$ for a dollar sign)."
    )
    required_placeholders: list[str] = strawberry.field(
        description="The placeholders an edit must keep: what the email exists to deliver."
    )
    customised: bool = strawberry.field(
        description="Edited by the board; false while the default wording is in use."
    )
    updated_at: datetime | None = strawberry.field(
        description="When the board last edited it (ISO 8601, UTC); null if never."
    )
    updated_by: UserNode | None = strawberry.field(
        description="Who last edited it; null if never, or if that account is gone."
    )

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("EmailTemplate", self.key)

    @classmethod
    def of(cls, view: templates.TemplateView) -> "EmailTemplateNode":
        return cls(
            key=view.key.value,
            description=view.description,
            subject=view.subject,
            body=view.body,
            default_subject=view.default_subject,
            default_body=view.default_body,
            placeholders=view.placeholders,
            required_placeholders=view.required_placeholders,
            customised=view.customised,
            updated_at=view.updated_at,
            updated_by=UserNode.of(view.updated_by) if view.updated_by else None,
        )


@strawberry.type(description="A problem of the board's errors report, with the object to open.")
class ReportedProblem:
    key: str = strawberry.field(description="Stable: resolveError(input: {key}) marks it.")
    kind: ErrorKind = strawberry.field(description="Which of the report's lists it is in.")
    code: str = strawberry.field(
        description="ENTRY_AT_DELETED_CENTRE, RESULT_ON_WITHDRAWN_ENTRY, KEY_TIMES_OUT_OF_ORDER, "
        "RESULTS_MISSING_AFTER_RELEASE, JOB_FAILED or EMAIL_UNDELIVERED."
    )
    message: str = strawberry.field(description="What is wrong, in words.")
    object_type: str = strawberry.field(description="The type of the object to open.")
    object_id: relay.GlobalID = strawberry.field(description="Its id: node(id:) opens it.")
    at: datetime | None = strawberry.field(
        description="When the problem arose, where known (ISO 8601, UTC)."
    )
    resolved_at: datetime | None = strawberry.field(
        description="When it was marked resolved; null while unresolved."
    )
    resolved_by_email: str | None = strawberry.field(
        description="Who marked it resolved; null while unresolved."
    )
    note: str | None = strawberry.field(
        description="What was done about it, as resolveError was told; null while unresolved."
    )

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("ReportedProblem", self.key)

    @classmethod
    def of(cls, problem: error_report.Problem) -> "ReportedProblem":
        resolution = problem.resolution
        return cls(
            key=problem.key,
            kind=ErrorKind(problem.kind),
            code=problem.code,
            message=problem.message,
            object_type=problem.object_type,
            object_id=relay.GlobalID(problem.object_type, str(problem.object_id)),
            at=problem.at,
            resolved_at=resolution.resolved_at if resolution else None,
            resolved_by_email=resolution.resolved_by_email if resolution else None,
            note=resolution.note if resolution else None,
        )

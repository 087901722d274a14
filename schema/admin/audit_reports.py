"""Audit reports and the sign-in event log: lists, and CSV exports made as jobs."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.audit import AuditEvent, SignInEvent
from models.audit import SignInOutcome as SignInOutcomeValue
from resolvers.admin import audit_reports
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.jobs import job_payload
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.network.organisations import OrganisationNode

SignInOutcome = strawberry.enum(SignInOutcomeValue)

_TIMES = "`from` inclusive, `to` exclusive; a time without a zone is UTC."


@strawberry.type(name="AuditEvent", description="Who did what, where, before and after.")
class AuditEventNode(relay.Node):
    id: relay.NodeID[int]
    at: datetime
    actor_email: str | None = strawberry.field(description="Null for anonymous requests.")
    action: str = strawberry.field(description="e.g. user.invite, email_template.update.")
    target_type: str | None
    target_id: str | None
    before: JSON | None
    after: JSON | None
    request_id: str | None = strawberry.field(description="As in the X-Request-ID header.")
    organisation_id: strawberry.Private[int | None]

    @strawberry.field(description="Where it happened; null for the board's own settings.")
    async def organisation(self, info: Info) -> OrganisationNode | None:
        if self.organisation_id is None:
            return None
        found = await info.context.loaders.organisation_by_id.load(self.organisation_id)
        return OrganisationNode.of(found) if found else None

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
    at: datetime
    email: str = strawberry.field(
        description="As typed (a candidate's results username for CANDIDATE_ outcomes)."
    )
    outcome: SignInOutcome
    ip_address: str | None
    user_agent: str | None
    request_id: str | None

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


@strawberry.input(description=f"Every field narrows the list. {_TIMES}")
class AuditEventFilter:
    organisation_code: str | None = strawberry.field(
        default=None, description="Only this organisation's events (e.g. AA101)."
    )
    actor_email: str | None = strawberry.field(
        default=None, description="Only what this person did (any case)."
    )
    action: str | None = strawberry.field(
        default=None, description='Actions starting with this, e.g. "user.".'
    )
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None

    def to_domain(self) -> audit_reports.AuditFilter:
        return audit_reports.AuditFilter(
            organisation_code=self.organisation_code,
            actor_email=self.actor_email,
            action=self.action,
            start=self.from_,
            end=self.to,
        )


@strawberry.input(description=f"Every field narrows the list. {_TIMES}")
class SignInEventFilter:
    organisation_code: str | None = strawberry.field(
        default=None, description="Only the sign-ins of this organisation's members."
    )
    email: str | None = strawberry.field(default=None, description="Any case.")
    outcome: SignInOutcome | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None

    def to_domain(self) -> audit_reports.SignInFilter:
        return audit_reports.SignInFilter(
            organisation_code=self.organisation_code,
            email=self.email,
            outcome=self.outcome,
            start=self.from_,
            end=self.to,
        )


@strawberry.input
class ExportAuditEventsInput:
    filter: AuditEventFilter = strawberry.field(default_factory=AuditEventFilter)


@strawberry.input
class ExportSignInEventsInput:
    filter: SignInEventFilter = strawberry.field(default_factory=SignInEventFilter)


AuditExportPayload = job_payload(
    "AuditExportPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` hold the CSV (a header row, newest first; "
    "before and after as JSON text).",
)


@strawberry.type
class AuditReportQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every audit event. Exams officers: their organisation's "
        "(at an associate, its associate centres' too). Newest first, 20 a page by default.",
    )
    async def audit_events(
        self,
        info: Info,
        filter: AuditEventFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AuditEventNode]:
        page = await audit_reports.list_audit_events(
            info.context.actor,
            (filter or AuditEventFilter()).to_domain(),
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, AuditEventNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every sign-in attempt. Exams officers: those of their "
        "organisation's members. Newest first, 20 a page by default.",
    )
    async def sign_in_events(
        self,
        info: Info,
        filter: SignInEventFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[SignInEventNode]:
        page = await audit_reports.list_sign_in_events(
            info.context.actor,
            (filter or SignInEventFilter()).to_domain(),
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, SignInEventNode.of)


@strawberry.type
class AuditReportMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The audit events `auditEvents` would list for the filter, as a CSV made "
        "in the background.",
    )
    async def export_audit_events(
        self, info: Info, input: ExportAuditEventsInput
    ) -> AuditExportPayload:
        return await payload(
            AuditExportPayload,
            audit_reports.export_audit_events(info.context.actor, input.filter.to_domain()),
            AuditExportPayload.of,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The sign-ins `signInEvents` would list for the filter, as a CSV made in "
        "the background.",
    )
    async def export_sign_in_events(
        self, info: Info, input: ExportSignInEventsInput
    ) -> AuditExportPayload:
        return await payload(
            AuditExportPayload,
            audit_reports.export_sign_in_events(info.context.actor, input.filter.to_domain()),
            AuditExportPayload.of,
        )


__all__ = [
    "AuditEventNode",
    "AuditReportMutations",
    "AuditReportQueries",
    "SignInEventNode",
    "SignInOutcome",
]

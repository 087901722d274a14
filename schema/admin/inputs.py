"""Inputs of board administration: the audit and sign-in filters, template edits, resending
email."""

from datetime import datetime

import strawberry
from strawberry import relay

from resolvers.admin import audit_reports
from schema.admin.enums import SignInOutcome

_TIMES = "`from` inclusive, `to` exclusive; a time without a zone is UTC."


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


@strawberry.input
class UndeliveredEmailFilter:
    failed_only: bool = strawberry.field(
        default=False,
        description="Only the emails given up on (FAILED); by default also those still being "
        "retried after a failure.",
    )


@strawberry.input
class ResendEmailInput:
    id: relay.GlobalID = strawberry.field(description="An UndeliveredEmail's id.")


@strawberry.input
class UpdateEmailTemplateInput:
    key: str
    subject: str
    body: str


@strawberry.input
class ResetEmailTemplateInput:
    key: str


@strawberry.input
class PreviewEmailTemplateInput:
    key: str
    subject: str | None = strawberry.field(
        default=None, description="Wording to try; without it, the current subject."
    )
    body: str | None = strawberry.field(
        default=None, description="Wording to try; without it, the current body."
    )


@strawberry.input
class ResolveErrorInput:
    key: str = strawberry.field(description="The problem's key, from errorReport.")
    note: str = strawberry.field(default="", description="What was done about it.")

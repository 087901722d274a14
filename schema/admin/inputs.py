"""Inputs of board administration: the audit and sign-in filters, template edits, resending
email."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from resolvers.admin import audit_reports
from schema.admin.enums import SignInOutcome

_TIMES = "`from` inclusive, `to` exclusive; a time without a zone is UTC."


def _from() -> Any:
    return strawberry.field(
        default=None, name="from", description="Only what happened at or after this time."
    )


def _to() -> Any:
    return strawberry.field(default=None, description="Only what happened before this time.")


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
    from_: datetime | None = _from()
    to: datetime | None = _to()

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
    outcome: SignInOutcome | None = strawberry.field(
        default=None, description="Only attempts with this outcome."
    )
    from_: datetime | None = _from()
    to: datetime | None = _to()

    def to_domain(self) -> audit_reports.SignInFilter:
        return audit_reports.SignInFilter(
            organisation_code=self.organisation_code,
            email=self.email,
            outcome=self.outcome,
            start=self.from_,
            end=self.to,
        )


_EXPORTED = "Which events to export, as auditEvents and signInEvents take it; all by default."


@strawberry.input(description="Which audit events to export.")
class ExportAuditEventsInput:
    filter: AuditEventFilter = strawberry.field(
        default_factory=AuditEventFilter, description=_EXPORTED
    )


@strawberry.input(description="Which sign-in events to export.")
class ExportSignInEventsInput:
    filter: SignInEventFilter = strawberry.field(
        default_factory=SignInEventFilter, description=_EXPORTED
    )


@strawberry.input(description="Narrows undeliveredEmails.")
class UndeliveredEmailFilter:
    failed_only: bool = strawberry.field(
        default=False,
        description="Only the emails given up on (FAILED); by default also those still being "
        "retried after a failure.",
    )


@strawberry.input(description="Which FAILED email to send again.")
class ResendEmailInput:
    id: relay.GlobalID = strawberry.field(description="An UndeliveredEmail's id.")


_KEY = "Which email: its `EmailTemplate.key`, e.g. PASSWORD_RESET."
_PLACEHOLDERS = (
    "placeholders written $name or ${name} from the template's `placeholders`, keeping its "
    "`requiredPlaceholders`; $$ for a dollar sign."
)


def _key() -> Any:
    return strawberry.field(description=_KEY)


@strawberry.input(description="Board admins: an email's new wording.")
class UpdateEmailTemplateInput:
    key: str = _key()
    subject: str = strawberry.field(description=f"The subject line, with {_PLACEHOLDERS}")
    body: str = strawberry.field(description=f"The plain-text body, with {_PLACEHOLDERS}")


@strawberry.input(description="Board admins: which email goes back to its default wording.")
class ResetEmailTemplateInput:
    key: str = _key()


@strawberry.input(description="Which email to preview, and wording to try without saving it.")
class PreviewEmailTemplateInput:
    key: str = _key()
    subject: str | None = strawberry.field(
        default=None, description="Wording to try; without it, the current subject."
    )
    body: str | None = strawberry.field(
        default=None, description="Wording to try; without it, the current body."
    )


@strawberry.input(description="Which problem of the errors report to mark resolved.")
class ResolveErrorInput:
    key: str = strawberry.field(description="The problem's key, from errorReport.")
    note: str = strawberry.field(default="", description="What was done about it.")

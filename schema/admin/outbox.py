"""Undelivered email (board admins): what the outbox could not send, and sending it again."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.mail import DeliveryStatus as DeliveryStatusValue
from models.mail import OutboxMessage
from resolvers.admin import outbox
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn

DeliveryStatus = strawberry.enum(
    DeliveryStatusValue,
    description="PENDING: queued, or being retried after a failure. SENT: delivered to the "
    "mail server. FAILED: given up on after the retry window; it can be sent again.",
)


@strawberry.type(
    name="UndeliveredEmail",
    description="An email the outbox could not deliver. Its body is never shown: it may hold a "
    "temporary password or a sign-in code.",
)
class UndeliveredEmailNode(relay.Node):
    id: relay.NodeID[int]
    recipient: str
    subject: str
    template: str = strawberry.field(description="Which email it is, e.g. INVITATION.")
    status: DeliveryStatus
    attempts: int = strawberry.field(description="Attempts since it was (re)queued.")
    last_error: str | None = strawberry.field(description="What the mail server last said.")
    created_at: datetime
    queued_at: datetime = strawberry.field(
        description="When delivery began, or began again after resendEmail; it is retried "
        "for the give-up window from then."
    )
    last_attempt_at: datetime | None
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


@strawberry.type
class ResendEmailPayload:
    email: UndeliveredEmailNode | None = strawberry.field(
        default=None, description="Queued again (PENDING): it goes out within seconds."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OutboxQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: emails not delivered, those given up on (FAILED) and those "
        "still being retried, with the mail server's last error. Newest first, 20 a page by "
        "default.",
    )
    async def undelivered_emails(
        self,
        info: Info,
        filter: UndeliveredEmailFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[UndeliveredEmailNode]:
        page = await outbox.list_undelivered(
            info.context.actor,
            failed_only=(filter or UndeliveredEmailFilter()).failed_only,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, UndeliveredEmailNode.of)


@strawberry.type
class OutboxMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: send a FAILED email again, retried for a whole new "
        "give-up window.",
    )
    async def resend_email(self, info: Info, input: ResendEmailInput) -> ResendEmailPayload:
        async def work() -> OutboxMessage:
            return await outbox.resend(
                info.context.actor, node_id(input.id, "UndeliveredEmail", "input", "id")
            )

        return await payload(
            ResendEmailPayload,
            work(),
            lambda row: ResendEmailPayload(email=UndeliveredEmailNode.of(row)),
        )


__all__ = ["DeliveryStatus", "OutboxMutations", "OutboxQueries", "UndeliveredEmailNode"]

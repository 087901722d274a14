"""Undelivered email, for board admins: what the outbox could not send, and sending it again.

examdesk/mailer.py retries a message for days before it gives up; a message it gave up on is
FAILED and kept here with its last error, so an outage longer than that loses nothing silently.
The body is never shown: it may hold a temporary password or a sign-in code.
"""

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.mail import DeliveryStatus, OutboxMessage
from policies import Actor, Authorizer
from policies.viewer_can import MANAGE_OUTBOX
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.mail import wake_delivery
from resolvers.core.pages import Page, check_page

# Everything a list row shows: the body (which may hold passwords) is never read.
_LISTED = (
    "id",
    "recipient",
    "subject",
    "template",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "queued_at",
    "last_attempt_at",
    "next_attempt_at",
    "failed_at",
)


def _require(actor: Actor) -> None:
    Authorizer(actor).require(*MANAGE_OUTBOX)


def _undelivered(*, failed_only: bool = False) -> QuerySet[OutboxMessage]:
    """Every FAILED message, however it got there (the error report and resendEmail take them
    all), and unless `failed_only` the PENDING ones once a try has failed: before that a
    message is merely queued."""
    shown = Q(status=DeliveryStatus.FAILED)
    if not failed_only:
        shown |= Q(status=DeliveryStatus.PENDING, attempts__gt=0)
    return OutboxMessage.filter(shown)


async def list_undelivered(
    actor: Actor, *, failed_only: bool = False, limit: int = 20, offset: int = 0
) -> Page[OutboxMessage]:
    """Messages not delivered: given up on, and (unless `failed_only`) still being retried
    after a failed try; newest first."""
    _require(actor)
    check_page(limit, offset)
    query = _undelivered(failed_only=failed_only)
    total = await query.count()
    items = await query.order_by("-queued_at", "-id").offset(offset).limit(limit).only(*_LISTED)
    return Page(items=list(items), total=total, offset=offset)


async def undelivered_by_ids(actor: Actor, message_ids: list[int]) -> dict[int, OutboxMessage]:
    """The messages list_undelivered shows the actor (board admins: all of them), in one
    query; none to anyone else."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    if not authorizer.allows("outbox", "manage"):
        return {}
    rows = await _undelivered().filter(id__in=message_ids).only(*_LISTED)
    return {row.id: row for row in rows}


async def resend(actor: Actor, message_id: int) -> OutboxMessage:
    """Queue a FAILED message again, with a fresh give-up window; the delivery task sends it."""
    _require(actor)
    now = clock.now()
    async with in_transaction():
        # The transaction starts with its write (SQLite: take the write lock first), and the
        # condition makes two admins resending at once, or a resend racing delivery, harmless.
        requeued = await OutboxMessage.filter(id=message_id, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING,
            queued_at=now,
            next_attempt_at=now,
            failed_at=None,
            attempts=0,
        )
        message = await OutboxMessage.get_or_none(id=message_id).only(*_LISTED)
        if message is None:
            raise DomainError.one(ErrorCode.NOT_FOUND, "There is no such email.", "input", "id")
        if not requeued:
            raise DomainError.one(
                ErrorCode.EMAIL_NOT_FAILED,
                "Only an email that finally failed can be sent again; this one was "
                + (
                    "delivered."
                    if message.status is DeliveryStatus.SENT
                    else "not given up on yet, and is still being retried."
                ),
                "input",
                "id",
            )
        await audit.record(
            actor,
            "email.resend",
            target_type="OutboxMessage",
            target_id=message.id,
            after={
                "recipient": message.recipient,
                "subject": message.subject,
                "template": message.template,
                "lastError": message.last_error,
            },
        )
    wake_delivery()
    return message

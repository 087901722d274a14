from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.users import User


class DeliveryStatus(StrEnum):
    """Where a message is: queued or being retried, sent, or given up on (examdesk/mailer.py)."""

    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class OutboxMessage(Model):
    """An email written in the same transaction as the change that causes it."""

    id = fields.IntField(primary_key=True)
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    body = fields.TextField()
    template = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    status = fields.CharEnumField(
        DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING, db_index=True
    )
    # When delivery (re)started, on the resolvers' clock: retries go on for the give-up window
    # from here, so a message sent again by a board admin gets a whole window of its own.
    queued_at = fields.DatetimeField()
    next_attempt_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    last_attempt_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True, db_index=True)
    failed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"


class EmailTemplate(Model):
    """A board admin's wording of one email (resolvers/core/mail.py MailTemplate).

    Only edited templates have a row: the default wording stays in code, so a template nobody
    edited follows improvements to the default, and resetting one deletes its row.
    """

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    subject = fields.CharField(max_length=200)
    body = fields.TextField()
    updated_at = fields.DatetimeField()
    updated_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    updated_by_id: int | None

    class Meta:
        table = "email_template"

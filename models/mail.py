from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.users import User


class OutboxMessage(Model):
    """An email written in the same transaction as the change that causes it."""

    id = fields.IntField(primary_key=True)
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    body = fields.TextField()
    template = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    next_attempt_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    sent_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "outbox_message"


class EmailTemplate(Model):
    """A board admin's wording of one email (resolvers/mail.py MailTemplate).

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

from tortoise import fields
from tortoise.models import Model


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

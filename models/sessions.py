from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.users import User


class SessionStage(StrEnum):
    PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"
    VERIFICATION_REQUIRED = "VERIFICATION_REQUIRED"
    TOTP_REQUIRED = "TOTP_REQUIRED"
    FULL = "FULL"


class Session(Model):
    id = fields.IntField(primary_key=True)
    # SHA-256 of the bearer token: the token itself is never stored.
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    stage = fields.CharEnumField(SessionStage, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)


class OneTimeCodePurpose(StrEnum):
    EMAIL_VERIFICATION = "EMAIL_VERIFICATION"
    PASSWORD_RESET = "PASSWORD_RESET"
    ACCOUNT_ACTIVATION = "ACCOUNT_ACTIVATION"


class OneTimeCode(Model):
    """A short-lived secret sent by email: a link token and a six-digit code from one secret."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="one_time_codes", on_delete=fields.CASCADE
    )
    user_id: int
    purpose = fields.CharEnumField(OneTimeCodePurpose, max_length=32)
    # The link token is stored hashed; the HOTP secret derives the emailed code.
    token_hash = fields.CharField(max_length=64, unique=True)
    hotp_secret = fields.CharField(max_length=64)
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

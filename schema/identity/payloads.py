"""Payloads of identity's mutations (the plain DonePayload is shared: schema/core/payloads.py)."""

from datetime import datetime

import strawberry

from schema.core.enums import SessionStage
from schema.core.errors import ErrorCode, UserError, errors_field
from schema.people.types import UserNode

_STAGE = "What is left to do before the session may do anything else; FULL when nothing is."


@strawberry.type(description="signIn's answer: a session token and what is left to do with it.")
class SignInPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Send it as `Authorization: Bearer <token>`. Shown once; null when "
        "`errors` are.",
    )
    stage: SessionStage | None = strawberry.field(default=None, description=_STAGE)
    expires_at: datetime | None = strawberry.field(
        default=None,
        description="When the session ends (ISO 8601, UTC; 12 hours by default): sign in again "
        "then.",
    )
    user: UserNode | None = strawberry.field(default=None, description="Whose session it is.")
    errors: list[UserError] = errors_field(
        ErrorCode.INVALID_CREDENTIALS,
        ErrorCode.SIGN_IN_THROTTLED,
        ErrorCode.TEMPORARY_PASSWORD_EXPIRED,
        ErrorCode.CODE_INVALID,
    )


@strawberry.type(description="Where your session is after one step of the first sign-in.")
class SessionPayload:
    stage: SessionStage | None = strawberry.field(default=None, description=_STAGE)
    errors: list[UserError] = errors_field()


@strawberry.type(description="changePassword's answer.")
class ChangePasswordPayload:
    other_sessions_signed_out: int | None = strawberry.field(
        default=None,
        description="How many of your other sessions were ended; this one goes on.",
    )
    errors: list[UserError] = errors_field(
        ErrorCode.PASSWORD_INCORRECT, ErrorCode.PASSWORD_TOO_WEAK, ErrorCode.PASSWORD_REUSED
    )


@strawberry.type(description="enrolTotp's answer: the secret to put in an authenticator app.")
class EnrolTotpPayload:
    secret: str | None = strawberry.field(
        default=None,
        description="The shared secret (base32), for typing into the app by hand; keep it private.",
    )
    provisioning_uri: str | None = strawberry.field(
        default=None, description="An otpauth:// URI for an authenticator app's QR code."
    )
    errors: list[UserError] = errors_field(ErrorCode.TOTP_ALREADY_ENABLED)

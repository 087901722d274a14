"""Payloads of identity's mutations (the plain DonePayload is shared: schema/core/payloads.py)."""

from datetime import datetime

import strawberry

from schema.core.enums import SessionStage
from schema.core.errors import UserError
from schema.people.types import UserNode


@strawberry.type
class SignInPayload:
    token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>`."
    )
    stage: SessionStage | None = None
    expires_at: datetime | None = None
    user: UserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SessionPayload:
    stage: SessionStage | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ChangePasswordPayload:
    other_sessions_signed_out: int | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnrolTotpPayload:
    secret: str | None = None
    provisioning_uri: str | None = strawberry.field(
        default=None, description="An otpauth:// URI for an authenticator app's QR code."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

"""Helpers shared by the account use cases: email normalisation, one-time codes, sessions."""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from tortoise.expressions import F

from models.sessions import OneTimeCode, OneTimeCodePurpose, Session, SessionStage
from models.users import User, UserStatus
from resolvers.core import clock
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.tokens import code_for, code_matches, hash_token, new_code_secret, new_token

MAX_CODE_ATTEMPTS = 5

_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str, *field: str) -> str:
    normalised = normalise_email(email)
    if len(normalised) > 254 or not _EMAIL.match(normalised):
        raise DomainError.one(ErrorCode.EMAIL_INVALID, "Enter a valid email address.", *field)
    return normalised


def check_name(value: str, label: str, *field: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise DomainError.one(ErrorCode.NAME_REQUIRED, f"{label} is required.", *field)
    if len(cleaned) > 100:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, f"{label} must be at most 100 characters.", *field
        )
    return cleaned


async def open_session(user: User, stage: SessionStage) -> tuple[str, Session]:
    token = new_token()
    session = await Session.create(
        token_hash=hash_token(token),
        user=user,
        stage=stage,
        expires_at=clock.now() + current().session_ttl,
    )
    return token, session


async def revoke_sessions(user_id: int, *, except_session_id: int | None = None) -> int:
    query = Session.filter(user_id=user_id, revoked_at=None)
    if except_session_id is not None:
        query = query.exclude(id=except_session_id)
    return await query.update(revoked_at=clock.now())


def stage_after_password(user: User) -> SessionStage:
    """Where a session stands once the password is settled."""
    if user.must_change_password:
        return SessionStage.PASSWORD_CHANGE_REQUIRED
    if user.email_verified_at is None:
        return SessionStage.VERIFICATION_REQUIRED
    if user.totp_enabled_at is not None:
        return SessionStage.TOTP_REQUIRED
    return SessionStage.FULL


async def issue_code(
    user: User, purpose: OneTimeCodePurpose, lifetime: timedelta
) -> tuple[str, str, OneTimeCode]:
    """A new one-time code (and link token) for the user; earlier unused ones stop working."""
    now = clock.now()
    await OneTimeCode.filter(user_id=user.id, purpose=purpose, used_at=None).update(used_at=now)
    token = new_token()
    secret = new_code_secret()
    row = await OneTimeCode.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        hotp_secret=secret,
        # The resend limits count codes by created_at against clock.now(): same clock.
        created_at=now,
        expires_at=now + lifetime,
    )
    return token, code_for(secret), row


async def issue_first_codes(
    users: Sequence[User], purpose: OneTimeCodePurpose, lifetime: timedelta
) -> dict[int, tuple[str, str]]:
    """A code (and link token) each for accounts just created, which have none to void yet,
    in a few writes; (token, code) by user id."""
    now = clock.now()
    issued: dict[int, tuple[str, str]] = {}
    rows: list[OneTimeCode] = []
    for user in users:
        token, secret = new_token(), new_code_secret()
        issued[user.id] = (token, code_for(secret))
        rows.append(
            OneTimeCode(
                user_id=user.id,
                purpose=purpose,
                token_hash=hash_token(token),
                hotp_secret=secret,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
    await OneTimeCode.bulk_create(rows, batch_size=500)
    return issued


async def latest_code(user_id: int, purpose: OneTimeCodePurpose) -> OneTimeCode | None:
    return (
        await OneTimeCode.filter(user_id=user_id, purpose=purpose, used_at=None)
        .order_by("-id")
        .first()
    )


async def check_code(row: OneTimeCode | None, code: str, *field: str) -> OneTimeCode:
    """Check a code against its row, counting the attempt; raise a typed error when wrong."""
    now = clock.now()
    if row is None or _expired(row.expires_at, now):
        raise DomainError.one(
            ErrorCode.CODE_EXPIRED, "The code has expired. Ask for a new one.", *field
        )
    # Claim the attempt in one conditional UPDATE before comparing: reading the counter and
    # then incrementing it let parallel requests all pass the check and guess far more than
    # five times. A right code uses an attempt too, which is harmless: the code is then spent.
    claimed = await OneTimeCode.filter(id=row.id, attempts__lt=MAX_CODE_ATTEMPTS).update(
        attempts=F("attempts") + 1
    )
    if not claimed:
        raise DomainError.one(
            ErrorCode.TOO_MANY_ATTEMPTS, "Too many wrong codes. Ask for a new one.", *field
        )
    if not code_matches(row.hotp_secret, code):
        used = (await OneTimeCode.filter(id=row.id).values_list("attempts", flat=True))[0]
        left = max(0, MAX_CODE_ATTEMPTS - used)
        raise DomainError.one(
            ErrorCode.CODE_INVALID,
            f"The code is not right. {left} attempt{'s' if left != 1 else ''} left.",
            *field,
        )
    return row


def _expired(expires_at: datetime, now: datetime) -> bool:
    return expires_at <= now


# The statuses of the accounts that may sign in, and whose sessions speak for them.
SIGNING_IN = frozenset({UserStatus.ACTIVE, UserStatus.INVITED})


def can_sign_in(user: User | None) -> bool:
    return user is not None and user.status in SIGNING_IN

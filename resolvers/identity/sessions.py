"""Signing in and out, the first sign-in's steps, password changes and authenticator apps."""

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.audit import SignInEvent, SignInOutcome
from models.sessions import OneTimeCode, OneTimeCodePurpose, Session, SessionStage
from models.users import User, UserStatus
from policies import Actor, Authorizer
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.mail import MailTemplate, describe_lifetime, queue_email
from resolvers.identity import credentials
from resolvers.identity.accounts import (
    can_sign_in,
    check_code,
    issue_code,
    latest_code,
    normalise_email,
    open_session,
    revoke_sessions,
    stage_after_password,
)
from resolvers.identity.passwords import (
    check_password_policy,
    hash_password,
    personal_words,
    verify_password,
)

VERIFICATION_LIFETIME = timedelta(minutes=10)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 50
MAX_CODES_PER_WINDOW = 5
# Wrong guesses only: attempts refused while throttled are logged but do not count, or anyone
# retrying during the wait would keep extending it past the 15 minutes the message promises.
_FAILURES = (SignInOutcome.INVALID_CREDENTIALS, SignInOutcome.TOTP_FAILED)
WRONG_TOTP = "The authenticator code is not right."
USED_TOTP = "That authenticator code has been used already: wait for the app's next one."


@dataclass(frozen=True)
class SignedIn:
    token: str | None
    stage: SessionStage
    expires_at: datetime | None
    user: User


async def _throttled(actor: Actor, email: str) -> bool:
    since = clock.now() - THROTTLE_WINDOW
    # The throttled answer offers a password reset as the way out, so a reset (or activation)
    # restarts the count for the email.
    password_set = (
        await SignInEvent.filter(email=email, at__gte=since, outcome=SignInOutcome.PASSWORD_SET)
        .order_by("-at")
        .first()
    )
    failures = SignInEvent.filter(email=email, outcome__in=_FAILURES)
    if password_set is None:
        failures = failures.filter(at__gte=since)
    else:
        failures = failures.filter(at__gt=password_set.at)
    if await failures.count() >= MAX_FAILURES_PER_EMAIL:
        return True
    if actor.request.ip_address is None:
        return False
    by_address = await SignInEvent.filter(
        ip_address=actor.request.ip_address, at__gte=since, outcome__in=_FAILURES
    ).count()
    return by_address >= MAX_FAILURES_PER_ADDRESS


async def sign_in(actor: Actor, *, email: str, password: str, totp_code: str | None) -> SignedIn:
    """Check the credentials and open a session at the first stage the account still needs.

    An unknown email and a wrong password get the same answer after the same work.
    """
    normalised = normalise_email(email)
    user = await User.get_or_none(email=normalised)
    if await _throttled(actor, normalised):
        await audit.record_sign_in(
            actor, normalised, SignInOutcome.THROTTLED, user.id if user else None
        )
        raise DomainError.one(
            ErrorCode.SIGN_IN_THROTTLED,
            "Too many failed sign-in attempts. Wait 15 minutes and try again, "
            "or reset your password.",
        )
    valid = verify_password(user.password_hash if user else None, password)
    if not valid or not can_sign_in(user):
        await audit.record_sign_in(
            actor, normalised, SignInOutcome.INVALID_CREDENTIALS, user.id if user else None
        )
        raise DomainError.one(
            ErrorCode.INVALID_CREDENTIALS, "The email address or password is incorrect."
        )
    assert user is not None
    await credentials.refuse_expired_temporary(actor, user)
    stage = stage_after_password(user)
    if stage is SessionStage.TOTP_REQUIRED and totp_code:
        refusal = await _totp_refusal(user, totp_code)
        if refusal is not None:
            await audit.record_sign_in(actor, normalised, SignInOutcome.TOTP_FAILED, user.id)
            raise DomainError.one(ErrorCode.CODE_INVALID, refusal, "input", "totpCode")
        stage = SessionStage.FULL
    async with in_transaction():
        token, session = await open_session(user, stage)
        if stage is SessionStage.VERIFICATION_REQUIRED:
            await _send_verification_code(user)
        if stage is SessionStage.FULL:
            user.last_login_at = clock.now()
            await user.save(update_fields=["last_login_at"])
        await audit.record_sign_in(actor, normalised, SignInOutcome.SUCCEEDED, user.id)
        await audit.record(
            _as(actor, user),
            "session.sign_in",
            target_type="User",
            target_id=user.id,
            after={"stage": stage.value},
        )
    return SignedIn(token=token, stage=stage, expires_at=session.expires_at, user=user)


async def sign_out(actor: Actor) -> None:
    Authorizer(actor).require_signed_in(*SessionStage)
    async with in_transaction():
        await Session.filter(id=actor.session_id).update(revoked_at=clock.now())
        await audit.record_sign_in(
            actor, actor.email or "", SignInOutcome.SIGNED_OUT, actor.user_id
        )
        await audit.record(actor, "session.sign_out", target_type="User", target_id=actor.user_id)


async def set_new_password(actor: Actor, *, new_password: str) -> SignedIn:
    """The first sign-in's step: replace the temporary password."""
    Authorizer(actor).require_signed_in(SessionStage.PASSWORD_CHANGE_REQUIRED)
    user = await User.get(id=actor.user_id)
    check_password_policy(
        new_password,
        field="newPassword",
        personal=personal_words(user.email, user.first_name, user.last_name),
    )
    if verify_password(user.password_hash, new_password):
        raise DomainError.one(
            ErrorCode.PASSWORD_REUSED,
            "Choose a password different from the temporary one.",
            "input",
            "newPassword",
        )
    async with in_transaction():
        user.password_hash = hash_password(new_password)
        await user.save(update_fields=["password_hash", *credentials.own_password_chosen(user)])
        await revoke_sessions(user.id, except_session_id=actor.session_id)
        stage = stage_after_password(user)
        await _advance_session(actor, user, stage)
        if stage is SessionStage.VERIFICATION_REQUIRED:
            await _send_verification_code(user)
        await audit.record(
            actor,
            "user.set_new_password",
            target_type="User",
            target_id=user.id,
            after={"stage": stage.value},
        )
    return SignedIn(token=None, stage=stage, expires_at=None, user=user)


async def resend_verification_code(actor: Actor) -> None:
    Authorizer(actor).require_signed_in(SessionStage.VERIFICATION_REQUIRED)
    user = await User.get(id=actor.user_id)
    recent = await OneTimeCode.filter(
        user_id=user.id,
        purpose=OneTimeCodePurpose.EMAIL_VERIFICATION,
        created_at__gte=clock.now() - VERIFICATION_LIFETIME,
    ).count()
    if recent >= MAX_CODES_PER_WINDOW:
        raise DomainError.one(
            ErrorCode.TOO_MANY_ATTEMPTS,
            "Too many codes sent. Wait 10 minutes before asking for another.",
        )
    async with in_transaction():
        await _send_verification_code(user)
        await audit.record(
            actor, "user.verification_code_sent", target_type="User", target_id=user.id
        )


async def verify_email_code(actor: Actor, *, code: str) -> SignedIn:
    """The first sign-in's last step: the code emailed after the new password."""
    Authorizer(actor).require_signed_in(SessionStage.VERIFICATION_REQUIRED)
    user = await User.get(id=actor.user_id)
    row = await check_code(
        await latest_code(user.id, OneTimeCodePurpose.EMAIL_VERIFICATION), code, "input", "code"
    )
    async with in_transaction():
        now = clock.now()
        before = {"status": user.status.value}
        row.used_at = now
        await row.save(update_fields=["used_at"])
        user.email_verified_at = now
        user.status = UserStatus.ACTIVE
        stage = stage_after_password(user)
        if stage is SessionStage.FULL:
            user.last_login_at = now
        await user.save(update_fields=["email_verified_at", "status", "last_login_at"])
        await _advance_session(actor, user, stage)
        await audit.record(
            actor,
            "user.email_verified",
            target_type="User",
            target_id=user.id,
            before=before,
            after={"status": user.status.value},
        )
    return SignedIn(token=None, stage=stage, expires_at=None, user=user)


async def verify_totp_code(actor: Actor, *, code: str) -> SignedIn:
    Authorizer(actor).require_signed_in(SessionStage.TOTP_REQUIRED)
    user = await User.get(id=actor.user_id)
    refusal = await _totp_refusal(user, code)
    if refusal is not None:
        await audit.record_sign_in(actor, user.email, SignInOutcome.TOTP_FAILED, user.id)
        if await _throttled(actor, user.email):
            await Session.filter(id=actor.session_id).update(revoked_at=clock.now())
            raise DomainError.one(
                ErrorCode.TOO_MANY_ATTEMPTS,
                "Too many wrong codes. Sign in again in 15 minutes.",
                "input",
                "code",
            )
        raise DomainError.one(ErrorCode.CODE_INVALID, refusal, "input", "code")
    async with in_transaction():
        user.last_login_at = clock.now()
        await user.save(update_fields=["last_login_at"])
        await _advance_session(actor, user, SessionStage.FULL)
        await audit.record(actor, "session.totp_verified", target_type="User", target_id=user.id)
    return SignedIn(token=None, stage=SessionStage.FULL, expires_at=None, user=user)


async def change_password(actor: Actor, *, current_password: str, new_password: str) -> int:
    """Change the password; every other session of the account is signed out."""
    Authorizer(actor).require_signed_in()
    user = await User.get(id=actor.user_id)
    if not verify_password(user.password_hash, current_password):
        raise DomainError.one(
            ErrorCode.PASSWORD_INCORRECT,
            "The current password is not right.",
            "input",
            "currentPassword",
        )
    check_password_policy(
        new_password,
        field="newPassword",
        personal=personal_words(user.email, user.first_name, user.last_name),
    )
    if current_password == new_password:
        raise DomainError.one(
            ErrorCode.PASSWORD_REUSED,
            "Choose a password different from the current one.",
            "input",
            "newPassword",
        )
    async with in_transaction():
        user.password_hash = hash_password(new_password)
        await user.save(update_fields=["password_hash", *credentials.own_password_chosen(user)])
        revoked = await revoke_sessions(user.id, except_session_id=actor.session_id)
        await credentials.notify_password_changed(user, credentials.SELF)
        await audit.record(
            actor,
            "user.change_password",
            target_type="User",
            target_id=user.id,
            after={"otherSessionsRevoked": revoked},
        )
    return revoked


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    provisioning_uri: str


async def enrol_totp(actor: Actor) -> TotpEnrolment:
    Authorizer(actor).require_signed_in()
    user = await User.get(id=actor.user_id)
    if user.totp_enabled_at is not None:
        raise DomainError.one(
            ErrorCode.TOTP_ALREADY_ENABLED, "An authenticator app is already set up."
        )
    secret = pyotp.random_base32()
    async with in_transaction():
        user.totp_secret = secret
        await user.save(update_fields=["totp_secret"])
        await audit.record(
            actor, "user.totp_enrolment_started", target_type="User", target_id=user.id
        )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="examdesk")
    return TotpEnrolment(secret=secret, provisioning_uri=uri)


async def confirm_totp(actor: Actor, *, code: str) -> User:
    Authorizer(actor).require_signed_in()
    user = await User.get(id=actor.user_id)
    if user.totp_enabled_at is not None:
        raise DomainError.one(
            ErrorCode.TOTP_ALREADY_ENABLED, "An authenticator app is already set up."
        )
    if user.totp_secret is None:
        raise DomainError.one(ErrorCode.TOTP_NOT_ENROLLED, "Start with enrolTotp.")
    refusal = await _totp_refusal(user, code)
    if refusal is not None:
        raise DomainError.one(ErrorCode.CODE_INVALID, refusal, "input", "code")
    async with in_transaction():
        user.totp_enabled_at = clock.now()
        await user.save(update_fields=["totp_enabled_at"])
        await audit.record(actor, "user.totp_enabled", target_type="User", target_id=user.id)
    return user


async def disable_totp(actor: Actor, *, password: str) -> User:
    Authorizer(actor).require_signed_in()
    user = await User.get(id=actor.user_id)
    if user.totp_enabled_at is None:
        raise DomainError.one(ErrorCode.TOTP_NOT_ENROLLED, "No authenticator app is set up.")
    if not verify_password(user.password_hash, password):
        raise DomainError.one(
            ErrorCode.PASSWORD_INCORRECT, "The password is not right.", "input", "password"
        )
    async with in_transaction():
        user.totp_secret = None
        user.totp_enabled_at = None
        await user.save(update_fields=["totp_secret", "totp_enabled_at"])
        await audit.record(actor, "user.totp_disabled", target_type="User", target_id=user.id)
    return user


async def _totp_refusal(user: User, code: str) -> str | None:
    """Why `code` is refused, or None when it is accepted (and its time step claimed).

    The code of the step before or after now is accepted too (clocks drift), but each step
    once only, and never one earlier than a step already accepted (RFC 6238, section 5.2): a
    code seen over someone's shoulder, or replayed from a log, is refused. The claim is one
    conditional UPDATE, so two requests with the same code cannot both pass.
    """
    if not user.totp_secret:
        return WRONG_TOTP
    totp = pyotp.TOTP(user.totp_secret)
    given = code.strip().replace(" ", "").encode()
    # The resolvers' clock, like every other expiry here, so tests that move time move this too.
    now_step = totp.timecode(clock.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if not hmac.compare_digest(totp.generate_otp(step).encode(), given):
            continue
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return USED_TOTP
        claimed = await User.filter(
            Q(totp_last_step=None) | Q(totp_last_step__lt=step), id=user.id
        ).update(totp_last_step=step)
        if not claimed:
            return USED_TOTP
        user.totp_last_step = step
        return None
    return WRONG_TOTP


async def _advance_session(actor: Actor, user: User, stage: SessionStage) -> None:
    await Session.filter(id=actor.session_id).update(stage=stage)


async def _send_verification_code(user: User) -> None:
    _, code, _ = await issue_code(
        user, OneTimeCodePurpose.EMAIL_VERIFICATION, VERIFICATION_LIFETIME
    )
    await queue_email(
        user.email,
        MailTemplate.VERIFICATION_CODE,
        first_name=user.first_name,
        code=code,
        expires_in=describe_lifetime(VERIFICATION_LIFETIME),
    )


def _as(actor: Actor, user: User) -> Actor:
    """The actor of a sign-in is the person who just proved who they are."""
    return Actor(request=actor.request, user_id=user.id, email=user.email)

"""Forgotten passwords and account activation, by emailed link or code.

Both requests always get the same answer, so nobody can learn which emails have accounts.
"""

from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import quote

from tortoise.transactions import in_transaction

from models.audit import SignInOutcome
from models.sessions import OneTimeCode, OneTimeCodePurpose
from models.users import User, UserStatus
from policies import Actor
from resolvers.core import audit, clock
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.mail import MailTemplate, describe_lifetime, queue_email, queue_emails
from resolvers.core.tokens import hash_token
from resolvers.identity import credentials
from resolvers.identity.accounts import (
    check_code,
    issue_code,
    issue_first_codes,
    latest_code,
    normalise_email,
    revoke_sessions,
)
from resolvers.identity.passwords import check_password_policy, hash_password, personal_words

RESET_LIFETIME = timedelta(minutes=30)
ACTIVATION_LIFETIME = timedelta(hours=24)
MAX_REQUESTS_PER_HOUR = 3

_FLOWS = {
    OneTimeCodePurpose.PASSWORD_RESET: (
        (UserStatus.ACTIVE, UserStatus.INVITED),
        RESET_LIFETIME,
        MailTemplate.PASSWORD_RESET,
        "reset-password",
        "reset_url",
    ),
    OneTimeCodePurpose.ACCOUNT_ACTIVATION: (
        (UserStatus.PENDING_ACTIVATION,),
        ACTIVATION_LIFETIME,
        MailTemplate.ACCOUNT_ACTIVATION,
        "activate",
        "activation_url",
    ),
}


async def request_code(actor: Actor, purpose: OneTimeCodePurpose, *, email: str) -> bool:
    """Email a link and code when the address belongs to an account in the right state;
    whether one was sent (the public answer never says; the board's resend does)."""
    statuses, lifetime, template, path, url_key = _FLOWS[purpose]
    action = f"user.{purpose.value.lower()}_requested"
    user = await User.get_or_none(email=normalise_email(email))
    if user is None or user.status not in statuses:
        # Audited like the others (the caller's answer is the same): repeated requests for
        # addresses without an account are what probing looks like.
        async with in_transaction():
            await audit.record(actor, action, after={"emailSent": False, "reason": "no account"})
        return False
    recent = await OneTimeCode.filter(
        user_id=user.id, purpose=purpose, created_at__gte=clock.now() - timedelta(hours=1)
    ).count()
    async with in_transaction():
        if recent >= MAX_REQUESTS_PER_HOUR:
            await audit.record(
                actor,
                action,
                target_type="User",
                target_id=user.id,
                after={"emailSent": False, "reason": "too many requests this hour"},
            )
            return False
        token, code, _ = await issue_code(user, purpose, lifetime)
        url = f"{current().public_url}/{path}?token={quote(token)}"
        await queue_email(
            user.email,
            template,
            first_name=user.first_name,
            code=code,
            expires_in=describe_lifetime(lifetime),
            **{url_key: url},
        )
        await audit.record(
            actor, action, target_type="User", target_id=user.id, after={"emailSent": True}
        )
    return True


async def email_activations(users: Sequence[User]) -> None:
    """The activation email, at once, for accounts just registered in bulk (the board's
    centres upload), in the caller's transaction."""
    _, lifetime, template, path, url_key = _FLOWS[OneTimeCodePurpose.ACCOUNT_ACTIVATION]
    issued = await issue_first_codes(users, OneTimeCodePurpose.ACCOUNT_ACTIVATION, lifetime)
    site = current().public_url
    expires_in = describe_lifetime(lifetime)
    await queue_emails(
        template,
        [
            (
                user.email,
                {
                    "first_name": user.first_name,
                    "code": issued[user.id][1],
                    "expires_in": expires_in,
                    url_key: f"{site}/{path}?token={quote(issued[user.id][0])}",
                },
            )
            for user in users
        ],
    )


async def _live_code(
    purpose: OneTimeCodePurpose,
    *,
    token: str | None,
    email: str | None,
    code: str | None,
    invalid: DomainError,
) -> OneTimeCode:
    """The unused, unexpired code the link's token or the emailed code stands for."""
    if token:
        row = await OneTimeCode.get_or_none(token_hash=hash_token(token), purpose=purpose)
        if row is None or row.used_at is not None or row.expires_at <= clock.now():
            raise invalid
    elif email and code:
        user = await User.get_or_none(email=normalise_email(email))
        if user is None:
            raise invalid
        try:
            row = await check_code(await latest_code(user.id, purpose), code, "input", "code")
        except DomainError as error:
            raise invalid from error
    else:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, "Give either the token from the link, or email and code."
        )
    return row


async def complete(
    actor: Actor,
    purpose: OneTimeCodePurpose,
    *,
    new_password: str,
    token: str | None,
    email: str | None,
    code: str | None,
) -> User:
    """Set the password from a link token, or from the email address and emailed code."""
    statuses = _FLOWS[purpose][0]
    invalid = DomainError.one(
        ErrorCode.TOKEN_INVALID,
        "The link or code is not valid or has expired. Ask for a new one.",
    )
    row = await _live_code(purpose, token=token, email=email, code=code, invalid=invalid)
    user = await User.get(id=row.user_id)
    if user.status not in statuses:
        raise invalid
    check_password_policy(
        new_password,
        field="newPassword",
        personal=personal_words(user.email, user.first_name, user.last_name),
    )
    async with in_transaction():
        now = clock.now()
        # Consume the code atomically so two requests cannot both use it.
        if not await OneTimeCode.filter(id=row.id, used_at=None).update(used_at=now):
            raise invalid
        before = {"status": user.status.value}
        user.password_hash = hash_password(new_password)
        chosen = credentials.own_password_chosen(user)
        user.email_verified_at = user.email_verified_at or now
        user.status = UserStatus.ACTIVE
        await user.save(update_fields=["password_hash", *chosen, "email_verified_at", "status"])
        await revoke_sessions(user.id)
        if purpose is OneTimeCodePurpose.PASSWORD_RESET:
            # Activation chooses the first password; a reset replaces one, which the owner is
            # told about in case the link or code was not theirs.
            await credentials.notify_password_changed(user, credentials.SELF_BY_RESET)
        await audit.record_sign_in(actor, user.email, SignInOutcome.PASSWORD_SET, user.id)
        await audit.record(
            actor,
            f"user.{purpose.value.lower()}_completed",
            target_type="User",
            target_id=user.id,
            before=before,
            after={"status": user.status.value},
        )
    return user

"""Setting another person's credentials, and telling the person whenever theirs change.

The rule (who may) is policies/credentials.py; here is the flow around it: reading where the
person belongs, making a password set by someone else temporary (like an invitation's: the next
sign-in sets a new one and proves the mailbox with an emailed code), and the notification
emails, which name who made the change.
"""

from datetime import datetime

from models.audit import SignInOutcome
from models.organisations import Organisation
from models.sessions import OneTimeCode
from models.users import Membership, User
from policies import Actor, Holding, Target, require_may_set_credentials
from policies.credentials import credentials_refusal
from resolvers.core import audit, clock
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.mail import MailTemplate, queue_email

SELF = "you"
SELF_BY_RESET = "you, with a password reset link or code"


async def require_may_set(actor: Actor, user_id: int, organisation: Organisation) -> None:
    """FORBIDDEN, naming the reason, unless the actor may set this person's password or email.

    Every organisation the person belongs to counts, soft-deleted ones included (an undo
    brings their roles back).
    """
    require_may_set_credentials(actor, await holdings_of(user_id), acting_at=organisation.id)


async def may_set(actor: Actor, user_id: int, organisation: Organisation) -> bool:
    """Whether the actor may set this person's password or email (require_may_set's rule)."""
    refusal = credentials_refusal(actor, await holdings_of(user_id), acting_at=organisation.id)
    return refusal is None


async def holdings_of(user_id: int) -> list[Holding]:
    """Every organisation the person belongs to and their roles there, soft-deleted ones too."""
    return (await holdings_of_many([user_id]))[user_id]


async def holdings_of_many(user_ids: list[int]) -> dict[int, list[Holding]]:
    """holdings_of for each of these people, in one query (a list's viewerCan asks for all)."""
    found: dict[int, list[Holding]] = {user_id: [] for user_id in user_ids}
    memberships = await Membership.filter(user_id__in=user_ids).select_related("organisation")
    for m in memberships:
        found[m.user_id].append(
            Holding(Target.of(m.organisation), m.organisation.name, frozenset(m.roles))
        )
    return found


def make_temporary(user: User) -> list[str]:
    """A password someone else set: changed at the next sign-in, then the emailed code.

    Clearing the verification sends the next sign-in through the invitation's steps
    (resolvers/accounts.stage_after_password): whoever set the password knows it, but only the
    owner of the mailbox gets the code. Returns the fields changed.
    """
    user.must_change_password = True
    user.email_verified_at = None
    user.temporary_password_expires_at = temporary_until()
    return ["must_change_password", "email_verified_at", "temporary_password_expires_at"]


def temporary_until() -> datetime:
    """When a password set now by someone else stops working (EXAMDESK_TEMPORARY_PASSWORD_DAYS).

    A temporary password sits in a mailbox or on a note: the longer it works, the longer
    whoever else reads it could use it first.
    """
    return clock.now() + current().temporary_password_lifetime


def temporary_expired(user: User) -> bool:
    """Whether the password is a temporary one past its time."""
    expires_at = user.temporary_password_expires_at
    return user.must_change_password and expires_at is not None and expires_at <= clock.now()


async def refuse_expired_temporary(actor: Actor, user: User) -> None:
    """Refuse a temporary password past its time: asked only once the password matched, so an
    unknown email or a wrong password still gets the same answer as every other."""
    if not temporary_expired(user):
        return
    await audit.record_sign_in(actor, user.email, SignInOutcome.TEMPORARY_PASSWORD_EXPIRED, user.id)
    raise DomainError.one(
        ErrorCode.TEMPORARY_PASSWORD_EXPIRED,
        "Your temporary password has expired. Ask whoever manages users at your centre to "
        "send the invitation again (or to set a new password for you).",
    )


def own_password_chosen(user: User) -> list[str]:
    """The person chose their password: it is no longer a temporary one. The fields changed."""
    user.must_change_password = False
    user.temporary_password_expires_at = None
    return ["must_change_password", "temporary_password_expires_at"]


async def end_outstanding_codes(user_id: int) -> int:
    """Spend every emailed link and code not yet used: reset, activation and verification.

    They were sent to the address as it was, under the credentials as they were: after an
    email change, whoever still reads the old mailbox must not reset the password with them.
    """
    return await OneTimeCode.filter(user_id=user_id, used_at=None).update(used_at=clock.now())


async def changed_by(actor: Actor) -> str:
    """Who made a change, as the notification names them: "Grace Hopper (grace@example)"."""
    user = await User.get(id=actor.user_id)
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


def moment(at: datetime) -> str:
    """A time as the emails write it: "23 November 2026 at 09:00 UTC"."""
    return at.strftime("%d %B %Y at %H:%M UTC").lstrip("0")


def _when() -> str:
    return moment(clock.now())


async def notify_password_changed(user: User, by: str, *recipients: str) -> None:
    """Tell the person (at each address given, by default their own) who changed the password."""
    for recipient in recipients or (user.email,):
        await queue_email(
            recipient,
            MailTemplate.PASSWORD_CHANGED,
            first_name=user.first_name,
            email=user.email,
            changed_by=by,
            changed_at=_when(),
        )


async def notify_email_changed(user: User, by: str, *, old_email: str) -> None:
    """Tell the old address (its owner may not have asked for this) and the new one."""
    for recipient in (old_email, user.email):
        await queue_email(
            recipient,
            MailTemplate.EMAIL_CHANGED,
            first_name=user.first_name,
            old_email=old_email,
            new_email=user.email,
            changed_by=by,
            changed_at=_when(),
        )

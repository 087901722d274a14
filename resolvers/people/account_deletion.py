"""Deleting a staff account for good (the training hub: it "CANNOT be recovered"), after the
caller types DELETE: who may delete whom (policies/deletion.py), what goes with the account,
and what the audit trail keeps. See delete_user_account.
"""

from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.assessments import Attempt, Certificate
from models.audit import AuditEvent, SignInEvent
from models.files import StoredFile
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.sessions import OneTimeCode, Session
from models.users import Membership, User
from policies import Actor, DeletionRefusal, Forbidden, Reason, deletion_refusal
from policies.viewer_can import FORBIDDING_DELETION
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation
from resolvers.identity import credentials
from resolvers.people.users import find_member

DELETE_WORD = "DELETE"
# What an audit event may say about a person, scrubbed when their account is deleted.
PERSONAL_KEYS = frozenset({"email", "firstName", "lastName", "fullName", "name"})
SCRUBBED = "[deleted user]"


async def delete_user_account(
    actor: Actor, *, organisation_code: str, user_id: int, confirmation: str
) -> int:
    """Delete an account for good, after a user manager (the Centre Admin among them) typed
    DELETE.

    Whom: policies/deletion.py. Only an account that belongs to this organisation alone (one
    that other organisations share is theirs too: removeUser takes the person out of this one),
    never one's own or the exams officer's, and only someone whose every role the caller could
    grant.

    Gone: the user row, their memberships, sessions and one-time codes, emails to them still
    in the outbox, and their sign-in events (email, IP address, browser). The audit trail keeps
    a `user.delete_account` event naming the user by id only; older events keep their ids, but
    lose the person's email as actor_email and any email, name or full name about them in their
    before/after (events about them, and events at their organisation naming their email).
    """
    organisation = await require_organisation(
        actor, organisation_code, "user_accounts", "delete", "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    await _require_deletable(actor, organisation, membership)
    user = membership.user
    if confirmation != DELETE_WORD:
        # Said only to whoever may delete the account: what goes with it, before they confirm.
        raise DomainError.one(
            ErrorCode.DELETE_NOT_CONFIRMED,
            f"Type {DELETE_WORD} (in capitals) to delete the account: it cannot be recovered. "
            f"{await _what_goes(user)}",
            "input",
            "confirmation",
        )
    try:
        async with in_transaction():
            # The transaction starts with a write (SQLite: take the write lock first).
            await audit.record(
                actor,
                "user.delete_account",
                organisation_id=organisation.id,
                target_type="User",
                target_id=user_id,
                before={"userId": user_id, "roles": sorted(membership.roles)},
                after={"deleted": True},
            )
            await _delete_everything_of(user, organisation.id)
    except IntegrityError:
        # Records the centre must keep (submissions, applications) still point at the user.
        raise DomainError.one(
            ErrorCode.ACCOUNT_HAS_RECORDS,
            f"{user.full_name} has submitted work or applications that must be kept, so the "
            "account cannot be deleted. Use removeUser to take them out of the organisation.",
            "input",
            "userId",
        ) from None
    return user_id


_REFUSALS = {
    DeletionRefusal.SELF: ErrorCode.CANNOT_DELETE_SELF,
    DeletionRefusal.EXAMS_OFFICER: ErrorCode.CANNOT_REMOVE_EXAMS_OFFICER,
    DeletionRefusal.SHARED: ErrorCode.ACCOUNT_SHARED,
}


async def _what_goes(user: User) -> str:
    """What deleting the account takes with it from staff training (userDeletionImpact says
    the same as numbers)."""
    certificates = await Certificate.filter(user_id=user.id).count()
    attempts = await Attempt.filter(user_id=user.id).count()
    return (
        f"{_counted(certificates, 'certificate')} and {_counted(attempts, 'assessment attempt')} "
        f"will be deleted with {user.full_name or user.email}'s account."
    )


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


async def _require_deletable(
    actor: Actor, organisation: Organisation, membership: Membership
) -> None:
    """policies/deletion.py's rule: a refusal the caller can act on is a typed error (not
    oneself, not the exams officer, not a shared account); a person out of reach, FORBIDDEN."""
    refusal = deletion_refusal(
        actor,
        membership.user_id,
        await credentials.holdings_of(membership.user_id),
        acting_at=organisation.id,
    )
    if refusal is None:
        return
    if refusal.reason in FORBIDDING_DELETION:
        reason = (
            Reason.NOT_GRANTABLE
            if refusal.reason is DeletionRefusal.ROLE_OUT_OF_REACH
            else Reason.ROLE_NOT_ENOUGH
        )
        raise Forbidden(refusal.message, reason)
    raise DomainError.one(_REFUSALS[refusal.reason], refusal.message, "input", "userId")


async def _delete_everything_of(user: User, organisation_id: int) -> None:
    await _scrub_audit(user, organisation_id)
    await OutboxMessage.filter(recipient=user.email).delete()
    await SignInEvent.filter(Q(email=user.email) | Q(user_id=user.id)).delete()
    # Explicitly, not by the database's cascade: SQLite enforces it only with
    # foreign keys switched on.
    await OneTimeCode.filter(user_id=user.id).delete()
    await Session.filter(user_id=user.id).delete()
    # Their certificates and attempts cascade from the user; the certificates' PDFs, which print
    # the name, are files no foreign key leads to (resolvers/training/deletion_impact.py).
    await StoredFile.filter(
        owner_type="Certificate",
        owner_id__in=Subquery(Certificate.filter(user_id=user.id).values("id")),
    ).delete()
    await Membership.filter(user_id=user.id).delete()
    await User.filter(id=user.id).delete()


async def _scrub_audit(user: User, organisation_id: int) -> None:
    await AuditEvent.filter(actor_user_id=user.id).update(actor_email=None)
    about = Q(target_type="User", target_id=str(user.id))
    for event in await AuditEvent.filter(about | Q(organisation_id=organisation_id)).values(
        "id", "target_type", "target_id", "before", "after"
    ):
        is_about = event["target_type"] == "User" and event["target_id"] == str(user.id)
        before = _scrub(event["before"], user.email, is_about)
        after = _scrub(event["after"], user.email, is_about)
        if (before, after) != (event["before"], event["after"]):
            await AuditEvent.filter(id=event["id"]).update(before=before, after=after)


def _scrub(value: Any, email: str, is_about: bool) -> Any:
    """`value` without the person: their email anywhere, and (in events about them) names."""
    if isinstance(value, dict):
        return {
            key: SCRUBBED
            if is_about and key in PERSONAL_KEYS and item is not None
            else _scrub(item, email, is_about)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrub(item, email, is_about) for item in value]
    if isinstance(value, str) and email in value.lower():
        return SCRUBBED
    return value

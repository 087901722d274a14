"""Staff accounts created, edited and deleted by the centre.

Unlike inviteUser, which emails a temporary password, a user manager here creates the account
with a password they choose and passes the login details on themselves (the seed's note). The
account is ACTIVE with must_change_password set, and its email is not yet verified: the first
sign-in asks for a new password and then for the code emailed to the address, exactly as for an
invited user. The code is kept because the address was typed by somebody else; until its owner
proves they read it, nothing (password resets, notifications) should trust it.

Deleting an account is for good (the seed: it "CANNOT be recovered"); see delete_user_account
for what goes and what the audit trail keeps.
"""

from dataclasses import dataclass
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
from policies import Actor, Authorizer, DeletionRefusal, Forbidden, Target, deletion_refusal
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.organisation_access import require_organisation
from resolvers.identity import credentials
from resolvers.identity.accounts import check_email, revoke_sessions
from resolvers.identity.passwords import hash_password
from resolvers.people import accounts
from resolvers.people.users import find_member, member_snapshot, require_manages_everywhere

DELETE_WORD = "DELETE"
# What an audit event may say about a person, scrubbed when their account is deleted.
PERSONAL_KEYS = frozenset({"email", "firstName", "lastName", "fullName", "name"})
SCRUBBED = "[deleted user]"


@dataclass(frozen=True)
class CreatedAccount:
    membership: Membership
    reminder: str


def login_details_reminder(user: User) -> str:
    """The seed's note: the creator, not examdesk, tells the person how to sign in."""
    return (
        f"Tell {user.full_name} their login details: the email address {user.email} and the "
        "password you chose. They must change the password when they first sign in, and will "
        "then be emailed a code to confirm the address. You must have their permission to "
        "create the account and use their email address."
    )


async def create_user_account(
    actor: Actor,
    *,
    organisation_code: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    roles: list[str],
) -> CreatedAccount:
    """A new ACTIVE account with the password the manager chose, to be changed at first use."""
    organisation = await require_organisation(
        actor, organisation_code, "user_accounts", "create", "input", "organisationCode"
    )
    accounts.require_live(organisation)
    values = await accounts.check_newcomer(
        actor,
        organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        roles=roles,
        roles_required=True,
        password=password,
        email_taken=_email_in_use,
    )
    password_hash = hash_password(password)
    try:
        async with in_transaction():
            user = await accounts.open_with_password(values, password_hash)
            membership = await accounts.place(user, organisation, roles)
            await audit.record(
                actor,
                "user.create_account",
                organisation_id=organisation.id,
                target_type="User",
                target_id=user.id,
                after={**member_snapshot(user, membership.roles), "mustChangePassword": True},
            )
    except IntegrityError:
        # Registered meanwhile by another request.
        raise DomainError([_email_in_use(values["email"])]) from None
    membership.user = user
    membership.organisation = organisation
    return CreatedAccount(membership=membership, reminder=login_details_reminder(user))


def _email_in_use(email: str) -> UserError:
    return UserError(
        ErrorCode.EMAIL_IN_USE,
        f"{email} is already registered. To give that person roles here, use inviteUser "
        "(their account is kept); otherwise use another email address.",
        ("input", "email"),
    )


async def update_user_account(
    actor: Actor,
    *,
    organisation_code: str,
    user_id: int,
    first_name: str | None = None,
    last_name: str | None = None,
    password: str | None = None,
    email: str | None = None,
) -> Membership:
    """Edit names and password (user managers) and the email (the Centre Admin only).

    A password or email may be set only for someone whose every role the actor could give them
    (policies/credentials.py). A new password is temporary: the next sign-in sets another and
    confirms the address with an emailed code, as an invitation does. A new email must be
    confirmed the same way. Either ends the person's sessions and is emailed to them (an email
    change to the old address too), naming who did it.
    """
    organisation = await require_organisation(
        actor, organisation_code, "user_accounts", "edit", "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    user = membership.user
    new_email = None
    if email is not None:
        new_email = check_email(email, "input", "email")
        if new_email == user.email:
            new_email = None  # a form sending the email unchanged changes nothing
    await _require_may_edit(actor, organisation, user_id, password, new_email)
    values = await _check_edit(user, first_name, last_name, password, new_email)
    await _save_edit(actor, organisation, membership, values, password, new_email)
    return membership


async def _require_may_edit(
    actor: Actor,
    organisation: Organisation,
    user_id: int,
    password: str | None,
    new_email: str | None,
) -> None:
    """Own credentials are changed elsewhere; others' only by who may give all their roles."""
    if user_id == actor.user_id and password is not None:
        raise DomainError.one(
            ErrorCode.PASSWORD_CHANGE_OWN_REFUSED,
            "Change your own password with changePassword: it asks for the current one.",
            "input",
            "password",
        )
    if new_email is not None:
        if user_id == actor.user_id:
            raise DomainError.one(
                ErrorCode.EMAIL_CHANGE_OWN_REFUSED,
                "You cannot change your own email address: ask the exam board to change it.",
                "input",
                "email",
            )
        Authorizer(actor).require("user_accounts", "edit_email", Target.of(organisation))
    if password is not None or new_email is not None:
        await credentials.require_may_set(actor, user_id, organisation)
    else:
        await require_manages_everywhere(actor, user_id, organisation)


async def _check_edit(
    user: User,
    first_name: str | None,
    last_name: str | None,
    password: str | None,
    new_email: str | None,
) -> dict[str, str]:
    """The new names, every problem with the edit raised at once."""
    values, errors = accounts.check_person(first_name, last_name)
    if password is not None:
        errors.extend(
            accounts.password_errors(
                password,
                new_email or user.email,
                values.get("first_name", user.first_name),
                values.get("last_name", user.last_name),
                "input",
                "password",
            )
        )
    if new_email is not None and await User.exists(email=new_email):
        errors.append(_email_in_use(new_email))
    if errors:
        raise DomainError(errors)
    if not values and password is None and new_email is None:
        raise DomainError.one(ErrorCode.INVALID_INPUT, "Nothing to change.", "input")
    return values


async def _save_edit(
    actor: Actor,
    organisation: Organisation,
    membership: Membership,
    values: dict[str, str],
    password: str | None,
    new_email: str | None,
) -> None:
    user = membership.user
    password_hash = hash_password(password) if password is not None else None
    before = member_snapshot(user, membership.roles)
    old_email = user.email
    changed = list(values)
    for key, value in values.items():
        setattr(user, key, value)
    if password_hash is not None:
        user.password_hash = password_hash
        changed += ["password_hash", *credentials.make_temporary(user)]
    if new_email is not None:
        user.email = new_email
        user.email_verified_at = None
        changed += ["email", "email_verified_at"]
    try:
        async with in_transaction():
            await user.save(update_fields=sorted(set(changed)))
            if password_hash is not None or new_email is not None:
                await _end_access_and_tell(actor, user, old_email, password_hash, new_email)
            await audit.record(
                actor,
                "user.update_account",
                organisation_id=organisation.id,
                target_type="User",
                target_id=user.id,
                before=before,
                after={
                    **member_snapshot(user, membership.roles),
                    "passwordChanged": password is not None,
                },
            )
    except IntegrityError:
        assert new_email is not None
        raise DomainError([_email_in_use(new_email)]) from None


async def _end_access_and_tell(
    actor: Actor, user: User, old_email: str, password_hash: str | None, new_email: str | None
) -> None:
    """New credentials end the person's sessions and codes, and are emailed to them."""
    await revoke_sessions(user.id)
    await credentials.end_outstanding_codes(user.id)
    by = await credentials.changed_by(actor)
    if password_hash is not None:
        await credentials.notify_password_changed(user, by, *dict.fromkeys((old_email, user.email)))
    if new_email is not None:
        await credentials.notify_email_changed(user, by, old_email=old_email)


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
    if refusal.reason in (DeletionRefusal.NOT_PERMITTED, DeletionRefusal.ROLE_OUT_OF_REACH):
        raise Forbidden(refusal.message)
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

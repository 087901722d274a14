"""Staff accounts created, edited and deleted by the centre.

Unlike inviteUser, which emails a temporary password, a user manager here creates the account
with a password they choose and passes the login details on themselves (the seed's note). The
account is ACTIVE with must_change_password set, and its email is not yet verified: the first
sign-in asks for a new password and then for the code emailed to the address, exactly as for an
invited user. The code is kept because the address was typed by somebody else; until its owner
proves they read it, nothing (password resets, notifications) should trust it.

Deleting one is resolvers/people/account_deletion.py's.
"""

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.organisations import Organisation
from models.users import Membership, User
from policies import Actor, Authorizer, Target
from policies.viewer_can import CREATE_USER_ACCOUNT, EDIT_USER_ACCOUNT, EDIT_USER_EMAIL
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.organisation_access import require_organisation
from resolvers.identity import credentials
from resolvers.identity.accounts import check_email, revoke_sessions
from resolvers.identity.passwords import hash_password
from resolvers.people import accounts, role_grants
from resolvers.people.users import find_member, member_snapshot, require_manages_everywhere


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
        actor, organisation_code, *CREATE_USER_ACCOUNT, "input", "organisationCode"
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
            membership = await accounts.place(
                user, organisation, roles, by=role_grants.Grantor.of(actor)
            )
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
        actor, organisation_code, *EDIT_USER_ACCOUNT, "input", "organisationCode"
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
        Authorizer(actor).require(*EDIT_USER_EMAIL, Target.of(organisation))
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

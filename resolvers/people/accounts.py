"""The one place that opens accounts and places people at organisations.

Every way a person comes to have an account or a place (inviteUser, registerUser,
designateExamsOfficer, createUserAccount, the board's addCentreUser, and the staff and centres
spreadsheets) checks them with the rules here and writes the User and Membership rows through
the functions here. So the rules for names, emails and the roles an actor may give are written
once, and a refused role reads the same wherever it is refused.

How an account starts decides its status:

- invited: a temporary password is emailed, to be changed at the first sign-in (INVITED);
- registered: no password; its owner activates it (PENDING_ACTIVATION);
- opened with a password a user manager chose, to be changed at the first sign-in (ACTIVE).

Every account gets a 6-digit PIN when it opens: the board's phone support asks for it to know
the caller is the account's owner (resolvers/network/pin_checks.py).

Signing in to an account once it exists is resolvers/identity/accounts.py's concern.
"""

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence

from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import ROLE_INFO, Actor, Authorizer, Role, Target
from resolvers.core.config import current
from resolvers.core.csv_files import in_batches
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.mail import MailTemplate, queue_email
from resolvers.identity import credentials
from resolvers.identity.accounts import check_email, check_name, revoke_sessions
from resolvers.identity.passwords import (
    check_password_policy,
    hash_password,
    personal_words,
    temporary_password,
)
from resolvers.people.role_grants import Grantor, regranted

# A person's checked details: "email", "first_name" and "last_name", as User's fields.
Person = dict[str, str]
_BATCH = 500


# --- the rules --------------------------------------------------------------------------------


def require_live(organisation: Organisation, *field: str) -> None:
    """Refuse to add people to a soft-deleted organisation.

    Its users have no access until the deletion is undone, so an invitation or registration
    there would send someone an account that opens nothing. The board may still tidy up the
    people already there (roles, names, removal).
    """
    if organisation.deleted_at is not None:
        raise DomainError.one(
            ErrorCode.ORGANISATION_DELETED,
            f"{organisation.name} is deleted: undo the deletion before adding people to it.",
            *(field or ("input", "organisationCode")),
        )


def require_not_exams_officer(membership: Membership) -> None:
    """The exams officer's place is the board's to change: nobody at the centre removes it."""
    if Role.EXAMS_OFFICER in membership.roles:
        raise DomainError.one(
            ErrorCode.CANNOT_REMOVE_EXAMS_OFFICER,
            "The exams officer can only be changed by the exam board.",
            "input",
            "userId",
        )


def role_refusal(role: str, kind: OrganisationKind, may_grant: Callable[[str], bool]) -> str | None:
    """Why `role` cannot be given at an organisation of this kind, or None if it can.

    `may_grant` answers for a role that exists there: the Authorizer's answer now, or the roles
    a board admin could give when a centres file was checked (its job runs later).
    """
    info = ROLE_INFO.get(Role(role)) if role in Role.__members__ else None
    if info is None or kind not in info.applies_to:
        givable = sorted(
            r.value
            for r, about in ROLE_INFO.items()
            if kind in about.applies_to
            and r not in (Role.GLOBAL_LISTENING, Role.EXAMS_OFFICER)
            and may_grant(r.value)
        )
        place = f"The role {role} does not exist at a {kind.value.lower()}"
        return f"{place}; use one or more of {', '.join(givable)}." if givable else f"{place}."
    if role == Role.GLOBAL_LISTENING:
        return "Global Listening cannot be given to anyone: only the exams officer can access it."
    if role == Role.EXAMS_OFFICER:
        return "The exams officer is designated by the exam board."
    if not may_grant(role):
        return f"You cannot grant the role {role} here."
    return None


def check_roles(
    actor: Actor, organisation: Organisation, roles: list[str], *, required: bool
) -> list[UserError]:
    """Every role the actor may not give at the organisation, and a missing one if required."""
    errors: list[UserError] = []
    if required and not roles:
        errors.append(
            UserError(ErrorCode.ROLES_REQUIRED, "Select one or more roles.", ("input", "roles"))
        )
    authorizer = Authorizer(actor)
    target = Target.of(organisation)
    for index, role in enumerate(roles):
        reason = role_refusal(
            role, organisation.kind, lambda r: authorizer.allows(f"role:{r}", "grant", target)
        )
        if reason is not None:
            errors.append(
                UserError(ErrorCode.ROLE_NOT_GRANTABLE, reason, ("input", "roles", str(index)))
            )
    return errors


def check_person(
    first_name: str | None, last_name: str | None, email: str | None = None
) -> tuple[Person, list[UserError]]:
    """Validate a person's names and email, collecting every problem at once.

    A value given as None is not checked and not in the result (an edit that leaves it as it
    is, or a person added by email alone).
    """
    checks: list[tuple[str, Callable[[], str]]] = []
    if first_name is not None:
        checks.append(
            (
                "first_name",
                lambda: check_name(first_name, "First or given name", "input", "firstName"),
            )
        )
    if last_name is not None:
        checks.append(
            (
                "last_name",
                lambda: check_name(last_name, "Last name or surname", "input", "lastName"),
            )
        )
    if email is not None:
        checks.append(("email", lambda: check_email(email, "input", "email")))
    values: Person = {}
    errors: list[UserError] = []
    for key, check in checks:
        try:
            values[key] = check()
        except DomainError as error:
            errors.extend(error.errors)
    return values, errors


def password_errors(
    password: str, email: str, first_name: str, last_name: str, *field: str
) -> list[UserError]:
    """A password a user manager chose for someone: given, and strong enough for them."""
    if not password:
        return [UserError(ErrorCode.VALUE_REQUIRED, "Enter a password.", field)]
    try:
        check_password_policy(
            password, field=field[-1], personal=personal_words(email, first_name, last_name)
        )
    except DomainError as error:
        return error.errors
    return []


def email_in_use(email: str) -> UserError:
    return UserError(
        ErrorCode.EMAIL_IN_USE, "That email address is already in use.", ("input", "email")
    )


async def check_newcomer(
    actor: Actor,
    organisation: Organisation,
    *,
    first_name: str | None,
    last_name: str | None,
    email: str,
    roles: list[str],
    roles_required: bool,
    password: str | None = None,
    email_taken: Callable[[str], UserError] | None = email_in_use,
) -> Person:
    """The checked details of a person about to be given a place at the organisation: names,
    email, roles and (when a user manager chose one) password, every problem raised at once.

    With `email_taken`, the email must be new to the site (the refusal it makes says what to
    do instead); without it, an existing account may be given the place.
    """
    values, errors = check_person(first_name, last_name, email)
    errors.extend(check_roles(actor, organisation, roles, required=roles_required))
    if password is not None:
        errors.extend(
            password_errors(password, email, first_name or "", last_name or "", "input", "password")
        )
    if email_taken is not None and "email" in values and await User.exists(email=values["email"]):
        errors.append(email_taken(values["email"]))
    if errors:
        raise DomainError(errors)
    return values


def new_pin() -> str:
    """An account's 6-digit PIN."""
    return f"{secrets.randbelow(1_000_000):06d}"


# --- the writes -------------------------------------------------------------------------------


def _registered(person: Person, pin: str | None) -> User:
    return User(**person, status=UserStatus.PENDING_ACTIVATION, pin=pin or new_pin())


def _invited(person: Person, password_hash: str) -> User:
    return User(
        **person,
        pin=new_pin(),
        password_hash=password_hash,
        status=UserStatus.INVITED,
        must_change_password=True,
        temporary_password_expires_at=credentials.temporary_until(),
    )


def _with_password(person: Person, password_hash: str) -> User:
    return User(
        **person,
        pin=new_pin(),
        password_hash=password_hash,
        status=UserStatus.ACTIVE,
        must_change_password=True,
        temporary_password_expires_at=credentials.temporary_until(),
    )


async def _open(user: User) -> User:
    await user.save(force_create=True)
    return user


async def invite(actor: Actor, organisation: Organisation, person: Person) -> User:
    """A new invited account; the invitation with its temporary password is emailed."""
    password = temporary_password()
    user = await _open(_invited(person, hash_password(password)))
    await _send_invitation(actor, organisation, user, password)
    return user


async def reinvite(actor: Actor, organisation: Organisation, user: User) -> None:
    """A new temporary password for an invited account, emailed; the old one stops working.

    So do its sessions and any emailed code: whoever still holds the old invitation (the
    reason to send another may be that it went astray) cannot finish signing in with it.
    """
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.temporary_password_expires_at = credentials.temporary_until()
    await user.save(
        update_fields=["password_hash", "must_change_password", "temporary_password_expires_at"]
    )
    await revoke_sessions(user.id)
    await credentials.end_outstanding_codes(user.id)
    await _send_invitation(actor, organisation, user, password)


async def _send_invitation(
    actor: Actor, organisation: Organisation, user: User, password: str
) -> None:
    inviter = await User.get_or_none(id=actor.user_id) if actor.user_id else None
    assert user.temporary_password_expires_at is not None
    await queue_email(
        user.email,
        MailTemplate.INVITATION,
        first_name=user.first_name,
        inviter_name=inviter.full_name if inviter else "The exam board",
        organisation_name=organisation.name,
        organisation_code=organisation.code,
        sign_in_url=current().sign_in_page,
        email=user.email,
        temporary_password=password,
        expires_on=credentials.moment(user.temporary_password_expires_at),
    )


async def register(person: Person, *, pin: str | None = None) -> User:
    """A new account waiting for its owner to activate it."""
    return await _open(_registered(person, pin))


async def open_with_password(person: Person, password_hash: str) -> User:
    """A new active account whose password must be changed at the first sign-in."""
    return await _open(_with_password(person, password_hash))


async def register_many(people: Sequence[Person], pins: dict[str, str]) -> dict[str, int]:
    """New accounts waiting for activation, each with its PIN by email; their ids by email."""
    return await _open_many([_registered(p, pins[p["email"]]) for p in people])


async def open_many_with_passwords(
    people: Sequence[tuple[Person, str]],
) -> dict[str, int]:
    """New active accounts, each with its password hash; their ids by email."""
    return await _open_many([_with_password(p, password_hash) for p, password_hash in people])


async def _open_many(users: list[User]) -> dict[str, int]:
    await User.bulk_create(users, batch_size=_BATCH)
    # bulk_create does not hand back ids on every backend: read them back.
    return dict(
        await in_batches(
            [u.email for u in users],
            lambda chunk: User.filter(email__in=chunk).values_list("email", "id"),
        )
    )


async def place(
    user: User, organisation: Organisation, roles: Iterable[str], *, by: Grantor
) -> Membership:
    """A new account's place at the organisation, with these roles, granted by `by`."""
    held = sorted(set(roles))
    return await Membership.create(
        user=user, organisation=organisation, roles=held, role_grants=regranted({}, (), held, by)
    )


async def place_many(
    places: Iterable[tuple[int, int, list[str]]],
    *,
    by: Grantor,
    kept: Mapping[tuple[int, int], Mapping[str, dict[str, object]]] | None = None,
) -> None:
    """New places at once, each (user id, organisation id, roles), granted by `by`; `kept`,
    by (user id, organisation id), holds the grants a place given back had, which stay."""
    kept = kept or {}

    def grants(
        user_id: int, organisation_id: int, roles: list[str]
    ) -> dict[str, dict[str, object]]:
        if (user_id, organisation_id) not in kept:
            return regranted({}, (), roles, by)
        # A place given back holds its roles as it did: unrecorded grants stay so.
        return regranted(kept[user_id, organisation_id], roles, roles, by)

    await Membership.bulk_create(
        [
            Membership(
                user_id=user_id,
                organisation_id=organisation_id,
                roles=sorted(set(roles)),
                role_grants=grants(user_id, organisation_id, roles),
            )
            for user_id, organisation_id, roles in places
        ],
        batch_size=_BATCH,
    )


async def add_roles(
    user: User, organisation: Organisation, roles: Iterable[str], *, by: Grantor
) -> tuple[Membership, list[str]]:
    """Give an account these roles at the organisation, placing it there if it is not yet.

    Roles it holds stay. Returns the place and the roles it held before (none if it is new).
    """
    membership, _ = await Membership.get_or_create(
        user_id=user.id, organisation_id=organisation.id, defaults={"roles": []}
    )
    before = sorted(membership.roles)
    membership.roles = sorted(set(membership.roles) | set(roles))
    membership.role_grants = regranted(membership.role_grants, before, membership.roles, by)
    await membership.save(update_fields=["roles", "role_grants"])
    return membership, before


async def issue_missing_pins() -> int:
    """A PIN for every account opened before every account got one; how many were given."""
    missing = await User.filter(pin__isnull=True).values_list("id", flat=True)
    for user_id in missing:
        # Conditional: an account given one meanwhile keeps it.
        await User.filter(id=user_id, pin__isnull=True).update(pin=new_pin())
    return len(missing)

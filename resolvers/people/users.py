"""User management at an organisation and the board's registrations."""

from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import ROLE_INFO, Actor, Authorizer, Forbidden, Role, Target
from resolvers.core import audit
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.mail import MailTemplate, queue_email
from resolvers.core.pages import Page, check_page
from resolvers.identity.accounts import check_email, check_name
from resolvers.identity.passwords import hash_password, temporary_password
from resolvers.network.organisations import require_organisation


class InviteOutcome(StrEnum):
    INVITED = "INVITED"
    ROLES_ADDED_TO_EXISTING_ACCOUNT = "ROLES_ADDED_TO_EXISTING_ACCOUNT"


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    outcome: InviteOutcome


async def list_users(
    actor: Actor, code: str, *, search: str | None = None, limit: int = 15, offset: int = 0
) -> Page[Membership]:
    """An organisation's users, sorted by full name, searchable by name or email."""
    organisation = await require_organisation(actor, code, "users", "read", "organisationCode")
    check_page(limit, offset)
    query = Membership.filter(organisation_id=organisation.id)
    for term in (search or "").split():
        query = query.filter(
            Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(user__email__icontains=term)
        )
    total = await query.count()
    items = (
        await query.select_related("user")
        .order_by("user__first_name", "user__last_name", "id")
        .offset(offset)
        .limit(limit)
    )
    # Every row belongs to the organisation loaded above: joining it again to each row only
    # builds one more model object per row.
    for membership in items:
        membership.organisation = organisation
    return Page(items=list(items), total=total, offset=offset)


async def get_member(actor: Actor, code: str, user_id: int) -> Membership | None:
    organisation = await require_organisation(actor, code, "users", "read", "organisationCode")
    return await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user", "organisation")


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


def check_roles(
    actor: Actor, organisation: Organisation, roles: list[str], *, required: bool
) -> list[UserError]:
    errors: list[UserError] = []
    if required and not roles:
        errors.append(
            UserError(ErrorCode.ROLES_REQUIRED, "Select one or more roles.", ("input", "roles"))
        )
    authorizer = Authorizer(actor)
    target = Target.of(organisation)
    for index, role in enumerate(roles):
        info = ROLE_INFO.get(Role(role)) if role in Role.__members__ else None
        if info is None or organisation.kind not in info.applies_to:
            reason = f"The role {role} does not exist at a {organisation.kind.value.lower()}."
        elif role == Role.GLOBAL_LISTENING:
            reason = (
                "Global Listening cannot be given to anyone: only the exams officer can access it."
            )
        elif role == Role.EXAMS_OFFICER:
            reason = "The exams officer is designated by the exam board."
        elif not authorizer.allows(f"role:{role}", "grant", target):
            reason = f"You cannot grant the role {role} here."
        else:
            continue
        errors.append(
            UserError(ErrorCode.ROLE_NOT_GRANTABLE, reason, ("input", "roles", str(index)))
        )
    return errors


def member_snapshot(membership: Membership, user: User) -> dict:
    return {
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "status": user.status.value,
        "roles": sorted(membership.roles),
    }


async def invite_user(
    actor: Actor,
    *,
    organisation_code: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
) -> Invitation:
    """Invite a person with a temporary password, or add the roles to their existing account."""
    organisation = await require_organisation(
        actor, organisation_code, "users", "manage", "input", "organisationCode"
    )
    require_live(organisation)
    values, errors = check_person(first_name, last_name, email)
    errors.extend(check_roles(actor, organisation, roles, required=True))
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        user = await User.get_or_none(email=values["email"])
        if user is not None:
            membership, _ = await Membership.get_or_create(
                user_id=user.id, organisation_id=organisation.id, defaults={"roles": []}
            )
            before = member_snapshot(membership, user)
            membership.roles = sorted(set(membership.roles) | set(roles))
            await membership.save(update_fields=["roles"])
            outcome = InviteOutcome.ROLES_ADDED_TO_EXISTING_ACCOUNT
        else:
            before = None
            password = temporary_password()
            user = await User.create(
                email=values["email"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                password_hash=hash_password(password),
                status=UserStatus.INVITED,
                must_change_password=True,
            )
            membership = await Membership.create(
                user=user, organisation=organisation, roles=sorted(set(roles))
            )
            await _send_invitation(actor, user, organisation, password)
            outcome = InviteOutcome.INVITED
        await audit.record(
            actor,
            "user.invite",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user.id,
            before=before,
            after={**member_snapshot(membership, user), "outcome": outcome.value},
        )
    membership.user = user
    membership.organisation = organisation
    return Invitation(membership=membership, outcome=outcome)


async def register_user(
    actor: Actor,
    *,
    organisation_code: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
) -> Membership:
    """The board registers an email; the person then activates the account themselves."""
    organisation = await require_organisation(
        actor, organisation_code, "users", "register", "input", "organisationCode"
    )
    require_live(organisation)
    values, errors = check_person(first_name, last_name, email)
    errors.extend(check_roles(actor, organisation, roles, required=False))
    if "email" in values and await User.exists(email=values["email"]):
        errors.append(
            UserError(
                ErrorCode.EMAIL_IN_USE, "That email address is already in use.", ("input", "email")
            )
        )
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        user = await User.create(
            email=values["email"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            status=UserStatus.PENDING_ACTIVATION,
        )
        membership = await Membership.create(
            user=user, organisation=organisation, roles=sorted(set(roles))
        )
        await audit.record(
            actor,
            "user.register",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user.id,
            after=member_snapshot(membership, user),
        )
    membership.user = user
    membership.organisation = organisation
    return membership


async def find_member(organisation: Organisation, user_id: int) -> Membership:
    membership = await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user")
    if membership is None:
        raise DomainError.one(
            ErrorCode.NOT_A_MEMBER,
            f"That user does not belong to {organisation.name}.",
            "input",
            "userId",
        )
    membership.organisation = organisation
    return membership


async def update_user_roles(
    actor: Actor, *, organisation_code: str, user_id: int, roles: list[str]
) -> Membership:
    """Set the roles the actor may grant; roles they may not grant (the exams officer's) stay."""
    organisation = await require_organisation(
        actor, organisation_code, "users", "manage", "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    errors = check_roles(actor, organisation, roles, required=False)
    if errors:
        raise DomainError(errors)
    authorizer = Authorizer(actor)
    target = Target.of(organisation)
    async with in_transaction():
        # The roles kept and the audit's "before" come from the row as it is now, read again
        # and locked (on PostgreSQL; SQLite runs one transaction at a time): a change made
        # meanwhile by another request or process, such as the board designating this person
        # exams officer, must neither be overwritten nor missing from the audit trail.
        fresh = await Membership.select_for_update().get_or_none(id=membership.id)
        if fresh is None:
            raise DomainError.one(
                ErrorCode.NOT_A_MEMBER,
                f"That user does not belong to {organisation.name}.",
                "input",
                "userId",
            )
        membership.roles = fresh.roles
        before = member_snapshot(membership, membership.user)
        kept = {r for r in membership.roles if not authorizer.allows(f"role:{r}", "grant", target)}
        membership.roles = sorted(kept | set(roles))
        await membership.save(update_fields=["roles"])
        await audit.record(
            actor,
            "user.update_roles",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            before=before,
            after=member_snapshot(membership, membership.user),
        )
    return membership


async def update_user_names(
    actor: Actor, *, organisation_code: str, user_id: int, first_name: str, last_name: str
) -> Membership:
    organisation = await require_organisation(
        actor, organisation_code, "users", "manage", "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    await require_manages_everywhere(actor, user_id, organisation)
    values, errors = check_person(first_name, last_name)
    if errors:
        raise DomainError(errors)
    user = membership.user
    async with in_transaction():
        before = member_snapshot(membership, user)
        user.first_name = values["first_name"]
        user.last_name = values["last_name"]
        await user.save(update_fields=["first_name", "last_name"])
        await audit.record(
            actor,
            "user.update_names",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            before=before,
            after=member_snapshot(membership, user),
        )
    return membership


async def require_manages_everywhere(
    actor: Actor, user_id: int, organisation: Organisation
) -> None:
    """A person's names are their account's, shown at every organisation they belong to.

    Managing users at one organisation must not reach an account that others share: a centre's
    user manager could otherwise add anyone (another centre's exams officer, a board admin) by
    inviting their email, then rename them everywhere. So the actor must manage users at each
    of the person's organisations, soft-deleted ones included (an undo brings them back).
    """
    authorizer = Authorizer(actor)
    others = (
        await Membership.filter(user_id=user_id)
        .exclude(organisation_id=organisation.id)
        .select_related("organisation")
    )
    for other in others:
        if not authorizer.allows("users", "manage", Target.of(other.organisation)):
            raise Forbidden(
                "This person also belongs to another organisation, so only someone who "
                "manages users at all of their organisations may change their names."
            )


async def remove_user(actor: Actor, *, organisation_code: str, user_id: int) -> User:
    """Take a person out of the organisation; their account and other organisations stay."""
    organisation = await require_organisation(
        actor, organisation_code, "users", "manage", "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    if user_id == actor.user_id:
        raise DomainError.one(
            ErrorCode.CANNOT_REMOVE_SELF,
            "You cannot remove yourself; ask another user manager.",
            "input",
            "userId",
        )
    if Role.EXAMS_OFFICER in membership.roles:
        raise DomainError.one(
            ErrorCode.CANNOT_REMOVE_EXAMS_OFFICER,
            "The exams officer can only be changed by the exam board.",
            "input",
            "userId",
        )
    async with in_transaction():
        before = member_snapshot(membership, membership.user)
        await membership.delete()
        await audit.record(
            actor,
            "user.remove_from_organisation",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            before=before,
        )
    return membership.user


@dataclass(frozen=True)
class Designation:
    organisation: Organisation
    exams_officer: User
    previous: list[User]
    invited: bool


async def designate_exams_officer(
    actor: Actor,
    *,
    organisation_code: str,
    email: str,
    first_name: str | None,
    last_name: str | None,
) -> Designation:
    """The board makes someone the organisation's exams officer (one per organisation)."""
    organisation = await require_organisation(
        actor, organisation_code, "exams_officer", "designate", "input", "organisationCode"
    )
    if organisation.kind is OrganisationKind.BOARD:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            "The exam board has no exams officer.",
            "input",
            "organisationCode",
        )
    require_live(organisation)
    normalised = check_email(email, "input", "email")
    user = await User.get_or_none(email=normalised)
    names: dict[str, str] = {}
    if user is None:
        names, errors = check_person(first_name or "", last_name or "")
        if errors:
            raise DomainError(errors)
    async with in_transaction():
        previous: list[User] = []
        for other in await Membership.filter(organisation_id=organisation.id).select_related(
            "user"
        ):
            if Role.EXAMS_OFFICER in other.roles and other.user_id != (user.id if user else None):
                other.roles = [r for r in other.roles if r != Role.EXAMS_OFFICER]
                await other.save(update_fields=["roles"])
                previous.append(other.user)
        invited = user is None
        if user is None:
            password = temporary_password()
            user = await User.create(
                email=normalised,
                password_hash=hash_password(password),
                status=UserStatus.INVITED,
                must_change_password=True,
                **names,
            )
            await _send_invitation(actor, user, organisation, password)
        else:
            await queue_email(
                user.email,
                MailTemplate.EXAMS_OFFICER_DESIGNATED,
                first_name=user.first_name,
                organisation_name=organisation.name,
                organisation_code=organisation.code,
            )
        membership, _ = await Membership.get_or_create(
            user_id=user.id, organisation_id=organisation.id, defaults={"roles": []}
        )
        membership.roles = sorted(set(membership.roles) | {Role.EXAMS_OFFICER.value})
        await membership.save(update_fields=["roles"])
        await audit.record(
            actor,
            "organisation.designate_exams_officer",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user.id,
            before={"examsOfficers": [u.email for u in previous]},
            after={"examsOfficer": user.email, "invited": invited},
        )
    return Designation(organisation, user, previous, invited)


async def _send_invitation(
    actor: Actor, user: User, organisation: Organisation, password: str
) -> None:
    inviter = await User.get_or_none(id=actor.user_id) if actor.user_id else None
    await queue_email(
        user.email,
        MailTemplate.INVITATION,
        first_name=user.first_name,
        inviter_name=inviter.full_name if inviter else "The exam board",
        organisation_name=organisation.name,
        organisation_code=organisation.code,
        sign_in_url=f"{current().public_url}/graphql",
        email=user.email,
        temporary_password=password,
    )


def check_person(
    first_name: str | None, last_name: str | None, email: str | None = None
) -> tuple[dict[str, str], list[UserError]]:
    """Validate a person's names and email, collecting every problem at once.

    A value given as None is not checked and not in the result (an edit that leaves it as it
    is, or a person added by email alone).
    """
    values: dict[str, str] = {}
    errors: list[UserError] = []
    checks = []
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
    for key, check in checks:
        try:
            values[key] = check()
        except DomainError as error:
            errors.extend(error.errors)
    return values, errors

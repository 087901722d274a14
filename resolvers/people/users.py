"""User management at an organisation and the board's registrations."""

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from policies import Actor, Authorizer, Forbidden, Reason, Role, Target
from policies.viewer_can import (
    DESIGNATE_EXAMS_OFFICER,
    MANAGE_USERS,
    REGISTER_USER,
    manages_everywhere,
)
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.mail import MailTemplate, queue_email
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page
from resolvers.core.search import word_filters
from resolvers.identity.accounts import check_email
from resolvers.people import accounts, role_grants


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A user of an organisation as its users list shows them: plain values read as such, no
    model built per row. Every row's organisation is the list's."""

    user_id: int
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    last_login_at: datetime | None
    totp_enabled_at: datetime | None
    roles: list[str]


# MemberRow's fields, and where a membership's row finds them.
_MEMBER_FIELDS = {
    "user_id": "user_id",
    "email": "user__email",
    "first_name": "user__first_name",
    "last_name": "user__last_name",
    "status": "user__status",
    "last_login_at": "user__last_login_at",
    "totp_enabled_at": "user__totp_enabled_at",
    "roles": "roles",
}


async def list_users(
    actor: Actor, code: str, *, search: str | None = None, limit: int = 15, offset: int = 0
) -> tuple[Organisation, Page[MemberRow]]:
    """An organisation's users, sorted by full name, searchable by name or email; and the
    organisation."""
    organisation = await require_organisation(actor, code, "users", "read", "organisationCode")
    check_page(limit, offset)
    query = Membership.filter(organisation_id=organisation.id)
    query = query.filter(*word_filters(search, User, via="user__", fields=("email",)))
    total = await query.count()
    rows = (
        await query.order_by("user__first_name", "user__last_name", "id")
        .offset(offset)
        .limit(limit)
        .values(**_MEMBER_FIELDS)
    )
    items = [MemberRow(**row) for row in rows]
    return organisation, Page(items=items, total=total, offset=offset)


async def users_by_ids(actor: Actor, user_ids: list[int]) -> dict[int, User]:
    """The users organisation_users would show somewhere: a person is seen by whoever may read
    the users of one of their organisations (soft-deleted ones only by the board, as
    require_organisation decides), and by themselves, as `me` shows them. Two queries in all."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    memberships = await Membership.filter(user_id__in=user_ids).select_related("organisation")
    seen = {
        membership.user_id
        for membership in memberships
        if authorizer.allows("users", "read", Target.of(membership.organisation))
    }
    if actor.user_id in user_ids:
        seen.add(actor.user_id)
    if not seen:
        return {}
    return {user.id: user for user in await User.filter(id__in=seen)}


async def get_member(actor: Actor, code: str, user_id: int) -> Membership | None:
    organisation = await require_organisation(actor, code, "users", "read", "organisationCode")
    return await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user", "organisation")


def member_snapshot(user: User, roles: list[str]) -> dict:
    """A person at an organisation, as the audit trail records them."""
    return {
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "status": user.status.value,
        "roles": sorted(roles),
    }


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
        actor, organisation_code, *REGISTER_USER, "input", "organisationCode"
    )
    accounts.require_live(organisation)
    values = await accounts.check_newcomer(
        actor,
        organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        roles=roles,
        roles_required=False,
    )
    async with in_transaction():
        user = await accounts.register(values)
        membership = await accounts.place(
            user, organisation, roles, by=role_grants.Grantor.of(actor)
        )
        await audit.record(
            actor,
            "user.register",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user.id,
            after=member_snapshot(user, membership.roles),
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
        actor, organisation_code, *MANAGE_USERS, "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    errors = accounts.check_roles(actor, organisation, roles, required=False)
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
        before = member_snapshot(membership.user, membership.roles)
        kept = {r for r in membership.roles if not authorizer.allows(f"role:{r}", "grant", target)}
        membership.roles = sorted(kept | set(roles))
        membership.role_grants = role_grants.regranted(
            fresh.role_grants, fresh.roles, membership.roles, role_grants.Grantor.of(actor)
        )
        await membership.save(update_fields=["roles", "role_grants"])
        await audit.record(
            actor,
            "user.update_roles",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            before=before,
            after=member_snapshot(membership.user, membership.roles),
        )
    return membership


async def update_user_names(
    actor: Actor, *, organisation_code: str, user_id: int, first_name: str, last_name: str
) -> Membership:
    organisation = await require_organisation(
        actor, organisation_code, *MANAGE_USERS, "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    await require_manages_everywhere(actor, user_id, organisation)
    values, errors = accounts.check_person(first_name, last_name)
    if errors:
        raise DomainError(errors)
    user = membership.user
    async with in_transaction():
        before = member_snapshot(user, membership.roles)
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
            after=member_snapshot(user, membership.roles),
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
    if not manages_everywhere(authorizer, (Target.of(o.organisation) for o in others)):
        raise Forbidden(
            "This person also belongs to another organisation, so only someone who "
            "manages users at all of their organisations may change their names.",
            Reason.NOT_GRANTABLE,
        )


async def remove_user(actor: Actor, *, organisation_code: str, user_id: int) -> User:
    """Take a person out of the organisation; their account and other organisations stay."""
    organisation = await require_organisation(
        actor, organisation_code, *MANAGE_USERS, "input", "organisationCode"
    )
    membership = await find_member(organisation, user_id)
    if user_id == actor.user_id:
        raise DomainError.one(
            ErrorCode.CANNOT_REMOVE_SELF,
            "You cannot remove yourself; ask another user manager.",
            "input",
            "userId",
        )
    accounts.require_not_exams_officer(membership)
    async with in_transaction():
        before = member_snapshot(membership.user, membership.roles)
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
    """The board makes someone the organisation's exams officer (one per organisation).

    A new email gets an invited account, with the names given; an existing account keeps its
    names and is told by email.
    """
    organisation = await require_organisation(
        actor, organisation_code, *DESIGNATE_EXAMS_OFFICER, "input", "organisationCode"
    )
    if organisation.kind is OrganisationKind.BOARD:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            "The exam board has no exams officer.",
            "input",
            "organisationCode",
        )
    accounts.require_live(organisation)
    normalised = check_email(email, "input", "email")
    user = await User.get_or_none(email=normalised)
    names: dict[str, str] = {}
    if user is None:
        names, errors = accounts.check_person(first_name or "", last_name or "")
        if errors:
            raise DomainError(errors)
    async with in_transaction():
        previous = await _step_down_exams_officers(organisation, keep=user)
        invited = user is None
        if user is None:
            user = await accounts.invite(actor, organisation, {"email": normalised, **names})
        else:
            await queue_email(
                user.email,
                MailTemplate.EXAMS_OFFICER_DESIGNATED,
                first_name=user.first_name,
                organisation_name=organisation.name,
                organisation_code=organisation.code,
            )
        await accounts.add_roles(
            user, organisation, [Role.EXAMS_OFFICER.value], by=role_grants.Grantor.of(actor)
        )
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


async def _step_down_exams_officers(organisation: Organisation, keep: User | None) -> list[User]:
    """Take the exams officer role from everyone at the organisation but `keep`; who had it."""
    previous: list[User] = []
    for other in await Membership.filter(organisation_id=organisation.id).select_related("user"):
        if Role.EXAMS_OFFICER in other.roles and other.user_id != (keep.id if keep else None):
            other.roles = [r for r in other.roles if r != Role.EXAMS_OFFICER]
            other.role_grants = role_grants.regranted(
                other.role_grants, other.roles, other.roles, None
            )
            await other.save(update_fields=["roles", "role_grants"])
            previous.append(other.user)
    return previous

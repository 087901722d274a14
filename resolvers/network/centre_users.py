"""The board's "Manage centres": a centre's users, with their PINs and last sign-in; adding a
user by email (with the activation email), sending that email again, and taking a user out."""

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.sessions import OneTimeCodePurpose
from models.users import Membership, User, UserStatus
from policies import Actor
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pages import Page, check_page
from resolvers.identity import recovery
from resolvers.network.centres import require_board_centre
from resolvers.people import accounts, role_grants
from resolvers.people.users import find_member, member_snapshot


@dataclass(frozen=True)
class CentreUserRow:
    """A centre's user as the board's list shows them."""

    centre_id: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    pin: str | None
    last_login_at: datetime | None
    roles: list[str]


async def list_centre_users(
    actor: Actor, code: str, *, limit: int = 15, offset: int = 0
) -> Page[CentreUserRow]:
    """The centre's users by email, with PIN and last sign-in; deleted centres included."""
    centre = await require_board_centre(actor, code, "code")
    check_page(limit, offset)
    query = Membership.filter(organisation_id=centre.id)
    total = await query.count()
    # Plain values in one joined query: the board's list can be long, and model objects for
    # each membership and user cost more than the SQL.
    rows = await (
        query.order_by("user__email", "id")
        .offset(offset)
        .limit(limit)
        .values(
            "user_id",
            "roles",
            "user__email",
            "user__first_name",
            "user__last_name",
            "user__status",
            "user__pin",
            "user__last_login_at",
        )
    )
    items = [
        CentreUserRow(
            centre_id=centre.id,
            user_id=row["user_id"],
            email=row["user__email"],
            first_name=row["user__first_name"],
            last_name=row["user__last_name"],
            status=UserStatus(row["user__status"]),
            pin=row["user__pin"],
            last_login_at=row["user__last_login_at"],
            roles=sorted(row["roles"] or []),
        )
        for row in rows
    ]
    return Page(items=items, total=total, offset=offset)


async def add_centre_user(
    actor: Actor,
    *,
    code: str,
    email: str,
    first_name: str | None = None,
    last_name: str | None = None,
    roles: list[str] | None = None,
) -> CentreUserRow:
    """Register an email at the centre with a new PIN, and send the activation email.

    Like registerUser, the account waits for its owner to activate it; unlike it, the email is
    sent at once, as the seed's "Add" does. The address must be new anywhere: an account that
    exists already is given places with inviteUser or designateExamsOfficer.
    """
    centre = await require_board_centre(actor, code)
    accounts.require_live(centre, "input", "code")
    granted = sorted(set(roles or []))
    # The names are optional: one left blank stays empty until the person activates.
    given = await accounts.check_newcomer(
        actor,
        centre,
        first_name=_given(first_name),
        last_name=_given(last_name),
        email=email,
        roles=granted,
        roles_required=False,
    )
    values = {"first_name": "", "last_name": "", **given}
    try:
        async with in_transaction():
            user = await accounts.register(values, pin=accounts.new_pin())
            await accounts.place(user, centre, granted, by=role_grants.Grantor.of(actor))
            row = user_row(user, centre.id, granted)
            await audit.record(
                actor,
                "centre.add_user",
                organisation_id=centre.id,
                target_type="User",
                target_id=user.id,
                # The PIN is a credential: the audit says one was issued, not what it is.
                after={**member_snapshot(user, granted), "pinIssued": True},
            )
            # The activation request's own flow (code, link, email), in this transaction.
            await recovery.request_code(
                actor, OneTimeCodePurpose.ACCOUNT_ACTIVATION, email=user.email
            )
    except IntegrityError:
        # Another request registered the address between the check and the insert.
        raise DomainError([accounts.email_in_use(values["email"])]) from None
    return row


async def resend_activation(actor: Actor, *, code: str, user_id: int) -> CentreUserRow:
    """The activation email again (a new link and code; earlier ones stop working), for a
    centre's user whose account still waits for activation."""
    centre = await require_board_centre(actor, code)
    membership = await find_member(centre, user_id)
    user = membership.user
    if user.status is not UserStatus.PENDING_ACTIVATION:
        raise DomainError.one(
            ErrorCode.NOT_PENDING_ACTIVATION,
            f"{user.email} is not waiting for activation (their account is "
            f"{user.status.value.lower().replace('_', ' ')}): there is nothing to resend.",
            "input",
            "userId",
        )
    # The public request's own flow: code, link, email and audit event in one transaction,
    # and its hourly limit, so the board cannot flood a mailbox either.
    if not await recovery.request_code(
        actor, OneTimeCodePurpose.ACCOUNT_ACTIVATION, email=user.email
    ):
        raise DomainError.one(
            ErrorCode.TOO_MANY_EMAILS,
            f"{recovery.MAX_REQUESTS_PER_HOUR} activation emails went to {user.email} in the "
            "last hour: wait before sending another.",
            "input",
            "userId",
        )
    return user_row(user, centre.id, membership.roles)


def user_row(user: User, centre_id: int, roles: list[str]) -> CentreUserRow:
    return CentreUserRow(
        centre_id=centre_id,
        user_id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        status=user.status,
        pin=user.pin,
        last_login_at=user.last_login_at,
        roles=sorted(roles),
    )


def _given(name: str | None) -> str | None:
    return name if name and name.strip() else None

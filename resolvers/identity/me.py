"""Who the signed-in user is: their account, their roles per organisation, where they may act."""

from dataclasses import dataclass
from datetime import datetime

from models.users import User, UserStatus
from policies import Actor, Authorizer
from resolvers.core.organisation_access import (
    OrganisationRow,
    organisations_by_id,
    organisations_for,
)
from resolvers.core.statements import fields_of, read_rows


@dataclass(frozen=True, slots=True)
class Account:
    """The columns of the user's own account that `me` shows."""

    id: int
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    last_login_at: datetime | None
    totp_enabled_at: datetime | None


@dataclass(frozen=True)
class MeView:
    user: Account
    grants: list[tuple[OrganisationRow, list[str]]]
    acting_for: list[OrganisationRow]


# Written out (resolvers/core/statements.py): every page a UI shows asks `me`.
_ACCOUNT = (
    "SELECT id, email, first_name, last_name, status, last_login_at, totp_enabled_at "
    'FROM "user" WHERE id = ?'
)
_ACCOUNT_CONVERT = fields_of(User, "status", "last_login_at", "totp_enabled_at")


async def me(actor: Actor) -> MeView:
    """The signed-in user, their roles per organisation, and where they may act."""
    Authorizer(actor).require_signed_in()
    [account] = await read_rows(User, _ACCOUNT, [actor.user_id], _ACCOUNT_CONVERT)
    acting_for = await organisations_for(actor)
    by_id = {o.id: o for o in acting_for}
    missing = [p.organisation_id for p in actor.placements if p.organisation_id not in by_id]
    if missing:
        by_id.update({o.id: o for o in await organisations_by_id(missing)})
    grants = [
        (by_id[p.organisation_id], sorted(p.roles)) for p in actor.placements if not p.deleted
    ]
    return MeView(user=Account(**account), grants=grants, acting_for=acting_for)

"""Who may set another person's credentials: their password or their email address.

Whoever sets them can sign in as that person (a password directly; an email address through a
password reset sent to it). So it is allowed only to someone who could have made that person what
they are: at every organisation the person belongs to, the caller manages users, and could give
them each role they hold there. User management grants roles (`role:<R>, grant`); the exams
officer's role, and the Global Listening that comes with it, are designated by the board
(`exams_officer, designate`), so only the board reaches an exams officer.
"""

from dataclasses import dataclass

from policies.actor import Actor, Target
from policies.authorizer import Authorizer
from policies.errors import Forbidden
from policies.reasons import Reason
from policies.roles import Role

# Roles that come only from the board's designation, never from a grant.
DESIGNATED = frozenset({Role.EXAMS_OFFICER.value, Role.GLOBAL_LISTENING.value})


@dataclass(frozen=True, slots=True)
class Holding:
    """One organisation the person belongs to, and the roles they hold there."""

    target: Target
    organisation_name: str
    roles: frozenset[str]


def could_give(authorizer: Authorizer, role: str, target: Target) -> bool:
    if role in DESIGNATED:
        return authorizer.allows("exams_officer", "designate", target)
    return authorizer.allows(f"role:{role}", "grant", target)


def credentials_refusal(actor: Actor, holdings: list[Holding], *, acting_at: int) -> str | None:
    """Why the actor may not set this person's password or email, or None when they may.

    `acting_at` is the organisation the request names: another organisation is not named in the
    answer, since the caller may not even know the person belongs there.
    """
    authorizer = Authorizer(actor)
    for holding in sorted(holdings, key=lambda h: h.target.id != acting_at):
        here = holding.target.id == acting_at
        manages = authorizer.allows("users", "manage", holding.target)
        out_of_reach = sorted(
            role for role in holding.roles if not could_give(authorizer, role, holding.target)
        )
        if manages and not out_of_reach:
            continue
        if not here:
            return (
                "This person also belongs to another organisation, where you could not give "
                "them the roles they hold, so you may not set their password or email address."
            )
        if Role.EXAMS_OFFICER.value in out_of_reach:
            return (
                f"This person is the exams officer of {holding.organisation_name}: only the "
                "exam board may set their password or email address."
            )
        if out_of_reach:
            return (
                f"This person holds {', '.join(out_of_reach)} at {holding.organisation_name}, "
                "which you could not grant, so you may not set their password or email "
                "address."
            )
        return f"You do not manage users at {holding.organisation_name}."
    return None


def require_may_set_credentials(actor: Actor, holdings: list[Holding], *, acting_at: int) -> None:
    """Refuse (FORBIDDEN, naming the reason) unless the actor may set these credentials."""
    reason = credentials_refusal(actor, holdings, acting_at=acting_at)
    if reason is not None:
        raise Forbidden(reason, Reason.NOT_GRANTABLE)

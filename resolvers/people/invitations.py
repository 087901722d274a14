"""Invitations: inviting a person to an organisation, and sending an invitation again.

An invitation emails a temporary password that works for EXAMDESK_TEMPORARY_PASSWORD_DAYS. Until
the person has signed in and finished the first sign-in's steps the account stays INVITED, and
sending the invitation again (resendInvitation, or inviteUser with the same email) replaces the
temporary password: the old one, its sessions and any code emailed for it stop working.

Sending it again sets the person's password, so it follows the credentials rule
(policies/credentials.py): only someone who could give them every role they hold, wherever they
hold it. inviteUser for an invited person that rule leaves out of reach only adds the roles.
"""

from dataclasses import dataclass
from enum import StrEnum

from tortoise.transactions import in_transaction

from models.users import Membership, User, UserStatus
from policies import Actor
from policies.viewer_can import MANAGE_USERS
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation
from resolvers.identity import credentials
from resolvers.people import accounts, role_grants
from resolvers.people.users import find_member, member_snapshot


class InviteOutcome(StrEnum):
    INVITED = "INVITED"
    ROLES_ADDED_TO_EXISTING_ACCOUNT = "ROLES_ADDED_TO_EXISTING_ACCOUNT"
    # The person was invited before and has not signed in yet: a new temporary password.
    INVITATION_RESENT = "INVITATION_RESENT"


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    outcome: InviteOutcome


async def invite_user(
    actor: Actor,
    *,
    organisation_code: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
) -> Invitation:
    """Invite a person with a temporary password, or add the roles to their existing account
    (sending a still-invited person the invitation again)."""
    organisation = await require_organisation(
        actor, organisation_code, *MANAGE_USERS, "input", "organisationCode"
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
        email_taken=None,
    )
    async with in_transaction():
        user = await User.get_or_none(email=values["email"])
        if user is not None:
            resend = user.status is UserStatus.INVITED and await credentials.may_set(
                actor, user.id, organisation
            )
            membership, held = await accounts.add_roles(
                user, organisation, roles, by=role_grants.Grantor.of(actor)
            )
            before = member_snapshot(user, held)
            outcome = InviteOutcome.ROLES_ADDED_TO_EXISTING_ACCOUNT
            if resend:
                await accounts.reinvite(actor, organisation, user)
                outcome = InviteOutcome.INVITATION_RESENT
        else:
            before = None
            user = await accounts.invite(actor, organisation, values)
            membership = await accounts.place(
                user, organisation, roles, by=role_grants.Grantor.of(actor)
            )
            outcome = InviteOutcome.INVITED
        await audit.record(
            actor,
            "user.invite",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user.id,
            before=before,
            after={**member_snapshot(user, membership.roles), "outcome": outcome.value},
        )
    membership.user = user
    membership.organisation = organisation
    return Invitation(membership=membership, outcome=outcome)


async def resend_invitation(actor: Actor, *, organisation_code: str, user_id: int) -> Membership:
    """Email an invited person a new temporary password; the old one stops working."""
    organisation = await require_organisation(
        actor, organisation_code, *MANAGE_USERS, "input", "organisationCode"
    )
    accounts.require_live(organisation)
    membership = await find_member(organisation, user_id)
    user = membership.user
    _require_invited(user)
    await credentials.require_may_set(actor, user_id, organisation)
    async with in_transaction():
        # The transaction starts with a write (SQLite: take the write lock first).
        await audit.record(
            actor,
            "user.resend_invitation",
            organisation_id=organisation.id,
            target_type="User",
            target_id=user_id,
            after=member_snapshot(user, membership.roles),
        )
        await accounts.reinvite(actor, organisation, user)
    return membership


_NOT_INVITED = {
    UserStatus.ACTIVE: (
        "has already signed in and chosen a password. If they forgot it, they can reset it "
        "(requestPasswordReset), or you can set a new one with updateUserAccount."
    ),
    UserStatus.PENDING_ACTIVATION: (
        "was registered by the exam board and has no password yet: they activate the account "
        "themselves (requestAccountActivation)."
    ),
    UserStatus.DISABLED: "is disabled: an invitation would not let them sign in.",
}


def _require_invited(user: User) -> None:
    if user.status is not UserStatus.INVITED:
        raise DomainError.one(
            ErrorCode.ACCOUNT_NOT_INVITED,
            f"{user.full_name or user.email} {_NOT_INVITED[user.status]}",
            "input",
            "userId",
        )

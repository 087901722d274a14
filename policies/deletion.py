"""Who may delete whose account for good (deleteUserAccount).

Deleting an account takes everything the person is, everywhere: so it is allowed only to someone
who manages users where the person belongs and could have made them what they are there. That
is the credentials rule's reach (policies/credentials.py), narrowed further:

- never one's own account (someone else must do it, so it is never done by mistake);
- never the exams officer (the board designates them, and only the board replaces them);
- never an account that belongs to another organisation too, with roles or without: it is that
  organisation's as well (removeUser takes the person out of this one instead);
- never someone holding a role the caller could not grant here.

The user_accounts/delete permission (policy.csv) says who may delete at an organisation at all
(checked here too, so that this answer stands on its own); the rest says whom.
"""

from dataclasses import dataclass
from enum import StrEnum

from policies.actor import Actor
from policies.authorizer import Authorizer
from policies.credentials import Holding, could_give
from policies.roles import Role


class DeletionRefusal(StrEnum):
    NOT_PERMITTED = "NOT_PERMITTED"
    SELF = "SELF"
    EXAMS_OFFICER = "EXAMS_OFFICER"
    SHARED = "SHARED"
    ROLE_OUT_OF_REACH = "ROLE_OUT_OF_REACH"


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: DeletionRefusal
    message: str


def deletion_refusal(
    actor: Actor, user_id: int, holdings: list[Holding], *, acting_at: int
) -> Refusal | None:
    """Why the actor may not delete this person's account, or None when they may.

    `holdings` are every organisation the person belongs to; `acting_at` is the one the request
    names (another is never named in the answer: the caller may not know the person is there).
    """
    here = [h for h in holdings if h.target.id == acting_at]
    roles = here[0].roles if here else frozenset()
    name = here[0].organisation_name if here else "this organisation"
    authorizer = Authorizer(actor)
    if not here or not authorizer.allows("user_accounts", "delete", here[0].target):
        return Refusal(DeletionRefusal.NOT_PERMITTED, f"You may not delete accounts at {name}.")
    if user_id == actor.user_id:
        return Refusal(DeletionRefusal.SELF, "You cannot delete your own account.")
    if Role.EXAMS_OFFICER.value in roles:
        return Refusal(
            DeletionRefusal.EXAMS_OFFICER,
            "The exams officer can only be changed by the exam board.",
        )
    if len(here) != len(holdings):
        return Refusal(
            DeletionRefusal.SHARED,
            f"This person also belongs to another organisation, so the account is not only "
            f"{name}'s to delete. Use removeUser to take them out of {name}; their account "
            "stays for the others.",
        )
    out_of_reach = sorted(
        role
        for holding in here
        for role in holding.roles
        if not could_give(authorizer, role, holding.target)
    )
    if out_of_reach:
        return Refusal(
            DeletionRefusal.ROLE_OUT_OF_REACH,
            f"This person holds {', '.join(out_of_reach)} at {name}, which you could not "
            "grant, so you may not delete their account.",
        )
    return None

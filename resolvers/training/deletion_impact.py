"""What deleting an account takes with it from staff training, said before whoever may delete
it (the Centre Admin, or a user manager who could give every role the person holds) types
DELETE (the training hub: once deleted, an account "CANNOT be recovered").

The person's certificates and attempts go with the account wherever they were made (the rows
cascade from the user; resolvers/people/account_deletion.py deletes the certificates' PDFs), so
the counts are of everything of theirs, not only this organisation's. Asked by whoever may
delete accounts at the organisation (policy `user_accounts, delete`).
"""

from dataclasses import dataclass

from models.assessments import Attempt, Certificate
from models.users import Membership, User
from policies import Actor
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation


@dataclass(frozen=True)
class DeletionImpact:
    user: User
    certificates: int
    attempts: int

    @property
    def warning(self) -> str:
        return (
            f"{_count(self.certificates, 'certificate')}, {_count(self.attempts, 'attempt')} "
            f"will be deleted with {self.user.full_name}'s account. Once deleted, it cannot be "
            "recovered."
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


async def user_deletion_impact(
    actor: Actor, *, organisation_code: str, user_id: int
) -> DeletionImpact:
    organisation = await require_organisation(
        actor, organisation_code, "user_accounts", "delete", "organisationCode"
    )
    membership = await Membership.get_or_none(
        organisation_id=organisation.id, user_id=user_id
    ).select_related("user")
    if membership is None:
        raise DomainError.one(
            ErrorCode.NOT_A_MEMBER, f"That user does not belong to {organisation.name}.", "userId"
        )
    return DeletionImpact(
        user=membership.user,
        certificates=await Certificate.filter(user_id=user_id).count(),
        attempts=await Attempt.filter(user_id=user_id).count(),
    )

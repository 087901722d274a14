"""Why someone may or may not do something at an organisation (explainAccess), and the rules as
a table (policyTable): the board's everywhere, an exams officer's at their own organisation.

The explanation is the Authorizer's own (policies/explanation.py), asked for the person as if
fully signed in, with the grants they hold now. It covers only the roles the person brings to
that organisation, so it says nothing of what they hold elsewhere, and an id that names nobody
is answered as somebody with no role there is.
"""

from dataclasses import dataclass

from models.organisations import Organisation
from models.sessions import SessionStage
from policies import Actor, Authorizer, Explanation, Target
from policies.policy_table import PolicyRow, policy_table
from resolvers.core import audit
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation
from resolvers.core.rights import placements_of

# policy.csv: p, BOARD_ADMIN, board, access, explain / p, EXAMS_OFFICER, own, access, explain
EXPLAIN = ("access", "explain")
# policy.csv: p, BOARD_ADMIN, board, policy, read
READ_POLICY = ("policy", "read")


@dataclass(frozen=True, slots=True)
class AccessAnswer:
    user_id: int
    organisation: Organisation
    obj: str
    act: str
    explanation: Explanation


async def explain_access(
    actor: Actor, *, user_id: int, organisation_code: str, obj: str, act: str
) -> AccessAnswer:
    organisation = await require_organisation(
        actor, organisation_code, *EXPLAIN, "organisationCode"
    )
    if not any(row.obj == obj and row.act == act for row in policy_table()):
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            f"No rule names the action {act!r} on {obj!r}: policyTable lists those there are.",
            "action",
        )
    person = Actor(
        request=actor.request,
        user_id=user_id,
        stage=SessionStage.FULL,
        placements=await placements_of(user_id),
    )
    explanation = Authorizer(person).explain(obj, act, Target.of(organisation))
    # One event per answer, written before the answer goes out (a single insert, atomic on its
    # own): an explanation that was not recorded is never shown. Results reads are gathered
    # and written at the operation's end instead because they are noted row by row.
    await audit.record(
        actor,
        "access.explain",
        organisation_id=organisation.id,
        target_type="User",
        target_id=user_id,
        after={
            "object": obj,
            "action": act,
            "allowed": explanation.allowed,
            "reason": explanation.reason,
        },
    )
    return AccessAnswer(user_id, organisation, obj, act, explanation)


def read_policy_table(actor: Actor) -> tuple[PolicyRow, ...]:
    Authorizer(actor).require(*READ_POLICY)
    return policy_table()

"""Why a decision went the way it did: each (role, relation) a person brings to an organisation,
the policy line that allowed it, and, when none did, the reason code (policies/reasons.py).

The Authorizer hands in the very subjects it decides with, and each is judged by the same
cached role_allows that decisions use, so a decision, its FORBIDDEN reason and explainAccess can
never disagree; Casbin's enforce_ex is asked only which line allowed it. A reason is only worked
out for a refusal, so allowing costs nothing more than it did.

A reason never tells what exists elsewhere: it is chosen from what the actor holds (their own
memberships, and whether those reach the target), never from what others hold there. A target
none of the actor's memberships reaches gives the same answer as one that does not exist
(ELSEWHERE), whether it is deleted or not.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from models.organisations import OrganisationKind
from models.sessions import SessionStage
from policies.actor import Actor, Placement, Target
from policies.enforcer import get_enforcer, role_allows
from policies.reasons import Reason
from policies.roles import INHERITED_ONLY, MEMBER

# An organisation that is none of the actor's (no key is 0): what a missing organisation, or the
# organisation of a missing id, is refused as, so that it is refused exactly as somebody else's.
ELSEWHERE = Target(id=0, kind=OrganisationKind.CENTRE, parent_id=None, deleted=False)


@dataclass(frozen=True, slots=True)
class PolicyLine:
    """One `p` line of policy.csv: `subject` may `act` on `obj` where `scope` admits the
    relation (org: self or parent, own: self, board: board)."""

    subject: str
    scope: str
    obj: str
    act: str
    line: int

    @property
    def text(self) -> str:
        return f"p, {self.subject}, {self.scope}, {self.obj}, {self.act}"


@dataclass(frozen=True, slots=True)
class Subject:
    """A role the person brings to the organisation, with its relation there, and the line
    that allows it this (None: none does)."""

    role: str
    relation: str
    allowed_by: PolicyLine | None


@dataclass(frozen=True, slots=True)
class Explanation:
    allowed: bool
    reason: Reason | None
    subjects: tuple[Subject, ...]

    @property
    def rule(self) -> PolicyLine | None:
        """The first line that allowed it, in the order the subjects were brought."""
        return next((s.allowed_by for s in self.subjects if s.allowed_by is not None), None)


def explain(
    actor: Actor, subjects: Sequence[tuple[str, str]], obj: str, act: str, target: Target | None
) -> Explanation:
    found = [
        Subject(
            role,
            relation,
            _allowed_by(role, relation, obj, act)
            if role_allows(role, relation, obj, act)
            else None,
        )
        for role, relation in subjects
    ]
    if any(s.allowed_by is not None for s in found):
        return Explanation(True, None, tuple(found))
    return Explanation(False, refusal_reason(actor, subjects, obj, act, target), tuple(found))


def refusal_reason(
    actor: Actor, subjects: Sequence[tuple[str, str]], obj: str, act: str, target: Target | None
) -> Reason:
    """Why `subjects`, which the actor brings to `target`, do not allow `act` on `obj`."""
    if actor.is_candidate or actor.sits_test:
        return Reason.ROLE_NOT_ENOUGH if subjects else Reason.NO_ROLE_HERE
    if not actor.signed_in:
        return Reason.NOT_SIGNED_IN
    if actor.stage is not SessionStage.FULL:
        return Reason.STAGE_INCOMPLETE
    reaching = [(p, r) for p in actor.placements if (r := _reach(p, target)) is not None]
    deleted = [(p, r) for p, r in reaching if p.deleted or (target is not None and target.deleted)]
    live = [(p, r) for p, r in reaching if (p, r) not in deleted]
    if any(_would_allow((p.roles - INHERITED_ONLY) | {MEMBER}, r, obj, act) for p, r in deleted):
        return Reason.ORGANISATION_DELETED
    if any(_would_allow(p.roles & INHERITED_ONLY, r, obj, act) for p, r in live):
        return Reason.INHERITED_ONLY
    if any(
        _would_allow(p.roles - INHERITED_ONLY, "self", obj, act) for p, r in live if r != "self"
    ):
        return Reason.OWN_ORGANISATION_ONLY
    if subjects:
        return Reason.ROLE_NOT_ENOUGH
    if deleted:
        return Reason.ORGANISATION_DELETED
    if target is None and any(not p.deleted for p in actor.placements):
        # Nothing was asked of any organisation (the board's own lists): nothing to hide.
        return Reason.ROLE_NOT_ENOUGH
    return Reason.NO_ROLE_HERE


# Which line allows it, asked of Casbin (enforce_ex) only for a subject the cached decision
# allows, and kept as decisions are: the policy is fixed for the process's life.
@lru_cache(maxsize=4_096)
def _allowed_by(role: str, relation: str, obj: str, act: str) -> PolicyLine:
    allowed, rule = get_enforcer().enforce_ex(role, relation, obj, act)
    if not allowed:
        raise AssertionError(f"Casbin's explanation disagrees with its decision: {role} {obj}")
    return policy_line(rule)


def policy_line(rule: Sequence[str]) -> PolicyLine:
    subject, scope, obj, act = rule
    return PolicyLine(subject, scope, obj, act, _line_numbers().get(tuple(rule), 0))


@cache
def _line_numbers() -> dict[tuple[str, ...], int]:
    """Where each `p` line is in policy.csv (1-based), for pointing at it."""
    text = files("policies").joinpath("policy.csv").read_text(encoding="utf-8")
    numbers: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        fields = tuple(field.strip() for field in line.split(","))
        if fields[0] == "p":
            numbers.setdefault(fields[1:], number)
    return numbers


def _reach(placement: Placement, target: Target | None) -> str | None:
    """How a membership outside the board relates to the target, deleted or not: the
    Authorizer's relations, before it leaves out what deletion takes away."""
    if target is None or placement.kind is OrganisationKind.BOARD:
        return None
    if placement.organisation_id == target.id:
        return "self"
    if (
        placement.kind is OrganisationKind.ASSOCIATE
        and target.parent_id == placement.organisation_id
    ):
        return "parent"
    return None


def _would_allow(roles: frozenset[str], relation: str, obj: str, act: str) -> bool:
    return any(role_allows(role, relation, obj, act) for role in roles)

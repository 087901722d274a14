"""The one place that answers "may this actor do this here?".

Grants come from the actor's placements (loaded once per request); what each role may do comes
from Casbin. What a role held with a relation may do is kept for the process's life (the policy
never changes while it runs: policies/enforcer.py), so Casbin walks its policy lines once per
(role, relation, object, action), a refusal included; the grants are read again for every
request, so a role given or taken away counts from the next request on. Each request also keeps
its own decisions, so a list costs one decision, not one per row.
"""

from functools import cache

from models.organisations import OrganisationKind
from models.sessions import SessionStage
from policies.actor import Actor, Target
from policies.enforcer import get_enforcer, role_allows
from policies.errors import Forbidden, NotSignedIn
from policies.explanation import Explanation, explain, refusal_reason
from policies.reasons import Reason
from policies.roles import INHERITED_ONLY, MEMBER

# A candidate's results sign-in (policy.csv: p, CANDIDATE, own, ...). Not a grantable role: it
# comes only from a candidate session, never from a membership, and brings no MEMBER.
CANDIDATE = "CANDIDATE"
# A candidate sitting a test (policy.csv: p, TEST_CANDIDATE, own, ...): like CANDIDATE, it comes
# only from a test token, which speaks for one entry, and brings no MEMBER.
TEST_CANDIDATE = "TEST_CANDIDATE"


class Authorizer:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def require_signed_in(self, *stages: SessionStage) -> None:
        """Refuse anonymous callers, and sessions that have not reached one of the stages."""
        if self.actor.is_candidate or self.actor.sits_test:
            # Signed in, but as a candidate: staff fields are forbidden, not "sign in first".
            raise Forbidden(reason=Reason.WRONG_SESSION_KIND)
        if not self.actor.signed_in:
            raise NotSignedIn()
        allowed = stages or (SessionStage.FULL,)
        if self.actor.stage not in allowed:
            raise Forbidden(_stage_message(self.actor.stage), Reason.STAGE_INCOMPLETE)

    def allows(self, obj: str, act: str, target: Target | None = None) -> bool:
        key = (obj, act, target)
        decision = self.actor.decisions.get(key)
        if decision is None:
            decision = any(
                role_allows(role, relation, obj, act) for role, relation in self._subjects(target)
            )
            self.actor.decisions[key] = decision
        return decision

    def require(self, obj: str, act: str, target: Target | None = None) -> None:
        self.require_signed_in()
        if not self.allows(obj, act, target):
            raise self.refusal(obj, act, target)

    def require_candidate_session(self) -> None:
        """Refuse anyone but a candidate signed in to the results website."""
        if not self.actor.is_candidate:
            if self.actor.signed_in or self.actor.sits_test:
                raise Forbidden(
                    "This is for candidates signed in to the results website.",
                    Reason.WRONG_SESSION_KIND,
                )
            raise NotSignedIn("Sign in with your results username and password first.")

    def require_test_sitter(self) -> None:
        """Refuse anyone but a candidate who started a test (startTest): a results website
        sign-in is not one."""
        if not self.actor.sits_test:
            if self.actor.signed_in or self.actor.is_candidate:
                raise Forbidden(
                    "This is for candidates who started a test with startTest.",
                    Reason.WRONG_SESSION_KIND,
                )
            raise NotSignedIn("Start the test with your username, password and entry code first.")

    def require_test_sitting(self, obj: str, act: str, target: Target) -> None:
        """For a test's own fields: its sitter, allowed `act` on `obj` there."""
        self.require_test_sitter()
        if not self.allows(obj, act, target):
            raise self.refusal(obj, act, target)

    def require_candidate(self, obj: str, act: str, target: Target) -> None:
        """For the candidate's own fields: a signed-in candidate allowed `act` on `obj` there."""
        self.require_candidate_session()
        if not self.allows(obj, act, target):
            raise self.refusal(obj, act, target)

    def refusal(self, obj: str, act: str, target: Target | None = None) -> Forbidden:
        """The FORBIDDEN for a refused decision, with its reason (policies/explanation.py).
        For a missing organisation or id, ask it of ELSEWHERE there: it is then refused as
        somebody else's is."""
        return Forbidden(
            reason=refusal_reason(self.actor, self._subjects(target), obj, act, target)
        )

    def explain(self, obj: str, act: str, target: Target | None = None) -> Explanation:
        """The decision with its reasons: each (role, relation) the actor brings to the
        target and the policy line that allowed it, or why none did. Uncached (explainAccess)."""
        return explain(self.actor, self._subjects(target), obj, act, target)

    def _subjects(self, target: Target | None) -> list[tuple[str, str]]:
        """Each (role, relation) the actor brings to the target organisation."""
        subjects: list[tuple[str, str]] = []
        if self.actor.is_candidate or self.actor.sits_test:
            return _candidate_subjects(self.actor, target)
        if self.actor.stage is not SessionStage.FULL:
            return subjects
        for placement in self.actor.placements:
            if placement.deleted:
                continue
            if placement.kind is OrganisationKind.BOARD:
                relation = "board"
            elif target is None or target.deleted:
                continue
            elif placement.organisation_id == target.id:
                relation = "self"
            elif (
                placement.kind is OrganisationKind.ASSOCIATE
                and target.parent_id == placement.organisation_id
            ):
                relation = "parent"
            else:
                continue
            subjects.append((MEMBER, relation))
            subjects.extend((role, relation) for role in sorted(placement.roles - INHERITED_ONLY))
        return subjects


@cache
def held_roles(granted: frozenset[str]) -> frozenset[str]:
    """What roles granted together at one organisation amount to: each with the roles it
    inherits (g lines: the exams officer holds every centre role), less a direct grant of a
    role that counts only when inherited. For rules about who a thing is meant for."""
    enforcer = get_enforcer()
    held: set[str] = set()
    for role in granted - INHERITED_ONLY:
        held.add(role)
        held.update(enforcer.get_implicit_roles_for_user(role))
    return frozenset(held)


def _candidate_subjects(actor: Actor, target: Target | None) -> list[tuple[str, str]]:
    """A candidate brings CANDIDATE (results website) or TEST_CANDIDATE (a started test),
    whichever their token gave, to their own centre only: no MEMBER, no parent or board."""
    if target is None or target.deleted:
        return []
    role = TEST_CANDIDATE if actor.sits_test else CANDIDATE
    return [
        (role, "self")
        for placement in actor.placements
        if not placement.deleted
        and placement.organisation_id == target.id
        and role in placement.roles
    ]


def _stage_message(stage: SessionStage | None) -> str:
    if stage is SessionStage.PASSWORD_CHANGE_REQUIRED:
        return "Set a new password before doing anything else (setNewPassword)."
    if stage is SessionStage.VERIFICATION_REQUIRED:
        return "Enter the verification code sent to your email first (verifyEmailCode)."
    if stage is SessionStage.TOTP_REQUIRED:
        return "Enter the code from your authenticator app first (verifyTotpCode)."
    return "You do not have permission to do this."

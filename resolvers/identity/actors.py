"""Who a bearer token speaks for: a staff member's session, a candidate's session on the
results website, or a candidate's started test.

A candidate's token resolves to an Actor with no user, one CANDIDATE placement at their centre
and the candidate's ids: staff fields refuse it (policies/authorizer.py), and the candidate's own
fields answer only about that candidate. A started test's token resolves the same way, with a
TEST_CANDIDATE placement and the one entry it was given for, and only while that entry is still
entered and its session neither cancelled nor over.
"""

from models.exams import EntryStatus
from models.results_access import CandidateSession
from models.sessions import Session
from models.test_sessions import TestSessionStatus, TestSitting, session_ends_at
from policies import Actor, Placement, RequestMeta
from policies.authorizer import CANDIDATE, TEST_CANDIDATE
from resolvers.core import clock
from resolvers.core.rights import placements_of
from resolvers.core.tokens import hash_token
from resolvers.identity.accounts import can_sign_in


async def resolve_actor(token: str | None, request: RequestMeta) -> Actor:
    """Turn a bearer token into the actor, with every organisation they belong to."""
    if not token:
        return Actor(request=request)
    session = await Session.get_or_none(token_hash=hash_token(token)).select_related("user")
    if session is None:
        # Not a staff token: perhaps a candidate's, on the results website or in a test.
        token_hash = hash_token(token)
        return (
            await resolve_candidate(token_hash, request)
            or await resolve_test_sitting(token_hash, request)
            or Actor(request=request)
        )
    if (
        session.revoked_at is not None
        or session.expires_at <= clock.now()
        or not can_sign_in(session.user)
    ):
        return Actor(request=request)
    return Actor(
        request=request,
        user_id=session.user_id,
        email=session.user.email,
        session_id=session.id,
        stage=session.stage,
        placements=await placements_of(session.user_id),
    )


async def resolve_candidate(token_hash: str, request: RequestMeta) -> Actor | None:
    """The candidate whose live session has this token hash, or None."""
    session = await CandidateSession.get_or_none(token_hash=token_hash).select_related(
        "credential__candidate__centre"
    )
    if session is None or session.revoked_at is not None or session.expires_at <= clock.now():
        return None
    credential = session.credential
    centre = credential.candidate.centre
    if credential.revoked_at is not None or centre.deleted_at is not None:
        return None
    return Actor(
        request=request,
        candidate_id=credential.candidate_id,
        credential_id=credential.id,
        candidate_session_id=session.id,
        placements=(
            Placement(
                organisation_id=centre.id,
                kind=centre.kind,
                parent_id=centre.parent_id,
                deleted=False,
                roles=frozenset({CANDIDATE}),
            ),
        ),
    )


async def resolve_test_sitting(token_hash: str, request: RequestMeta) -> Actor | None:
    """The candidate sitting a test with this token, while it still lets them: not expired,
    the entry not withdrawn, the session not cancelled, the centre not deleted. Else None."""
    sitting = await TestSitting.get_or_none(token_hash=token_hash).select_related(
        "entry__candidate__centre", "entry__test_session"
    )
    if sitting is None or sitting.expires_at <= clock.now():
        return None
    entry = sitting.entry
    centre = entry.candidate.centre
    session = entry.test_session
    if (
        entry.status is not EntryStatus.ENTERED
        or session is None
        or session.status is not TestSessionStatus.SCHEDULED
        # Moved earlier since the start: the session's end is the token's, whichever is first.
        or session_ends_at(session) <= clock.now()
        or centre.deleted_at is not None
    ):
        return None
    return Actor(
        request=request,
        test_sitting_id=sitting.id,
        test_entry_id=entry.id,
        placements=(
            Placement(
                organisation_id=centre.id,
                kind=centre.kind,
                parent_id=centre.parent_id,
                deleted=False,
                roles=frozenset({TEST_CANDIDATE}),
            ),
        ),
    )

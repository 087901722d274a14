"""Who a bearer token speaks for: a staff member's session, a candidate's session on the
results website, or a candidate's started test.

A candidate's token resolves to an Actor with no user, one CANDIDATE placement at their centre
and the candidate's ids: staff fields refuse it (policies/authorizer.py), and the candidate's own
fields answer only about that candidate. A started test's token resolves the same way, with a
TEST_CANDIDATE placement and the one entry it was given for, and only while that entry is still
entered and its session neither cancelled nor over.
"""

from typing import Any

from models.exams import EntryStatus
from models.organisations import Organisation
from models.results_access import CandidateSession, ResultsCredential
from models.sessions import Session
from models.test_sessions import TestSessionStatus, TestSitting, session_ends_at
from models.users import Membership, User
from policies import Actor, Placement, RequestMeta
from policies.authorizer import CANDIDATE, TEST_CANDIDATE
from resolvers.core import clock
from resolvers.core.statements import fields_of, read_rows
from resolvers.core.tokens import hash_token
from resolvers.identity.accounts import SIGNING_IN


async def resolve_actor(token: str | None, request: RequestMeta) -> Actor:
    """Turn a bearer token into the actor, with every organisation they belong to."""
    if not token:
        return Actor(request=request)
    token_hash = hash_token(token)
    rows = await _staff_session_rows(token_hash)
    if not rows:
        # Not a staff token: perhaps a candidate's, on the results website or in a test.
        return (
            await resolve_candidate(token_hash, request)
            or await resolve_test_sitting(token_hash, request)
            or Actor(request=request)
        )
    session = rows[0]
    if (
        session["revoked_at"] is not None
        or session["expires_at"] <= clock.now()
        or session["status"] not in SIGNING_IN
    ):
        return Actor(request=request)
    return Actor(
        request=request,
        user_id=session["user_id"],
        email=session["email"],
        session_id=session["id"],
        stage=session["stage"],
        placements=tuple(
            Placement(
                organisation_id=row["organisation_id"],
                kind=row["kind"],
                parent_id=row["parent_id"],
                deleted=row["deleted_at"] is not None,
                roles=frozenset(row["roles"]),
            )
            for row in rows
            if row["organisation_id"] is not None
        ),
    )


# Every request with a token asks this, so it is one statement, written out: the session, the
# two columns of its user a decision needs and the user's memberships with their organisations,
# one row per membership (one with no membership columns for a user who has none), in
# organisation order as resolvers/core/rights.py placements_of reads them. Built through the
# ORM, it cost some twenty times what the database took to answer it.
_STAFF_SESSION = (
    "SELECT s.id, s.user_id, s.stage, s.expires_at, s.revoked_at, u.email, u.status, "
    'm.organisation_id, m.roles, o.kind, o.parent_id, o.deleted_at FROM "session" s '
    'JOIN "user" u ON u.id = s.user_id LEFT JOIN membership m ON m.user_id = s.user_id '
    "LEFT JOIN organisation o ON o.id = m.organisation_id WHERE s.token_hash = ? "
    "ORDER BY m.organisation_id"
)
_STAFF_CONVERT = {
    **fields_of(Session, "stage", "expires_at", "revoked_at"),
    **fields_of(User, "status"),
    **fields_of(Membership, "roles"),
    **fields_of(Organisation, "kind", "deleted_at"),
}


async def _staff_session_rows(token_hash: str) -> list[dict[str, Any]]:
    return await read_rows(Session, _STAFF_SESSION, [token_hash], _STAFF_CONVERT)


# A candidate's session on the results website, with what the actor needs of its credential and
# centre, in one statement for the same reason: every results-day request asks it.
_CANDIDATE_SESSION = (
    "SELECT cs.id, cs.revoked_at, cs.expires_at, rc.id AS credential_id, "
    "rc.revoked_at AS credential_revoked_at, rc.candidate_id, o.id AS centre_id, o.kind, "
    "o.parent_id, o.deleted_at FROM candidate_session cs "
    "JOIN results_credential rc ON rc.id = cs.credential_id "
    "JOIN candidate c ON c.id = rc.candidate_id JOIN organisation o ON o.id = c.centre_id "
    "WHERE cs.token_hash = ?"
)
_CANDIDATE_CONVERT = {
    **fields_of(CandidateSession, "revoked_at", "expires_at"),
    "credential_revoked_at": ResultsCredential._meta.fields_map["revoked_at"],
    **fields_of(Organisation, "kind", "deleted_at"),
}


async def resolve_candidate(token_hash: str, request: RequestMeta) -> Actor | None:
    """The candidate whose live session has this token hash, or None."""
    rows = await read_rows(CandidateSession, _CANDIDATE_SESSION, [token_hash], _CANDIDATE_CONVERT)
    if not rows:
        return None
    session = rows[0]
    if (
        session["revoked_at"] is not None
        or session["expires_at"] <= clock.now()
        or session["credential_revoked_at"] is not None
        or session["deleted_at"] is not None
    ):
        return None
    return Actor(
        request=request,
        candidate_id=session["candidate_id"],
        credential_id=session["credential_id"],
        candidate_session_id=session["id"],
        placements=(
            Placement(
                organisation_id=session["centre_id"],
                kind=session["kind"],
                parent_id=session["parent_id"],
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

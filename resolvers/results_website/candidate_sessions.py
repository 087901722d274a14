"""Candidates on the results website: signing in with a results credential, signing out, and
reading their own results.

A candidate's token resolves (resolvers/identity/actors.py) to an Actor with no user, one
CANDIDATE placement at their centre and the candidate's ids: staff fields refuse it
(policies/authorizer.py), and the candidate's own fields answer only about that candidate.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.audit import SignInEvent, SignInOutcome
from models.exams import Candidate, Entry, EntryStatus, Result, Series, Syllabus
from models.organisations import Organisation
from models.results_access import (
    CandidateSession,
    ResultsAccess,
    ResultsCredential,
)
from policies import Actor, Authorizer, Forbidden, NotSignedIn, Reason, Target
from resolvers.core import audit, clock, credential_secrets
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.tokens import hash_token, new_token
from resolvers.results_website.access_state import (
    ACCESS_ON,
    access_is_on,
    available_from,
    live_credentials,
)

NOTICE = (
    "The results displayed are for information only. You must not print screenshots of your "
    "results to share with universities."
)
MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 50
MAX_USERNAME = 64
# Checked when the username is unknown, so that both answers cost the same work.
_NO_DIGEST = credential_secrets.digest("no such credential")


@dataclass(frozen=True)
class CandidateSignedIn:
    token: str
    expires_at: datetime
    candidate: Candidate


@dataclass(frozen=True)
class SeriesResult:
    syllabus: Syllabus
    grade: str | None


@dataclass(frozen=True)
class SeriesResults:
    series: Series
    available_from: datetime
    available: bool
    # Empty until available_from.
    results: list[SeriesResult]


@dataclass(frozen=True)
class CandidateResults:
    candidate: Candidate
    centre: Organisation
    notice: str
    series: list[SeriesResults]


def _invalid() -> DomainError:
    # One answer for an unknown username, a wrong password and a credential taken away.
    return DomainError.one(
        ErrorCode.INVALID_CREDENTIALS,
        "The username or password is incorrect, or this username no longer gives access to "
        "results. Ask your exams officer if you need help.",
    )


async def _throttled(actor: Actor, username: str, credential: ResultsCredential | None) -> bool:
    now = clock.now()
    if credential is not None:
        if credential.locked_until is not None and credential.locked_until > now:
            return True
    elif (
        await SignInEvent.filter(
            email=username,
            at__gte=now - THROTTLE_WINDOW,
            outcome=SignInOutcome.CANDIDATE_INVALID_CREDENTIALS,
        ).count()
        >= MAX_FAILURES
    ):
        return True
    if actor.request.ip_address is None:
        return False
    by_address = await SignInEvent.filter(
        ip_address=actor.request.ip_address,
        at__gte=now - THROTTLE_WINDOW,
        outcome=SignInOutcome.CANDIDATE_INVALID_CREDENTIALS,
    ).count()
    return by_address >= MAX_FAILURES_PER_ADDRESS


async def _access_is_on(credential: ResultsCredential) -> bool:
    """The centre's access for the series is on, and the candidate is still entered in it."""
    if not await access_is_on(credential.candidate.centre_id, credential.series_id):
        return False
    return await Entry.exists(
        candidate_id=credential.candidate_id,
        series_id=credential.series_id,
        status=EntryStatus.ENTERED,
    )


async def _record_failure(
    actor: Actor, logged: str, credential: ResultsCredential | None, now: datetime
) -> None:
    """Log the failed attempt; the credential's MAX_FAILURES-th in a row locks it for LOCK_TIME."""
    async with in_transaction():
        await audit.record_sign_in(actor, logged, SignInOutcome.CANDIDATE_INVALID_CREDENTIALS)
        if credential is not None:
            failures = credential.failed_attempts + 1
            if failures >= MAX_FAILURES:
                await ResultsCredential.filter(id=credential.id).update(
                    failed_attempts=0, locked_until=now + LOCK_TIME
                )
            else:
                await ResultsCredential.filter(id=credential.id).update(failed_attempts=failures)


async def sign_in_candidate(actor: Actor, *, username: str, password: str) -> CandidateSignedIn:
    """Check a results username and password and open a candidate session."""
    name = username.strip().lower()
    logged = name[:MAX_USERNAME]
    credential = None
    if len(name) <= MAX_USERNAME:
        credential = await ResultsCredential.get_or_none(username=name).select_related(
            "candidate__centre"
        )
    if await _throttled(actor, logged, credential):
        await audit.record_sign_in(actor, logged, SignInOutcome.CANDIDATE_THROTTLED)
        raise DomainError.one(
            ErrorCode.SIGN_IN_THROTTLED,
            "Too many failed sign-in attempts. Wait 15 minutes and try again.",
        )
    right = credential_secrets.matches(
        password, credential.password_digest if credential else _NO_DIGEST
    )
    valid = (
        credential is not None
        and right
        and credential.revoked_at is None
        and credential.candidate.centre.deleted_at is None
        and await _access_is_on(credential)
    )
    now = clock.now()
    if not valid:
        await _record_failure(actor, logged, credential, now)
        raise _invalid()
    assert credential is not None
    token = new_token()
    candidate = credential.candidate
    async with in_transaction():
        session = await CandidateSession.create(
            token_hash=hash_token(token),
            credential_id=credential.id,
            created_at=now,
            expires_at=now + current().session_ttl,
        )
        if credential.failed_attempts or credential.locked_until:
            await ResultsCredential.filter(id=credential.id).update(
                failed_attempts=0, locked_until=None
            )
        await audit.record_sign_in(actor, logged, SignInOutcome.CANDIDATE_SUCCEEDED)
        await audit.record(
            actor,
            "candidate_session.sign_in",
            organisation_id=candidate.centre_id,
            target_type="ResultsCredential",
            target_id=credential.id,
            after={
                "username": credential.username,
                "candidateId": candidate.id,
                "candidateNumber": candidate.candidate_number,
            },
        )
    return CandidateSignedIn(token=token, expires_at=session.expires_at, candidate=candidate)


async def sign_out_candidate(actor: Actor) -> None:
    if not actor.is_candidate:
        raise Forbidden(reason=Reason.WRONG_SESSION_KIND) if actor.signed_in else NotSignedIn()
    async with in_transaction():
        await CandidateSession.filter(id=actor.candidate_session_id).update(revoked_at=clock.now())
        credential = await ResultsCredential.get(id=actor.credential_id).select_related("candidate")
        await audit.record_sign_in(actor, credential.username, SignInOutcome.CANDIDATE_SIGNED_OUT)
        await audit.record(
            actor,
            "candidate_session.sign_out",
            organisation_id=credential.candidate.centre_id,
            target_type="ResultsCredential",
            target_id=credential.id,
            after={"username": credential.username, "candidateId": credential.candidate_id},
        )


async def candidate_results(actor: Actor) -> CandidateResults:
    """The signed-in candidate's own results, per series they were given access to, from the
    series' release time plus the centre's delay. Nobody else's, ever."""
    candidate = await Candidate.get(id=actor.candidate_id).select_related("centre")
    Authorizer(actor).require_candidate("results", "read_own", Target.of(candidate.centre))
    # Only series the candidate is still entered in: withdrawn is no access.
    live = live_credentials(candidate_id=candidate.id).values("id")
    credentials = await ResultsCredential.filter(id__in=Subquery(live)).select_related("series")
    series_ids = [c.series_id for c in credentials]
    accesses = (
        {
            a.series_id: a
            for a in await ResultsAccess.filter(
                centre_id=candidate.centre_id, series_id__in=series_ids, status__in=list(ACCESS_ON)
            )
        }
        if series_ids
        else {}
    )
    now = clock.now()
    shown = sorted(
        (c.series for c in credentials if c.series_id in accesses),
        key=lambda s: (s.year, s.month_number),
        reverse=True,
    )
    opens = {s.id: available_from(s, accesses[s.id]) for s in shown}
    visible = [s.id for s in shown if now >= opens[s.id]]
    entries = (
        await Entry.filter(
            candidate_id=candidate.id, series_id__in=visible, status=EntryStatus.ENTERED
        ).select_related("syllabus")
        if visible
        else []
    )
    grades = (
        {r.entry_id: r.grade for r in await Result.filter(entry_id__in=[e.id for e in entries])}
        if entries
        else {}
    )
    by_series: dict[int, list[SeriesResult]] = {}
    for entry in sorted(entries, key=lambda e: e.syllabus.code):
        by_series.setdefault(entry.series_id, []).append(
            SeriesResult(entry.syllabus, grades.get(entry.id))
        )
    return CandidateResults(
        candidate=candidate,
        centre=candidate.centre,
        notice=NOTICE,
        series=[
            SeriesResults(
                series=s,
                available_from=opens[s.id],
                available=s.id in visible,
                results=by_series.get(s.id, []),
            )
            for s in shown
        ],
    )

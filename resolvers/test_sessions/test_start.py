"""Candidates starting a test: their username and password (chosen by their centre) and the
entry code of their entry in a test session; and reading back the test they started.

A username is unique at a centre only, so the entry code (unique across the board) names the
candidate, and the username and password must then be that candidate's. Every failure of the
three is one answer, so nothing tells a code that exists from one that does not, and an unknown
code costs the same password check. Only once all three match does a refusal say why (the
session is cancelled, not open yet or over, the entry withdrawn or in no session).

A start gives a token, stored hashed, that speaks for that entry alone until the session ends
(resolvers/identity/actors.py); it stops at once when the entry is withdrawn or the session
cancelled. A new start of the same entry ends the tokens of the earlier ones.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models.audit import SignInEvent, SignInOutcome
from models.exams import Entry, EntryStatus
from models.test_sessions import (
    TestSession,
    TestSessionStatus,
    TestSitting,
    TestStartLock,
    session_ends_at,
)
from models.usernames import username_key
from policies import Actor, Authorizer, Target
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.tokens import hash_token, new_token
from resolvers.identity.passwords import verify_password

# How long before the start time candidates may start: time to sign in and settle.
EARLY_START = timedelta(minutes=15)
MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 50
# XXXX-XXXX as printed; typed without the hyphen or in lower case, it is the same code.
_ENTRY_CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}")
# What of a typed code the sign-in event log keeps.
_LOGGED = 32


@dataclass(frozen=True)
class StartedTest:
    """An entry in a test session, with its candidate, syllabus and session (and venue)."""

    entry: Entry
    session: TestSession

    @property
    def ends_at(self) -> datetime:
        return session_ends_at(self.session)


@dataclass(frozen=True)
class TestStarted:
    __test__ = False  # a domain name, not a pytest class

    token: str
    expires_at: datetime
    test: StartedTest


def normalised_code(typed: str) -> str:
    """The code as stored: upper case, spaces gone, the hyphen where it belongs."""
    code = "".join(typed.split()).upper()
    if len(code) == 8 and "-" not in code:
        code = f"{code[:4]}-{code[4:]}"
    return code


def _invalid() -> DomainError:
    # One answer for an unknown code, a username not the code's candidate and a wrong password.
    return DomainError.one(
        ErrorCode.INVALID_CREDENTIALS,
        "The username, password or entry code is incorrect. Check them with your exams officer "
        "or invigilator.",
    )


async def _throttled(actor: Actor, logged: str, lock: TestStartLock | None, known: bool) -> bool:
    now = clock.now()
    failures = SignInEvent.filter(
        at__gte=now - THROTTLE_WINDOW, outcome=SignInOutcome.TEST_START_INVALID_CREDENTIALS
    )
    if known:
        if lock is not None and lock.locked_until is not None and lock.locked_until > now:
            return True
    # An unknown code locks after as many failures as a known one, so locking tells none apart.
    elif await failures.filter(email=logged).count() >= MAX_FAILURES:
        return True
    if actor.request.ip_address is None:
        return False
    return await failures.filter(ip_address=actor.request.ip_address).count() >= (
        MAX_FAILURES_PER_ADDRESS
    )


async def _record_failure(
    actor: Actor, logged: str, entry: Entry | None, lock: TestStartLock | None
) -> None:
    """Log the failed start; the candidate's MAX_FAILURES-th in a row locks their starts."""
    async with in_transaction():
        await audit.record_sign_in(actor, logged, SignInOutcome.TEST_START_INVALID_CREDENTIALS)
        if entry is None:
            return
        failures = (lock.failed_attempts if lock is not None else 0) + 1
        locked = failures >= MAX_FAILURES
        await TestStartLock.update_or_create(
            candidate_id=entry.candidate_id,
            defaults={
                "failed_attempts": 0 if locked else failures,
                "locked_until": clock.now() + LOCK_TIME if locked else None,
            },
        )


def _refusal(entry: Entry, now: datetime) -> DomainError | None:
    """Why an entry whose candidate proved who they are may not start now, if it may not."""
    session = entry.test_session
    if session is None:
        return DomainError.one(
            ErrorCode.ENTRY_NOT_IN_TEST_SESSION,
            "This entry is not in a test session. Ask your exams officer.",
        )
    if entry.status is EntryStatus.WITHDRAWN:
        return DomainError.one(
            ErrorCode.ENTRY_WITHDRAWN, "This entry was withdrawn. Ask your exams officer."
        )
    if session.status is TestSessionStatus.CANCELLED:
        return DomainError.one(
            ErrorCode.TEST_SESSION_CANCELLED,
            f"The session '{session.name}' was cancelled. Ask your exams officer.",
        )
    opens = session.starts_at - EARLY_START
    if now < opens:
        return DomainError.one(
            ErrorCode.TEST_NOT_OPEN_YET,
            f"The test opens at {opens:%H:%M} UTC on {opens:%d %B %Y}, "
            f"{int(EARLY_START.total_seconds() // 60)} minutes before it starts.",
        )
    if now >= session_ends_at(session):
        return DomainError.one(ErrorCode.TEST_SESSION_ENDED, "This test session has ended.")
    return None


async def _entry_by_code(code: str) -> Entry | None:
    if not _ENTRY_CODE.fullmatch(code):
        return None
    return await Entry.get_or_none(entry_code=code).select_related(
        "candidate__centre", "syllabus", "test_session__centre"
    )


async def start_test(actor: Actor, *, username: str, password: str, entry_code: str) -> TestStarted:
    """Check the candidate's username, password and entry code, and give them a token to sit
    that entry's test with."""
    code = normalised_code(entry_code)
    logged = code[:_LOGGED]
    entry = await _entry_by_code(code)
    lock = await TestStartLock.get_or_none(candidate_id=entry.candidate_id) if entry else None
    if await _throttled(actor, logged, lock, entry is not None):
        await audit.record_sign_in(actor, logged, SignInOutcome.TEST_START_THROTTLED)
        raise DomainError.one(
            ErrorCode.SIGN_IN_THROTTLED,
            "Too many failed attempts to start a test. Wait 15 minutes and try again.",
        )
    candidate = entry.candidate if entry else None
    # Checked whatever the code, so that an unknown one costs the same work.
    right_password = verify_password(candidate.password_hash if candidate else None, password)
    if (
        entry is None
        or candidate is None
        or not right_password
        or username_key(username.strip()) != candidate.username_key
        or candidate.centre.deleted_at is not None
    ):
        await _record_failure(actor, logged, entry, lock)
        raise _invalid()
    now = clock.now()
    refusal = _refusal(entry, now)
    if refusal is not None:
        raise refusal
    return await _open_sitting(actor, entry, logged, now)


async def _open_sitting(actor: Actor, entry: Entry, logged: str, now: datetime) -> TestStarted:
    session = entry.test_session
    assert session is not None
    token = new_token()
    ends_at = session_ends_at(session)
    async with in_transaction():
        sitting = await TestSitting.create(
            token_hash=hash_token(token), entry_id=entry.id, created_at=now, expires_at=ends_at
        )
        # One live token per entry: a start on another computer ends the earlier one.
        await TestSitting.filter(entry_id=entry.id).exclude(id=sitting.id).delete()
        await TestStartLock.filter(candidate_id=entry.candidate_id).delete()
        await audit.record_sign_in(actor, logged, SignInOutcome.TEST_START_SUCCEEDED)
        await audit.record(
            actor,
            "test.start",
            organisation_id=entry.candidate.centre_id,
            target_type="Entry",
            target_id=entry.id,
            after={
                "candidateId": entry.candidate_id,
                "candidateNumber": entry.candidate.candidate_number,
                "testSessionId": session.id,
                "entryCode": entry.entry_code,
                "expiresAt": ends_at.isoformat(),
            },
        )
    return TestStarted(token=token, expires_at=ends_at, test=StartedTest(entry, session))


async def current_test(actor: Actor) -> StartedTest:
    """The test the candidate's token was given for: nothing else, ever."""
    Authorizer(actor).require_test_sitter()
    entry = await Entry.get(id=actor.test_entry_id).select_related(
        "candidate__centre", "syllabus", "test_session__centre"
    )
    Authorizer(actor).require_test_sitting("test", "sit", Target.of(entry.candidate.centre))
    assert entry.test_session is not None
    return StartedTest(entry, entry.test_session)

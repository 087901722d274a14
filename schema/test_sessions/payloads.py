"""Payloads of the test sessions' mutations: a session, an entry into one, starting a test and
the log-in sheet."""

from datetime import datetime

import strawberry

from resolvers.core.errors import ErrorCode as E
from resolvers.test_sessions import session_entries
from schema.core.errors import UserError, errors_field
from schema.core.payloads import job_payload
from schema.exams.enums import EntryOutcome
from schema.exams.payloads import EntryWarning
from schema.exams.types import CandidateNode, EntryNode
from schema.test_sessions.types import CandidateTest, TestSessionNode

_SESSION_CODES = (E.TEST_SESSION_NOT_FOUND, E.ORGANISATION_DELETED, E.TEST_SESSION_CANCELLED)
_SESSION_NOW = "The session as it is now; null when errors is not empty."


@strawberry.type(description="What creating, changing or cancelling a test session did.")
class TestSessionPayload:
    test_session: TestSessionNode | None = strawberry.field(default=None, description=_SESSION_NOW)
    errors: list[UserError] = errors_field(
        *_SESSION_CODES,
        E.NOT_FOUND,
        E.NOT_A_CENTRE,
        E.SERIES_NOT_FOUND,
        E.SYLLABUS_NOT_FOUND,
        E.NAME_REQUIRED,
        E.DURATION_INVALID,
        E.TEST_SESSION_ENDED,
        E.TEST_SESSION_HAS_ENTRIES,
        E.INVALID_INPUT,
    )


@strawberry.type(description="What entering a candidate into a test session did.")
class EnterCandidateIntoTestSessionPayload:
    test_session: TestSessionNode | None = strawberry.field(default=None, description=_SESSION_NOW)
    entry: EntryNode | None = strawberry.field(
        default=None, description="The entry in the session, with the entry code."
    )
    candidate: CandidateNode | None = strawberry.field(
        default=None,
        description="The candidate entered: new, or the existing one the username linked to.",
    )
    outcome: EntryOutcome | None = strawberry.field(
        default=None,
        description="Whether a new candidate was added or the username linked to one; null on "
        "errors.",
    )
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    warnings: list[EntryWarning] = strawberry.field(
        default_factory=list,
        description="What the centre should check, though the entry was made; empty if nothing.",
    )
    errors: list[UserError] = errors_field(
        *_SESSION_CODES,
        E.TEST_SESSION_ENDED,
        E.USERNAME_INVALID,
        E.CANDIDATE_PASSWORD_INVALID,
        E.CANDIDATE_NUMBER_INVALID,
        E.CANDIDATE_NUMBER_TAKEN,
        E.UCI_INVALID,
        E.UCI_IN_USE,
        E.INVALID_INPUT,
        E.CONCURRENT_CHANGE,
    )

    @classmethod
    def of(cls, done: session_entries.SessionEnrolment) -> "EnterCandidateIntoTestSessionPayload":
        return cls(
            test_session=TestSessionNode.of(done.session),
            # A fresh or reinstated entry: no released result to show yet.
            entry=EntryNode.of(done.entry, results_visible=False),
            candidate=CandidateNode.of(done.candidate),
            outcome=done.outcome,
            message=_message(done),
            warnings=[EntryWarning.of(w) for w in done.warnings],
        )


def _message(done: session_entries.SessionEnrolment) -> str:
    candidate, session = done.candidate, done.session
    if done.outcome == session_entries.EntryOutcome.LINKED_TO_EXISTING_CANDIDATE:
        return (
            f"The username {candidate.username} already belongs to candidate "
            f"{candidate.candidate_number} {candidate.full_name}: that candidate was entered "
            f"into {session.name} with entry code {done.entry.entry_code}. Their names, "
            "candidate number, UCI and password were not changed."
        )
    return (
        f"{candidate.full_name} was added as candidate {candidate.candidate_number} and "
        f"entered into {session.name} with entry code {done.entry.entry_code}."
    )


@strawberry.type(description="What starting a test did: a token for it, or why not.")
class StartTestPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Send it as `Authorization: Bearer <token>`; it reads `currentTest` and "
        "nothing else, until the session ends.",
    )
    expires_at: datetime | None = strawberry.field(
        default=None,
        description="When the token stops working: the session's end (ISO 8601, UTC).",
    )
    test: CandidateTest | None = strawberry.field(
        default=None, description="The test started, to show the candidate; null on errors."
    )
    errors: list[UserError] = errors_field(
        E.INVALID_CREDENTIALS,
        E.SIGN_IN_THROTTLED,
        E.TEST_SESSION_CANCELLED,
        E.TEST_NOT_OPEN_YET,
        E.TEST_SESSION_ENDED,
        E.ENTRY_WITHDRAWN,
        E.ENTRY_NOT_IN_TEST_SESSION,
    )


CreateLogInSheetPayload = job_payload(
    "CreateLogInSheetPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` are the PDF (a block per candidate, to cut "
    "apart) and the CSV of the same details.",
)

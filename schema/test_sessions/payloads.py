"""Payloads of the test sessions' mutations: a session, an entry into one, starting a test and
the log-in sheet."""

from datetime import datetime

import strawberry

from resolvers.test_sessions import session_entries
from schema.core.errors import UserError
from schema.core.payloads import job_payload
from schema.exams.enums import EntryOutcome
from schema.exams.payloads import EntryWarning
from schema.exams.types import CandidateNode, EntryNode
from schema.test_sessions.types import CandidateTest, TestSessionNode


@strawberry.type
class TestSessionPayload:
    test_session: TestSessionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnterCandidateIntoTestSessionPayload:
    test_session: TestSessionNode | None = None
    entry: EntryNode | None = strawberry.field(
        default=None, description="The entry in the session, with the entry code."
    )
    candidate: CandidateNode | None = None
    outcome: EntryOutcome | None = None
    message: str | None = strawberry.field(default=None, description="What happened, in words.")
    warnings: list[EntryWarning] = strawberry.field(
        default_factory=list,
        description="What the centre should check, though the entry was made; empty if nothing.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)

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


@strawberry.type
class StartTestPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Send it as `Authorization: Bearer <token>`; it reads `currentTest` and "
        "nothing else, until the session ends.",
    )
    expires_at: datetime | None = None
    test: CandidateTest | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


CreateLogInSheetPayload = job_payload(
    "CreateLogInSheetPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` are the PDF (a block per candidate, to cut "
    "apart) and the CSV of the same details.",
)

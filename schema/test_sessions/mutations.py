"""The test sessions' mutations: create, change and cancel a session, enter a candidate into
one, start a test, and the session's log-in sheet."""

from typing import Annotated

import strawberry
from strawberry import relay

from models.jobs import Job
from models.test_sessions import TestSession
from resolvers.test_sessions import login_sheets, session_entries, sessions, test_start
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.permissions import Public, SignedIn
from schema.test_sessions.inputs import (
    CancelTestSessionInput,
    CreateLogInSheetInput,
    CreateTestSessionInput,
    EnterCandidateIntoTestSessionInput,
    StartTestInput,
    UpdateTestSessionInput,
)
from schema.test_sessions.payloads import (
    CreateLogInSheetPayload,
    EnterCandidateIntoTestSessionPayload,
    StartTestPayload,
    TestSessionPayload,
)
from schema.test_sessions.types import CandidateTest, TestSessionNode


def _session_id(global_id: relay.GlobalID) -> int:
    return node_id(global_id, "TestSession", "input", "testSessionId")


def _answer(session: TestSession) -> TestSessionPayload:
    return TestSessionPayload(test_session=TestSessionNode.of(session))


@strawberry.type
class TestSessionMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The exams officer of the venue (or of its associate): a test session of "
        "a syllabus in a series, at a start time, for a number of minutes.",
    )
    async def create_test_session(
        self,
        info: Info,
        input: Annotated[
            CreateTestSessionInput,
            strawberry.argument(
                description="The venue, series, syllabus, name, start time and duration."
            ),
        ],
    ) -> TestSessionPayload:
        return await payload(
            TestSessionPayload,
            sessions.create_test_session(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                syllabus_code=input.syllabus_code,
                name=input.name,
                starts_at=input.starts_at,
                duration_minutes=input.duration_minutes,
            ),
            _answer,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Change a session's name, start time or duration (what is not given "
        "stays); its series and syllabus only while no candidate is entered. Not once "
        "cancelled.",
    )
    async def update_test_session(
        self,
        info: Info,
        input: Annotated[
            UpdateTestSessionInput,
            strawberry.argument(description="The session and the fields to change."),
        ],
    ) -> TestSessionPayload:
        async def work() -> TestSession:
            return await sessions.update_test_session(
                info.context.actor,
                session_id=_session_id(input.test_session_id),
                name=input.name,
                starts_at=input.starts_at,
                duration_minutes=input.duration_minutes,
                series_code=input.series_code,
                syllabus_code=input.syllabus_code,
            )

        return await payload(TestSessionPayload, work(), _answer)

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Cancel a session that is not over: its entries stay, but none of their "
        "entry codes starts its test.",
    )
    async def cancel_test_session(
        self,
        info: Info,
        input: Annotated[
            CancelTestSessionInput, strawberry.argument(description="The session to cancel.")
        ],
    ) -> TestSessionPayload:
        async def work() -> TestSession:
            return await sessions.cancel_test_session(
                info.context.actor, session_id=_session_id(input.test_session_id)
            )

        return await payload(TestSessionPayload, work(), _answer)

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Single candidate entry into a session: the candidate, new or linked by "
        "username as enterCandidate does, is entered for the session's syllabus in its "
        "series and gets the entry code that starts the test. Not into a cancelled session "
        "or one that is over; withdraw with withdrawEntry.",
    )
    async def enter_candidate_into_test_session(
        self,
        info: Info,
        input: Annotated[
            EnterCandidateIntoTestSessionInput,
            strawberry.argument(
                description="The session, and the candidate's username, names, password, "
                "number and UCI."
            ),
        ],
    ) -> EnterCandidateIntoTestSessionPayload:
        async def work() -> session_entries.SessionEnrolment:
            return await session_entries.enter_candidate_into_test_session(
                info.context.actor,
                session_id=_session_id(input.test_session_id),
                username=input.username,
                first_name=input.first_name,
                last_name=input.last_name,
                password=input.password,
                candidate_number=input.candidate_number,
                uci=input.uci,
            )

        return await payload(
            EnterCandidateIntoTestSessionPayload, work(), EnterCandidateIntoTestSessionPayload.of
        )


@strawberry.type
class TestStartMutations:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Candidates: start your test with the username and password from your "
        "centre and your entry code, from 15 minutes before the session starts until it ends.",
    )
    async def start_test(
        self,
        info: Info,
        input: Annotated[
            StartTestInput,
            strawberry.argument(
                description="The username, password and entry code the candidate was given."
            ),
        ],
    ) -> StartTestPayload:
        return await payload(
            StartTestPayload,
            test_start.start_test(
                info.context.actor,
                username=input.username,
                password=input.password,
                entry_code=input.entry_code,
            ),
            lambda r: StartTestPayload(
                token=r.token, expires_at=r.expires_at, test=CandidateTest.of(r.test)
            ),
        )


@strawberry.type
class LogInSheetMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Exams officers: the session's candidate log-in sheet (name, candidate "
        "number, username, password, entry code, session, time and venue of each candidate "
        "entered), as a PDF and a CSV, made in the background. NO_SESSION_ENTRIES when nobody "
        "is entered.",
    )
    async def create_log_in_sheet(
        self,
        info: Info,
        input: Annotated[
            CreateLogInSheetInput,
            strawberry.argument(
                description="The session whose candidates' log-in details to print."
            ),
        ],
    ) -> CreateLogInSheetPayload:
        async def work() -> Job:
            session_id = node_id(input.test_session_id, "TestSession", "input", "testSessionId")
            return await login_sheets.create_login_sheet(
                info.context.actor, test_session_id=session_id
            )

        return await payload(CreateLogInSheetPayload, work(), CreateLogInSheetPayload.of)

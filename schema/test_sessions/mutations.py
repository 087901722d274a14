"""Starting a test, and the session's log-in sheet."""

import strawberry

from models.jobs import Job
from resolvers.test_sessions import login_sheets, test_start
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.permissions import Public, SignedIn
from schema.test_sessions.inputs import CreateLogInSheetInput, StartTestInput
from schema.test_sessions.payloads import CreateLogInSheetPayload, StartTestPayload
from schema.test_sessions.types import CandidateTest


@strawberry.type
class TestStartMutations:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Candidates: start your test with the username and password from your "
        "centre and your entry code, from 15 minutes before the session starts until it ends.",
    )
    async def start_test(self, info: Info, input: StartTestInput) -> StartTestPayload:
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
        "entered), as a PDF and a CSV, made in the background.",
    )
    async def create_log_in_sheet(
        self, info: Info, input: CreateLogInSheetInput
    ) -> CreateLogInSheetPayload:
        async def work() -> Job:
            session_id = node_id(input.test_session_id, "TestSession", "input", "testSessionId")
            return await login_sheets.create_login_sheet(
                info.context.actor, test_session_id=session_id
            )

        return await payload(CreateLogInSheetPayload, work(), CreateLogInSheetPayload.of)

"""How the test sessions domain's operations in the permission matrix are called and checked:
sessions (each cell gets one of its own at the target organisation, written straight into the
database: at the board or an associate too, since what is checked is who may act where, and a
session answers to the organisation it is at), entering a candidate, a session's log-in sheet,
and the test a candidate started (which no staff token reads)."""

import uuid
from datetime import timedelta
from typing import Any

from strawberry import relay

from models.exams import Candidate, Entry, Series, Syllabus
from models.jobs import Job
from models.organisations import Organisation, OrganisationKind
from models.test_sessions import TestSession, TestSessionStatus
from resolvers.core import clock
from tests.permission_matrix.world import ERRORS, Call, Preparer, unique

SESSION = "id name status centre { code }"
# The series the list's cells make their sessions in, and no other cell: the list shows them
# whatever the other cells made.
LISTED_SERIES = "2025-NOV"


async def _session_at(code: str, series_code: str = "2026-NOV") -> tuple[TestSession, str]:
    """A session created for one cell at `code`, and its id in the API."""
    session = await TestSession.create(
        centre=await Organisation.get(code=code),
        series=await Series.get(code=series_code),
        syllabus=await Syllabus.get(code="0580"),
        name=unique("Session"),
        starts_at=clock.now() + timedelta(days=1),
        duration_minutes=60,
    )
    return session, relay.to_base64("TestSession", session.id)


async def _test_sessions(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    _, session_id = await _session_at(code, LISTED_SERIES)

    async def verify(data: Any) -> None:
        assert session_id in [n["id"] for n in data["nodes"]]
        assert {n["centre"]["code"] for n in data["nodes"]} == {code}

    return Call(
        f"query($c: String!) {{ testSessions(centreCode: $c, first: 100, "
        f'filter: {{seriesCode: "{LISTED_SERIES}"}}) {{ totalCount nodes {{ {SESSION} }} }} }}',
        {"c": code},
        "testSessions",
        verify,
    )


async def _test_session(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    _, session_id = await _session_at(code)

    async def verify(data: Any) -> None:
        assert (data["id"], data["centre"]["code"]) == (session_id, code)

    return Call(
        f"query($id: ID!) {{ testSession(id: $id) {{ {SESSION} entries {{ entryCode }} }} }}",
        {"id": session_id},
        "testSession",
        verify,
    )


async def _create(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    name = unique("Created")

    async def verify(data: Any) -> None:
        assert data["errors"] == [], data
        assert data["testSession"]["centre"]["code"] == code
        assert await TestSession.exists(name=name, centre__code=code)

    return Call(
        f"mutation($input: CreateTestSessionInput!) {{ createTestSession(input: $input) "
        f"{{ testSession {{ {SESSION} }} {ERRORS} }} }}",
        {
            "input": {
                "centreCode": code,
                "seriesCode": "2026-NOV",
                "syllabusCode": "0580",
                "name": name,
                "startsAt": (clock.now() + timedelta(days=1)).isoformat(),
                "durationMinutes": 60,
            }
        },
        "createTestSession",
        verify,
    )


async def _update(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    session, session_id = await _session_at(code)
    name = unique("Renamed")

    async def verify(data: Any) -> None:
        assert data["errors"] == [], data
        assert (await TestSession.get(id=session.id)).name == name

    return Call(
        f"mutation($input: UpdateTestSessionInput!) {{ updateTestSession(input: $input) "
        f"{{ testSession {{ {SESSION} }} {ERRORS} }} }}",
        {"input": {"testSessionId": session_id, "name": name}},
        "updateTestSession",
        verify,
    )


async def _cancel(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    session, session_id = await _session_at(code)

    async def verify(data: Any) -> None:
        assert data["errors"] == [], data
        assert (await TestSession.get(id=session.id)).status is TestSessionStatus.CANCELLED

    return Call(
        f"mutation($input: CancelTestSessionInput!) {{ cancelTestSession(input: $input) "
        f"{{ testSession {{ {SESSION} }} {ERRORS} }} }}",
        {"input": {"testSessionId": session_id}},
        "cancelTestSession",
        verify,
    )


async def _enter(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    session, session_id = await _session_at(code)
    username = unique("cand")

    async def verify(data: Any) -> None:
        assert data["errors"] == [], data
        assert await Entry.exists(
            test_session_id=session.id,
            candidate__username=username,
            entry_code=data["entry"]["entryCode"],
        )

    return Call(
        "mutation($input: EnterCandidateIntoTestSessionInput!) { "
        f"enterCandidateIntoTestSession(input: $input) {{ entry {{ entryCode }} {ERRORS} }} }}",
        {
            "input": {
                "testSessionId": session_id,
                "username": username,
                "firstName": "Tess",
                "lastName": "Taker",
                "password": "Session2026",
            }
        },
        "enterCandidateIntoTestSession",
        verify,
    )


async def _session_with_a_candidate(code: str) -> TestSession:
    """A session at `code` with one candidate entered, made for one cell."""
    organisation = await Organisation.get(code=code)
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0500")
    tag = uuid.uuid4().hex[:8].upper()
    number = f"{int(tag[:4], 16) % 9000 + 1000}"
    while await Candidate.exists(centre=organisation, candidate_number=number):
        number = f"{(int(number) + 1) % 9000 + 1000}"
    candidate = await Candidate.create(
        centre=organisation,
        candidate_number=number,
        first_name="Matrix",
        last_name="Cell",
        username=f"matrix_{tag}",
        password_hash="not-used-here",
    )
    session = await TestSession.create(
        centre=organisation,
        series=series,
        syllabus=syllabus,
        name=f"Matrix {tag}",
        starts_at=clock.now() + timedelta(days=1),
        duration_minutes=60,
    )
    await Entry.create(
        candidate=candidate,
        series=series,
        syllabus=syllabus,
        test_session=session,
        entry_code=f"{tag[:4]}-{tag[4:]}",
    )
    return session


async def _create_log_in_sheet(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    session = await _session_with_a_candidate(code)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["job"]["kind"] == "test_sessions.login_sheet"
        job = await Job.get(id=int(relay.GlobalID.from_id(data["job"]["id"]).node_id))
        assert job.payload == {"testSessionId": session.id}

    return Call(
        "mutation($input: CreateLogInSheetInput!) { createLogInSheet(input: $input) "
        f"{{ job {{ id kind }} {ERRORS} }} }}",
        {"input": {"testSessionId": str(relay.GlobalID("TestSession", str(session.id)))}},
        "createLogInSheet",
        verify,
    )


async def _current_test(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    async def verify(data: Any) -> None:
        raise AssertionError(f"a staff token read a candidate's test: {data}")

    return Call("{ currentTest { candidateName } }", {}, "currentTest", verify)


CALLS: dict[str, Preparer] = {
    "testSessions": _test_sessions,
    "testSession": _test_session,
    "createTestSession": _create,
    "updateTestSession": _update,
    "cancelTestSession": _cancel,
    "enterCandidateIntoTestSession": _enter,
    "createLogInSheet": _create_log_in_sheet,
    "currentTest": _current_test,
}

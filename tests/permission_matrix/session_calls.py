"""How the test sessions' operations in the permission matrix are called and checked. Each cell
gets a session of its own at the target organisation, written straight into the database (at
the board or an associate too: what is checked is who may act where, and a session anywhere
answers to the organisation it is at)."""

from datetime import timedelta
from typing import Any

from strawberry import relay

from models.exams import Entry, Series, Syllabus
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


CALLS: dict[str, Preparer] = {
    "testSessions": _test_sessions,
    "testSession": _test_session,
    "createTestSession": _create,
    "updateTestSession": _update,
    "cancelTestSession": _cancel,
    "enterCandidateIntoTestSession": _enter,
}

"""How the test sessions domain's operations in the permission matrix are called and checked:
a session's log-in sheet, and the test a candidate started (which no staff token reads)."""

import uuid
from datetime import timedelta
from typing import Any

from strawberry import relay

from models.exams import Candidate, Entry, Series, Syllabus
from models.jobs import Job
from models.organisations import Organisation, OrganisationKind
from models.test_sessions import TestSession
from resolvers.core import clock
from tests.permission_matrix.world import ERRORS, Call, Preparer


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
    "createLogInSheet": _create_log_in_sheet,
    "currentTest": _current_test,
}

"""What the test sessions' test modules share: the operations, and making a session."""

from datetime import datetime, timedelta
from typing import Any

from strawberry import relay

from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

ERRORS = "errors { code field message }"
SESSION = (
    "id name startsAt endsAt durationMinutes status cancelledAt timing "
    "centre { code } series { code } syllabus { code }"
)

CREATE = f"""
mutation($input: CreateTestSessionInput!) {{ createTestSession(input: $input) {{
  {ERRORS} testSession {{ {SESSION} }}
}} }}"""

UPDATE = f"""
mutation($input: UpdateTestSessionInput!) {{ updateTestSession(input: $input) {{
  {ERRORS} testSession {{ {SESSION} }}
}} }}"""

CANCEL = f"""
mutation($input: CancelTestSessionInput!) {{ cancelTestSession(input: $input) {{
  {ERRORS} testSession {{ {SESSION} }}
}} }}"""

ENTER = f"""
mutation($input: EnterCandidateIntoTestSessionInput!) {{
  enterCandidateIntoTestSession(input: $input) {{
    {ERRORS} outcome message warnings {{ code field }}
    testSession {{ id name }}
    candidate {{ id candidateNumber username firstName lastName centre {{ code }} }}
    entry {{ id entryCode status series {{ code }} syllabus {{ code }} }}
  }}
}}"""

SESSION_QUERY = f"""
query($id: ID!) {{ testSession(id: $id) {{
  {SESSION}
  entries {{ id entryCode status withdrawnAt candidate {{ candidateNumber username fullName }} }}
}} }}"""

SESSIONS = f"""
query($centre: String!, $filter: TestSessionFilter, $first: Int, $after: String) {{
  testSessions(centreCode: $centre, filter: $filter, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    nodes {{ {SESSION} entries {{ entryCode status candidate {{ username }} }} }}
  }}
}}"""

WITHDRAW = f"""
mutation($input: WithdrawEntryInput!) {{ withdrawEntry(input: $input) {{
  {ERRORS} entry {{ id status withdrawnAt }}
}} }}"""


def session_input(**overrides: Any) -> dict[str, Any]:
    """A session at AA101 tomorrow morning, for 2026-NOV Mathematics."""
    start = clock.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    values: dict[str, Any] = {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "syllabusCode": "0580",
        "name": "Maths, Hall B",
        "startsAt": start.isoformat(),
        "durationMinutes": 90,
    }
    values.update(overrides)
    return values


async def create_session(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    data = await gql.ok(CREATE, {"input": session_input(**overrides)}, token)
    result = data["createTestSession"]
    assert result["errors"] == [], result
    return result["testSession"]


def candidate_input(session_id: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "testSessionId": session_id,
        "username": "AA101_Session_Cand101",
        "firstName": "Nia",
        "lastName": "Long",
        "password": "Secret2026",
    }
    values.update(overrides)
    return values


async def enter(gql: GraphQLClient, token: str, session_id: str, **overrides: Any) -> dict:
    data = await gql.ok(ENTER, {"input": candidate_input(session_id, **overrides)}, token)
    return data["enterCandidateIntoTestSession"]


def session_id(number: int) -> str:
    return relay.to_base64("TestSession", number)


def session_key(global_id: str) -> str:
    """The database id in a global id."""
    return relay.from_base64(global_id)[1]


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)

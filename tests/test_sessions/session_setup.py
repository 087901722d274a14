"""What the tests of starting a test and of the log-in sheets share: candidates entered through
enterCandidate (so their passwords are hashed and sealed as a centre's would be), and a test
session with their entries in it, made through the ORM (the sessions' own mutations are tested
with them)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from strawberry import relay

from models.exams import Entry, Series, Syllabus
from models.organisations import Organisation
from models.test_sessions import TestSession
from tests.helpers.graphql import GraphQLClient

# 11:00 to 12:30 UTC on the tests' day (tests/conftest.py starts every test at 09:00).
STARTS_AT = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
DURATION_MINUTES = 90
SYLLABUS = "0500"

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  errors { code message field }
  candidate { id candidateNumber username }
  entries { id entryCode syllabus { code } }
} }"""


@dataclass(frozen=True)
class Entered:
    """A candidate entered for SYLLABUS, and what they type to start its test."""

    entry_id: int
    entry_gid: str
    candidate_number: str
    username: str
    password: str
    entry_code: str
    first_name: str
    last_name: str


async def enter_candidate(
    gql: GraphQLClient,
    token: str,
    *,
    username: str,
    password: str = "Secret2026",
    first_name: str = "Nia",
    last_name: str = "Long",
    centre: str = "AA101",
) -> Entered:
    values: dict[str, Any] = {
        "centreCode": centre,
        "seriesCode": "2026-NOV",
        "syllabusCodes": [SYLLABUS],
        "username": username,
        "firstName": first_name,
        "lastName": last_name,
        "password": password,
    }
    result = (await gql.ok(ENTER, {"input": values}, token))["enterCandidate"]
    assert result["errors"] == [], result
    entry = result["entries"][0]
    return Entered(
        entry_id=int(_node(entry["id"])),
        entry_gid=entry["id"],
        candidate_number=result["candidate"]["candidateNumber"],
        username=username,
        password=password,
        entry_code=entry["entryCode"],
        first_name=first_name,
        last_name=last_name,
    )


def _node(global_id: str) -> str:
    return relay.GlobalID.from_id(global_id).node_id


async def make_session(
    centre: str = "AA101",
    *,
    name: str = "Morning sitting",
    starts_at: datetime = STARTS_AT,
    entries: tuple[Entered, ...] = (),
) -> TestSession:
    session = await TestSession.create(
        centre=await Organisation.get(code=centre),
        series=await Series.get(code="2026-NOV"),
        syllabus=await Syllabus.get(code=SYLLABUS),
        name=name,
        starts_at=starts_at,
        duration_minutes=DURATION_MINUTES,
    )
    if entries:
        await Entry.filter(id__in=[e.entry_id for e in entries]).update(test_session_id=session.id)
    return session

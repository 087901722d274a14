"""Who may do what with series, entries and results: every cell of the table runs.

Columns are people at AA101 (their own centre), at BB202 and at the associate AS100 (another
organisation, for AA101), and the board admin. A teacher, an invigilator or a user manager gets
nothing here; SLT reads but does not change; the exams officer manages entries; only the board
creates series and loads results.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from itertools import count

import pytest
from strawberry import relay

from models.exams import Entry, EntryStatus, Result
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

EO, SLT, TEACHER, INV, USERS = (
    "eo@aa101.example",
    "slt@aa101.example",
    "teacher@aa101.example",
    "inv@aa101.example",
    "users@aa101.example",
)
ADMIN = "admin@exb.example"
OTHER_EO, OTHER_SLT, ASSOCIATE_EO = "eo@bb202.example", "slt@bb202.example", "eo@as100.example"
ANONYMOUS = "(signed out)"
ACTORS = (EO, SLT, TEACHER, INV, USERS, ADMIN, OTHER_EO, OTHER_SLT, ASSOCIATE_EO, ANONYMOUS)

_usernames = count()


def _allowed(body: dict) -> bool:
    """True if the call was allowed; False if refused as signed out or forbidden."""
    errors = body.get("errors")
    if not errors:
        return True
    code = errors[0]["extensions"]["code"]
    assert code in {"FORBIDDEN", "UNAUTHENTICATED"}, body
    return False


async def _aa101_entry(series: str) -> str:
    entry = (
        await Entry.filter(
            candidate__centre__code="AA101", series__code=series, status=EntryStatus.ENTERED
        )
        .order_by("id")
        .first()
    )
    assert entry is not None
    return str(relay.GlobalID("Entry", str(entry.id)))


async def enter_candidate(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } candidate { id } } }",
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": "2026-NOV",
                "syllabusCodes": ["0500"],
                "username": f"perm{next(_usernames)}",
                "firstName": "P",
                "lastName": "Q",
                "password": "Permit2026",
            }
        },
        token,
    )
    allowed = _allowed(body)
    if allowed:
        assert body["data"]["enterCandidate"]["errors"] == []
    return allowed


async def withdraw_entry(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        "mutation($input: WithdrawEntryInput!) { withdrawEntry(input: $input) "
        "{ errors { code } entry { status } } }",
        {"input": {"entryId": await _aa101_entry("2026-NOV")}},
        token,
    )
    allowed = _allowed(body)
    if allowed:
        assert body["data"]["withdrawEntry"]["entry"]["status"] == "WITHDRAWN"
    return allowed


async def list_entries(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        '{ entries(centreCode: "AA101", seriesCode: "2026-NOV") { totalCount } }', None, token
    )
    allowed = _allowed(body)
    if allowed:
        assert body["data"]["entries"]["totalCount"] > 0
    return allowed


async def read_released_results(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        '{ entries(centreCode: "AA101", seriesCode: "2026-JUN") '
        "{ resultsVisible nodes { result { grade } } } }",
        None,
        token,
    )
    if not _allowed(body):
        return False
    entries = body["data"]["entries"]
    return entries["resultsVisible"] and any(n["result"] for n in entries["nodes"])


async def read_unreleased_results(gql: GraphQLClient, token: str | None) -> bool:
    # 2026-NOV releases in 2027; give one entry a result first, as the board would.
    entry = (
        await Entry.filter(
            candidate__centre__code="AA101", series__code="2026-NOV", status=EntryStatus.ENTERED
        )
        .order_by("id")
        .first()
    )
    assert entry is not None
    await Result.create(entry=entry, grade="A", loaded_at=clock.now())
    body = await gql.post(
        '{ entries(centreCode: "AA101", seriesCode: "2026-NOV") '
        "{ resultsVisible nodes { result { grade } } } }",
        None,
        token,
    )
    if not _allowed(body):
        return False
    entries = body["data"]["entries"]
    return entries["resultsVisible"] and any(n["result"] for n in entries["nodes"])


async def load_result(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        "mutation($input: LoadResultInput!) { loadResult(input: $input) "
        "{ errors { code } result { grade } } }",
        {"input": {"entryId": await _aa101_entry("2026-JUN"), "grade": "A"}},
        token,
    )
    allowed = _allowed(body)
    if allowed:
        assert body["data"]["loadResult"]["result"] == {"grade": "A"}
    return allowed


async def create_series(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        "mutation($input: CreateSeriesInput!) { createSeries(input: $input) "
        "{ errors { code } series { code } } }",
        {"input": {"year": 2030, "month": "MARCH", "resultsReleaseAt": "2030-05-01T06:00:00Z"}},
        token,
    )
    return _allowed(body)


async def create_syllabus(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post(
        "mutation($input: CreateSyllabusInput!) { createSyllabus(input: $input) "
        "{ errors { code } syllabus { code } } }",
        {"input": {"code": "0625", "title": "Physics"}},
        token,
    )
    return _allowed(body)


async def list_series(gql: GraphQLClient, token: str | None) -> bool:
    body = await gql.post("{ series { totalCount } syllabuses { totalCount } }", None, token)
    return _allowed(body)


Operation = Callable[[GraphQLClient, str | None], Awaitable[bool]]
CENTRE_READERS = {EO, SLT, ADMIN}
EVERYONE_SIGNED_IN = set(ACTORS) - {ANONYMOUS}

TABLE: dict[str, tuple[Operation, set[str]]] = {
    "enterCandidate": (enter_candidate, {EO, ADMIN}),
    "withdrawEntry": (withdraw_entry, {EO, ADMIN}),
    "entries": (list_entries, CENTRE_READERS),
    "results after release": (read_released_results, CENTRE_READERS),
    "results before release": (read_unreleased_results, {ADMIN}),
    "loadResult": (load_result, {ADMIN}),
    "createSeries": (create_series, {ADMIN}),
    "createSyllabus": (create_syllabus, {ADMIN}),
    "series and syllabuses": (list_series, EVERYONE_SIGNED_IN),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", list(TABLE))
async def test_permission_table(demo, gql: GraphQLClient, operation: str, actor: str) -> None:
    # The demo's 2026-JUN is released in August 2026 and 2026-NOV in January 2027.
    moment = datetime(2026, 9, 1, tzinfo=UTC)
    clock.advance(moment - clock.now())
    token = None if actor == ANONYMOUS else await gql.sign_in(actor)
    run, allowed = TABLE[operation]
    assert await run(gql, token) is (actor in allowed)


async def test_an_associate_manages_its_associate_centres_entries(demo, gql: GraphQLClient) -> None:
    token = await gql.sign_in(ASSOCIATE_EO)
    body = await gql.ok(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } candidate { centre { code } } } }",
        {
            "input": {
                "centreCode": "AS101",
                "seriesCode": "2026-NOV",
                "syllabusCodes": ["0500"],
                "username": "assoc",
                "firstName": "A",
                "lastName": "B",
                "password": "Assoc2026",
            }
        },
        token,
    )
    assert body["enterCandidate"]["candidate"]["centre"]["code"] == "AS101"


async def test_candidates_are_entered_only_at_centres(demo, gql: GraphQLClient) -> None:
    token = await gql.sign_in(ASSOCIATE_EO)
    body = await gql.ok(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } } }",
        {
            "input": {
                "centreCode": "AS100",
                "seriesCode": "2026-NOV",
                "syllabusCodes": ["0500"],
                "username": "assoc",
                "firstName": "A",
                "lastName": "B",
                "password": "Assoc2026",
            }
        },
        token,
    )
    assert [e["code"] for e in body["enterCandidate"]["errors"]] == ["NOT_A_CENTRE"]

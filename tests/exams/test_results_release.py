"""Results: loaded by the board; the centre's exams officer and SLT see them from the series'
release time (on a clock the test moves), the board at any time, another centre never."""

from datetime import UTC, datetime, timedelta
from typing import Any

from models.audit import AuditEvent
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

CREATE_SERIES = """
mutation($input: CreateSeriesInput!) { createSeries(input: $input) {
  errors { code message field }
  series { id code month year credentialsOpenAt resultsReleaseAt resultsReleased }
} }"""

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  errors { code } entries { id }
} }"""

LOAD = """
mutation($input: LoadResultInput!) { loadResult(input: $input) {
  errors { code message field } result { grade mark } entry { id result { grade } }
} }"""

ENTRIES = """
query($centre: String!, $series: String!) {
  entries(centreCode: $centre, seriesCode: $series) {
    totalCount resultsVisible
    nodes { candidate { username } syllabus { code } result { grade mark } }
} }"""


async def _series_releasing_tomorrow(gql: GraphQLClient, admin: str) -> dict[str, Any]:
    release = clock.now() + timedelta(days=1)
    data = await gql.ok(
        CREATE_SERIES,
        {
            "input": {
                "year": 2027,
                "month": "JUNE",
                "resultsReleaseAt": release.isoformat(),
                "credentialsOpenAt": (release - timedelta(days=30)).isoformat(),
            }
        },
        token=admin,
    )
    assert data["createSeries"]["errors"] == []
    return data["createSeries"]["series"]


async def _entered(gql: GraphQLClient, eo: str, series: str) -> str:
    data = await gql.ok(
        ENTER,
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": series,
                "syllabusCodes": ["0580"],
                "username": "release.test",
                "firstName": "Ravi",
                "lastName": "Shah",
                "password": "Release2027",
            }
        },
        token=eo,
    )
    assert data["enterCandidate"]["errors"] == []
    return data["enterCandidate"]["entries"][0]["id"]


async def _list(gql: GraphQLClient, token: str, series: str, centre: str = "AA101") -> dict:
    body = await gql.post(ENTRIES, {"centre": centre, "series": series}, token=token)
    return body


async def test_results_appear_at_the_release_time(demo, gql: GraphQLClient) -> None:
    admin = await gql.sign_in("admin@exb.example")
    eo = await gql.sign_in("eo@aa101.example")
    slt = await gql.sign_in("slt@aa101.example")
    series = await _series_releasing_tomorrow(gql, admin)
    assert series["code"] == "2027-JUN"
    assert series["resultsReleased"] is False
    entry_id = await _entered(gql, eo, series["code"])

    loaded = (
        await gql.ok(LOAD, {"input": {"entryId": entry_id, "grade": "A*", "mark": 93}}, token=admin)
    )["loadResult"]
    assert loaded["errors"] == []
    assert loaded["result"] == {"grade": "A*", "mark": 93}

    for token in (eo, slt):
        before = (await _list(gql, token, "2027-JUN"))["data"]["entries"]
        assert before["resultsVisible"] is False
        assert before["nodes"][0]["result"] is None
    board = (await _list(gql, admin, "2027-JUN"))["data"]["entries"]
    assert board["resultsVisible"] is True
    assert board["nodes"][0]["result"] == {"grade": "A*", "mark": 93}

    # Sessions expire in less than a day: sign in again after moving the clock.
    clock.advance(timedelta(days=1) - timedelta(seconds=5))
    eo = await gql.sign_in("eo@aa101.example")
    slt = await gql.sign_in("slt@aa101.example")
    still = (await _list(gql, eo, "2027-JUN"))["data"]["entries"]
    assert still["nodes"][0]["result"] is None

    clock.advance(timedelta(seconds=10))
    for token in (eo, slt):
        after = (await _list(gql, token, "2027-JUN"))["data"]["entries"]
        assert after["resultsVisible"] is True
        assert after["nodes"][0]["result"] == {"grade": "A*", "mark": 93}


async def test_another_centre_never_sees_them(demo, gql: GraphQLClient) -> None:
    clock.advance(timedelta(days=3650))  # long after every release
    for email in ("eo@bb202.example", "slt@bb202.example", "eo@as100.example"):
        token = await gql.sign_in(email)
        body = await _list(gql, token, "2026-JUN")
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", email
    # BB202's own list holds only BB202's candidates.
    token = await gql.sign_in("eo@bb202.example")
    own = (await _list(gql, token, "2026-JUN", "BB202"))["data"]["entries"]
    assert {n["candidate"]["username"] for n in own["nodes"]} == {"BB202_Cand001", "BB202_Cand002"}


async def test_demo_series_released_and_not(demo, gql: GraphQLClient) -> None:
    if clock.now() < datetime(2026, 8, 11, 6, tzinfo=UTC):
        clock.advance(datetime(2026, 8, 12, tzinfo=UTC) - clock.now())
    eo = await gql.sign_in("eo@aa101.example")
    current = (await _list(gql, eo, "2026-JUN"))["data"]["entries"]
    assert current["resultsVisible"] is True
    grades = {
        (n["candidate"]["username"], n["syllabus"]["code"]): n["result"] for n in current["nodes"]
    }
    assert grades["AA101_Cand003", "0580"] == {"grade": "B", "mark": None}
    assert grades["josé.garcía", "0610"] is None  # withdrawn: no result
    future = (await _list(gql, eo, "2026-NOV"))["data"]["entries"]
    if clock.now() < datetime(2027, 1, 13, 6, tzinfo=UTC):
        assert future["resultsVisible"] is False


async def test_loading_again_replaces_the_result(demo, gql: GraphQLClient) -> None:
    admin = await gql.sign_in("admin@exb.example")
    eo = await gql.sign_in("eo@aa101.example")
    series = await _series_releasing_tomorrow(gql, admin)
    entry_id = await _entered(gql, eo, series["code"])
    await gql.ok(LOAD, {"input": {"entryId": entry_id, "grade": "C"}}, token=admin)
    again = (
        await gql.ok(LOAD, {"input": {"entryId": entry_id, "grade": "B", "mark": 71}}, token=admin)
    )["loadResult"]
    assert again["entry"]["result"] == {"grade": "B"}
    events = await AuditEvent.filter(action="result.load").order_by("id")
    assert [e.before for e in events] == [None, {"grade": "C", "mark": None}]
    assert events[-1].after["grade"] == "B"


async def test_bad_results_are_refused_and_change_nothing(demo, gql: GraphQLClient) -> None:
    admin = await gql.sign_in("admin@exb.example")
    eo = await gql.sign_in("eo@aa101.example")
    series = await _series_releasing_tomorrow(gql, admin)
    entry_id = await _entered(gql, eo, series["code"])
    bad = (
        await gql.ok(LOAD, {"input": {"entryId": entry_id, "grade": "Z", "mark": 101}}, token=admin)
    )["loadResult"]
    assert sorted(e["code"] for e in bad["errors"]) == ["GRADE_INVALID", "MARK_INVALID"]
    await gql.ok(
        "mutation($input: WithdrawEntryInput!) { withdrawEntry(input: $input) "
        "{ errors { code } } }",
        {"input": {"entryId": entry_id}},
        token=eo,
    )
    withdrawn = (await gql.ok(LOAD, {"input": {"entryId": entry_id, "grade": "A"}}, token=admin))[
        "loadResult"
    ]
    assert [e["code"] for e in withdrawn["errors"]] == ["ENTRY_WITHDRAWN"]
    assert not await AuditEvent.filter(action="result.load").exists()


async def test_series_key_times_default_from_the_seed(demo, gql: GraphQLClient) -> None:
    admin = await gql.sign_in("admin@exb.example")
    for month, opens in (
        ("MARCH", "2028-03-25"),
        ("JUNE", "2028-03-25"),
        ("NOVEMBER", "2028-10-05"),
    ):
        data = await gql.ok(
            CREATE_SERIES,
            {
                "input": {
                    "year": 2028,
                    "month": month,
                    "resultsReleaseAt": "2029-01-15T06:00:00+00:00",
                }
            },
            token=admin,
        )
        assert data["createSeries"]["series"]["credentialsOpenAt"].startswith(opens), month
    duplicate = await gql.ok(
        CREATE_SERIES,
        {
            "input": {
                "year": 2028,
                "month": "JUNE",
                "resultsReleaseAt": "2028-08-15T06:00:00+00:00",
            }
        },
        token=admin,
    )
    assert [e["code"] for e in duplicate["createSeries"]["errors"]] == ["SERIES_EXISTS"]
    early = await gql.ok(
        CREATE_SERIES,
        {
            "input": {
                "year": 2029,
                "month": "JUNE",
                "resultsReleaseAt": "2029-08-15T06:00:00+00:00",
                "credentialsOpenAt": "2029-09-01T00:00:00+00:00",
            }
        },
        token=admin,
    )
    assert [e["code"] for e in early["createSeries"]["errors"]] == ["INVALID_INPUT"]
    listed = await gql.ok("{ series(first: 3) { nodes { code } } }", token=admin)
    assert [n["code"] for n in listed["series"]["nodes"]] == ["2028-NOV", "2028-JUN", "2028-MAR"]


async def test_moving_the_release_time(demo, gql: GraphQLClient) -> None:
    admin = await gql.sign_in("admin@exb.example")
    eo = await gql.sign_in("eo@aa101.example")
    series = await _series_releasing_tomorrow(gql, admin)
    entry_id = await _entered(gql, eo, series["code"])
    await gql.ok(LOAD, {"input": {"entryId": entry_id, "grade": "D"}}, token=admin)
    moved = await gql.ok(
        "mutation($input: UpdateSeriesInput!) { updateSeries(input: $input) "
        "{ errors { code } series { resultsReleased } } }",
        {
            "input": {
                "seriesCode": "2027-jun",
                "resultsReleaseAt": (clock.now() - timedelta(minutes=1)).isoformat(),
            }
        },
        token=admin,
    )
    assert moved["updateSeries"] == {"errors": [], "series": {"resultsReleased": True}}
    now_visible = (await _list(gql, eo, "2027-JUN"))["data"]["entries"]
    assert now_visible["nodes"][0]["result"] == {"grade": "D", "mark": None}

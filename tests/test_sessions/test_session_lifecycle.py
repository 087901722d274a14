"""Test sessions (the test portal's "Sessions"): creating one at a venue, the checks on its
details, changing and cancelling it, the centre's list and its filters, and the audit trail."""

from datetime import timedelta

from models.audit import AuditEvent
from models.test_sessions import TestSession
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.test_sessions.helpers import (
    CANCEL,
    CREATE,
    SESSIONS,
    UPDATE,
    at,
    create_session,
    enter,
    session_id,
    session_input,
    session_key,
)


async def test_the_exams_officer_creates_a_session_at_their_centre(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    assert session["name"] == "Maths, Hall B"
    assert session["centre"] == {"code": "AA101"}
    assert session["series"] == {"code": "2026-NOV"}
    assert session["syllabus"] == {"code": "0580"}
    assert session["status"] == "SCHEDULED"
    assert session["timing"] == "UPCOMING"
    assert session["cancelledAt"] is None
    assert at(session["endsAt"]) - at(session["startsAt"]) == timedelta(minutes=90)
    event = await AuditEvent.get(action="test_session.create")
    assert (event.target_type, event.target_id) == ("TestSession", session_key(session["id"]))
    assert event.after["name"] == "Maths, Hall B"
    assert event.after["durationMinutes"] == 90


async def test_an_associates_exams_officer_creates_one_at_a_client_venue(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@as100.example")
    session = await create_session(gql, token, centreCode="AS101")
    assert session["centre"] == {"code": "AS101"}
    # The associate itself is no venue: it has no candidates.
    data = await gql.ok(CREATE, {"input": session_input(centreCode="AS100")}, token)
    assert [e["code"] for e in data["createTestSession"]["errors"]] == ["NOT_A_CENTRE"]


async def test_every_mistake_in_the_details_is_reported_at_once(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    bad = session_input(
        name="   ",
        durationMinutes=0,
        seriesCode="2031-MAR",
        syllabusCode="9999",
    )
    data = await gql.ok(CREATE, {"input": bad}, token)
    errors = {(e["code"], tuple(e["field"])) for e in data["createTestSession"]["errors"]}
    assert errors == {
        ("NAME_REQUIRED", ("input", "name")),
        ("DURATION_INVALID", ("input", "durationMinutes")),
        ("SERIES_NOT_FOUND", ("input", "seriesCode")),
        ("SYLLABUS_NOT_FOUND", ("input", "syllabusCode")),
    }
    assert data["createTestSession"]["testSession"] is None
    assert await TestSession.filter(name="   ").count() == 0


async def test_the_duration_is_one_to_six_hundred_minutes(demo: object, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    for minutes, ok in ((1, True), (600, True), (601, False), (-5, False)):
        data = await gql.ok(CREATE, {"input": session_input(durationMinutes=minutes)}, token)
        codes = [e["code"] for e in data["createTestSession"]["errors"]]
        assert codes == ([] if ok else ["DURATION_INVALID"]), minutes


async def test_a_start_time_needs_its_zone_and_a_session_not_over_already(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    data = await gql.ok(CREATE, {"input": session_input(startsAt="2026-11-24T09:00:00")}, token)
    assert [(e["code"], e["field"]) for e in data["createTestSession"]["errors"]] == [
        ("INVALID_INPUT", ["input", "startsAt"])
    ]
    over = (clock.now() - timedelta(hours=2)).isoformat()
    data = await gql.ok(CREATE, {"input": session_input(startsAt=over)}, token)
    assert [e["code"] for e in data["createTestSession"]["errors"]] == ["TEST_SESSION_ENDED"]
    # One that began an hour ago and runs two: it is in progress, and may be created.
    running = (clock.now() - timedelta(hours=1)).isoformat()
    session = await create_session(gql, token, startsAt=running, durationMinutes=120)
    assert session["timing"] == "IN_PROGRESS"
    # Not a date at all: GraphQL refuses the value.
    body = await gql.post(CREATE, {"input": session_input(startsAt="tomorrow")}, token)
    assert body.get("errors")


async def test_a_long_name_is_refused(demo: object, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    data = await gql.ok(CREATE, {"input": session_input(name="x" * 201)}, token)
    assert [e["code"] for e in data["createTestSession"]["errors"]] == ["INPUT_TOO_LONG"]
    session = await create_session(gql, token, name=" " + "x" * 198 + " ")
    assert session["name"] == "x" * 198
    assert (await create_session(gql, token, name="y" * 200))["name"] == "y" * 200


async def test_changing_the_name_time_and_duration(demo: object, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    later = (at(session["startsAt"]) + timedelta(hours=3)).isoformat()
    data = await gql.ok(
        UPDATE,
        {
            "input": {
                "testSessionId": session["id"],
                "name": "Maths, Hall C",
                "startsAt": later,
                "durationMinutes": 120,
            }
        },
        token,
    )
    changed = data["updateTestSession"]
    assert changed["errors"] == []
    assert changed["testSession"]["name"] == "Maths, Hall C"
    assert at(changed["testSession"]["startsAt"]) == at(later)
    assert at(changed["testSession"]["endsAt"]) == at(later) + timedelta(minutes=120)
    # Only the duration: the start stays, the end follows.
    data = await gql.ok(
        UPDATE, {"input": {"testSessionId": session["id"], "durationMinutes": 30}}, token
    )
    assert at(data["updateTestSession"]["testSession"]["endsAt"]) == at(later) + timedelta(
        minutes=30
    )
    event = await AuditEvent.filter(action="test_session.update").order_by("id").first()
    assert event is not None
    assert event.before["name"] == "Maths, Hall B"
    assert event.after["name"] == "Maths, Hall C"


async def test_the_syllabus_and_series_stay_once_candidates_are_entered(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    data = await gql.ok(
        UPDATE, {"input": {"testSessionId": session["id"], "syllabusCode": "0610"}}, token
    )
    assert data["updateTestSession"]["testSession"]["syllabus"] == {"code": "0610"}
    assert (await enter(gql, token, session["id"]))["errors"] == []
    for change in ({"syllabusCode": "0620"}, {"seriesCode": "2026-JUN"}):
        data = await gql.ok(UPDATE, {"input": {"testSessionId": session["id"], **change}}, token)
        result = data["updateTestSession"]
        assert [(e["code"], e["field"][1]) for e in result["errors"]] == [
            ("TEST_SESSION_HAS_ENTRIES", next(iter(change)))
        ]
    stored = await TestSession.get(id=int(session_key(session["id"])))
    assert (await stored.syllabus).code == "0610"
    # Its name and time may still change.
    data = await gql.ok(UPDATE, {"input": {"testSessionId": session["id"], "name": "N"}}, token)
    assert data["updateTestSession"]["errors"] == []


async def test_a_cancelled_session_can_no_longer_change(demo: object, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    data = await gql.ok(CANCEL, {"input": {"testSessionId": session["id"]}}, token)
    cancelled = data["cancelTestSession"]
    assert cancelled["errors"] == []
    assert cancelled["testSession"]["status"] == "CANCELLED"
    assert abs(at(cancelled["testSession"]["cancelledAt"]) - clock.now()) < timedelta(minutes=1)
    event = await AuditEvent.get(action="test_session.cancel")
    assert (event.before, event.after) == ({"status": "SCHEDULED"}, {"status": "CANCELLED"})
    data = await gql.ok(CANCEL, {"input": {"testSessionId": session["id"]}}, token)
    assert [e["code"] for e in data["cancelTestSession"]["errors"]] == ["TEST_SESSION_CANCELLED"]
    data = await gql.ok(UPDATE, {"input": {"testSessionId": session["id"], "name": "N"}}, token)
    assert [e["code"] for e in data["updateTestSession"]["errors"]] == ["TEST_SESSION_CANCELLED"]


async def test_a_finished_session_cannot_be_cancelled(demo: object, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    clock.advance(timedelta(days=2))
    token = await gql.sign_in("eo@aa101.example")  # the first session has expired
    data = await gql.ok(CANCEL, {"input": {"testSessionId": session["id"]}}, token)
    assert [e["code"] for e in data["cancelTestSession"]["errors"]] == ["TEST_SESSION_ENDED"]


async def test_the_list_by_start_time_with_filters_and_pages(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    now = clock.now()
    first = await create_session(
        gql, token, name="Later", startsAt=(now + timedelta(days=2)).isoformat()
    )
    second = await create_session(
        gql, token, name="Sooner", startsAt=(now + timedelta(hours=2)).isoformat()
    )
    await gql.ok(CANCEL, {"input": {"testSessionId": first["id"]}}, token)
    # The demo's session has been running since ten minutes before the demo was created.
    listed = (await gql.ok(SESSIONS, {"centre": "AA101"}, token))["testSessions"]
    assert [n["name"] for n in listed["nodes"]] == [
        "Mathematics 0580, Hall A",
        "Sooner",
        "Later",
    ]
    assert listed["totalCount"] == 3

    async def names(**criteria: object) -> list[str]:
        found = await gql.ok(SESSIONS, {"centre": "AA101", "filter": criteria}, token)
        return [n["name"] for n in found["testSessions"]["nodes"]]

    assert await names(status="CANCELLED") == ["Later"]
    assert await names(status="SCHEDULED") == ["Mathematics 0580, Hall A", "Sooner"]
    assert await names(timing="UPCOMING") == ["Sooner", "Later"]
    assert await names(timing="IN_PROGRESS") == ["Mathematics 0580, Hall A"]
    assert await names(timing="FINISHED") == []
    assert await names(seriesCode="2026-JUN") == []
    clock.advance(timedelta(hours=5))
    assert await names(timing="FINISHED") == ["Mathematics 0580, Hall A", "Sooner"]

    page = (await gql.ok(SESSIONS, {"centre": "AA101", "first": 2}, token))["testSessions"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await gql.ok(
        SESSIONS, {"centre": "AA101", "first": 2, "after": page["pageInfo"]["endCursor"]}, token
    )
    assert [n["id"] for n in rest["testSessions"]["nodes"]] == [first["id"]]
    assert second["id"] in [n["id"] for n in page["nodes"]]


async def test_ids_of_other_types_are_refused(demo: object, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    data = await gql.ok(
        CANCEL, {"input": {"testSessionId": "RW50cnk6OA=="}}, token
    )  # an Entry's id
    assert [(e["code"], e["field"]) for e in data["cancelTestSession"]["errors"]] == [
        ("INVALID_INPUT", ["input", "testSessionId"])
    ]
    assert session_id(1) != "RW50cnk6OA=="

"""Single candidate entry into a test session ("Sessions -> the session -> Add Entries -> Single
Candidate Entry", seed 001): the same username and password rules as enterCandidate, an entry
code for the session's syllabus, linking by username, refusals for cancelled and finished
sessions and for a candidate already entered, and withdrawing from a session."""

import re
from datetime import timedelta

from models.audit import AuditEvent
from models.exams import Entry, EntryStatus
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.test_sessions.helpers import (
    CANCEL,
    SESSION_QUERY,
    WITHDRAW,
    create_session,
    enter,
    session_id,
    session_key,
)

ENTRY_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


async def test_a_new_candidate_gets_an_entry_code_in_the_session(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    result = await enter(gql, token, session["id"])
    assert result["errors"] == []
    assert result["outcome"] == "NEW_CANDIDATE"
    assert result["testSession"] == {"id": session["id"], "name": "Maths, Hall B"}
    assert result["candidate"]["username"] == "AA101_Session_Cand101"
    assert result["candidate"]["centre"] == {"code": "AA101"}
    entry = result["entry"]
    assert ENTRY_CODE.match(entry["entryCode"])
    assert entry["status"] == "ENTERED"
    assert (entry["series"], entry["syllabus"]) == ({"code": "2026-NOV"}, {"code": "0580"})
    assert entry["entryCode"] in result["message"]
    stored = await Entry.get(entry_code=entry["entryCode"])
    assert stored.test_session_id == int(session_key(session["id"]))
    # One audit event, naming the session.
    event = await AuditEvent.filter(action="entry.create").order_by("-id").first()
    assert event is not None
    assert event.after["entries"][0]["testSession"] == stored.test_session_id
    # The session lists the candidate with the code.
    found = (await gql.ok(SESSION_QUERY, {"id": session["id"]}, token))["testSession"]
    assert [(e["entryCode"], e["status"]) for e in found["entries"]] == [
        (entry["entryCode"], "ENTERED")
    ]
    assert found["entries"][0]["candidate"]["username"] == "AA101_Session_Cand101"


async def test_the_seeds_username_and_password_rules_apply(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    result = await enter(gql, token, session["id"], username="bad/name", password="short")
    assert {(e["code"], e["field"][1]) for e in result["errors"]} == {
        ("USERNAME_INVALID", "username"),
        ("CANDIDATE_PASSWORD_INVALID", "password"),
    }
    assert result["entry"] is None
    result = await enter(gql, token, session["id"], username="zoë.ångström@aa101")
    assert result["errors"] == []
    assert result["candidate"]["username"] == "zoë.ångström@aa101"


async def test_an_existing_username_links_and_a_second_entry_is_already_entered(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token, syllabusCode="0500")
    # Amara Okafor (0001) has no 2026-NOV 0500 entry yet: linked by her username, any case.
    result = await enter(
        gql, token, session["id"], username="aa101_cand001", firstName="Amara", lastName="Okafor"
    )
    assert result["errors"] == []
    assert result["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert result["candidate"]["candidateNumber"] == "0001"
    again = await enter(
        gql, token, session["id"], username="AA101_Cand001", firstName="Amara", lastName="Okafor"
    )
    assert [(e["code"], e["field"]) for e in again["errors"]] == [
        ("ALREADY_ENTERED", ["input", "testSessionId"])
    ]
    # Björn Åkesson (0004) was entered for 2026-NOV 0500 outside any session.
    other = await enter(
        gql, token, session["id"], username="björn.åkesson@aa101", firstName="B", lastName="Å"
    )
    assert [e["code"] for e in other["errors"]] == ["ALREADY_ENTERED"]


async def test_a_username_held_at_another_venue_of_the_institution_is_refused(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@as100.example")
    at_101 = await create_session(gql, token, centreCode="AS101")
    at_102 = await create_session(gql, token, centreCode="AS102")
    assert (await enter(gql, token, at_101["id"], username="NB_Cand1"))["errors"] == []
    refused = await enter(gql, token, at_102["id"], username="nb_cand1")
    assert [e["code"] for e in refused["errors"]] == ["USERNAME_IN_USE_AT_VENUE"]


async def test_no_entry_into_a_cancelled_or_finished_session(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    cancelled = await create_session(gql, token, name="Cancelled")
    await gql.ok(CANCEL, {"input": {"testSessionId": cancelled["id"]}}, token)
    result = await enter(gql, token, cancelled["id"])
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("TEST_SESSION_CANCELLED", ["input", "testSessionId"])
    ]
    soon = (clock.now() + timedelta(minutes=5)).isoformat()
    short = await create_session(gql, token, name="Short", startsAt=soon, durationMinutes=10)
    clock.advance(timedelta(minutes=16))
    result = await enter(gql, token, short["id"])
    assert [e["code"] for e in result["errors"]] == ["TEST_SESSION_ENDED"]
    assert await Entry.filter(test_session_id__isnull=False).count() == 2  # the demo's


async def test_entry_while_the_session_runs(demo: object, gql: GraphQLClient) -> None:
    """The demo's session began ten minutes before the demo was created: late entries count."""
    token = await gql.sign_in("eo@aa101.example")
    result = await enter(gql, token, session_id(1))
    assert result["errors"] == []
    assert result["testSession"]["name"] == "Mathematics 0580, Hall A"


async def test_withdrawing_from_a_session_and_entering_again(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, token)
    entered = await enter(gql, token, session["id"])
    entry_id = entered["entry"]["id"]
    data = await gql.ok(WITHDRAW, {"input": {"entryId": entry_id}}, token)
    assert data["withdrawEntry"]["entry"]["status"] == "WITHDRAWN"
    found = (await gql.ok(SESSION_QUERY, {"id": session["id"]}, token))["testSession"]
    assert [(e["id"], e["status"]) for e in found["entries"]] == [(entry_id, "WITHDRAWN")]
    assert found["entries"][0]["withdrawnAt"] is not None
    entered_only = await gql.ok(
        "query($id: ID!) { testSession(id: $id) { entries(status: ENTERED) { id } } }",
        {"id": session["id"]},
        token,
    )
    assert entered_only["testSession"]["entries"] == []
    # Entered again into another session of the same syllabus: the entry comes back, there.
    other = await create_session(gql, token, name="Maths, resit room")
    again = await enter(gql, token, other["id"])
    assert again["errors"] == []
    assert again["entry"]["id"] == entry_id
    assert again["entry"]["entryCode"] == entered["entry"]["entryCode"]
    stored = await Entry.get(id=int(session_key(entry_id)))
    assert stored.status is EntryStatus.ENTERED
    assert stored.test_session_id == int(session_key(other["id"]))
    first = (await gql.ok(SESSION_QUERY, {"id": session["id"]}, token))["testSession"]
    assert first["entries"] == []

"""Who may see and manage test sessions, and that nothing at one centre reaches another: the
venue's exams officer (or its associate's) manages, SLT reads, the board does both, and others
are refused with FORBIDDEN and change nothing."""

from typing import Any

from models.audit import AuditEvent
from models.exams import Entry
from models.test_sessions import TestSession
from tests.helpers.graphql import GraphQLClient
from tests.test_sessions.helpers import (
    CANCEL,
    CREATE,
    ENTER,
    SESSION_QUERY,
    SESSIONS,
    UPDATE,
    candidate_input,
    create_session,
    enter,
    session_id,
    session_input,
)


def error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None


async def _state() -> tuple[Any, ...]:
    return (
        await TestSession.all().order_by("id").values_list("id", "name", "status", "starts_at"),
        await Entry.all().count(),
        await AuditEvent.all().count(),
    )


async def test_another_centres_staff_can_neither_see_nor_touch_a_session(
    demo: object, gql: GraphQLClient
) -> None:
    aa101 = await gql.sign_in("eo@aa101.example")
    session = await create_session(gql, aa101)
    await enter(gql, aa101, session["id"])
    emails = ("eo@bb202.example", "slt@bb202.example", "eo@as100.example")
    tokens = {email: await gql.sign_in(email) for email in emails}
    before = await _state()
    for email, token in tokens.items():
        calls = [
            (SESSION_QUERY, {"id": session["id"]}),
            (SESSIONS, {"centre": "AA101"}),
            (CREATE, {"input": session_input()}),
            (UPDATE, {"input": {"testSessionId": session["id"], "name": "Mine"}}),
            (CANCEL, {"input": {"testSessionId": session["id"]}}),
            (ENTER, {"input": candidate_input(session["id"], username="intruder")}),
        ]
        for query, variables in calls:
            body = await gql.post(query, variables, token)
            assert error_code(body) == "FORBIDDEN", (email, body)
            assert not any((body.get("data") or {}).values()), body
    assert await _state() == before


async def test_each_centre_lists_only_its_own_sessions(demo: object, gql: GraphQLClient) -> None:
    aa101 = await gql.sign_in("eo@aa101.example")
    bb202 = await gql.sign_in("eo@bb202.example")
    await create_session(gql, aa101, name="AA101 only")
    theirs = await create_session(gql, bb202, centreCode="BB202", name="BB202 only")
    await enter(gql, bb202, theirs["id"], username="BB202_Session_Cand")

    async def names(token: str, centre: str) -> list[str]:
        found = await gql.ok(SESSIONS, {"centre": centre}, token)
        return [n["name"] for n in found["testSessions"]["nodes"]]

    assert await names(aa101, "AA101") == ["Mathematics 0580, Hall A", "AA101 only"]
    assert await names(bb202, "BB202") == ["BB202 only"]
    board = await gql.sign_in("admin@exb.example")
    assert await names(board, "BB202") == ["BB202 only"]
    # The same username at another institution is another person: no link, no leak.
    mine = await enter(gql, aa101, session_id(1), username="BB202_Session_Cand")
    assert mine["outcome"] == "NEW_CANDIDATE"
    assert mine["candidate"]["centre"] == {"code": "AA101"}


async def test_slt_reads_sessions_and_their_entries_but_manages_nothing(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("slt@aa101.example")
    found = (await gql.ok(SESSION_QUERY, {"id": session_id(1)}, token))["testSession"]
    assert found["name"] == "Mathematics 0580, Hall A"
    assert [e["candidate"]["candidateNumber"] for e in found["entries"]] == ["0002", "0004"]
    listed = await gql.ok(SESSIONS, {"centre": "AA101"}, token)
    assert listed["testSessions"]["totalCount"] == 1
    before = await _state()
    for query, variables in (
        (CREATE, {"input": session_input()}),
        (CANCEL, {"input": {"testSessionId": session_id(1)}}),
        (ENTER, {"input": candidate_input(session_id(1))}),
    ):
        assert error_code(await gql.post(query, variables, token)) == "FORBIDDEN"
    assert await _state() == before


async def test_staff_without_entries_rights_see_no_sessions(
    demo: object, gql: GraphQLClient
) -> None:
    for email in ("teacher@aa101.example", "inv@aa101.example", "users@aa101.example"):
        token = await gql.sign_in(email)
        body = await gql.post(SESSION_QUERY, {"id": session_id(1)}, token)
        assert error_code(body) == "FORBIDDEN", email
        body = await gql.post(SESSIONS, {"centre": "AA101"}, token)
        assert error_code(body) == "FORBIDDEN", email


async def test_an_unknown_id_is_null_for_the_board_and_forbidden_for_others(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in("admin@exb.example")
    assert await gql.ok(SESSION_QUERY, {"id": session_id(999)}, board) == {"testSession": None}
    data = await gql.ok(CANCEL, {"input": {"testSessionId": session_id(999)}}, board)
    assert [e["code"] for e in data["cancelTestSession"]["errors"]] == ["TEST_SESSION_NOT_FOUND"]
    officer = await gql.sign_in("eo@aa101.example")
    body = await gql.post(SESSION_QUERY, {"id": session_id(999)}, officer)
    assert error_code(body) == "FORBIDDEN"


async def test_the_board_manages_sessions_anywhere_and_an_associate_at_its_venues(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in("admin@exb.example")
    session = await create_session(gql, board, centreCode="CC303")
    assert (await enter(gql, board, session["id"], username="CC303_Cand"))["errors"] == []
    associate = await gql.sign_in("eo@as100.example")
    at_venue = await create_session(gql, associate, centreCode="AS102")
    data = await gql.ok(UPDATE, {"input": {"testSessionId": at_venue["id"], "name": "B"}}, board)
    assert data["updateTestSession"]["errors"] == []
    found = (await gql.ok(SESSION_QUERY, {"id": at_venue["id"]}, associate))["testSession"]
    assert found["name"] == "B"
    # The venue's own exams officer: AS101's sees its sessions, not AS102's.
    venue = await gql.sign_in("eo@as101.example")
    body = await gql.post(SESSION_QUERY, {"id": at_venue["id"]}, venue)
    assert error_code(body) == "FORBIDDEN"

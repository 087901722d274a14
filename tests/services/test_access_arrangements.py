"""Apply for Access Arrangements through the real app: applying (with evidence), withdrawing,
the board's decision emailed to the applicant over SMTP, and who may do each."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from strawberry import relay

from examdesk.demo import seed_demo
from models.audit import AuditEvent
from models.files import StoredFile
from models.mail import OutboxMessage
from models.services import AccessArrangementApplication, ApplicationStatus
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox
from tests.services.sending_files import PDF, delivered, graphql_code, post_files

APPLY = """
mutation($input: SubmitAccessArrangementInput!) {
  submitAccessArrangement(input: $input) {
    application {
      id reference status arrangement reasons candidate { candidateNumber } series { code }
      applicant { email } evidence { name contentType url }
    }
    errors { code message field }
  }
}"""
WITHDRAW = """
mutation($id: ID!) {
  withdrawAccessArrangement(input: {id: $id}) {
    application { status withdrawnAt } errors { code message field }
  }
}"""
DECIDE = """
mutation($id: ID!, $decision: ArrangementDecision!, $note: String) {
  decideAccessArrangement(input: {id: $id, decision: $decision, note: $note}) {
    application { status decisionNote decidedBy { email } decidedAt }
    errors { code message field }
  }
}"""
CENTRE_LIST = """
query($centre: String!, $status: ApplicationStatus) {
  accessArrangements(centreCode: $centre, status: $status) {
    totalCount nodes { reference status candidate { candidateNumber } evidence { url } }
  }
}"""
BOARD_LIST = """
query($status: ApplicationStatus, $centre: String) {
  accessArrangementsForBoard(status: $status, centreCode: $centre) {
    totalCount nodes { reference centre { code } status applicant { email } }
  }
}"""


def application_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "candidateNumber": "0004",
        "arrangement": "EXTRA_TIME_25",
        "reasons": "Diagnosed dyslexia; report attached.",
    }
    values.update(overrides)
    return values


async def apply(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    return await gql.post(APPLY, {"input": application_input(**overrides)}, token)


async def applied(gql: GraphQLClient, token: str, **overrides: Any) -> str:
    """A new application's id."""
    body = await apply(gql, token, **overrides)
    payload = body["data"]["submitAccessArrangement"]
    assert payload["errors"] == [], payload
    return payload["application"]["id"]


async def test_an_application_with_evidence_is_stored_listed_and_audited(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("aa@aa101.example")
    body = await post_files(
        http, token, APPLY, {"input": application_input()}, {"input.evidence": ("report.pdf", PDF)}
    )
    application = body["data"]["submitAccessArrangement"]["application"]
    assert application["status"] == "SUBMITTED"
    assert application["evidence"]["name"] == "report.pdf"
    assert application["evidence"]["contentType"] == "application/pdf"
    data = await gql.ok(CENTRE_LIST, {"centre": "AA101"}, token)
    assert data["accessArrangements"]["totalCount"] == 1
    url = data["accessArrangements"]["nodes"][0]["evidence"]["url"]
    download = await http.get(url.removeprefix("http://examdesk.test"))
    assert download.content == PDF
    event = await AuditEvent.get(action="access_arrangement.submit")
    assert event.after["evidence"]["name"] == "report.pdf"
    assert event.after["arrangement"] == "EXTRA_TIME_25"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"reasons": "  "}, [("REASONS_REQUIRED", "reasons")]),
        ({"reasons": "x" * 4001}, [("INPUT_TOO_LONG", "reasons")]),
        ({"seriesCode": "2031-JUN"}, [("SERIES_NOT_FOUND", "seriesCode")]),
        ({"candidateNumber": "0099"}, [("CANDIDATE_NOT_FOUND", "candidateNumber")]),
        # 0003 sits 2026-JUN only.
        ({"candidateNumber": "0003"}, [("CANDIDATE_NOT_ENTERED", "candidateNumber")]),
        (
            {"candidateNumber": "0003", "reasons": ""},
            [("CANDIDATE_NOT_ENTERED", "candidateNumber"), ("REASONS_REQUIRED", "reasons")],
        ),
    ],
)
async def test_bad_applications_are_refused(
    demo: Starlette,
    gql: GraphQLClient,
    overrides: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    body = await apply(gql, await gql.sign_in("aa@aa101.example"), **overrides)
    payload = body["data"]["submitAccessArrangement"]
    assert [(e["code"], e["field"][1]) for e in payload["errors"]] == expected
    assert not await AccessArrangementApplication.exists()


async def test_evidence_must_be_a_document_or_image(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("aa@aa101.example")
    body = await post_files(
        http,
        token,
        APPLY,
        {"input": application_input()},
        {"input.evidence": ("voice.mp3", b"ID3\x03\x00")},
    )
    [error] = body["data"]["submitAccessArrangement"]["errors"]
    assert (error["code"], error["field"]) == ("FILE_TYPE_NOT_ALLOWED", ["input", "evidence"])
    assert not await StoredFile.exists()


async def test_one_live_application_per_candidate_arrangement_and_series(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("aa@aa101.example")
    first = await applied(gql, token)
    body = await apply(gql, token)
    assert body["data"]["submitAccessArrangement"]["errors"][0]["code"] == "APPLICATION_EXISTS"
    await applied(gql, token, arrangement="READER")
    await gql.ok(WITHDRAW, {"id": first}, token)
    await applied(gql, token)


async def test_withdrawing_only_while_waiting_for_the_board(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("aa@aa101.example")
    board = await gql.sign_in("admin@exb.example")
    waiting = await applied(gql, token)
    data = await gql.ok(WITHDRAW, {"id": waiting}, token)
    assert data["withdrawAccessArrangement"]["application"]["status"] == "WITHDRAWN"
    again = await gql.ok(WITHDRAW, {"id": waiting}, token)
    assert again["withdrawAccessArrangement"]["errors"][0]["code"] == "APPLICATION_NOT_SUBMITTED"
    decided = await applied(gql, token, arrangement="SCRIBE")
    await gql.ok(DECIDE, {"id": decided, "decision": "APPROVED"}, board)
    refused = await gql.ok(WITHDRAW, {"id": decided}, token)
    assert refused["withdrawAccessArrangement"]["errors"][0]["code"] == "APPLICATION_NOT_SUBMITTED"
    assert await AuditEvent.filter(action="access_arrangement.withdraw").count() == 1


async def test_deciding_only_waiting_applications_and_a_rejection_says_why(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("aa@aa101.example")
    board = await gql.sign_in("admin@exb.example")
    application = await applied(gql, token)
    no_reason = await gql.ok(
        DECIDE, {"id": application, "decision": "REJECTED", "note": " "}, board
    )
    assert no_reason["decideAccessArrangement"]["errors"][0]["code"] == "DECISION_NOTE_REQUIRED"
    data = await gql.ok(
        DECIDE,
        {"id": application, "decision": "REJECTED", "note": "The report is older than two years."},
        board,
    )
    decided = data["decideAccessArrangement"]["application"]
    assert decided["status"] == "REJECTED"
    assert decided["decidedBy"] == {"email": "admin@exb.example"}
    twice = await gql.ok(DECIDE, {"id": application, "decision": "APPROVED"}, board)
    assert twice["decideAccessArrangement"]["errors"][0]["code"] == "APPLICATION_NOT_SUBMITTED"
    withdrawn = await applied(gql, token, arrangement="READER")
    await gql.ok(WITHDRAW, {"id": withdrawn}, token)
    late = await gql.ok(DECIDE, {"id": withdrawn, "decision": "APPROVED"}, board)
    assert late["decideAccessArrangement"]["errors"][0]["code"] == "APPLICATION_NOT_SUBMITTED"
    missing = str(relay.GlobalID("AccessArrangementApplication", "9999"))
    gone = await gql.ok(DECIDE, {"id": missing, "decision": "APPROVED"}, board)
    assert gone["decideAccessArrangement"]["errors"][0]["code"] == "NOT_FOUND"
    # Someone else's id, or one that does not exist: the same refusal for a centre.
    assert graphql_code(await gql.post(WITHDRAW, {"id": missing}, token)) == "FORBIDDEN"


async def test_the_applicant_is_emailed_the_decision(mail_app: Starlette, mailbox: Mailbox) -> None:
    await seed_demo()
    transport = httpx.ASGITransport(app=mail_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        await _decide_and_read_the_email(GraphQLClient(http), mailbox)


async def _decide_and_read_the_email(gql: GraphQLClient, mailbox: Mailbox) -> None:
    applicant = await gql.sign_in("aa@aa101.example")
    application = await applied(gql, applicant)
    board = await gql.sign_in("admin@exb.example")

    await gql.ok(
        DECIDE,
        {"id": application, "decision": "APPROVED", "note": "Approved for all components."},
        board,
    )

    assert await delivered(mailbox, {"aa@aa101.example"}) == {"aa@aa101.example"}
    [message] = mailbox.to("aa@aa101.example")
    assert message["Subject"] == (
        "Access arrangement approved: candidate 0004 Björn Åkesson, 2026-NOV"
    )
    body = message.get_content()
    assert "25% extra time" in body
    assert "Approved for all components." in body
    assert await OutboxMessage.all().count() == 1


async def test_the_board_queue_is_oldest_first_and_filters(
    demo: Starlette, gql: GraphQLClient
) -> None:
    await applied(gql, await gql.sign_in("aa@aa101.example"))
    await applied(
        gql, await gql.sign_in("eo@bb202.example"), centreCode="BB202", candidateNumber="0007"
    )
    board = await gql.sign_in("admin@exb.example")
    data = await gql.ok(BOARD_LIST, {"status": "SUBMITTED"}, board)
    assert [n["centre"]["code"] for n in data["accessArrangementsForBoard"]["nodes"]] == [
        "AA101",
        "BB202",
    ]
    only = await gql.ok(BOARD_LIST, {"centre": "BB202"}, board)
    assert only["accessArrangementsForBoard"]["totalCount"] == 1
    none = await gql.ok(BOARD_LIST, {"status": "APPROVED"}, board)
    assert none["accessArrangementsForBoard"]["totalCount"] == 0


# --- Who may do what --------------------------------------------------------------------------
# Each operation's table: actor -> Y (allowed) or F (FORBIDDEN), at AA101 (OTHER: BB202's exams
# officer acting on AA101).

ACTORS = (
    "eo@aa101.example",
    "sfa.eo@aa101.example",
    "teacher@aa101.example",
    "aa@aa101.example",
    "slt@aa101.example",
    "inv@aa101.example",
    "users@aa101.example",
    "admin@exb.example",
    "eo@bb202.example",
)


def table(*allowed: str) -> dict[str, str]:
    return {actor: "Y" if actor in allowed else "F" for actor in ACTORS}


APPLY_TABLE = table("eo@aa101.example", "aa@aa101.example")
CENTRE_LIST_TABLE = table("eo@aa101.example", "aa@aa101.example", "admin@exb.example")
WITHDRAW_TABLE = table("eo@aa101.example", "aa@aa101.example")
BOARD_LIST_TABLE = table("admin@exb.example")
DECIDE_TABLE = table("admin@exb.example")


@pytest.fixture
async def tokens(demo: Starlette, gql: GraphQLClient) -> dict[str, str]:
    return {actor: await gql.sign_in(actor) for actor in ACTORS}


async def _check(
    tokens: dict[str, str],
    cells: dict[str, str],
    attempt: Callable[[str], Any],
    changed: Callable[[], Any],
) -> None:
    for actor, expected in cells.items():
        body = await attempt(tokens[actor])
        if expected == "Y":
            assert not body.get("errors"), (actor, body)
            assert all(not (v or {}).get("errors") for v in body["data"].values()), (actor, body)
        else:
            assert graphql_code(body) == "FORBIDDEN", (actor, body)
        assert await changed() == (expected == "Y"), actor


async def test_who_may_apply(tokens: dict[str, str], gql: GraphQLClient) -> None:
    async def attempt(token: str) -> dict[str, Any]:
        await AccessArrangementApplication.all().delete()
        return await apply(gql, token)

    await _check(tokens, APPLY_TABLE, attempt, AccessArrangementApplication.exists)


async def test_who_may_list_a_centres_applications(
    tokens: dict[str, str], gql: GraphQLClient
) -> None:
    await applied(gql, tokens["aa@aa101.example"])

    for actor, expected in CENTRE_LIST_TABLE.items():
        body = await gql.post(CENTRE_LIST, {"centre": "AA101"}, tokens[actor])
        if expected == "Y":
            assert body["data"]["accessArrangements"]["totalCount"] == 1, actor
        else:
            assert graphql_code(body) == "FORBIDDEN", (actor, body)


async def test_who_may_withdraw(tokens: dict[str, str], gql: GraphQLClient) -> None:
    async def attempt(token: str) -> dict[str, Any]:
        await AccessArrangementApplication.all().delete()
        application = await applied(gql, tokens["aa@aa101.example"])
        return await gql.post(WITHDRAW, {"id": application}, token)

    async def withdrawn() -> bool:
        return await AccessArrangementApplication.exists(status=ApplicationStatus.WITHDRAWN)

    await _check(tokens, WITHDRAW_TABLE, attempt, withdrawn)


async def test_who_may_read_the_boards_queue(tokens: dict[str, str], gql: GraphQLClient) -> None:
    await applied(gql, tokens["aa@aa101.example"])
    for actor, expected in BOARD_LIST_TABLE.items():
        body = await gql.post(BOARD_LIST, {}, tokens[actor])
        if expected == "Y":
            assert body["data"]["accessArrangementsForBoard"]["totalCount"] == 1, actor
        else:
            assert graphql_code(body) == "FORBIDDEN", (actor, body)


async def test_who_may_decide(tokens: dict[str, str], gql: GraphQLClient) -> None:
    async def attempt(token: str) -> dict[str, Any]:
        await AccessArrangementApplication.all().delete()
        application = await applied(gql, tokens["aa@aa101.example"])
        return await gql.post(DECIDE, {"id": application, "decision": "APPROVED"}, token)

    async def decided() -> bool:
        return await AccessArrangementApplication.exists(status=ApplicationStatus.APPROVED)

    await _check(tokens, DECIDE_TABLE, attempt, decided)


async def test_the_lists_cost_the_same_queries_however_many_applications(
    tokens: dict[str, str], gql: GraphQLClient, count_queries: Callable[..., Any]
) -> None:
    counts = []
    for arrangements in (("READER",), ("SCRIBE", "WORD_PROCESSOR", "SEPARATE_ROOM", "OTHER")):
        for arrangement in arrangements:
            await applied(gql, tokens["aa@aa101.example"], arrangement=arrangement)
        with count_queries() as counter:
            await gql.ok(CENTRE_LIST, {"centre": "AA101"}, tokens["aa@aa101.example"])
            await gql.ok(BOARD_LIST, {}, tokens["admin@exb.example"])
        counts.append(len(counter.statements))
    assert counts[0] == counts[1], counts

"""Audit reports and the sign-in event log (seed 003 "Reports"): filters, pagination, who sees
what (the board everything; an exams officer their organisation's, an associate's its associate
centres' too; nobody else anything), CSV exports read back, and flat statement counts."""

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette

from models.audit import AuditEvent, SignInEvent
from models.organisations import Organisation
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

BOARD = "admin@exb.example"
AUDIT = """query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { action actorEmail at targetId before after organisation { code } } } }"""
SIGN_INS = """query($filter: SignInEventFilter) { signInEvents(filter: $filter) {
  totalCount nodes { email outcome } } }"""
EXPORT_AUDIT = """mutation($input: ExportAuditEventsInput!) { exportAuditEvents(input: $input) {
  job { id } errors { code field } } }"""
EXPORT_SIGN_INS = """mutation($input: ExportSignInEventsInput!) {
  exportSignInEvents(input: $input) { job { id } errors { code field } } }"""
JOB = """query($id: ID!) { job(id: $id) { status errorMessage result files { name url } } }"""


async def org_id(code: str) -> int:
    return (await Organisation.get(code=code)).id


async def event(
    action: str, code: str | None, actor: str = "someone@aa101.example", **values: Any
) -> AuditEvent:
    return await AuditEvent.create(
        at=clock.now(),
        action=action,
        actor_email=actor,
        organisation_id=await org_id(code) if code else None,
        **values,
    )


@pytest.fixture
async def tokens(demo: Starlette, gql: GraphQLClient) -> dict[str, str]:
    """Signed in first, then every audit event (the demo's, the sign-ins') is cleared, so each
    test sees only the events it makes."""
    emails = [
        BOARD,
        "eo@aa101.example",
        "eo@bb202.example",
        "eo@as100.example",
        "users@aa101.example",
        "slt@aa101.example",
        "teacher@aa101.example",
    ]
    signed_in = {email: await gql.sign_in(email) for email in emails}
    await AuditEvent.all().delete()
    return signed_in


async def audit_events(gql: GraphQLClient, token: str, **variables: Any) -> dict[str, Any]:
    return (await gql.ok(AUDIT, variables, token))["auditEvents"]


def actions(page: dict[str, Any]) -> list[str]:
    return [node["action"] for node in page["nodes"]]


async def test_the_board_filters_by_organisation_actor_action_and_time(
    gql: GraphQLClient, tokens: dict[str, str]
) -> None:
    start = clock.now()
    await event("user.invite", "AA101", "Eo@AA101.example")
    clock.advance(timedelta(hours=1))
    await event("user.remove_from_organisation", "BB202", "eo@bb202.example")
    clock.advance(timedelta(hours=1))
    await event("series.create", None, BOARD)
    clock.advance(timedelta(hours=1))
    await event("user.update_names", "AA101", "eo@aa101.example")
    board = tokens[BOARD]

    everything = await audit_events(gql, board)
    assert actions(everything) == [
        "user.update_names",
        "series.create",
        "user.remove_from_organisation",
        "user.invite",
    ]
    assert everything["nodes"][1]["organisation"] is None
    by_centre = await audit_events(gql, board, filter={"organisationCode": "aa101"})
    assert actions(by_centre) == ["user.update_names", "user.invite"]
    assert {n["organisation"]["code"] for n in by_centre["nodes"]} == {"AA101"}
    by_actor = await audit_events(gql, board, filter={"actorEmail": "EO@aa101.EXAMPLE"})
    assert actions(by_actor) == ["user.update_names", "user.invite"]
    by_action = await audit_events(gql, board, filter={"action": "user."})
    assert actions(by_action) == [
        "user.update_names",
        "user.remove_from_organisation",
        "user.invite",
    ]
    window = {
        "from": (start + timedelta(minutes=30)).isoformat(),
        "to": (start + timedelta(hours=2)).isoformat(),
    }
    assert actions(await audit_events(gql, board, filter=window)) == [
        "user.remove_from_organisation"
    ]
    since = {"from": (start + timedelta(hours=2)).isoformat()}
    assert actions(await audit_events(gql, board, filter=since)) == [
        "user.update_names",
        "series.create",
    ]
    combined = {"organisationCode": "AA101", "action": "user.", "to": window["to"]}
    assert actions(await audit_events(gql, board, filter=combined)) == ["user.invite"]

    backwards = await gql.post(
        AUDIT, {"filter": {"from": window["to"], "to": window["from"]}}, board
    )
    assert backwards["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    unknown = await gql.post(AUDIT, {"filter": {"organisationCode": "ZZ999"}}, board)
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_pages_are_newest_first_and_follow_the_cursor(
    gql: GraphQLClient, tokens: dict[str, str]
) -> None:
    for number in range(25):
        await event(f"test.step{number:02d}", "AA101")
        clock.advance(timedelta(seconds=1))
    board = tokens[BOARD]
    first = await audit_events(gql, board, first=10)
    assert first["totalCount"] == 25
    assert first["pageInfo"]["hasNextPage"] is True
    assert actions(first) == [f"test.step{n:02d}" for n in range(24, 14, -1)]
    second = await audit_events(gql, board, first=10, after=first["pageInfo"]["endCursor"])
    assert actions(second) == [f"test.step{n:02d}" for n in range(14, 4, -1)]
    third = await audit_events(gql, board, first=10, after=second["pageInfo"]["endCursor"])
    assert actions(third) == [f"test.step{n:02d}" for n in range(4, -1, -1)]
    assert third["pageInfo"]["hasNextPage"] is False
    too_many = await gql.post(AUDIT, {"first": 101}, board)
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_an_exams_officer_sees_their_own_organisations_events_only(
    gql: GraphQLClient, tokens: dict[str, str]
) -> None:
    for code in ("AA101", "BB202", "AS100", "AS101", "AS102", "CC303"):
        await event(f"test.at_{code.lower()}", code)
    await event("test.nowhere", None)

    aa_eo = tokens["eo@aa101.example"]
    assert actions(await audit_events(gql, aa_eo)) == ["test.at_aa101"]
    assert actions(await audit_events(gql, aa_eo, filter={"organisationCode": "AA101"})) == [
        "test.at_aa101"
    ]
    other = await gql.post(AUDIT, {"filter": {"organisationCode": "BB202"}}, aa_eo)
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert other["data"] is None

    as_eo = tokens["eo@as100.example"]
    assert sorted(actions(await audit_events(gql, as_eo))) == [
        "test.at_as100",
        "test.at_as101",
        "test.at_as102",
    ]
    assert actions(await audit_events(gql, as_eo, filter={"organisationCode": "AS101"})) == [
        "test.at_as101"
    ]
    not_theirs = await gql.post(AUDIT, {"filter": {"organisationCode": "AA101"}}, as_eo)
    assert not_theirs["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    assert len((await audit_events(gql, tokens[BOARD]))["nodes"]) == 7


@pytest.mark.parametrize(
    "email", ["users@aa101.example", "slt@aa101.example", "teacher@aa101.example"]
)
async def test_user_managers_slt_and_teachers_are_forbidden(
    gql: GraphQLClient, tokens: dict[str, str], email: str
) -> None:
    await event("test.at_aa101", "AA101")
    token = tokens[email]
    for query, variables in (
        (AUDIT, {}),
        (AUDIT, {"filter": {"organisationCode": "AA101"}}),
        (SIGN_INS, {}),
        (EXPORT_AUDIT, {"input": {"filter": {}}}),
        (EXPORT_SIGN_INS, {"input": {"filter": {}}}),
    ):
        body = await gql.post(query, variables, token)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert await AuditEvent.all().count() == 1
    assert (await gql.post(AUDIT))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_sign_in_events_of_the_organisations_members(
    gql: GraphQLClient, tokens: dict[str, str]
) -> None:
    failed = await gql.post(
        'mutation { signIn(input: {email: "users@aa101.example", password: "wrong"}) '
        "{ errors { code } } }"
    )
    assert failed["data"]["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    board_view = (await gql.ok(SIGN_INS, {}, tokens[BOARD]))["signInEvents"]
    emails = {node["email"] for node in board_view["nodes"]}
    assert {"eo@bb202.example", "users@aa101.example", BOARD} <= emails

    aa_view = (await gql.ok(SIGN_INS, {}, tokens["eo@aa101.example"]))["signInEvents"]
    aa_emails = {node["email"] for node in aa_view["nodes"]}
    assert aa_emails == {
        "eo@aa101.example",
        "users@aa101.example",
        "slt@aa101.example",
        "teacher@aa101.example",
    }
    refused = await gql.ok(
        SIGN_INS, {"filter": {"outcome": "INVALID_CREDENTIALS"}}, tokens["eo@aa101.example"]
    )
    assert [(n["email"], n["outcome"]) for n in refused["signInEvents"]["nodes"]] == [
        ("users@aa101.example", "INVALID_CREDENTIALS")
    ]
    by_email = await gql.ok(
        SIGN_INS, {"filter": {"email": "SLT@aa101.example"}}, tokens["eo@aa101.example"]
    )
    assert by_email["signInEvents"]["totalCount"] == 1
    elsewhere = await gql.post(
        SIGN_INS, {"filter": {"organisationCode": "BB202"}}, tokens["eo@aa101.example"]
    )
    assert elsewhere["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bb_view = await gql.ok(SIGN_INS, {"filter": {"organisationCode": "BB202"}}, tokens[BOARD])
    assert {n["email"] for n in bb_view["signInEvents"]["nodes"]} == {"eo@bb202.example"}
    later = await gql.ok(
        SIGN_INS,
        {"filter": {"from": (clock.now() + timedelta(minutes=1)).isoformat()}},
        tokens[BOARD],
    )
    assert later["signInEvents"]["totalCount"] == 0


# --- CSV exports ------------------------------------------------------------------------------


async def exported_rows(gql: GraphQLClient, token: str, job_id: str) -> list[list[str]]:
    job = await gql.wait_for_job(job_id, token, timeout=30, query=JOB)
    assert job["status"] == "SUCCEEDED", job
    [file] = job["files"]
    assert file["name"].endswith(".csv")
    response = await gql.http.get(file["url"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_the_audit_export_is_a_csv_with_json_and_no_formulas(
    gql: GraphQLClient, tokens: dict[str, str]
) -> None:
    await event(
        "user.invite",
        "AA101",
        '=HYPERLINK("http://evil")',
        target_type="User",
        target_id="+41",
        before={"roles": ["SLT"]},
        after={"roles": ["SLT", "AA"], "note": "@risk"},
    )
    clock.advance(timedelta(seconds=1))
    await event("user.update_names", "AA101", "eo@aa101.example", target_id="-7", request_id="@req")
    clock.advance(timedelta(seconds=1))
    await event("user.invite", "BB202", "eo@bb202.example")
    board = tokens[BOARD]

    queued = (
        await gql.ok(
            EXPORT_AUDIT,
            {"input": {"filter": {"organisationCode": "AA101", "action": "user."}}},
            board,
        )
    )["exportAuditEvents"]
    assert queued["errors"] == []
    rows = await exported_rows(gql, board, queued["job"]["id"])
    assert rows[0] == [
        "at",
        "actor_email",
        "action",
        "organisation",
        "target_type",
        "target_id",
        "before",
        "after",
        "request_id",
    ]
    header, newest, oldest = (
        rows[0],
        dict(zip(rows[0], rows[1], strict=True)),
        dict(zip(rows[0], rows[2], strict=True)),
    )
    assert len(rows) == 3
    assert len(header) == 9
    # A plain number is a number, not a formula (resolvers/core/csv_export.py): it stays as it is.
    assert (newest["action"], newest["target_id"], newest["request_id"]) == (
        "user.update_names",
        "-7",
        "'@req",
    )
    assert oldest["actor_email"] == '\'=HYPERLINK("http://evil")'
    assert (oldest["organisation"], oldest["target_type"], oldest["target_id"]) == (
        "AA101",
        "User",
        "+41",
    )
    assert oldest["before"] == '{"roles": ["SLT"]}'
    assert oldest["after"] == '{"note": "@risk", "roles": ["SLT", "AA"]}'
    assert newest["before"] == ""
    assert not any(
        cell.startswith(("=", "+", "-", "@"))
        for row in rows
        for cell in row
        if cell not in ("-7", "+41")
    )

    # The export itself is audited, and is not in its own file.
    audited = await AuditEvent.get(action="audit.export")
    assert audited.actor_email == BOARD
    assert audited.after == {
        "log": "audit",
        "rows": 2,
        "filter": {"organisationCode": "AA101", "action": "user."},
    }


async def test_an_exams_officers_exports_are_scoped_like_their_lists(
    gql: GraphQLClient, tokens: dict[str, str]
) -> None:
    for code in ("AA101", "BB202", "AS101"):
        await event(f"test.at_{code.lower()}", code)
    token = tokens["eo@aa101.example"]
    queued = (await gql.ok(EXPORT_AUDIT, {"input": {}}, token))["exportAuditEvents"]
    rows = await exported_rows(gql, token, queued["job"]["id"])
    assert [row[2] for row in rows[1:]] == ["test.at_aa101"]
    audited = await AuditEvent.get(action="audit.export")
    assert audited.organisation_id == await org_id("AA101")

    refused = await gql.post(
        EXPORT_AUDIT, {"input": {"filter": {"organisationCode": "BB202"}}}, token
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    sign_ins = (
        await gql.ok(EXPORT_SIGN_INS, {"input": {"filter": {"outcome": "SUCCEEDED"}}}, token)
    )["exportSignInEvents"]
    rows = await exported_rows(gql, token, sign_ins["job"]["id"])
    assert rows[0] == ["at", "email", "outcome", "ip_address", "user_agent", "request_id"]
    assert sorted(row[1] for row in rows[1:]) == [
        "eo@aa101.example",
        "slt@aa101.example",
        "teacher@aa101.example",
        "users@aa101.example",
    ]
    assert {row[2] for row in rows[1:]} == {"SUCCEEDED"}
    assert await AuditEvent.filter(action="audit.export").count() == 2


# --- Statement counts -------------------------------------------------------------------------


async def add_events(count: int) -> None:
    codes = ["AA101", "BB202", "AS101", "CC303"]
    ids = [await org_id(code) for code in codes]
    await AuditEvent.bulk_create(
        [
            AuditEvent(
                at=clock.now() - timedelta(seconds=n),
                action="test.bulk",
                actor_email="eo@aa101.example",
                organisation_id=ids[n % len(ids)],
                before={"n": n},
                after={"n": n + 1},
            )
            for n in range(count)
        ]
    )
    await SignInEvent.bulk_create(
        [
            SignInEvent(
                at=clock.now() - timedelta(seconds=n),
                email="eo@aa101.example",
                outcome="INVALID_CREDENTIALS",
                user_id=None,
            )
            for n in range(count)
        ]
    )


@pytest.mark.parametrize("email", [BOARD, "eo@aa101.example", "eo@as100.example"])
async def test_statements_stay_flat_from_20_to_2000_events(
    gql: GraphQLClient,
    tokens: dict[str, str],
    count_queries: Callable[..., Any],
    email: str,
) -> None:
    token = tokens[email]

    async def statements() -> int:
        with count_queries() as counter:
            page = await audit_events(gql, token, first=100)
            await gql.ok(SIGN_INS, {}, token)
        assert page["nodes"]
        assert all(n["organisation"] for n in page["nodes"])
        return len(counter.statements)

    await add_events(20)
    few = await statements()
    await add_events(1_980)
    assert await statements() == few

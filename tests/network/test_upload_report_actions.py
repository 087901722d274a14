"""The centres upload report's bulk actions: "Delete Missing Centres" and "Delete Extra Users",
each all or nothing, each undoable, and the extra users' Spreadsheet Email column."""

from typing import Any

import pytest
from strawberry import relay

from models.audit import AuditEvent
from models.organisations import Organisation
from models.users import Membership, RemovedPlace, User
from resolvers.core.spreadsheets import xlsx_bytes
from tests.helpers.graphql import GraphQLClient

HEADER = ["centre_number", "centre_name", "address", "city", "country", "user_email"]
DRY_RUN = """
mutation($input: UploadCentresInput!) { uploadCentres(input: $input) {
  report { missingCentres { code } extraUsers { centreCode email userId spreadsheetEmails } }
  errors { code }
} }"""
ERRORS = "errors { code field message }"
DELETE = f"""mutation($codes: [String!]!) {{ deleteCentres(input: {{codes: $codes}}) {{
  centres {{ code isDeleted }} {ERRORS} }} }}"""
UNDO_DELETE = f"""mutation($codes: [String!]!) {{ undoDeleteCentres(input: {{codes: $codes}}) {{
  centres {{ code isDeleted }} {ERRORS} }} }}"""
REMOVE = f"""mutation($places: [CentrePlaceInput!]!) {{
  removeCentreUsers(input: {{places: $places}}) {{
    removed {{ centreCode email lastMembership }} {ERRORS} }} }}"""
UNDO_REMOVE = f"""mutation($places: [CentrePlaceInput!]!) {{
  undoRemoveCentreUsers(input: {{places: $places}}) {{
    restored {{ email roles }} {ERRORS} }} }}"""


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("admin@exb.example")


async def dry_run(gql: GraphQLClient, token: str, rows: list[list[str]]) -> dict[str, Any]:
    body = await gql.upload(
        DRY_RUN,
        {"input": {"dryRun": True}},
        {"input.file": ("c.xlsx", xlsx_bytes([HEADER, *rows]), "application/octet-stream")},
        token,
    )
    payload = body.json()["data"]["uploadCentres"]
    assert payload["errors"] == [], payload
    return payload["report"]


async def run(gql: GraphQLClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    return next(iter((await gql.ok(query, variables, token=token)).values()))


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def places_and_removals() -> tuple[Any, ...]:
    return (
        await Membership.all().order_by("id").values_list("user_id", "organisation_id", "roles"),
        await RemovedPlace.all().count(),
        await Organisation.all().order_by("id").values_list("code", "deleted_at"),
    )


async def test_the_report_lists_what_the_file_has_at_each_centre(
    gql: GraphQLClient, board: str
) -> None:
    rows = [["BB202", "Bayview", "", "", "", "eo@bb202.example"]]
    report = await dry_run(gql, board, rows)
    at_bb = [u for u in report["extraUsers"] if u["centreCode"] == "BB202"]
    assert at_bb
    # The seed's "Spreadsheet Email": whom the file lists there, beside whom the site has.
    assert {tuple(u["spreadsheetEmails"]) for u in at_bb} == {("eo@bb202.example",)}


async def test_missing_centres_are_deleted_together_and_come_back_together(
    gql: GraphQLClient, board: str
) -> None:
    report = await dry_run(gql, board, [["AA101", "AA", "", "", "", ""]])
    missing = [c["code"] for c in report["missingCentres"]]
    assert "BB202" in missing

    deleted = await run(gql, board, DELETE, codes=missing)

    assert deleted["errors"] == []
    assert {c["code"]: c["isDeleted"] for c in deleted["centres"]} == dict.fromkeys(missing, True)
    assert await Organisation.filter(code__in=missing, deleted_at=None).count() == 0
    assert await AuditEvent.filter(action="centre.delete").count() == len(missing)
    # The next upload's report no longer lists them.
    assert (await dry_run(gql, board, [["AA101", "AA", "", "", "", ""]]))["missingCentres"] == []

    restored = await run(gql, board, UNDO_DELETE, codes=missing)
    assert restored["errors"] == []
    assert await Organisation.filter(code__in=missing, deleted_at=None).count() == len(missing)


async def test_one_centre_that_cannot_be_deleted_stops_them_all(
    gql: GraphQLClient, board: str
) -> None:
    await run(gql, board, DELETE, codes=["CC303"])
    before = await places_and_removals()

    refused = await run(gql, board, DELETE, codes=["BB202", "CC303", "AS101"])

    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("ORGANISATION_DELETED", ["input", "codes", "1"])
    ]
    assert await places_and_removals() == before
    unknown = await run(gql, board, DELETE, codes=["BB202", "ZZ999"])
    assert [e["field"] for e in unknown["errors"]] == [["input", "codes", "1"]]
    assert codes(await run(gql, board, DELETE, codes=[])) == ["INVALID_INPUT"]
    assert codes(await run(gql, board, UNDO_DELETE, codes=["BB202"])) == [
        "ORGANISATION_NOT_DELETED"
    ]
    assert await places_and_removals() == before


async def test_extra_users_are_removed_together_and_come_back_with_their_roles(
    gql: GraphQLClient, board: str
) -> None:
    report = await dry_run(gql, board, [["BB202", "Bayview", "", "", "", "eo@bb202.example"]])
    extra = [u for u in report["extraUsers"] if u["centreCode"] == "BB202"]
    places = [{"code": u["centreCode"], "userId": u["userId"]} for u in extra]
    roles_before = await Membership.filter(organisation__code="BB202").values_list(
        "user__email", "roles"
    )

    removed = await run(gql, board, REMOVE, places=places)

    assert removed["errors"] == []
    assert {r["email"] for r in removed["removed"]} == {u["email"] for u in extra}
    assert all(r["lastMembership"] for r in removed["removed"])
    left = await Membership.filter(organisation__code="BB202").values_list("user__email", flat=True)
    assert left == ["eo@bb202.example"]
    # The accounts stay.
    assert await User.filter(email__in=[u["email"] for u in extra]).count() == len(extra)

    restored = await run(gql, board, UNDO_REMOVE, places=places)
    assert restored["errors"] == []
    after = await Membership.filter(organisation__code="BB202").values_list("user__email", "roles")
    assert sorted(after) == sorted(roles_before)
    again = await run(gql, board, UNDO_REMOVE, places=places[:1])
    assert codes(again) == ["NOT_REMOVED"]
    assert await AuditEvent.filter(action="centre.undo_remove_user").count() == len(extra)


async def test_one_place_that_is_not_there_stops_every_removal(
    gql: GraphQLClient, board: str
) -> None:
    teacher = await User.get(email="teacher@bb202.example")
    stranger = await User.get(email="teacher@aa101.example")
    before = await places_and_removals()

    refused = await run(
        gql,
        board,
        REMOVE,
        places=[
            {"code": "BB202", "userId": str(relay.GlobalID("User", str(teacher.id)))},
            {"code": "BB202", "userId": str(relay.GlobalID("User", str(stranger.id)))},
            {"code": "BB202", "userId": str(relay.GlobalID("Organisation", "1"))},
        ],
    )

    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INVALID_INPUT", ["input", "places", "2", "userId"])
    ]
    refused = await run(
        gql,
        board,
        REMOVE,
        places=[
            {"code": "BB202", "userId": str(relay.GlobalID("User", str(teacher.id)))},
            {"code": "BB202", "userId": str(relay.GlobalID("User", str(stranger.id)))},
        ],
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("NOT_A_MEMBER", ["input", "places", "1", "userId"])
    ]
    assert await places_and_removals() == before


async def test_only_the_board_acts_on_the_report(gql: GraphQLClient, demo: object) -> None:
    token = await gql.sign_in("eo@aa101.example")
    teacher = await User.get(email="teacher@aa101.example")
    place = {"code": "AA101", "userId": str(relay.GlobalID("User", str(teacher.id)))}
    before = await places_and_removals()
    for query, variables in (
        (DELETE, {"codes": ["AA101"]}),
        (UNDO_DELETE, {"codes": ["AA101"]}),
        (REMOVE, {"places": [place]}),
        (UNDO_REMOVE, {"places": [place]}),
    ):
        body = await gql.post(query, variables, token)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert await places_and_removals() == before

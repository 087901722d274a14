"""Managing resources (seed 003 "Manage Resources"): editing, replacing the file, deleting a
wrong upload that never went out, withdrawing a released one; what centres see afterwards and
what the links already handed out do; refusals change nothing."""

import base64
from datetime import timedelta
from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.files import StoredFile
from models.releases import Release, ReleaseCentre, Resource
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.services.resources import BOARD, CANCEL, RELEASE, error_codes, release, upload

EO = "eo@aa101.example"
UPDATE = """mutation($input: UpdateResourceInput!) { updateResource(input: $input) {
  resource { id title description updatedAt withdrawnAt } errors { code field } } }"""
REPLACE = """mutation($input: ReplaceResourceFileInput!) { replaceResourceFile(input: $input) {
  resource { id fileName size contentType } errors { code field } } }"""
DELETE = """mutation($input: DeleteResourceInput!) { deleteResource(input: $input) {
  deletedResourceId errors { code field } } }"""
WITHDRAW = """mutation($input: WithdrawResourceInput!) { withdrawResource(input: $input) {
  resource { id withdrawnAt } errors { code field } } }"""
CENTRE_LIST = """query($c: String!) { centreResources(centreCode: $c) {
  nodes { id title download { url } } } }"""
CENTRE_ONE = """query($c: String!, $id: ID!) { centreResource(centreCode: $c, id: $id) {
  id title download { url } } }"""
KEY_TIMES = """query($c: String) { keyTimes(seriesCode: "2026-NOV", centreCode: $c) {
  kind title } }"""
BOARD_LIST = """{ resources { nodes { id title withdrawnAt fileName download { url } } } }"""


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in(BOARD)


def path_of(url: str) -> str:
    return url.removeprefix("http://examdesk.test")


async def snapshot() -> tuple[Any, ...]:
    """Everything a refused change must leave as it was."""
    return (
        await Resource.all().order_by("id").values(),
        await StoredFile.all().order_by("id").values("id", "owner_id", "name", "sha256"),
        await Release.all().order_by("id").values(),
        await ReleaseCentre.all().count(),
        await AuditEvent.filter(action__startswith="resource").count(),
    )


async def replace_file(
    gql: GraphQLClient, token: str, resource_id: str, name: str, content: bytes
) -> dict[str, Any]:
    response = await gql.upload(
        REPLACE,
        {"input": {"id": resource_id}},
        {"input.file": (name, content, "text/plain")},
        token,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def centre_link(gql: GraphQLClient, resource_id: str) -> str:
    """A link the exams officer of AA101 was handed for the resource."""
    eo = await gql.sign_in(EO)
    data = await gql.ok(CENTRE_ONE, {"c": "AA101", "id": resource_id}, eo)
    return path_of(data["centreResource"]["download"]["url"])


async def test_editing_the_title_and_description(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="Listnening paper", service="GENERAL")
    await release(gql, board, resource["id"])
    data = await gql.ok(
        UPDATE,
        {"input": {"id": resource["id"], "title": "  Listening   paper ", "description": " New "}},
        board,
    )
    changed = data["updateResource"]
    assert changed["errors"] == []
    assert (changed["resource"]["title"], changed["resource"]["description"]) == (
        "Listening paper",
        "New",
    )
    assert changed["resource"]["updatedAt"] is not None
    eo = await gql.sign_in(EO)
    listed = await gql.ok(CENTRE_LIST, {"c": "AA101"}, eo)
    assert [n["title"] for n in listed["centreResources"]["nodes"]] == ["Listening paper"]
    event = await AuditEvent.get(action="resource.update")
    assert (event.before["title"], event.after["title"]) == ("Listnening paper", "Listening paper")

    before = await snapshot()
    for change, code in (
        ({"title": "   "}, ("INVALID_INPUT", ["input", "title"])),
        ({"title": "x" * 201}, ("INPUT_TOO_LONG", ["input", "title"])),
        ({"title": "T", "description": "d" * 5_001}, ("INPUT_TOO_LONG", ["input", "description"])),
    ):
        data = await gql.ok(UPDATE, {"input": {"id": resource["id"], **change}}, board)
        errors = data["updateResource"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [code], data
    assert await snapshot() == before


async def test_replacing_the_file_ends_the_old_links(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="Timetable", service="GENERAL", content=b"old")
    await release(gql, board, resource["id"])
    old_link = await centre_link(gql, resource["id"])
    old_file = await StoredFile.get(owner_type="Resource")

    # An empty file is refused, and the old one still serves.
    before = await snapshot()
    body = await replace_file(gql, board, resource["id"], "new.txt", b"")
    assert body["data"]["replaceResourceFile"]["errors"] == [
        {"code": "FILE_EMPTY", "field": ["input", "file"]}
    ]
    assert await snapshot() == before
    assert (await http.get(old_link)).content == b"old"

    body = await replace_file(gql, board, resource["id"], "timetable v2.txt", b"the new one")
    replaced = body["data"]["replaceResourceFile"]
    assert replaced["errors"] == []
    assert (replaced["resource"]["fileName"], replaced["resource"]["size"]) == (
        "timetable v2.txt",
        11,
    )
    # The old bytes are gone, and so is every link to them.
    assert [f.id for f in await StoredFile.filter(owner_type="Resource")] != [old_file.id]
    assert await StoredFile.filter(owner_type="Resource").count() == 1
    assert (await http.get(old_link)).status_code == 404
    assert (await http.get(await centre_link(gql, resource["id"]))).content == b"the new one"
    event = await AuditEvent.get(action="resource.replace_file")
    assert (event.before["sha256"], event.after["fileName"]) == (
        old_file.sha256,
        "timetable v2.txt",
    )


async def test_deleting_a_wrong_upload(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    wrong = await upload(http, board, title="Wrong", service="GLOBAL_LISTENING", content=b"oops")
    listed = await gql.ok(BOARD_LIST, token=board)
    board_link = path_of(listed["resources"]["nodes"][0]["download"]["url"])

    # A release is due: cancel it first.
    due = await release(gql, board, wrong["id"], in_hours=24, centres=["AA101"])
    before = await snapshot()
    data = await gql.ok(DELETE, {"input": {"id": wrong["id"]}}, board)
    assert data["deleteResource"] == {
        "deletedResourceId": None,
        "errors": [{"code": "RESOURCE_RELEASE_SCHEDULED", "field": ["input", "id"]}],
    }
    assert await snapshot() == before
    assert (await gql.ok(CANCEL, {"input": {"releaseId": due["id"]}}, board))["cancelRelease"][
        "errors"
    ] == []

    data = await gql.ok(DELETE, {"input": {"id": wrong["id"]}}, board)
    assert data["deleteResource"] == {"deletedResourceId": wrong["id"], "errors": []}
    # Nothing of it is left: the resource, its file, its cancelled release.
    assert await Resource.all().count() == 0
    assert await StoredFile.all().count() == 0
    assert await Release.all().count() == 0
    assert await ReleaseCentre.all().count() == 0
    assert (await http.get(board_link)).status_code == 404
    event = await AuditEvent.get(action="resource.delete")
    assert (event.before["title"], event.before["fileName"]) == ("Wrong", "listening.wav")
    again = await gql.ok(DELETE, {"input": {"id": wrong["id"]}}, board)
    assert again["deleteResource"]["errors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]


async def test_a_released_resource_is_withdrawn_not_deleted(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="Listening paper", service="GLOBAL_LISTENING")
    await release(gql, board, resource["id"], centres=["AA101"])
    before = await snapshot()
    data = await gql.ok(DELETE, {"input": {"id": resource["id"]}}, board)
    assert data["deleteResource"]["errors"] == [
        {"code": "RESOURCE_RELEASED", "field": ["input", "id"]}
    ]
    assert await snapshot() == before
    # Released the moment its time passes, too.
    later = await upload(http, board, title="Later", service="GENERAL")
    await release(gql, board, later["id"], in_hours=1)
    clock.advance(timedelta(hours=1))
    data = await gql.ok(DELETE, {"input": {"id": later["id"]}}, board)
    assert data["deleteResource"]["errors"][0]["code"] == "RESOURCE_RELEASED"


async def test_withdrawing_takes_it_from_every_centre(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(
        http, board, title="Listening paper", service="GLOBAL_LISTENING", content=b"audio"
    )
    kept = await upload(http, board, title="Timetable", service="GENERAL")
    await release(gql, board, resource["id"])
    await release(gql, board, kept["id"])
    due = await release(gql, board, resource["id"], in_hours=48, centres=["BB202"])
    link = await centre_link(gql, resource["id"])

    data = await gql.ok(WITHDRAW, {"input": {"id": resource["id"], "reason": "Wrong paper"}}, board)
    assert data["withdrawResource"]["errors"] == []
    assert data["withdrawResource"]["resource"]["withdrawnAt"] is not None

    # The centre's views: gone from the list, the single look-up and the key times.
    eo = await gql.sign_in(EO)
    listed = await gql.ok(CENTRE_LIST, {"c": "AA101"}, eo)
    assert [n["title"] for n in listed["centreResources"]["nodes"]] == ["Timetable"]
    one = await gql.ok(CENTRE_ONE, {"c": "AA101", "id": resource["id"]}, eo)
    assert one["centreResource"] is None
    for token, centre in ((eo, "AA101"), (board, None)):
        times = await gql.ok(KEY_TIMES, {"c": centre}, token)
        assert [t["title"] for t in times["keyTimes"] if t["kind"] == "RESOURCE_RELEASE"] == [
            "Timetable"
        ]
    # The link handed out before no longer works.
    assert (await http.get(link)).status_code == 404
    # The release still due was cancelled; the one that went out shows it was withdrawn.
    releases = await gql.ok(
        """query($id: ID!) { releases(filter: {resourceId: $id, includeCancelled: true}) {
        nodes { id status } } }""",
        {"id": resource["id"]},
        board,
    )
    statuses = {n["id"]: n["status"] for n in releases["releases"]["nodes"]}
    assert statuses.pop(due["id"]) == "CANCELLED"
    assert list(statuses.values()) == ["WITHDRAWN"]
    # The board keeps it for the record, and may still download it.
    board_view = await gql.ok(BOARD_LIST, token=board)
    [mine] = [n for n in board_view["resources"]["nodes"] if n["id"] == resource["id"]]
    assert mine["withdrawnAt"] is not None
    assert (await http.get(path_of(mine["download"]["url"]))).content == b"audio"
    event = await AuditEvent.get(action="resource.withdraw")
    assert event.after["reason"] == "Wrong paper"
    assert event.after["cancelledReleaseIds"] == [_release_pk(due["id"])]


async def test_a_withdrawn_resource_changes_no_more(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="Listening paper", service="GENERAL")
    out = await release(gql, board, resource["id"])
    await gql.ok(WITHDRAW, {"input": {"id": resource["id"]}}, board)
    before = await snapshot()
    later = (clock.now() + timedelta(days=1)).isoformat()
    refusals = [
        ("withdrawResource", WITHDRAW, {"id": resource["id"]}),
        ("updateResource", UPDATE, {"id": resource["id"], "title": "T"}),
        ("deleteResource", DELETE, {"id": resource["id"]}),
        ("releaseResource", RELEASE, {"resourceId": resource["id"], "releaseAt": later}),
        ("cancelRelease", CANCEL, {"releaseId": out["id"]}),
    ]
    for field, query, variables in refusals:
        data = await gql.ok(query, {"input": variables}, board)
        assert [e["code"] for e in data[field]["errors"]] == ["RESOURCE_WITHDRAWN"], field
    body = await replace_file(gql, board, resource["id"], "x.txt", b"x")
    assert [e["code"] for e in body["data"]["replaceResourceFile"]["errors"]] == [
        "RESOURCE_WITHDRAWN"
    ]
    assert await snapshot() == before


async def test_withdraw_refusals_change_nothing(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    never = await upload(http, board, title="Never out", service="GENERAL")
    await release(gql, board, never["id"], in_hours=3)
    before = await snapshot()
    data = await gql.ok(WITHDRAW, {"input": {"id": never["id"]}}, board)
    assert data["withdrawResource"]["errors"] == [
        {"code": "RESOURCE_NOT_RELEASED", "field": ["input", "id"]}
    ]
    data = await gql.ok(WITHDRAW, {"input": {"id": never["id"], "reason": "r" * 201}}, board)
    assert data["withdrawResource"]["errors"][0]["code"] == "INPUT_TOO_LONG"
    assert await snapshot() == before


async def test_only_the_board_manages_resources(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="Listening paper", service="GENERAL")
    await release(gql, board, resource["id"])
    before = await snapshot()
    for email in (EO, "users@aa101.example", "teacher@aa101.example", "eo@as100.example"):
        token = await gql.sign_in(email)
        for query, variables in (
            (UPDATE, {"id": resource["id"], "title": "T"}),
            (DELETE, {"id": resource["id"]}),
            (WITHDRAW, {"id": resource["id"]}),
        ):
            assert error_codes(await gql.post(query, {"input": variables}, token)) == ["FORBIDDEN"]
        body = await replace_file(gql, token, resource["id"], "x.txt", b"x")
        assert error_codes(body) == ["FORBIDDEN"]
    assert await snapshot() == before


def _release_pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])

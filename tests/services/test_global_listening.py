"""Global Listening materials reach the centre's own exams officer and nobody else (seed 002:
"only your exams officer can access Global Listening"), and only from their release time."""

import base64
from datetime import timedelta

import httpx
import pytest

from examdesk.demo import DEMO_PASSWORD
from models.audit import AuditEvent
from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient
from tests.services.resources import BOARD, CANCEL, error_codes, release, upload

AA_EO = "eo@aa101.example"
BB_EO = "eo@bb202.example"
# Every role user management may grant: all but EXAMS_OFFICER and GLOBAL_LISTENING.
GRANTABLE = [
    "USER_MANAGEMENT",
    "SFA_EXAMS_OFFICER",
    "SFA_TEACHER",
    "ACCESS_ARRANGEMENTS",
    "SLT",
    "INVIGILATOR",
]

CENTRE_RESOURCES = """query($c: String!) { centreResources(centreCode: $c) {
  totalCount nodes { id title service download { url expiresAt } } } }"""
CENTRE_RESOURCE = """query($c: String!, $id: ID!) { centreResource(centreCode: $c, id: $id) {
  id title download { url } } }"""


async def titles_at(gql: GraphQLClient, token: str, centre: str = "AA101") -> list[str]:
    data = await gql.ok(CENTRE_RESOURCES, {"c": centre}, token)
    return [node["title"] for node in data["centreResources"]["nodes"]]


async def person(code: str, roles: list[str], email: str) -> str:
    """A signed-in-able user at `code` holding exactly `roles` there."""
    user = await User.create(
        email=email,
        first_name="Pat",
        last_name="Person",
        password_hash=hash_password(DEMO_PASSWORD),
        status=UserStatus.ACTIVE,
        email_verified_at=clock.now(),
    )
    await Membership.create(user=user, organisation=await Organisation.get(code=code), roles=roles)
    return email


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in(BOARD)


async def test_the_exams_officer_lists_and_downloads_global_listening(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(
        http,
        board,
        title="Listening paper 1",
        service="GLOBAL_LISTENING",
        content=b"the confidential recording",
    )
    await release(gql, board, resource["id"])
    eo = await gql.sign_in(AA_EO)

    data = await gql.ok(CENTRE_RESOURCES, {"c": "AA101"}, eo)
    [node] = data["centreResources"]["nodes"]
    assert (node["title"], node["service"]) == ("Listening paper 1", "GLOBAL_LISTENING")
    downloaded = await http.get(node["download"]["url"].removeprefix("http://examdesk.test"))
    assert downloaded.status_code == 200
    assert downloaded.content == b"the confidential recording"

    # Who looked: the link minted, and the download itself.
    looked = await AuditEvent.filter(action="global_listening.links").order_by("id")
    assert [(e.actor_email, e.after["resourceIds"]) for e in looked] == [
        (AA_EO, [int(_raw_id(resource["id"]))])
    ]
    assert await AuditEvent.filter(action="stored_file.download", actor_email=AA_EO).count() == 1
    # The direct fetch works for them too.
    one = await gql.ok(CENTRE_RESOURCE, {"c": "AA101", "id": resource["id"]}, eo)
    assert one["centreResource"]["download"]["url"].startswith("http://examdesk.test/files/")


async def test_nobody_but_the_exams_officer_opens_global_listening(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    gl = await upload(http, board, title="Listening paper 1", service="GLOBAL_LISTENING")
    general = await upload(http, board, title="Timetable", service="GENERAL")
    await release(gql, board, gl["id"])
    await release(gql, board, general["id"])

    every_role = await person("AA101", GRANTABLE, "all.roles@aa101.example")
    # However a direct grant got into the database, it opens nothing.
    direct = await person("AA101", ["GLOBAL_LISTENING"], "direct.gl@aa101.example")
    # A board admin who is also a member of the centre with every grantable role.
    await Membership.create(
        user=await User.get(email=BOARD),
        organisation=await Organisation.get(code="AA101"),
        roles=GRANTABLE,
    )
    # The associate's exams officer at its associate centre: GLOBAL_LISTENING is `own` only.
    as_eo = await gql.sign_in("eo@as100.example")

    for email in (every_role, BOARD, "teacher@aa101.example", "users@aa101.example"):
        token = await gql.sign_in(email)
        assert await titles_at(gql, token) == ["Timetable"], email
        body = await gql.post(CENTRE_RESOURCE, {"c": "AA101", "id": gl["id"]}, token)
        assert error_codes(body) == ["FORBIDDEN"], (email, body)
        assert body["data"] == {"centreResource": None}
    # Holding nothing but the ungrantable role, they are no centre staff who read resources.
    token = await gql.sign_in(direct)
    assert error_codes(await gql.post(CENTRE_RESOURCES, {"c": "AA101"}, token)) == ["FORBIDDEN"]
    body = await gql.post(CENTRE_RESOURCE, {"c": "AA101", "id": gl["id"]}, token)
    assert error_codes(body) == ["FORBIDDEN"]
    assert await titles_at(gql, as_eo, "AS101") == ["Timetable"]
    body = await gql.post(CENTRE_RESOURCE, {"c": "AS101", "id": gl["id"]}, as_eo)
    assert error_codes(body) == ["FORBIDDEN"]
    # The exams officer of the centre does see both; nobody else made a link to it.
    assert await titles_at(gql, await gql.sign_in(AA_EO)) == ["Listening paper 1", "Timetable"]
    assert {e.actor_email for e in await AuditEvent.filter(action="global_listening.links")} == {
        AA_EO
    }


async def test_a_board_admin_without_a_membership_sees_no_centre_resources(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="Listening paper 1", service="GLOBAL_LISTENING")
    await release(gql, board, resource["id"])
    assert error_codes(await gql.post(CENTRE_RESOURCES, {"c": "AA101"}, board)) == ["FORBIDDEN"]
    # Their own board-level list is another matter.
    data = await gql.ok("{ resources { nodes { title download { url } } } }", token=board)
    assert [n["title"] for n in data["resources"]["nodes"]] == ["Listening paper 1"]


async def test_a_release_targeted_at_one_centre_stays_there(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    resource = await upload(http, board, title="AA101 only", service="GLOBAL_LISTENING")
    await release(gql, board, resource["id"], centres=["aa101"])
    bb_eo = await gql.sign_in(BB_EO)
    assert await titles_at(gql, bb_eo, "BB202") == []
    body = await gql.post(CENTRE_RESOURCE, {"c": "BB202", "id": resource["id"]}, bb_eo)
    assert body["data"]["centreResource"] is None
    # Nor may they look at AA101's list.
    assert error_codes(await gql.post(CENTRE_RESOURCES, {"c": "AA101"}, bb_eo)) == ["FORBIDDEN"]
    assert await titles_at(gql, await gql.sign_in(AA_EO)) == ["AA101 only"]


async def test_nothing_shows_before_the_release_time_and_a_cancelled_release_never(
    board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    soon = await upload(http, board, title="Paper 2", service="GLOBAL_LISTENING")
    later = await upload(http, board, title="Paper 3", service="GLOBAL_LISTENING")
    await release(gql, board, soon["id"], in_hours=2)
    cancelled = await release(gql, board, later["id"], in_hours=2)
    eo = await gql.sign_in(AA_EO)
    assert await titles_at(gql, eo) == []
    body = await gql.ok(CENTRE_RESOURCE, {"c": "AA101", "id": soon["id"]}, eo)
    assert body["centreResource"] is None

    data = await gql.ok(CANCEL, {"input": {"releaseId": cancelled["id"]}}, board)
    assert data["cancelRelease"] == {
        "release": {"id": cancelled["id"], "status": "CANCELLED"},
        "errors": [],
    }
    clock.advance(timedelta(hours=2, seconds=1))
    eo = await gql.sign_in(AA_EO)
    assert await titles_at(gql, eo) == ["Paper 2"]
    # Out now: too late to cancel.
    releases = await gql.ok(
        "{ releases { nodes { id status resource { title } } } }", token=await gql.sign_in(BOARD)
    )
    [out] = releases["releases"]["nodes"]
    assert (out["status"], out["resource"]["title"]) == ("RELEASED", "Paper 2")
    late = await gql.ok(CANCEL, {"input": {"releaseId": out["id"]}}, await gql.sign_in(BOARD))
    assert late["cancelRelease"]["errors"] == [{"code": "RELEASE_ALREADY_OUT"}]


def _raw_id(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":")[1]

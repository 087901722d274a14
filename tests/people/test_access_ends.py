"""Access ends when membership ends: a person taken out of a centre, or stripped of the role that
let them in, can neither follow their job there nor use a file link minted before the change;
people still entitled keep working."""

import hashlib
from typing import Any

import httpx
from starlette.applications import Starlette
from strawberry import relay

from models.audit import AuditEvent
from models.files import StoredFile
from models.organisations import Organisation
from models.users import User
from policies import Actor, RequestMeta, Right
from resolvers.core import clock, downloads
from tests.helpers.graphql import GraphQLClient

EXPORT = """
mutation($input: ExportStaffSummaryInput!) {
  exportStaffSummary(input: $input) { job { id } errors { code message } }
}
"""
JOB = """
query($id: ID!) { job(id: $id) { status files { name url } } }
"""
REMOVE = """
mutation($input: RemoveUserInput!) {
  removeUser(input: $input) { removedUserId errors { code message } }
}
"""
ROLES = """
mutation($input: UpdateUserRolesInput!) {
  updateUserRoles(input: $input) { organisationUser { roles } errors { code message } }
}
"""


async def _export(gql: GraphQLClient, email: str) -> dict[str, Any]:
    """`email` exports AA101's staff summary: the job id, their token and the job's files."""
    token = await gql.sign_in(email)
    payload = await gql.ok(EXPORT, {"input": {"organisationCode": "AA101"}}, token)
    job_id = payload["exportStaffSummary"]["job"]["id"]
    job = await gql.wait_for_job(job_id, token, timeout=15, query=JOB)
    assert job["status"] == "SUCCEEDED", job
    assert len(job["files"]) == 1
    return {"id": job_id, "token": token, "url": job["files"][0]["url"]}


async def _user_id(email: str) -> str:
    user = await User.get(email=email)
    return str(relay.GlobalID("User", str(user.id)))


async def test_a_removed_member_loses_the_job_and_its_earlier_link(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    leaver = await _export(gql, "slt@aa101.example")
    stayer = await _export(gql, "users@aa101.example")
    assert (await http.get(leaver["url"])).status_code == 200

    manager = await gql.sign_in("eo@aa101.example")
    removed = await gql.ok(
        REMOVE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await _user_id("slt@aa101.example"),
            }
        },
        manager,
    )
    assert removed["removeUser"]["errors"] == []

    # Their session still works, but the centre's job is no longer theirs to follow...
    body = await gql.post(JOB, {"id": leaver["id"]}, leaver["token"])
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    # ...and the link minted while they belonged no longer serves the file.
    before = await AuditEvent.filter(action="job_file.download").count()
    refused = await http.get(leaver["url"])
    assert refused.status_code == 403
    assert refused.text == "You no longer have access to this file."
    assert await AuditEvent.filter(action="job_file.download").count() == before

    # Someone still entitled keeps both.
    assert (await http.get(stayer["url"])).status_code == 200
    again = (await gql.ok(JOB, {"id": stayer["id"]}, stayer["token"]))["job"]
    assert (await http.get(again["files"][0]["url"])).status_code == 200


async def test_losing_the_role_that_allowed_it_ends_access_too(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    slt = await _export(gql, "slt@aa101.example")
    manager = await gql.sign_in("users@aa101.example")
    changed = await gql.ok(
        ROLES,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await _user_id("slt@aa101.example"),
                "roles": ["INVIGILATOR"],
            }
        },
        manager,
    )
    assert changed["updateUserRoles"]["errors"] == []

    # Still a member of AA101, but no longer one who reads staff progress.
    body = await gql.post(JOB, {"id": slt["id"]}, slt["token"])
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert (await http.get(slt["url"])).status_code == 403

    # Given back, the right works again: the link was never the permission on its own.
    await gql.ok(
        ROLES,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await _user_id("slt@aa101.example"),
                "roles": ["SLT"],
            }
        },
        manager,
    )
    assert (await http.get(slt["url"])).status_code == 200


async def test_an_uploaded_files_link_ends_with_the_membership(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    centre = await Organisation.get(code="AA101")
    content = b"General notice for AA101"
    file = await StoredFile.create(
        owner_type="Resource",
        owner_id=3,
        organisation=None,
        name="notice.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_at=clock.now(),
    )
    links = {}
    # Staff who read resources (an invigilator reads none: policies/policy.csv).
    for email in ("teacher@aa101.example", "slt@aa101.example"):
        user = await User.get(email=email)
        actor = Actor(request=RequestMeta(request_id="test"), user_id=user.id, email=email)
        links[email] = downloads.stored_file_link(
            actor, file, Right("resources", "read", centre.id)
        ).url
        assert (await http.get(links[email])).content == content

    manager = await gql.sign_in("users@aa101.example")
    await gql.ok(
        REMOVE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await _user_id("teacher@aa101.example"),
            }
        },
        manager,
    )
    assert (await http.get(links["teacher@aa101.example"])).status_code == 403
    assert (await http.get(links["slt@aa101.example"])).content == content

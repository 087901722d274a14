"""Files out by short-lived signed URL: Job.files mints the links, GET /files/{token} serves the
bytes to whoever holds a valid one, and every download is an audit event."""

import base64
import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette
from strawberry import relay
from tortoise.transactions import in_transaction

from models.audit import AuditEvent
from models.files import StoredFile
from models.jobs import JobFile
from models.organisations import Organisation
from models.users import User, UserStatus
from policies import Actor, RequestMeta, Right
from resolvers.core import clock, downloads, jobs
from resolvers.core.config import current
from tests.helpers.graphql import GraphQLClient

JOB = """
query($id: ID!) {
  job(id: $id) {
    status
    files { id name contentType size url urlExpiresAt }
  }
}
"""
REPORT = "name,grade\nZoë Ångström,A*\n".encode()
CANDIDATE_IDS = [11, 12, 13]


async def _makes_files(run: jobs.JobRun) -> dict[str, Any]:
    async with in_transaction():
        await run.add_file("errors — 2026.csv", "text/csv; charset=utf-8", REPORT)
        await run.add_file("big.bin", "application/octet-stream", bytes(range(256)) * 1024)
    return {"candidateIds": CANDIDATE_IDS}


jobs.install({"test.files": jobs.JobKind(_makes_files, requires=("entries", "manage"))})


async def make_files(gql: GraphQLClient, email: str = "eo@aa101.example") -> dict[str, Any]:
    """Queue a job that makes two files as `email`, wait for it; the job as its creator sees it."""
    user = await User.get(email=email)
    centre = await Organisation.get(code="AA101")
    actor = Actor(request=RequestMeta(request_id="test-files"), user_id=user.id, email=email)
    async with in_transaction():
        job = await jobs.enqueue(actor, "test.files", organisation_id=centre.id, payload={})
    jobs.wake_workers()
    token = await gql.sign_in(email)
    job_id = str(relay.GlobalID("Job", str(job.id)))
    found = await gql.wait_for_job(job_id, token, timeout=15, query=JOB)
    assert found["status"] == "SUCCEEDED", found
    return {"id": job_id, "row_id": job.id, "token": token, **found}


def token_of(url: str) -> str:
    prefix = "http://examdesk.test/files/"
    assert url.startswith(prefix), url
    return url.removeprefix(prefix)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def test_a_good_link_serves_the_bytes_and_is_audited(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    job = await make_files(gql)
    report, big = job["files"]
    assert (report["name"], report["contentType"], report["size"]) == (
        "errors — 2026.csv",
        "text/csv; charset=utf-8",
        len(REPORT),
    )
    expires = datetime.fromisoformat(report["urlExpiresAt"])
    assert timedelta(minutes=4) < expires - clock.now() <= downloads.URL_TTL

    response = await http.get(report["url"])
    assert response.status_code == 200
    assert response.content == REPORT
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"errors___2026.csv\"; filename*=UTF-8''errors%20%E2%80%94%202026.csv"
    )
    second = await http.get(big["url"])
    assert second.content == bytes(range(256)) * 1024
    assert second.headers["content-length"] == str(256 * 1024)

    events = await AuditEvent.filter(action="job_file.download").order_by("id")
    assert len(events) == 2
    user = await User.get(email="eo@aa101.example")
    first = events[0]
    assert (first.actor_user_id, first.actor_email) == (user.id, "eo@aa101.example")
    assert first.organisation_id == (await Organisation.get(code="AA101")).id
    assert (first.target_type, first.target_id) == ("JobFile", str(_file_id(report)))
    assert first.after is not None
    assert first.after["jobId"] == job["row_id"]
    assert first.after["jobKind"] == "test.files"
    assert first.after["fileName"] == "errors — 2026.csv"
    assert first.after["candidateIds"] == CANDIDATE_IDS
    assert datetime.fromisoformat(first.after["at"]) <= clock.now()
    assert first.request_id == response.headers["x-request-id"]
    assert events[1].request_id == second.headers["x-request-id"] != first.request_id

    # The same link again is another download, and another event.
    await http.get(report["url"])
    assert await AuditEvent.filter(action="job_file.download").count() == 3

    # A HEAD would fetch nothing, so it is refused rather than audited as a download.
    head = await http.head(report["url"])
    assert head.status_code == 405
    assert head.headers["allow"] == "GET"
    assert await AuditEvent.filter(action="job_file.download").count() == 3


def _file_id(node: dict[str, Any]) -> int:
    return int(relay.GlobalID.from_id(node["id"]).node_id)


async def test_an_expired_link_is_gone_and_a_fresh_one_works(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    job = await make_files(gql)
    url = job["files"][0]["url"]
    clock.advance(downloads.URL_TTL + timedelta(seconds=1))
    response = await http.get(url)
    assert response.status_code == 410
    assert response.text == "This download link has expired. Ask for the file again."
    assert response.headers["cache-control"] == "no-store"
    assert not await AuditEvent.exists(action="job_file.download")

    fresh = (await gql.ok(JOB, {"id": job["id"]}, job["token"]))["job"]["files"][0]["url"]
    assert fresh != url
    assert (await http.get(fresh)).content == REPORT


async def test_tampered_forged_and_malformed_links_are_not_found(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    job = await make_files(gql)
    token = token_of(job["files"][0]["url"])
    payload, mac = token.split(".")
    fields = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert fields["k"] == "j"
    file_id, user_id = fields["f"], fields["u"]
    other_file = _file_id(job["files"][1])

    def altered(**changes: Any) -> str:
        text = json.dumps(fields | changes, separators=(",", ":"))
        return f"{_b64(text.encode())}.{mac}"

    flipped = mac[:-2] + ("A" if mac[-2] != "A" else "B") + mac[-1]
    another_file = altered(f=other_file)
    later = altered(e=fields["e"] + 3600)
    # The same numbers claimed as an uploaded file's link, or under a wider right.
    stored = altered(k="s")
    wider = altered(r=["audit", "read", None])
    current().secret_key, real_key = "another-secret-key-of-thirty-two-chars!", current().secret_key
    try:
        foreign = downloads.sign(
            file_id, user_id, Right(*fields["r"]), clock.now() + timedelta(minutes=5)
        )
    finally:
        current().secret_key = real_key
    for bad in (
        flipped,
        another_file,
        later,
        stored,
        wider,
        foreign,
        payload,
        "x.y",
        "not-a-token",
        "....",
    ):
        response = await http.get(f"/files/{bad}")
        assert response.status_code == 404, bad
        assert response.text == "Not found.", bad
    assert not await AuditEvent.exists(action="job_file.download")
    # The untouched link still works.
    assert (await http.get(f"/files/{token}")).status_code == 200


async def test_a_link_works_only_for_the_jobs_creator_while_active(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    job = await make_files(gql)
    file_id = _file_id(job["files"][0])
    # Signed by us, but for someone who did not start the job: links are never minted so.
    stranger = await User.get(email="eo@bb202.example")
    stranger_centre = await Organisation.get(code="BB202")
    forged = downloads.sign(
        file_id,
        stranger.id,
        Right("entries", "manage", stranger_centre.id),
        clock.now() + timedelta(minutes=5),
    )
    assert (await http.get(f"/files/{forged}")).status_code == 404

    await User.filter(email="eo@aa101.example").update(status=UserStatus.DISABLED)
    assert (await http.get(job["files"][0]["url"])).status_code == 404
    assert not await AuditEvent.exists(action="job_file.download")

    await JobFile.filter(id=file_id).delete()
    await User.filter(email="eo@aa101.example").update(status=UserStatus.ACTIVE)
    assert (await http.get(job["files"][0]["url"])).status_code == 404


async def test_the_board_follows_the_job_but_gets_no_links(
    demo: Starlette, gql: GraphQLClient
) -> None:
    job = await make_files(gql)
    admin = await gql.sign_in("admin@exb.example")
    seen = (await gql.ok(JOB, {"id": job["id"]}, admin))["job"]
    assert seen == {"status": "SUCCEEDED", "files": []}
    assert len(job["files"]) == 2


async def test_files_are_listed_without_loading_their_bytes(
    demo: Starlette, gql: GraphQLClient, count_queries: Any
) -> None:
    job = await make_files(gql)
    with count_queries() as counter:
        await gql.ok(JOB, {"id": job["id"]}, job["token"])
    [listing] = [s for s in counter.statements if "job_file" in s]
    assert '"content"' not in listing
    assert '"content_type"' in listing


async def test_an_uploaded_files_link_serves_it_and_is_audited(
    demo: Starlette, http: httpx.AsyncClient
) -> None:
    centre = await Organisation.get(code="AA101")
    user = await User.get(email="eo@aa101.example")
    content = "Listening paper 2 — Zoë's notes".encode()
    file = await StoredFile.create(
        owner_type="Resource",
        owner_id=7,
        organisation=centre,
        name="paper 2.txt",
        content_type="text/plain; charset=utf-8",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=None,
        created_at=clock.now(),
    )
    actor = Actor(request=RequestMeta(request_id="test"), user_id=user.id, email=user.email)
    link = downloads.stored_file_link(actor, file, Right("resources", "read", centre.id))
    response = await http.get(link.url)
    assert response.status_code == 200
    assert response.content == content
    [event] = await AuditEvent.filter(action="stored_file.download")
    assert (event.actor_user_id, event.organisation_id) == (user.id, centre.id)
    assert (event.target_type, event.target_id) == ("StoredFile", str(file.id))
    assert event.after is not None
    assert (event.after["ownerType"], event.after["ownerId"]) == ("Resource", 7)
    # The same token claimed for a job's file of that number is another link: refused.
    token = token_of(link.url)
    payload, mac = token.split(".")
    as_job = base64.urlsafe_b64decode(payload + "==").decode().replace('"k":"s"', '"k":"j"', 1)
    assert (await http.get(f"/files/{_b64(as_job.encode())}.{mac}")).status_code == 404

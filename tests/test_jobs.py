"""The background job framework through the real app: its worker (started by the lifespan)
runs queued jobs; clients follow them with job(id)."""

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from strawberry import relay
from tortoise.transactions import in_transaction

from models.jobs import Job, JobFile, JobStatus
from models.organisations import Organisation
from models.users import User
from policies import Actor, RequestMeta
from resolvers import clock, jobs
from resolvers.errors import DomainError, ErrorCode
from tests.conftest import GraphQLClient

JOB = """
query($id: ID!) {
  job(id: $id) {
    id kind status done total stage percent errorCode errorMessage result finishedAt
    files { name }
  }
}
"""

# Handlers for these tests. A gated job waits at each named gate the test opens.
_gates: dict[str, asyncio.Event] = {}


def gate(name: str) -> asyncio.Event:
    _gates[name] = asyncio.Event()
    return _gates[name]


async def _gated(run: jobs.JobRun) -> dict[str, Any]:
    await run.progress(1, 3, "Step one")
    if (name := run.payload.get("gate")) is not None:
        await _gates[name].wait()
    await run.progress(2, 3, "Step two")
    return {"echo": run.payload.get("echo")}


async def _refuses(run: jobs.JobRun) -> dict[str, Any]:
    await run.progress(1, 2, "Checking rows")
    async with in_transaction():
        await run.add_file("half-done.txt", "text/plain", b"should not survive")
        raise DomainError.one(ErrorCode.ROWS_INVALID, "Row 3 has no candidate number.")


async def _crashes(run: jobs.JobRun) -> dict[str, Any]:
    raise RuntimeError("secret detail: the disk at /srv/examdesk is full")


# What the exams officer of AA101 (who queues them below) holds there.
EO_RIGHT = ("entries", "manage")
jobs.register("test.gated", _gated, right=EO_RIGHT)
jobs.register("test.refuses", _refuses, right=EO_RIGHT)
jobs.register("test.crashes", _crashes, right=EO_RIGHT)


def to_global_id(type_name: str, node_id: int) -> str:
    return str(relay.GlobalID(type_name, str(node_id)))


async def queue(email: str, kind: str, payload: dict[str, Any] | None = None) -> str:
    """What a mutation does: enqueue in a transaction, then wake the worker. The global id."""
    user = await User.get(email=email)
    centre = await Organisation.get(code="AA101")
    actor = Actor(request=RequestMeta(request_id=f"test-{kind}"), user_id=user.id,
                  email=user.email)
    async with in_transaction():
        job = await jobs.enqueue(actor, kind, organisation_id=centre.id, payload=payload or {})
    jobs.wake_workers()
    return to_global_id("Job", job.id)


async def read(gql: GraphQLClient, token: str, job_id: str) -> dict[str, Any]:
    return (await gql.ok(JOB, {"id": job_id}, token))["job"]


async def test_a_job_goes_from_queued_to_running_to_succeeded_with_progress(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    # The worker runs one job at a time: while a first job waits, a second stays QUEUED.
    hold_first, hold_second = gate("first"), gate("second")
    first = await queue("eo@aa101.example", "test.gated", {"gate": "first"})
    await gql.wait_for_job(first, token, timeout=15, query=JOB, until={"RUNNING"})
    second = await queue("eo@aa101.example", "test.gated", {"gate": "second", "echo": "hi"})
    await asyncio.sleep(0.1)
    queued = await read(gql, token, second)
    assert (queued["status"], queued["stage"], queued["percent"]) == (
        "QUEUED", "Waiting to start", 0
    )
    assert queued["kind"] == "test.gated"

    hold_first.set()
    running = await gql.wait_for_job(second, token, timeout=15, query=JOB, until={"RUNNING"})
    async with asyncio.timeout(15):
        # Claimed ("Started") a moment before its first progress report is written.
        while running["stage"] == "Started":
            await asyncio.sleep(0.02)
            running = await read(gql, token, second)
    assert (running["done"], running["total"], running["stage"], running["percent"]) == (
        1, 3, "Step one", 33
    )
    assert running["result"] is None
    assert running["finishedAt"] is None

    hold_second.set()
    done = await gql.wait_for_job(second, token, timeout=15, query=JOB)
    assert done["status"] == "SUCCEEDED"
    assert (done["done"], done["total"], done["stage"], done["percent"]) == (
        3, 3, "Finished", 100
    )
    assert done["result"] == {"echo": "hi"}
    assert done["finishedAt"] is not None
    assert done["errorCode"] is None
    first_done = await gql.wait_for_job(first, token, timeout=15, query=JOB, until={"SUCCEEDED"})
    assert first_done["status"] == "SUCCEEDED"
    # The input is not kept once a job has ended.
    assert [job.payload for job in await Job.all()] == [{}, {}]


async def test_a_domain_error_fails_the_job_with_its_code_and_writes_nothing(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    job_id = await queue("eo@aa101.example", "test.refuses")
    job = await gql.wait_for_job(job_id, token, timeout=15, query=JOB)
    assert job["status"] == "FAILED"
    assert job["errorCode"] == "ROWS_INVALID"
    assert job["errorMessage"] == "Row 3 has no candidate number."
    assert (job["stage"], job["done"], job["total"]) == ("Failed", 1, 2)
    assert job["files"] == []
    assert await JobFile.all().count() == 0


async def test_an_unexpected_error_is_masked_and_logged(
    demo: Starlette, gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    with caplog.at_level(logging.ERROR, logger="examdesk.jobs"):
        job_id = await queue("eo@aa101.example", "test.crashes")
        job = await gql.wait_for_job(job_id, token, timeout=15, query=JOB)
    row_id = (await Job.get(kind="test.crashes")).id
    assert job["status"] == "FAILED"
    assert job["errorCode"] == "INTERNAL_SERVER_ERROR"
    assert "secret detail" not in job["errorMessage"]
    assert f"Quote job {row_id} to support" in job["errorMessage"]
    [record] = [r for r in caplog.records if r.name == "examdesk.jobs"]
    assert f"job {row_id} (test.crashes) failed" in record.getMessage()
    assert "queued by request test-test.crashes" in record.getMessage()
    assert record.exc_info is not None
    assert "disk" in str(record.exc_info[1])


async def test_a_running_job_that_stopped_reporting_is_marked_failed(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """A process that died mid-job leaves it RUNNING; the next worker pass fails it, and only
    it: a job that reported progress recently is still running somewhere."""
    user = await User.get(email="eo@aa101.example")
    centre = await Organisation.get(code="AA101")
    lost = await Job.create(
        kind="test.gated", created_by_id=user.id, organisation=centre, status=JobStatus.RUNNING,
        created_at=clock.now(), started_at=clock.now(), heartbeat_at=clock.now(),
    )
    clock.advance(jobs.STALE_AFTER + timedelta(minutes=1))
    alive = await Job.create(
        kind="test.gated", created_by_id=user.id, organisation=centre, status=JobStatus.RUNNING,
        created_at=clock.now(), started_at=clock.now(), heartbeat_at=clock.now(),
    )
    jobs.wake_workers()
    token = await gql.sign_in("eo@aa101.example")
    failed = await gql.wait_for_job(
        to_global_id("Job", lost.id), token, timeout=15, query=JOB, until={"FAILED"}
    )
    assert failed["errorCode"] == "JOB_INTERRUPTED"
    assert "Start it again" in failed["errorMessage"]
    assert (await Job.get(id=alive.id)).status is JobStatus.RUNNING


async def test_only_the_creator_and_the_board_may_follow_a_job(
    demo: Starlette, gql: GraphQLClient
) -> None:
    job_id = await queue("eo@aa101.example", "test.gated", {"echo": "mine"})
    for email in ("eo@bb202.example", "users@aa101.example", "slt@aa101.example"):
        body = await gql.post(JOB, {"id": job_id}, await gql.sign_in(email))
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], email
        assert body["data"] is None
    anonymous = await gql.post(JOB, {"id": job_id})
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]

    admin = await gql.sign_in("admin@exb.example")
    job = await gql.wait_for_job(job_id, admin, timeout=15, query=JOB, until={"SUCCEEDED"})
    assert job["result"] == {"echo": "mine"}
    # Others learn nothing of ids that do not exist either; the board is told.
    missing = to_global_id("Job", 999999)
    body = await gql.post(JOB, {"id": missing}, await gql.sign_in("eo@bb202.example"))
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    body = await gql.post(JOB, {"id": missing}, admin)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"

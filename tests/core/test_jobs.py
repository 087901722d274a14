"""The background job framework through the real app: its worker (started by the lifespan)
runs queued jobs; clients follow them with job(id)."""

import asyncio
import importlib
import logging
import pkgutil
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from strawberry import relay
from tortoise.transactions import in_transaction

import resolvers
from examdesk.jobs import lost_job_poller
from models.audit import AuditEvent
from models.jobs import Job, JobFile, JobStatus
from models.organisations import Organisation
from models.users import Membership, User
from policies import Actor, RequestMeta
from resolvers.core import clock, interrupted_jobs, jobs
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.job_kinds import JOB_KINDS
from tests.helpers.graphql import GraphQLClient

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


# Following one, its files and rerunning it need what queuing it would: here, to belong to the
# job's organisation (AA101, where queue() puts them).
jobs.install(
    {
        kind: jobs.JobKind(handler, requires=("organisation", "read"))
        for kind, handler in (
            ("test.gated", _gated),
            ("test.refuses", _refuses),
            ("test.crashes", _crashes),
        )
    }
)


def to_global_id(type_name: str, node_id: int) -> str:
    return str(relay.GlobalID(type_name, str(node_id)))


async def queue(email: str, kind: str, payload: dict[str, Any] | None = None) -> str:
    """What a mutation does: enqueue in a transaction, then wake the worker. The global id."""
    user = await User.get(email=email)
    centre = await Organisation.get(code="AA101")
    actor = Actor(request=RequestMeta(request_id=f"test-{kind}"), user_id=user.id, email=user.email)
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
        "QUEUED",
        "Waiting to start",
        0,
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
        1,
        3,
        "Step one",
        33,
    )
    assert running["result"] is None
    assert running["finishedAt"] is None

    hold_second.set()
    done = await gql.wait_for_job(second, token, timeout=15, query=JOB)
    assert done["status"] == "SUCCEEDED"
    assert (done["done"], done["total"], done["stage"], done["percent"]) == (3, 3, "Finished", 100)
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


RERUNNABLE = """
query($id: ID!) {
  job(id: $id) { id status stage errorCode errorMessage result finishedAt rerunnableUntil }
}
"""
RERUN = """
mutation($input: RerunJobInput!) {
  rerunJob(input: $input) { job { id status stage errorCode } errors { code field message } }
}
"""
# What a staff upload keeps in its payload while it runs: people's details, sealed passwords.
PEOPLE = {
    "accounts": [
        {"email": f"person{i}@aa101.example", "first_name": "Pat", "password": "gAAAAAsealed"}
        for i in range(50)
    ],
    "echo": "again",
}


async def lost_job(email: str, payload: dict[str, Any]) -> Job:
    """A RUNNING job as a process leaves it when it dies: lease taken, never renewed."""
    user = await User.get(email=email)
    centre = await Organisation.get(code="AA101")
    return await Job.create(
        kind="test.gated",
        created_by_id=user.id,
        organisation_id=centre.id,
        status=JobStatus.RUNNING,
        payload=payload,
        created_at=clock.now(),
        started_at=clock.now(),
        heartbeat_at=clock.now(),
        lease_expires_at=clock.now() + jobs.LEASE,
        runs=1,
        stage="Step one",
        done=1,
        total=3,
    )


async def interrupted(gql: GraphQLClient, token: str, job: Job) -> dict[str, Any]:
    """The job once a poller has seen its lease run out (the clock moved past it)."""
    clock.advance(jobs.LEASE + timedelta(seconds=1))
    jobs.wake_workers()
    return await gql.wait_for_job(
        to_global_id("Job", job.id), token, timeout=15, query=RERUNNABLE, until={"FAILED"}
    )


def test_a_lost_job_is_seen_within_a_minute() -> None:
    # The lease, plus the poller's interval, is how long a job may show RUNNING after its
    # process has gone; the renewals come well within the lease.
    assert jobs.LEASE + timedelta(seconds=lost_job_poller().poll_seconds) <= timedelta(minutes=1)
    assert jobs.RENEW_EVERY * 3 <= jobs.LEASE


async def test_a_job_whose_process_is_gone_is_interrupted_and_its_input_emptied(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """A process that died mid-job leaves it RUNNING with its lease; once the lease has passed
    any process's poller fails it, and only it: a job whose lease was renewed is still running
    somewhere."""
    token = await gql.sign_in("eo@aa101.example")
    lost = await lost_job("eo@aa101.example", PEOPLE)
    alive = await lost_job("eo@aa101.example", {"echo": "alive"})
    clock.advance(timedelta(seconds=30))
    # What the process running `alive` does every 15 s.
    await Job.filter(id=alive.id).update(lease_expires_at=clock.now() + jobs.LEASE)
    clock.advance(timedelta(seconds=16))
    jobs.wake_workers()
    failed = await gql.wait_for_job(
        to_global_id("Job", lost.id), token, timeout=15, query=RERUNNABLE, until={"FAILED"}
    )
    assert failed["errorCode"] == "JOB_INTERRUPTED"
    assert "rerunJob" in failed["errorMessage"]
    assert failed["stage"] == "Interrupted"
    assert failed["finishedAt"] is not None
    assert failed["rerunnableUntil"] is not None
    row = await Job.get(id=lost.id)
    assert row.payload == {}
    assert row.rerun_until == row.finished_at + interrupted_jobs.RERUN_WINDOW
    # Kept for the rerun only sealed: none of the people's details can be read from the row.
    assert row.sealed_input is not None
    assert "person0@aa101.example" not in row.sealed_input
    assert "Pat" not in row.sealed_input
    still = await Job.get(id=alive.id)
    assert still.status is JobStatus.RUNNING
    assert still.payload == {"echo": "alive"}


async def test_a_running_job_renews_its_lease(
    demo: Starlette, gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "RENEW_EVERY", timedelta(seconds=0.05))
    token = await gql.sign_in("eo@aa101.example")
    hold = gate("renew")
    job_id = await queue("eo@aa101.example", "test.gated", {"gate": "renew", "echo": "kept"})
    await gql.wait_for_job(job_id, token, timeout=15, query=JOB, until={"RUNNING"})
    row = await Job.get(kind="test.gated")
    first_lease = row.lease_expires_at
    assert first_lease is not None
    # Well past the lease it was claimed with: the running process has renewed it since.
    clock.advance(jobs.LEASE * 2)
    async with asyncio.timeout(10):
        while True:
            row = await Job.get(id=row.id)
            if row.lease_expires_at is not None and row.lease_expires_at > clock.now():
                break
            await asyncio.sleep(0.02)
    jobs.wake_workers()
    await asyncio.sleep(0.2)
    assert (await read(gql, token, job_id))["status"] == "RUNNING"
    hold.set()
    done = await gql.wait_for_job(job_id, token, timeout=15, query=JOB)
    assert (done["status"], done["result"]) == ("SUCCEEDED", {"echo": "kept"})
    row = await Job.get(id=row.id)
    assert (row.payload, row.sealed_input, row.lease_expires_at) == ({}, None, None)


async def test_a_job_cancelled_with_its_process_goes_back_to_the_queue_and_runs_again(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """A process stopping (SIGTERM) cancels the job it runs: the job goes back to the queue at
    once, without what its run attached or its progress, and a worker runs it again."""
    token = await gql.sign_in("eo@aa101.example")
    hold = gate("cancelled")
    job = await lost_job("eo@aa101.example", {"gate": "cancelled", "echo": "again"})
    running = asyncio.create_task(jobs.run(job))
    async with asyncio.timeout(10):
        while (await Job.get(id=job.id)).stage != "Step one":  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    await JobFile.create(
        job_id=job.id,
        name="partial.txt",
        content_type="text/plain",
        size=1,
        content=b"x",
        created_at=clock.now(),
    )
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert not hold.is_set()
    row = await Job.get(id=job.id)
    assert (row.status, row.lease_expires_at, row.started_at, row.done, row.stage) == (
        JobStatus.QUEUED,
        None,
        None,
        0,
        "Waiting to start",
    )
    assert row.payload == {"gate": "cancelled", "echo": "again"}
    assert not await JobFile.filter(job_id=job.id).exists()
    # Not lost: nothing for a poller to fail, even once its old lease would have passed.
    clock.advance(jobs.LEASE * 2)
    assert await interrupted_jobs.interrupt_lost_jobs() == 0
    hold.set()
    jobs.wake_workers()
    done = await gql.wait_for_job(to_global_id("Job", job.id), token, timeout=15, query=JOB)
    assert (done["status"], done["result"]) == ("SUCCEEDED", {"echo": "again"})
    assert (await Job.get(id=job.id)).runs == 2


async def test_its_creator_runs_an_interrupted_job_again_with_the_same_input(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    lost = await lost_job("eo@aa101.example", PEOPLE)
    await interrupted(gql, token, lost)
    job_id = to_global_id("Job", lost.id)

    # Nobody else, the board included: the job runs with its creator's authority.
    others = [
        await gql.sign_in(email)
        for email in ("eo@bb202.example", "users@aa101.example", "admin@exb.example")
    ]
    events = await AuditEvent.all().count()
    for other in others:
        body = await gql.post(RERUN, {"input": {"id": job_id}}, other)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    anonymous = await gql.post(RERUN, {"input": {"id": job_id}})
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    assert (await Job.get(id=lost.id)).status is JobStatus.FAILED
    assert await AuditEvent.all().count() == events

    rerun = (await gql.ok(RERUN, {"input": {"id": job_id}}, token))["rerunJob"]
    assert rerun["errors"] == []
    assert rerun["job"]["id"] == job_id
    assert rerun["job"]["status"] in {"QUEUED", "RUNNING", "SUCCEEDED"}
    assert rerun["job"]["errorCode"] is None
    done = await gql.wait_for_job(job_id, token, timeout=15, query=RERUNNABLE)
    assert (done["status"], done["result"]) == ("SUCCEEDED", {"echo": "again"})
    assert done["rerunnableUntil"] is None
    row = await Job.get(id=lost.id)
    assert (row.payload, row.sealed_input, row.runs) == ({}, None, 2)
    event = await AuditEvent.get(action="job.rerun")
    assert event.target_id == str(lost.id)

    again = (await gql.ok(RERUN, {"input": {"id": job_id}}, token))["rerunJob"]
    assert [(e["code"], e["field"]) for e in again["errors"]] == [
        ("JOB_NOT_RERUNNABLE", ["input", "id"])
    ]


async def test_a_creator_who_lost_the_authority_the_job_needs_cannot_rerun_it(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("users@aa101.example")
    lost = await lost_job("users@aa101.example", PEOPLE)
    await interrupted(gql, token, lost)
    user = await User.get(email="users@aa101.example")
    await Membership.filter(user_id=user.id, organisation__code="AA101").delete()
    body = await gql.post(RERUN, {"input": {"id": to_global_id("Job", lost.id)}}, token)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    row = await Job.get(id=lost.id)
    assert (row.status, row.payload) == (JobStatus.FAILED, {})
    assert row.sealed_input is not None


async def test_an_interrupted_jobs_input_is_purged_after_a_day(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    lost = await lost_job("eo@aa101.example", PEOPLE)
    await interrupted(gql, token, lost)
    clock.advance(interrupted_jobs.RERUN_WINDOW)
    jobs.wake_workers()
    async with asyncio.timeout(10):
        while (await Job.get(id=lost.id)).sealed_input is not None:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    token = await gql.sign_in("eo@aa101.example")
    body = await gql.ok(RERUN, {"input": {"id": to_global_id("Job", lost.id)}}, token)
    assert [e["code"] for e in body["rerunJob"]["errors"]] == ["JOB_NOT_RERUNNABLE"]
    assert "no longer kept" in body["rerunJob"]["errors"][0]["message"]
    assert (await Job.get(id=lost.id)).status is JobStatus.FAILED


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


def test_every_job_kind_is_declared_in_the_one_table() -> None:
    """A module that queues a job names its kind in KIND; the table must run it."""
    queued = {
        module.KIND
        for info in pkgutil.walk_packages(resolvers.__path__, "resolvers.")
        if isinstance(getattr(module := importlib.import_module(info.name), "KIND", None), str)
    }
    assert queued
    assert queued == set(JOB_KINDS)

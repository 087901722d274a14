"""`examdesk worker`: a process that runs queued jobs and delivers the outbox, and no HTTP.

Here the test's own app runs no jobs and delivers no mail (as `serve --no-worker`), so whatever
is done, the worker process did. A worker stopped with SIGTERM hands its running job back to
the queue; one killed outright leaves it to its lease, and a poller fails it as interrupted.
"""

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from examdesk.demo import seed_demo
from examdesk.settings import Settings, SettingsError
from models.jobs import Job, JobStatus
from models.organisations import Organisation
from models.users import User
from policies import Actor, RequestMeta
from resolvers.core import clock, interrupted_jobs, jobs
from resolvers.core.mail import MailTemplate, queue_email
from tests.helpers import blocking_job
from tests.helpers.app import AppFactory
from tests.helpers.mail import Mailbox
from tests.helpers.processes import (
    START_TIMEOUT,
    Examdesk,
    process_env,
    start_examdesk,
    wait_for_output,
)

STARTED = "examdesk worker started"


@pytest.fixture
async def no_worker_app(make_app: AppFactory) -> None:
    await make_app(run_worker=False)
    await seed_demo()


def start_worker(settings: Settings, log: Path, **env: str) -> Examdesk:
    return start_examdesk(
        ["worker"], process_env(settings, **env), log, imports=[blocking_job.__name__]
    )


async def queue_blocking(release: Path) -> int:
    user = await User.get(email="eo@aa101.example")
    centre = await Organisation.get(code="AA101")
    actor = Actor(request=RequestMeta(request_id="test-worker"), user_id=user.id)
    async with in_transaction():
        job = await jobs.enqueue(
            actor, blocking_job.KIND, organisation_id=centre.id, payload={"release": str(release)}
        )
    return job.id


async def job_when(
    worker: Examdesk, job_id: int, *statuses: JobStatus, stage: str | None = None
) -> Job:
    """The job once its status is one of `statuses` (and its stage `stage`), within a minute
    (the worker started meanwhile)."""
    try:
        async with asyncio.timeout(START_TIMEOUT):
            while True:
                job = await Job.get(id=job_id)
                if job.status in statuses and stage in {None, job.stage}:
                    return job
                await asyncio.sleep(0.05)
    except TimeoutError:
        pytest.fail(f"job {job_id} not {statuses} ({stage}):\n{worker.output()}")


async def test_a_worker_runs_jobs_and_hands_its_job_back_when_told_to_stop(
    no_worker_app: None, settings: Settings, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    job_id = await queue_blocking(release)
    first = start_worker(settings, tmp_path / "first-worker.log")
    try:
        await job_when(first, job_id, JobStatus.RUNNING, stage="Waiting for the test")
        first.signal(signal.SIGTERM)
        assert await asyncio.to_thread(first.wait) == 0, first.output()
    finally:
        first.stop()
    job = await Job.get(id=job_id)
    assert (job.status, job.lease_expires_at, job.done, job.runs) == (JobStatus.QUEUED, None, 0, 1)
    assert "handed back to the queue" in first.output()

    second = start_worker(settings, tmp_path / "second-worker.log")
    try:
        await job_when(second, job_id, JobStatus.RUNNING, stage="Waiting for the test")
        await asyncio.to_thread(release.touch)
        job = await job_when(second, job_id, JobStatus.SUCCEEDED, JobStatus.FAILED)
    finally:
        second.stop()
    assert (job.status, job.runs, job.result) == (
        JobStatus.SUCCEEDED,
        2,
        {"pid": second.process.pid},
    )


async def test_a_killed_workers_job_is_failed_as_interrupted_once_its_lease_passes(
    no_worker_app: None, settings: Settings, tmp_path: Path
) -> None:
    job_id = await queue_blocking(tmp_path / "never")
    worker = start_worker(settings, tmp_path / "worker.log")
    try:
        await job_when(worker, job_id, JobStatus.RUNNING, stage="Waiting for the test")
        worker.signal(signal.SIGKILL)
        await asyncio.to_thread(worker.wait)
    finally:
        worker.stop()
    assert (await Job.get(id=job_id)).status is JobStatus.RUNNING
    clock.advance(jobs.LEASE + timedelta(seconds=1))
    assert await interrupted_jobs.interrupt_lost_jobs() == 1
    job = await Job.get(id=job_id)
    assert (job.status, job.error_code) == (JobStatus.FAILED, interrupted_jobs.INTERRUPTED)


async def test_a_worker_delivers_the_outbox(
    no_worker_app: None, settings: Settings, tmp_path: Path, mailbox: Mailbox
) -> None:
    worker = start_worker(
        settings,
        tmp_path / "worker.log",
        EXAMDESK_SMTP_URL=mailbox.url,  # type: ignore[attr-defined]
    )
    try:
        await wait_for_output(worker, STARTED)
        await queue_email(
            "new.person@aa101.example",
            MailTemplate.PASSWORD_RESET,
            first_name="Nia",
            code="123456",
            reset_url="http://examdesk.test/reset",
            expires_in="1 hour",
        )
        [message] = await mailbox.wait_for("new.person@aa101.example")
    finally:
        worker.stop()
    assert "Nia" in message.get_content()


def test_a_server_leaves_the_background_work_to_workers_when_told() -> None:
    assert Settings.from_env({}).run_worker is True
    assert Settings.from_env({"EXAMDESK_NO_WORKER": "0"}).run_worker is True
    assert Settings.from_env({"EXAMDESK_NO_WORKER": "1"}).run_worker is False
    with pytest.raises(SettingsError, match="EXAMDESK_NO_WORKER"):
        Settings.from_env({"EXAMDESK_NO_WORKER": "yes"})

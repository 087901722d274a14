"""Jobs whose process went away: failed as JOB_INTERRUPTED, and run again by their creator.

What re-running means. The job's input (an uploaded file's rows, people's names and emails,
sealed passwords) is what re-running needs, and the creator may no longer have it: a CSV made
for the upload and deleted, or passwords generated for them. So the input is not thrown away at
the interruption, nor kept readable: the payload is emptied as for any job that ends, and a copy
sealed with the server's key (resolvers/credential_secrets.sealer) is kept for RERUN_WINDOW only.
rerunJob puts it back and queues the job again; when the window passes the sealed copy is
purged, and the job can no longer be run again (its creator uploads the file anew). Nothing of
the input outlives the window, and the same rerun works for every kind of job, with the checks
its handler makes (a handler writes in one transaction at its end, so an interrupted run wrote
nothing, and it checks again what may have changed since, such as an email now taken).
"""

import asyncio
import json
import logging
from datetime import timedelta

from cryptography.fernet import InvalidToken
from tortoise.transactions import in_transaction

from models.jobs import Job, JobFile, JobStatus
from models.organisations import Organisation
from policies import Actor, Authorizer, Forbidden, Reason, Target
from resolvers.core import audit, clock, jobs
from resolvers.core.credential_secrets import sealer
from resolvers.core.errors import DomainError, ErrorCode

log = logging.getLogger("examdesk.jobs")

INTERRUPTED = "JOB_INTERRUPTED"
RERUN_WINDOW = timedelta(hours=24)
_SEALED_FOR = "interrupted job input"


def _seal(payload: dict[str, object]) -> str:
    return sealer(_SEALED_FOR).encrypt(json.dumps(payload).encode()).decode()


def _unseal(sealed: str) -> dict[str, object]:
    return json.loads(sealer(_SEALED_FOR).decrypt(sealed.encode()))


async def interrupt_lost_jobs() -> int:
    """Fail the RUNNING jobs whose lease has passed (their process is gone), keeping their input
    sealed for a rerun; purge sealed inputs whose window has passed. Returns how many failed."""
    now = clock.now()
    lost = await Job.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now).only(
        "id", "runs", "payload"
    )
    interrupted = 0
    for job in lost:
        # Up to a few MB (a staff upload's rows): sealed off the event loop.
        sealed = await asyncio.to_thread(_seal, job.payload) if job.payload else None
        # Conditional on the run and the lease, so that two pollers, or a renewal that came
        # meanwhile, cannot fail a job twice or fail a live one.
        interrupted += await Job.filter(
            id=job.id, runs=job.runs, status=JobStatus.RUNNING, lease_expires_at__lt=now
        ).update(
            status=JobStatus.FAILED,
            stage="Interrupted",
            error_code=INTERRUPTED,
            error_message="The job stopped before it finished (the server running it went "
            "away) and changed nothing. Its creator may run it again (rerunJob) within "
            f"{int(RERUN_WINDOW.total_seconds() // 3600)} hours.",
            finished_at=now,
            lease_expires_at=None,
            payload={},
            sealed_input=sealed,
            rerun_until=now + RERUN_WINDOW,
        )
        log.warning("job %s lost its process: failed as %s", job.id, INTERRUPTED)
    await Job.filter(sealed_input__not_isnull=True, rerun_until__lte=now).update(sealed_input=None)
    return interrupted


async def _own_job(actor: Actor, job_id: int) -> Job:
    """The job, if the actor started it and still holds the right it was queued with."""
    Authorizer(actor).require_signed_in()
    job = await Job.get_or_none(id=job_id)
    if job is None or job.created_by_id != actor.user_id:
        # The job runs with its creator's authority: nobody else restarts it, the board
        # included, and others learn nothing of ids that are not theirs.
        raise Forbidden("Only the person who started a job may run it again.", Reason.NOT_YOURS)
    # The handler acts on the authority checked when the job was queued: the creator must
    # still have it there (a person removed from the centre meanwhile reruns nothing).
    permission = jobs.required(job.kind)
    if permission is None:
        raise Forbidden("This kind of job can no longer be run.")
    organisation = (
        await Organisation.get_or_none(id=job.organisation_id) if job.organisation_id else None
    )
    Authorizer(actor).require(*permission, Target.of(organisation) if organisation else None)
    return job


def _check_rerunnable(job: Job) -> None:
    """Only an interrupted job, within its rerun window, runs again."""
    now = clock.now()
    if job.status is not JobStatus.FAILED or job.error_code != INTERRUPTED:
        raise DomainError.one(
            ErrorCode.JOB_NOT_RERUNNABLE,
            "Only a job that was interrupted can be run again; this one "
            + (
                "is still queued or running."
                if job.status in {JobStatus.QUEUED, JobStatus.RUNNING}
                else "ended by itself: start it anew."
            ),
            "input",
            "id",
        )
    if job.rerun_until is None or job.rerun_until <= now:
        raise DomainError.one(
            ErrorCode.JOB_NOT_RERUNNABLE,
            "This job was interrupted too long ago: its input is no longer kept. Start it "
            "anew (upload the file again).",
            "input",
            "id",
        )


async def _sealed_input(job: Job) -> dict[str, object]:
    """The job's input as it was when the job was interrupted."""
    try:
        return await asyncio.to_thread(_unseal, job.sealed_input) if job.sealed_input else {}
    except InvalidToken as exc:
        raise DomainError.one(
            ErrorCode.JOB_NOT_RERUNNABLE,
            "This job's input can no longer be read (the server's key changed). Start it anew.",
            "input",
            "id",
        ) from exc


async def rerun_job(actor: Actor, job_id: int) -> Job:
    """Queue an interrupted job again with its input; only the person who started it may."""
    job = await _own_job(actor, job_id)
    _check_rerunnable(job)
    payload = await _sealed_input(job)
    async with in_transaction():
        # Starts with its write (SQLite), and only if nobody re-ran the job meanwhile.
        requeued = await Job.filter(
            id=job.id, runs=job.runs, status=JobStatus.FAILED, error_code=INTERRUPTED
        ).update(
            status=JobStatus.QUEUED,
            payload=payload,
            sealed_input=None,
            rerun_until=None,
            error_code=None,
            error_message=None,
            result=None,
            done=0,
            stage="Waiting to start",
            started_at=None,
            finished_at=None,
            heartbeat_at=None,
            request_id=actor.request.request_id,
        )
        if not requeued:
            raise DomainError.one(
                ErrorCode.JOB_NOT_RERUNNABLE, "This job has just been run again.", "input", "id"
            )
        # Whatever the lost run attached is not the new run's.
        await JobFile.filter(job_id=job.id).delete()
        await audit.record(
            actor,
            "job.rerun",
            organisation_id=job.organisation_id,
            target_type="Job",
            target_id=job.id,
            before={"status": job.status.value, "errorCode": job.error_code},
            after={"status": JobStatus.QUEUED.value, "kind": job.kind},
        )
    jobs.wake_workers()
    return await Job.get(id=job.id)

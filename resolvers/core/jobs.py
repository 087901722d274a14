"""Background jobs: queue work in a mutation's transaction, run it outside any request.

A job kind is a handler from the module that owns the work, declared with the others in one
table (resolvers/job_kinds.py) that the app installs at start-up. The handler reports
progress, may attach files, and returns a small JSON result; it raises DomainError for an
expected failure. Handlers write to the database in one transaction at their end, so a job
that fails halfway leaves nothing behind; the payload is emptied when the job ends.

Any number of processes run jobs from the one queue (`examdesk worker`, and `examdesk serve`
unless --no-worker): a process claims a job with a conditional UPDATE (QUEUED and the run it
read), which one process alone wins, on SQLite as on PostgreSQL. It then holds a lease on the
job, renewed every RENEW_EVERY while the handler runs. A process that stops (SIGTERM) hands its
job back to the queue (`hand_back`); one that dies stops renewing: once the lease has passed,
any process's poller fails the job as JOB_INTERRUPTED and empties its input
(resolvers/core/interrupted_jobs.py).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tortoise.transactions import in_transaction

from models.jobs import Job, JobFile, JobStatus
from models.users import User
from policies import Actor, Authorizer, RequestMeta, Right
from resolvers.core import clock, rights
from resolvers.core.errors import DomainError, ErrorCode

log = logging.getLogger("examdesk.jobs")

JobHandler = Callable[["JobRun"], Awaitable[dict[str, Any]]]

# A job whose process is gone is seen as such within LEASE plus the poller's interval (a
# minute): three renewals may be missed (a busy database) before a live job is taken for lost.
LEASE = timedelta(seconds=45)
RENEW_EVERY = timedelta(seconds=15)
_PROGRESS_EVERY_SECONDS = 0.25
# How often a follower (the jobProgress subscription) reads a job's progress. The job may run
# in another process, so the row is what tells; its progress is written at most every 0.25 s.
FOLLOW_EVERY_SECONDS = 0.5
ENDED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})
# What a follower is shown again when it changes (not the lease's renewals).
_PROGRESS = ("status", "done", "total", "stage", "error_code", "finished_at", "runs")


@dataclass(frozen=True)
class JobKind:
    handler: JobHandler
    # The (object, action) queuing the job needed at its organisation: its creator must still
    # hold it to follow the job, fetch its files and run it again, since the job acts on the
    # authority checked when it was queued.
    requires: tuple[str, str]


_kinds: dict[str, JobKind] = {}
_listeners: list[Callable[[], None]] = []


def install(kinds: Mapping[str, JobKind]) -> None:
    """Make these kinds known to this process (the app installs resolvers/job_kinds.py)."""
    _kinds.update(kinds)


def required(kind: str) -> tuple[str, str] | None:
    declared = _kinds.get(kind)
    return None if declared is None else declared.requires


def right_of(job: Job) -> Right | None:
    """What following the job and fetching its files needs, at the job's organisation."""
    needed = required(job.kind)
    return None if needed is None else Right(*needed, job.organisation_id)


async def creator_entitled(actor: Actor, job: Job) -> bool:
    """Is the actor the job's creator, still holding the right the job needs?"""
    return bool(await entitled_jobs(actor, [job]))


async def entitled_jobs(actor: Actor, jobs: Iterable[Job]) -> list[Job]:
    """Those of the jobs whose creator the actor is, still holding the right each needs
    (creator_entitled, for many), in one query at most."""
    if actor.user_id is None or actor.is_candidate:
        return []
    own = [(job, right_of(job)) for job in jobs if job.created_by_id == actor.user_id]
    holding = await rights.held(actor, [right for _, right in own if right is not None])
    return [job for job, right in own if right in holding]


def on_enqueue(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` when a job is queued; returns the function that unsubscribes."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def wake_workers() -> None:
    """Tell this process's worker to look now; call it once the queuing transaction is over."""
    for listener in list(_listeners):
        listener()


async def enqueue(
    actor: Actor,
    kind: str,
    *,
    organisation_id: int | None,
    payload: dict[str, Any],
    total: int = 0,
) -> Job:
    """Queue a job; call it inside the transaction of the change that asks for it."""
    if kind not in _kinds:
        raise LookupError(f"no job kind {kind!r} is installed")
    return await Job.create(
        kind=kind,
        organisation_id=organisation_id,
        created_by_id=actor.user_id,
        request_id=actor.request.request_id,
        payload=payload,
        total=total,
        created_at=clock.now(),
    )


@dataclass
class JobRun:
    """What a handler gets: its job, and ways to report progress and keep files."""

    job: Job
    _last_report: float = field(default=0.0)

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        """Record progress; frequent calls are cheap, only a few reach the database."""
        now = time.monotonic()
        changed_stage = stage is not None and stage != self.job.stage
        finished_step = total is not None and done >= total
        self.job.done = done
        if total is not None:
            self.job.total = total
        if stage is not None:
            self.job.stage = stage
        if changed_stage or finished_step or now - self._last_report >= _PROGRESS_EVERY_SECONDS:
            self._last_report = now
            await Job.filter(id=self.job.id, runs=self.job.runs).update(
                done=self.job.done,
                total=self.job.total,
                stage=self.job.stage,
                heartbeat_at=clock.now(),
            )

    async def actor(self) -> Actor:
        """Who queued the job, for its audit events: it runs outside their request, under
        that request's id."""
        user = None
        if self.job.created_by_id is not None:
            user = await User.get_or_none(id=self.job.created_by_id).only("id", "email")
        return Actor(
            request=RequestMeta(request_id=self.job.request_id or f"job-{self.job.id}"),
            user_id=self.job.created_by_id,
            email=user.email if user else None,
        )

    async def add_file(self, name: str, content_type: str, content: bytes) -> JobFile:
        return await JobFile.create(
            job_id=self.job.id,
            name=name,
            content_type=content_type,
            size=len(content),
            content=content,
            created_at=clock.now(),
        )


async def claim_next() -> Job | None:
    """Take the oldest queued job for this process; another process cannot take it too."""
    for job in await Job.filter(status=JobStatus.QUEUED).order_by("id").limit(10):
        now = clock.now()
        claimed = await Job.filter(id=job.id, status=JobStatus.QUEUED, runs=job.runs).update(
            status=JobStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            stage="Started",
            lease_expires_at=now + LEASE,
            runs=job.runs + 1,
        )
        if claimed:
            return await Job.get(id=job.id)
    return None


async def _keep_lease(job: Job) -> None:
    """Renew the lease while the handler runs; it ends with the run (cancelled)."""
    while True:
        await asyncio.sleep(RENEW_EVERY.total_seconds())
        try:
            await Job.filter(id=job.id, runs=job.runs, status=JobStatus.RUNNING).update(
                lease_expires_at=clock.now() + LEASE
            )
        except Exception:
            # A missed renewal is not fatal: the lease outlasts three of them.
            log.exception("job %s: could not renew its lease", job.id)


async def run(job: Job) -> None:
    declared = _kinds.get(job.kind)
    lease = asyncio.create_task(_keep_lease(job), name=f"examdesk-job-{job.id}-lease")
    try:
        if declared is None:
            raise LookupError(f"no job kind {job.kind!r} is installed")
        result = await declared.handler(JobRun(job))
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await hand_back(job)
        raise
    except DomainError as error:
        await _finish(
            job,
            JobStatus.FAILED,
            error_code=str(error.errors[0].code),
            error_message=" ".join(e.message for e in error.errors),
        )
    except Exception:
        log.exception("job %s (%s) failed; queued by request %s", job.id, job.kind, job.request_id)
        await _finish(
            job,
            JobStatus.FAILED,
            error_code="INTERNAL_SERVER_ERROR",
            error_message="The job failed unexpectedly and changed nothing. Quote job "
            f"{job.id} to support.",
        )
    else:
        await _finish(job, JobStatus.SUCCEEDED, result=result)
        # Which process ran which job, when several share the queue.
        log.info("job %s (%s) succeeded", job.id, job.kind)
    finally:
        lease.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await lease


async def hand_back(job: Job) -> bool:
    """Put a job this process stops running (it is shutting down) back in the queue, for another
    process or this one once started again: QUEUED, its lease cleared, its progress and the
    files its run attached dropped. Its handler writes in one transaction at its end, so the
    run stopped here wrote nothing. Whether the job went back (not if it had ended, or been
    taken for lost meanwhile)."""
    async with in_transaction():
        back = await Job.filter(id=job.id, runs=job.runs, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED,
            lease_expires_at=None,
            started_at=None,
            heartbeat_at=None,
            done=0,
            stage="Waiting to start",
        )
        if back:
            await JobFile.filter(job_id=job.id).delete()
    if back:
        log.info("job %s (%s) handed back to the queue: this process is stopping", job.id, job.kind)
    return bool(back)


async def _finish(job: Job, status: JobStatus, **changes: Any) -> None:
    done = job.total if status is JobStatus.SUCCEEDED else job.done
    stage = "Finished" if status is JobStatus.SUCCEEDED else "Failed"
    # The input (an uploaded file, sealed passwords, people's details) is not kept once the
    # job has ended, whatever the end: its result and audit events say what it did. A run
    # that lost its lease and was taken for interrupted still says how it really ended (its
    # writes were committed or rolled back), unless its job has been run again since (runs).
    ended: dict[str, Any] = {"error_code": None, "error_message": None} | changes
    await Job.filter(id=job.id, runs=job.runs).update(
        status=status,
        done=done,
        stage=stage,
        finished_at=clock.now(),
        payload={},
        sealed_input=None,
        rerun_until=None,
        lease_expires_at=None,
        **ended,
    )


async def run_queued() -> int:
    """Run queued jobs one after another until none is left; returns how many ran."""
    ran = 0
    while (job := await claim_next()) is not None:
        await run(job)
        ran += 1
    return ran


async def get_job(actor: Actor, job_id: int) -> Job:
    """A job its creator follows while they hold the right it needs (a creator taken out of the
    centre since is refused); board admins may follow any. Others learn nothing of it."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    job = await Job.get_or_none(id=job_id)
    if job is not None and await creator_entitled(actor, job):
        return job
    authorizer.require("jobs", "read")
    if job is None:
        raise DomainError.one(ErrorCode.NOT_FOUND, "There is no such job.", "id")
    return job


def _progress(job: Job) -> tuple[Any, ...]:
    return tuple(getattr(job, name) for name in _PROGRESS)


async def follow_job(actor_now: Callable[[], Awaitable[Actor]], job: Job) -> AsyncIterator[Job]:
    """`job`, as get_job gave it to its follower, then the job again each time its progress
    changes, until it has ended (the last one yielded is SUCCEEDED or FAILED).

    Who follows is asked for again, and get_job's rules applied, before each change is shown: a
    session that has ended or a right lost since ends the following with get_job's error.
    Between changes, one small read per FOLLOW_EVERY_SECONDS; closing the iterator stops it."""
    while True:
        yield job
        if job.status in ENDED:
            return
        seen = _progress(job)
        while True:
            await asyncio.sleep(FOLLOW_EVERY_SECONDS)
            now = await Job.get_or_none(id=job.id).only("id", *_PROGRESS)
            # A job gone since (its organisation removed) is reported by get_job below.
            if now is None or _progress(now) != seen:
                break
        job = await get_job(await actor_now(), job.id)


async def jobs_by_ids(actor: Actor, job_ids: list[int]) -> dict[int, Job]:
    """Those of the jobs get_job would answer with, in two queries at most; the rest are left
    out."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    found = await Job.filter(id__in=job_ids)
    if not authorizer.allows("jobs", "read"):
        found = await entitled_jobs(actor, found)
    return {job.id: job for job in found}

"""Background jobs: queue work in a mutation's transaction, run it outside any request.

A job kind is a handler registered by the module that owns the work. The handler reports
progress, may attach files, and returns a small JSON result; it raises DomainError for an
expected failure. Handlers write to the database in one transaction at their end, so a job
that fails halfway leaves nothing behind; the payload is emptied when the job ends.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from models.jobs import Job, JobFile, JobStatus
from models.users import User
from policies import Actor, Authorizer, RequestMeta, Right
from resolvers import clock, rights
from resolvers.errors import DomainError, ErrorCode

log = logging.getLogger("examdesk.jobs")

JobHandler = Callable[["JobRun"], Awaitable[dict[str, Any]]]

# A running job reports progress at least this often; one silent for longer lost its process.
STALE_AFTER = timedelta(minutes=10)
_PROGRESS_EVERY_SECONDS = 0.25

_handlers: dict[str, JobHandler] = {}
# The (object, action) a kind's creator must hold at the job's organisation to follow it and
# fetch its files: the same the request that queued it needed, asked again at every look.
_rights: dict[str, tuple[str, str]] = {}
_listeners: list[Callable[[], None]] = []


def register(kind: str, handler: JobHandler, *, right: tuple[str, str]) -> None:
    """`right` is what queuing the job needed at its organisation (object, action)."""
    _handlers[kind] = handler
    _rights[kind] = right


def right_of(job: Job) -> Right | None:
    """What following the job and fetching its files needs, at the job's organisation."""
    needed = _rights.get(job.kind)
    return None if needed is None else Right(*needed, job.organisation_id)


async def creator_entitled(actor: Actor, job: Job) -> bool:
    """Is the actor the job's creator, still holding the right the job needs?"""
    right = right_of(job)
    return (
        actor.user_id is not None and not actor.is_candidate
        and job.created_by_id == actor.user_id
        and right is not None and await rights.holds(actor, right)
    )


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
    if kind not in _handlers:
        raise LookupError(f"no handler registered for job kind {kind!r}")
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
            await Job.filter(id=self.job.id).update(
                done=self.job.done, total=self.job.total, stage=self.job.stage,
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
            user_id=self.job.created_by_id, email=user.email if user else None,
        )

    async def add_file(self, name: str, content_type: str, content: bytes) -> JobFile:
        return await JobFile.create(
            job_id=self.job.id, name=name, content_type=content_type, size=len(content),
            content=content, created_at=clock.now(),
        )


async def claim_next() -> Job | None:
    """Take the oldest queued job for this process; another process cannot take it too."""
    for job in await Job.filter(status=JobStatus.QUEUED).order_by("id").limit(10):
        now = clock.now()
        claimed = await Job.filter(id=job.id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, stage="Started"
        )
        if claimed:
            return await Job.get(id=job.id)
    return None


async def fail_stale() -> int:
    """Mark running jobs whose process went away as failed, so nobody waits for them."""
    return await Job.filter(
        status=JobStatus.RUNNING, heartbeat_at__lt=clock.now() - STALE_AFTER
    ).update(
        status=JobStatus.FAILED,
        error_code="JOB_INTERRUPTED",
        error_message="The job stopped before it finished (the server restarted). Start it again.",
        finished_at=clock.now(),
    )


async def run(job: Job) -> None:
    handler = _handlers.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler registered for job kind {job.kind!r}")
        result = await handler(JobRun(job))
    except DomainError as error:
        await _finish(
            job, JobStatus.FAILED, error_code=str(error.errors[0].code),
            error_message=" ".join(e.message for e in error.errors),
        )
    except Exception:
        log.exception("job %s (%s) failed; queued by request %s", job.id, job.kind, job.request_id)
        await _finish(
            job, JobStatus.FAILED, error_code="INTERNAL_SERVER_ERROR",
            error_message="The job failed unexpectedly and changed nothing. Quote job "
            f"{job.id} to support.",
        )
    else:
        await _finish(job, JobStatus.SUCCEEDED, result=result)


async def _finish(job: Job, status: JobStatus, **changes: Any) -> None:
    done = job.total if status is JobStatus.SUCCEEDED else job.done
    stage = "Finished" if status is JobStatus.SUCCEEDED else "Failed"
    # The input (an uploaded file, sealed passwords, people's details) is not kept once the
    # job has ended, whatever the end: its result and audit events say what it did.
    await Job.filter(id=job.id).update(
        status=status, done=done, stage=stage, finished_at=clock.now(), payload={}, **changes
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

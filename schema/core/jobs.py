"""Background jobs as the API shows them: status and progress to poll, then the result."""

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.jobs import Job
from models.jobs import JobStatus as JobStatusValue
from resolvers.core import downloads, interrupted_jobs
from resolvers.core import jobs as job_cases
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.permissions import SignedIn

JobStatus = strawberry.enum(JobStatusValue)


@strawberry.type(
    name="JobFile",
    description="A file a job made. Download it from `url` with a plain GET (no Authorization "
    "header needed) before `urlExpiresAt`; query the job again for a fresh link.",
)
class JobFileNode(relay.Node):
    id: relay.NodeID[int]
    name: str
    content_type: str
    size: int = strawberry.field(description="In bytes.")
    url: str = strawberry.field(description="A signed link for you alone, valid a few minutes.")
    url_expires_at: datetime

    @classmethod
    def of(cls, link: downloads.FileLink) -> "JobFileNode":
        return cls(
            id=link.file.id,
            name=link.file.name,
            content_type=link.file.content_type,
            size=link.file.size,
            url=link.url,
            url_expires_at=link.expires_at,
        )


@strawberry.type(
    name="Job",
    description="Long work (bulk uploads, PDF batches) running in the background: poll "
    "`job(id)` until the status is SUCCEEDED or FAILED.",
)
class JobNode(relay.Node):
    id: relay.NodeID[int]
    kind: str
    status: JobStatus
    done: int = strawberry.field(description="Items finished so far.")
    total: int = strawberry.field(description="Items to do; 0 until the job knows.")
    stage: str = strawberry.field(description="What the job is doing now, in words.")
    error_code: str | None = strawberry.field(description="Why it FAILED, as a stable code.")
    error_message: str | None
    result: JSON | None = strawberry.field(
        description="What a SUCCEEDED job made; its shape depends on the kind."
    )
    created_at: datetime
    finished_at: datetime | None
    rerunnable_until: datetime | None = strawberry.field(
        description="For a job that FAILED with JOB_INTERRUPTED (its server went away): until "
        "when the person who started it may run it again with rerunJob. Null otherwise."
    )
    job_id: strawberry.Private[int]
    row: strawberry.Private[Job]

    @strawberry.field(description="Percentage done, 0 to 100.")
    def percent(self) -> int:
        if self.status is JobStatusValue.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @strawberry.field(
        description="What a SUCCEEDED job made, with download links; empty before then, and "
        "for anyone but the person who started the job while they hold the right it needed."
    )
    async def files(self, info: Info) -> list[JobFileNode]:
        links = await downloads.job_files(info.context.actor, self.row)
        return [JobFileNode.of(link) for link in links]

    @classmethod
    def of(cls, row: Job) -> "JobNode":
        return cls(
            id=row.id,
            kind=row.kind,
            status=row.status,
            done=row.done,
            total=row.total,
            stage=row.stage,
            error_code=row.error_code,
            error_message=row.error_message,
            result=row.result,
            created_at=row.created_at,
            finished_at=row.finished_at,
            rerunnable_until=row.rerun_until
            if row.error_code == interrupted_jobs.INTERRUPTED
            else None,
            job_id=row.id,
            row=row,
        )


@strawberry.type
class JobQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="A job you started, while you still hold the right starting it needed "
        "(board admins: any job), with its progress.",
    )
    async def job(self, info: Info, id: relay.GlobalID) -> JobNode:
        found = await job_cases.get_job(info.context.actor, node_id(id, "Job", "id"))
        return JobNode.of(found)


@strawberry.input
class RerunJobInput:
    id: relay.GlobalID = strawberry.field(description="A Job's id.")


@strawberry.type
class JobPayload:
    """The answer of a mutation that queues a job: the job to poll, or why there is none."""

    job: JobNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, row: Job) -> Self:
        return cls(job=JobNode.of(row))


def job_payload(name: str, job_description: str) -> type[JobPayload]:
    """A JobPayload under the mutation's own payload name, its `job` described for that job."""
    job = strawberry.field(default=None, description=job_description)
    fields = {"__annotations__": {"job": JobNode | None}, "job": job, "__module__": __name__}
    return strawberry.type(type(name, (JobPayload,), fields), name=name)


RerunJobPayload = job_payload("RerunJobPayload", "QUEUED again, with the same id: poll `job(id)`.")


@strawberry.type
class JobMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Run again a job you started that was interrupted (FAILED with "
        "JOB_INTERRUPTED), with the same input, before its `rerunnableUntil`.",
    )
    async def rerun_job(self, info: Info, input: RerunJobInput) -> RerunJobPayload:
        async def work() -> Job:
            return await interrupted_jobs.rerun_job(
                info.context.actor, node_id(input.id, "Job", "input", "id")
            )

        return await payload(
            RerunJobPayload,
            work(),
            RerunJobPayload.of,
        )


__all__ = [
    "JobFileNode",
    "JobMutations",
    "JobNode",
    "JobPayload",
    "JobQueries",
    "JobStatus",
    "job_payload",
]

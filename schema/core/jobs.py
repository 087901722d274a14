"""Background jobs as the API shows them: status and progress to poll, then the result."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.jobs import Job
from models.jobs import JobStatus as JobStatusValue
from resolvers.core import downloads, interrupted_jobs
from schema.core.context import Info
from schema.core.described import described_enum
from schema.core.downloads import CONTENT_TYPE, FILE_NAME, SIGNED_URL, URL_EXPIRES_AT

JobStatus = described_enum(
    JobStatusValue,
    "Where a background job is: poll `job(id)` until SUCCEEDED or FAILED.",
    {
        JobStatusValue.QUEUED: "Waiting for a worker to pick it up.",
        JobStatusValue.RUNNING: "Being worked on: `done` of `total` items so far.",
        JobStatusValue.SUCCEEDED: "Finished: `result` and `files` hold what it made.",
        JobStatusValue.FAILED: "Stopped: `errorCode` and `errorMessage` say why.",
    },
)


@strawberry.type(
    name="JobFile",
    description="A file a job made. Download it from `url` with a plain GET (no Authorization "
    "header needed) before `urlExpiresAt`; query the job again for a fresh link.",
)
class JobFileNode(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description=FILE_NAME)
    content_type: str = strawberry.field(description=CONTENT_TYPE)
    size: int = strawberry.field(description="In bytes.")
    url: str = strawberry.field(description=SIGNED_URL)
    url_expires_at: datetime = strawberry.field(description=URL_EXPIRES_AT)

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
    kind: str = strawberry.field(
        description="What the job does, as a stable name (e.g. staff_upload, audit.export)."
    )
    status: JobStatus = strawberry.field(description="Where the job is now.")
    done: int = strawberry.field(description="Items finished so far.")
    total: int = strawberry.field(description="Items to do; 0 until the job knows.")
    stage: str = strawberry.field(description="What the job is doing now, in words.")
    error_code: str | None = strawberry.field(description="Why it FAILED, as a stable code.")
    error_message: str | None = strawberry.field(
        description="Why it FAILED, in words for people; null unless FAILED."
    )
    result: JSON | None = strawberry.field(
        description="What a SUCCEEDED job made; its shape depends on the kind."
    )
    created_at: datetime = strawberry.field(description="When it was queued (ISO 8601, UTC).")
    finished_at: datetime | None = strawberry.field(
        description="When it SUCCEEDED or FAILED (ISO 8601, UTC); null while it runs."
    )
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

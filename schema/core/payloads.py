"""Payload shapes several domains answer with: DonePayload for a mutation that only succeeds or
fails, and JobPayload for one that queues a job."""

from typing import Self

import strawberry

from models.jobs import Job
from schema.core.errors import UserError
from schema.core.jobs import JobNode


@strawberry.type
class DonePayload:
    ok: bool = False
    message: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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

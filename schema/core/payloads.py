"""Payload shapes several domains answer with: DonePayload for a mutation that only succeeds or
fails, and JobPayload for one that queues a job."""

from typing import Self

import strawberry

from models.jobs import Job
from schema.core.errors import UserError, errors_field
from schema.core.jobs import JobNode


@strawberry.type(
    description="The answer of a mutation that changes nothing you need to read back: whether "
    "it did it, and why not."
)
class DonePayload:
    ok: bool = strawberry.field(
        default=False, description="True when it was done; false with `errors` saying why not."
    )
    message: str | None = strawberry.field(
        default=None, description="What happened, in words to show the person; may be null."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class JobPayload:
    """The answer of a mutation that queues a job: the job to poll, or why there is none."""

    job: JobNode | None = None
    errors: list[UserError] = errors_field()

    @classmethod
    def of(cls, row: Job) -> Self:
        return cls(job=JobNode.of(row))


def job_payload(name: str, job_description: str) -> type[JobPayload]:
    """A JobPayload under the mutation's own payload name, its `job` described for that job."""
    job = strawberry.field(default=None, description=job_description)
    fields = {"__annotations__": {"job": JobNode | None}, "job": job, "__module__": __name__}
    description = (
        f"The answer of a mutation that queues a job ({name}): the job to poll with `job(id)`, "
        "or, with `job` null, the `errors` saying why none was queued."
    )
    return strawberry.type(type(name, (JobPayload,), fields), name=name, description=description)


RerunJobPayload = job_payload("RerunJobPayload", "QUEUED again, with the same id: poll `job(id)`.")

"""The mutation of the shared plumbing: running an interrupted job again (rerunJob)."""

import strawberry

from models.jobs import Job
from resolvers.core import interrupted_jobs
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.inputs import RerunJobInput
from schema.core.payloads import RerunJobPayload
from schema.core.permissions import SignedIn


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

"""The mutation of the shared plumbing: running an interrupted job again (rerunJob)."""

from typing import Annotated

import strawberry

from models.jobs import Job
from resolvers.core import interrupted_jobs
from schema.core.arguments import INPUT
from schema.core.context import Info
from schema.core.errors import ErrorCode, error_codes, payload
from schema.core.ids import node_id
from schema.core.inputs import RerunJobInput
from schema.core.payloads import RerunJobPayload
from schema.core.permissions import SignedIn


@strawberry.type
class JobMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Run again a job you started that was interrupted (FAILED with JOB_INTERRUPTED), "
            "with the same input, before its `rerunnableUntil`. Any signed-in person, for their "
            "own jobs.",
            ErrorCode.NOT_FOUND,
            ErrorCode.JOB_NOT_RERUNNABLE,
        ),
    )
    async def rerun_job(
        self, info: Info, input: Annotated[RerunJobInput, INPUT]
    ) -> RerunJobPayload:
        async def work() -> Job:
            return await interrupted_jobs.rerun_job(
                info.context.actor, node_id(input.id, "Job", "input", "id")
            )

        return await payload(
            RerunJobPayload,
            work(),
            RerunJobPayload.of,
        )

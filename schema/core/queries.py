"""The root field of the shared plumbing: a job's progress (`job`)."""

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.core import jobs as job_cases
from schema.core.context import Info
from schema.core.ids import node_id
from schema.core.jobs import JobNode
from schema.core.permissions import SignedIn


@strawberry.type
class JobQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="A job you started, while you still hold the right starting it needed "
        "(board admins: any job), with its progress.",
    )
    async def job(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The Job's id, as the mutation that queued it said."),
        ],
    ) -> JobNode:
        found = await job_cases.get_job(info.context.actor, node_id(id, "Job", "id"))
        return JobNode.of(found)

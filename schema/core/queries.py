"""The root fields of the shared plumbing: a job's progress (`job`), and any Node again by
its id (`node`, `nodes`: schema/core/nodes.py)."""

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.core import jobs as job_cases
from schema.core.context import Info
from schema.core.ids import node_id
from schema.core.jobs import JobNode
from schema.core.nodes import MAX_NODES, resolve_nodes
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


@strawberry.type
class NodeQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Any object again by its global id, as its own query shows it (a type "
        "with no query of one object: as its list, or the object or mutation answering it, "
        "shows it; see the README): null if that query would refuse it or find none (the id "
        "does not say which), or if the id is not one we issued.",
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> relay.Node | None:
        return (await resolve_nodes(info, [id]))[0]

    @strawberry.field(
        permission_classes=[SignedIn],
        description=f"Up to {MAX_NODES} objects by their global ids, each as `node` would "
        "answer (null in its place where `node` answers null). Objects of one type are read "
        "in a fixed number of queries, however many are asked for.",
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description=f"Global ids: at most {MAX_NODES} of them."),
        ],
    ) -> list[relay.Node | None]:
        return await resolve_nodes(info, ids)

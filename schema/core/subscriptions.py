"""The Subscription root of the shared plumbing: a job's progress pushed over a WebSocket
(graphql-transport-ws), as `job(id)` shows it."""

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator

import strawberry
from strawberry import relay

from models.jobs import Job
from policies import Actor
from resolvers.core import jobs as job_cases
from schema.core.context import Info
from schema.core.ids import node_id
from schema.core.jobs import JobNode
from schema.core.permissions import SignedIn


async def current_actor(info: Info) -> Actor:
    """The actor as their token says now: over a WebSocket it is read again each time."""
    context = info.context
    if context.reread_actor is not None:
        context.actor = await context.reread_actor()
    return context.actor


@strawberry.type
class JobSubscriptions:
    @strawberry.subscription(
        permission_classes=[SignedIn],
        description="The job `job(id)` would show, now and again each time its progress "
        "changes, until it has ended: the SUCCEEDED or FAILED state comes last, then the "
        "subscription completes. Over a WebSocket with the graphql-transport-ws protocol, the "
        'token in connection_init\'s payload ({"Authorization": "Bearer <token>"}).',
    )
    async def job_progress(self, info: Info, id: relay.GlobalID) -> AsyncGenerator[JobNode, None]:
        # Refused here as job(id) refuses, before the stream starts: the client gets an
        # `error` message for the subscription, as it does for a missing sign-in.
        job = await job_cases.get_job(await current_actor(info), node_id(id, "Job", "id"))
        return _pushed(job_cases.follow_job(lambda: current_actor(info), job))


async def _pushed(rows: AsyncIterator[Job]) -> AsyncGenerator[JobNode, None]:
    # Closed as soon as the client leaves or completes the subscription: no read after that.
    async with contextlib.aclosing(rows):
        async for row in rows:
            yield JobNode.of(row)

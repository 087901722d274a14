"""The test sessions' root fields: a centre's sessions, one session with its entries, and the
test a candidate started."""

from typing import Annotated

import strawberry
from strawberry import relay

from models.test_sessions import TestSessionStatus as TestSessionStatusValue
from resolvers.test_sessions import session_reads, test_start
from schema.core.context import Info
from schema.core.ids import node_id
from schema.core.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection,
    paginate,
)
from schema.core.permissions import SignedIn, TestSitter
from schema.network.dataloaders import OrganisationByIdLoader
from schema.test_sessions.inputs import TestSessionFilter
from schema.test_sessions.types import (
    CandidateTest,
    TestSessionNode,
    fill_series_and_syllabuses,
)


@strawberry.type
class TestSessionQueries:
    # Named for GraphQL, since pytest's linter reads a method named test_* as a test.
    @strawberry.field(
        name="testSessions",
        permission_classes=[SignedIn],
        description="A centre's test sessions by start time, 50 a page by default, for those "
        "who may read its entries.",
    )
    async def centre_test_sessions(
        self,
        info: Info,
        centre_code: Annotated[
            str,
            strawberry.argument(description="The venue's code: a centre or a client venue."),
        ],
        filter: Annotated[
            TestSessionFilter | None,
            strawberry.argument(description="Which sessions; leave out for all of them."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TestSessionNode]:
        criteria = filter or TestSessionFilter()
        context = info.context
        (centre, _), page = await paginate(
            PageArgs(first, after, last, before),
            lambda limit, offset: session_reads.list_test_sessions(
                context.actor,
                centre_code=centre_code,
                status=TestSessionStatusValue(criteria.status.value) if criteria.status else None,
                timing=session_reads.TestSessionTiming(criteria.timing.value)
                if criteria.timing
                else None,
                series_code=criteria.series_code,
                limit=limit,
                offset=offset,
            ),
            lambda answer: answer[1],
            default=50,
        )
        # The sessions' centre and entries need no query for the centre: it is this one. Their
        # series and syllabuses, if asked for, are read for the page at once.
        OrganisationByIdLoader.of(context).prime(centre.id, centre)
        await fill_series_and_syllabuses(info, page.items)
        return connection(page, TestSessionNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="One test session with its entries, for those who may read the entries "
        "at its centre (null for the board if there is none).",
    )
    async def test_session(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The TestSession's id.")],
    ) -> TestSessionNode | None:

        context = info.context
        found = await session_reads.get_test_session(
            context.actor, node_id(id, "TestSession", "id")
        )
        if found is None:
            return None
        OrganisationByIdLoader.of(context).prime(found.centre_id, found.centre)
        return TestSessionNode.of(found)


@strawberry.type
class TestStartQueries:
    @strawberry.field(
        permission_classes=[TestSitter],
        description="Candidates who started a test (startTest): that test. Their token reads "
        "nothing else.",
    )
    async def current_test(self, info: Info) -> CandidateTest:
        return CandidateTest.of(await test_start.current_test(info.context.actor))

"""The test a candidate started."""

import strawberry

from resolvers.test_sessions import test_start
from schema.core.context import Info
from schema.core.permissions import TestSitter
from schema.test_sessions.types import CandidateTest


@strawberry.type
class TestStartQueries:
    @strawberry.field(
        permission_classes=[TestSitter],
        description="Candidates who started a test (startTest): that test. Their token reads "
        "nothing else.",
    )
    async def current_test(self, info: Info) -> CandidateTest:
        return CandidateTest.of(await test_start.current_test(info.context.actor))

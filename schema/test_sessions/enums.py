"""Enums of test sessions: their status, and where they are in time."""

import strawberry

from models.test_sessions import TestSessionStatus as TestSessionStatusValue
from resolvers.test_sessions import session_reads

TestSessionStatus = strawberry.enum(
    TestSessionStatusValue,
    description="SCHEDULED, or CANCELLED: then nobody starts its test with its entry codes.",
)


TestSessionTiming = strawberry.enum(
    session_reads.TestSessionTiming,
    description="Where a session is in time now: UPCOMING (not started), IN_PROGRESS or "
    "FINISHED, whatever its status.",
)

"""Enums of test sessions: their status, and where they are in time."""

from models.test_sessions import TestSessionStatus as TestSessionStatusValue
from resolvers.test_sessions import session_reads
from schema.core.described import described_enum

TestSessionStatus = described_enum(
    TestSessionStatusValue,
    description="SCHEDULED, or CANCELLED: then nobody starts its test with its entry codes.",
    values={
        "SCHEDULED": "Going ahead: its candidates start the test with their entry codes while "
        "it runs (see timing for whether it has started).",
        "CANCELLED": "Cancelled by the exams officer or the board: its entries stay, but no "
        "entry code starts its test and tokens already given stop working.",
    },
)


TestSessionTiming = described_enum(
    session_reads.TestSessionTiming,
    description="Where a session is in time now: UPCOMING (not started), IN_PROGRESS or "
    "FINISHED, whatever its status.",
    values={
        "UPCOMING": "Its start time is still to come (candidates may start 15 minutes early).",
        "IN_PROGRESS": "Started and not yet ended (startsAt <= now < endsAt).",
        "FINISHED": "Its end time has passed: it can no longer be cancelled or entered into, "
        "and its tokens have expired.",
    },
)

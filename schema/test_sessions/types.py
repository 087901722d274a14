"""What a candidate who started a test reads of it."""

from datetime import datetime
from typing import Self

import strawberry

from resolvers.test_sessions.test_start import StartedTest


@strawberry.type(
    description="The test a candidate started with their entry code: their entry in one "
    "session, nothing else."
)
class CandidateTest:
    candidate_name: str
    candidate_number: str
    syllabus_code: str
    syllabus_title: str
    session_name: str
    venue: str = strawberry.field(description="The centre or client venue of the session.")
    starts_at: datetime
    ends_at: datetime = strawberry.field(description="When the test, and its token, end.")

    @classmethod
    def of(cls, test: StartedTest) -> Self:
        entry, session = test.entry, test.session
        return cls(
            candidate_name=entry.candidate.full_name,
            candidate_number=entry.candidate.candidate_number,
            syllabus_code=entry.syllabus.code,
            syllabus_title=entry.syllabus.title,
            session_name=session.name,
            venue=session.centre.name,
            starts_at=session.starts_at,
            ends_at=test.ends_at,
        )

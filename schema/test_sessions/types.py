"""Test sessions as the API shows them: when and where, the syllabus and series, and the
candidates entered with their entry codes; and what a candidate who started a test reads of it."""

from datetime import datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay

from models.exams import EntryStatus as EntryStatusValue
from models.exams import Series, Syllabus
from models.test_sessions import TestSession
from resolvers.test_sessions import session_reads
from resolvers.test_sessions.test_start import StartedTest
from schema.core.context import Info
from schema.core.selections import selects
from schema.core.viewer_can import TestSessionViewerCan
from schema.exams.dataloaders import SeriesByIdLoader, SyllabusByIdLoader
from schema.exams.enums import EntryStatus
from schema.exams.types import CandidateNode, EntryNode, SeriesNode, SyllabusNode
from schema.network.dataloaders import OrganisationByIdLoader, at_centre
from schema.network.types import OrganisationNode, organisation_node
from schema.test_sessions.dataloaders import EntriesByTestSessionIdLoader
from schema.test_sessions.enums import TestSessionStatus, TestSessionTiming

_STARTS_AT = "When the test starts (ISO 8601, UTC)."


def _series_node(series: Series | None) -> SeriesNode:
    assert series is not None  # a foreign key
    return SeriesNode.of(series)


def _syllabus_node(syllabus: Syllabus | None) -> SyllabusNode:
    assert syllabus is not None  # a foreign key
    return SyllabusNode.of(syllabus)


@strawberry.type(
    name="TestSession",
    description="A sitting of one syllabus's test at a venue, at a set time. Candidates "
    "entered into it start the test with their entry code while it runs.",
)
class TestSessionNode(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(
        description="What staff and the log-in sheet call it, e.g. 'Maths 0580, Hall B, "
        "morning'; at most 200 characters."
    )
    starts_at: datetime = strawberry.field(description=_STARTS_AT)
    duration_minutes: int = strawberry.field(description="How long it lasts: 1 to 600 minutes.")
    ends_at: datetime = strawberry.field(description="startsAt plus the duration.")
    status: TestSessionStatus = strawberry.field(description="Scheduled or cancelled.")
    cancelled_at: datetime | None = strawberry.field(
        description="When it was cancelled (ISO 8601, UTC); null unless CANCELLED."
    )
    centre_id: strawberry.Private[int]
    series_id: strawberry.Private[int]
    syllabus_id: strawberry.Private[int]

    @strawberry.field(description="What you may do to this test session.")
    def viewer_can(self, info: Info) -> TestSessionViewerCan:  # type: ignore[valid-type]
        return at_centre(info, self.centre_id, TestSessionViewerCan)

    @strawberry.field(description="Where the session is in time now.")
    def timing(self) -> TestSessionTiming:
        return session_reads.timing_of(self.starts_at, self.ends_at)

    # Not `async`, these three: the list of sessions reads its page's centre, series and
    # syllabuses first; otherwise each returns the awaitable that loads it.
    @strawberry.field(description="The venue: the centre whose candidates sit the test.")
    def centre(self, info: Info) -> OrganisationNode:
        return OrganisationByIdLoader.of(info.context).now_or_later(  # type: ignore[return-value]
            self.centre_id, organisation_node
        )

    @strawberry.field(description="The exam series the entries are made in.")
    def series(self, info: Info) -> SeriesNode:
        return SeriesByIdLoader.of(info.context).now_or_later(  # type: ignore[return-value]
            self.series_id, _series_node
        )

    @strawberry.field(description="The syllabus whose test is sat.")
    def syllabus(self, info: Info) -> SyllabusNode:
        return SyllabusByIdLoader.of(info.context).now_or_later(  # type: ignore[return-value]
            self.syllabus_id, _syllabus_node
        )

    @strawberry.field(
        description="The candidates entered into the session, by candidate number, each with "
        "their entry code and status (withdrawn entries too, unless a status is asked for); "
        "for those who may read the centre's test sessions."
    )
    async def entries(
        self,
        info: Info,
        status: Annotated[
            EntryStatus | None,
            strawberry.argument(description="Only entries in this status; leave out for all."),
        ] = None,
    ) -> list[EntryNode]:
        context = info.context
        centre = await OrganisationByIdLoader.of(context).load(self.centre_id)
        assert centre is not None  # a foreign key: the centre exists
        session_reads.require_sessions_read(context.actor, centre)
        rows = await EntriesByTestSessionIdLoader.of(context).load(self.id)
        if status is not None:
            rows = [r for r in rows if r.entry.status == EntryStatusValue(status.value)]
        if not rows:
            return []
        # Every entry of a session is of its series: one decision for them all.
        visible = session_reads.results_visible(context.actor, centre, rows[0].entry.series)
        return [
            EntryNode.of(
                row.entry,
                candidate=CandidateNode.of(row.candidate),  # type: ignore[arg-type]
                results_visible=visible,
            )
            for row in rows
        ]

    @classmethod
    def of(cls, row: TestSession) -> "TestSessionNode":
        return cls(
            id=row.id,
            name=row.name,
            starts_at=row.starts_at,
            duration_minutes=row.duration_minutes,
            ends_at=row.ends_at,
            status=row.status,
            cancelled_at=row.cancelled_at,
            centre_id=row.centre_id,
            series_id=row.series_id,
            syllabus_id=row.syllabus_id,
        )


async def fill_series_and_syllabuses(info: Info, sessions: list[TestSession]) -> None:
    """Read a page of sessions' series and syllabuses, those the query asks for, one batch
    each, so that no row's `series` or `syllabus` awaits."""
    context = info.context
    if sessions and selects(info, "series", deep=True):
        await SeriesByIdLoader.of(context).fill(sorted({s.series_id for s in sessions}))
    if sessions and selects(info, "syllabus", deep=True):
        await SyllabusByIdLoader.of(context).fill(sorted({s.syllabus_id for s in sessions}))


@strawberry.type(
    description="The test a candidate started with their entry code: their entry in one "
    "session, nothing else."
)
class CandidateTest:
    candidate_name: str = strawberry.field(description="The candidate's first and last name.")
    candidate_number: str = strawberry.field(
        description="Their candidate number at the centre, e.g. 0042."
    )
    syllabus_code: str = strawberry.field(description="The syllabus's code, e.g. 0580.")
    syllabus_title: str = strawberry.field(description="The syllabus's title, e.g. Mathematics.")
    session_name: str = strawberry.field(description="The session's name, as the centre gave it.")
    venue: str = strawberry.field(description="The centre or client venue of the session.")
    starts_at: datetime = strawberry.field(description=_STARTS_AT)

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

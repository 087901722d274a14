"""Finding test sessions: one by id for an actor allowed there, a centre's sessions as a page,
and where a session is in time."""

from datetime import datetime
from enum import StrEnum

from models.exams import Series
from models.organisations import Organisation
from models.test_sessions import TestSession, TestSessionStatus
from policies import ELSEWHERE, Actor, Authorizer, Target
from resolvers.core import clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.exam_lookups import find_series
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page
from resolvers.exams import entries as entry_cases


class TestSessionTiming(StrEnum):
    UPCOMING = "UPCOMING"
    IN_PROGRESS = "IN_PROGRESS"
    FINISHED = "FINISHED"


TestSessionTiming.__test__ = False  # type: ignore[attr-defined]


def timing_of(starts_at: datetime, ends_at: datetime) -> TestSessionTiming:
    now = clock.now()
    if now < starts_at:
        return TestSessionTiming.UPCOMING
    if now < ends_at:
        return TestSessionTiming.IN_PROGRESS
    return TestSessionTiming.FINISHED


async def find_test_session(actor: Actor, session_id: int, act: str, *field: str) -> TestSession:
    """The session, with its centre, series and syllabus, if the actor may `act` on test
    sessions at its centre. As for entries, only the board learns that an id does not exist."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    session = await TestSession.get_or_none(id=session_id).select_related(
        "centre", "series", "syllabus"
    )
    if session is None:
        if authorizer.allows("organisations", "list"):
            raise DomainError.one(
                ErrorCode.TEST_SESSION_NOT_FOUND, "There is no such test session.", *field
            )
        raise authorizer.refusal("test_sessions", act, ELSEWHERE)
    authorizer.require("test_sessions", act, Target.of(session.centre))
    return session


async def find_managed_session(actor: Actor, session_id: int) -> TestSession:
    """The session, if the actor may manage test sessions at its centre and the centre is not
    soft-deleted (nothing changes there until the deletion is undone)."""
    session = await find_test_session(actor, session_id, "manage", "input", "testSessionId")
    if session.centre.deleted_at is not None:
        raise DomainError.one(
            ErrorCode.ORGANISATION_DELETED,
            f"{session.centre.name} is deleted.",
            "input",
            "testSessionId",
        )
    return session


async def get_test_session(actor: Actor, session_id: int) -> TestSession | None:
    """The session for those who may read test sessions at its centre; None (for the board)
    if there is none."""
    try:
        return await find_test_session(actor, session_id, "read", "id")
    except DomainError:
        return None


async def test_sessions_by_ids(actor: Actor, session_ids: list[int]) -> dict[int, TestSession]:
    """Those of the sessions get_test_session would answer with, in one query."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    found = await TestSession.filter(id__in=session_ids).select_related(
        "centre", "series", "syllabus"
    )
    return {
        session.id: session
        for session in found
        if authorizer.allows("test_sessions", "read", Target.of(session.centre))
    }


def require_sessions_read(actor: Actor, centre: Organisation) -> None:
    """Refuse unless the actor may read the test sessions (and so their entries) at the
    centre; the Authorizer keeps the decision for the request, so every row asks for free."""
    Authorizer(actor).require("test_sessions", "read", Target.of(centre))


def results_visible(actor: Actor, centre: Organisation, series: Series) -> bool:
    """Whether a session's entries show their results to the actor now, as the entries list."""
    return entry_cases.results_visible(actor, centre, series)


async def list_test_sessions(
    actor: Actor,
    *,
    centre_code: str,
    status: TestSessionStatus | None = None,
    timing: TestSessionTiming | None = None,
    series_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Organisation, Page[TestSession]]:
    """A centre's test sessions, by start time."""
    centre = await require_organisation(actor, centre_code, "test_sessions", "read", "centreCode")
    check_page(limit, offset)
    query = TestSession.filter(centre_id=centre.id)
    if status is not None:
        query = query.filter(status=status)
    if series_code:
        series = await find_series(series_code, "filter", "seriesCode")
        query = query.filter(series_id=series.id)
    now = clock.now()
    if timing is TestSessionTiming.UPCOMING:
        query = query.filter(starts_at__gt=now)
    elif timing is TestSessionTiming.IN_PROGRESS:
        query = query.filter(starts_at__lte=now, ends_at__gt=now)
    elif timing is TestSessionTiming.FINISHED:
        query = query.filter(ends_at__lte=now)
    total = await query.count()
    items = await query.order_by("starts_at", "id").offset(offset).limit(limit)
    return centre, Page(items=list(items), total=total, offset=offset)

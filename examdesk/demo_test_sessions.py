"""The demo's test session: one running at AA101 when the demo is created, holding two
candidates' entries, so that their entry codes (with the demo candidates' password,
examdesk.demo.DEMO_CANDIDATE_PASSWORD) start its test."""

from dataclasses import dataclass
from datetime import timedelta

from models.exams import Entry, Series, Syllabus
from models.organisations import Organisation
from models.test_sessions import TestSession
from resolvers.core import clock

DEMO_TEST_SESSION = "Mathematics 0580, Hall A"
_TEST_SESSION_CANDIDATES = ("0002", "0004")


@dataclass(frozen=True)
class DemoTestSessionEntry:
    username: str
    entry_code: str
    status: str


async def seed_test_session(centre: Organisation, upcoming: Series) -> None:
    """The session, started ten minutes before the demo was created and three hours long, at
    AA101 for Mathematics in the upcoming series; the two candidates' entries for it (made with
    their entry codes with the rest of the demo's exams) are placed in it."""
    syllabus = await Syllabus.get(code="0580")
    session = await TestSession.create(
        centre=centre,
        series=upcoming,
        syllabus=syllabus,
        name=DEMO_TEST_SESSION,
        starts_at=clock.now() - timedelta(minutes=10),
        duration_minutes=180,
    )
    entry_ids = await Entry.filter(
        candidate__centre_id=centre.id,
        candidate__candidate_number__in=_TEST_SESSION_CANDIDATES,
        series_id=upcoming.id,
        syllabus_id=syllabus.id,
    ).values_list("id", flat=True)
    await Entry.filter(id__in=list(entry_ids)).update(test_session_id=session.id)


async def demo_test_session_entries() -> list[DemoTestSessionEntry]:
    """The demo test session's candidates, as the demo prints them."""
    rows = (
        await Entry.filter(test_session__name=DEMO_TEST_SESSION, candidate__centre__code="AA101")
        .order_by("candidate__candidate_number")
        .values_list("candidate__username", "entry_code", "status")
    )
    return [DemoTestSessionEntry(str(u), str(c), str(getattr(s, "value", s))) for u, c, s in rows]

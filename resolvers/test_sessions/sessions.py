"""Creating, changing and cancelling test sessions. The exams officer of the venue (or of its
associate) manages them, as they manage its entries; the board may too."""

from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.exams import Entry
from models.test_sessions import TestSession, TestSessionStatus
from policies import Actor
from policies.viewer_can import MANAGE_TEST_SESSIONS
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.network.organisations import require_centre
from resolvers.test_sessions.session_reads import find_managed_session
from resolvers.test_sessions.session_rules import (
    check_duration,
    check_name,
    check_series,
    check_syllabus,
    check_times,
    refuse_cancelled,
    refuse_finished,
)


def snapshot(session: TestSession) -> dict[str, Any]:
    return {
        "name": session.name,
        "series": session.series_id,
        "syllabus": session.syllabus_id,
        "startsAt": session.starts_at.isoformat(),
        "durationMinutes": session.duration_minutes,
        "status": session.status.value,
    }


async def create_test_session(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    syllabus_code: str,
    name: str,
    starts_at: datetime,
    duration_minutes: int,
) -> TestSession:
    """A session of the syllabus's test at the centre (the venue), in the series."""
    centre = await require_centre(actor, centre_code, *MANAGE_TEST_SESSIONS, "input", "centreCode")
    errors: list[UserError] = []
    cleaned = check_name(name, errors)
    check_duration(duration_minutes, errors)
    check_times(starts_at, duration_minutes, errors)
    series = await check_series(series_code, errors)
    syllabus = await check_syllabus(syllabus_code, errors)
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        session = await TestSession.create(
            centre=centre,
            series=series,
            syllabus=syllabus,
            name=cleaned,
            # In UTC, as every time the API answers with, whatever zone it was given in.
            starts_at=starts_at.astimezone(UTC),
            duration_minutes=duration_minutes,
        )
        await audit.record(
            actor,
            "test_session.create",
            organisation_id=centre.id,
            target_type="TestSession",
            target_id=session.id,
            after=snapshot(session),
        )
    return session


async def update_test_session(
    actor: Actor,
    *,
    session_id: int,
    name: str | None = None,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    series_code: str | None = None,
    syllabus_code: str | None = None,
) -> TestSession:
    """Change what is given; the rest stays. Not once cancelled, and not the series or syllabus
    once candidates are entered (their entries are for them)."""
    session = await find_managed_session(actor, session_id)
    refuse_cancelled(session, "change")
    before = snapshot(session)
    errors: list[UserError] = []
    if name is not None:
        session.name = check_name(name, errors)
    if starts_at is not None or duration_minutes is not None:
        session.starts_at = starts_at or session.starts_at
        session.duration_minutes = duration_minutes or session.duration_minutes
        if duration_minutes is not None:
            check_duration(duration_minutes, errors)
        check_times(session.starts_at, session.duration_minutes, errors)
    exam_field = _exam_field(series_code, syllabus_code)
    if exam_field is not None:
        await _change_exam(session, series_code, syllabus_code, exam_field, errors)
    if errors:
        raise DomainError(errors)
    session.starts_at = session.starts_at.astimezone(UTC)
    async with in_transaction():
        await session.save()
        # Again under the write: a candidate entered since the check above keeps the exam.
        if exam_field is not None and await Entry.exists(test_session_id=session.id):
            raise DomainError([_has_entries(session, exam_field)])
        await audit.record(
            actor,
            "test_session.update",
            organisation_id=session.centre_id,
            target_type="TestSession",
            target_id=session.id,
            before=before,
            after=snapshot(session),
        )
    return session


def _exam_field(series_code: str | None, syllabus_code: str | None) -> str | None:
    """The input that changes the session's exam, if one does."""
    if series_code is not None:
        return "seriesCode"
    return "syllabusCode" if syllabus_code is not None else None


def _has_entries(session: TestSession, field: str) -> UserError:
    return UserError(
        ErrorCode.TEST_SESSION_HAS_ENTRIES,
        f"Candidates are entered into {session.name}: its series and syllabus stay. "
        "Withdrawn entries count too; create another session instead.",
        ("input", field),
    )


async def _change_exam(
    session: TestSession,
    series_code: str | None,
    syllabus_code: str | None,
    field: str,
    errors: list[UserError],
) -> None:
    if await Entry.exists(test_session_id=session.id):
        errors.append(_has_entries(session, field))
        return
    if series_code is not None and (series := await check_series(series_code, errors)):
        session.series = series
    if syllabus_code is not None and (syllabus := await check_syllabus(syllabus_code, errors)):
        session.syllabus = syllabus


async def cancel_test_session(actor: Actor, *, session_id: int) -> TestSession:
    """Cancel the session: its entries stay (and may be withdrawn), but nobody starts its test."""
    session = await find_managed_session(actor, session_id)
    refuse_cancelled(session, "cancel")
    refuse_finished(session, "cancel")
    async with in_transaction():
        session.status = TestSessionStatus.CANCELLED
        session.cancelled_at = clock.now()
        await session.save(update_fields=["status", "cancelled_at"])
        await audit.record(
            actor,
            "test_session.cancel",
            organisation_id=session.centre_id,
            target_type="TestSession",
            target_id=session.id,
            before={"status": TestSessionStatus.SCHEDULED.value},
            after={"status": TestSessionStatus.CANCELLED.value},
        )
    return session

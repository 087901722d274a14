"""What a test session's details must be: a name, a start time with its zone, a duration, and
a series and syllabus that exist. Each check adds its errors to a list, so that a form hears of
every mistake at once."""

from datetime import datetime

from models.exams import Series, Syllabus
from models.test_sessions import TestSession, TestSessionStatus, session_end
from resolvers.core import clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series

MAX_NAME = 200  # models.test_sessions.TestSession.name
MIN_DURATION = 1
# Ten hours: longer than any sitting, short enough that a typo of minutes for seconds shows.
MAX_DURATION = 600


def _input(name: str) -> tuple[str, ...]:
    return ("input", name)


def check_name(name: str, errors: list[UserError]) -> str:
    cleaned = name.strip()
    if not cleaned:
        errors.append(
            UserError(ErrorCode.NAME_REQUIRED, "Give the session a name.", _input("name"))
        )
    elif len(cleaned) > MAX_NAME:
        errors.append(
            UserError(
                ErrorCode.INPUT_TOO_LONG,
                f"The name may have at most {MAX_NAME} characters.",
                _input("name"),
            )
        )
    return cleaned


def check_duration(minutes: int, errors: list[UserError]) -> None:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        errors.append(
            UserError(
                ErrorCode.DURATION_INVALID,
                f"The duration must be from {MIN_DURATION} to {MAX_DURATION} minutes.",
                _input("durationMinutes"),
            )
        )


def check_times(starts_at: datetime, minutes: int, errors: list[UserError]) -> None:
    """A start with its time zone, for a session not over already (the duration checked)."""
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                "Give the start time with its time zone, e.g. 2026-11-23T09:00Z.",
                _input("startsAt"),
            )
        )
        return
    if MIN_DURATION <= minutes <= MAX_DURATION and session_end(starts_at, minutes) <= clock.now():
        errors.append(
            UserError(
                ErrorCode.TEST_SESSION_ENDED,
                "That session would be over already: give a later start time.",
                _input("startsAt"),
            )
        )


async def check_series(code: str, errors: list[UserError]) -> Series | None:
    try:
        return await find_series(code, *_input("seriesCode"))
    except DomainError as error:
        errors.extend(error.errors)
        return None


async def check_syllabus(code: str, errors: list[UserError]) -> Syllabus | None:
    syllabus = await Syllabus.get_or_none(code=code.strip().upper())
    if syllabus is None:
        errors.append(
            UserError(
                ErrorCode.SYLLABUS_NOT_FOUND,
                f"There is no syllabus {code!r}.",
                _input("syllabusCode"),
            )
        )
    return syllabus


def is_finished(session: TestSession) -> bool:
    return session.ends_at <= clock.now()


def refuse_cancelled(session: TestSession, doing: str) -> None:
    if session.status is TestSessionStatus.CANCELLED:
        raise DomainError.one(
            ErrorCode.TEST_SESSION_CANCELLED,
            f"{session.name} is cancelled: you cannot {doing} it.",
            "input",
            "testSessionId",
        )


def refuse_finished(session: TestSession, doing: str) -> None:
    if is_finished(session):
        raise DomainError.one(
            ErrorCode.TEST_SESSION_ENDED,
            f"{session.name} is over: you cannot {doing} it.",
            "input",
            "testSessionId",
        )

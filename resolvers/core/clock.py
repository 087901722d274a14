"""The one source of the current time, so that tests can move it."""

from datetime import UTC, datetime, timedelta

_offset = timedelta()


def now() -> datetime:
    return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests of expiry and release times)."""
    global _offset
    _offset += delta


def travel_to(moment: datetime) -> None:
    """Make it `moment` now; time goes on from there (tests, demo runs on a fixed day)."""
    global _offset
    _offset = moment - datetime.now(UTC)


def reset() -> None:
    global _offset
    _offset = timedelta()

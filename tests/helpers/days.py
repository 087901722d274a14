"""The day every test starts on, whatever the calendar says (tests/conftest.py explains why)."""

from datetime import UTC, datetime

TEST_DAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

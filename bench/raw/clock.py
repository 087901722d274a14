"""The raw endpoint's one source of the current time, so that a test can put it on examdesk's
clock (which tests move), as examdesk's resolvers/core/clock.py is for examdesk."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)

"""Test sessions (the test portal): a sitting of one syllabus's test at one venue, at a set time,
and the candidates' starts of it."""

from datetime import datetime, timedelta
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.exams import Candidate, Entry, Series, Syllabus
from models.organisations import Organisation


class TestSessionStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"


# Domain names, not pytest classes: tests that import them must not try to collect them. Set
# after the class, since inside an enum the attribute would become a member.
TestSessionStatus.__test__ = False  # type: ignore[attr-defined]


class TestSession(Model):
    """Candidates are entered into a session and start its test with their entry code while
    it runs. The venue is the centre the candidates belong to: a centre, or one of an
    associate's client venues."""

    __test__ = False  # a domain name, not a pytest class

    id = fields.IntField(primary_key=True)
    centre: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="test_sessions", on_delete=fields.RESTRICT
    )
    centre_id: int
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="test_sessions", on_delete=fields.RESTRICT
    )
    series_id: int
    syllabus: fields.ForeignKeyRelation[Syllabus] = fields.ForeignKeyField(
        "models.Syllabus", related_name="test_sessions", on_delete=fields.RESTRICT
    )
    syllabus_id: int
    name = fields.CharField(max_length=200)
    starts_at = fields.DatetimeField()
    duration_minutes = fields.SmallIntField()
    status = fields.CharEnumField(
        TestSessionStatus, max_length=16, default=TestSessionStatus.SCHEDULED
    )
    cancelled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "test_session"
        ordering = ["starts_at", "id"]


def session_ends_at(session: TestSession) -> datetime:
    """When the session's test is over, and with it every token given to sit it."""
    return session.starts_at + timedelta(minutes=session.duration_minutes)


class TestSitting(Model):
    """A candidate's start of their session's test (resolvers/test_sessions/test_start.py): the
    token they sit it with, stored hashed, good for that one entry until the session ends, and
    no longer once the entry is withdrawn or the session cancelled (checked on every use)."""

    __test__ = False  # a domain name, not a pytest class

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="test_sittings", on_delete=fields.CASCADE
    )
    entry_id: int
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "test_sitting"


class TestStartLock(Model):
    """A candidate's failed test starts in a row: the MAX_FAILURES-th locks their starts for a
    while, whichever of their entry codes was typed. Written on the first failure only."""

    __test__ = False  # a domain name, not a pytest class

    id = fields.IntField(primary_key=True)
    candidate: fields.OneToOneRelation[Candidate] = fields.OneToOneField(
        "models.Candidate", related_name="test_start_lock", on_delete=fields.CASCADE
    )
    candidate_id: int
    failed_attempts = fields.SmallIntField(default=0)
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "test_start_lock"

"""Test sessions (the test portal's "Sessions"): a sitting of one syllabus's test at one venue,
at a set time."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.exams import Series, Syllabus
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

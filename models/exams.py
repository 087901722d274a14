"""Exam series, syllabuses, candidates, their entries and results."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.organisations import Organisation
from models.search import SearchableName, SearchableText
from models.usernames import KeyedUsername


class SeriesMonth(StrEnum):
    MARCH = "MARCH"
    JUNE = "JUNE"
    NOVEMBER = "NOVEMBER"


# The month's number, so series sort by time and not by the spelling of the month.
MONTH_NUMBERS: dict[SeriesMonth, int] = {
    SeriesMonth.MARCH: 3,
    SeriesMonth.JUNE: 6,
    SeriesMonth.NOVEMBER: 11,
}


class Series(Model):
    """An exam series such as 2026-JUN, with its key times."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=16, unique=True)
    month = fields.CharEnumField(SeriesMonth, max_length=16)
    month_number = fields.SmallIntField()
    year = fields.SmallIntField()
    # From when centres may create candidates' results credentials.
    credentials_open_at = fields.DatetimeField()
    # From when centres (and, later, candidates) may see the results.
    results_release_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "series"
        unique_together = (("year", "month"),)
        ordering = ["-year", "-month_number"]


class Syllabus(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=16, unique=True)
    title = fields.CharField(max_length=200)

    class Meta:
        table = "syllabus"
        ordering = ["code"]


class Candidate(SearchableName, SearchableText, KeyedUsername, Model):
    """A candidate at one centre, known there by number and by username."""

    SEARCHED = ("first_name", "last_name", "candidate_number", "uci", "username")

    id = fields.IntField(primary_key=True)
    centre: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="candidates", on_delete=fields.RESTRICT
    )
    centre_id: int
    # Four digits, zero-padded, so that ordering the text orders the numbers.
    candidate_number = fields.CharField(max_length=4)
    # One candidate's across the board (upper-case); a unique index lets no two requests give
    # it to two candidates, and candidates without one (NULL) never clash.
    uci = fields.CharField(max_length=20, null=True, unique=True)
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    username = fields.CharField(max_length=500)
    password_hash = fields.CharField(max_length=255)
    # The centre's chosen password, sealed (resolvers/core/candidate_passwords.py) so that the
    # log-in sheet can print it; NULL for candidates created before it was kept.
    password_sealed = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "candidate"
        # One candidate per username at a centre, whatever its case: the key (models/usernames.py)
        # is unique, so two requests at once can never make two candidates of one person.
        unique_together = (("centre", "candidate_number"), ("centre", "username_key"))
        ordering = ["centre_id", "candidate_number"]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CandidateNumberLock(Model):
    """One row per centre, written first by each transaction that picks a candidate number
    there (resolvers/exams/candidates.py): PostgreSQL then runs them one after another (the
    row lock) and SQLite under its write lock, so two entries at once never pick the same
    number. It holds no number itself: the candidates are the truth."""

    id = fields.IntField(primary_key=True)
    centre: fields.OneToOneRelation[Organisation] = fields.OneToOneField(
        "models.Organisation", related_name="candidate_number_lock", on_delete=fields.CASCADE
    )
    centre_id: int
    taken_at = fields.DatetimeField()

    class Meta:
        table = "candidate_number_lock"


class EntryStatus(StrEnum):
    ENTERED = "ENTERED"
    WITHDRAWN = "WITHDRAWN"


class Entry(Model):
    """A candidate entered for one syllabus in one series."""

    id = fields.IntField(primary_key=True)
    candidate: fields.ForeignKeyRelation[Candidate] = fields.ForeignKeyField(
        "models.Candidate", related_name="entries", on_delete=fields.RESTRICT
    )
    candidate_id: int
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="entries", on_delete=fields.RESTRICT
    )
    series_id: int
    syllabus: fields.ForeignKeyRelation[Syllabus] = fields.ForeignKeyField(
        "models.Syllabus", related_name="entries", on_delete=fields.RESTRICT
    )
    syllabus_id: int
    # Set for an entry made into a test session (the test portal); the session's series and syllabus
    # are the entry's.
    # Typed as any model: models/test_sessions.py builds on this module, which may not import it
    # back (no two modules import each other, not even for type checking).
    test_session: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.TestSession", related_name="entries", null=True, on_delete=fields.RESTRICT
    )
    test_session_id: int | None
    status = fields.CharEnumField(EntryStatus, max_length=16, default=EntryStatus.ENTERED)
    withdrawn_at = fields.DatetimeField(null=True)
    # Shown and stored as XXXX-XXXX; the candidate types it to sit the test.
    entry_code = fields.CharField(max_length=9, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "entry"
        unique_together = (("candidate", "series", "syllabus"),)


class Result(Model):
    """The result of one entry, loaded by the board."""

    id = fields.IntField(primary_key=True)
    entry: fields.OneToOneRelation[Entry] = fields.OneToOneField(
        "models.Entry", related_name="result", on_delete=fields.CASCADE
    )
    entry_id: int
    grade = fields.CharField(max_length=4)
    mark = fields.SmallIntField(null=True)
    loaded_at = fields.DatetimeField()

    class Meta:
        table = "result"

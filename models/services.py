"""The centre services: Submit for Assessment and Apply for Access Arrangements.

Their files are StoredFile rows owned by ("Submission", id) or ("AccessArrangementApplication",
id): the permission to fetch one is the permission to read what owns it.
"""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.exams import Candidate, Series, Syllabus
from models.organisations import Organisation
from models.users import User

SUBMISSION_FILE_OWNER = "Submission"
APPLICATION_FILE_OWNER = "AccessArrangementApplication"


class SubmissionKind(StrEnum):
    WORK = "WORK"
    SAMPLE = "SAMPLE"


class SubmissionStatus(StrEnum):
    # Received by the board; assessing it is the board's business, outside examdesk.
    SUBMITTED = "SUBMITTED"


class Submission(Model):
    """Candidate work or a sample, uploaded for a syllabus in a series."""

    id = fields.IntField(primary_key=True)
    centre: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="submissions", on_delete=fields.RESTRICT
    )
    centre_id: int
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="submissions", on_delete=fields.RESTRICT
    )
    series_id: int
    syllabus: fields.ForeignKeyRelation[Syllabus] = fields.ForeignKeyField(
        "models.Syllabus", related_name="submissions", on_delete=fields.RESTRICT
    )
    syllabus_id: int
    kind = fields.CharEnumField(SubmissionKind, max_length=16)
    candidate: fields.ForeignKeyNullableRelation[Candidate] = fields.ForeignKeyField(
        "models.Candidate", related_name="submissions", null=True, on_delete=fields.RESTRICT
    )
    candidate_id: int | None
    note = fields.TextField(null=True)
    submitted_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="submissions", on_delete=fields.RESTRICT
    )
    submitted_by_id: int
    submitted_at = fields.DatetimeField()
    status = fields.CharEnumField(
        SubmissionStatus, max_length=16, default=SubmissionStatus.SUBMITTED
    )

    class Meta:
        table = "submission"
        indexes = (("centre_id", "submitted_at"),)


class ArrangementType(StrEnum):
    EXTRA_TIME_25 = "EXTRA_TIME_25"
    EXTRA_TIME_50 = "EXTRA_TIME_50"
    READER = "READER"
    SCRIBE = "SCRIBE"
    WORD_PROCESSOR = "WORD_PROCESSOR"
    SEPARATE_ROOM = "SEPARATE_ROOM"
    OTHER = "OTHER"


class ApplicationStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    WITHDRAWN = "WITHDRAWN"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class AccessArrangementApplication(Model):
    """A centre's application for one arrangement for one candidate in one series."""

    id = fields.IntField(primary_key=True)
    centre: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="access_arrangements", on_delete=fields.RESTRICT
    )
    centre_id: int
    candidate: fields.ForeignKeyRelation[Candidate] = fields.ForeignKeyField(
        "models.Candidate", related_name="access_arrangements", on_delete=fields.RESTRICT
    )
    candidate_id: int
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="access_arrangements", on_delete=fields.RESTRICT
    )
    series_id: int
    arrangement = fields.CharEnumField(ArrangementType, max_length=24)
    reasons = fields.TextField()
    status = fields.CharEnumField(
        ApplicationStatus, max_length=16, default=ApplicationStatus.SUBMITTED
    )
    applicant: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="access_arrangement_applications", on_delete=fields.RESTRICT
    )
    applicant_id: int
    submitted_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User",
        related_name="access_arrangement_decisions",
        null=True,
        on_delete=fields.RESTRICT,
    )
    decided_by_id: int | None
    decided_at = fields.DatetimeField(null=True)
    decision_note = fields.TextField(null=True)

    class Meta:
        table = "access_arrangement_application"
        indexes = (("centre_id", "status"), ("status", "submitted_at"))

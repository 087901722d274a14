"""Staff training: assessments the board publishes, their sections and questions,
staff attempts, certificates, and the assessments a Centre Admin hides from an invigilator."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.organisations import Organisation
from models.users import User


class Audience(StrEnum):
    ALL_STAFF = "ALL_STAFF"
    INVIGILATORS = "INVIGILATORS"


class Assessment(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    audience = fields.CharEnumField(Audience, max_length=16)
    # Null until the board publishes it; staff see published assessments only.
    published_at = fields.DatetimeField(null=True)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "assessment"

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Section(Model):
    id = fields.IntField(primary_key=True)
    assessment: fields.ForeignKeyRelation[Assessment] = fields.ForeignKeyField(
        "models.Assessment", related_name="sections", on_delete=fields.CASCADE
    )
    assessment_id: int
    order = fields.IntField()
    title = fields.CharField(max_length=200)
    # Minutes allowed from the start; null for an untimed section.
    duration_minutes = fields.IntField(null=True)
    pass_mark = fields.IntField()
    question_count = fields.IntField()

    class Meta:
        table = "assessment_section"
        unique_together = (("assessment", "order"),)


class Question(Model):
    id = fields.IntField(primary_key=True)
    section: fields.ForeignKeyRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name="questions", on_delete=fields.CASCADE
    )
    section_id: int
    order = fields.IntField()
    text = fields.TextField()
    options: list[str] = fields.JSONField()  # type: ignore[assignment]
    # Indexes into options; an answer is right when it picks exactly these.
    correct: list[int] = fields.JSONField()  # type: ignore[assignment]

    class Meta:
        table = "assessment_question"
        unique_together = (("section", "order"),)


class Attempt(Model):
    """One go at a section, at the centre where it was taken. Failed attempts are kept."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assessment_attempts", on_delete=fields.CASCADE
    )
    user_id: int
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="assessment_attempts", on_delete=fields.CASCADE
    )
    organisation_id: int
    section: fields.ForeignKeyRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name="attempts", on_delete=fields.CASCADE
    )
    section_id: int
    started_at = fields.DatetimeField()
    submitted_at = fields.DatetimeField(null=True)
    # The chosen option indexes, one list per question in order.
    answers: list[list[int]] | None = fields.JSONField(null=True)  # type: ignore[assignment]
    score = fields.IntField(null=True)
    passed = fields.BooleanField(default=False)
    # Submitted after the section's duration (and the grace): failed whatever the score.
    timed_out = fields.BooleanField(default=False)

    class Meta:
        table = "assessment_attempt"
        indexes = (("organisation_id", "user_id"),)


class Certificate(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="certificates", on_delete=fields.CASCADE
    )
    user_id: int
    assessment: fields.ForeignKeyRelation[Assessment] = fields.ForeignKeyField(
        "models.Assessment", related_name="certificates", on_delete=fields.CASCADE
    )
    assessment_id: int
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="certificates", on_delete=fields.CASCADE
    )
    organisation_id: int
    issued_at = fields.DatetimeField()
    number = fields.CharField(max_length=32, unique=True)

    class Meta:
        table = "certificate"
        unique_together = (("user", "assessment", "organisation"),)


class HiddenAssessment(Model):
    """An invigilators' assessment the Centre Admin hid from one invigilator at the centre."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="hidden_assessments", on_delete=fields.CASCADE
    )
    user_id: int
    assessment: fields.ForeignKeyRelation[Assessment] = fields.ForeignKeyField(
        "models.Assessment", related_name="hidden_from", on_delete=fields.CASCADE
    )
    assessment_id: int
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="hidden_assessments", on_delete=fields.CASCADE
    )
    organisation_id: int
    hidden_by_id = fields.IntField(null=True)
    hidden_at = fields.DatetimeField()

    class Meta:
        table = "hidden_assessment"
        unique_together = (("user", "assessment", "organisation"),)

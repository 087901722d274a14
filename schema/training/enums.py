"""Enums of training: who an assessment is for, sections' kinds, and staff progress."""

from enum import StrEnum

import strawberry

from models.assessments import Audience as AudienceValue
from resolvers.training import staff_progress

Audience = strawberry.enum(AudienceValue, name="AssessmentAudience")


ProgressStatus = strawberry.enum(staff_progress.ProgressStatus, name="AssessmentProgressStatus")


SectionStatus = strawberry.enum(staff_progress.SectionStatus, name="SectionProgressStatus")


@strawberry.enum
class SectionType(StrEnum):
    TIMED = "TIMED"
    UNTIMED = "UNTIMED"

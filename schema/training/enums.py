"""Enums of training: who an assessment is for, sections' kinds, and staff progress."""

from enum import StrEnum

import strawberry

from models.assessments import Audience as AudienceValue
from resolvers.training import staff_progress

Audience = strawberry.enum(AudienceValue, name="AssessmentAudience")


ProgressStatus = strawberry.enum(staff_progress.ProgressStatus, name="AssessmentProgressStatus")


SectionStatus = strawberry.enum(staff_progress.SectionStatus, name="SectionProgressStatus")


StaffSummaryDetail = strawberry.enum(
    staff_progress.SummaryDetail,
    name="StaffSummaryDetail",
    description="COUNTS: a row per person with assessments passed, in progress and not "
    "started. FULL: a row per person and assessment with the status, result, date passed, "
    "certificate number and last sign-in, roles as the hub names them (EO, SLT, INV).",
)


@strawberry.enum
class SectionType(StrEnum):
    TIMED = "TIMED"
    UNTIMED = "UNTIMED"

"""Enums of training: who an assessment is for, sections' kinds, and staff progress."""

from enum import StrEnum

from models.assessments import Audience as AudienceValue
from resolvers.training import staff_progress
from resolvers.training.assessment_attempts import GRACE
from schema.core.described import described_enum

Audience = described_enum(
    AudienceValue,
    name="AssessmentAudience",
    description="Which staff an assessment is for, once published.",
    values={
        "ALL_STAFF": "Every centre role but the invigilator: exams officers, user managers, SFA "
        "and access arrangements staff, SLT.",
        "INVIGILATORS": "Invigilators, and every other centre role too; the Centre Admin may "
        "hide it from a given invigilator.",
    },
)


ProgressStatus = described_enum(
    staff_progress.ProgressStatus,
    name="AssessmentProgressStatus",
    description="How far a person has got with an assessment at a centre.",
    values={
        "NOT_STARTED": "No section started yet.",
        "IN_PROGRESS": "At least one section started, and no certificate yet.",
        "PASSED": "Every section passed: the certificate was issued.",
    },
)


SectionStatus = described_enum(
    staff_progress.SectionStatus,
    name="SectionProgressStatus",
    description="How far a person has got with one section of an assessment.",
    values={
        "NOT_STARTED": "Never started.",
        "IN_PROGRESS": "Started (perhaps submitted and failed), not passed yet: it may be "
        "taken again.",
        "COMPLETED": "Passed; it cannot be taken again.",
    },
)


StaffSummaryDetail = described_enum(
    staff_progress.SummaryDetail,
    name="StaffSummaryDetail",
    description="COUNTS: a row per person with assessments passed, in progress and not "
    "started. FULL: a row per person and assessment with the status, result, date passed, "
    "certificate number and last sign-in, roles as the hub names them (EO, SLT, INV).",
    values={
        "COUNTS": "One row per person: how many assessments they passed, have in progress "
        "and have not started.",
        "FULL": "One row per person and assessment, with its status, result, date passed, "
        "certificate number and the person's last sign-in.",
    },
)


class _SectionType(StrEnum):
    TIMED = "TIMED"
    UNTIMED = "UNTIMED"


SectionType = described_enum(
    _SectionType,
    name="SectionType",
    description="Whether a section has a time limit.",
    values={
        "TIMED": f"Submit within durationMinutes of starting ({GRACE.seconds} seconds' grace "
        "for the network); a later submission fails, with timeRanOut true.",
        "UNTIMED": "No time limit.",
    },
)

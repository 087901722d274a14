"""Inputs of training: writing assessments, taking sections, hiding assessments, and the summary
and certificates downloads."""

import strawberry
from strawberry import relay

from schema.training.enums import Audience, StaffSummaryDetail


@strawberry.input
class QuestionInput:
    text: str
    options: list[str]
    correct: list[int] = strawberry.field(description="The right options' indexes, from 0.")


@strawberry.input
class SectionInput:
    title: str
    pass_mark: int
    questions: list[QuestionInput]
    duration_minutes: int | None = strawberry.field(
        default=None, description="Leave out for untimed."
    )


@strawberry.input
class CreateAssessmentInput:
    title: str
    description: str
    audience: Audience
    sections: list[SectionInput]


@strawberry.input
class AssessmentIdInput:
    assessment_id: relay.GlobalID


@strawberry.input
class StartSectionInput:
    organisation_code: str
    section_id: relay.GlobalID


@strawberry.input
class SubmitSectionInput:
    attempt_id: relay.GlobalID
    answers: list[list[int]] = strawberry.field(
        description="For each question in order, the indexes of the options chosen."
    )


@strawberry.input
class AssessmentVisibilityInput:
    organisation_code: str
    user_id: relay.GlobalID
    assessment_id: relay.GlobalID


@strawberry.input
class SetHiddenAssessmentsInput:
    organisation_code: str
    user_id: relay.GlobalID
    assessment_ids: list[relay.GlobalID] = strawberry.field(
        description="Every assessment to be hidden from them (the ticks); the others are shown. "
        "Empty hides nothing."
    )


@strawberry.input
class ExportStaffSummaryInput:
    organisation_code: str
    detail: StaffSummaryDetail = StaffSummaryDetail.COUNTS


@strawberry.input
class DownloadCertificatesInput:
    organisation_code: str
    user_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Leave out for every certificate of the centre."
    )

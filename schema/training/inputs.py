"""Inputs of training: writing assessments, taking sections, hiding assessments, and the summary
and certificates downloads."""

import strawberry
from strawberry import relay

from schema.core.described import CENTRE_CODE
from schema.training.enums import Audience, StaffSummaryDetail

_ASSESSMENT_ID = "The Assessment's id."
MEMBER_ID = "The User's id: a member of the centre."
_TITLE = "Not blank; at most 200 characters (ASSESSMENT_INVALID otherwise)."


@strawberry.input(description="A multiple-choice question: one or more options are right.")
class QuestionInput:
    text: str = strawberry.field(description="The question; not blank.")
    options: list[str] = strawberry.field(
        description="At least two answers to choose from, none blank, in the order shown."
    )
    correct: list[int] = strawberry.field(description="The right options' indexes, from 0.")


@strawberry.input(description="A section of a new assessment, with its questions.")
class SectionInput:
    title: str = strawberry.field(description=_TITLE)
    pass_mark: int = strawberry.field(
        description="Right answers needed to pass: 1 to the number of questions."
    )
    questions: list[QuestionInput] = strawberry.field(
        description="At least one question, in the order shown."
    )
    duration_minutes: int | None = strawberry.field(
        default=None,
        description="A timed section's time limit: 1 to 600 minutes. Leave out for untimed.",
    )


@strawberry.input(description="A new assessment, written whole; it starts unpublished.")
class CreateAssessmentInput:
    title: str = strawberry.field(description=_TITLE)
    description: str = strawberry.field(description="What it covers, shown to staff.")
    audience: Audience = strawberry.field(
        description="Who may take it once published: all staff, or invigilators too."
    )
    sections: list[SectionInput] = strawberry.field(
        description="At least one section, in the order shown."
    )


@strawberry.input(description="The assessment to publish or unpublish.")
class AssessmentIdInput:
    assessment_id: relay.GlobalID = strawberry.field(description=_ASSESSMENT_ID)


@strawberry.input(description="The section to start, at the centre where you take it.")
class StartSectionInput:
    organisation_code: str = strawberry.field(
        description=f"{CENTRE_CODE} Progress is kept per centre."
    )
    section_id: relay.GlobalID = strawberry.field(
        description="The AssessmentSection's id, of an assessment available to you there."
    )


@strawberry.input(description="The answers of an attempt you started.")
class SubmitSectionInput:
    attempt_id: relay.GlobalID = strawberry.field(
        description="The SectionAttempt's id, from startSection; not already submitted."
    )
    answers: list[list[int]] = strawberry.field(
        description="For each question in order, the indexes of the options chosen."
    )


@strawberry.input(description="An invigilators' assessment and the invigilator at a centre.")
class AssessmentVisibilityInput:
    organisation_code: str = strawberry.field(description=CENTRE_CODE)
    user_id: relay.GlobalID = strawberry.field(description=f"{MEMBER_ID} An invigilator there.")
    assessment_id: relay.GlobalID = strawberry.field(
        description=f"{_ASSESSMENT_ID} One for invigilators."
    )


@strawberry.input(description="A person's whole Assessment Access screen, as ticked.")
class SetHiddenAssessmentsInput:
    organisation_code: str = strawberry.field(description=CENTRE_CODE)
    user_id: relay.GlobalID = strawberry.field(description=MEMBER_ID)
    assessment_ids: list[relay.GlobalID] = strawberry.field(
        description="Every assessment to be hidden from them (the ticks); the others are shown. "
        "Empty hides nothing."
    )


@strawberry.input(description="Which centre's user summary, and how detailed.")
class ExportStaffSummaryInput:
    organisation_code: str = strawberry.field(description=CENTRE_CODE)
    detail: StaffSummaryDetail = strawberry.field(
        default=StaffSummaryDetail.COUNTS, description="COUNTS (the default) or FULL."
    )


@strawberry.input(description="Whose certificates to zip, at a centre.")
class DownloadCertificatesInput:
    organisation_code: str = strawberry.field(description=CENTRE_CODE)

    user_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Leave out for every certificate of the centre."
    )

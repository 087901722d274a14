"""Training's mutations: writing and publishing assessments, taking sections, hiding assessments,
and the summary and certificates downloads."""

from typing import Annotated

import strawberry

from models.assessments import Audience as AudienceValue
from models.jobs import Job
from resolvers.training import (
    assessment_access,
    assessment_attempts,
    assessments,
    certificates,
    staff_progress,
)
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.permissions import SignedIn
from schema.people.types import UserNode
from schema.training.inputs import (
    AssessmentIdInput,
    AssessmentVisibilityInput,
    CreateAssessmentInput,
    DownloadCertificatesInput,
    ExportStaffSummaryInput,
    SetHiddenAssessmentsInput,
    StartSectionInput,
    SubmitSectionInput,
)
from schema.training.payloads import (
    AssessmentAccessPayload,
    AssessmentJobPayload,
    AssessmentPayload,
    AssessmentVisibilityPayload,
    AttemptPayload,
)
from schema.training.types import AssessmentAccess, AssessmentNode, AttemptNode


def _assessment(view: assessments.AssessmentView) -> AssessmentPayload:
    return AssessmentPayload(assessment=AssessmentNode.of(view))


def _attempt(view: assessment_attempts.AttemptView) -> AttemptPayload:
    return AttemptPayload(attempt=AttemptNode.of(view))


def _visibility(v: assessments.Visibility) -> AssessmentVisibilityPayload:
    return AssessmentVisibilityPayload(
        user=UserNode.of(v.membership.user),
        assessment=AssessmentNode.plain(v.assessment),
        hidden=v.hidden,
    )


async def _set_published(info: Info, input: AssessmentIdInput, published: bool) -> object:
    return await assessments.set_published(
        info.context.actor,
        assessment_id=node_id(input.assessment_id, "Assessment", "input", "assessmentId"),
        published=published,
    )


async def _set_hidden(info: Info, input: AssessmentVisibilityInput, hidden: bool) -> object:
    return await assessments.set_hidden(
        info.context.actor,
        organisation_code=input.organisation_code,
        user_id=node_id(input.user_id, "User", "input", "userId"),
        assessment_id=node_id(input.assessment_id, "Assessment", "input", "assessmentId"),
        hidden=hidden,
    )


async def _set_hidden_assessments(
    info: Info, input: SetHiddenAssessmentsInput
) -> assessment_access.AssessmentAccess:
    return await assessment_access.set_hidden_assessments(
        info.context.actor,
        organisation_code=input.organisation_code,
        user_id=node_id(input.user_id, "User", "input", "userId"),
        assessment_ids=[
            node_id(a, "Assessment", "input", "assessmentIds", str(i))
            for i, a in enumerate(input.assessment_ids)
        ],
    )


async def _download_certificates(info: Info, input: DownloadCertificatesInput) -> Job:
    user_ids = (
        None
        if input.user_ids is None
        else [node_id(u, "User", "input", "userIds", str(i)) for i, u in enumerate(input.user_ids)]
    )
    return await certificates.request_zip(
        info.context.actor, organisation_code=input.organisation_code, user_ids=user_ids
    )


async def _submit(info: Info, input: SubmitSectionInput) -> assessment_attempts.AttemptView:
    return await assessment_attempts.submit_section(
        info.context.actor,
        attempt_id=node_id(input.attempt_id, "SectionAttempt", "input", "attemptId"),
        answers=input.answers,
    )


async def _start(info: Info, input: StartSectionInput) -> assessment_attempts.AttemptView:
    return await assessment_attempts.start_section(
        info.context.actor,
        organisation_code=input.organisation_code,
        section_id=node_id(input.section_id, "AssessmentSection", "input", "sectionId"),
    )


@strawberry.type
class AssessmentMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: write an assessment (unpublished).",
    )
    async def create_assessment(
        self,
        info: Info,
        input: Annotated[
            CreateAssessmentInput,
            strawberry.argument(
                description="The title, description, audience and sections with their questions."
            ),
        ],
    ) -> AssessmentPayload:
        drafts = [
            assessments.SectionDraft(
                title=s.title,
                pass_mark=s.pass_mark,
                duration_minutes=s.duration_minutes,
                questions=[
                    assessments.QuestionDraft(q.text, q.options, q.correct) for q in s.questions
                ],
            )
            for s in input.sections
        ]
        return await payload(
            AssessmentPayload,
            assessments.create_assessment(
                info.context.actor,
                title=input.title,
                description=input.description,
                audience=AudienceValue(input.audience.value),
                sections=drafts,
            ),
            _assessment,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: let staff see and take the assessment.",
    )
    async def publish_assessment(
        self,
        info: Info,
        input: Annotated[
            AssessmentIdInput, strawberry.argument(description="The assessment to publish.")
        ],
    ) -> AssessmentPayload:
        return await payload(
            AssessmentPayload,
            _set_published(info, input, True),
            _assessment,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: withdraw the assessment from staff.",
    )
    async def unpublish_assessment(
        self,
        info: Info,
        input: Annotated[
            AssessmentIdInput, strawberry.argument(description="The assessment to unpublish.")
        ],
    ) -> AssessmentPayload:
        return await payload(
            AssessmentPayload,
            _set_published(info, input, False),
            _assessment,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Start a section: its questions, without the answers.",
    )
    async def start_section(
        self,
        info: Info,
        input: Annotated[
            StartSectionInput,
            strawberry.argument(description="The centre and the section to start."),
        ],
    ) -> AttemptPayload:
        return await payload(
            AttemptPayload,
            _start(info, input),
            _attempt,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Submit the answers of your attempt: marked at once. Passing the last "
        "section of an assessment issues its certificate.",
    )
    async def submit_section(
        self,
        info: Info,
        input: Annotated[
            SubmitSectionInput,
            strawberry.argument(description="The attempt and an answer for each of its questions."),
        ],
    ) -> AttemptPayload:
        return await payload(
            AttemptPayload,
            _submit(info, input),
            _attempt,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Centre Admin: hide an invigilators' assessment from an invigilator.",
    )
    async def hide_assessment(
        self,
        info: Info,
        input: Annotated[
            AssessmentVisibilityInput,
            strawberry.argument(
                description="The centre, the invigilator and the assessment to hide from them."
            ),
        ],
    ) -> AssessmentVisibilityPayload:
        return await payload(
            AssessmentVisibilityPayload,
            _set_hidden(info, input, True),
            _visibility,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Centre Admin: show a hidden assessment again."
    )
    async def unhide_assessment(
        self,
        info: Info,
        input: Annotated[
            AssessmentVisibilityInput,
            strawberry.argument(
                description="The centre, the invigilator and the assessment to show them again."
            ),
        ],
    ) -> AssessmentVisibilityPayload:
        return await payload(
            AssessmentVisibilityPayload,
            _set_hidden(info, input, False),
            _visibility,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Centre Admin: save a person's Assessment Access screen: exactly these "
        "invigilators' assessments hidden from them, the others shown, all at once.",
    )
    async def set_hidden_assessments(
        self,
        info: Info,
        input: Annotated[
            SetHiddenAssessmentsInput,
            strawberry.argument(
                description="The centre, the person and every assessment to hide from them."
            ),
        ],
    ) -> AssessmentAccessPayload:
        return await payload(
            AssessmentAccessPayload,
            _set_hidden_assessments(info, input),
            lambda access: AssessmentAccessPayload(access=AssessmentAccess.of(access)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's user summary as a CSV file, made in the background: the "
        "counts per person, or (detail FULL) the full summary per person and assessment.",
    )
    async def export_staff_summary(
        self,
        info: Info,
        input: Annotated[
            ExportStaffSummaryInput,
            strawberry.argument(description="The centre and how detailed the summary is."),
        ],
    ) -> AssessmentJobPayload:
        return await payload(
            AssessmentJobPayload,
            staff_progress.request_summary_export(
                info.context.actor,
                organisation_code=input.organisation_code,
                detail=staff_progress.SummaryDetail(input.detail.value),
            ),
            AssessmentJobPayload.of,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's certificates (or some people's) as a zip of PDFs, made in "
        "the background.",
    )
    async def download_certificates(
        self,
        info: Info,
        input: Annotated[
            DownloadCertificatesInput,
            strawberry.argument(
                description="The centre and, if not everyone's, whose certificates."
            ),
        ],
    ) -> AssessmentJobPayload:
        return await payload(
            AssessmentJobPayload,
            _download_certificates(info, input),
            AssessmentJobPayload.of,
        )

"""Staff assessments, attempts, progress and certificates: types, roots, payloads."""

from datetime import datetime
from enum import StrEnum

import strawberry
from strawberry import relay

from models.assessments import Assessment, Attempt, Certificate, Question, Section
from models.assessments import Audience as AudienceValue
from models.jobs import Job
from policies import Role as RoleValue
from resolvers.training import assessment_attempts, assessments, certificates, staff_progress
from schema.core.context import Info
from schema.core.enums import Role
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.jobs import job_payload
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.people.types import UserNode

Audience = strawberry.enum(AudienceValue, name="AssessmentAudience")
ProgressStatus = strawberry.enum(staff_progress.ProgressStatus, name="AssessmentProgressStatus")
SectionStatus = strawberry.enum(staff_progress.SectionStatus, name="SectionProgressStatus")


@strawberry.enum
class SectionType(StrEnum):
    TIMED = "TIMED"
    UNTIMED = "UNTIMED"


@strawberry.type(name="AssessmentSection")
class SectionNode(relay.Node):
    id: relay.NodeID[int]
    order: int
    title: str
    type: SectionType
    duration_minutes: int | None = strawberry.field(description="Null for an untimed section.")
    pass_mark: int = strawberry.field(description="Right answers needed to pass.")
    question_count: int

    @classmethod
    def of(cls, section: Section) -> "SectionNode":
        return cls(
            id=section.id,
            order=section.order,
            title=section.title,
            type=SectionType.UNTIMED if section.duration_minutes is None else SectionType.TIMED,
            duration_minutes=section.duration_minutes,
            pass_mark=section.pass_mark,
            question_count=section.question_count,
        )


@strawberry.type(name="Assessment", description="Staff training published by the exam board.")
class AssessmentNode(relay.Node):
    id: relay.NodeID[int]
    title: str
    description: str
    audience: Audience
    published: bool
    sections: list[SectionNode]

    @classmethod
    def of(cls, view: assessments.AssessmentView) -> "AssessmentNode":
        a = view.assessment
        return cls(
            id=a.id,
            title=a.title,
            description=a.description,
            audience=a.audience,
            published=a.published,
            sections=[SectionNode.of(s) for s in view.sections],
        )

    @classmethod
    def plain(cls, assessment: Assessment) -> "AssessmentNode":
        """Without sections (a progress row shows its own)."""
        return cls.of(assessments.AssessmentView(assessment, []))


@strawberry.type(description="A question as the person taking the section sees it.")
class AttemptQuestion:
    order: int
    text: str
    options: list[str] = strawberry.field(description="Answer with their indexes, from 0.")
    multiple: bool = strawberry.field(description="Whether more than one option is right.")

    @classmethod
    def of(cls, question: Question) -> "AttemptQuestion":
        return cls(
            order=question.order,
            text=question.text,
            options=question.options,
            multiple=len(question.correct) > 1,
        )


@strawberry.type(name="Certificate")
class CertificateNode(relay.Node):
    id: relay.NodeID[int]
    number: str
    issued_at: datetime
    row: strawberry.Private[Certificate]

    @strawberry.field(description="A signed link to the PDF for you alone, valid a few minutes.")
    async def download(self, info: Info) -> "CertificateDownload":
        link = await certificates.download_link(info.context.actor, self.row)
        return CertificateDownload(url=link.url, expires_at=link.expires_at)

    @classmethod
    def of(cls, certificate: Certificate) -> "CertificateNode":
        return cls(
            id=certificate.id,
            number=certificate.number,
            issued_at=certificate.issued_at,
            row=certificate,
        )


@strawberry.type
class CertificateDownload:
    url: str
    expires_at: datetime


@strawberry.type(name="SectionAttempt")
class AttemptNode(relay.Node):
    id: relay.NodeID[int]
    section: SectionNode
    started_at: datetime
    deadline: datetime | None = strawberry.field(
        description="Timed sections: submit by then (a short grace is allowed)."
    )
    submitted_at: datetime | None
    score: int | None
    passed: bool
    time_ran_out: bool
    questions: list[AttemptQuestion]
    certificate: CertificateNode | None = strawberry.field(
        description="Issued by this submission when it passed the assessment's last section."
    )

    @classmethod
    def of(cls, view: assessment_attempts.AttemptView) -> "AttemptNode":
        a: Attempt = view.attempt
        return cls(
            id=a.id,
            section=SectionNode.of(view.section),
            started_at=a.started_at,
            deadline=view.deadline,
            submitted_at=a.submitted_at,
            score=a.score,
            passed=a.passed,
            time_ran_out=a.timed_out,
            questions=[AttemptQuestion.of(q) for q in view.questions],
            certificate=CertificateNode.of(view.certificate) if view.certificate else None,
        )


@strawberry.type
class AnsweredQuestion:
    order: int
    text: str
    options: list[str]
    given: list[int] = strawberry.field(description="The option indexes chosen.")
    correct: bool


@strawberry.type(description="One submitted attempt at a section.")
class AttemptResult:
    number: int
    score: int
    passed: bool
    time_ran_out: bool
    submitted_at: datetime


@strawberry.type
class SectionProgress:
    section: SectionNode
    status: SectionStatus
    mark: str | None = strawberry.field(
        description='e.g. "18/18": the passing attempt, else the latest one.'
    )
    passed: bool
    failed_attempts: int
    attempts: list[AttemptResult]
    questions_answered: list[AnsweredQuestion] = strawberry.field(
        description="The questions of the attempt that gave the mark, with the answers given."
    )

    @classmethod
    def of(cls, p: staff_progress.SectionProgress) -> "SectionProgress":
        return cls(
            section=SectionNode.of(p.section),
            status=p.status,
            mark=p.mark,
            passed=p.status is staff_progress.SectionStatus.COMPLETED,
            failed_attempts=p.failed_attempts,
            attempts=[
                AttemptResult(
                    number=r.number,
                    score=r.attempt.score or 0,
                    passed=r.attempt.passed,
                    time_ran_out=r.attempt.timed_out,
                    submitted_at=r.attempt.submitted_at,
                )  # type: ignore[arg-type]
                for r in p.attempts
            ],
            questions_answered=[
                AnsweredQuestion(
                    order=q.order, text=q.text, options=q.options, given=q.given, correct=q.correct
                )
                for q in p.questions_answered
            ],
        )


@strawberry.type
class AssessmentProgress:
    assessment: AssessmentNode
    status: ProgressStatus
    result: str = strawberry.field(
        description='e.g. "7/7": right answers of the passed sections out of all the questions.'
    )
    sections: list[SectionProgress]
    certificate: CertificateNode | None

    @classmethod
    def of(cls, p: staff_progress.AssessmentProgress) -> "AssessmentProgress":
        return cls(
            assessment=AssessmentNode.plain(p.assessment),
            status=p.status,
            result=p.result,
            sections=[SectionProgress.of(s) for s in p.sections],
            certificate=CertificateNode.of(p.certificate) if p.certificate else None,
        )


@strawberry.type
class StaffProgress:
    user: UserNode
    roles: list[Role]
    assessments: list[AssessmentProgress]


@strawberry.type
class StaffSummaryRow:
    user: UserNode
    roles: list[Role]
    passed: int
    in_progress: int
    not_started: int

    @classmethod
    def of(cls, row: staff_progress.SummaryRow) -> "StaffSummaryRow":
        return cls(
            user=UserNode.of(row.user),
            roles=[RoleValue(r) for r in row.roles],
            passed=row.passed,
            in_progress=row.in_progress,
            not_started=row.not_started,
        )


@strawberry.type
class AssessmentQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="The published assessments you may take at the centre: invigilators see "
        "the invigilators' ones not hidden from them; other staff see all of them.",
    )
    async def my_assessments(
        self, info: Info, organisation_code: str, first: int = 15, after: str | None = None
    ) -> Connection[AssessmentNode]:
        page = await assessments.my_assessments(
            info.context.actor, organisation_code, limit=first, offset=offset_after(after)
        )
        return connection(page, AssessmentNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A person's assessments at the centre: for them, and for its Centre Admin, "
        "user managers and SLT.",
    )
    async def staff_progress(
        self, info: Info, organisation_code: str, user_id: relay.GlobalID
    ) -> StaffProgress:
        progress = await staff_progress.user_progress(
            info.context.actor,
            organisation_code=organisation_code,
            user_id=node_id(user_id, "User", "userId"),
        )
        return StaffProgress(
            user=UserNode.of(progress.user),
            roles=[RoleValue(r) for r in progress.roles],
            assessments=[AssessmentProgress.of(a) for a in progress.assessments],
        )

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The centre's users with assessments passed, in progress and not started.",
    )
    async def staff_summary(
        self, info: Info, organisation_code: str, first: int = 15, after: str | None = None
    ) -> Connection[StaffSummaryRow]:
        page = await staff_progress.staff_summary(
            info.context.actor,
            organisation_code=organisation_code,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, StaffSummaryRow.of)

    @strawberry.field(permission_classes=[SignedIn], description="One certificate.")
    async def certificate(self, info: Info, id: relay.GlobalID) -> CertificateNode:
        found = await certificates.get_certificate(
            info.context.actor, node_id(id, "Certificate", "id")
        )
        return CertificateNode.of(found)


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


@strawberry.type
class AssessmentPayload:
    assessment: AssessmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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


@strawberry.type
class AttemptPayload:
    attempt: AttemptNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AssessmentVisibilityInput:
    organisation_code: str
    user_id: relay.GlobalID
    assessment_id: relay.GlobalID


@strawberry.type
class AssessmentVisibilityPayload:
    user: UserNode | None = None
    assessment: AssessmentNode | None = None
    hidden: bool | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ExportStaffSummaryInput:
    organisation_code: str


@strawberry.input
class DownloadCertificatesInput:
    organisation_code: str
    user_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Leave out for every certificate of the centre."
    )


AssessmentJobPayload = job_payload(
    "AssessmentJobPayload", "Poll `job(id)`; once SUCCEEDED its `files` hold the download."
)


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
        self, info: Info, input: CreateAssessmentInput
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
    async def publish_assessment(self, info: Info, input: AssessmentIdInput) -> AssessmentPayload:
        return await payload(
            AssessmentPayload,
            _set_published(info, input, True),
            _assessment,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: withdraw the assessment from staff.",
    )
    async def unpublish_assessment(self, info: Info, input: AssessmentIdInput) -> AssessmentPayload:
        return await payload(
            AssessmentPayload,
            _set_published(info, input, False),
            _assessment,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Start a section: its questions, without the answers.",
    )
    async def start_section(self, info: Info, input: StartSectionInput) -> AttemptPayload:
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
    async def submit_section(self, info: Info, input: SubmitSectionInput) -> AttemptPayload:
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
        self, info: Info, input: AssessmentVisibilityInput
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
        self, info: Info, input: AssessmentVisibilityInput
    ) -> AssessmentVisibilityPayload:
        return await payload(
            AssessmentVisibilityPayload,
            _set_hidden(info, input, False),
            _visibility,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's user summary as a CSV file, made in the background.",
    )
    async def export_staff_summary(
        self, info: Info, input: ExportStaffSummaryInput
    ) -> AssessmentJobPayload:
        return await payload(
            AssessmentJobPayload,
            staff_progress.request_summary_export(
                info.context.actor, organisation_code=input.organisation_code
            ),
            AssessmentJobPayload.of,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="The centre's certificates (or some people's) as a zip of PDFs, made in "
        "the background.",
    )
    async def download_certificates(
        self, info: Info, input: DownloadCertificatesInput
    ) -> AssessmentJobPayload:
        return await payload(
            AssessmentJobPayload,
            _download_certificates(info, input),
            AssessmentJobPayload.of,
        )


__all__ = ["AssessmentMutations", "AssessmentNode", "AssessmentQueries", "CertificateNode"]

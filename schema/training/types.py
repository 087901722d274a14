"""Training as the API shows it: assessments, their sections, attempts and results, staff
progress and certificates."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.assessments import Assessment, Attempt, Certificate, Question, Section
from policies import Role as RoleValue
from resolvers.training import (
    assessment_access,
    assessment_attempts,
    assessments,
    certificates,
    deletion_impact,
    staff_progress,
)
from schema.core.context import Info
from schema.core.enums import Role
from schema.core.ids import value_id
from schema.people.types import UserNode
from schema.training.enums import Audience, ProgressStatus, SectionStatus, SectionType


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
    question_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
    def id(self) -> strawberry.ID:
        return value_id("AttemptQuestion", self.question_id)

    @classmethod
    def of(cls, question: Question) -> "AttemptQuestion":
        return cls(
            question_id=question.id,
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


@strawberry.type(description="One row of the Assessment Access screen: ticked when hidden.")
class AssessmentAccessItem:
    assessment: AssessmentNode
    hidden: bool
    # Hidden or not is the person's at the centre: the item is theirs, not the assessment's.
    membership_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
    def id(self) -> strawberry.ID:
        return value_id("AssessmentAccessItem", self.membership_id, self.assessment.id)


@strawberry.type(
    description="A person's Assessment Access screen at a centre: the invigilators' assessments "
    "(published, or hidden from them since unpublished), each ticked when hidden from them."
)
class AssessmentAccess:
    user: UserNode
    roles: list[Role]
    invigilator: bool = strawberry.field(
        description="Whether they are an invigilator here: only then may more be hidden."
    )
    assessments: list[AssessmentAccessItem]
    membership_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
    def id(self) -> strawberry.ID:
        return value_id("AssessmentAccess", self.membership_id)

    @classmethod
    def of(cls, access: assessment_access.AssessmentAccess) -> "AssessmentAccess":
        return cls(
            membership_id=access.membership.id,
            user=UserNode.of(access.membership.user),
            roles=[RoleValue(r) for r in sorted(access.membership.roles)],
            invigilator=access.invigilator,
            assessments=[
                AssessmentAccessItem(
                    assessment=AssessmentNode.plain(i.assessment),
                    hidden=i.hidden,
                    membership_id=access.membership.id,
                )
                for i in access.items
            ],
        )


@strawberry.type(
    description="What deleting an account takes with it, to show before DELETE is typed: the "
    "person's certificates and assessment attempts, wherever they were made."
)
class UserDeletionImpact:
    user: UserNode
    certificates: int
    attempts: int
    warning: str = strawberry.field(
        description="e.g. \"2 certificates, 5 attempts will be deleted with Grace Hopper's "
        'account. Once deleted, it cannot be recovered."'
    )

    @classmethod
    def of(cls, impact: deletion_impact.DeletionImpact) -> "UserDeletionImpact":
        return cls(
            user=UserNode.of(impact.user),
            certificates=impact.certificates,
            attempts=impact.attempts,
            warning=impact.warning,
        )

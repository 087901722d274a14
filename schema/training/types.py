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
from schema.core.described import LINK_EXPIRES_AT, LINK_URL
from schema.core.enums import Role
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.core.viewer_can import AssessmentViewerCan, board_answers
from schema.people.types import UserNode
from schema.training.enums import Audience, ProgressStatus, SectionStatus, SectionType

_ORDER = "Its place in the list, from 1."
_OPTIONS = "The answers to choose from, in order; they are chosen by index, from 0."
_QUESTION_TEXT = "The question as the board wrote it."
_ROLES_HERE = "Their roles at the centre."


@strawberry.type(
    name="AssessmentSection",
    description="A part of an assessment, taken and passed on its own; passing them all issues "
    "the certificate.",
)
class SectionNode(relay.Node):
    id: relay.NodeID[int]
    order: int = strawberry.field(description=f"{_ORDER} Sections are taken in any order.")
    title: str = strawberry.field(description="The section's title, at most 200 characters.")
    type: SectionType = strawberry.field(description="Timed or untimed.")
    duration_minutes: int | None = strawberry.field(description="Null for an untimed section.")
    pass_mark: int = strawberry.field(description="Right answers needed to pass.")
    question_count: int = strawberry.field(description="How many questions it has.")

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
    title: str = strawberry.field(description="The assessment's title, at most 200 characters.")
    description: str = strawberry.field(
        description="What it covers, as the board wrote it; may hold line breaks."
    )
    audience: Audience = strawberry.field(description="Which staff it is for.")
    published: bool = strawberry.field(
        description="Whether staff see it and may take it; only the board sees unpublished ones."
    )
    sections: list[SectionNode] = strawberry.field(
        description="Its sections in order; empty where a list shows assessments without them "
        "(progress rows, Assessment Access)."
    )

    @strawberry.field(description="What you may do to this assessment (the board's alone).")
    def viewer_can(self, info: Info) -> AssessmentViewerCan:  # type: ignore[valid-type]
        return board_answers(info, AssessmentViewerCan)

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
    order: int = strawberry.field(
        description=f"{_ORDER} Answers are sent in this order (submitSection)."
    )
    text: str = strawberry.field(description=_QUESTION_TEXT)
    options: list[str] = strawberry.field(description="Answer with their indexes, from 0.")
    multiple: bool = strawberry.field(description="Whether more than one option is right.")
    question_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
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


@strawberry.type(
    name="Certificate",
    description="Proof that a person passed every section of an assessment at a centre.",
)
class CertificateNode(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(
        description="Printed on it, e.g. TC-2026-7KQ4M9XB: random, unique across the board."
    )
    issued_at: datetime = strawberry.field(
        description="When the last section was passed (ISO 8601, UTC)."
    )
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


@strawberry.type(description="A signed link to a certificate's PDF.")
class CertificateDownload:
    url: str = strawberry.field(description=LINK_URL)
    expires_at: datetime = strawberry.field(description=LINK_EXPIRES_AT)


@strawberry.type(
    name="SectionAttempt",
    description="One go at a section by the person signed in: started, then submitted once.",
)
class AttemptNode(relay.Node):
    id: relay.NodeID[int]
    section: SectionNode = strawberry.field(description="The section attempted.")
    started_at: datetime = strawberry.field(description="When it was started (ISO 8601, UTC).")
    deadline: datetime | None = strawberry.field(
        description="Timed sections: submit by then (a short grace is allowed)."
    )
    submitted_at: datetime | None = strawberry.field(
        description="When the answers were sent (ISO 8601, UTC); null until submitted."
    )
    score: int | None = strawberry.field(
        description="How many questions were answered right; null until submitted."
    )
    passed: bool = strawberry.field(
        description="True once submitted in time with at least passMark right answers."
    )
    time_ran_out: bool = strawberry.field(
        description="True when a timed section was submitted after its deadline (and failed)."
    )
    questions: list[AttemptQuestion] = strawberry.field(
        description="The section's questions in order, without the right answers."
    )
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


@strawberry.type(description="A question of a submitted attempt, with the answer given.")
class AnsweredQuestion:
    order: int = strawberry.field(description=_ORDER)
    text: str = strawberry.field(description=_QUESTION_TEXT)
    options: list[str] = strawberry.field(description=_OPTIONS)
    given: list[int] = strawberry.field(description="The option indexes chosen.")
    correct: bool = strawberry.field(
        description="Whether exactly the right options were chosen, no more and no fewer."
    )


@strawberry.type(description="One submitted attempt at a section.")
class AttemptResult:
    number: int = strawberry.field(description="1 for the first attempt, then 2, 3...")
    score: int = strawberry.field(description="Right answers out of the section's questions.")
    passed: bool = strawberry.field(description="Whether this attempt passed the section.")
    time_ran_out: bool = strawberry.field(
        description="True when it came after the deadline of a timed section."
    )
    submitted_at: datetime = strawberry.field(
        description="When this attempt was submitted (ISO 8601, UTC)."
    )


@strawberry.type(description="A person's progress in one section of an assessment.")
class SectionProgress:
    section: SectionNode = strawberry.field(description="The section.")
    status: SectionStatus = strawberry.field(description="Not started, in progress or completed.")
    mark: str | None = strawberry.field(
        description='e.g. "18/18": the passing attempt, else the latest one.'
    )
    passed: bool = strawberry.field(description="Whether the section was passed.")
    failed_attempts: int = strawberry.field(description="How many submitted attempts failed.")
    attempts: list[AttemptResult] = strawberry.field(
        description="Every submitted attempt, oldest first."
    )
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


@strawberry.type(description="A person's progress in one assessment at a centre.")
class AssessmentProgress:
    assessment: AssessmentNode = strawberry.field(
        description="The assessment (its sections are in `sections` here)."
    )
    status: ProgressStatus = strawberry.field(description="Not started, in progress or passed.")
    result: str = strawberry.field(
        description='e.g. "7/7": right answers of the passed sections out of all the questions.'
    )
    sections: list[SectionProgress] = strawberry.field(
        description="Each section's progress, in order."
    )
    certificate: CertificateNode | None = strawberry.field(
        description="The certificate once every section is passed; null before."
    )

    @classmethod
    def of(cls, p: staff_progress.AssessmentProgress) -> "AssessmentProgress":
        return cls(
            assessment=AssessmentNode.plain(p.assessment),
            status=p.status,
            result=p.result,
            sections=[SectionProgress.of(s) for s in p.sections],
            certificate=CertificateNode.of(p.certificate) if p.certificate else None,
        )


@strawberry.type(description="One person's assessments at a centre, with their progress.")
class StaffProgress:
    user: UserNode = strawberry.field(description="The person.")
    roles: list[Role] = strawberry.field(description=_ROLES_HERE)
    assessments: list[AssessmentProgress] = strawberry.field(
        description="The assessments they may take there (and any they tried that were "
        "hidden or unpublished since), by title, each with their progress."
    )


@strawberry.type(description="A row of the centre's user summary: one person's counts.")
class StaffSummaryRow:
    user: UserNode = strawberry.field(description="The person.")
    roles: list[Role] = strawberry.field(description=_ROLES_HERE)
    passed: int = strawberry.field(description="Assessments passed (certificate issued).")
    in_progress: int = strawberry.field(description="Assessments started and not yet passed.")
    not_started: int = strawberry.field(description="Assessments they may take, not started.")

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
    assessment: AssessmentNode = strawberry.field(
        description="An invigilators' assessment (its sections are not listed here)."
    )
    hidden: bool = strawberry.field(description="True: hidden from this person.")
    # Hidden or not is the person's at the centre: the item is theirs, not the assessment's.
    membership_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("AssessmentAccessItem", self.membership_id, self.assessment.id)


@strawberry.type(
    description="A person's Assessment Access screen at a centre: the invigilators' assessments "
    "(published, or hidden from them since unpublished), each ticked when hidden from them."
)
class AssessmentAccess:
    user: UserNode = strawberry.field(description="The person the screen is about.")
    roles: list[Role] = strawberry.field(description=_ROLES_HERE)
    invigilator: bool = strawberry.field(
        description="Whether they are an invigilator here: only then may more be hidden."
    )
    assessments: list[AssessmentAccessItem] = strawberry.field(
        description="The rows of the screen, by title."
    )
    membership_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
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
    user: UserNode = strawberry.field(description="The person whose account would go.")
    certificates: int = strawberry.field(description="Certificates that would be deleted.")
    attempts: int = strawberry.field(description="Section attempts that would be deleted.")

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

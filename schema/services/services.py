"""The centre services: Submit for Assessment and Apply for Access Arrangements.

Files come as GraphQL multipart requests with the headers `Authorization: Bearer <token>` and
`X-Examdesk-Upload: 1` (examdesk/graphql.py). Files go out as signed links, minted only for
rows the resolvers have already let the actor read.
"""

from collections.abc import Awaitable
from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from models.exams import Candidate
from models.files import StoredFile
from models.services import ApplicationStatus as ApplicationStatusValue
from models.services import ArrangementType as ArrangementTypeValue
from models.services import SubmissionKind as SubmissionKindValue
from models.services import SubmissionStatus as SubmissionStatusValue
from models.users import User
from policies import Actor, Right
from resolvers.core.downloads import stored_file_link
from resolvers.services import access_arrangements as arrangement_cases
from resolvers.services import submissions as submission_cases
from resolvers.services.service_files import MAX_FILE_BYTES, MAX_FILES
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.exams.types import SeriesNode, SyllabusNode
from schema.network.types import OrganisationNode

SubmissionKind = strawberry.enum(
    SubmissionKindValue, description="WORK: a candidate's work. SAMPLE: a moderation sample."
)
SubmissionStatus = strawberry.enum(SubmissionStatusValue)
ArrangementType = strawberry.enum(ArrangementTypeValue)
ApplicationStatus = strawberry.enum(ApplicationStatusValue)


@strawberry.enum(description="What the board decides about an access arrangement application.")
class ArrangementDecision(Enum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


_UPLOAD_HOW = (
    " Send it as a GraphQL multipart request with the headers `Authorization: Bearer <token>` "
    f"and `X-Examdesk-Upload: 1`. At most {MAX_FILE_BYTES // (1024 * 1024)} MB a file; the type "
    "is taken from the name's extension and must match the content."
)


@strawberry.type(
    description="A file sent to a centre service. Download it from `url` with a plain GET "
    "before `urlExpiresAt`; query again for a fresh link."
)
class SubmittedFile:
    name: str
    content_type: str
    size: int = strawberry.field(description="In bytes.")
    url: str = strawberry.field(description="A signed link for you alone, valid a few minutes.")
    url_expires_at: datetime

    @classmethod
    def of(cls, actor: Actor, file: StoredFile, right: Right) -> "SubmittedFile":
        link = stored_file_link(actor, file, right)
        return cls(
            name=file.name,
            content_type=file.content_type,
            size=file.size,
            url=link.url,
            url_expires_at=link.expires_at,
        )


@strawberry.type(description="A member of staff as the centre services show them.")
class StaffMember:
    full_name: str
    email: str

    @classmethod
    def of(cls, user: User) -> "StaffMember":
        return cls(full_name=user.full_name, email=user.email)


@strawberry.type(description="The candidate a submission or application is for.")
class CandidateSummary:
    candidate_number: str
    full_name: str
    uci: str | None

    @classmethod
    def of(cls, candidate: Candidate) -> "CandidateSummary":
        return cls(
            candidate_number=candidate.candidate_number,
            full_name=candidate.full_name,
            uci=candidate.uci,
        )


@strawberry.type(
    name="Submission",
    description="Candidate work or a sample submitted for assessment, with its files.",
)
class SubmissionNode(relay.Node):
    id: relay.NodeID[int]
    reference: str = strawberry.field(description="Quoted in the emails, e.g. SFA-12.")
    centre: OrganisationNode
    series: SeriesNode
    syllabus: SyllabusNode
    kind: SubmissionKind
    candidate: CandidateSummary | None = strawberry.field(
        description="Whose work it is; a sample may name nobody."
    )
    note: str | None
    status: SubmissionStatus
    submitted_by: StaffMember
    submitted_at: datetime
    files: list[SubmittedFile]

    @classmethod
    def of(cls, actor: Actor, view: submission_cases.SubmissionView) -> "SubmissionNode":
        row = view.submission
        return cls(
            id=row.id,
            reference=f"SFA-{row.id}",
            centre=OrganisationNode.of(row.centre),
            series=SeriesNode.of(row.series),
            syllabus=SyllabusNode.of(row.syllabus),
            kind=row.kind,
            candidate=CandidateSummary.of(row.candidate) if row.candidate else None,
            note=row.note,
            status=row.status,
            submitted_by=StaffMember.of(row.submitted_by),
            submitted_at=row.submitted_at,
            files=[SubmittedFile.of(actor, file, view.file_right) for file in view.files],
        )


@strawberry.type(
    name="AccessArrangementApplication",
    description="A centre's application for a candidate's access arrangement.",
)
class AccessArrangementNode(relay.Node):
    id: relay.NodeID[int]
    reference: str = strawberry.field(description="Quoted in the emails, e.g. AA-7.")
    centre: OrganisationNode
    series: SeriesNode
    candidate: CandidateSummary
    arrangement: ArrangementType
    reasons: str
    evidence: SubmittedFile | None
    status: ApplicationStatus
    applicant: StaffMember
    submitted_at: datetime
    withdrawn_at: datetime | None
    decided_by: StaffMember | None
    decided_at: datetime | None
    decision_note: str | None

    @classmethod
    def of(cls, actor: Actor, view: arrangement_cases.ApplicationView) -> "AccessArrangementNode":
        row = view.application
        return cls(
            id=row.id,
            reference=f"AA-{row.id}",
            centre=OrganisationNode.of(row.centre),
            series=SeriesNode.of(row.series),
            candidate=CandidateSummary.of(row.candidate),
            arrangement=row.arrangement,
            reasons=row.reasons,
            evidence=(
                SubmittedFile.of(actor, view.evidence, view.file_right) if view.evidence else None
            ),
            status=row.status,
            applicant=StaffMember.of(row.applicant),
            submitted_at=row.submitted_at,
            withdrawn_at=row.withdrawn_at,
            decided_by=StaffMember.of(row.decided_by) if row.decided_by else None,
            decided_at=row.decided_at,
            decision_note=row.decision_note,
        )


@strawberry.type
class ServiceQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Submit for Assessment: the centre's submissions, newest first. SFA exams "
        "officers, the exams officer and the board see them all; a teacher sees their own.",
    )
    async def submissions(
        self,
        info: Info,
        centre_code: str,
        series_code: str | None = None,
        syllabus_code: str | None = None,
        first: int = 15,
        after: str | None = None,
    ) -> Connection[SubmissionNode]:
        actor = info.context.actor
        page = await submission_cases.list_submissions(
            actor,
            centre_code=centre_code,
            series_code=series_code,
            syllabus_code=syllabus_code,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, lambda view: SubmissionNode.of(actor, view))

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Access Arrangements: the centre's applications, newest first (nominated "
        "users, the exams officer, the board).",
    )
    async def access_arrangements(
        self,
        info: Info,
        centre_code: str,
        status: ApplicationStatus | None = None,
        first: int = 15,
        after: str | None = None,
    ) -> Connection[AccessArrangementNode]:
        actor = info.context.actor
        page = await arrangement_cases.list_applications(
            actor,
            centre_code=centre_code,
            status=status,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, lambda view: AccessArrangementNode.of(actor, view))

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every centre's applications, oldest first (the queue to "
        "decide: status SUBMITTED).",
    )
    async def access_arrangements_for_board(
        self,
        info: Info,
        status: ApplicationStatus | None = None,
        centre_code: str | None = None,
        first: int = 15,
        after: str | None = None,
    ) -> Connection[AccessArrangementNode]:
        actor = info.context.actor
        page = await arrangement_cases.list_applications_for_board(
            actor,
            status=status,
            centre_code=centre_code,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, lambda view: AccessArrangementNode.of(actor, view))


@strawberry.input
class SubmitForAssessmentInput:
    centre_code: str
    series_code: str
    syllabus_code: str
    kind: SubmissionKind
    candidate_number: str | None = strawberry.field(
        default=None,
        description="Required for WORK; a SAMPLE may name a candidate or not. "
        "The candidate must be entered for the syllabus in the series.",
    )
    note: str | None = None
    files: list[Upload] = strawberry.field(
        description=f"1 to {MAX_FILES} files: pdf, docx, xlsx, pptx, jpg, png, mp3, m4a, mp4."
        + _UPLOAD_HOW
    )


@strawberry.type
class SubmitForAssessmentPayload:
    submission: SubmissionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SubmitAccessArrangementInput:
    centre_code: str
    series_code: str
    candidate_number: str = strawberry.field(
        description="A candidate entered in the series at the centre."
    )
    arrangement: ArrangementType
    reasons: str
    evidence: Upload | None = strawberry.field(
        default=None, description="Optional: one pdf, docx, jpg or png." + _UPLOAD_HOW
    )


@strawberry.input
class WithdrawAccessArrangementInput:
    id: relay.GlobalID


@strawberry.input
class DecideAccessArrangementInput:
    id: relay.GlobalID
    decision: ArrangementDecision
    note: str | None = strawberry.field(
        default=None, description="Sent to the applicant; required to reject."
    )


@strawberry.type
class AccessArrangementPayload:
    application: AccessArrangementNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _application_id(global_id: relay.GlobalID) -> int:
    return node_id(global_id, "AccessArrangementApplication", "input", "id")


async def _application_mutation(
    actor: Actor, work: Awaitable[arrangement_cases.ApplicationView]
) -> AccessArrangementPayload:
    return await payload(
        AccessArrangementPayload,
        work,
        lambda view: AccessArrangementPayload(application=AccessArrangementNode.of(actor, view)),
    )


@strawberry.type
class ServiceMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Submit for Assessment: upload candidate work or a sample for a syllabus. "
        "Every SFA exams officer of the centre (and its exams officer) is emailed; a teacher "
        "who submits is emailed a confirmation.",
    )
    async def submit_for_assessment(
        self, info: Info, input: SubmitForAssessmentInput
    ) -> SubmitForAssessmentPayload:
        actor = info.context.actor
        return await payload(
            SubmitForAssessmentPayload,
            submission_cases.submit_for_assessment(
                actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                syllabus_code=input.syllabus_code,
                kind=input.kind,
                candidate_number=input.candidate_number,
                note=input.note,
                files=input.files,
            ),
            lambda view: SubmitForAssessmentPayload(submission=SubmissionNode.of(actor, view)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Access Arrangements: apply for a candidate's arrangement in a series.",
    )
    async def submit_access_arrangement(
        self, info: Info, input: SubmitAccessArrangementInput
    ) -> AccessArrangementPayload:
        actor = info.context.actor
        return await _application_mutation(
            actor,
            arrangement_cases.submit_application(
                actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                candidate_number=input.candidate_number,
                arrangement=input.arrangement,
                reasons=input.reasons,
                evidence=input.evidence,
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Access Arrangements: withdraw an application still waiting for the board.",
    )
    async def withdraw_access_arrangement(
        self, info: Info, input: WithdrawAccessArrangementInput
    ) -> AccessArrangementPayload:
        actor = info.context.actor

        async def work() -> arrangement_cases.ApplicationView:
            return await arrangement_cases.withdraw_application(
                actor, application_id=_application_id(input.id)
            )

        return await _application_mutation(actor, work())

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: approve or reject an application waiting for a decision; "
        "the applicant is emailed the decision and the note.",
    )
    async def decide_access_arrangement(
        self, info: Info, input: DecideAccessArrangementInput
    ) -> AccessArrangementPayload:
        actor = info.context.actor

        async def work() -> arrangement_cases.ApplicationView:
            return await arrangement_cases.decide_application(
                actor,
                application_id=_application_id(input.id),
                decision=ApplicationStatusValue(input.decision.value),
                note=input.note,
            )

        return await _application_mutation(actor, work())


__all__ = ["ServiceMutations", "ServiceQueries"]

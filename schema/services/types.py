"""The services as the API shows them: resources, their releases and key times, Submit for
Assessment submissions and Access Arrangements applications."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.exams import Candidate
from models.files import StoredFile
from models.users import User
from policies import Actor, Right
from resolvers.core.downloads import stored_file_link
from resolvers.services import access_arrangements as arrangement_cases
from resolvers.services import help_documents as help_cases
from resolvers.services import releases as release_cases
from resolvers.services import resources as resource_cases
from resolvers.services import submissions as submission_cases
from schema.core.context import Info
from schema.core.described import FILE_SIZE, LINK_EXPIRES_AT, LINK_URL
from schema.core.enums import Role
from schema.core.ids import VALUE_ID_DESCRIPTION, value_id
from schema.core.viewer_can import HelpDocumentViewerCan, ResourceViewerCan, board_answers
from schema.exams.types import SeriesNode, SyllabusNode
from schema.network.types import OrganisationNode
from schema.services.enums import (
    ApplicationStatus,
    ArrangementType,
    KeyTimeKind,
    ReleaseStatus,
    ResourceService,
    SubmissionKind,
    SubmissionStatus,
)

_FRESH_LINK = "A link for you alone, valid a few minutes; asked for again, a fresh one."
_UPLOADED_AT = "When it was uploaded (ISO 8601, UTC)."
_SIZE_OR_NULL = f"{FILE_SIZE} Null only if the file is gone."


@strawberry.type(description="A signed link to a resource's file: a plain GET before expiresAt.")
class ResourceDownload:
    url: str = strawberry.field(description=LINK_URL)
    expires_at: datetime = strawberry.field(description=LINK_EXPIRES_AT)


@strawberry.type(name="Resource", description="A file the board uploaded for a series.")
class ResourceNode(relay.Node):
    id: relay.NodeID[int]
    series_code: str = strawberry.field(description="The series it is for, e.g. 2026-NOV.")
    service: ResourceService = strawberry.field(
        description="Which centre service it belongs to, and so who at a centre may see it."
    )
    title: str = strawberry.field(description="As centres see it listed; at most 200 characters.")
    description: str = strawberry.field(
        description="What it is for, as the board wrote it: at most 5,000 characters, with "
        "line breaks; empty if none."
    )
    file_name: str | None = strawberry.field(
        description="The uploaded file's name, e.g. paper1.pdf; null only if the file is gone."
    )
    content_type: str | None = strawberry.field(
        description="The file's MIME type, e.g. application/pdf; null only if the file is gone."
    )
    size: int | None = strawberry.field(description=_SIZE_OR_NULL)
    created_at: datetime = strawberry.field(description=_UPLOADED_AT)
    updated_at: datetime | None = strawberry.field(
        description="When its title, description or file last changed; null if never."
    )
    withdrawn_at: datetime | None = strawberry.field(
        description="Set once withdrawn: no centre sees it any more (the board still does)."
    )
    download: ResourceDownload | None = strawberry.field(
        description=f"{_FRESH_LINK} Given by resources, centreResources and centreResource "
        "(null elsewhere)."
    )

    @strawberry.field(description="What you may do to this resource (the board's alone).")
    def viewer_can(self, info: Info) -> ResourceViewerCan:  # type: ignore[valid-type]
        return board_answers(info, ResourceViewerCan)

    @classmethod
    def of(cls, row: resource_cases.ResourceRow) -> "ResourceNode":
        file, link = row.file, row.link
        return cls(
            id=row.id,
            series_code=row.series_code,
            service=row.service,
            title=row.title,
            description=row.description,
            created_at=row.created_at,
            updated_at=row.updated_at,
            withdrawn_at=row.withdrawn_at,
            file_name=file.name if file else None,
            content_type=file.content_type if file else None,
            size=file.size if file else None,
            download=ResourceDownload(url=link.url, expires_at=link.expires_at) if link else None,
        )


@strawberry.type(name="Release", description="A resource released to centres at a key time.")
class ReleaseNode(relay.Node):
    id: relay.NodeID[int]
    resource: ResourceNode = strawberry.field(description="The resource released.")
    release_at: datetime = strawberry.field(
        description="When centres start to see the resource (ISO 8601, UTC)."
    )
    all_centres: bool = strawberry.field(
        description="True: released to every centre, including centres created later."
    )
    centre_codes: list[str] = strawberry.field(
        description="The centres it is for; empty when it is for all centres."
    )
    status: ReleaseStatus = strawberry.field(description="Where the release stands now.")
    created_at: datetime = strawberry.field(
        description="When the board scheduled it (ISO 8601, UTC)."
    )
    cancelled_at: datetime | None = strawberry.field(
        description="When the board cancelled it; null unless status is CANCELLED."
    )

    @classmethod
    def of(cls, row: release_cases.ReleaseRow) -> "ReleaseNode":
        return cls(
            id=row.id,
            resource=ResourceNode.of(row.resource),
            release_at=row.release_at,
            all_centres=row.all_centres,
            centre_codes=row.centre_codes,
            status=row.status,
            created_at=row.created_at,
            cancelled_at=row.cancelled_at,
        )


@strawberry.type(description="One time in a series' schedule.")
class KeyTime:
    kind: KeyTimeKind = strawberry.field(description="What happens at this time.")
    at: datetime = strawberry.field(description="When it happens (ISO 8601, UTC).")
    title: str = strawberry.field(
        description="What to show: the resource's title for a release, else a fixed text "
        'such as "Results are released".'
    )
    service: ResourceService | None = strawberry.field(
        description="The released resource's service; null for the series' own times."
    )
    release_id: relay.GlobalID | None = strawberry.field(
        description="The Release's id for RESOURCE_RELEASE; null for the series' own times."
    )

    @classmethod
    def of(cls, row: release_cases.KeyTime) -> "KeyTime":
        return cls(
            kind=row.kind,
            at=row.at,
            title=row.title,
            service=row.service,
            release_id=relay.GlobalID("Release", str(row.release_id)) if row.release_id else None,
        )


@strawberry.type(
    description="A file sent to a centre service. Download it from `url` with a plain GET "
    "before `urlExpiresAt`; query again for a fresh link."
)
class SubmittedFile:
    name: str = strawberry.field(description="The file's name as it was uploaded.")
    content_type: str = strawberry.field(
        description="Its MIME type, from the name's extension, e.g. application/pdf."
    )
    size: int = strawberry.field(description=FILE_SIZE)
    url: str = strawberry.field(description=LINK_URL)
    url_expires_at: datetime = strawberry.field(description=LINK_EXPIRES_AT)
    file_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("SubmittedFile", self.file_id)

    @classmethod
    def of(cls, actor: Actor, file: StoredFile, right: Right) -> "SubmittedFile":
        link = stored_file_link(actor, file, right)
        return cls(
            file_id=file.id,
            name=file.name,
            content_type=file.content_type,
            size=file.size,
            url=link.url,
            url_expires_at=link.expires_at,
        )


@strawberry.type(description="A member of staff as the centre services show them.")
class StaffMember:
    full_name: str = strawberry.field(description="First and last name, e.g. Ada Lovelace.")
    email: str = strawberry.field(description="Their sign-in email address, to reach them.")
    user_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("StaffMember", self.user_id)

    @classmethod
    def of(cls, user: User) -> "StaffMember":
        return cls(full_name=user.full_name, email=user.email, user_id=user.id)


@strawberry.type(description="The candidate a submission or application is for.")
class CandidateSummary:
    candidate_number: str = strawberry.field(
        description="Their number at the centre: 1 to 4 digits, e.g. 0042."
    )
    full_name: str = strawberry.field(description="First and last name.")
    uci: str | None = strawberry.field(
        description="Unique Candidate Identifier; null if the centre gave none."
    )
    candidate_id: strawberry.Private[int]

    @strawberry.field(description=VALUE_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        return value_id("CandidateSummary", self.candidate_id)

    @classmethod
    def of(cls, candidate: Candidate) -> "CandidateSummary":
        return cls(
            candidate_id=candidate.id,
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
    centre: OrganisationNode = strawberry.field(description="The centre that submitted it.")
    series: SeriesNode = strawberry.field(description="The series it was submitted in.")
    syllabus: SyllabusNode = strawberry.field(description="The syllabus it is assessed for.")
    kind: SubmissionKind = strawberry.field(description="Candidate work or a sample.")
    candidate: CandidateSummary | None = strawberry.field(
        description="Whose work it is; a sample may name nobody."
    )
    note: str | None = strawberry.field(
        description="The submitter's note to the board (at most 2,000 characters); null if none."
    )
    status: SubmissionStatus = strawberry.field(description="Where it stands: SUBMITTED.")
    submitted_by: StaffMember = strawberry.field(
        description="The SFA exams officer or teacher who submitted it."
    )
    submitted_at: datetime = strawberry.field(description="When it arrived (ISO 8601, UTC).")
    files: list[SubmittedFile] = strawberry.field(
        description="The 1 to 10 files submitted, in upload order, each with a download link."
    )

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
    centre: OrganisationNode = strawberry.field(description="The centre that applied.")
    series: SeriesNode = strawberry.field(description="The series the arrangement is for.")
    candidate: CandidateSummary = strawberry.field(
        description="The candidate, entered in the series at the centre."
    )
    arrangement: ArrangementType = strawberry.field(description="The arrangement applied for.")
    reasons: str = strawberry.field(
        description="Why the candidate needs it, as the applicant wrote it: 1 to 4,000 "
        "characters, with line breaks."
    )
    evidence: SubmittedFile | None = strawberry.field(
        description="The supporting document sent with it; null if none was."
    )
    status: ApplicationStatus = strawberry.field(description="Where the application stands.")
    applicant: StaffMember = strawberry.field(description="Who applied, emailed the decision.")
    submitted_at: datetime = strawberry.field(description="When it was sent (ISO 8601, UTC).")
    withdrawn_at: datetime | None = strawberry.field(
        description="When the centre withdrew it; null unless WITHDRAWN."
    )
    decided_by: StaffMember | None = strawberry.field(
        description="The board admin who approved or rejected it; null while undecided."
    )
    decided_at: datetime | None = strawberry.field(
        description="When the board decided (ISO 8601, UTC); null while undecided."
    )
    decision_note: str | None = strawberry.field(
        description="The board's note to the applicant (always given on a rejection); null if none."
    )

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


@strawberry.type(description="A signed link to a file: a plain GET before expiresAt.")
class HelpDocumentDownload:
    url: str = strawberry.field(description=LINK_URL)
    expires_at: datetime = strawberry.field(description=LINK_EXPIRES_AT)


@strawberry.type(
    name="HelpDocument", description="A guide the board uploaded for the people using examdesk."
)
class HelpDocumentNode(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="As listed, at most 200 characters.")
    for_everyone: bool = strawberry.field(description="For everyone signed in.")
    roles: list[Role] = strawberry.field(
        description="The roles it is for (empty when forEveryone)."
    )
    file_name: str | None = strawberry.field(
        description="The file's name, e.g. guide.pdf; null only if the file is gone."
    )
    content_type: str | None = strawberry.field(
        description="The file's MIME type; null only if the file is gone."
    )
    size: int | None = strawberry.field(description=_SIZE_OR_NULL)
    created_at: datetime = strawberry.field(description=_UPLOADED_AT)
    updated_at: datetime | None = strawberry.field(
        description="When its title, audience or file last changed; null if never."
    )

    download: HelpDocumentDownload | None = strawberry.field(
        description=f"{_FRESH_LINK} Given by helpDocuments (null in mutation payloads)."
    )

    @strawberry.field(description="What you may do to this help document (the board's alone).")
    def viewer_can(self, info: Info) -> HelpDocumentViewerCan:  # type: ignore[valid-type]
        return board_answers(info, HelpDocumentViewerCan)

    @classmethod
    def of(cls, row: help_cases.HelpDocumentRow) -> "HelpDocumentNode":
        file, link = row.file, row.link
        return cls(
            id=row.id,
            title=row.title,
            for_everyone=row.for_everyone,
            roles=list(row.roles),
            file_name=file.name if file else None,
            content_type=file.content_type if file else None,
            size=file.size if file else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            download=HelpDocumentDownload(url=link.url, expires_at=link.expires_at)
            if link
            else None,
        )

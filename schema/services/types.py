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
from schema.core.enums import Role
from schema.core.ids import value_id
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


@strawberry.type(description="A signed link to a resource's file: a plain GET before expiresAt.")
class ResourceDownload:
    url: str
    expires_at: datetime


@strawberry.type(name="Resource", description="A file the board uploaded for a series.")
class ResourceNode(relay.Node):
    id: relay.NodeID[int]
    series_code: str
    service: ResourceService
    title: str
    description: str
    file_name: str | None
    content_type: str | None
    size: int | None = strawberry.field(description="In bytes.")
    created_at: datetime
    updated_at: datetime | None = strawberry.field(
        description="When its title, description or file last changed."
    )
    withdrawn_at: datetime | None = strawberry.field(
        description="Set once withdrawn: no centre sees it any more (the board still does)."
    )
    download: ResourceDownload | None = strawberry.field(
        description="A link for you alone, valid a few minutes; asked for again, a fresh one. "
        "Given by resources, centreResources and centreResource (null elsewhere)."
    )

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
    resource: ResourceNode
    release_at: datetime
    all_centres: bool
    centre_codes: list[str] = strawberry.field(
        description="The centres it is for; empty when it is for all centres."
    )
    status: ReleaseStatus
    created_at: datetime
    cancelled_at: datetime | None

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
    kind: KeyTimeKind
    at: datetime
    title: str
    service: ResourceService | None
    release_id: relay.GlobalID | None

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
    name: str
    content_type: str
    size: int = strawberry.field(description="In bytes.")
    url: str = strawberry.field(description="A signed link for you alone, valid a few minutes.")
    url_expires_at: datetime
    file_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
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
    full_name: str
    email: str
    user_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
    def id(self) -> strawberry.ID:
        return value_id("StaffMember", self.user_id)

    @classmethod
    def of(cls, user: User) -> "StaffMember":
        return cls(full_name=user.full_name, email=user.email, user_id=user.id)


@strawberry.type(description="The candidate a submission or application is for.")
class CandidateSummary:
    candidate_number: str
    full_name: str
    uci: str | None
    candidate_id: strawberry.Private[int]

    @strawberry.field(
        description="Stable and unique across types, for client caches (not for `node`)."
    )
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


@strawberry.type(description="A signed link to a file: a plain GET before expiresAt.")
class HelpDocumentDownload:
    url: str
    expires_at: datetime


@strawberry.type(
    name="HelpDocument", description="A guide the board uploaded for the people using examdesk."
)
class HelpDocumentNode(relay.Node):
    id: relay.NodeID[int]
    title: str
    for_everyone: bool = strawberry.field(description="For everyone signed in.")
    roles: list[Role] = strawberry.field(
        description="The roles it is for (empty when forEveryone)."
    )
    file_name: str | None
    content_type: str | None
    size: int | None = strawberry.field(description="In bytes.")
    created_at: datetime
    updated_at: datetime | None
    download: HelpDocumentDownload | None = strawberry.field(
        description="A link for you alone, valid a few minutes; asked for again, a fresh one. "
        "Given by helpDocuments (null in mutation payloads)."
    )

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

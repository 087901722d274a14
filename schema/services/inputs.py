"""Inputs of the services: uploading and releasing resources, submitting work, and applying for
and deciding access arrangements."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from resolvers.services.service_files import MAX_FILE_BYTES, MAX_FILES
from schema.core.described import CENTRE_CODE, SERIES_CODE, SYLLABUS_CODE
from schema.core.enums import Role
from schema.core.uploads import SEND_FILE
from schema.services.enums import (
    ArrangementDecision,
    ArrangementType,
    ResourceService,
    SubmissionKind,
)

_RESOURCE_ID = "The Resource's id."
_TITLE = "What centres see it listed as; not blank."


@strawberry.input(description="Which releases to list; every field narrows the list.")
class ReleaseFilter:
    series_code: str | None = strawberry.field(
        default=None, description=f"{SERIES_CODE} Leave out for every series."
    )
    resource_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only the releases of this Resource."
    )
    include_cancelled: bool = strawberry.field(
        default=False,
        description="True lists cancelled releases too; by default they are left out.",
    )


@strawberry.input(description="A new resource for a series, sent as a multipart upload.")
class UploadResourceInput:
    series_code: str = strawberry.field(description=SERIES_CODE)
    service: ResourceService = strawberry.field(
        description="The centre service it belongs to: who at a centre may see it once released."
    )
    title: str = strawberry.field(description=_TITLE)
    description: str = strawberry.field(
        default="", description="What it is for, shown with it; empty for none."
    )
    file: Upload = strawberry.field(description=f"The resource's file, any type. {SEND_FILE}")


@strawberry.input(description="A resource's new title and description (its file stays).")
class UpdateResourceInput:
    id: relay.GlobalID = strawberry.field(description=_RESOURCE_ID)
    title: str = strawberry.field(description=_TITLE)
    description: str = strawberry.field(
        default="", description="Replaces the description; empty clears it."
    )


@strawberry.input(description="A new file for a resource, sent as a multipart upload.")
class ReplaceResourceFileInput:
    id: relay.GlobalID = strawberry.field(description=_RESOURCE_ID)
    file: Upload = strawberry.field(
        description=f"The new file, any type. {SEND_FILE} Links to the old file stop working."
    )


@strawberry.input(description="The resource to delete: one never released.")
class DeleteResourceInput:
    id: relay.GlobalID = strawberry.field(description=_RESOURCE_ID)


@strawberry.input(description="The released resource to take back from every centre.")
class WithdrawResourceInput:
    id: relay.GlobalID = strawberry.field(description=_RESOURCE_ID)
    reason: str | None = strawberry.field(default=None, description="Why, for the audit trail.")


@strawberry.input(description="When, and to which centres, a resource goes out.")
class ReleaseResourceInput:
    resource_id: relay.GlobalID = strawberry.field(description=_RESOURCE_ID)
    release_at: datetime = strawberry.field(
        description="With its time zone. A time already past releases at once."
    )
    centre_codes: list[str] | None = strawberry.field(
        default=None, description="The centres it is for; empty or absent: every centre."
    )


@strawberry.input(description="The release to cancel, while its time is still to come.")
class CancelReleaseInput:
    release_id: relay.GlobalID = strawberry.field(description="The Release's id.")


_UPLOAD_HOW = (
    f" {SEND_FILE} At most {MAX_FILE_BYTES // (1024 * 1024)} MB a file; the type "
    "is taken from the name's extension and must match the content."
)


@strawberry.input(
    description="Candidate work or a sample for a syllabus, sent as a multipart upload."
)
class SubmitForAssessmentInput:
    centre_code: str = strawberry.field(
        description=f"{CENTRE_CODE} You must hold SFA_EXAMS_OFFICER or SFA_TEACHER there "
        "(or be its exams officer)."
    )
    series_code: str = strawberry.field(description=SERIES_CODE)
    syllabus_code: str = strawberry.field(
        description=f"{SYLLABUS_CODE} Candidates of the centre must be entered for it."
    )
    kind: SubmissionKind = strawberry.field(
        description="What is sent: one candidate's work or a moderation sample."
    )
    candidate_number: str | None = strawberry.field(
        default=None,
        description="Required for WORK; a SAMPLE may name a candidate or not. "
        "The candidate must be entered for the syllabus in the series.",
    )
    note: str | None = strawberry.field(
        default=None, description="A note for the board, quoted in the emails; null for none."
    )
    files: list[Upload] = strawberry.field(
        description=f"1 to {MAX_FILES} files: pdf, docx, xlsx, pptx, jpg, png, mp3, m4a, mp4."
        + _UPLOAD_HOW
    )


@strawberry.input(
    description="An application for one arrangement for one candidate in a series, sent as a "
    "multipart upload when it has evidence."
)
class SubmitAccessArrangementInput:
    centre_code: str = strawberry.field(
        description=f"{CENTRE_CODE} You must hold ACCESS_ARRANGEMENTS there (or be its exams "
        "officer)."
    )
    series_code: str = strawberry.field(description=SERIES_CODE)
    candidate_number: str = strawberry.field(
        description="A candidate entered in the series at the centre."
    )
    arrangement: ArrangementType = strawberry.field(
        description="What to apply for; not one the candidate already has submitted or approved "
        "in the series (APPLICATION_EXISTS)."
    )
    reasons: str = strawberry.field(
        description="Why the candidate needs it, for the board; not blank (REASONS_REQUIRED)."
    )
    evidence: Upload | None = strawberry.field(
        default=None, description="Optional: one pdf, docx, jpg or png." + _UPLOAD_HOW
    )


_APPLICATION_ID = "The AccessArrangementApplication's id; it must still be SUBMITTED."


@strawberry.input(description="The application to withdraw.")
class WithdrawAccessArrangementInput:
    id: relay.GlobalID = strawberry.field(description=_APPLICATION_ID)


@strawberry.input(description="The board's decision on an application.")
class DecideAccessArrangementInput:
    id: relay.GlobalID = strawberry.field(description=_APPLICATION_ID)
    decision: ArrangementDecision = strawberry.field(description="Approve or reject it.")
    note: str | None = strawberry.field(
        default=None, description="Sent to the applicant; required to reject."
    )


_HELP_FILE = "One pdf, docx, xlsx, png or txt file." + _UPLOAD_HOW
_FOR_EVERYONE = "True: for everyone signed in (roles empty). False: for the roles named."
_ROLES = (
    "The roles it is for: whoever holds one of them at any organisation (the exams officer "
    "holds every centre role). Empty when forEveryone."
)


_HELP_ID = "The HelpDocument's id."
_HELP_TITLE = "As listed to its readers; not blank."


@strawberry.input(description="A new help document and who it is for, sent as a multipart upload.")
class UploadHelpDocumentInput:
    title: str = strawberry.field(description=_HELP_TITLE)
    for_everyone: bool = strawberry.field(default=False, description=_FOR_EVERYONE)
    roles: list[Role] = strawberry.field(default_factory=list, description=_ROLES)
    file: Upload = strawberry.field(description=_HELP_FILE)


@strawberry.input(description="The document as the edit form sends it: every field but the file.")
class UpdateHelpDocumentInput:
    id: relay.GlobalID = strawberry.field(description=_HELP_ID)
    title: str = strawberry.field(description=_HELP_TITLE)
    for_everyone: bool = strawberry.field(default=False, description=_FOR_EVERYONE)
    roles: list[Role] = strawberry.field(default_factory=list, description=_ROLES)
    file: Upload | None = strawberry.field(
        default=None,
        description="A new file, or null to keep it. " + _HELP_FILE + " A new file or "
        "audience ends the download links handed out before.",
    )


@strawberry.input(description="The help document to delete, with its file.")
class DeleteHelpDocumentInput:
    id: relay.GlobalID = strawberry.field(description=_HELP_ID)

"""Inputs of the services: uploading and releasing resources, submitting work, and applying for
and deciding access arrangements."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from resolvers.services.service_files import MAX_FILE_BYTES, MAX_FILES
from schema.core.enums import Role
from schema.core.uploads import SEND_FILE
from schema.services.enums import (
    ArrangementDecision,
    ArrangementType,
    ResourceService,
    SubmissionKind,
)


@strawberry.input
class ReleaseFilter:
    series_code: str | None = None
    resource_id: relay.GlobalID | None = None
    include_cancelled: bool = False


@strawberry.input
class UploadResourceInput:
    series_code: str
    service: ResourceService
    title: str
    description: str = ""
    file: Upload = strawberry.field(description=f"The resource's file, any type. {SEND_FILE}")


@strawberry.input
class UpdateResourceInput:
    id: relay.GlobalID
    title: str
    description: str = strawberry.field(
        default="", description="Replaces the description; empty clears it."
    )


@strawberry.input
class ReplaceResourceFileInput:
    id: relay.GlobalID
    file: Upload = strawberry.field(
        description=f"The new file, any type. {SEND_FILE} Links to the old file stop working."
    )


@strawberry.input
class DeleteResourceInput:
    id: relay.GlobalID


@strawberry.input
class WithdrawResourceInput:
    id: relay.GlobalID
    reason: str | None = strawberry.field(default=None, description="Why, for the audit trail.")


@strawberry.input
class ReleaseResourceInput:
    resource_id: relay.GlobalID
    release_at: datetime = strawberry.field(
        description="With its time zone. A time already past releases at once."
    )
    centre_codes: list[str] | None = strawberry.field(
        default=None, description="The centres it is for; empty or absent: every centre."
    )


@strawberry.input
class CancelReleaseInput:
    release_id: relay.GlobalID


_UPLOAD_HOW = (
    f" {SEND_FILE} At most {MAX_FILE_BYTES // (1024 * 1024)} MB a file; the type "
    "is taken from the name's extension and must match the content."
)


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


_HELP_FILE = "One pdf, docx, xlsx, png or txt file." + _UPLOAD_HOW
_FOR_EVERYONE = "True: for everyone signed in (roles empty). False: for the roles named."
_ROLES = (
    "The roles it is for: whoever holds one of them at any organisation (the exams officer "
    "holds every centre role). Empty when forEveryone."
)


@strawberry.input
class UploadHelpDocumentInput:
    title: str
    for_everyone: bool = strawberry.field(default=False, description=_FOR_EVERYONE)
    roles: list[Role] = strawberry.field(default_factory=list, description=_ROLES)
    file: Upload = strawberry.field(description=_HELP_FILE)


@strawberry.input(description="The document as the edit form sends it: every field but the file.")
class UpdateHelpDocumentInput:
    id: relay.GlobalID
    title: str
    for_everyone: bool = strawberry.field(default=False, description=_FOR_EVERYONE)
    roles: list[Role] = strawberry.field(default_factory=list, description=_ROLES)
    file: Upload | None = strawberry.field(
        default=None,
        description="A new file, or null to keep it. " + _HELP_FILE + " A new file or "
        "audience ends the download links handed out before.",
    )


@strawberry.input
class DeleteHelpDocumentInput:
    id: relay.GlobalID

"""Payloads of the services' mutations."""

import strawberry
from strawberry import relay

from resolvers.core.errors import ErrorCode as E
from schema.core.errors import UserError, errors_field
from schema.services.types import (
    AccessArrangementNode,
    HelpDocumentNode,
    ReleaseNode,
    ResourceNode,
    SubmissionNode,
)

_FILE_CODES = (E.FILE_EMPTY, E.FILE_TOO_LARGE, E.FILE_TYPE_NOT_ALLOWED)


@strawberry.type(description="What uploading or changing a resource did.")
class ResourcePayload:
    resource: ResourceNode | None = strawberry.field(
        default=None, description="The resource as it is now; null when errors is not empty."
    )
    errors: list[UserError] = errors_field(
        E.NOT_FOUND,
        E.SERIES_NOT_FOUND,
        E.INVALID_INPUT,
        E.FILE_EMPTY,
        E.RESOURCE_WITHDRAWN,
        E.RESOURCE_NOT_RELEASED,
        E.CONCURRENT_CHANGE,
    )


@strawberry.type(description="What deleting a resource did.")
class DeleteResourcePayload:
    deleted_resource_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The deleted Resource's id, to drop it from a cached list; null on errors.",
    )
    errors: list[UserError] = errors_field(
        E.NOT_FOUND,
        E.RESOURCE_RELEASE_SCHEDULED,
        E.RESOURCE_RELEASED,
        E.RESOURCE_WITHDRAWN,
        E.CONCURRENT_CHANGE,
    )


@strawberry.type(description="What releasing a resource, or cancelling a release, did.")
class ReleasePayload:
    release: ReleaseNode | None = strawberry.field(
        default=None, description="The release as it is now; null when errors is not empty."
    )
    errors: list[UserError] = errors_field(
        E.NOT_FOUND,
        E.NOT_A_CENTRE,
        E.ORGANISATION_DELETED,
        E.INVALID_INPUT,
        E.RESOURCE_WITHDRAWN,
        E.RELEASE_CANCELLED,
        E.RELEASE_ALREADY_OUT,
        E.CONCURRENT_CHANGE,
    )


@strawberry.type(description="What submitting for assessment did.")
class SubmitForAssessmentPayload:
    submission: SubmissionNode | None = strawberry.field(
        default=None, description="The new submission; null when errors is not empty."
    )
    errors: list[UserError] = errors_field(
        E.NOT_FOUND,
        E.NOT_A_CENTRE,
        E.ORGANISATION_DELETED,
        E.SERIES_NOT_FOUND,
        E.SYLLABUS_NOT_FOUND,
        E.NO_ENTRIES_FOR_SYLLABUS,
        E.CANDIDATE_REQUIRED,
        E.CANDIDATE_NOT_FOUND,
        E.CANDIDATE_NOT_ENTERED,
        E.FILES_REQUIRED,
        E.TOO_MANY_FILES,
        *_FILE_CODES,
        E.INVALID_INPUT,
    )


@strawberry.type(description="What applying for, withdrawing or deciding an arrangement did.")
class AccessArrangementPayload:
    application: AccessArrangementNode | None = strawberry.field(
        default=None, description="The application as it is now; null when errors is not empty."
    )
    errors: list[UserError] = errors_field(
        E.NOT_FOUND,
        E.NOT_A_CENTRE,
        E.ORGANISATION_DELETED,
        E.SERIES_NOT_FOUND,
        E.CANDIDATE_NOT_FOUND,
        E.CANDIDATE_NOT_ENTERED,
        E.REASONS_REQUIRED,
        E.APPLICATION_EXISTS,
        E.APPLICATION_NOT_SUBMITTED,
        E.DECISION_NOTE_REQUIRED,
        *_FILE_CODES,
        E.INVALID_INPUT,
        E.CONCURRENT_CHANGE,
    )


@strawberry.type(description="What uploading or changing a help document did.")
class HelpDocumentPayload:
    help_document: HelpDocumentNode | None = strawberry.field(
        default=None,
        description="The document as it is now (its download is null here: list helpDocuments "
        "for a link); null when errors is not empty.",
    )
    errors: list[UserError] = errors_field(
        E.NOT_FOUND, E.AUDIENCE_REQUIRED, E.INVALID_INPUT, *_FILE_CODES, E.CONCURRENT_CHANGE
    )


@strawberry.type(description="What deleting a help document did.")
class DeleteHelpDocumentPayload:
    deleted_help_document_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The deleted HelpDocument's id, to drop it from a cached list; null on errors.",
    )
    errors: list[UserError] = errors_field(E.NOT_FOUND, E.CONCURRENT_CHANGE)

"""Payloads of the services' mutations."""

import strawberry
from strawberry import relay

from schema.core.errors import UserError
from schema.services.types import (
    AccessArrangementNode,
    HelpDocumentNode,
    ReleaseNode,
    ResourceNode,
    SubmissionNode,
)


@strawberry.type
class ResourcePayload:
    resource: ResourceNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteResourcePayload:
    deleted_resource_id: relay.GlobalID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReleasePayload:
    release: ReleaseNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SubmitForAssessmentPayload:
    submission: SubmissionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AccessArrangementPayload:
    application: AccessArrangementNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HelpDocumentPayload:
    help_document: HelpDocumentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteHelpDocumentPayload:
    deleted_help_document_id: relay.GlobalID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

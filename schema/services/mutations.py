"""The services' mutations: uploading, releasing and cancelling resources, submitting work,
access arrangements and help documents. Over 400 lines: one module per package holds its
mutations (tests/app/test_field_map.py), and the services are the biggest package."""

from collections.abc import Awaitable
from typing import Annotated

import strawberry
from strawberry import relay

from models.services import ApplicationStatus as ApplicationStatusValue
from policies import Actor
from policies import Role as RoleValue
from resolvers.services import access_arrangements as arrangement_cases
from resolvers.services import help_documents as help_cases
from resolvers.services import releases as release_cases
from resolvers.services import resource_changes as change_cases
from resolvers.services import resources as resource_cases
from resolvers.services import submissions as submission_cases
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.permissions import SignedIn
from schema.services.inputs import (
    CancelReleaseInput,
    DecideAccessArrangementInput,
    DeleteHelpDocumentInput,
    DeleteResourceInput,
    ReleaseResourceInput,
    ReplaceResourceFileInput,
    SubmitAccessArrangementInput,
    SubmitForAssessmentInput,
    UpdateHelpDocumentInput,
    UpdateResourceInput,
    UploadHelpDocumentInput,
    UploadResourceInput,
    WithdrawAccessArrangementInput,
    WithdrawResourceInput,
)
from schema.services.payloads import (
    AccessArrangementPayload,
    DeleteHelpDocumentPayload,
    DeleteResourcePayload,
    HelpDocumentPayload,
    ReleasePayload,
    ResourcePayload,
    SubmitForAssessmentPayload,
)
from schema.services.types import (
    AccessArrangementNode,
    HelpDocumentNode,
    ReleaseNode,
    ResourceNode,
    SubmissionNode,
)


def _resource_id(global_id: relay.GlobalID) -> int:
    return node_id(global_id, "Resource", "input", "id")


async def _resource_mutation(work: Awaitable[resource_cases.ResourceRow]) -> ResourcePayload:
    return await payload(
        ResourcePayload, work, lambda row: ResourcePayload(resource=ResourceNode.of(row))
    )


@strawberry.type
class ReleaseMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description='Board admins ("Upload Resources"): store a file as a series\' resource.',
    )
    async def upload_resource(
        self,
        info: Info,
        input: Annotated[
            UploadResourceInput,
            strawberry.argument(
                description="The series, service, title, description and file of the new resource."
            ),
        ],
    ) -> ResourcePayload:
        return await payload(
            ResourcePayload,
            resource_cases.upload_resource(
                info.context.actor,
                series_code=input.series_code,
                service=input.service,
                title=input.title,
                description=input.description,
                file=input.file,
            ),
            lambda row: ResourcePayload(resource=ResourceNode.of(row)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description='Board admins ("Manage Resources"): a resource\'s title and description, '
        "checked as on upload. RESOURCE_WITHDRAWN once withdrawn.",
    )
    async def update_resource(
        self,
        info: Info,
        input: Annotated[
            UpdateResourceInput,
            strawberry.argument(description="The resource and its new title and description."),
        ],
    ) -> ResourcePayload:
        async def work() -> resource_cases.ResourceRow:
            return await change_cases.update_resource(
                info.context.actor,
                resource_id=_resource_id(input.id),
                title=input.title,
                description=input.description,
            )

        return await _resource_mutation(work())

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: a new file for a resource (a multipart upload, as "
        "uploadResource). Links handed out for the old file stop working (404); ask again for "
        "a link to the new one.",
    )
    async def replace_resource_file(
        self,
        info: Info,
        input: Annotated[
            ReplaceResourceFileInput,
            strawberry.argument(description="The resource and its new file."),
        ],
    ) -> ResourcePayload:
        async def work() -> resource_cases.ResourceRow:
            return await change_cases.replace_resource_file(
                info.context.actor, resource_id=_resource_id(input.id), file=input.file
            )

        return await _resource_mutation(work())

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: delete a wrong upload, with its file, while it was never "
        "released. RESOURCE_RELEASE_SCHEDULED while a release is due (cancel it first); "
        "RESOURCE_RELEASED once one went out (withdraw it instead).",
    )
    async def delete_resource(
        self,
        info: Info,
        input: Annotated[
            DeleteResourceInput, strawberry.argument(description="The resource to delete.")
        ],
    ) -> DeleteResourcePayload:
        async def work() -> resource_cases.ResourceRow:
            return await change_cases.delete_resource(
                info.context.actor, resource_id=_resource_id(input.id)
            )

        return await payload(
            DeleteResourcePayload,
            work(),
            lambda row: DeleteResourcePayload(
                deleted_resource_id=relay.GlobalID("Resource", str(row.id))
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: take a released resource back from every centre, for good: "
        "centres no longer list or open it, its links stop working and its releases still due "
        "are cancelled. The board keeps it for the record. RESOURCE_NOT_RELEASED if it never "
        "went out (delete it instead).",
    )
    async def withdraw_resource(
        self,
        info: Info,
        input: Annotated[
            WithdrawResourceInput,
            strawberry.argument(description="The resource to withdraw, and why."),
        ],
    ) -> ResourcePayload:
        async def work() -> resource_cases.ResourceRow:
            return await change_cases.withdraw_resource(
                info.context.actor, resource_id=_resource_id(input.id), reason=input.reason
            )

        return await _resource_mutation(work())

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description='Board admins ("Release Resources"): release a resource at a key time to '
        "every centre or to the centres named.",
    )
    async def release_resource(
        self,
        info: Info,
        input: Annotated[
            ReleaseResourceInput,
            strawberry.argument(
                description="The resource, its release time and the centres it is for."
            ),
        ],
    ) -> ReleasePayload:
        async def work() -> release_cases.ReleaseRow:
            return await release_cases.release_resource(
                info.context.actor,
                resource_id=node_id(input.resource_id, "Resource", "input", "resourceId"),
                release_at=input.release_at,
                centre_codes=input.centre_codes,
            )

        return await payload(
            ReleasePayload,
            work(),
            lambda row: ReleasePayload(release=ReleaseNode.of(row)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: cancel a release before its time (RELEASE_ALREADY_OUT after).",
    )
    async def cancel_release(
        self,
        info: Info,
        input: Annotated[
            CancelReleaseInput, strawberry.argument(description="The release to cancel.")
        ],
    ) -> ReleasePayload:
        async def work() -> release_cases.ReleaseRow:
            return await release_cases.cancel_release(
                info.context.actor,
                release_id=node_id(input.release_id, "Release", "input", "releaseId"),
            )

        return await payload(
            ReleasePayload,
            work(),
            lambda row: ReleasePayload(release=ReleaseNode.of(row)),
        )


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
        self,
        info: Info,
        input: Annotated[
            SubmitForAssessmentInput,
            strawberry.argument(
                description="The centre, series, syllabus, kind, candidate, note and files."
            ),
        ],
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
        self,
        info: Info,
        input: Annotated[
            SubmitAccessArrangementInput,
            strawberry.argument(
                description="The centre, series, candidate, arrangement, reasons and evidence."
            ),
        ],
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
        self,
        info: Info,
        input: Annotated[
            WithdrawAccessArrangementInput,
            strawberry.argument(description="The waiting application the centre no longer wants."),
        ],
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
        self,
        info: Info,
        input: Annotated[
            DecideAccessArrangementInput,
            strawberry.argument(
                description="The application, the decision and the note to the applicant."
            ),
        ],
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


def _help_document_id(global_id: relay.GlobalID) -> int:
    return node_id(global_id, "HelpDocument", "input", "id")


async def _help_mutation(work: Awaitable[help_cases.HelpDocumentRow]) -> HelpDocumentPayload:
    return await payload(
        HelpDocumentPayload,
        work,
        lambda row: HelpDocumentPayload(help_document=HelpDocumentNode.of(row)),
    )


@strawberry.type
class HelpDocumentMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description='Board admins ("Help Document Upload"): a help document for everyone or '
        "for the roles named.",
    )
    async def upload_help_document(
        self,
        info: Info,
        input: Annotated[
            UploadHelpDocumentInput,
            strawberry.argument(description="The title, audience and file of the new document."),
        ],
    ) -> HelpDocumentPayload:
        return await _help_mutation(
            help_cases.upload_help_document(
                info.context.actor,
                title=input.title,
                for_everyone=input.for_everyone,
                roles=[RoleValue(role.value) for role in input.roles],
                file=input.file,
            )
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: a help document's title and audience, and its file if one "
        "is sent.",
    )
    async def update_help_document(
        self,
        info: Info,
        input: Annotated[
            UpdateHelpDocumentInput,
            strawberry.argument(
                description="The document with its title and audience, and a new file or null."
            ),
        ],
    ) -> HelpDocumentPayload:
        async def work() -> help_cases.HelpDocumentRow:
            return await help_cases.update_help_document(
                info.context.actor,
                document_id=_help_document_id(input.id),
                title=input.title,
                for_everyone=input.for_everyone,
                roles=[RoleValue(role.value) for role in input.roles],
                file=input.file,
            )

        return await _help_mutation(work())

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: delete a help document and its file.",
    )
    async def delete_help_document(
        self,
        info: Info,
        input: Annotated[
            DeleteHelpDocumentInput, strawberry.argument(description="The document to delete.")
        ],
    ) -> DeleteHelpDocumentPayload:
        async def work() -> help_cases.HelpDocumentRow:
            return await help_cases.delete_help_document(
                info.context.actor, document_id=_help_document_id(input.id)
            )

        return await payload(
            DeleteHelpDocumentPayload,
            work(),
            lambda row: DeleteHelpDocumentPayload(
                deleted_help_document_id=relay.GlobalID("HelpDocument", str(row.id))
            ),
        )

"""Help documents' mutations: the board uploads, edits and deletes the guides for examdesk's
users."""

from collections.abc import Awaitable
from typing import Annotated

import strawberry
from strawberry import relay

from policies import Role as RoleValue
from resolvers.services import help_documents as help_cases
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.permissions import SignedIn
from schema.services.inputs import (
    DeleteHelpDocumentInput,
    UpdateHelpDocumentInput,
    UploadHelpDocumentInput,
)
from schema.services.payloads import DeleteHelpDocumentPayload, HelpDocumentPayload
from schema.services.types import HelpDocumentNode


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

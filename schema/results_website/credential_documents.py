"""'Confidential examination results information' PDFs: the mutation that queues them."""

import strawberry

from resolvers.results_website import credential_documents as document_cases
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.jobs import job_payload
from schema.core.permissions import SignedIn


@strawberry.input
class CreateResultsCredentialsDocumentsInput:
    centre_code: str = strawberry.field(description="e.g. AA101.")
    series_code: str = strawberry.field(description="e.g. 2026-JUN.")


CreateResultsCredentialsDocumentsPayload = job_payload(
    "CreateResultsCredentialsDocumentsPayload",
    "Poll `job(id)`; once SUCCEEDED its `files` are the PDF (a page per candidate) and the zip "
    "(a PDF per candidate).",
)


@strawberry.type
class CredentialDocumentMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Exams officers: the 'Confidential examination results information' "
        "documents of every candidate with results sign-in details for the series, made in "
        "the background.",
    )
    async def create_results_credentials_documents(
        self, info: Info, input: CreateResultsCredentialsDocumentsInput
    ) -> CreateResultsCredentialsDocumentsPayload:
        return await payload(
            CreateResultsCredentialsDocumentsPayload,
            document_cases.create_documents(
                info.context.actor, centre_code=input.centre_code, series_code=input.series_code
            ),
            CreateResultsCredentialsDocumentsPayload.of,
        )


__all__ = [
    "CreateResultsCredentialsDocumentsInput",
    "CreateResultsCredentialsDocumentsPayload",
    "CredentialDocumentMutations",
]

"""The candidate results website's mutations: results access, candidate sign-in and out, and the
credentials letters."""

from typing import Annotated

import strawberry
from strawberry import relay

from models.results_access import AccessStatus
from resolvers.core.errors import DomainError
from resolvers.core.errors import UserError as DomainUserError
from resolvers.results_website import candidate_sessions
from resolvers.results_website import credential_documents as document_cases
from resolvers.results_website import results_access as access_cases
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.payloads import DonePayload
from schema.core.permissions import CandidateSignedIn, Public, SignedIn
from schema.results_website.inputs import (
    CreateResultsCredentialsDocumentsInput,
    SignInCandidateInput,
    UpdateResultsAccessInput,
    UpdateResultsAccessSelectionInput,
)
from schema.results_website.payloads import (
    CreateResultsCredentialsDocumentsPayload,
    SignInCandidatePayload,
    UpdateResultsAccessPayload,
    UpdateResultsAccessSelectionPayload,
)
from schema.results_website.types import ResultsAccessNode


def _candidate_ids(ids: list[relay.GlobalID], name: str) -> list[int]:
    """Every id decoded, or every undecodable one reported."""
    found: list[int] = []
    problems: list[DomainUserError] = []
    for index, global_id in enumerate(ids):
        try:
            found.append(node_id(global_id, "Candidate", "input", name, str(index)))
        except DomainError as error:
            problems.extend(error.errors)
    if problems:
        raise DomainError(problems)
    return found


@strawberry.type
class ResultsAccessMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Exams officers: give NO, ALL or SELECTED candidates access to the series' "
        "results online. ALL creates a username and password for every candidate entered; NONE "
        "takes access away and signs candidates out.",
    )
    async def update_results_access(
        self,
        info: Info,
        input: Annotated[
            UpdateResultsAccessInput,
            strawberry.argument(
                description="The centre, the series, who gets access, and the contact for queries."
            ),
        ],
    ) -> UpdateResultsAccessPayload:
        return await payload(
            UpdateResultsAccessPayload,
            access_cases.update_access(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                status=AccessStatus(input.status.value),
                agreed=input.agreed,
                contact_name=input.contact_name,
                contact_phone=input.contact_phone,
                contact_email=input.contact_email,
                delay_hours=input.delay_hours,
            ),
            lambda r: UpdateResultsAccessPayload(
                results_access=ResultsAccessNode.of(r.state),
                credentials_created=r.credentials_created,
                credentials_revoked=r.credentials_revoked,
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Exams officers, for SELECTED access: give candidates access or take it "
        "away, all or nothing. A candidate given access again keeps their username and "
        "password unless `reissue` is true.",
    )
    async def update_results_access_selection(
        self,
        info: Info,
        input: Annotated[
            UpdateResultsAccessSelectionInput,
            strawberry.argument(
                description="The centre, the series, and whose access to add or remove."
            ),
        ],
    ) -> UpdateResultsAccessSelectionPayload:
        async def work() -> access_cases.SelectionUpdate:
            add = _candidate_ids(input.add, "add")
            remove = _candidate_ids(input.remove, "remove")
            return await access_cases.update_selection(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                add=add,
                remove=remove,
                reissue=input.reissue,
            )

        return await payload(
            UpdateResultsAccessSelectionPayload,
            work(),
            lambda r: UpdateResultsAccessSelectionPayload(
                results_access=ResultsAccessNode.of(r.state),
                added=r.added,
                removed=r.removed,
            ),
        )


@strawberry.type
class CandidateResultsMutations:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Anyone: sign in to the candidate results website with the username and "
        "password from the centre's letter. Send the token as `Authorization: Bearer <token>`; "
        "five wrong passwords in a row lock the username for 15 minutes.",
    )
    async def sign_in_candidate(
        self,
        info: Info,
        input: Annotated[
            SignInCandidateInput,
            strawberry.argument(
                description="The username and password from the candidate's results letter."
            ),
        ],
    ) -> SignInCandidatePayload:
        return await payload(
            SignInCandidatePayload,
            candidate_sessions.sign_in_candidate(
                info.context.actor, username=input.username, password=input.password
            ),
            lambda r: SignInCandidatePayload(token=r.token, expires_at=r.expires_at),
        )

    @strawberry.mutation(
        permission_classes=[CandidateSignedIn],
        description="Candidates: sign out; the session token stops working at once.",
    )
    async def sign_out_candidate(self, info: Info) -> DonePayload:
        await candidate_sessions.sign_out_candidate(info.context.actor)
        return DonePayload(ok=True, message="Signed out.")


@strawberry.type
class CredentialDocumentMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Exams officers: the 'Confidential examination results information' "
        "documents of every candidate with results sign-in details for the series, made in "
        "the background.",
    )
    async def create_results_credentials_documents(
        self,
        info: Info,
        input: Annotated[
            CreateResultsCredentialsDocumentsInput,
            strawberry.argument(description="The centre and the series."),
        ],
    ) -> CreateResultsCredentialsDocumentsPayload:
        return await payload(
            CreateResultsCredentialsDocumentsPayload,
            document_cases.create_documents(
                info.context.actor, centre_code=input.centre_code, series_code=input.series_code
            ),
            CreateResultsCredentialsDocumentsPayload.of,
        )

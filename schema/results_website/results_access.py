"""The candidate results website administration: which candidates may read results online."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.results_access import AccessStatus
from resolvers.core.errors import DomainError
from resolvers.core.errors import UserError as DomainUserError
from resolvers.results_website import results_access as cases
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.exams.types import CandidateNode, SeriesNode

__all__ = ["ResultsAccessMutations", "ResultsAccessQueries"]

ResultsAccessStatus = strawberry.enum(
    AccessStatus,
    name="ResultsAccessStatus",
    description="Who may read the series' results online: NO candidates, ALL candidates "
    "entered in it, or SELECTED ones.",
)


@strawberry.type(
    name="ResultsAccess",
    description="A centre's candidate results website access for one series. Shown for series "
    "in which the centre has a valid (not withdrawn) entry.",
)
class ResultsAccessNode:
    centre_code: str
    series: SeriesNode
    status: ResultsAccessStatus
    summary: str = strawberry.field(description="e.g. 'NO candidates have access'.")
    candidates_entered: int = strawberry.field(
        description="Candidates with a valid entry in the series."
    )
    candidates_with_access: int = strawberry.field(
        description="Candidates holding a results username and password."
    )
    credentials_open: bool = strawberry.field(
        description="Whether credentials may be created yet (series.credentialsOpenAt)."
    )
    agreed_at: datetime | None = strawberry.field(
        description="When the centre last agreed to manage its candidates' queries."
    )
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    delay_hours: int = strawberry.field(
        description="Candidates see results this many hours after the series' release time."
    )
    updated_at: datetime | None

    @classmethod
    def of(cls, state: cases.AccessState) -> "ResultsAccessNode":
        access = state.access
        return cls(
            centre_code=state.centre.code,
            series=SeriesNode.of(state.series),
            status=state.status,
            summary=state.summary,
            candidates_entered=state.candidates_entered,
            candidates_with_access=state.candidates_with_access,
            credentials_open=state.credentials_open,
            agreed_at=access.agreed_at if access else None,
            contact_name=(access.contact_name or None) if access else None,
            contact_phone=access.contact_phone if access else None,
            contact_email=access.contact_email if access else None,
            delay_hours=access.delay_hours if access else 0,
            updated_at=access.updated_at if access else None,
        )


@strawberry.type(description="A candidate entered in the series, and their results access.")
class ResultsAccessCandidate:
    candidate: CandidateNode
    has_access: bool
    username: str | None = strawberry.field(
        description="Their results website username, when they have access. Passwords are "
        "never shown here."
    )

    @classmethod
    def of(cls, row: cases.AccessCandidate) -> "ResultsAccessCandidate":
        return cls(
            candidate=CandidateNode.of(row.candidate),
            has_access=row.credential is not None,
            username=row.credential.username if row.credential else None,
        )


@strawberry.input
class ResultsAccessCandidateFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the candidate's name, number or UCI.",
    )
    has_access: bool | None = None


@strawberry.type
class ResultsAccessQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Candidate results website: the series the centre has valid entries in, "
        "latest first, each with its access.",
    )
    async def results_access_series(self, info: Info, centre_code: str) -> list[ResultsAccessNode]:
        states = await cases.list_series_access(info.context.actor, centre_code=centre_code)
        return [ResultsAccessNode.of(s) for s in states]

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Candidate results website access of a centre for one series.",
    )
    async def results_access(
        self, info: Info, centre_code: str, series_code: str
    ) -> ResultsAccessNode:
        state = await cases.get_access(
            info.context.actor, centre_code=centre_code, series_code=series_code
        )
        return ResultsAccessNode.of(state)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The centre's candidates entered in the series, in ascending candidate "
        "number order, with their results access.",
    )
    async def results_access_candidates(
        self,
        info: Info,
        centre_code: str,
        series_code: str,
        filter: ResultsAccessCandidateFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ResultsAccessCandidate]:
        criteria = filter or ResultsAccessCandidateFilter()
        page = await cases.list_access_candidates(
            info.context.actor,
            centre_code=centre_code,
            series_code=series_code,
            search=criteria.search,
            has_access=criteria.has_access,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, ResultsAccessCandidate.of)


@strawberry.input
class UpdateResultsAccessInput:
    centre_code: str
    series_code: str
    status: ResultsAccessStatus
    agreed: bool = strawberry.field(
        description="You agree to manage any queries from candidates at your centre. Needed "
        "for ALL and SELECTED."
    )
    contact_name: str | None = strawberry.field(
        default=None, description="Who manages candidates' queries: printed on their letters."
    )
    contact_phone: str | None = strawberry.field(
        default=None, description="A telephone number with its country code; this or an email."
    )
    contact_email: str | None = None
    delay_hours: int = strawberry.field(
        default=0,
        description="Hours after the series' release time before candidates see results "
        "(0 to 720).",
    )


@strawberry.type
class UpdateResultsAccessPayload:
    results_access: ResultsAccessNode | None = None
    credentials_created: int = 0
    credentials_revoked: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateResultsAccessSelectionInput:
    centre_code: str
    series_code: str
    add: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Candidates to give access to."
    )
    remove: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Candidates whose access ends (they are signed out)."
    )


@strawberry.type
class UpdateResultsAccessSelectionPayload:
    results_access: ResultsAccessNode | None = None
    added: int = strawberry.field(default=0, description="Credentials created or renewed.")
    removed: int = strawberry.field(default=0, description="Credentials revoked.")
    errors: list[UserError] = strawberry.field(default_factory=list)


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
        self, info: Info, input: UpdateResultsAccessInput
    ) -> UpdateResultsAccessPayload:
        return await payload(
            UpdateResultsAccessPayload,
            cases.update_access(
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
        "away, all or nothing.",
    )
    async def update_results_access_selection(
        self, info: Info, input: UpdateResultsAccessSelectionInput
    ) -> UpdateResultsAccessSelectionPayload:
        async def work() -> cases.SelectionUpdate:
            add = _candidate_ids(input.add, "add")
            remove = _candidate_ids(input.remove, "remove")
            return await cases.update_selection(
                info.context.actor,
                centre_code=input.centre_code,
                series_code=input.series_code,
                add=add,
                remove=remove,
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

"""The candidate results website's root fields: results access by series and candidate, and a
signed-in candidate's results."""

import strawberry

from resolvers.results_website import candidate_sessions
from resolvers.results_website import results_access as access_cases
from schema.core.context import Info
from schema.core.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection,
    page_window,
)
from schema.core.permissions import CandidateSignedIn, SignedIn
from schema.results_website.inputs import ResultsAccessCandidateFilter
from schema.results_website.types import CandidateResults, ResultsAccessCandidate, ResultsAccessNode


@strawberry.type
class ResultsAccessQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Candidate results website: the series the centre has valid entries in, "
        "latest first, each with its access.",
    )
    async def results_access_series(self, info: Info, centre_code: str) -> list[ResultsAccessNode]:
        states = await access_cases.list_series_access(info.context.actor, centre_code=centre_code)
        return [ResultsAccessNode.of(s) for s in states]

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Candidate results website access of a centre for one series.",
    )
    async def results_access(
        self, info: Info, centre_code: str, series_code: str
    ) -> ResultsAccessNode:
        state = await access_cases.get_access(
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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ResultsAccessCandidate]:
        criteria = filter or ResultsAccessCandidateFilter()
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: access_cases.list_access_candidates(
                info.context.actor,
                centre_code=centre_code,
                series_code=series_code,
                search=criteria.search,
                has_access=criteria.has_access,
                limit=limit,
                offset=offset,
            ),
            default=50,
        )
        return connection(page, ResultsAccessCandidate.of)


@strawberry.type
class CandidateResultsQueries:
    @strawberry.field(
        permission_classes=[CandidateSignedIn],
        description="Candidates: your own results, per series your centre gave you access to, "
        "from the release time plus your centre's delay.",
    )
    async def candidate_results(self, info: Info) -> CandidateResults:
        return CandidateResults.of(await candidate_sessions.candidate_results(info.context.actor))

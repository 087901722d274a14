"""The candidate results website's root fields: results access by series and candidate, and a
signed-in candidate's results."""

from typing import Annotated

import strawberry

from resolvers.results_website import candidate_sessions
from resolvers.results_website import results_access as access_cases
from schema.core.context import Info
from schema.core.described import CentreCode, SeriesCode
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
        description="The centre's exams officer (or its associate's) and board admins: the "
        "series the centre has valid entries in, latest first, each with its candidate results "
        "website access.",
    )
    async def results_access_series(
        self, info: Info, centre_code: CentreCode
    ) -> list[ResultsAccessNode]:
        states = await access_cases.list_series_access(info.context.actor, centre_code=centre_code)
        return [ResultsAccessNode.of(s) for s in states]

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The centre's exams officer (or its associate's) and board admins: a "
        "centre's candidate results website access for one series (NO_VALID_ENTRY if it has no "
        "valid entry in it).",
    )
    async def results_access(
        self, info: Info, centre_code: CentreCode, series_code: SeriesCode
    ) -> ResultsAccessNode:
        state = await access_cases.get_access(
            info.context.actor, centre_code=centre_code, series_code=series_code
        )
        return ResultsAccessNode.of(state)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The centre's exams officer (or its associate's) and board admins: the "
        "centre's candidates entered in the series, in ascending candidate number order, 50 a "
        "page by default, with their results access.",
    )
    async def results_access_candidates(
        self,
        info: Info,
        centre_code: CentreCode,
        series_code: SeriesCode,
        filter: Annotated[
            ResultsAccessCandidateFilter | None,
            strawberry.argument(description="Which candidates; null for every one."),
        ] = None,
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

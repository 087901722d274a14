"""The exams' root fields: series, syllabuses, candidates and entries."""

from typing import Annotated

import strawberry

from resolvers.exams import candidate_list as candidate_cases
from resolvers.exams import entries as entry_cases
from resolvers.exams import series as series_cases
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
    paginate,
)
from schema.core.permissions import SignedIn
from schema.core.selections import selects
from schema.exams.dataloaders import ResultByEntryIdLoader
from schema.exams.inputs import CandidateFilter, EntryFilter, SyllabusFilter
from schema.exams.types import (
    CandidateNode,
    EntryConnection,
    EntryNode,
    SeriesNode,
    SyllabusNode,
    fill_entries,
)
from schema.network.dataloaders import OrganisationByIdLoader


@strawberry.type
class ExamQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Every signed-in user: the exam series, latest first, 15 a page by default.",
    )
    async def series(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SeriesNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: series_cases.list_series(
                info.context.actor, limit=limit, offset=offset
            ),
            default=15,
        )
        return connection(page, SeriesNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Every signed-in user: one series by its code; null if there is none.",
    )
    async def series_by_code(self, info: Info, code: SeriesCode) -> SeriesNode | None:
        found = await series_cases.get_series(info.context.actor, code)
        return SeriesNode.of(found) if found else None

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Every signed-in user: the syllabuses, by code, 15 a page by default.",
    )
    async def syllabuses(
        self,
        info: Info,
        filter: Annotated[
            SyllabusFilter | None,
            strawberry.argument(description="Which syllabuses; null for every one."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SyllabusNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: series_cases.list_syllabuses(
                info.context.actor,
                search=(filter or SyllabusFilter()).search,
                limit=limit,
                offset=offset,
            ),
            default=15,
        )
        return connection(page, SyllabusNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The exams officer and SLT of the centre (or of its associate), and board "
        "admins: a series' entries at a centre, by candidate number, 50 a page by default, "
        "with results once released.",
    )
    async def entries(
        self,
        info: Info,
        centre_code: CentreCode,
        series_code: SeriesCode,
        filter: Annotated[
            EntryFilter | None,
            strawberry.argument(description="Which entries; null for every one."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> EntryConnection:
        criteria = filter or EntryFilter()
        found, page = await paginate(
            PageArgs(first, after, last, before),
            lambda limit, offset: entry_cases.list_entries(
                info.context.actor,
                centre_code=centre_code,
                series_code=series_code,
                status=criteria.status,
                syllabus_code=criteria.syllabus_code,
                search=criteria.search,
                limit=limit,
                offset=offset,
            ),
            lambda found: found.page,
            default=50,
        )
        # The rows' candidates' centre is the list's; their results, if shown and asked for,
        # read in one batch now, so that no row awaits either.
        OrganisationByIdLoader.of(info.context).prime(found.centre.id, found.centre)
        results = ResultByEntryIdLoader.of(info.context)
        if found.results_visible and page.items and selects(info, "result", deep=True):
            await results.fill([entry.id for entry in page.items])
        base = connection(
            page,
            lambda e: EntryNode.of(
                e, results_visible=found.results_visible, loaded_result=results.peek(e.id)
            ),
        )
        return EntryConnection(
            edges=base.edges,
            page_info=base.page_info,
            total_count=base.total_count,
            results_visible=found.results_visible,
        )

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A centre's candidates by candidate number, 50 a page by default (up to "
        "500), for those who may read its entries; each with their entries and results.",
    )
    async def candidates(
        self,
        info: Info,
        centre_code: CentreCode,
        filter: Annotated[
            CandidateFilter | None,
            strawberry.argument(description="Which candidates; null for every one."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CandidateNode]:
        criteria = filter or CandidateFilter()
        context = info.context
        (centre, _), page = await paginate(
            PageArgs(first, after, last, before),
            lambda limit, offset: candidate_cases.list_candidates(
                context.actor,
                centre_code=centre_code,
                search=criteria.search,
                series_code=criteria.series_code,
                limit=limit,
                offset=offset,
            ),
            lambda answer: answer[1],
            default=50,
        )
        # The rows' entries need no query for the centre; the Authorizer already holds the
        # decision made for the list.
        OrganisationByIdLoader.of(context).prime(centre.id, centre)
        await fill_entries(info, centre, [row.id for row in page.items])
        return connection(page, CandidateNode.of)

"""The services' root fields: resources, releases and key times, submissions and access
arrangements."""

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.services import access_arrangements as arrangement_cases
from resolvers.services import help_documents as help_cases
from resolvers.services import releases as release_cases
from resolvers.services import resources as resource_cases
from resolvers.services import submissions as submission_cases
from schema.core.context import Info
from schema.core.described import SERIES_CODE, CentreCode, SeriesFilterArgument
from schema.core.ids import node_id
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
from schema.core.permissions import SignedIn
from schema.core.selections import selects
from schema.services.enums import ApplicationStatus, ResourceService
from schema.services.inputs import ReleaseFilter
from schema.services.types import (
    AccessArrangementNode,
    HelpDocumentNode,
    KeyTime,
    ReleaseNode,
    ResourceNode,
    SubmissionNode,
)

_ApplicationStatusArgument = Annotated[
    ApplicationStatus | None,
    strawberry.argument(description="Only applications in this status; leave out for all."),
]


@strawberry.type
class ReleaseQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description='Board admins ("Manage Resources"): every resource, by title.',
    )
    async def resources(
        self,
        info: Info,
        series_code: SeriesFilterArgument = None,
        service: Annotated[
            ResourceService | None,
            strawberry.argument(description="Only this service's resources; leave out for all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ResourceNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: resource_cases.list_resources(
                info.context.actor,
                series_code=series_code,
                service=service,
                limit=limit,
                offset=offset,
                with_links=selects(info, "download", deep=True),
            ),
            default=50,
        )
        return connection(page, ResourceNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The centre's staff: resources released to the centre whose release time "
        "has passed, of the services you may open there (Global Listening: the exams officer "
        "alone), by title.",
    )
    async def centre_resources(
        self,
        info: Info,
        centre_code: CentreCode,
        series_code: SeriesFilterArgument = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ResourceNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: resource_cases.centre_resources(
                info.context.actor,
                centre_code=centre_code,
                series_code=series_code,
                limit=limit,
                offset=offset,
                with_links=selects(info, "download", deep=True),
            ),
            default=50,
        )
        return connection(page, ResourceNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="One resource released to the centre: FORBIDDEN if its service is not "
        "yours to open there; null if it is not released to the centre (yet).",
    )
    async def centre_resource(
        self,
        info: Info,
        centre_code: CentreCode,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The Resource's id.")],
    ) -> ResourceNode | None:
        row = await resource_cases.centre_resource(
            info.context.actor,
            centre_code=centre_code,
            resource_id=node_id(id, "Resource", "id"),
            with_link=selects(info, "download", deep=True),
        )
        return ResourceNode.of(row) if row else None

    @strawberry.field(
        permission_classes=[SignedIn],
        description='Board admins ("Manage Releases"): releases, the latest release time '
        "first; cancelled ones only if asked for.",
    )
    async def releases(
        self,
        info: Info,
        filter: Annotated[
            ReleaseFilter | None,
            strawberry.argument(
                description="Which releases; leave out for all but the cancelled ones."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ReleaseNode]:
        criteria = filter or ReleaseFilter()
        resource_id = (
            node_id(criteria.resource_id, "Resource", "filter", "resourceId")
            if criteria.resource_id
            else None
        )
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: release_cases.list_releases(
                info.context.actor,
                series_code=criteria.series_code,
                resource_id=resource_id,
                include_cancelled=criteria.include_cancelled,
                limit=limit,
                offset=offset,
            ),
            default=50,
        )
        return connection(page, ReleaseNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A series' key times in time order: credentials open, results release, "
        "and its resources' release times. Board admins: leave out centreCode for every "
        "release. Centre staff: give your centre for its releases of the services you may open.",
    )
    async def key_times(
        self,
        info: Info,
        series_code: Annotated[str, strawberry.argument(description=SERIES_CODE)],
        centre_code: Annotated[
            str | None,
            strawberry.argument(
                description="Centre staff: your centre's code. Board admins: leave it out."
            ),
        ] = None,
    ) -> list[KeyTime]:
        times = await release_cases.key_times(
            info.context.actor, series_code=series_code, centre_code=centre_code
        )
        return [KeyTime.of(t) for t in times]


@strawberry.type
class ServiceQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Submit for Assessment: the centre's submissions, newest first. SFA exams "
        "officers, the exams officer and the board see them all; a teacher sees their own.",
    )
    async def submissions(
        self,
        info: Info,
        centre_code: CentreCode,
        series_code: SeriesFilterArgument = None,
        syllabus_code: Annotated[
            str | None,
            strawberry.argument(description="Only this syllabus; leave out for every one."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SubmissionNode]:
        actor = info.context.actor
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: submission_cases.list_submissions(
                actor,
                centre_code=centre_code,
                series_code=series_code,
                syllabus_code=syllabus_code,
                limit=limit,
                offset=offset,
            ),
            default=15,
        )
        return connection(page, lambda view: SubmissionNode.of(actor, view))

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Access Arrangements: the centre's applications, newest first (nominated "
        "users, the exams officer, the board).",
    )
    async def access_arrangements(
        self,
        info: Info,
        centre_code: CentreCode,
        status: _ApplicationStatusArgument = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AccessArrangementNode]:
        actor = info.context.actor
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: arrangement_cases.list_applications(
                actor,
                centre_code=centre_code,
                status=status,
                limit=limit,
                offset=offset,
            ),
            default=15,
        )
        return connection(page, lambda view: AccessArrangementNode.of(actor, view))

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every centre's applications, oldest first (the queue to "
        "decide: status SUBMITTED).",
    )
    async def access_arrangements_for_board(
        self,
        info: Info,
        status: _ApplicationStatusArgument = None,
        centre_code: Annotated[
            str | None, strawberry.argument(description="Only this centre's; leave out for all.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AccessArrangementNode]:
        actor = info.context.actor
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: arrangement_cases.list_applications_for_board(
                actor,
                status=status,
                centre_code=centre_code,
                limit=limit,
                offset=offset,
            ),
            default=15,
        )
        return connection(page, lambda view: AccessArrangementNode.of(actor, view))


@strawberry.type
class HelpDocumentQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Help documents, by title: those for everyone and those for a role you "
        "hold at any organisation (board admins: all of them).",
    )
    async def help_documents(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[HelpDocumentNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: help_cases.list_help_documents(
                info.context.actor,
                limit=limit,
                offset=offset,
                with_links=selects(info, "download", deep=True),
            ),
            default=50,
        )
        return connection(page, HelpDocumentNode.of)

"""The network's root fields: organisations, centres' users, the centres spreadsheet's sample and
report."""

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.network import centre_upload as upload_cases
from resolvers.network import centre_users, organisations, user_search
from resolvers.network import permissions as viewer_permissions
from schema.core.context import Info
from schema.core.described import CentreCode
from schema.core.downloads import FileDownload
from schema.core.ids import node_id
from schema.core.jobs import JobNode
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
from schema.core.viewer_can import OrganisationPermissions, answers
from schema.network.descriptions import ORGANISATION_CODE
from schema.network.enums import SampleFormat
from schema.network.inputs import OrganisationFilter
from schema.network.types import (
    CentreUploadReport,
    CentreUploadResult,
    CentreUser,
    OrganisationNode,
    PersonAcrossCentres,
)


@strawberry.type
class OrganisationQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every organisation, by code, searchable by number or name "
        "(others get FORBIDDEN).",
    )
    async def organisations(
        self,
        info: Info,
        filter: Annotated[
            OrganisationFilter | None,
            strawberry.argument(description="Which organisations; null for every live one."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[OrganisationNode]:
        criteria = filter or OrganisationFilter()
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: organisations.list_organisations(
                info.context.actor,
                search=criteria.search,
                kind=criteria.kind,
                include_deleted=criteria.include_deleted,
                limit=limit,
                offset=offset,
            ),
            default=15,
        )
        return connection(page, OrganisationNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="One organisation you belong to (board admins: any), by its code. An "
        "unknown code gives null to board admins; for anyone else it, like a code you may not "
        "see, is a FORBIDDEN error.",
    )
    async def organisation(
        self, info: Info, code: Annotated[str, strawberry.argument(description=ORGANISATION_CODE)]
    ) -> OrganisationNode | None:
        found = await organisations.get_organisation(info.context.actor, code)
        return OrganisationNode.of(found) if found else None

    @strawberry.field(
        permission_classes=[SignedIn],
        description="What you may do at an organisation, by its code: one Boolean per "
        "mutation that acts on it as a whole, so that a UI can hide what you may not do. It "
        "answers only about you, so every signed-in person may ask; a code that names nothing, "
        "like one where you hold no rights, answers false everywhere (Organisation.viewerCan "
        "answers the same for an organisation you can read).",
    )
    async def permissions(
        self,
        info: Info,
        organisation_code: Annotated[str, strawberry.argument(description=ORGANISATION_CODE)],
    ) -> OrganisationPermissions:  # type: ignore[valid-type]
        decided = await viewer_permissions.organisation_permissions(
            info.context.actor, organisation_code
        )
        return answers(OrganisationPermissions, decided)


@strawberry.type
class CentreQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: a centre's users, by email, with PIN and last sign-in. "
        "Deleted centres too.",
    )
    async def centre_users(
        self,
        info: Info,
        code: CentreCode,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CentreUser]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: centre_users.list_centre_users(
                info.context.actor, code, limit=limit, offset=offset
            ),
            default=15,
        )
        return connection(page, CentreUser.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description='Board admins: "Admin -> Users", a person across every organisation, by '
        "name (accents and case ignored) or email; each word must match. By email, with every "
        "place and its roles.",
    )
    async def users_across_centres(
        self,
        info: Info,
        search: Annotated[
            str,
            strawberry.argument(
                description="Words of the person's name or email; at least one (else "
                "INVALID_INPUT)."
            ),
        ],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PersonAcrossCentres]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: user_search.search_users(
                info.context.actor, search, limit=limit, offset=offset
            ),
            default=15,
        )
        return connection(page, PersonAcrossCentres.of)


@strawberry.type
class CentreUploadQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: a small valid centres file to start from.",
    )
    async def centres_upload_sample(
        self,
        info: Info,
        format: Annotated[
            SampleFormat, strawberry.argument(description="The file's kind; XLSX if not given.")
        ] = upload_cases.SampleFormat.XLSX,
    ) -> FileDownload:
        return FileDownload.of(
            await upload_cases.sample_file(info.context.actor, upload_cases.SampleFormat(format))
        )

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The report of a centres upload job you started (board admins: any).",
    )
    async def centres_upload_report(
        self,
        info: Info,
        job: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="The id of the job uploadCentres queued (payload.job)."
            ),
        ],
    ) -> CentreUploadResult:
        found, report = await upload_cases.upload_report(
            info.context.actor, node_id(job, "Job", "job")
        )
        return CentreUploadResult(
            job=JobNode.of(found), report=CentreUploadReport.of(report) if report else None
        )

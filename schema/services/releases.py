"""Resources, releases and key times as the API shows them."""

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from models.releases import ResourceService as ResourceServiceValue
from resolvers.services import releases as release_cases
from resolvers.services import resources as resource_cases
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.ids import node_id
from schema.core.pagination import Connection, connection, offset_after
from schema.core.permissions import SignedIn
from schema.core.selections import selects

ResourceService = strawberry.enum(
    ResourceServiceValue,
    description="The service a resource belongs to: at a centre, only those who may open that "
    "service see it (Global Listening: the centre's exams officer alone). GENERAL: every member.",
)
ReleaseStatus = strawberry.enum(release_cases.ReleaseStatus)
KeyTimeKind = strawberry.enum(release_cases.KeyTimeKind)


@strawberry.type(description="A signed link to a resource's file: a plain GET before expiresAt.")
class ResourceDownload:
    url: str
    expires_at: datetime


@strawberry.type(name="Resource", description="A file the board uploaded for a series.")
class ResourceNode(relay.Node):
    id: relay.NodeID[int]
    series_code: str
    service: ResourceService
    title: str
    description: str
    file_name: str | None
    content_type: str | None
    size: int | None = strawberry.field(description="In bytes.")
    created_at: datetime
    download: ResourceDownload | None = strawberry.field(
        description="A link for you alone, valid a few minutes; asked for again, a fresh one. "
        "Given by resources, centreResources and centreResource (null elsewhere)."
    )

    @classmethod
    def of(cls, row: resource_cases.ResourceRow) -> "ResourceNode":
        file, link = row.file, row.link
        return cls(
            id=row.id,
            series_code=row.series_code,
            service=row.service,
            title=row.title,
            description=row.description,
            created_at=row.created_at,
            file_name=file.name if file else None,
            content_type=file.content_type if file else None,
            size=file.size if file else None,
            download=ResourceDownload(url=link.url, expires_at=link.expires_at) if link else None,
        )


@strawberry.type(name="Release", description="A resource released to centres at a key time.")
class ReleaseNode(relay.Node):
    id: relay.NodeID[int]
    resource: ResourceNode
    release_at: datetime
    all_centres: bool
    centre_codes: list[str] = strawberry.field(
        description="The centres it is for; empty when it is for all centres."
    )
    status: ReleaseStatus
    created_at: datetime
    cancelled_at: datetime | None

    @classmethod
    def of(cls, row: release_cases.ReleaseRow) -> "ReleaseNode":
        return cls(
            id=row.id,
            resource=ResourceNode.of(row.resource),
            release_at=row.release_at,
            all_centres=row.all_centres,
            centre_codes=row.centre_codes,
            status=row.status,
            created_at=row.created_at,
            cancelled_at=row.cancelled_at,
        )


@strawberry.type(description="One time in a series' schedule.")
class KeyTime:
    kind: KeyTimeKind
    at: datetime
    title: str
    service: ResourceService | None
    release_id: relay.GlobalID | None

    @classmethod
    def of(cls, row: release_cases.KeyTime) -> "KeyTime":
        return cls(
            kind=row.kind,
            at=row.at,
            title=row.title,
            service=row.service,
            release_id=relay.GlobalID("Release", str(row.release_id)) if row.release_id else None,
        )


@strawberry.input
class ReleaseFilter:
    series_code: str | None = None
    resource_id: relay.GlobalID | None = None
    include_cancelled: bool = False


@strawberry.type
class ReleaseQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description='Board admins ("Manage Resources"): every resource, by title.',
    )
    async def resources(
        self,
        info: Info,
        series_code: str | None = None,
        service: ResourceService | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ResourceNode]:
        page = await resource_cases.list_resources(
            info.context.actor,
            series_code=series_code,
            service=service,
            limit=first,
            offset=offset_after(after),
            with_links=selects(info, "download", deep=True),
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
        centre_code: str,
        series_code: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ResourceNode]:
        page = await resource_cases.centre_resources(
            info.context.actor,
            centre_code=centre_code,
            series_code=series_code,
            limit=first,
            offset=offset_after(after),
            with_links=selects(info, "download", deep=True),
        )
        return connection(page, ResourceNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="One resource released to the centre: FORBIDDEN if its service is not "
        "yours to open there; null if it is not released to the centre (yet).",
    )
    async def centre_resource(
        self, info: Info, centre_code: str, id: relay.GlobalID
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
        filter: ReleaseFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ReleaseNode]:
        criteria = filter or ReleaseFilter()
        resource_id = (
            node_id(criteria.resource_id, "Resource", "filter", "resourceId")
            if criteria.resource_id
            else None
        )
        page = await release_cases.list_releases(
            info.context.actor,
            series_code=criteria.series_code,
            resource_id=resource_id,
            include_cancelled=criteria.include_cancelled,
            limit=first,
            offset=offset_after(after),
        )
        return connection(page, ReleaseNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="A series' key times in time order: credentials open, results release, "
        "and its resources' release times. Board admins: leave out centreCode for every "
        "release. Centre staff: give your centre for its releases of the services you may open.",
    )
    async def key_times(
        self, info: Info, series_code: str, centre_code: str | None = None
    ) -> list[KeyTime]:
        times = await release_cases.key_times(
            info.context.actor, series_code=series_code, centre_code=centre_code
        )
        return [KeyTime.of(t) for t in times]


@strawberry.input
class UploadResourceInput:
    series_code: str
    service: ResourceService
    title: str
    description: str = ""
    file: Upload = strawberry.field(
        description="The resource's file, any type. Send it as a GraphQL multipart request with "
        "the headers `Authorization: Bearer <token>` and `X-Examdesk-Upload: 1`."
    )


@strawberry.type
class ResourcePayload:
    resource: ResourceNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ReleaseResourceInput:
    resource_id: relay.GlobalID
    release_at: datetime = strawberry.field(
        description="With its time zone. A time already past releases at once."
    )
    centre_codes: list[str] | None = strawberry.field(
        default=None, description="The centres it is for; empty or absent: every centre."
    )


@strawberry.input
class CancelReleaseInput:
    release_id: relay.GlobalID


@strawberry.type
class ReleasePayload:
    release: ReleaseNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReleaseMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description='Board admins ("Upload Resources"): store a file as a series\' resource.',
    )
    async def upload_resource(self, info: Info, input: UploadResourceInput) -> ResourcePayload:
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
        description='Board admins ("Release Resources"): release a resource at a key time to '
        "every centre or to the centres named.",
    )
    async def release_resource(self, info: Info, input: ReleaseResourceInput) -> ReleasePayload:
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
    async def cancel_release(self, info: Info, input: CancelReleaseInput) -> ReleasePayload:
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


__all__ = ["ReleaseMutations", "ReleaseQueries"]

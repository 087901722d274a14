"""Resources (the board admin site's "Upload Resources", "Manage Resources"): files the board
uploads for a series, and what a centre's staff may see of them once released.

Who sees a resource at a centre is decided once per service, not per row: a resource of service
S is listed and opened only by those who may open S there (policy `service:<S>, open`), so
Global Listening materials reach the centre's own exams officer alone. GENERAL resources are for
every member of the centre. Lists are plain rows (one query for the page, one for its files), and
download links are minted only when asked for, after the check; each request that mints Global
Listening links records who looked. A withdrawn resource (resolvers/services/resource_changes.py)
is released to nobody any more: no centre lists it, opens it or sees its key time.

The module is over 400 lines because reading resources by id applies these same rules to many
centres at once, and belongs beside them.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.files import StoredFile
from models.organisations import Organisation, OrganisationKind
from models.releases import Release, ReleaseCentre, Resource, ResourceService
from policies import Actor, Authorizer, Right, Target
from policies.viewer_can import MANAGE_RESOURCES
from resolvers.core import audit, clock
from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.core.downloads import FileLink, stored_file_link
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.core.organisation_access import organisations_for
from resolvers.core.pages import Page, check_page
from resolvers.network.organisations import require_centre

OWNER_TYPE = "Resource"
MAX_TITLE = 200
MAX_DESCRIPTION = 5_000
# The columns a listing needs: never the bytes themselves.
_FILE_COLUMNS = ("id", "owner_id", "name", "content_type", "size", "sha256")
_RESOURCE_COLUMNS = (
    "id",
    "series__code",
    "service",
    "title",
    "description",
    "created_at",
    "updated_at",
    "withdrawn_at",
)


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """A resource as a list shows it, with its file's details and, if asked for, a link."""

    id: int
    series_code: str
    service: ResourceService
    title: str
    description: str
    created_at: datetime
    file: StoredFile | None
    link: FileLink | None = None
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None


def openable_services(actor: Actor, centre: Organisation) -> list[ResourceService]:
    """The services whose resources the actor may open at the centre: one decision each."""
    authorizer = Authorizer(actor)
    target = Target.of(centre)
    return [
        service
        for service in ResourceService
        if service is ResourceService.GENERAL
        or authorizer.allows(f"service:{service}", "open", target)
    ]


def released_to(centre_id: int, *, passed_by: datetime | None = None) -> QuerySet[Release]:
    """The centre's releases that are not cancelled, of resources not withdrawn: to every
    centre, or to it by name.

    With `passed_by`, only those whose time has come by then.
    """
    targeted = ReleaseCentre.filter(centre_id=centre_id).values("release_id")
    query = Release.filter(cancelled_at=None, resource__withdrawn_at=None).filter(
        Q(all_centres=True) | Q(id__in=Subquery(targeted))
    )
    if passed_by is not None:
        query = query.filter(release_at__lte=passed_by)
    return query


def tidy_details(title: str, description: str) -> tuple[str, str]:
    """The title with its spaces collapsed, the description trimmed: as they are stored."""
    return " ".join(title.split()), description.strip()


def details_errors(title: str, description: str) -> list[UserError]:
    """What is wrong with a tidied title and description."""
    errors: list[UserError] = []
    if not title or len(title) > MAX_TITLE:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                f"The title is required, at most {MAX_TITLE} characters.",
                ("input", "title"),
            )
        )
    if len(description) > MAX_DESCRIPTION:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                f"The description is at most {MAX_DESCRIPTION:,} characters.",
                ("input", "description"),
            )
        )
    return errors


def content_errors(content: bytes) -> list[UserError]:
    """A resource's file may be of any type, but not empty."""
    if not content:
        return [UserError(ErrorCode.FILE_EMPTY, "The file is empty.", ("input", "file"))]
    return []


def file_name(file: Any) -> str:
    """The name a resource's file is stored and downloaded under."""
    return (upload_name(file) or "resource").strip()[:255] or "resource"


async def store_file(
    resource_id: int,
    name: str,
    content_type: str | None,
    content: bytes,
    actor: Actor,
    now: datetime,
) -> StoredFile:
    """The resource's file as stored, with its size and SHA-256."""
    return await StoredFile.create(
        owner_type=OWNER_TYPE,
        owner_id=resource_id,
        name=name,
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=actor.user_id,
        created_at=now,
    )


async def upload_resource(
    actor: Actor,
    *,
    series_code: str,
    service: ResourceService,
    title: str,
    description: str = "",
    file: Any,
) -> ResourceRow:
    """Board admins: store a file (an Upload) as a resource of the series, for releasing
    later."""
    Authorizer(actor).require(*MANAGE_RESOURCES)
    series = await find_series(series_code, "input", "seriesCode")
    content = await upload_bytes(file)
    title, description = tidy_details(title, description)
    errors = details_errors(title, description) + content_errors(content)
    if errors:
        raise DomainError(errors)
    now = clock.now()
    name = file_name(file)
    content_type = getattr(file, "content_type", None)
    async with in_transaction():
        resource = await Resource.create(
            series_id=series.id,
            service=service,
            title=title,
            description=description,
            uploaded_by_id=actor.user_id,
            created_at=now,
        )
        file = await store_file(resource.id, name, content_type, content, actor, now)
        await audit.record(
            actor,
            "resource.upload",
            target_type="Resource",
            target_id=resource.id,
            after={
                "seriesCode": series.code,
                "service": service.value,
                "title": title,
                "fileName": name,
                "size": file.size,
                "sha256": file.sha256,
            },
        )
    return ResourceRow(
        id=resource.id,
        series_code=series.code,
        service=service,
        title=title,
        description=description,
        created_at=now,
        file=file,
    )


async def list_resources(
    actor: Actor,
    *,
    series_code: str | None = None,
    service: ResourceService | None = None,
    limit: int = 50,
    offset: int = 0,
    with_links: bool = False,
) -> Page[ResourceRow]:
    """Board admins: every resource ("Manage Resources"), by title."""
    Authorizer(actor).require(*MANAGE_RESOURCES)
    check_page(limit, offset)
    query = Resource.all()
    if series_code:
        series = await find_series(series_code, "seriesCode")
        query = query.filter(series_id=series.id)
    if service is not None:
        query = query.filter(service=service)
    return await _page(actor, query, limit, offset, with_links=with_links, centre=None)


async def centre_resources(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
    with_links: bool = False,
) -> Page[ResourceRow]:
    """What was released to the centre and whose time has come, of the services the actor may
    open there, by title."""
    centre = await require_centre(actor, centre_code, "resources", "read")
    check_page(limit, offset)
    released = released_to(centre.id, passed_by=clock.now()).values("resource_id")
    query = Resource.filter(id__in=Subquery(released), service__in=openable_services(actor, centre))
    if series_code:
        series = await find_series(series_code, "seriesCode")
        query = query.filter(series_id=series.id)
    return await _page(actor, query, limit, offset, with_links=with_links, centre=centre)


async def centre_resource(
    actor: Actor, *, centre_code: str, resource_id: int, with_link: bool = False
) -> ResourceRow | None:
    """One resource released to the centre; FORBIDDEN if its service is not the actor's to
    open there, null if it does not exist or is not (yet) released to the centre."""
    centre = await require_centre(actor, centre_code, "resources", "read")
    service = await Resource.filter(id=resource_id).values_list("service", flat=True)
    if not service:
        return None
    if ResourceService(service[0]) not in openable_services(actor, centre):
        raise Authorizer(actor).refusal(f"service:{service[0]}", "open", Target.of(centre))
    released = released_to(centre.id, passed_by=clock.now()).values("resource_id")
    query = Resource.filter(id=resource_id, id__in=Subquery(released))
    page = await _page(actor, query, 1, 0, with_links=with_link, centre=centre)
    return page.items[0] if page.items else None


async def resources_by_ids(actor: Actor, resource_ids: list[int]) -> dict[int, ResourceRow]:
    """The resources some list shows the actor, without links: every one to the board
    (resources, as it manages them); to centre staff, those centreResources shows at one of
    the centres they may read, whichever it is. A fixed handful of queries for any number."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    wanted = resource_ids
    if not authorizer.allows("resources", "manage"):
        wanted = await _released_to_actor(actor, resource_ids)
    if not wanted:
        return {}
    page = await _page(
        actor, Resource.filter(id__in=wanted), len(wanted), 0, with_links=False, centre=None
    )
    return {row.id: row for row in page.items}


async def _released_to_actor(actor: Actor, resource_ids: list[int]) -> set[int]:
    """Of the resources, those released by now to a centre whose resources the actor may read,
    of a service they may open there: released_to and openable_services, for all at once."""
    authorizer = Authorizer(actor)
    openable = {
        centre.id: set(openable_services(actor, centre))
        for centre in await organisations_for(actor)
        if centre.kind is OrganisationKind.CENTRE
        and authorizer.allows("resources", "read", Target.of(centre))
    }
    if not openable:
        return set()
    releases = await Release.filter(
        resource_id__in=resource_ids,
        cancelled_at=None,
        resource__withdrawn_at=None,
        release_at__lte=clock.now(),
    ).values("id", "resource_id", "resource__service", "all_centres")
    targeted: dict[int, set[int]] = {}
    for link in await ReleaseCentre.filter(
        release_id__in=[r["id"] for r in releases], centre_id__in=list(openable)
    ).values("release_id", "centre_id"):
        targeted.setdefault(link["release_id"], set()).add(link["centre_id"])
    return {
        release["resource_id"]
        for release in releases
        if any(
            ResourceService(release["resource__service"]) in openable[centre_id]
            for centre_id in (
                openable if release["all_centres"] else targeted.get(release["id"], ())
            )
        )
    }


async def _page(
    actor: Actor,
    query: QuerySet[Resource],
    limit: int,
    offset: int,
    *,
    with_links: bool,
    centre: Organisation | None,
) -> Page[ResourceRow]:
    total = await query.count()
    values = (
        await query.order_by("title", "id").offset(offset).limit(limit).values(*_RESOURCE_COLUMNS)
    )
    files = await files_of([row["id"] for row in values])
    rows = [
        ResourceRow(
            id=row["id"],
            series_code=row["series__code"],
            service=ResourceService(row["service"]),
            title=row["title"],
            description=row["description"],
            created_at=row["created_at"],
            file=files.get(row["id"]),
            updated_at=row["updated_at"],
            withdrawn_at=row["withdrawn_at"],
        )
        for row in values
    ]
    if with_links:
        rows = await _with_links(actor, rows, centre)
    return Page(items=rows, total=total, offset=offset)


async def files_of(resource_ids: list[int]) -> dict[int, StoredFile]:
    """The resources' files by resource id, without their bytes."""
    if not resource_ids:
        return {}
    files = await StoredFile.filter(owner_type=OWNER_TYPE, owner_id__in=resource_ids).only(
        *_FILE_COLUMNS
    )
    return {file.owner_id: file for file in files}


def _right(service: ResourceService, centre: Organisation | None) -> Right:
    """What opening a resource of this service needs, as the listing checked it: the board's
    management without a centre; at a centre, membership for GENERAL, else the service."""
    if centre is None:
        return Right("resources", "manage", None)
    if service is ResourceService.GENERAL:
        return Right("resources", "read", centre.id)
    return Right(f"service:{service}", "open", centre.id)


async def _with_links(
    actor: Actor, rows: list[ResourceRow], centre: Organisation | None
) -> list[ResourceRow]:
    """The rows with a fresh link each, for an actor already allowed to open them all."""
    linked = [
        replace(row, link=stored_file_link(actor, row.file, _right(row.service, centre)))
        if row.file is not None
        else row
        for row in rows
    ]
    confidential = [
        row
        for row in linked
        if row.link is not None and row.service is ResourceService.GLOBAL_LISTENING
    ]
    if confidential:
        # Who looked at Global Listening materials: one event for the links this request made.
        await audit.record(
            actor,
            "global_listening.links",
            organisation_id=centre.id if centre else None,
            target_type="Resource",
            target_id=confidential[0].id if len(confidential) == 1 else None,
            after={
                "centreCode": centre.code if centre else None,
                "resourceIds": [row.id for row in confidential],
                "fileIds": [row.file.id for row in confidential if row.file is not None],
                "at": clock.now().isoformat(),
            },
        )
    return linked


async def resource_row(actor: Actor, resource_id: int) -> ResourceRow | None:
    """One resource as the board's list shows it, without a link; None if there is none."""
    page = await _page(actor, Resource.filter(id=resource_id), 1, 0, with_links=False, centre=None)
    return page.items[0] if page.items else None

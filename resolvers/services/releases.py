"""Releases and key times (the board admin site's "Release Resources", "Manage Releases",
"Key Times").

The board releases a resource at a key time to every centre or to the centres it names; until
that time nobody at a centre sees it, and until then the board may cancel the release. A time
already past releases at once. Releases of a withdrawn resource are WITHDRAWN (those still due
were cancelled with it) and are no key time for anyone. Key times are a series' schedule:
credentials open, results release, and its resources' release times (for a centre, only its
releases of the services the caller may open there).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from models.organisations import Organisation, OrganisationKind
from models.releases import Release, ReleaseCentre, Resource, ResourceService
from policies import Actor, Authorizer
from policies.viewer_can import MANAGE_RESOURCES
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import find_series
from resolvers.core.pages import Page, check_page
from resolvers.network.organisations import require_centre
from resolvers.services.resources import ResourceRow, files_of, openable_services, released_to


class ReleaseStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    RELEASED = "RELEASED"
    CANCELLED = "CANCELLED"
    # Out, then taken back with its resource (withdrawResource).
    WITHDRAWN = "WITHDRAWN"


class KeyTimeKind(StrEnum):
    CREDENTIALS_OPEN = "CREDENTIALS_OPEN"
    RESULTS_RELEASE = "RESULTS_RELEASE"
    RESOURCE_RELEASE = "RESOURCE_RELEASE"


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    id: int
    resource: ResourceRow
    release_at: datetime
    all_centres: bool
    centre_codes: list[str]
    status: ReleaseStatus
    created_at: datetime
    cancelled_at: datetime | None


@dataclass(frozen=True, slots=True)
class KeyTime:
    kind: KeyTimeKind
    at: datetime
    title: str
    service: ResourceService | None = None
    release_id: int | None = None


_RELEASE_COLUMNS = (
    "id",
    "release_at",
    "all_centres",
    "created_at",
    "cancelled_at",
    "resource_id",
    "resource__series__code",
    "resource__service",
    "resource__title",
    "resource__description",
    "resource__created_at",
    "resource__updated_at",
    "resource__withdrawn_at",
)


def _status(
    release_at: datetime, cancelled_at: datetime | None, withdrawn_at: datetime | None
) -> ReleaseStatus:
    if cancelled_at is not None:
        return ReleaseStatus.CANCELLED
    if withdrawn_at is not None:
        return ReleaseStatus.WITHDRAWN
    return ReleaseStatus.RELEASED if release_at <= clock.now() else ReleaseStatus.SCHEDULED


def _snapshot(release: ReleaseRow) -> dict[str, Any]:
    return {
        "resourceId": release.resource.id,
        "title": release.resource.title,
        "service": release.resource.service.value,
        "releaseAt": release.release_at.isoformat(),
        "allCentres": release.all_centres,
        "centreCodes": release.centre_codes,
        "status": release.status.value,
    }


async def _centres(codes: list[str]) -> list[Organisation]:
    """The centres named, each once, or every problem with them."""
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes))
    found = {o.code: o for o in await Organisation.filter(code__in=wanted)}
    errors: list[UserError] = []
    for index, code in enumerate(wanted):
        centre = found.get(code)
        where = ("input", "centreCodes", str(index))
        if centre is None:
            errors.append(
                UserError(ErrorCode.NOT_FOUND, f"No centre has the code {code!r}.", where)
            )
        elif centre.kind is not OrganisationKind.CENTRE:
            errors.append(UserError(ErrorCode.NOT_A_CENTRE, f"{code} is not a centre.", where))
        elif centre.deleted_at is not None:
            errors.append(UserError(ErrorCode.ORGANISATION_DELETED, f"{code} is deleted.", where))
    if errors:
        raise DomainError(errors)
    return [found[code] for code in wanted]


async def release_resource(
    actor: Actor,
    *,
    resource_id: int,
    release_at: datetime,
    centre_codes: list[str] | None = None,
) -> ReleaseRow:
    """Board admins: release a resource at a time, to the centres named or (none named) all."""
    Authorizer(actor).require(*MANAGE_RESOURCES)
    resource = await Resource.get_or_none(id=resource_id).prefetch_related("series")
    if resource is None:
        raise DomainError.one(
            ErrorCode.NOT_FOUND, "There is no such resource.", "input", "resourceId"
        )
    if resource.withdrawn_at is not None:
        raise DomainError.one(
            ErrorCode.RESOURCE_WITHDRAWN,
            "The resource is withdrawn: it cannot be released again.",
            "input",
            "resourceId",
        )
    if release_at.tzinfo is None:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            "Give the time with its time zone, e.g. 2026-11-02T09:00Z.",
            "input",
            "releaseAt",
        )
    centres = await _centres(centre_codes or [])
    async with in_transaction():
        release = await Release.create(
            resource_id=resource.id,
            release_at=release_at,
            all_centres=not centres,
            created_by_id=actor.user_id,
            created_at=clock.now(),
        )
        await ReleaseCentre.bulk_create(
            [ReleaseCentre(release_id=release.id, centre_id=centre.id) for centre in centres]
        )
        await audit.record(
            actor,
            "release.create",
            target_type="Release",
            target_id=release.id,
            after={
                "resourceId": resource.id,
                "title": resource.title,
                "service": resource.service.value,
                "seriesCode": resource.series.code,
                "releaseAt": release_at.isoformat(),
                "allCentres": not centres,
                "centreCodes": sorted(centre.code for centre in centres),
            },
        )
    return await _release(release.id)


async def cancel_release(actor: Actor, *, release_id: int) -> ReleaseRow:
    """Board admins: cancel a release before its time."""
    Authorizer(actor).require(*MANAGE_RESOURCES)
    before = await _release(release_id)
    if before.status is ReleaseStatus.CANCELLED:
        raise DomainError.one(
            ErrorCode.RELEASE_CANCELLED, "The release is already cancelled.", "input", "releaseId"
        )
    if before.status is ReleaseStatus.WITHDRAWN:
        raise DomainError.one(
            ErrorCode.RESOURCE_WITHDRAWN,
            "The resource was withdrawn: centres no longer have it.",
            "input",
            "releaseId",
        )
    if before.status is ReleaseStatus.RELEASED:
        raise DomainError.one(
            ErrorCode.RELEASE_ALREADY_OUT,
            "The release time has passed: centres have the resource already.",
            "input",
            "releaseId",
        )
    now = clock.now()
    async with in_transaction():
        # The write first, conditional on the release still being due: no read-then-write race.
        changed = await Release.filter(id=release_id, cancelled_at=None, release_at__gt=now).update(
            cancelled_at=now, cancelled_by_id=actor.user_id
        )
        if not changed:
            raise DomainError.one(
                ErrorCode.CONCURRENT_CHANGE,
                "The release changed meanwhile; look at it again.",
                "input",
                "releaseId",
            )
        after = replace(before, status=ReleaseStatus.CANCELLED, cancelled_at=now)
        await audit.record(
            actor,
            "release.cancel",
            target_type="Release",
            target_id=release_id,
            before=_snapshot(before),
            after=_snapshot(after),
        )
    return after


async def list_releases(
    actor: Actor,
    *,
    series_code: str | None = None,
    resource_id: int | None = None,
    include_cancelled: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Page[ReleaseRow]:
    """Board admins ("Manage Releases"): releases, the latest release time first."""
    Authorizer(actor).require(*MANAGE_RESOURCES)
    check_page(limit, offset)
    query = Release.all()
    if series_code:
        series = await find_series(series_code, "seriesCode")
        query = query.filter(resource__series_id=series.id)
    if resource_id is not None:
        query = query.filter(resource_id=resource_id)
    if not include_cancelled:
        query = query.filter(cancelled_at=None)
    total = await query.count()
    values = (
        await query.order_by("-release_at", "-id")
        .offset(offset)
        .limit(limit)
        .values(*_RELEASE_COLUMNS)
    )
    return Page(items=await _rows(values), total=total, offset=offset)


async def releases_by_ids(actor: Actor, release_ids: list[int]) -> dict[int, ReleaseRow]:
    """The releases list_releases shows (board admins', cancelled ones too, as it shows them
    when asked), in one query for them, one for their centres and one for their files."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    if not authorizer.allows("resources", "manage"):
        return {}
    values = await Release.filter(id__in=release_ids).values(*_RELEASE_COLUMNS)
    return {row.id: row for row in await _rows(values)}


async def key_times(
    actor: Actor, *, series_code: str, centre_code: str | None = None
) -> list[KeyTime]:
    """A series' key times in time order. Without a centre: the board's view of every release;
    with one: the centre's releases of the services the caller may open there."""
    if centre_code is None:
        Authorizer(actor).require(*MANAGE_RESOURCES)
        series = await find_series(series_code, "seriesCode")
        query = Release.filter(cancelled_at=None, resource__withdrawn_at=None)
    else:
        centre = await require_centre(actor, centre_code, "resources", "read", "centreCode")
        series = await find_series(series_code, "seriesCode")
        query = released_to(centre.id).filter(
            resource__service__in=openable_services(actor, centre)
        )
    releases = await query.filter(resource__series_id=series.id).values(
        "id", "release_at", "resource__title", "resource__service"
    )
    times = [
        KeyTime(
            KeyTimeKind.CREDENTIALS_OPEN,
            series.credentials_open_at,
            "Results credentials may be created",
        ),
        KeyTime(KeyTimeKind.RESULTS_RELEASE, series.results_release_at, "Results are released"),
        *(
            KeyTime(
                KeyTimeKind.RESOURCE_RELEASE,
                r["release_at"],
                r["resource__title"],
                ResourceService(r["resource__service"]),
                r["id"],
            )
            for r in releases
        ),
    ]
    return sorted(times, key=lambda t: (t.at, list(KeyTimeKind).index(t.kind), t.release_id or 0))


async def _release(release_id: int) -> ReleaseRow:
    values = await Release.filter(id=release_id).values(*_RELEASE_COLUMNS)
    if not values:
        raise DomainError.one(
            ErrorCode.NOT_FOUND, "There is no such release.", "input", "releaseId"
        )
    return (await _rows(values))[0]


async def _rows(values: list[dict[str, Any]]) -> list[ReleaseRow]:
    """Release rows from joined values: one query for their centres, one for their files."""
    ids = [v["id"] for v in values]
    centres: dict[int, list[str]] = {}
    if ids:
        for link in await ReleaseCentre.filter(release_id__in=ids).values(
            "release_id", "centre__code"
        ):
            centres.setdefault(link["release_id"], []).append(link["centre__code"])
    files = await files_of(list({v["resource_id"] for v in values}))
    return [
        ReleaseRow(
            id=v["id"],
            resource=ResourceRow(
                id=v["resource_id"],
                series_code=v["resource__series__code"],
                service=ResourceService(v["resource__service"]),
                title=v["resource__title"],
                description=v["resource__description"],
                created_at=v["resource__created_at"],
                file=files.get(v["resource_id"]),
                updated_at=v["resource__updated_at"],
                withdrawn_at=v["resource__withdrawn_at"],
            ),
            release_at=v["release_at"],
            all_centres=v["all_centres"],
            centre_codes=sorted(centres.get(v["id"], [])),
            status=_status(v["release_at"], v["cancelled_at"], v["resource__withdrawn_at"]),
            created_at=v["created_at"],
            cancelled_at=v["cancelled_at"],
        )
        for v in values
    ]

"""Managing resources (the board admin site's "Manage Resources"): edit a resource's title and
description, replace its file, delete a wrong upload, withdraw a released one.

A resource that never went out may be deleted, with its file: nobody outside the board has had
it. A scheduled release stops that (cancel it first, cancelRelease), so that deleting never
changes the key times centres were shown without saying so. Once a release's time has passed
the resource cannot be deleted, only withdrawn: it is then kept for the record (the board still
lists and downloads it), its releases still due are cancelled, and no centre lists it, opens it
or sees its key time again. Withdrawal is final, and a withdrawn resource is changed no more.

Download links name the stored file's row (resolvers/core/downloads.py). Replacing the file
stores a new row and deletes the old one; withdrawing stores the same bytes under a new row and
deletes the old one; deleting deletes it. So every link handed out before any of them answers
404 "Not found" from then on, whoever holds it, and a fresh link comes from asking again.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.files import StoredFile
from models.releases import Release, ReleaseCentre, Resource
from policies import Actor, Authorizer
from policies.viewer_can import MANAGE_RESOURCES
from resolvers.core import audit, clock
from resolvers.core.csv_files import upload_bytes
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.services.resources import (
    OWNER_TYPE,
    ResourceRow,
    content_errors,
    details_errors,
    file_name,
    resource_row,
    store_file,
    tidy_details,
)
from resolvers.services.service_files import rekeyed

# The schema's limit for a one-line input (schema/core/input_rules.py DEFAULT).
MAX_REASON = 200


def _concurrent() -> DomainError:
    return DomainError.one(
        ErrorCode.CONCURRENT_CHANGE,
        "The resource changed meanwhile; look at it again.",
        "input",
        "id",
    )


async def _found(actor: Actor, resource_id: int) -> ResourceRow:
    """The resource, for a board admin; NOT_FOUND if there is none."""
    Authorizer(actor).require(*MANAGE_RESOURCES)
    row = await resource_row(actor, resource_id)
    if row is None:
        raise DomainError.one(ErrorCode.NOT_FOUND, "There is no such resource.", "input", "id")
    return row


async def _changeable(actor: Actor, resource_id: int) -> ResourceRow:
    """The resource, if it may still change: RESOURCE_WITHDRAWN once withdrawn."""
    row = await _found(actor, resource_id)
    if row.withdrawn_at is not None:
        raise DomainError.one(
            ErrorCode.RESOURCE_WITHDRAWN,
            "The resource is withdrawn; it is kept as it was for the record.",
            "input",
            "id",
        )
    return row


def _file_facts(row: ResourceRow) -> dict[str, Any]:
    file = row.file
    if file is None:
        return {"fileId": None}
    return {"fileId": file.id, "fileName": file.name, "size": file.size, "sha256": file.sha256}


async def update_resource(
    actor: Actor, *, resource_id: int, title: str, description: str = ""
) -> ResourceRow:
    """Board admins: a resource's title and description, checked as uploadResource checks them."""
    before = await _changeable(actor, resource_id)
    title, description = tidy_details(title, description)
    errors = details_errors(title, description)
    if errors:
        raise DomainError(errors)
    now = clock.now()
    async with in_transaction():
        changed = await Resource.filter(id=resource_id, withdrawn_at=None).update(
            title=title, description=description, updated_at=now
        )
        if not changed:
            raise _concurrent()
        await audit.record(
            actor,
            "resource.update",
            target_type="Resource",
            target_id=resource_id,
            before={"title": before.title, "description": before.description},
            after={"title": title, "description": description},
        )
    return replace(before, title=title, description=description, updated_at=now)


async def replace_resource_file(actor: Actor, *, resource_id: int, file: Any) -> ResourceRow:
    """Board admins: a new file for the resource; links to the old one stop working."""
    before = await _changeable(actor, resource_id)
    content = await upload_bytes(file)
    errors = content_errors(content)
    if errors:
        raise DomainError(errors)
    name = file_name(file)
    now = clock.now()
    async with in_transaction():
        changed = await Resource.filter(id=resource_id, withdrawn_at=None).update(updated_at=now)
        if not changed:
            raise _concurrent()
        await StoredFile.filter(owner_type=OWNER_TYPE, owner_id=resource_id).delete()
        stored = await store_file(
            resource_id, name, getattr(file, "content_type", None), content, actor, now
        )
        after = replace(before, file=stored, updated_at=now)
        await audit.record(
            actor,
            "resource.replace_file",
            target_type="Resource",
            target_id=resource_id,
            before=_file_facts(before),
            after=_file_facts(after),
        )
    return after


async def delete_resource(actor: Actor, *, resource_id: int) -> ResourceRow:
    """Board admins: delete a resource that never went out, with its file and cancelled
    releases; RESOURCE_RELEASED once it went out, RESOURCE_RELEASE_SCHEDULED while a release
    is due."""
    before = await _changeable(actor, resource_id)
    now = clock.now()
    try:
        async with in_transaction():
            # The write first (SQLite: take the write lock before reading what decides).
            cancelled = Release.filter(resource_id=resource_id, cancelled_at__not_isnull=True)
            await ReleaseCentre.filter(release_id__in=Subquery(cancelled.values("id"))).delete()
            await cancelled.delete()
            await _refuse_if_released(resource_id, now)
            await StoredFile.filter(owner_type=OWNER_TYPE, owner_id=resource_id).delete()
            if not await Resource.filter(id=resource_id).delete():
                raise _concurrent()
            await audit.record(
                actor,
                "resource.delete",
                target_type="Resource",
                target_id=resource_id,
                before={
                    "seriesCode": before.series_code,
                    "service": before.service.value,
                    "title": before.title,
                    **_file_facts(before),
                },
            )
    except IntegrityError as error:
        # PostgreSQL: a release written for it meanwhile holds the resource.
        raise _concurrent() from error
    return before


async def _refuse_if_released(resource_id: int, now: datetime) -> None:
    """Refuse to delete what went out or is due to."""
    times = await Release.filter(resource_id=resource_id, cancelled_at=None).values_list(
        "release_at", flat=True
    )
    if any(at <= now for at in times):
        raise DomainError.one(
            ErrorCode.RESOURCE_RELEASED,
            "The resource has been released to centres: withdraw it instead.",
            "input",
            "id",
        )
    if times:
        raise DomainError.one(
            ErrorCode.RESOURCE_RELEASE_SCHEDULED,
            "A release of the resource is scheduled: cancel it first (cancelRelease).",
            "input",
            "id",
        )


def _reason(reason: str | None) -> str | None:
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise DomainError(
            [
                UserError(
                    ErrorCode.INVALID_INPUT,
                    f"The reason is at most {MAX_REASON:,} characters.",
                    ("input", "reason"),
                )
            ]
        )
    return text or None


async def withdraw_resource(
    actor: Actor, *, resource_id: int, reason: str | None = None
) -> ResourceRow:
    """Board admins: take a released resource back from every centre, for good."""
    before = await _changeable(actor, resource_id)
    note = _reason(reason)
    now = clock.now()
    async with in_transaction():
        changed = await Resource.filter(id=resource_id, withdrawn_at=None).update(
            withdrawn_at=now, withdrawn_by_id=actor.user_id, updated_at=now
        )
        if not changed:
            raise _concurrent()
        live = Release.filter(resource_id=resource_id, cancelled_at=None)
        released = await live.filter(release_at__lte=now).values_list("id", flat=True)
        if not released:
            raise DomainError.one(
                ErrorCode.RESOURCE_NOT_RELEASED,
                "The resource was never released: delete it instead (deleteResource).",
                "input",
                "id",
            )
        due = await live.filter(release_at__gt=now).values_list("id", flat=True)
        await Release.filter(id__in=due).update(cancelled_at=now, cancelled_by_id=actor.user_id)
        stored = await rekeyed(OWNER_TYPE, resource_id)
        after = replace(before, file=stored, withdrawn_at=now, updated_at=now)
        await audit.record(
            actor,
            "resource.withdraw",
            target_type="Resource",
            target_id=resource_id,
            before={"title": before.title, "service": before.service.value, **_file_facts(before)},
            after={
                "reason": note,
                "releasedIds": sorted(released),
                "cancelledReleaseIds": sorted(due),
                **_file_facts(after),
            },
        )
    return after

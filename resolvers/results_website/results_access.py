"""The candidate results website administration.

Per centre and series, the exams officer chooses who may read results online: NO candidates
(no row, or status NONE), ALL candidates entered in the series, or SELECTED ones, and with SELECTED
which candidates. A series stays offered while the centre has a candidate entered in it, or while
its access is on, so that NONE can still turn it off after the last entry was withdrawn. Where the
choice stands is in access_state.py, what a change must satisfy in access_checks.py, and the
credentials it gives and takes away are issued in results_credentials.py.
"""

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.exams import Candidate, Entry, EntryStatus, Series
from models.organisations import Organisation
from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
from policies import Actor
from policies.viewer_can import MANAGE_RESULTS_ACCESS
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.exam_lookups import candidate_search, find_series
from resolvers.core.pages import Page, check_page
from resolvers.network.organisations import require_centre
from resolvers.results_website.access_checks import (
    Contact,
    check_selection,
    check_update,
    selected_access,
)
from resolvers.results_website.access_state import (
    ACCESS_ON,
    AccessState,
    access_counts,
    access_state,
    is_offered,
    no_valid_entry,
)
from resolvers.results_website.results_credentials import (
    entered_candidates,
    grant,
    grant_new_candidates,
    revoke,
)


@dataclass(frozen=True)
class AccessUpdate:
    state: AccessState
    credentials_created: int
    credentials_revoked: int


@dataclass(frozen=True)
class SelectionUpdate:
    state: AccessState
    added: int
    removed: int


@dataclass(frozen=True)
class AccessCandidate:
    candidate: Candidate
    # The active credential, if the candidate has access.
    credential: ResultsCredential | None


async def list_series_access(actor: Actor, *, centre_code: str) -> list[AccessState]:
    """The series the centre has candidates entered in, latest first, with each one's access."""
    centre = await require_centre(actor, centre_code, "results_access", "read", "centreCode")
    series_ids = await (
        Entry.filter(candidate__centre_id=centre.id, status=EntryStatus.ENTERED)
        .distinct()
        .values_list("series_id", flat=True)
    )
    still_on = await ResultsAccess.filter(centre_id=centre.id, status__in=ACCESS_ON).values_list(
        "series_id", flat=True
    )
    ids = sorted({*series_ids, *still_on})
    if not ids:
        return []
    series = await Series.filter(id__in=ids).order_by("-year", "-month_number")
    accesses = {
        a.series_id: a for a in await ResultsAccess.filter(centre_id=centre.id, series_id__in=ids)
    }
    counts = await access_counts(centre.id, ids)
    return [AccessState(centre, s, accesses.get(s.id), *counts.get(s.id, (0, 0))) for s in series]


async def _require_offered(centre: Organisation, series: Series, *field: str) -> None:
    if not await is_offered(centre.id, series.id):
        raise no_valid_entry(centre, series, *field)


async def get_access(actor: Actor, *, centre_code: str, series_code: str) -> AccessState:
    centre = await require_centre(actor, centre_code, "results_access", "read", "centreCode")
    series = await find_series(series_code, "seriesCode")
    await _require_offered(centre, series, "seriesCode")
    return await access_state(centre, series)


def _snapshot(access: ResultsAccess | None) -> dict | None:
    if access is None:
        return None
    return {
        "status": access.status.value,
        "contactName": access.contact_name,
        "contactPhone": access.contact_phone,
        "contactEmail": access.contact_email,
        "delayHours": access.delay_hours,
        "agreedAt": access.agreed_at.isoformat() if access.agreed_at else None,
    }


async def update_access(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    status: AccessStatus,
    agreed: bool,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    contact_email: str | None = None,
    delay_hours: int = 0,
) -> AccessUpdate:
    """Edit status: NO, ALL or SELECTED candidates, with the centre's contact for queries."""
    centre = await require_centre(actor, centre_code, *MANAGE_RESULTS_ACCESS, "input", "centreCode")
    typed = Contact(
        name=" ".join((contact_name or "").split()),
        phone=" ".join((contact_phone or "").split()) or None,
        email=(contact_email or "").strip() or None,
    )
    series, contact = await check_update(centre, series_code, status, agreed, typed, delay_hours)
    existing = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    before = _snapshot(existing)
    created = revoked = 0
    try:
        async with in_transaction():
            access = existing or ResultsAccess(centre_id=centre.id, series_id=series.id)
            await _save_choice(actor, access, status, contact, delay_hours)
            if status is AccessStatus.NONE:
                revoked = await revoke(centre.id, series.id)
            # ALL reaches every candidate entered now; SELECTED keeps the credentials as they
            # are, so switching from ALL starts the selection with everyone who had access.
            created = await grant_new_candidates(centre.id, series.id)
            await audit.record(
                actor,
                "results_access.update",
                organisation_id=centre.id,
                target_type="ResultsAccess",
                target_id=access.id,
                before=before,
                after={
                    **(_snapshot(access) or {}),
                    "series": series.code,
                    "credentialsCreated": created,
                    "credentialsRevoked": revoked,
                },
            )
    except IntegrityError as exc:
        raise _concurrent() from exc
    return AccessUpdate(await access_state(centre, series), created, revoked)


async def _save_choice(
    actor: Actor, access: ResultsAccess, status: AccessStatus, contact: Contact, delay_hours: int
) -> None:
    """Store the choice; giving access also records the agreement and the contact."""
    now = clock.now()
    access.status = status
    access.updated_at = now
    access.updated_by_id = actor.user_id
    if status is not AccessStatus.NONE:
        access.agreed_at = now
        access.agreed_by_id = actor.user_id
        access.contact_name = contact.name
        access.contact_phone = contact.phone
        access.contact_email = contact.email
        access.delay_hours = delay_hours
    await access.save()


def _concurrent() -> DomainError:
    return DomainError.one(
        ErrorCode.CONCURRENT_CHANGE,
        "Another change to this series' results access happened at the same time; try again.",
        "input",
    )


async def list_access_candidates(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    search: str | None = None,
    has_access: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[AccessCandidate]:
    """The centre's candidates entered in the series, by candidate number, with their access.

    The search words must each appear in the candidate's name, number or UCI.
    """
    centre = await require_centre(actor, centre_code, "results_access", "read", "centreCode")
    series = await find_series(series_code, "seriesCode")
    check_page(limit, offset)
    await _require_offered(centre, series, "seriesCode")
    query = Candidate.filter(centre_id=centre.id, id__in=entered_candidates(series.id))
    query = query.filter(*candidate_search(search, fields=("candidate_number", "uci")))
    if has_access is not None:
        holders = Subquery(
            ResultsCredential.filter(series_id=series.id, revoked_at=None).values("candidate_id")
        )
        query = query.filter(id__in=holders) if has_access else query.exclude(id__in=holders)
    total = await query.count()
    candidates = await query.order_by("candidate_number", "id").offset(offset).limit(limit)
    credentials = (
        {
            c.candidate_id: c
            for c in await ResultsCredential.filter(
                series_id=series.id, revoked_at=None, candidate_id__in=[c.id for c in candidates]
            )
        }
        if candidates
        else {}
    )
    return Page(
        items=[AccessCandidate(c, credentials.get(c.id)) for c in candidates],
        total=total,
        offset=offset,
    )


async def update_selection(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    add: list[int],
    remove: list[int],
    reissue: bool = False,
) -> SelectionUpdate:
    """Give access to some candidates and take it from others, all or nothing.

    A candidate given access again keeps their username and password (their letter still
    works) unless `reissue` asks for new passwords for everyone in `add`.
    """
    centre = await require_centre(actor, centre_code, *MANAGE_RESULTS_ACCESS, "input", "centreCode")
    series = await find_series(series_code, "input", "seriesCode")
    access = await selected_access(centre, series)
    await check_selection(centre, series, add, remove)
    now = clock.now()
    try:
        async with in_transaction():
            access.updated_at = now
            access.updated_by_id = actor.user_id
            await access.save(update_fields=["updated_at", "updated_by_id"])
            removed = await revoke(centre.id, series.id, sorted(set(remove)))
            added = await grant(centre, series, sorted(set(add)), reissue=reissue)
            await audit.record(
                actor,
                "results_access.update_selection",
                organisation_id=centre.id,
                target_type="ResultsAccess",
                target_id=access.id,
                before={"status": access.status.value},
                after={
                    "series": series.code,
                    "added": sorted(set(add)),
                    "removed": sorted(set(remove)),
                    "reissue": reissue,
                    "credentialsCreated": added,
                    "credentialsRevoked": removed,
                },
            )
    except IntegrityError as exc:
        raise _concurrent() from exc
    return SelectionUpdate(await access_state(centre, series), added, removed)

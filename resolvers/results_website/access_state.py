"""Where a centre's results access for a series stands: its choice, how many candidates it
reaches, and when those candidates see their results."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models.exams import Entry, EntryStatus, Series
from models.organisations import Organisation
from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
from resolvers.core import clock
from resolvers.core.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class AccessState:
    """A centre's choice for one series, with how many candidates it reaches."""

    centre: Organisation
    series: Series
    access: ResultsAccess | None
    candidates_entered: int
    candidates_with_access: int

    @property
    def status(self) -> AccessStatus:
        return self.access.status if self.access is not None else AccessStatus.NONE

    @property
    def summary(self) -> str:
        if self.status is AccessStatus.ALL:
            return f"ALL candidates have access ({self.candidates_with_access})"
        if self.status is AccessStatus.SELECTED:
            return (
                f"SELECTED candidates have access: {self.candidates_with_access} of "
                f"{self.candidates_entered}"
            )
        return "NO candidates have access"

    @property
    def credentials_open(self) -> bool:
        return clock.now() >= self.series.credentials_open_at


async def has_valid_entry(centre_id: int, series_id: int) -> bool:
    return await Entry.exists(
        candidate__centre_id=centre_id, series_id=series_id, status=EntryStatus.ENTERED
    )


# The statuses under which a series' access is on: credentials exist and work.
ACCESS_ON = (AccessStatus.ALL, AccessStatus.SELECTED)


async def access_is_on(centre_id: int, series_id: int) -> bool:
    return await ResultsAccess.exists(
        centre_id=centre_id, series_id=series_id, status__in=ACCESS_ON
    )


async def is_offered(centre_id: int, series_id: int) -> bool:
    """The centre may see and change the series' access: it has a candidate entered there, or
    the access is still on (so NONE can turn it off after the last entry was withdrawn)."""
    return await has_valid_entry(centre_id, series_id) or await access_is_on(centre_id, series_id)


def no_valid_entry(centre: Organisation, series: Series, *field: str) -> DomainError:
    return DomainError.one(
        ErrorCode.NO_VALID_ENTRY,
        f"Candidate credentials can only be created for series which have a valid entry: "
        f"{centre.code} has no candidates entered in {series.code}.",
        *field,
    )


def live_credentials(**filters: object) -> QuerySet[ResultsCredential]:
    """The credentials that give access now: not revoked, and their candidate still entered (not
    withdrawn) in their series. Withdrawing revokes the credential; this also keeps out one
    left active by anything older, so counts, letters and sign-ins agree with the entries.

    One row per live entry: count distinct ids, or filter on `id__in` a Subquery of it.
    """
    return ResultsCredential.filter(**filters).filter(
        revoked_at=None,
        candidate__entries__status=EntryStatus.ENTERED,
        series_id=F("candidate__entries__series_id"),
    )


async def access_counts(centre_id: int, series_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per series: candidates entered (not withdrawn) and, of them, those with an active
    credential."""
    if not series_ids:
        return {}
    entered = await (
        Entry.filter(
            candidate__centre_id=centre_id,
            series_id__in=series_ids,
            status=EntryStatus.ENTERED,
        )
        .annotate(n=Count("candidate_id", distinct=True))
        .group_by("series_id")
        .values("series_id", "n")
    )
    with_access = await (
        live_credentials(candidate__centre_id=centre_id, series_id__in=series_ids)
        .annotate(n=Count("id", distinct=True))
        .group_by("series_id")
        .values("series_id", "n")
    )
    counts = {row["series_id"]: (row["n"], 0) for row in entered}
    for row in with_access:
        counts[row["series_id"]] = (counts.get(row["series_id"], (0, 0))[0], row["n"])
    return counts


async def access_state(centre: Organisation, series: Series) -> AccessState:
    access = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    entered, with_access = (await access_counts(centre.id, [series.id])).get(series.id, (0, 0))
    return AccessState(centre, series, access, entered, with_access)


def available_from(series: Series, access: ResultsAccess | None) -> datetime:
    """When the centre's candidates see the series' results: the release plus its delay."""
    delay = access.delay_hours if access is not None else 0
    return series.results_release_at + timedelta(hours=delay)

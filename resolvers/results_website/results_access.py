"""The candidate results website administration.

Per centre and series, the exams officer chooses who may read results online: NO candidates
(no row, or status NONE), ALL candidates entered in the series, or SELECTED ones. Each candidate
with access holds a ResultsCredential: a readable username and a generated password, stored only
as a digest and sealed (resolvers/core/credential_secrets.py). Taking access away revokes the
credential and signs the candidate out.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from models.exams import Candidate, Entry, EntryStatus, Series
from models.organisations import Organisation
from models.results_access import (
    AccessStatus,
    CandidateSession,
    ResultsAccess,
    ResultsCredential,
)
from policies import Actor
from resolvers.core import audit, clock, credential_secrets
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import candidate_search, find_series
from resolvers.core.pages import Page, check_page
from resolvers.identity.accounts import check_email
from resolvers.network.organisations import require_centre

MAX_DELAY_HOURS = 720
MAX_CONTACT_NAME = 200
# The username's random part: four characters nobody misreads, in lower case.
USERNAME_ALPHABET = credential_secrets.ALPHABET.lower()
USERNAME_RANDOM_LENGTH = 4
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15
BATCH = 500


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


def _entered_candidates(series_id: int) -> Subquery:
    return Subquery(
        Entry.filter(series_id=series_id, status=EntryStatus.ENTERED).values("candidate_id")
    )


async def _has_valid_entry(centre_id: int, series_id: int) -> bool:
    return await Entry.exists(
        candidate__centre_id=centre_id, series_id=series_id, status=EntryStatus.ENTERED
    )


def _no_valid_entry(centre: Organisation, series: Series, *field: str) -> DomainError:
    return DomainError.one(
        ErrorCode.NO_VALID_ENTRY,
        f"Candidate credentials can only be created for series which have a valid entry: "
        f"{centre.code} has no candidates entered in {series.code}.",
        *field,
    )


async def _counts(centre_id: int, series_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per series: candidates entered (not withdrawn) and candidates with an active credential."""
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
        ResultsCredential.filter(
            candidate__centre_id=centre_id, series_id__in=series_ids, revoked_at=None
        )
        .annotate(n=Count("id"))
        .group_by("series_id")
        .values("series_id", "n")
    )
    counts = {row["series_id"]: (row["n"], 0) for row in entered}
    for row in with_access:
        counts[row["series_id"]] = (counts.get(row["series_id"], (0, 0))[0], row["n"])
    return counts


async def _state(centre: Organisation, series: Series) -> AccessState:
    access = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    entered, with_access = (await _counts(centre.id, [series.id])).get(series.id, (0, 0))
    return AccessState(centre, series, access, entered, with_access)


async def list_series_access(actor: Actor, *, centre_code: str) -> list[AccessState]:
    """The series the centre has candidates entered in, latest first, with each one's access."""
    centre = await require_centre(actor, centre_code, "results_access", "read", "centreCode")
    series_ids = await (
        Entry.filter(candidate__centre_id=centre.id, status=EntryStatus.ENTERED)
        .distinct()
        .values_list("series_id", flat=True)
    )
    ids = sorted(set(series_ids))
    if not ids:
        return []
    series = await Series.filter(id__in=ids).order_by("-year", "-month_number")
    accesses = {
        a.series_id: a for a in await ResultsAccess.filter(centre_id=centre.id, series_id__in=ids)
    }
    counts = await _counts(centre.id, ids)
    return [AccessState(centre, s, accesses.get(s.id), *counts.get(s.id, (0, 0))) for s in series]


async def get_access(actor: Actor, *, centre_code: str, series_code: str) -> AccessState:
    centre = await require_centre(actor, centre_code, "results_access", "read", "centreCode")
    series = await find_series(series_code, "seriesCode")
    if not await _has_valid_entry(centre.id, series.id):
        raise _no_valid_entry(centre, series, "seriesCode")
    return await _state(centre, series)


def check_phone(phone: str, *field: str) -> str:
    """A plausible international number: digits, spaces, +, - and brackets; 7 to 15 digits."""
    cleaned = " ".join(phone.split())
    digits = sum(ch.isdigit() for ch in cleaned)
    if (
        not _PHONE_CHARACTERS.match(cleaned)
        or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
        or cleaned.count("(") != cleaned.count(")")
    ):
        raise DomainError.one(
            ErrorCode.PHONE_INVALID,
            "Enter a telephone number with its country code, e.g. +65 6123 4567 "
            f"({MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits).",
            *field,
        )
    return cleaned


def _opens(series: Series) -> str:
    at = series.credentials_open_at
    return f"{at.day} {at:%B %Y}, {at:%H:%M} UTC"


def _not_open(series: Series, *field: str) -> UserError:
    return UserError(
        ErrorCode.CREDENTIALS_NOT_OPEN,
        f"Candidate credentials for {series.code} can be created from {_opens(series)}.",
        tuple(field),
    )


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
    centre = await require_centre(
        actor, centre_code, "results_access", "manage", "input", "centreCode"
    )
    errors: list[UserError] = []
    series: Series | None
    try:
        series = await find_series(series_code, "input", "seriesCode")
    except DomainError as error:
        errors.extend(error.errors)
        series = None
    if series is not None and not await _has_valid_entry(centre.id, series.id):
        errors.extend(_no_valid_entry(centre, series, "input", "seriesCode").errors)
    name = " ".join((contact_name or "").split())
    phone = " ".join((contact_phone or "").split()) or None
    email = (contact_email or "").strip() or None
    if status is not AccessStatus.NONE:
        if not agreed:
            errors.append(
                UserError(
                    ErrorCode.RESULTS_AGREEMENT_REQUIRED,
                    "Tick the box to agree to manage your candidates' queries.",
                    ("input", "agreed"),
                )
            )
        if not name:
            errors.append(
                UserError(
                    ErrorCode.CONTACT_NAME_REQUIRED,
                    "Enter the name of the person who will manage candidates' queries.",
                    ("input", "contactName"),
                )
            )
        elif len(name) > MAX_CONTACT_NAME:
            errors.append(
                UserError(
                    ErrorCode.INVALID_INPUT,
                    f"The contact name must be at most {MAX_CONTACT_NAME} characters.",
                    ("input", "contactName"),
                )
            )
        if phone is None and email is None:
            errors.append(
                UserError(
                    ErrorCode.CONTACT_DETAILS_REQUIRED,
                    "Enter a telephone number or an email address for candidates' queries.",
                    ("input", "contactPhone"),
                )
            )
        if series is not None and clock.now() < series.credentials_open_at:
            errors.append(_not_open(series, "input", "status"))
    if phone is not None:
        try:
            phone = check_phone(phone, "input", "contactPhone")
        except DomainError as error:
            errors.extend(error.errors)
    if email is not None:
        try:
            email = check_email(email, "input", "contactEmail")
        except DomainError as error:
            errors.extend(error.errors)
    if not 0 <= delay_hours <= MAX_DELAY_HOURS:
        errors.append(
            UserError(
                ErrorCode.DELAY_INVALID,
                f"The delay is a number of hours from 0 to {MAX_DELAY_HOURS} (30 days).",
                ("input", "delayHours"),
            )
        )
    if errors:
        raise DomainError(errors)
    assert series is not None

    existing = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    before = _snapshot(existing)
    now = clock.now()
    created = revoked = 0
    try:
        async with in_transaction():
            access = existing or ResultsAccess(centre_id=centre.id, series_id=series.id)
            access.status = status
            access.updated_at = now
            access.updated_by_id = actor.user_id
            if status is not AccessStatus.NONE:
                access.agreed_at = now
                access.agreed_by_id = actor.user_id
                access.contact_name = name
                access.contact_phone = phone
                access.contact_email = email
                access.delay_hours = delay_hours
            await access.save()
            if status is AccessStatus.NONE:
                revoked = await _revoke(centre.id, series.id)
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
    return AccessUpdate(await _state(centre, series), created, revoked)


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
    if not await _has_valid_entry(centre.id, series.id):
        raise _no_valid_entry(centre, series, "seriesCode")
    query = Candidate.filter(centre_id=centre.id, id__in=_entered_candidates(series.id))
    query = query.filter(
        *candidate_search(search, fields=("first_name", "last_name", "candidate_number", "uci"))
    )
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
) -> SelectionUpdate:
    """Give access to some candidates and take it from others, all or nothing."""
    centre = await require_centre(
        actor, centre_code, "results_access", "manage", "input", "centreCode"
    )
    series = await find_series(series_code, "input", "seriesCode")
    access = await ResultsAccess.get_or_none(centre_id=centre.id, series_id=series.id)
    if access is None or access.status is not AccessStatus.SELECTED:
        raise DomainError.one(
            ErrorCode.RESULTS_ACCESS_NOT_SELECTED,
            f"Choose 'Selected candidates' for {series.code} first (updateResultsAccess).",
            "input",
            "seriesCode",
        )
    errors: list[UserError] = []
    if add and clock.now() < series.credentials_open_at:
        errors.append(_not_open(series, "input", "add"))
    wanted = set(add) | set(remove)
    entered = (
        set(
            await Entry.filter(
                candidate__centre_id=centre.id,
                series_id=series.id,
                status=EntryStatus.ENTERED,
                candidate_id__in=list(wanted),
            ).values_list("candidate_id", flat=True)
        )
        if wanted
        else set()
    )
    for name, ids in (("add", add), ("remove", remove)):
        for index, candidate_id in enumerate(ids):
            if candidate_id not in entered:
                errors.append(
                    UserError(
                        ErrorCode.CANDIDATE_NOT_ENTERED,
                        f"That candidate is not entered in {series.code} at {centre.code}.",
                        ("input", name, str(index)),
                    )
                )
            elif name == "remove" and candidate_id in add:
                errors.append(
                    UserError(
                        ErrorCode.INVALID_INPUT,
                        "A candidate cannot be both added and removed.",
                        ("input", name, str(index)),
                    )
                )
    if errors:
        raise DomainError(errors)
    now = clock.now()
    try:
        async with in_transaction():
            access.updated_at = now
            access.updated_by_id = actor.user_id
            await access.save(update_fields=["updated_at", "updated_by_id"])
            removed = await _revoke(centre.id, series.id, sorted(set(remove)))
            added = await _grant(centre, series, sorted(set(add)))
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
                    "credentialsCreated": added,
                    "credentialsRevoked": removed,
                },
            )
    except IntegrityError as exc:
        raise _concurrent() from exc
    return SelectionUpdate(await _state(centre, series), added, removed)


async def grant_new_candidates(centre_id: int, series_id: int) -> int:
    """When the centre gives ALL candidates access to the series, create the credentials of
    the candidates entered since (and of any whose access was revoked). Returns how many.

    Call it after entering candidates; it does nothing for NONE or SELECTED, or before the
    series' credentials time.
    """
    access = await ResultsAccess.get_or_none(centre_id=centre_id, series_id=series_id)
    if access is None or access.status is not AccessStatus.ALL:
        return 0
    series = await Series.get(id=series_id)
    if clock.now() < series.credentials_open_at:
        return 0
    centre = await Organisation.get(id=centre_id)
    candidate_ids = await Candidate.filter(
        centre_id=centre_id, id__in=_entered_candidates(series_id)
    ).values_list("id", flat=True)
    return await _grant(centre, series, list(candidate_ids))


def _random_part() -> str:
    return "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(USERNAME_RANDOM_LENGTH))


async def _new_usernames(prefixes: list[str]) -> list[str]:
    """Unique usernames such as aa101-0042-k7qm: readable, but not guessable from the candidate.

    One query per round; a clash (about one in a million per name) only costs another round.
    """
    chosen: list[str] = [""] * len(prefixes)
    pending = list(range(len(prefixes)))
    taken_in_batch: set[str] = set()
    while pending:
        proposals = {index: f"{prefixes[index]}-{_random_part()}" for index in pending}
        taken = set(
            await ResultsCredential.filter(username__in=list(set(proposals.values()))).values_list(
                "username", flat=True
            )
        )
        retry: list[int] = []
        for index, username in proposals.items():
            if username in taken or username in taken_in_batch:
                retry.append(index)
            else:
                chosen[index] = username
                taken_in_batch.add(username)
        pending = retry
    return chosen


async def _grant(centre: Organisation, series: Series, candidate_ids: list[int]) -> int:
    """Credentials for these candidates: new ones, and new passwords for revoked ones."""
    if not candidate_ids:
        return 0
    existing = {
        c.candidate_id: c
        for c in await ResultsCredential.filter(series_id=series.id, candidate_id__in=candidate_ids)
    }
    missing = [i for i in candidate_ids if i not in existing]
    regranted = [
        existing[i] for i in candidate_ids if i in existing and existing[i].revoked_at is not None
    ]
    if not missing and not regranted:
        return 0
    numbers = (
        dict(await Candidate.filter(id__in=missing).values_list("id", "candidate_number"))
        if missing
        else {}
    )
    prefix = centre.code.lower()
    usernames = await _new_usernames([f"{prefix}-{numbers[i]}" for i in missing])
    now = clock.now()
    rows = []
    for candidate_id, username in zip(missing, usernames, strict=True):
        password = credential_secrets.new_password()
        rows.append(
            ResultsCredential(
                candidate_id=candidate_id,
                series_id=series.id,
                username=username,
                password_digest=credential_secrets.digest(password),
                password_sealed=credential_secrets.seal(password),
                created_at=now,
            )
        )
    for credential in regranted:
        # A new grant is a new password: the old paper must not open the results again.
        password = credential_secrets.new_password()
        credential.password_digest = credential_secrets.digest(password)
        credential.password_sealed = credential_secrets.seal(password)
        credential.revoked_at = None
        credential.created_at = now
        credential.failed_attempts = 0
        credential.locked_until = None
    async with in_transaction():
        if rows:
            await ResultsCredential.bulk_create(rows, batch_size=BATCH)
        if regranted:
            await ResultsCredential.bulk_update(
                regranted,
                fields=[
                    "password_digest",
                    "password_sealed",
                    "revoked_at",
                    "created_at",
                    "failed_attempts",
                    "locked_until",
                ],
                batch_size=BATCH,
            )
    return len(rows) + len(regranted)


async def _revoke(centre_id: int, series_id: int, candidate_ids: list[int] | None = None) -> int:
    """Take access away (all the centre's candidates in the series, or these), signing them out."""
    if candidate_ids is not None and not candidate_ids:
        return 0
    query = ResultsCredential.filter(
        series_id=series_id, candidate__centre_id=centre_id, revoked_at=None
    )
    if candidate_ids is not None:
        query = query.filter(candidate_id__in=candidate_ids)
    ids = list(await query.values_list("id", flat=True))
    if not ids:
        return 0
    now = clock.now()
    await ResultsCredential.filter(id__in=ids).update(revoked_at=now)
    await CandidateSession.filter(credential_id__in=ids, revoked_at=None).update(revoked_at=now)
    return len(ids)


def available_from(series: Series, access: ResultsAccess | None) -> datetime:
    """When the centre's candidates see the series' results: the release plus its delay."""
    delay = access.delay_hours if access is not None else 0
    return series.results_release_at + timedelta(hours=delay)

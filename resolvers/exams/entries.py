"""Single candidate entry, withdrawing entries, and a series' entries at a centre."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.exams import Candidate, Entry, EntryStatus, Series, Syllabus
from models.organisations import Organisation
from policies import Actor, Authorizer, Forbidden, Target
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import candidate_search, find_series
from resolvers.core.pages import Page, check_page
from resolvers.exams.candidates import (
    allocate_candidate_number,
    check_candidate_number,
    check_candidate_password,
    check_uci,
    check_username,
)
from resolvers.identity.accounts import check_name
from resolvers.identity.passwords import hash_password
from resolvers.network.organisations import require_centre, require_organisation
from resolvers.results_website.results_credentials import grant_new_candidates

# No 0/O, 1/I/L: nothing a candidate can misread when typing the code.
ENTRY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class EntryOutcome(StrEnum):
    NEW_CANDIDATE = "NEW_CANDIDATE"
    LINKED_TO_EXISTING_CANDIDATE = "LINKED_TO_EXISTING_CANDIDATE"


@dataclass(frozen=True)
class Enrolment:
    candidate: Candidate
    entries: list[Entry]
    outcome: EntryOutcome


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    results_visible: bool


@dataclass(frozen=True)
class EntryList:
    page: Page[Entry]
    # One decision for the whole list: are this series' results shown to this actor here?
    results_visible: bool


def new_entry_code() -> str:
    """Eight characters from the unambiguous alphabet, shown as XXXX-XXXX."""
    raw = "".join(secrets.choice(ENTRY_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


# How many times enterCandidate starts again when a write collides with another change at the
# same moment (a username or a number someone else took, an entry code drawn twice). Numbers the
# server picks never collide with each other (allocate_candidate_number); these are the rare
# races with numbers typed in or written by an upload, each attempt seeing the others' writes.
ENTER_ATTEMPTS = 3


class _Collided(Exception):
    """A unique constraint refused the write: nothing was written; checking again tells."""


# Entry codes checked against the database per query (bulk uploads ask for thousands).
_CODE_CHECK_BATCH = 1_000


async def free_entry_codes(count: int) -> list[str]:
    """Codes no entry has yet. Collisions are rare (31^8 codes), so checking once suffices."""
    while True:
        codes = sorted({new_entry_code() for _ in range(count)})
        if len(codes) != count:
            continue
        for start in range(0, count, _CODE_CHECK_BATCH):
            if await Entry.exists(entry_code__in=codes[start : start + _CODE_CHECK_BATCH]):
                break
        else:
            return codes


async def find_entry(actor: Actor, entry_id: int, obj: str, act: str, *field: str) -> Entry:
    """The entry, if the actor may do `act` on `obj` at its centre.

    As for organisations, only the board learns that an id does not exist.
    """
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    entry = await Entry.get_or_none(id=entry_id).select_related(
        "candidate__centre", "series", "syllabus"
    )
    if entry is None:
        if authorizer.allows("organisations", "list"):
            raise DomainError.one(ErrorCode.ENTRY_NOT_FOUND, "There is no such entry.", *field)
        raise Forbidden()
    authorizer.require(obj, act, Target.of(entry.candidate.centre))
    return entry


def results_visible(actor: Actor, centre: Organisation, series: Series) -> bool:
    """Whether the actor sees the series' results at the centre now.

    The centre's staff who may read results see them from the series' release time; the board
    (read_unreleased) also before it, since it loads them.
    """
    authorizer = Authorizer(actor)
    target = Target.of(centre)
    if authorizer.allows("results", "read_unreleased", target):
        return True
    return authorizer.allows("results", "read", target) and clock.now() >= series.results_release_at


def _collect(errors: list[UserError], check: Callable[[], str]) -> str | None:
    """Run one check, keeping its errors with the others so that all are reported at once."""
    try:
        return check()
    except DomainError as error:
        errors.extend(error.errors)
        return None


def clean_syllabus_codes(codes: list[str]) -> list[str]:
    """The codes upper-cased, without repeats, in the order given."""
    wanted: list[str] = []
    for code in codes:
        cleaned = code.strip().upper()
        if cleaned not in wanted:
            wanted.append(cleaned)
    return wanted


def check_new_candidate(
    *,
    first_name: str,
    last_name: str,
    password: str | None,
    uci: str | None,
    at: Callable[[str], tuple[str, ...]],
) -> tuple[dict[str, str | None], list[UserError]]:
    """A new candidate's names, password and UCI (not the number), each error on `at(field)`."""
    errors: list[UserError] = []
    values: dict[str, str | None] = {}
    values["first_name"] = _collect(
        errors, lambda: check_name(first_name, "First name", *at("firstName"))
    )
    values["last_name"] = _collect(
        errors, lambda: check_name(last_name, "Last name", *at("lastName"))
    )
    if password is None:
        errors.append(
            UserError(
                ErrorCode.CANDIDATE_PASSWORD_INVALID,
                "A new candidate needs a password.",
                at("password"),
            )
        )
    else:
        _collect(errors, lambda: check_candidate_password(password, *at("password")))
    values["uci"] = _collect(errors, lambda: check_uci(uci, *at("uci"))) if uci else None
    return values, errors


def check_linked_number(
    existing: Candidate,
    username: str,
    candidate_number: str | None,
    at: Callable[[str], tuple[str, ...]],
) -> list[UserError]:
    """A number given with an existing username must be that candidate's own."""
    errors: list[UserError] = []
    if candidate_number is not None:
        number = _collect(
            errors, lambda: check_candidate_number(candidate_number, *at("candidateNumber"))
        )
        if number is not None and number != existing.candidate_number:
            errors.append(
                UserError(
                    ErrorCode.CANDIDATE_NUMBER_TAKEN,
                    f"The username {username} belongs to candidate {existing.candidate_number}, "
                    f"not {number}.",
                    at("candidateNumber"),
                )
            )
    return errors


def check_reentries(
    existing: Candidate,
    series: Series,
    syllabuses: list[Syllabus],
    previous: list[Entry],
    at: Callable[[int], tuple[str, ...]],
) -> tuple[list[UserError], dict[int, Entry]]:
    """An existing candidate's earlier entries for these syllabuses: still entered is an error
    (on `at(index)`), withdrawn ones are brought back (returned by syllabus id)."""
    errors: list[UserError] = []
    reinstate: dict[int, Entry] = {}
    by_syllabus = {e.syllabus_id: e for e in previous}
    for index, syllabus in enumerate(syllabuses):
        entry = by_syllabus.get(syllabus.id)
        if entry is None:
            continue
        if entry.status is EntryStatus.ENTERED:
            errors.append(
                UserError(
                    ErrorCode.ALREADY_ENTERED,
                    f"{existing.full_name} is already entered for {syllabus.code} in "
                    f"{series.code}.",
                    at(index),
                )
            )
        else:
            # Entering a withdrawn entry again brings it back, entry code and all.
            reinstate[syllabus.id] = entry
    return errors, reinstate


async def _syllabuses(codes: list[str], errors: list[UserError]) -> list[Syllabus]:
    wanted = clean_syllabus_codes(codes)
    if not wanted:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                "Choose one or more syllabuses.",
                ("input", "syllabusCodes"),
            )
        )
        return []
    found = {s.code: s for s in await Syllabus.filter(code__in=wanted)}
    for index, code in enumerate(codes):
        if code.strip().upper() not in found:
            errors.append(
                UserError(
                    ErrorCode.SYLLABUS_NOT_FOUND,
                    f"There is no syllabus {code!r}.",
                    ("input", "syllabusCodes", str(index)),
                )
            )
    return [found[c] for c in wanted if c in found]


def _input(name: str) -> tuple[str, ...]:
    return ("input", name)


def _snapshot(candidate: Candidate, entries: list[Entry]) -> dict:
    return {
        "candidateNumber": candidate.candidate_number,
        "username": candidate.username,
        "name": candidate.full_name,
        "uci": candidate.uci,
        "entries": [
            {
                "series": e.series_id,
                "syllabus": e.syllabus_id,
                "entryCode": e.entry_code,
                "status": e.status.value,
            }
            for e in entries
        ],
    }


async def enter_candidate(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    syllabus_codes: list[str],
    username: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    candidate_number: str | None = None,
    uci: str | None = None,
) -> Enrolment:
    """Enter a candidate for one or more syllabuses of a series.

    A username already used at the centre links the new entries to that candidate;
    their names, number, UCI and password then stay as they are. A write that collides with
    another change made at the same moment is checked and tried again from the start: the
    other change may now make this one link, or be refused with a typed error.
    """
    centre = await require_centre(actor, centre_code, "entries", "manage", "input", "centreCode")
    for _ in range(ENTER_ATTEMPTS):
        try:
            return await _enter_once(
                actor,
                centre,
                series_code=series_code,
                syllabus_codes=syllabus_codes,
                username=username,
                first_name=first_name,
                last_name=last_name,
                password=password,
                candidate_number=candidate_number,
                uci=uci,
            )
        except _Collided:
            continue
    raise DomainError.one(
        ErrorCode.CONCURRENT_CHANGE,
        "Another change to this centre's candidates happened at the same time; try again.",
        "input",
    )


async def _enter_once(
    actor: Actor,
    centre: Organisation,
    *,
    series_code: str,
    syllabus_codes: list[str],
    username: str,
    first_name: str,
    last_name: str,
    password: str | None,
    candidate_number: str | None,
    uci: str | None,
) -> Enrolment:
    errors: list[UserError] = []
    try:
        series: Series | None = await find_series(series_code, "input", "seriesCode")
    except DomainError as error:
        errors.extend(error.errors)
        series = None
    syllabuses = await _syllabuses(syllabus_codes, errors)
    name = _collect(errors, lambda: check_username(username, "input", "username"))
    existing = await Candidate.get_or_none(centre_id=centre.id, username=name) if name else None
    values: dict[str, str | None] = {}
    if existing is not None:
        errors.extend(check_linked_number(existing, name or "", candidate_number, _input))
    else:
        values, detail_errors = check_new_candidate(
            first_name=first_name, last_name=last_name, password=password, uci=uci, at=_input
        )
        errors.extend(detail_errors)
        if candidate_number is not None:
            number = _collect(
                errors, lambda: check_candidate_number(candidate_number, "input", "candidateNumber")
            )
            if number is not None and await Candidate.exists(
                centre_id=centre.id, candidate_number=number
            ):
                errors.append(
                    UserError(
                        ErrorCode.CANDIDATE_NUMBER_TAKEN,
                        f"Candidate number {number} is already in use at {centre.code}.",
                        ("input", "candidateNumber"),
                    )
                )
            values["candidate_number"] = number

    reinstate: dict[int, Entry] = {}
    if existing is not None and series is not None and syllabuses:
        previous = await Entry.filter(
            candidate_id=existing.id,
            series_id=series.id,
            syllabus_id__in=[s.id for s in syllabuses],
        )
        entry_errors, reinstate = check_reentries(
            existing,
            series,
            syllabuses,
            list(previous),
            lambda index: ("input", "syllabusCodes", str(index)),
        )
        errors.extend(entry_errors)
    if errors:
        raise DomainError(errors)
    assert series is not None

    # Hash and pick codes before the transaction, so that it starts with its first write.
    password_hash = hash_password(password) if existing is None and password else None
    codes = await free_entry_codes(len(syllabuses) - len(reinstate))
    try:
        async with in_transaction():
            if existing is None:
                if candidate_number is None:
                    # The first statement: the number is picked under the centre's lock.
                    values["candidate_number"] = await _free_number(centre)
                candidate = await Candidate.create(
                    centre=centre, username=name, password_hash=password_hash, **values
                )
                outcome = EntryOutcome.NEW_CANDIDATE
            else:
                candidate = existing
                outcome = EntryOutcome.LINKED_TO_EXISTING_CANDIDATE
            entries: list[Entry] = []
            for syllabus in syllabuses:
                entry = reinstate.get(syllabus.id)
                if entry is not None:
                    entry.status = EntryStatus.ENTERED
                    entry.withdrawn_at = None
                    await entry.save(update_fields=["status", "withdrawn_at"])
                else:
                    entry = await Entry.create(
                        candidate=candidate,
                        series=series,
                        syllabus=syllabus,
                        entry_code=codes.pop(),
                    )
                entry.candidate = candidate
                entry.series = series
                entry.syllabus = syllabus
                entries.append(entry)
            # A centre that gave ALL candidates results access gives it to this one too.
            granted = await grant_new_candidates(centre.id, series.id)
            await audit.record(
                actor,
                "entry.create",
                organisation_id=centre.id,
                target_type="Candidate",
                target_id=candidate.id,
                after={
                    **_snapshot(candidate, entries),
                    "outcome": outcome.value,
                    "resultsCredentialsCreated": granted,
                },
            )
    except IntegrityError as exc:
        # Someone else took the number, username or a code at the same moment: nothing was
        # written, and trying again picks fresh ones.
        raise _Collided() from exc
    candidate.centre = centre
    return Enrolment(candidate=candidate, entries=entries, outcome=outcome)


async def _free_number(centre: Organisation) -> str:
    number = await allocate_candidate_number(centre.id)
    if number is None:
        raise DomainError.one(
            ErrorCode.CANDIDATE_NUMBER_TAKEN,
            f"Every candidate number at {centre.code} is in use.",
            "input",
            "candidateNumber",
        )
    return number


async def withdraw_entry(actor: Actor, *, entry_id: int) -> EntryView:
    """Withdraw an entry; it stays in the list as WITHDRAWN."""
    entry = await find_entry(actor, entry_id, "entries", "manage", "input", "entryId")
    if entry.status is EntryStatus.WITHDRAWN:
        raise DomainError.one(
            ErrorCode.ENTRY_WITHDRAWN,
            f"Entry {entry.entry_code} is already withdrawn.",
            "input",
            "entryId",
        )
    async with in_transaction():
        entry.status = EntryStatus.WITHDRAWN
        entry.withdrawn_at = clock.now()
        await entry.save(update_fields=["status", "withdrawn_at"])
        await audit.record(
            actor,
            "entry.withdraw",
            organisation_id=entry.candidate.centre_id,
            target_type="Entry",
            target_id=entry.id,
            before={"status": EntryStatus.ENTERED.value},
            after={"status": EntryStatus.WITHDRAWN.value, "entryCode": entry.entry_code},
        )
    return EntryView(entry, results_visible(actor, entry.candidate.centre, entry.series))


async def list_entries(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    status: EntryStatus | None = None,
    syllabus_code: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> EntryList:
    """A series' entries at a centre, by candidate number, then syllabus code.

    The search words must each appear in the candidate's name, number, UCI or username.
    """
    centre = await require_organisation(actor, centre_code, "entries", "read", "centreCode")
    series = await find_series(series_code, "seriesCode")
    check_page(limit, offset)
    query = Entry.filter(candidate__centre_id=centre.id, series_id=series.id)
    if status is not None:
        query = query.filter(status=status)
    if syllabus_code:
        query = query.filter(syllabus__code=syllabus_code.strip().upper())
    query = query.filter(*candidate_search(search, via="candidate__"))
    total = await query.count()
    items = (
        await query.select_related("candidate", "series", "syllabus")
        .order_by("candidate__candidate_number", "syllabus__code", "id")
        .offset(offset)
        .limit(limit)
    )
    return EntryList(
        page=Page(items=list(items), total=total, offset=offset),
        results_visible=results_visible(actor, centre, series),
    )

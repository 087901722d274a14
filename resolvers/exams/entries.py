"""Single candidate entry, withdrawing entries, and a series' entries at a centre.

The module is over 400 lines on purpose: most of it is enterCandidate, whose steps (check every
field, write the candidate and entries in one transaction, start again on a collision) read best
together and serve nobody else. The rules it shares with the upload live in entry_rules.py;
withdrawing, listing and reading entries or results by id are short.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.exams import Candidate, Entry, EntryStatus, Result, Series, Syllabus
from models.organisations import Organisation
from models.test_sessions import TestSession
from models.usernames import username_key
from policies import ELSEWHERE, Actor, Authorizer, Target
from policies.viewer_can import MANAGE_ENTRIES
from resolvers.core import audit, candidate_passwords, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.exam_lookups import candidate_search, find_series
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page
from resolvers.exams.candidates import (
    allocate_candidate_number,
    check_candidate_number,
    check_uci_free,
    check_username,
)
from resolvers.exams.entry_rules import (
    check_linked_number,
    check_new_candidate,
    check_reentries,
    clean_syllabus_codes,
    collect,
    free_entry_codes,
)
from resolvers.exams.institution_usernames import held_at_other_venue, held_at_other_venues
from resolvers.exams.name_warnings import EntryWarning, names_differ
from resolvers.identity.passwords import hash_password
from resolvers.network.organisations import require_centre
from resolvers.results_website.results_credentials import grant_new_candidates
from resolvers.results_website.withdrawals import end_access_if_withdrawn


class EntryOutcome(StrEnum):
    NEW_CANDIDATE = "NEW_CANDIDATE"
    LINKED_TO_EXISTING_CANDIDATE = "LINKED_TO_EXISTING_CANDIDATE"


@dataclass(frozen=True)
class Enrolment:
    candidate: Candidate
    entries: list[Entry]
    outcome: EntryOutcome
    warnings: list[EntryWarning] = field(default_factory=list)


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    results_visible: bool


@dataclass(frozen=True)
class EntryList:
    page: Page[Entry]
    # One decision for the whole list: are this series' results shown to this actor here?
    results_visible: bool
    # The centre whose entries these are, every row's candidate's.
    centre: Organisation


# How many times enterCandidate starts again when a write collides with another change at the
# same moment (a username, a number or a UCI someone else took, an entry code drawn twice).
# Numbers the server picks never collide with each other (allocate_candidate_number); these are
# the rare races with numbers typed in or written by an upload, each attempt seeing the others'
# writes.
ENTER_ATTEMPTS = 3


class _Collided(Exception):
    """A unique constraint refused the write: nothing was written; checking again tells."""


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
        raise authorizer.refusal(obj, act, ELSEWHERE)
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
                **({"testSession": e.test_session_id} if e.test_session_id else {}),
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
    test_session: TestSession | None = None,
) -> Enrolment:
    """Enter a candidate for one or more syllabuses of a series (into `test_session`, if
    given, whose series and syllabus the caller passes).

    A username already used at the centre, in any case, links the new entries to that
    candidate; their names, number, UCI and password then stay as they are, and a warning says
    if the names typed are another person's. A username held at another venue of the
    institution is refused. A write that collides with another change made at the same moment
    is checked and tried again from the start: the other change may now make this one link, or
    be refused with a typed error.
    """
    centre = await require_centre(actor, centre_code, *MANAGE_ENTRIES, "input", "centreCode")
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
                test_session=test_session,
            )
        except _Collided:
            continue
    raise DomainError.one(
        ErrorCode.CONCURRENT_CHANGE,
        "Another change to this centre's candidates happened at the same time; try again.",
        "input",
    )


@dataclass(frozen=True)
class _CheckedEnrolment:
    """An enrolment whose input passed every check, with what the checks looked up."""

    series: Series
    syllabuses: list[Syllabus]
    username: str | None
    # The candidate the username already belongs to at the centre, if any.
    existing: Candidate | None
    # A new candidate's names, UCI and (if typed) number.
    values: dict[str, str | None]
    # The existing candidate's withdrawn entries to bring back, by syllabus id.
    reinstate: dict[int, Entry]
    # What the centre should check, though nothing is refused (names unlike the candidate's).
    warnings: list[EntryWarning]


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
    test_session: TestSession | None,
) -> Enrolment:
    checked = await _check_enrolment(
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
    # Hash and pick codes before the transaction, so that it starts with its first write.
    password_hash = hash_password(password) if checked.existing is None and password else None
    if password_hash and password:
        # Sealed beside the hash, for the session's log-in sheet to print.
        checked.values["password_sealed"] = candidate_passwords.seal(password)
    codes = await free_entry_codes(len(checked.syllabuses) - len(checked.reinstate))
    try:
        async with in_transaction():
            candidate, outcome = await _enrolled_candidate(
                centre, checked, candidate_number, password_hash
            )
            entries = await _write_entries(candidate, checked, codes, test_session)
            # A centre that gave ALL candidates results access gives it to this one too.
            granted = await grant_new_candidates(centre.id, checked.series.id)
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
        # Someone else took the number, username, UCI or a code at the same moment: nothing was
        # written, and trying again picks fresh ones (or says who has the UCI now).
        raise _Collided() from exc
    candidate.centre = centre
    return Enrolment(
        candidate=candidate, entries=entries, outcome=outcome, warnings=checked.warnings
    )


async def _check_enrolment(
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
) -> _CheckedEnrolment:
    """Every check of enterCandidate's input, all errors reported at once."""
    errors: list[UserError] = []
    try:
        series: Series | None = await find_series(series_code, "input", "seriesCode")
    except DomainError as error:
        errors.extend(error.errors)
        series = None
    syllabuses = await _syllabuses(syllabus_codes, errors)
    name = collect(errors, lambda: check_username(username, "input", "username"))
    existing = (
        await Candidate.get_or_none(centre_id=centre.id, username_key=username_key(name))
        if name
        else None
    )
    values: dict[str, str | None] = {}
    warnings: list[EntryWarning] = []
    if existing is not None:
        errors.extend(check_linked_number(existing, name or "", candidate_number, _input))
        warnings = names_differ(existing, first_name, last_name, _input)
    else:
        if name and await held_at_other_venues(centre, [name]):
            errors.append(held_at_other_venue(name, "input", "username"))
        values = await _check_new_details(
            centre,
            errors,
            first_name=first_name,
            last_name=last_name,
            password=password,
            candidate_number=candidate_number,
            uci=uci,
        )
    reinstate: dict[int, Entry] = {}
    if existing is not None and series is not None and syllabuses:
        reinstate = await _check_existing_entries(existing, series, syllabuses, errors)
    if errors:
        raise DomainError(errors)
    assert series is not None
    return _CheckedEnrolment(series, syllabuses, name, existing, values, reinstate, warnings)


async def _check_new_details(
    centre: Organisation,
    errors: list[UserError],
    *,
    first_name: str,
    last_name: str,
    password: str | None,
    candidate_number: str | None,
    uci: str | None,
) -> dict[str, str | None]:
    """A new candidate's details, with the UCI free on the board and the number, if one is
    typed, free at the centre."""
    values, detail_errors = check_new_candidate(
        first_name=first_name, last_name=last_name, password=password, uci=uci, at=_input
    )
    errors.extend(detail_errors)
    if values["uci"] is not None:
        errors.extend(await check_uci_free(values["uci"], centre, "input", "uci"))
    if candidate_number is not None:
        number = collect(
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
    return values


async def _check_existing_entries(
    existing: Candidate, series: Series, syllabuses: list[Syllabus], errors: list[UserError]
) -> dict[int, Entry]:
    """The existing candidate's withdrawn entries to bring back; live ones are errors."""
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
    return reinstate


async def _enrolled_candidate(
    centre: Organisation,
    checked: _CheckedEnrolment,
    candidate_number: str | None,
    password_hash: str | None,
) -> tuple[Candidate, EntryOutcome]:
    """The candidate the entries are for: the existing one, or one created now."""
    if checked.existing is not None:
        return checked.existing, EntryOutcome.LINKED_TO_EXISTING_CANDIDATE
    if candidate_number is None:
        # The first statement: the number is picked under the centre's lock.
        checked.values["candidate_number"] = await _free_number(centre)
    candidate = await Candidate.create(
        centre=centre, username=checked.username, password_hash=password_hash, **checked.values
    )
    return candidate, EntryOutcome.NEW_CANDIDATE


async def _write_entries(
    candidate: Candidate,
    checked: _CheckedEnrolment,
    codes: list[str],
    test_session: TestSession | None,
) -> list[Entry]:
    """One entry per syllabus: withdrawn ones brought back, the others created with a code;
    each in the test session, if one is given (a brought back entry leaves its old one)."""
    entries: list[Entry] = []
    for syllabus in checked.syllabuses:
        entry = checked.reinstate.get(syllabus.id)
        if entry is not None:
            entry.status = EntryStatus.ENTERED
            entry.withdrawn_at = None
            entry.test_session = test_session
            await entry.save(update_fields=["status", "withdrawn_at", "test_session_id"])
        else:
            entry = await Entry.create(
                candidate=candidate,
                series=checked.series,
                syllabus=syllabus,
                entry_code=codes.pop(),
                test_session=test_session,
            )
        entry.candidate = candidate
        entry.series = checked.series
        entry.syllabus = syllabus
        entries.append(entry)
    return entries


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
    entry = await find_entry(actor, entry_id, *MANAGE_ENTRIES, "input", "entryId")
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
        revoked = await end_access_if_withdrawn(actor, entry.candidate, entry.series)
        await audit.record(
            actor,
            "entry.withdraw",
            organisation_id=entry.candidate.centre_id,
            target_type="Entry",
            target_id=entry.id,
            before={"status": EntryStatus.ENTERED.value},
            after={
                "status": EntryStatus.WITHDRAWN.value,
                "entryCode": entry.entry_code,
                "resultsCredentialsRevoked": revoked,
            },
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
        await query.select_related("candidate", "syllabus")
        .order_by("candidate__candidate_number", "syllabus__code", "id")
        .offset(offset)
        .limit(limit)
    )
    # Every row is in the series found above: joining it again builds a model (and reads two
    # times) per row.
    for entry in items:
        entry.series = series
    return EntryList(
        page=Page(items=list(items), total=total, offset=offset),
        results_visible=results_visible(actor, centre, series),
        centre=centre,
    )


async def entries_by_ids(actor: Actor, entry_ids: list[int]) -> dict[int, EntryView]:
    """The entries list_entries would show at their centre in their series (entries/read
    there), each with whether its result shows as that list would say, in one query."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    found = await Entry.filter(id__in=entry_ids).select_related(
        "candidate__centre", "series", "syllabus"
    )
    return {
        entry.id: EntryView(entry, results_visible(actor, entry.candidate.centre, entry.series))
        for entry in found
        if authorizer.allows("entries", "read", Target.of(entry.candidate.centre))
    }


async def results_by_ids(actor: Actor, result_ids: list[int]) -> dict[int, Result]:
    """The results Entry.result would show: of an entry list_entries shows, once the actor
    sees that series' results at that centre. One query; each with its entry and candidate."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    found = await Result.filter(id__in=result_ids).select_related(
        "entry__candidate__centre", "entry__series"
    )
    return {
        result.id: result
        for result in found
        if authorizer.allows("entries", "read", Target.of(result.entry.candidate.centre))
        and results_visible(actor, result.entry.candidate.centre, result.entry.series)
    }

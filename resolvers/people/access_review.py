"""The access review: every person, every organisation, the roles they hold there, who granted
each and when, their last sign-in and whether TOTP is on, with the flags a reviewer looks for.

Board admins review the whole network (or one organisation); an exams officer reviews their
own organisation, and nothing of other organisations reaches their file: a person's places
elsewhere are neither listed nor counted. Authorized once, by scoping the queries.

Exports run as a job ("access_review.export") that writes the same rows as CSV and as .xlsx.
People are read CHUNK at a time by keyset (email), with their places in one more query per
chunk, and written to both files as they are read, so statements and memory stay flat however
many people there are. "Now" (for the unused-account flag) is fixed when the export is asked
for.

Who granted a role comes from the place's role_grants (resolvers/people/accounts.py records
them wherever roles are given). A role given before that was recorded has no granter: its
granter reads NOT_RECORDED and its date is the place's creation.
"""

import asyncio
import io
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.jobs import Job
from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User
from policies import Actor, Authorizer, Forbidden, Role, Target
from resolvers.core import audit, clock, jobs
from resolvers.core.csv_export import CsvWriter, safe_cell
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import organisations_for, require_organisation

KIND = "access_review.export"
OBJECT, ACTION = "access_review", "export"
CHUNK = 500
UNUSED_DAYS = 90
DEFAULT_MANY_CENTRES = 3
MAX_MANY_CENTRES = 10_000
NOT_RECORDED = "NOT_RECORDED"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "account_status",
    "organisation_code",
    "organisation_name",
    "organisation_kind",
    "organisation_deleted_at",
    "role",
    "granted_by",
    "granted_at",
    "last_sign_in_at",
    "totp",
    "centres_with_roles",
    "flags",
)


class ReviewFlag(StrEnum):
    """What a reviewer looks for; a person's flags are on each of their rows."""

    # Holds EXAMS_OFFICER (in the review's scope) and has never signed in.
    EXAMS_OFFICER_NEVER_SIGNED_IN = "EXAMS_OFFICER_NEVER_SIGNED_IN"
    # No sign-in for UNUSED_DAYS (an account never used: opened that long ago).
    UNUSED_90_DAYS = "UNUSED_90_DAYS"
    # Roles at more centres (live ones, in the review's scope) than the export's manyCentres.
    ROLES_AT_MANY_CENTRES = "ROLES_AT_MANY_CENTRES"


@dataclass(frozen=True)
class Scope:
    """The organisations reviewed (None: every one, and every person, for the board), and the
    one the export is audited at and its job belongs to."""

    organisation_ids: tuple[int, ...] | None
    home_id: int | None


async def _scope(actor: Actor, organisation_code: str | None) -> Scope:
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    if organisation_code and organisation_code.strip():
        organisation = await require_organisation(
            actor, organisation_code, OBJECT, ACTION, "input", "organisationCode"
        )
        return Scope((organisation.id,), organisation.id)
    if authorizer.allows(OBJECT, ACTION):
        return Scope(None, None)
    # One decision per organisation the actor acts for (a handful), none per person.
    reviewed = [
        o.id
        for o in await organisations_for(actor)
        if authorizer.allows(OBJECT, ACTION, Target.of(o))
    ]
    if not reviewed:
        raise Forbidden()
    return Scope(tuple(reviewed), reviewed[0])


def _people(ids: list[int] | None) -> QuerySet[User]:
    if ids is None:
        return User.all()
    members = Membership.filter(organisation_id__in=ids).values("user_id")
    return User.filter(id__in=Subquery(members))


async def export_access_review(
    actor: Actor,
    *,
    organisation_code: str | None = None,
    many_centres: int = DEFAULT_MANY_CENTRES,
) -> Job:
    """Queue the access review of the actor's scope (the board: everyone, or one organisation;
    an exams officer: their own organisation)."""
    scope = await _scope(actor, organisation_code)
    if not 1 <= many_centres <= MAX_MANY_CENTRES:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            f"manyCentres must be 1 to {MAX_MANY_CENTRES}.",
            "input",
            "manyCentres",
        )
    ids = None if scope.organisation_ids is None else list(scope.organisation_ids)
    people = await _people(ids).count()
    as_of = clock.now()
    payload = {
        "organisationIds": ids,
        "manyCentres": many_centres,
        "unusedDays": UNUSED_DAYS,
        "asOf": as_of.isoformat(),
    }
    async with in_transaction():
        job = await jobs.enqueue(
            actor, KIND, organisation_id=scope.home_id, payload=payload, total=people
        )
        await audit.record(
            actor,
            "access_review.export",
            organisation_id=scope.home_id,
            target_type="Job",
            target_id=job.id,
            after={
                "organisationCode": organisation_code.strip().upper()
                if organisation_code and organisation_code.strip()
                else None,
                "manyCentres": many_centres,
                "unusedDays": UNUSED_DAYS,
                "people": people,
            },
        )
    jobs.wake_workers()
    return job


# --- the job ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    many_centres: int
    unused_before: datetime


_PERSON = (
    "id",
    "email",
    "first_name",
    "last_name",
    "status",
    "last_login_at",
    "totp_enabled_at",
    "created_at",
)
_PLACE = ("user_id", "organisation_id", "roles", "role_grants", "created_at")


Row = dict[str, Any]


async def _chunks(ids: list[int] | None) -> AsyncIterator[tuple[list[Row], dict[int, list[Row]]]]:
    """The people reviewed, by email, CHUNK at a time, each chunk with its people's places in
    the scope (by user id): two statements a chunk."""
    last: str | None = None
    while True:
        query = _people(ids)
        if last is not None:
            query = query.filter(email__gt=last)
        people = await query.order_by("email").limit(CHUNK).values(*_PERSON)
        if not people:
            return
        places_query = Membership.filter(user_id__in=[p["id"] for p in people])
        if ids is not None:
            places_query = places_query.filter(organisation_id__in=ids)
        places: dict[int, list[Row]] = {}
        for place in await places_query.values(*_PLACE):
            places.setdefault(place["user_id"], []).append(place)
        yield people, places
        last = people[-1]["email"]


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _flags(
    person: dict[str, Any], places: list[dict[str, Any]], centres: int, rules: _Rules
) -> list[str]:
    flags = []
    never = person["last_login_at"] is None
    if never and any(Role.EXAMS_OFFICER.value in p["roles"] for p in places):
        flags.append(ReviewFlag.EXAMS_OFFICER_NEVER_SIGNED_IN.value)
    last_used = person["last_login_at"] or person["created_at"]
    if last_used is not None and last_used < rules.unused_before:
        flags.append(ReviewFlag.UNUSED_90_DAYS.value)
    if centres > rules.many_centres:
        flags.append(ReviewFlag.ROLES_AT_MANY_CENTRES.value)
    return flags


def _grant(place: dict[str, Any], role: str) -> tuple[str, str]:
    record = (place["role_grants"] or {}).get(role)
    if record is None:
        return NOT_RECORDED, _iso(place["created_at"])
    return str(record.get("byEmail") or ""), str(record.get("at") or "")


def _rows(
    person: dict[str, Any],
    places: list[dict[str, Any]],
    organisations: dict[int, dict[str, Any]],
    rules: _Rules,
) -> Iterator[list[object]]:
    """A person's rows: one per role held at each organisation, one for a place with no role,
    and one with no organisation for a person placed nowhere."""
    places = sorted(places, key=lambda p: organisations[p["organisation_id"]]["code"])
    centres = sum(
        1
        for p in places
        if p["roles"]
        and organisations[p["organisation_id"]]["kind"] == OrganisationKind.CENTRE
        and organisations[p["organisation_id"]]["deleted_at"] is None
    )
    common = (
        _iso(person["last_login_at"]),
        "ON" if person["totp_enabled_at"] is not None else "OFF",
        centres,
        ";".join(_flags(person, places, centres, rules)),
    )
    who = (person["email"], person["first_name"], person["last_name"], str(person["status"]))
    if not places:
        yield [*who, "", "", "", "", "", "", "", *common]
    for place in places:
        organisation = organisations[place["organisation_id"]]
        where = (
            organisation["code"],
            organisation["name"],
            str(organisation["kind"]),
            _iso(organisation["deleted_at"]),
        )
        for role in sorted(place["roles"]) or [None]:
            granted = _grant(place, role) if role is not None else ("", "")
            yield [*who, *where, role or "", *granted, *common]


class _Files:
    """The review written as CSV and as .xlsx at once, a chunk of rows at a time (the workbook
    is write-only: its rows go to a temporary file, not memory).

    openpyxl takes most of a millisecond a row: a chunk is written by a worker thread, so a big
    review does not hold the event loop (and every request of the process) for a minute."""

    def __init__(self, about: list[tuple[str, str]]) -> None:
        self.csv = CsvWriter()
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("Access review")
        self._about = about
        self.write([COLUMNS])

    def write(self, rows: Sequence[Sequence[object]]) -> None:
        for row in rows:
            cells = [safe_cell(value) for value in row]
            self.csv.writerow(cells)
            self.sheet.append(cells)

    def xlsx(self) -> bytes:
        notes = self.workbook.create_sheet("About")
        for key, value in self._about:
            notes.append([safe_cell(key), safe_cell(value)])
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


_FLAG_MEANING = {
    ReviewFlag.EXAMS_OFFICER_NEVER_SIGNED_IN: "Holds EXAMS_OFFICER and has never signed in.",
    ReviewFlag.UNUSED_90_DAYS: "No sign-in for unused_days (or never, opened that long ago).",
    ReviewFlag.ROLES_AT_MANY_CENTRES: "Roles at more than many_centres live centres.",
}


def _about(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("as_of", payload["asOf"]),
        ("many_centres", str(payload["manyCentres"])),
        ("unused_days", str(payload["unusedDays"])),
        *((flag.value, _FLAG_MEANING[flag]) for flag in ReviewFlag),
        ("granted_by " + NOT_RECORDED, "The role was given before grants were recorded."),
    ]


async def _organisations(ids: list[int] | None) -> dict[int, Row]:
    """These organisations (None: every one) by id, as the rows show them."""
    query = Organisation.all() if ids is None else Organisation.filter(id__in=ids)
    return {o["id"]: o for o in await query.values("id", "code", "name", "kind", "deleted_at")}


async def write_review(run: jobs.JobRun) -> dict[str, Any]:
    """The job: the review as CSV and .xlsx, kept as the job's two files."""
    payload = run.payload
    ids: list[int] | None = payload["organisationIds"]
    as_of = datetime.fromisoformat(payload["asOf"])
    rules = _Rules(payload["manyCentres"], as_of - timedelta(days=payload["unusedDays"]))
    organisations = await _organisations(ids)
    files = _Files(_about(payload))
    people = rows = 0
    flagged = dict.fromkeys((flag.value for flag in ReviewFlag), 0)
    async for chunk, places in _chunks(ids):
        # An organisation created since the review began (the board's: every one is reviewed).
        new = {p["organisation_id"] for own in places.values() for p in own} - set(organisations)
        if new:
            organisations |= await _organisations(list(new))
        written: list[list[object]] = []
        for person in chunk:
            own = list(_rows(person, places.get(person["id"], []), organisations, rules))
            written.extend(own)
            # A person's flags are the same on each of their rows.
            for flag in filter(None, str(own[0][-1]).split(";")):
                flagged[flag] += 1
        await asyncio.to_thread(files.write, written)
        rows += len(written)
        people += len(chunk)
        await run.progress(people, stage="Writing the review")
    stamp = f"{as_of:%Y%m%d-%H%M%S}"
    names = (f"access-review-{stamp}.csv", f"access-review-{stamp}.xlsx")
    xlsx = await asyncio.to_thread(files.xlsx)
    async with in_transaction():
        await run.add_file(names[0], "text/csv", files.csv.getvalue())
        await run.add_file(names[1], XLSX_TYPE, xlsx)
    return {"people": people, "rows": rows, "flagged": flagged, "files": list(names)}

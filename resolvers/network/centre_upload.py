"""The board's centres spreadsheet (the board admin site's "Upload centres from excel file").

Columns (any case and order; .xlsx or UTF-8 CSV, resolvers/core/spreadsheets.py): centre_number,
centre_name, address, city, country, and optionally user_email, user_first_name, user_last_name,
user_roles (separated by spaces, commas or semicolons). A centre may take several rows, one per
user; a row without a user only names the centre.

- A new centre number creates a centre with its name and location details. An existing centre
  gets its NAME updated only: its location, users and deletion flag stay as they are. A number
  that belongs to an associate or the board, or to a deleted centre, is an error (undo the
  delete first).
- A new email creates an account waiting for activation (PENDING_ACTIVATION, as registerUser
  does) with a 6-digit PIN, and places it at the row's centre. An existing email keeps its
  account (names, status, PIN untouched) and gains a place at the row's centre, or the file's
  roles added to the roles it holds there; roles are never taken away. Such an account counts as
  "updated" (the seed's "replaced") only if the file changes something for it.
- A duplicated user (an email the file places at a centre while the file or the site has them
  at another) is neither created nor placed anywhere: the report lists them, and a corrected
  file (or the site's other place deleted, then the file uploaded again) places them.

The whole file is checked first; any problem (with its row and column) and nothing is written.
A good file queues a job (kind "centres.upload") that checks it again against the database as
it is then, and writes everything in one transaction at its end; its result is the report, and
its file the new users' PINs. A dry run returns the same report without writing anything.

The steps every upload shares (reading the file off the event loop, queuing, reading back ids,
the job's one transaction) are resolvers/core/uploads.py's; this module holds the centres' own
rules. It is over 400 lines because this upload, unlike the row-by-row ones, compares the file
with the whole site (the three issue lists: missing centres, extra and duplicated users), answers
with that report rather than with rows, and hands out a sample file; the reading, the plan and
the job share the _File and _Plan defined here.
"""

import base64
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from models.jobs import Job
from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User
from policies import ROLE_INFO, Actor, Authorizer, Right, Role
from resolvers.core import jobs, uploads
from resolvers.core.csv_export import csv_bytes
from resolvers.core.csv_files import CsvRow, in_batches
from resolvers.core.downloads import FileLink, shared_file_link
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.spreadsheets import off_loop, parse_spreadsheet
from resolvers.identity import recovery
from resolvers.identity.accounts import check_email
from resolvers.network.centres import CENTRE_CODE, CENTRE_CODE_RULE
from resolvers.people.accounts import (
    new_pin,
    place_many,
    register_many,
    role_refusal,
)
from resolvers.people.role_grants import Grantor, regranted

KIND = "centres.upload"
MAX_ROWS = 20_000
REQUIRED_COLUMNS = ("centre_number", "centre_name", "address", "city", "country")
OPTIONAL_COLUMNS = ("user_email", "user_first_name", "user_last_name", "user_roles")
PIN_FILE = "centre-user-pins.csv"
# The actions the report's issue lists point to (resolvers/network/centres.py).
DELETE_CENTRE = "deleteCentre"
REMOVE_CENTRE_USER = "removeCentreUser"
# A file with thousands of bad rows would make an unreadable answer: the first ones show the kind.
MAX_REPORTED_PROBLEMS = 50
_SPLIT_ROLES = re.compile(r"[\s;,]+")
_LIMITS = {
    "centre_name": 200,
    "address": 300,
    "city": 100,
    "country": 100,
    "user_first_name": 100,
    "user_last_name": 100,
}
_LOCATION = ("address", "city", "country")
_PROGRESS_EVERY = 500


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingCentre:
    """On the site, not in the file: the board may soft delete it (deleteCentre)."""

    code: str
    name: str
    action: str = DELETE_CENTRE


@dataclass(frozen=True)
class ExtraUser:
    """Placed at a centre of the file on the site, but not listed for it in the file."""

    centre_code: str
    user_id: int
    email: str
    name: str
    last_login_at: str | None
    action: str = REMOVE_CENTRE_USER
    # The emails the file lists at that centre (the report's "Spreadsheet Email"): often the
    # person under a new address, whom the board then keeps and this place goes.
    spreadsheet_emails: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicatedUser:
    """An email placed at more than one centre, by the file or by the file and the site."""

    email: str
    centre_codes: list[str]
    in_file: list[str]


@dataclass
class CentreUploadReport:
    rows_processed: int
    seconds: float
    centres_created: int
    centres_updated: int
    users_created: int
    users_updated: int
    missing_centres: list[MissingCentre] = field(default_factory=list)
    extra_users: list[ExtraUser] = field(default_factory=list)
    duplicated_users: list[DuplicatedUser] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The job's result: the same report, with camelCase keys like the API's."""
        return _rekeyed(asdict(self), _camel_key)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CentreUploadReport":
        plain = _rekeyed(data, _snake_key)
        return cls(
            **{k: v for k, v in plain.items() if k not in _LISTS},
            missing_centres=[MissingCentre(**m) for m in plain["missing_centres"]],
            extra_users=[ExtraUser(**u) for u in plain["extra_users"]],
            duplicated_users=[DuplicatedUser(**u) for u in plain["duplicated_users"]],
        )


_LISTS = ("missing_centres", "extra_users", "duplicated_users")


def _camel_key(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(part.title() for part in rest)


def _snake_key(key: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), key)


def _rekeyed(value: Any, key: Callable[[str], str]) -> Any:
    """JSON `value` with every object's keys renamed by `key`."""
    if isinstance(value, dict):
        return {key(k): _rekeyed(v, key) for k, v in value.items()}
    if isinstance(value, list):
        return [_rekeyed(v, key) for v in value]
    return value


@dataclass
class CentreUpload:
    report: CentreUploadReport
    dry_run: bool
    job: Job | None = None


# --- reading the file -------------------------------------------------------------------------


@dataclass
class _Centre:
    row: int
    code: str
    name: str
    location: dict[str, str]


@dataclass
class _Person:
    """One user row: an email at a centre, with roles there."""

    row: int
    email: str
    centre_code: str
    first_name: str
    last_name: str
    roles: list[str]


@dataclass
class _File:
    rows: int
    has_users: bool
    centres: dict[str, _Centre] = field(default_factory=dict)
    people: list[_Person] = field(default_factory=list)
    problems: list[UserError] = field(default_factory=list)

    def problem(self, code: ErrorCode, row: int, column: str | None, message: str) -> None:
        where = f"Row {row}" + (f", {column}" if column else "")
        path = ("input", "file", str(row), *((column,) if column else ()))
        self.problems.append(UserError(code, f"{where}: {message}", path))


def grantable_roles(actor: Actor) -> list[str]:
    """The centre roles this board admin may give in a file, as policy.csv says."""
    authorizer = Authorizer(actor)
    return [
        role.value
        for role in Role
        if OrganisationKind.CENTRE in ROLE_INFO[role].applies_to
        and authorizer.allows(f"role:{role.value}", "grant")
    ]


def _read(content: bytes, grantable: Iterable[str]) -> _File:
    table = parse_spreadsheet(
        content,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        max_rows=MAX_ROWS,
        what="rows",
    )
    file = _File(rows=len(table.rows), has_users="user_email" in table.columns)
    allowed = set(grantable)
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        if row.problems:
            for problem in row.problems:
                file.problem(problem.code, row.number, problem.column, problem.message)
            continue
        code = _centre(file, row)
        if code is not None and file.has_users:
            _person(file, row, code, allowed, seen)
    return file


def _cell(file: _File, row: CsvRow, column: str) -> str:
    value = " ".join(row.get(column).split())
    limit = _LIMITS.get(column)
    if limit is not None and len(value) > limit:
        file.problem(
            ErrorCode.INVALID_INPUT,
            row.number,
            column,
            f"at most {limit} characters, this has {len(value)}.",
        )
    return value


def _centre(file: _File, row: CsvRow) -> str | None:
    """Check the row's centre; the centre number, if it is good enough to go on with."""
    code = row.get("centre_number").strip().upper()
    if not code:
        file.problem(ErrorCode.INVALID_INPUT, row.number, "centre_number", "it is empty.")
        return None
    if not CENTRE_CODE.match(code):
        file.problem(
            ErrorCode.CENTRE_CODE_INVALID,
            row.number,
            "centre_number",
            f"{code!r} is not a centre number ({CENTRE_CODE_RULE}).",
        )
        return None
    name = _cell(file, row, "centre_name")
    if not name:
        file.problem(ErrorCode.NAME_REQUIRED, row.number, "centre_name", "it is empty.")
    location = {column: _cell(file, row, column) for column in _LOCATION}
    first = file.centres.get(code)
    if first is None:
        file.centres[code] = _Centre(row.number, code, name, location)
        return code
    # Repeated rows of a centre (one per user) must not contradict the first one.
    if name and name != first.name:
        file.problem(
            ErrorCode.DUPLICATE_IN_FILE,
            row.number,
            "centre_name",
            f"centre {code} is named {name!r} here but {first.name!r} on row {first.row}.",
        )
    for column, value in location.items():
        if value and first.location[column] and value != first.location[column]:
            file.problem(
                ErrorCode.DUPLICATE_IN_FILE,
                row.number,
                column,
                f"centre {code} has {value!r} here but {first.location[column]!r} on "
                f"row {first.row}.",
            )
    return code


def _person(
    file: _File, row: CsvRow, code: str, allowed: set[str], seen: dict[tuple[str, str], int]
) -> None:
    raw_email = row.get("user_email").strip()
    first_name = _cell(file, row, "user_first_name")
    last_name = _cell(file, row, "user_last_name")
    roles = [r.upper() for r in _SPLIT_ROLES.split(row.get("user_roles")) if r]
    if not raw_email:
        if first_name or last_name or roles:
            file.problem(
                ErrorCode.EMAIL_INVALID,
                row.number,
                "user_email",
                "a user's names or roles are given without their email.",
            )
        return
    try:
        email = check_email(raw_email)
    except DomainError:
        file.problem(
            ErrorCode.EMAIL_INVALID,
            row.number,
            "user_email",
            f"{raw_email!r} is not a valid email address.",
        )
        return
    for role in roles:
        reason = role_refusal(role, OrganisationKind.CENTRE, allowed.__contains__)
        if reason:
            file.problem(ErrorCode.ROLE_NOT_GRANTABLE, row.number, "user_roles", reason)
    if (email, code) in seen:
        file.problem(
            ErrorCode.DUPLICATE_IN_FILE,
            row.number,
            "user_email",
            f"{email} is listed for centre {code} on row {seen[email, code]} already.",
        )
        return
    seen[email, code] = row.number
    file.people.append(_Person(row.number, email, code, first_name, last_name, sorted(set(roles))))


# --- against the database ---------------------------------------------------------------------


@dataclass
class _Plan:
    file: _File
    existing: dict[str, Organisation]
    accounts: dict[str, User]
    new_centres: list[_Centre] = field(default_factory=list)
    renamed: list[tuple[Organisation, str]] = field(default_factory=list)
    new_users: dict[str, _Person] = field(default_factory=dict)
    # (user id, organisation id) -> the membership as it is, for existing accounts.
    memberships: dict[tuple[int, int], Membership] = field(default_factory=dict)
    updated_emails: set[str] = field(default_factory=set)
    missing: list[MissingCentre] = field(default_factory=list)
    extra: list[ExtraUser] = field(default_factory=list)
    duplicated: list[DuplicatedUser] = field(default_factory=list)
    # The duplicated users' emails: reported, never created or placed.
    held_back: set[str] = field(default_factory=set)

    def report(self, seconds: float) -> CentreUploadReport:
        return CentreUploadReport(
            rows_processed=self.file.rows,
            seconds=round(seconds, 3),
            centres_created=len(self.new_centres),
            centres_updated=len(self.renamed),
            users_created=len(self.new_users),
            users_updated=len(self.updated_emails),
            missing_centres=self.missing,
            extra_users=self.extra,
            duplicated_users=self.duplicated,
        )


async def _plan(file: _File) -> _Plan:
    """What the file changes, and the seed's three issue lists; problems go to file.problems."""
    existing = await uploads.found_by(Organisation, "code", list(file.centres))
    accounts = await uploads.found_by(User, "email", sorted({p.email for p in file.people}))
    plan = _Plan(file=file, existing=existing, accounts=accounts)

    for centre in file.centres.values():
        found = existing.get(centre.code)
        if found is None:
            plan.new_centres.append(centre)
        elif found.kind is not OrganisationKind.CENTRE:
            file.problem(
                ErrorCode.NOT_A_CENTRE,
                centre.row,
                "centre_number",
                f"{centre.code} is the {found.kind.value.lower()} {found.name!r}, not a centre.",
            )
        elif found.deleted_at is not None:
            file.problem(
                ErrorCode.ORGANISATION_DELETED,
                centre.row,
                "centre_number",
                f"centre {centre.code} is deleted; undo the delete (undoDeleteCentre) "
                "first, or leave it out of the file.",
            )
        elif centre.name and centre.name != found.name:
            plan.renamed.append((found, centre.name))

    rows_of: dict[str, list[_Person]] = {}
    for person in file.people:
        rows_of.setdefault(person.email, []).append(person)
    for email, rows in rows_of.items():
        if email in accounts:
            continue
        # A new user's names may be on any of their rows (the first that has both counts).
        named = next((p for p in rows if p.first_name and p.last_name), None)
        if named is None:
            person = rows[0]
            column = "user_first_name" if not person.first_name else "user_last_name"
            file.problem(
                ErrorCode.NAME_REQUIRED,
                person.row,
                column,
                f"{person.email} has no account yet: give their first and last name.",
            )
            continue
        plan.new_users[email] = named

    await _existing_places(plan)
    await _missing_centres(plan)
    return plan


async def _existing_places(plan: _Plan) -> None:
    """Existing accounts' places at centres: what changes, extra and duplicated users."""
    # Every place of the file's existing accounts at a live centre (the file's centres too).
    places: list[Membership] = await in_batches(
        [u.id for u in plan.accounts.values()],
        lambda chunk: Membership.filter(
            user_id__in=chunk,
            organisation__kind=OrganisationKind.CENTRE,
            organisation__deleted_at=None,
        ).select_related("organisation"),
    )
    plan.memberships = {(m.user_id, m.organisation_id): m for m in places}
    # What the file changes for existing accounts.
    for person in plan.file.people:
        account = plan.accounts.get(person.email)
        centre = plan.existing.get(person.centre_code)
        if account is None:
            continue
        current = plan.memberships.get((account.id, centre.id)) if centre else None
        if current is None or not set(person.roles) <= set(current.roles):
            plan.updated_emails.add(person.email)
    await _extra_users(plan)
    _duplicated_users(plan, places)


async def _extra_users(plan: _Plan) -> None:
    """(b) users at the file's centres whom the file does not list there."""
    if not plan.file.has_users:
        return  # a file without user columns says nothing about users
    centre_ids = {
        o.id: code
        for code, o in plan.existing.items()
        if o.kind is OrganisationKind.CENTRE and o.deleted_at is None
    }
    at_file_centres: list[Membership] = await in_batches(
        list(centre_ids),
        lambda chunk: Membership.filter(organisation_id__in=chunk).select_related("user"),
    )
    listed = {(p.email, p.centre_code) for p in plan.file.people}
    in_file_at: dict[str, list[str]] = {}
    for person in plan.file.people:
        in_file_at.setdefault(person.centre_code, []).append(person.email)
    plan.extra = sorted(
        (
            ExtraUser(
                centre_code=centre_ids[m.organisation_id],
                user_id=m.user_id,
                email=m.user.email,
                name=m.user.full_name,
                last_login_at=_iso(m.user.last_login_at),
                spreadsheet_emails=sorted(set(in_file_at.get(centre_ids[m.organisation_id], []))),
            )
            for m in at_file_centres
            if (m.user.email, centre_ids[m.organisation_id]) not in listed
        ),
        key=lambda u: (u.centre_code, u.email),
    )


def _duplicated_users(plan: _Plan, places: list[Membership]) -> None:
    """(c) emails at more than one centre, counting the site's places of existing accounts."""
    in_file: dict[str, list[str]] = {}
    for person in plan.file.people:
        in_file.setdefault(person.email, []).append(person.centre_code)
    email_of = {u.id: u.email for u in plan.accounts.values()}
    on_site: dict[str, set[str]] = {}
    for membership in places:
        on_site.setdefault(email_of[membership.user_id], set()).add(membership.organisation.code)
    for email in sorted(in_file):
        everywhere = sorted(set(in_file[email]) | on_site.get(email, set()))
        if len(everywhere) > 1:
            plan.duplicated.append(DuplicatedUser(email, everywhere, sorted(in_file[email])))
    # Which of their places is meant is the board's call: nothing is written for them.
    held_back = {d.email for d in plan.duplicated}
    plan.new_users = {e: p for e, p in plan.new_users.items() if e not in held_back}
    plan.updated_emails -= held_back
    plan.held_back = held_back


async def _missing_centres(plan: _Plan) -> None:
    """(a) live centres on the site that the file does not name."""
    rows = (
        await Organisation.filter(kind=OrganisationKind.CENTRE, deleted_at=None)
        .order_by("code")
        .values_list("code", "name")
    )
    plan.missing = [
        MissingCentre(code, name) for code, name in rows if code not in plan.file.centres
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def _check(content: bytes, grantable: Iterable[str]) -> _Plan:
    # Reading and checking 20,000 rows is seconds of CPU: a worker's, not the event loop's.
    file = await off_loop(_read, content, grantable)
    # Checked against the site even when rows are wrong, so that a board's or an associate's
    # number, or a new user without names, is reported together with the rows' own problems.
    plan = await _plan(file)
    if file.problems:
        raise _refusal(file)
    return plan


def _refusal(file: _File) -> DomainError:
    problems = sorted(file.problems, key=lambda p: int(p.field[2]) if len(p.field) > 2 else 0)
    shown = problems[:MAX_REPORTED_PROBLEMS]
    summary = UserError(
        ErrorCode.ROWS_INVALID,
        f"The file has {len(problems)} problem(s)"
        + (f" (the first {len(shown)} are listed)" if len(problems) > len(shown) else "")
        + "; nothing was written. Correct the file and upload it again.",
        ("input", "file"),
    )
    return DomainError([summary, *shown])


# --- the mutation -----------------------------------------------------------------------------


async def upload_centres(
    actor: Actor, *, content: bytes, filename: str | None, dry_run: bool
) -> CentreUpload:
    """Check the file; a dry run reports, otherwise a job writes it (CentreUpload.job)."""
    Authorizer(actor).require("centres", "upload")
    started = time.monotonic()
    grantable = grantable_roles(actor)
    plan = await _check(content, grantable)
    report = plan.report(time.monotonic() - started)
    board = next(
        (
            p.organisation_id
            for p in actor.placements
            if p.kind is OrganisationKind.BOARD and not p.deleted
        ),
        None,
    )
    job = await uploads.queue_upload(
        actor,
        kind=KIND,
        event="centre.upload",
        dry_run=dry_run,
        organisation_id=board,
        total=report.rows_processed,
        payload=lambda: {
            "file": base64.b64encode(content).decode("ascii"),
            "fileName": filename,
            "grantableRoles": grantable,
        },
        after={"file": filename, "dryRun": dry_run, **_counts(report)},
    )
    return CentreUpload(report=report, dry_run=dry_run, job=job)


def _counts(report: CentreUploadReport) -> dict[str, Any]:
    return {
        key: value
        for key, value in report.to_json().items()
        if key not in {"missingCentres", "extraUsers", "duplicatedUsers"}
    }


# --- the job ----------------------------------------------------------------------------------


def pins_csv(rows: list[tuple[str, str, str]]) -> bytes:
    """email, centre, PIN of each new user's place, for the board to hand out."""
    return csv_bytes([("email", "centre", "pin"), *sorted(rows, key=lambda r: (r[1], r[0]))])


async def run_upload_job(run: jobs.JobRun) -> dict[str, Any]:
    started = time.monotonic()
    await run.progress(0, None, "Checking the file against the site")
    # Checked again: the site may have changed since the upload (a centre deleted, say).
    plan = await _check(base64.b64decode(run.payload["file"]), run.payload["grantableRoles"])
    await run.progress(0, plan.file.rows, "Writing centres and users")
    async with uploads.job_transaction(
        run,
        "A centre or user in the file was created by someone else while the file was being "
        "written, so nothing was written. Upload the file again.",
    ) as write:
        written = await _write(plan, run, Grantor.of(write.actor))
        report = plan.report(time.monotonic() - started)
        await run.add_file(PIN_FILE, "text/csv", pins_csv(written.pins))
        file_name = run.payload.get("fileName")
        await write.record(
            "centre.bulk_upload",
            organisation_id=run.job.organisation_id,
            before={"names": {o.code: o.name for o, _ in plan.renamed}},
            after={
                **_counts(report),
                "file": file_name,
                "names": {o.code: name for o, name in plan.renamed},
                "centresCreated": [c.code for c in plan.new_centres],
                "usersCreated": sorted(plan.new_users),
                "usersUpdated": sorted(plan.updated_emails),
            },
        )
        await write.record_at_each("centre.bulk_upload", written.at_centres(plan, file_name))
    return report.to_json()


@dataclass
class _Written:
    """What the job wrote: the new users' PINs, and each centre's share of the changes."""

    centre_ids: dict[str, int]
    pins: list[tuple[str, str, str]] = field(default_factory=list)
    # Centre number -> "usersCreated" / "usersPlaced" / "rolesAdded" -> emails.
    people: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def person(self, code: str, change: str, email: str) -> None:
        self.people.setdefault(code, {}).setdefault(change, []).append(email)

    def at_centres(self, plan: _Plan, file_name: str | None) -> dict[int, dict[str, Any]]:
        """Each changed centre's audit event: its own audit log shows the board's upload."""
        changes: dict[str, dict[str, Any]] = {code: dict(p) for code, p in self.people.items()}
        for centre in plan.new_centres:
            changes.setdefault(centre.code, {})["created"] = True
        for organisation, name in plan.renamed:
            changes.setdefault(organisation.code, {})["name"] = {
                "before": organisation.name,
                "after": name,
            }
        return {
            self.centre_ids[code]: {"file": file_name, **change} for code, change in changes.items()
        }


async def _write(plan: _Plan, run: jobs.JobRun, by: Grantor) -> _Written:
    """Every write of the upload, the new users' activation emails included."""
    written = _Written(await _write_centres(plan))
    pin_of = {email: new_pin() for email in plan.new_users}
    user_ids = {u.email: u.id for u in plan.accounts.values()}
    new_ids = await register_many(
        [
            {"email": email, "first_name": p.first_name, "last_name": p.last_name}
            for email, p in plan.new_users.items()
        ],
        pin_of,
    )
    user_ids.update(new_ids)
    created: list[tuple[int, int, list[str]]] = []
    people = [p for p in plan.file.people if p.email not in plan.held_back]
    for done, person in enumerate(people, start=1):
        key = (user_ids[person.email], written.centre_ids[person.centre_code])
        current = plan.memberships.get(key)
        if current is None:
            created.append((*key, person.roles))
            new = person.email in pin_of
            written.person(
                person.centre_code, "usersCreated" if new else "usersPlaced", person.email
            )
        elif not set(person.roles) <= set(current.roles):
            roles = sorted(set(current.roles) | set(person.roles))
            await Membership.filter(id=current.id).update(
                roles=roles,
                role_grants=regranted(current.role_grants, current.roles, roles, by),
            )
            written.person(person.centre_code, "rolesAdded", person.email)
        if person.email in pin_of:
            written.pins.append((person.email, person.centre_code, pin_of[person.email]))
        if done % _PROGRESS_EVERY == 0:
            await run.progress(done, len(people))
    await place_many(created, by=by)
    await recovery.email_activations(
        await in_batches(
            list(new_ids.values()),
            lambda chunk: User.filter(id__in=chunk).only("id", "email", "first_name"),
        )
    )
    return written


async def _write_centres(plan: _Plan) -> dict[str, int]:
    """The new centres and the new names; every centre's id by its number."""
    await Organisation.bulk_create(
        [
            Organisation(kind=OrganisationKind.CENTRE, code=c.code, name=c.name, **c.location)
            for c in plan.new_centres
        ],
        batch_size=500,
    )
    for organisation, name in plan.renamed:
        await Organisation.filter(id=organisation.id).update(name=name)
    centre_ids = {code: o.id for code, o in plan.existing.items()}
    centre_ids.update(
        await uploads.ids_of(Organisation, "code", [c.code for c in plan.new_centres])
    )
    return centre_ids


# --- the sample file --------------------------------------------------------------------------


class SampleFormat(StrEnum):
    XLSX = "XLSX"
    CSV = "CSV"


_SAMPLE_ROWS = (
    (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS),
    (
        "ZZ901",
        "Riverside Academy",
        "1 High Street",
        "Cambridge",
        "United Kingdom",
        "exams@riverside.example",
        "Grace",
        "Hopper",
        "USER_MANAGEMENT SLT",
    ),
    (
        "ZZ901",
        "Riverside Academy",
        "",
        "",
        "",
        "teacher@riverside.example",
        "Alan",
        "Turing",
        "SFA_TEACHER",
    ),
    ("ZZ902", "Hillside College", "22 Station Road", "Nairobi", "Kenya", "", "", "", ""),
)
# Bump when the sample changes: the stored copy is made once per version.
SAMPLE_VERSION = 1


async def sample_file(actor: Actor, sample_format: SampleFormat) -> FileLink:
    """A signed link to a small valid centres file to start from."""
    Authorizer(actor).require("centres", "upload")
    return await shared_file_link(
        actor,
        Right("centres", "upload", None),
        owner_type=f"CentresUploadSample.{sample_format.value}",
        version=SAMPLE_VERSION,
        make=lambda: uploads.starter_file(
            "centres-sample", sample_format.value, _SAMPLE_ROWS, title="Centres"
        ),
    )


async def upload_report(actor: Actor, job_id: int) -> tuple[Job, CentreUploadReport | None]:
    """A centres upload job, and its report once it has SUCCEEDED."""
    job = await jobs.get_job(actor, job_id)
    if job.kind != KIND:
        raise DomainError.one(ErrorCode.NOT_FOUND, "That job is not a centres upload.", "job")
    report = CentreUploadReport.from_json(job.result) if isinstance(job.result, dict) else None
    return job, report

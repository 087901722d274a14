"""Staff accounts in bulk from the hub's UserUploadTemplate.

The template's columns are first_name, last_name, email, password and role. Roles are the
hub's codes EO (our USER_MANAGEMENT), SLT and INV (INVIGILATOR), or our own role codes, several
separated by ";". Every row is checked as createUserAccount checks one account, and an email
that already has an account is refused with the seed's fix (remove the row, upload again).
All or nothing: one bad row writes nothing. A good file queues a job that hashes the passwords
off the event loop and writes every account in one transaction at its end; the accounts are
then as createUserAccount makes them (ACTIVE, the password to be changed at first sign-in).

The steps every upload shares are resolvers/core/uploads.py's; this module holds the staff
accounts' own rules. The template itself is a StoredFile made once per format and version,
handed out by a signed link (resolvers/core/downloads.py): a static file needs no job to poll.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from models.organisations import Organisation
from models.users import User
from policies import Actor, Authorizer, Right, Role, Target
from policies.viewer_can import CREATE_USER_ACCOUNT
from resolvers.core import jobs, uploads
from resolvers.core.csv_files import CsvRow, RowProblem
from resolvers.core.downloads import FileLink, shared_file_link
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import require_organisation
from resolvers.core.spreadsheets import read_spreadsheet
from resolvers.identity.accounts import check_email, check_name
from resolvers.identity.passwords import check_password_policy, hash_passwords, personal_words
from resolvers.people.accounts import (
    check_roles,
    open_many_with_passwords,
    place_many,
    require_live,
)
from resolvers.people.role_grants import Grantor

KIND = "staff_upload"
COLUMNS = ("first_name", "last_name", "email", "password", "role")
# The hub's role codes; our own role codes are accepted as well.
HUB_ROLES = {"EO": Role.USER_MANAGEMENT, "SLT": Role.SLT, "INV": Role.INVIGILATOR}
TEMPLATE_VERSION = 1
# What the uploader must do once the accounts exist (createUserAccount: login_details_reminder).
BULK_REMINDER = (
    "Tell each user their login details: their email address and the password in your file. "
    "They must change the password when they first sign in. You must have their permission "
    "to create the account and use their email address."
)


class TemplateFormat(StrEnum):
    XLSX = "XLSX"
    CSV = "CSV"


@dataclass(kw_only=True)
class UserRowReport(uploads.RowReport):
    email: str
    roles: list[str] = field(default_factory=list)


class UserUpload(uploads.Upload[UserRowReport]):
    """A file of staff: a report per row, and the job that creates the accounts."""


# --- the template -----------------------------------------------------------------------------

_EXAMPLE = ("Grace", "Hopper", "grace.hopper@yourcentre.example", "Choose-A-Passw0rd", "INV")


def template_bytes(kind: TemplateFormat) -> tuple[str, str, bytes]:
    """The file's name, content type and bytes: the header and one example row."""
    return uploads.starter_file(
        "UserUploadTemplate",
        kind.value,
        [COLUMNS, _EXAMPLE],
        title="Users",
        more=[("Roles", _ROLE_NOTES)],
    )


_ROLE_NOTES = (
    ("role", "meaning"),
    ("EO", "Creates and manages user accounts (USER_MANAGEMENT)"),
    ("SLT", "Senior leadership: reads staff progress, entries and results"),
    ("INV", "Invigilator: only the assessments meant for invigilators"),
    ("", "Several roles: separate them with ; (e.g. EO;SLT)"),
)


def _create_right(actor: Actor) -> Right | None:
    """Creating accounts at the first organisation where the actor may, if any."""
    authorizer = Authorizer(actor)
    for p in actor.placements:
        target = Target(id=p.organisation_id, kind=p.kind, parent_id=p.parent_id, deleted=p.deleted)
        if authorizer.allows("user_accounts", "create", target):
            return Right("user_accounts", "create", p.organisation_id)
    return None


async def user_upload_template(actor: Actor, kind: TemplateFormat) -> FileLink:
    """A signed link to the template, for anyone who may create accounts somewhere."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    right = _create_right(actor)
    if right is None:
        raise authorizer.refusal("user_accounts", "create")
    return await shared_file_link(
        actor,
        right,
        owner_type=f"UserUploadTemplate.{kind.value}",
        version=TEMPLATE_VERSION,
        make=lambda: template_bytes(kind),
    )


# --- checking a file --------------------------------------------------------------------------


@dataclass
class _Checked:
    organisation: Organisation
    upload: UserUpload
    accounts: list[dict[str, Any]]


def _roles_of(
    actor: Actor, organisation: Organisation, cell: str, problems: list[RowProblem]
) -> list[str]:
    codes = [code.strip().upper() for code in cell.replace(",", ";").split(";") if code.strip()]
    if not codes:
        problems.append(
            RowProblem(ErrorCode.ROLES_REQUIRED, "Give one or more roles: EO, SLT or INV.", "role")
        )
        return []
    roles: list[str] = []
    for code in codes:
        role = HUB_ROLES.get(code) or (Role(code) if code in Role.__members__ else None)
        if role is None:
            problems.append(
                RowProblem(
                    ErrorCode.ROLE_UNKNOWN,
                    f"Unknown role {code!r}: use EO, SLT or INV (or one of "
                    f"{', '.join(r.value for r in Role)}), separated by ;.",
                    "role",
                )
            )
        else:
            roles.append(role.value)
    roles = sorted(set(roles))
    problems.extend(
        RowProblem(error.code, error.message, "role")
        for error in check_roles(actor, organisation, roles, required=False)
    )
    return roles


def _check_row(
    actor: Actor, organisation: Organisation, row: CsvRow, first_row_of: dict[str, int]
) -> tuple[UserRowReport, dict[str, Any]]:
    report = UserRowReport(number=row.number, email=row.get("email"), problems=list(row.problems))
    problems = report.problems
    values: dict[str, Any] = {}
    for column, label in (("first_name", "First name"), ("last_name", "Last name")):
        name = report.check(column, check_name, row.get(column), label)
        if name is not None:
            values[column] = name
    if not report.email:
        problems.append(RowProblem(ErrorCode.VALUE_REQUIRED, "Enter an email address.", "email"))
    elif (email := report.check("email", check_email, report.email)) is not None:
        report.email = values["email"] = email
        first = uploads.repeated(first_row_of, email, row.number)
        if first is not None:
            problems.append(
                RowProblem(
                    ErrorCode.DUPLICATE_IN_FILE, f"Row {first} already has {email}.", "email"
                )
            )
    if report.email.casefold() == _EXAMPLE[2]:
        problems.append(
            RowProblem(
                ErrorCode.EXAMPLE_ROW,
                f"This is the template's example ({_EXAMPLE[0]} {_EXAMPLE[1]}): replace it with "
                "one of your staff, or delete the row.",
                "email",
            )
        )
    password = row.get("password")
    if not password:
        problems.append(RowProblem(ErrorCode.VALUE_REQUIRED, "Enter a password.", "password"))
    else:
        names = (values.get("first_name", ""), values.get("last_name", ""))
        personal = personal_words(report.email, *names)
        report.check(
            "password", check_password_policy, password, field="password", personal=personal
        )
        values["password"] = password
    report.roles = values["roles"] = _roles_of(actor, organisation, row.get("role"), problems)
    values["row"] = row.number
    return report, values


async def _check_file(
    actor: Actor, organisation_code: str, content: bytes, dry_run: bool
) -> _Checked:
    organisation = await require_organisation(
        actor, organisation_code, *CREATE_USER_ACCOUNT, "input", "organisationCode"
    )
    require_live(organisation)
    table = await read_spreadsheet(content, required=COLUMNS, what="users")
    first_row_of: dict[str, int] = {}
    reports: list[UserRowReport] = []
    accounts: list[dict[str, Any]] = []
    for row in table.rows:
        report, values = _check_row(actor, organisation, row, first_row_of)
        reports.append(report)
        accounts.append(values)
    registered = await uploads.taken(User, "email", [a["email"] for a in accounts if "email" in a])
    for report, values in zip(reports, accounts, strict=True):
        if values.get("email") in registered:
            report.problems.append(
                RowProblem(
                    ErrorCode.EMAIL_IN_USE,
                    f"{values['email']} is already registered: remove this user from the file and "
                    "upload it again (to give them roles here, use inviteUser).",
                    "email",
                )
            )
    return _Checked(organisation, UserUpload(rows=reports, dry_run=dry_run), accounts)


# The key that seals the passwords waiting in a job (resolvers/credential_secrets.sealer).
_SEALED_FOR = "staff account upload"
_PASSWORDS = uploads.Passwords(_SEALED_FOR, chunk=50, hash_passwords=hash_passwords)


async def upload_users(
    actor: Actor,
    *,
    organisation_code: str,
    content: bytes,
    filename: str | None = None,
    dry_run: bool = False,
) -> UserUpload:
    """Check a file of staff; if every row is right, queue the job that creates the accounts."""
    checked = await _check_file(actor, organisation_code, content, dry_run)
    organisation = checked.organisation
    accounts = checked.accounts
    return await uploads.queue_checked(
        actor,
        checked.upload,
        kind=KIND,
        event="user.upload",
        organisation_id=organisation.id,
        total=len(accounts),
        payload=lambda: {
            "organisationId": organisation.id,
            "file": filename,
            # Sealed, and dropped from the job once it has run.
            "accounts": _PASSWORDS.sealed(accounts, "password"),
        },
        after={"file": filename, "rows": checked.upload.rows_read, "dryRun": dry_run},
    )


# --- the job ----------------------------------------------------------------------------------


def _concurrent(email: str) -> DomainError:
    return DomainError.one(
        ErrorCode.EMAIL_IN_USE,
        f"{email} was registered after the file was checked, so nothing was written. Remove "
        "this user from the file and upload it again.",
    )


async def run_upload_job(run: jobs.JobRun) -> dict[str, Any]:
    organisation_id: int = run.payload["organisationId"]
    accounts: list[dict[str, Any]] = run.payload["accounts"]
    hashes_ = await _PASSWORDS.hashed(run, accounts, "password")
    async with uploads.job_transaction(
        run,
        "Another change registered one of these emails meanwhile, so nothing was written. "
        "Upload the file again.",
        stage="Creating accounts",
    ) as write:
        user_ids = await _create_accounts(
            organisation_id, accounts, hashes_, Grantor.of(write.actor)
        )
        result = {"accountsCreated": len(accounts), "userIds": user_ids}
        # Ids only: the people's details are in their accounts, and leave with them.
        await write.record(
            "user.bulk_create_accounts",
            organisation_id=organisation_id,
            after={**result, "uploadFile": run.payload.get("file")},
        )
    return result


async def _create_accounts(
    organisation_id: int, accounts: list[dict[str, Any]], hashes_: list[str], by: Grantor
) -> list[int]:
    """Inside the job's transaction: the accounts and their places, unless an email was
    registered meanwhile; their user ids, in the order of the file."""
    emails = [a["email"] for a in accounts]
    registered = await uploads.taken(User, "email", emails)
    if registered:
        raise _concurrent(sorted(registered)[0])
    ids = await open_many_with_passwords(
        [
            ({key: a[key] for key in ("email", "first_name", "last_name")}, password_hash)
            for a, password_hash in zip(accounts, hashes_, strict=True)
        ]
    )
    await place_many(((ids[a["email"]], organisation_id, a["roles"]) for a in accounts), by=by)
    return [ids[a["email"]] for a in accounts]

"""Many candidates at once from a CSV file: check every row, then write them all in a
background job, or nothing.

Columns (resolvers/core/csv_files.py has the file-level rules): first_name, last_name, username,
password, syllabus_codes (several, separated by spaces or semicolons), and optionally
candidate_number and uci. Each row is checked with exactly the rules of enterCandidate
(resolvers/exams/entries.py and resolvers/exams/candidates.py), and the file as a whole:

- one candidate may take several rows (one per syllabus, say) if they agree on the details;
  the same username with other details, or the same syllabus twice, is an error;
- a candidate number given to two usernames, or already held by another candidate, is an error;
- so is a UCI given to two usernames, or already held by a candidate anywhere on the board
  (named by number only if at this centre);
- a username already used at the centre, in any case, links the row's entries to that
  candidate, whose names, number, UCI and password stay as they are (the row's message warns if
  the names typed are another person's); rows differing only in its case are one candidate;
- a username a candidate at another venue of the institution holds is an error.

If any row has an error nothing is written. Otherwise (and unless it is a dry run) the upload
queues a job: hashing thousands of passwords with argon2id takes minutes, so the job does it off
the event loop, then writes every candidate and entry in one transaction, checking again that
nobody took a username, number, UCI or entry in the meantime (a number the server chose, rather
than the file, is chosen again if taken: the job's result gives the numbers written). Until the
job has run, the passwords wait in its payload sealed with the server's secret key;
resolvers/core/jobs.py empties the payload when the job ends.

The steps every upload shares (reading, row reports, queuing, hashing in the job, the one
transaction) are resolvers/core/uploads.py's; this module holds the candidates' own rules. It
is over 400 lines because those rules come in three parts that only make sense together: each
row checked as enterCandidate checks one, the rows checked against each other (a candidate over
several rows, a number given once, numbers the server chooses), and the job that checks all of
it again inside its transaction before writing. The job reads the payload the check writes, so
splitting them would spread one format over two modules.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from models.exams import Candidate, Entry, EntryStatus, Series, Syllabus
from models.organisations import Organisation
from models.usernames import username_key
from policies import Actor
from policies.viewer_can import MANAGE_ENTRIES
from resolvers.core import candidate_passwords, jobs, uploads
from resolvers.core.credential_secrets import sealer
from resolvers.core.csv_export import csv_bytes
from resolvers.core.csv_files import (
    IN_BATCH,
    CsvRow,
    RowProblem,
    in_batches,
    row_problems,
)
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.exam_lookups import find_series
from resolvers.core.spreadsheets import read_spreadsheet
from resolvers.exams.candidates import (
    MAX_CANDIDATE_NUMBER,
    check_candidate_number,
    check_username,
    clean_uci,
    lock_candidate_numbers,
    uci_in_use,
)
from resolvers.exams.entries import EntryOutcome
from resolvers.exams.entry_rules import (
    check_linked_number,
    check_new_candidate,
    check_reentries,
    clean_syllabus_codes,
    free_entry_codes,
)
from resolvers.exams.institution_usernames import held_at_other_venue, held_at_other_venues
from resolvers.exams.name_warnings import names_differ
from resolvers.identity.passwords import hash_passwords
from resolvers.network.organisations import require_centre
from resolvers.results_website.results_credentials import grant_new_candidates

KIND = "candidates.csv"
REQUIRED_COLUMNS = ("first_name", "last_name", "username", "password", "syllabus_codes")
OPTIONAL_COLUMNS = ("candidate_number", "uci")
# The single entry's input fields, as columns of the file.
_COLUMNS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "username": "username",
    "password": "password",
    "candidateNumber": "candidate_number",
    "uci": "uci",
    "syllabusCodes": "syllabus_codes",
}
_SPLIT_CODES = re.compile(r"[\s;,]+")


@dataclass(kw_only=True)
class CandidateRowReport(uploads.RowReport):
    username: str
    candidate_number: str | None = None
    outcome: EntryOutcome | None = None
    syllabus_codes: list[str] = field(default_factory=list)
    message: str | None = None


@dataclass(kw_only=True)
class CandidateUpload(uploads.Upload[CandidateRowReport]):
    new_candidates: int = 0
    linked_candidates: int = 0
    entries: int = 0


@dataclass
class _Plan:
    """One candidate of the file: new or linked, and the entries its rows ask for."""

    username: str
    details: tuple[str, ...]
    existing: Candidate | None
    first_row: CandidateRowReport
    values: dict[str, str | None] = field(default_factory=dict)
    password: str | None = None
    candidate_number: str | None = None
    # The server picked the number (the file gave none): the job may pick another.
    number_chosen: bool = False
    syllabuses: dict[int, Syllabus] = field(default_factory=dict)
    rows_of: dict[int, int] = field(default_factory=dict)  # syllabus id -> row number
    reinstate: dict[int, Entry] = field(default_factory=dict)

    def as_job(self) -> dict[str, Any]:
        """The candidate as the job reads it: a linked one keeps their names and password."""
        linked = self.existing
        named = self.values
        if linked is not None:
            named = {"first_name": linked.first_name, "last_name": linked.last_name}
        return {
            "row": self.first_row.number,
            "username": self.username,
            "candidateId": linked.id if linked else None,
            "candidateNumber": self.candidate_number,
            "numberChosen": self.number_chosen,
            "firstName": named.get("first_name"),
            "lastName": named.get("last_name"),
            "uci": self.values.get("uci"),
            "password": None if linked else self.password,
            "entries": [self._entry_as_job(id_, s) for id_, s in self.syllabuses.items()],
        }

    def _entry_as_job(self, syllabus_id: int, syllabus: Syllabus) -> dict[str, Any]:
        """One entry: a withdrawn one is reinstated under its own code."""
        withdrawn = self.reinstate.get(syllabus_id)
        return {
            "row": self.rows_of[syllabus_id],
            "syllabusId": syllabus_id,
            "syllabusCode": syllabus.code,
            "reinstateId": withdrawn.id if withdrawn else None,
            "entryCode": withdrawn.entry_code if withdrawn else None,
        }


def _at(name: str) -> tuple[str, ...]:
    return (_COLUMNS[name],)


def _free_numbers(used: set[int]) -> Iterator[str]:
    """Numbers after the highest in use, then the gaps from 0001, skipping the used ones."""
    highest = max(used, default=0)
    for number in [*range(highest + 1, MAX_CANDIDATE_NUMBER + 1), *range(1, highest)]:
        if number not in used:
            yield str(number).zfill(4)


@dataclass
class _Checked:
    centre: Organisation
    series: Series
    upload: CandidateUpload
    plans: list[_Plan]


async def _check_file(
    actor: Actor, centre_code: str, series_code: str, content: bytes, dry_run: bool
) -> _Checked:
    centre = await require_centre(actor, centre_code, *MANAGE_ENTRIES, "input", "centreCode")
    series = await find_series(series_code, "input", "seriesCode")
    table = await read_spreadsheet(
        content,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        what="candidate rows",
        excel=False,
    )
    rows = table.rows
    reports = uploads.row_reports(rows, CandidateRowReport, username="username")
    check = await _FileCheck.of(centre, series, rows, reports)
    for row, report in zip(rows, reports, strict=True):
        if not row.problems:  # else its cells may sit under the wrong columns: nothing to say
            check.row(row, report)
    check.choose_numbers()
    plans = list(check.plans.values())
    for row, report in zip(rows, reports, strict=True):
        plan = check.plans.get(check.names.get(row.number, ""))
        if plan is not None and report.candidate_number is None:
            report.candidate_number = plan.candidate_number
    upload = CandidateUpload(rows=reports, dry_run=dry_run)
    upload.new_candidates = sum(1 for p in plans if p.existing is None)
    upload.linked_candidates = len(plans) - upload.new_candidates
    upload.entries = sum(len(p.syllabuses) for p in plans)
    return _Checked(centre=centre, series=series, upload=upload, plans=plans)


# The columns whose value the file may give to one username only, as a message names a value.
_GIVEN_ONCE = {"candidate_number": "candidate number {}", "uci": "the UCI {}"}


@dataclass
class _FileCheck:
    """The file's rows checked one by one against what they refer to, and against each other:
    the candidates they make (`plans`) and the numbers the file gives."""

    centre: Organisation
    series: Series
    names: dict[int, str]  # row number -> the row's username, if valid
    codes_of: dict[int, list[str]]  # row number -> the syllabus codes it names
    syllabuses: dict[str, Syllabus]
    existing: dict[str, Candidate]
    numbers_in_use: set[int]
    previous: dict[int, list[Entry]]  # candidate id -> their entries in the series
    uci_holders: dict[str, Candidate]  # the file's UCIs that candidates anywhere hold
    # The file's username keys that candidates at the institution's other venues hold.
    elsewhere: set[str]
    plans: dict[str, _Plan] = field(default_factory=dict)
    # Per column of _GIVEN_ONCE, each value the file gives -> the first row giving it, and to
    # which username.
    given: dict[str, dict[str, tuple[int, str]]] = field(
        default_factory=lambda: {column: {} for column in _GIVEN_ONCE}
    )

    @classmethod
    async def of(
        cls,
        centre: Organisation,
        series: Series,
        rows: list[CsvRow],
        reports: list[CandidateRowReport],
    ) -> "_FileCheck":
        """Everything the rows refer to, in a few queries for the whole file."""
        codes_of = {
            row.number: clean_syllabus_codes(_SPLIT_CODES.split(row.get("syllabus_codes")))
            for row in rows
        }
        wanted = sorted({c for codes in codes_of.values() for c in codes if c})
        syllabuses = {s.code: s for s in await Syllabus.filter(code__in=wanted)} if wanted else {}
        names = _usernames(rows, reports)
        keyed = await uploads.found_by(
            Candidate,
            "username_key",
            sorted({username_key(n) for n in names.values()}),
            centre_id=centre.id,
        )
        names = _one_spelling(names, keyed)
        existing = {c.username: c for c in keyed.values()}
        elsewhere = await held_at_other_venues(
            centre, [n for n in set(names.values()) if n not in existing]
        )
        previous: dict[int, list[Entry]] = {}
        for entry in await in_batches(
            [c.id for c in existing.values()],
            lambda chunk: Entry.filter(series_id=series.id, candidate_id__in=chunk),
        ):
            previous.setdefault(entry.candidate_id, []).append(entry)
        in_use = await _numbers_in_use(centre.id)
        ucis = sorted({clean_uci(row.get("uci")) for row in rows} - {""})
        holders = await uploads.found_by(Candidate, "uci", ucis)
        return cls(
            centre,
            series,
            names,
            codes_of,
            syllabuses,
            existing,
            in_use,
            previous,
            holders,
            elsewhere,
        )

    def row(self, row: CsvRow, report: CandidateRowReport) -> None:
        name = self.names.get(row.number)
        found = self._syllabuses(report, self.codes_of[row.number])
        linked = self.existing.get(name) if name is not None else None
        values = self._new(row, report) if linked is None else self._linked(row, report, linked)
        if name is None:
            return  # an invalid username: no candidate to compare with the file's other rows
        if linked is None and username_key(name) in self.elsewhere:
            report.problems.extend(row_problems([held_at_other_venue(name, "username")]))
        if report.candidate_number is not None and linked is None:
            self._given_once(report, name, "candidate_number", report.candidate_number)
        uci = values.get("uci")
        if uci is not None:
            self._given_once(report, name, "uci", uci)
        plan = self._plan(row, report, name, linked, values)
        for syllabus in found:
            first = uploads.repeated(plan.rows_of, syllabus.id, row.number)
            if first is not None:
                report.problems.append(
                    RowProblem(
                        ErrorCode.DUPLICATE_IN_FILE,
                        f"Row {first} already enters {name} for {syllabus.code}.",
                        "syllabus_codes",
                    )
                )
            plan.syllabuses.setdefault(syllabus.id, syllabus)
        if linked is not None and found:
            errors, reinstate = check_reentries(
                linked,
                self.series,
                found,
                self.previous.get(linked.id, []),
                lambda _: ("syllabus_codes",),
            )
            report.problems.extend(row_problems(errors))
            plan.reinstate.update(reinstate)

    def _syllabuses(self, report: CandidateRowReport, codes: list[str]) -> list[Syllabus]:
        """The syllabuses the row names, each of which must exist."""
        codes = report.syllabus_codes = [c for c in codes if c]
        if not codes:
            report.problems.append(
                RowProblem(
                    ErrorCode.INVALID_INPUT, "Choose one or more syllabuses.", "syllabus_codes"
                )
            )
        report.problems.extend(
            RowProblem(
                ErrorCode.SYLLABUS_NOT_FOUND, f"There is no syllabus {code!r}.", "syllabus_codes"
            )
            for code in codes
            if code not in self.syllabuses
        )
        return [self.syllabuses[c] for c in codes if c in self.syllabuses]

    def _linked(
        self, row: CsvRow, report: CandidateRowReport, linked: Candidate
    ) -> dict[str, str | None]:
        """A row whose username the centre has already: its entries go to that candidate."""
        number_cell = row.get("candidate_number") or None
        report.problems.extend(
            row_problems(check_linked_number(linked, linked.username, number_cell, _at))
        )
        report.candidate_number = linked.candidate_number
        report.outcome = EntryOutcome.LINKED_TO_EXISTING_CANDIDATE
        report.message = (
            f"The username {linked.username} already belongs to candidate "
            f"{linked.candidate_number} {linked.full_name}: these entries go to that same "
            "candidate. Their names, candidate number, UCI and password stay as they are."
        )
        for warning in names_differ(linked, row.get("first_name"), row.get("last_name"), _at):
            report.message += f" {warning.message}"
        return {}

    def _new(self, row: CsvRow, report: CandidateRowReport) -> dict[str, str | None]:
        """A new candidate, checked as enterCandidate checks one; their checked details."""
        values, errors = check_new_candidate(
            first_name=row.get("first_name"),
            last_name=row.get("last_name"),
            password=row.get("password") or None,
            uci=row.get("uci") or None,
            at=_at,
        )
        report.problems.extend(row_problems(errors))
        uci = values["uci"]
        if uci is not None and uci in self.uci_holders:
            clash = uci_in_use(uci, self.uci_holders[uci], self.centre, "uci")
            report.problems.extend(row_problems([clash]))
        report.outcome = EntryOutcome.NEW_CANDIDATE
        number_cell = row.get("candidate_number") or None
        if number_cell is None:
            return values
        number = report.check(
            "candidate_number", check_candidate_number, number_cell, "candidate_number"
        )
        if number is None:
            return values
        report.candidate_number = number
        if int(number) in self.numbers_in_use:
            report.problems.append(
                RowProblem(
                    ErrorCode.CANDIDATE_NUMBER_TAKEN,
                    f"Candidate number {number} is already in use at {self.centre.code}.",
                    "candidate_number",
                )
            )
        return values

    def _given_once(self, report: CandidateRowReport, name: str, column: str, value: str) -> None:
        """A number or UCI the file gives may go to one username only."""
        first = self.given[column].setdefault(value, (report.number, name))
        if first[1] != name:
            what = _GIVEN_ONCE[column].format(value)
            report.problems.append(
                RowProblem(
                    ErrorCode.DUPLICATE_IN_FILE,
                    f"Row {first[0]} already gives {what} to {first[1]}.",
                    column,
                )
            )

    def _plan(
        self,
        row: CsvRow,
        report: CandidateRowReport,
        name: str,
        linked: Candidate | None,
        values: dict[str, str | None],
    ) -> _Plan:
        """The candidate the row belongs to; rows of one candidate must agree on the details."""
        details = (
            *(row.get(c) for c in ("first_name", "last_name", "password", "uci")),
            report.candidate_number or "",
        )
        plan = self.plans.get(name)
        if plan is None:
            plan = self.plans[name] = _Plan(
                username=name,
                details=details,
                existing=linked,
                first_row=report,
                values=values,
                password=row.get("password") or None,
                candidate_number=report.candidate_number,
            )
            return plan
        differing = [
            column for column, a, b in zip(_DETAILS, plan.details, details, strict=True) if a != b
        ]
        if differing:
            report.problems.append(
                RowProblem(
                    ErrorCode.DUPLICATE_IN_FILE,
                    f"Row {plan.first_row.number} has the username {name} with another "
                    f"{', '.join(differing)}: rows of one candidate must agree.",
                    differing[0],
                )
            )
        return plan

    def choose_numbers(self) -> None:
        """Numbers for the new candidates who were given none, in the order of the file."""
        given_numbers = self.given["candidate_number"]
        free = _free_numbers(self.numbers_in_use | {int(n) for n in given_numbers})
        for plan in self.plans.values():
            if plan.existing is None and plan.candidate_number is None:
                plan.candidate_number = next(free, None)
                plan.number_chosen = True
                if plan.candidate_number is None:
                    plan.first_row.problems.append(
                        RowProblem(
                            ErrorCode.CANDIDATE_NUMBER_TAKEN,
                            f"Every candidate number at {self.centre.code} is in use.",
                            "candidate_number",
                        )
                    )


_DETAILS = ("first_name", "last_name", "password", "uci", "candidate_number")


def _usernames(rows: list[CsvRow], reports: list[CandidateRowReport]) -> dict[int, str]:
    """Each well-formed row's username, checked; row number -> username."""
    names: dict[int, str] = {}
    for row, report in zip(rows, reports, strict=True):
        if report.problems:
            continue
        name = report.check("username", check_username, row.get("username"), "username")
        if name is not None:
            names[row.number] = report.username = name
    return names


def _one_spelling(names: dict[int, str], existing: dict[str, Candidate]) -> dict[int, str]:
    """Each row's username as its candidate is known: the centre's spelling of a username it
    has already, else the file's first spelling, so that rows differing only in case are one
    candidate. `existing` is by username key."""
    spellings = {key: c.username for key, c in existing.items()}
    for name in names.values():
        spellings.setdefault(username_key(name), name)
    return {row: spellings[username_key(name)] for row, name in names.items()}


async def _numbers_in_use(centre_id: int) -> set[int]:
    return {
        int(n)
        for n in await Candidate.filter(centre_id=centre_id).values_list(
            "candidate_number", flat=True
        )
    }


# The key that seals the passwords waiting in a job (resolvers/credential_secrets.sealer).
_SEALED_FOR = "bulk candidate upload"
# Hashed 8 per trip to the worker thread, between progress reports.
_PASSWORDS = uploads.Passwords(_SEALED_FOR, chunk=8, hash_passwords=hash_passwords)


def _resealed(waiting: str) -> str:
    """A password as it waits in the job, sealed again for the log-in sheet to print."""
    return candidate_passwords.seal(sealer(_SEALED_FOR).decrypt(waiting.encode()).decode())


def _job_payload(checked: _Checked, filename: str | None) -> dict[str, Any]:
    candidates = [plan.as_job() for plan in checked.plans]
    return {
        "centreId": checked.centre.id,
        "centreCode": checked.centre.code,
        "seriesId": checked.series.id,
        "seriesCode": checked.series.code,
        "file": filename,
        "candidates": _PASSWORDS.sealed(candidates, "password"),
    }


async def enter_candidates_from_csv(
    actor: Actor,
    *,
    centre_code: str,
    series_code: str,
    content: bytes,
    filename: str | None = None,
    dry_run: bool = False,
) -> CandidateUpload:
    """Check a file of candidates; if every row is right, queue the job that writes them."""
    checked = await _check_file(actor, centre_code, series_code, content, dry_run)
    upload = checked.upload
    return await uploads.queue_checked(
        actor,
        upload,
        kind=KIND,
        event="entry.upload",
        organisation_id=checked.centre.id,
        payload=lambda: _job_payload(checked, filename),
        total=upload.new_candidates,
        after={
            "file": filename,
            "series": checked.series.code,
            "rows": upload.rows_read,
            "newCandidates": upload.new_candidates,
            "linkedCandidates": upload.linked_candidates,
            "entries": upload.entries,
            "dryRun": dry_run,
        },
    )


# --- the job ----------------------------------------------------------------------------------


def _concurrent_message(message: str) -> str:
    return f"{message} after the file was checked, so nothing was written. Upload the file again."


def _concurrent(message: str) -> DomainError:
    return DomainError.one(ErrorCode.CONCURRENT_CHANGE, _concurrent_message(message))


async def _renumber(centre_id: int, new: list[dict[str, Any]]) -> None:
    """Inside the writing transaction: a number the server chose when the file was checked and
    someone took meanwhile (a single entry, say) is chosen again, under the centre's lock, so
    that the upload does not fail for it. Numbers the file gave stay, and _recheck refuses
    them if taken. The job's result and entry-codes file give the numbers written."""
    chosen = [c for c in new if c.get("numberChosen")]
    if not chosen:
        return
    await lock_candidate_numbers(centre_id)
    used = await _numbers_in_use(centre_id)
    taken = [c for c in chosen if int(c["candidateNumber"]) in used]
    if not taken:
        return
    free = _free_numbers(used | {int(c["candidateNumber"]) for c in new})
    for candidate in taken:
        number = next(free, None)
        if number is None:
            raise _concurrent("The last free candidate numbers were taken")
        candidate["candidateNumber"] = number


async def _recheck(
    centre_id: int, series_id: int, new: list[dict[str, Any]], linked: list[dict[str, Any]]
) -> None:
    """Inside the writing transaction: nobody took a username, number, UCI or entry
    meanwhile."""
    of_key = {username_key(c["username"]): c["username"] for c in new}
    usernames = await uploads.taken(Candidate, "username_key", list(of_key), centre_id=centre_id)
    if usernames:
        raise _concurrent(f"The username {of_key[sorted(usernames)[0]]} was given to a candidate")
    centre = await Organisation.get(id=centre_id)
    elsewhere = await held_at_other_venues(centre, list(of_key.values()))
    if elsewhere:
        raise _concurrent(
            f"The username {of_key[sorted(elsewhere)[0]]} was given to a candidate at another "
            "venue of this institution"
        )
    numbers = await uploads.taken(
        Candidate, "candidate_number", [c["candidateNumber"] for c in new], centre_id=centre_id
    )
    if numbers:
        raise _concurrent(f"Candidate number {sorted(numbers)[0]} was taken")
    ucis = await uploads.taken(Candidate, "uci", [c["uci"] for c in new if c["uci"]])
    if ucis:
        raise _concurrent(f"The UCI {sorted(ucis)[0]} was given to a candidate")
    if not linked:
        return
    now = {
        (e["candidate_id"], e["syllabus_id"]): e
        for e in await in_batches(
            [c["candidateId"] for c in linked],
            lambda chunk: Entry.filter(series_id=series_id, candidate_id__in=chunk).values(
                "id", "candidate_id", "syllabus_id", "status"
            ),
        )
    }
    for candidate in linked:
        for entry in candidate["entries"]:
            found = now.get((candidate["candidateId"], entry["syllabusId"]))
            expected_withdrawn = entry["reinstateId"] is not None
            if found is None and not expected_withdrawn:
                continue
            if (
                found is None
                or found["id"] != entry["reinstateId"]
                or found["status"] != EntryStatus.WITHDRAWN
            ):
                raise _concurrent(
                    f"{candidate['username']}'s entry for {entry['syllabusCode']} changed"
                )


def entry_codes_csv(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    return csv_bytes(
        [("candidate_number", "name", "username", "syllabus_code", "entry_code"), *rows]
    )


async def run_candidates_job(run: jobs.JobRun) -> dict[str, Any]:
    payload = run.payload
    centre_id: int = payload["centreId"]
    series_id: int = payload["seriesId"]
    candidates: list[dict[str, Any]] = payload["candidates"]
    new = [c for c in candidates if c["candidateId"] is None]
    linked = [c for c in candidates if c["candidateId"] is not None]
    hashes_ = await _PASSWORDS.hashed(run, new, "password")
    fresh = sum(1 for c in candidates for e in c["entries"] if e["reinstateId"] is None)
    codes = await free_entry_codes(fresh)
    async with uploads.job_transaction(
        run,
        _concurrent_message("Another change to this centre's candidates happened"),
        stage="Writing candidates and entries",
    ) as write:
        await _renumber(centre_id, new)
        await _recheck(centre_id, series_id, new, linked)
        ids = await _create_candidates(centre_id, new, hashes_)
        ids.update({c["username"]: c["candidateId"] for c in linked})
        written = await _write_entries(series_id, candidates, ids, codes)
        # Candidates entered for a series the centre opened to ALL get results credentials.
        granted = await grant_new_candidates(centre_id, series_id)
        filename = f"entry-codes-{payload['centreCode']}-{payload['seriesCode']}.csv"
        await run.add_file(filename, "text/csv", entry_codes_csv(written.listing))
        result = {
            "candidatesCreated": len(new),
            "candidatesLinked": len(linked),
            "entriesCreated": written.created,
            "entriesReinstated": written.reinstated,
            "resultsCredentialsGranted": granted,
            "file": filename,
            "rows": [written.per_row[n] for n in sorted(written.per_row)],
        }
        await write.record(
            "entry.bulk_create",
            organisation_id=centre_id,
            after={key: value for key, value in result.items() if key != "rows"}
            | {"series": payload["seriesCode"], "uploadFile": payload.get("file")},
        )
    return result


async def _create_candidates(
    centre_id: int, new: list[dict[str, Any]], hashes_: list[str]
) -> dict[str, int]:
    """The new candidates; their ids by username."""
    await Candidate.bulk_create(
        [
            Candidate(
                centre_id=centre_id,
                username=c["username"],
                candidate_number=c["candidateNumber"],
                first_name=c["firstName"],
                last_name=c["lastName"],
                uci=c["uci"],
                password_hash=password_hash,
                password_sealed=_resealed(c["password"]),
            )
            for c, password_hash in zip(new, hashes_, strict=True)
        ],
        batch_size=500,
    )
    return await uploads.ids_of(
        Candidate, "username", [c["username"] for c in new], centre_id=centre_id
    )


@dataclass
class _Written:
    created: int
    reinstated: int
    listing: list[tuple[str, str, str, str, str]]  # the entry-codes file's rows, sorted
    per_row: dict[int, dict[str, Any]]  # row number -> what the job's result says of it


async def _write_entries(
    series_id: int, candidates: list[dict[str, Any]], ids: dict[str, int], codes: list[str]
) -> _Written:
    """Every entry of the file: new ones with the free codes, withdrawn ones reinstated."""
    entries: list[Entry] = []
    reinstated: list[int] = []
    listing: list[tuple[str, str, str, str, str]] = []
    per_row: dict[int, dict[str, Any]] = {}
    for c in candidates:
        name = f"{c['firstName']} {c['lastName']}".strip()
        for e in c["entries"]:
            if e["reinstateId"] is not None:
                reinstated.append(e["reinstateId"])
                code = e["entryCode"]
            else:
                code = codes.pop()
                entries.append(
                    Entry(
                        candidate_id=ids[c["username"]],
                        series_id=series_id,
                        syllabus_id=e["syllabusId"],
                        entry_code=code,
                    )
                )
            listing.append((c["candidateNumber"], name, c["username"], e["syllabusCode"], code))
            row = per_row.setdefault(
                e["row"],
                {
                    "row": e["row"],
                    "username": c["username"],
                    "candidateNumber": c["candidateNumber"],
                    "entryCodes": {},
                },
            )
            row["entryCodes"][e["syllabusCode"]] = code
    await Entry.bulk_create(entries, batch_size=500)
    for start in range(0, len(reinstated), IN_BATCH):
        await Entry.filter(id__in=reinstated[start : start + IN_BATCH]).update(
            status=EntryStatus.ENTERED, withdrawn_at=None
        )
    listing.sort(key=lambda item: (item[0], item[3]))
    return _Written(len(entries), len(reinstated), listing, per_row)

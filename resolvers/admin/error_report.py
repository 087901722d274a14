"""The board's errors report (the admin site's "Other Errors", "Entry Errors" and "Key Time
Errors"): what needs fixing, each problem with the object to open and a way to mark it resolved.

The problems are worked out afresh from the data on every read, so a fixed problem leaves the
report by itself; one that cannot be fixed in the data (a failed job, an email given up on) is
marked resolved, by its stable key, and then shows only when resolved ones are asked for.

- Entry errors: live entries at a deleted centre (one problem per centre and series: entries
  there can never be sat or resulted), and results loaded for withdrawn entries.
- Key time errors: a series whose credentials open after its results release, and a series
  whose results release has passed while live entries at live centres still have no result
  (one problem per series and centre).
- Other errors: background jobs that failed, and email the outbox gave up on.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from models.audit import ErrorResolution
from models.exams import Entry, EntryStatus, Result, Series
from models.jobs import Job, JobStatus
from models.mail import DeliveryStatus, OutboxMessage
from policies import Actor, Authorizer
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode

# Problems of one kind the report lists at most (the newest first where there is a time).
MAX_PER_CHECK = 500
MAX_NOTE = 2000


class ErrorKind(StrEnum):
    ENTRY = "ENTRY"
    KEY_TIME = "KEY_TIME"
    OTHER = "OTHER"


@dataclass(frozen=True)
class Problem:
    key: str
    kind: ErrorKind
    code: str
    message: str
    # The object to open: a GraphQL type name and its id (a Node's global id is built from it).
    object_type: str
    object_id: int
    at: datetime | None
    resolution: ErrorResolution | None = None


def _require(actor: Actor) -> None:
    Authorizer(actor).require("error_report", "manage")


async def error_report(
    actor: Actor, kind: ErrorKind | None = None, *, include_resolved: bool = False
) -> list[Problem]:
    """The problems of one kind (or all), unresolved ones only unless asked."""
    _require(actor)
    checks = {
        ErrorKind.ENTRY: (_entries_at_deleted_centres, _results_of_withdrawn_entries),
        ErrorKind.KEY_TIME: (_key_times_out_of_order, _results_missing_after_release),
        ErrorKind.OTHER: (_failed_jobs, _undelivered_email),
    }
    problems: list[Problem] = []
    for of_kind, found in checks.items():
        if kind in (None, of_kind):
            for check in found:
                problems.extend(await check())
    resolved = {r.key: r for r in await ErrorResolution.filter(key__in=[p.key for p in problems])}
    return [
        Problem(**{**p.__dict__, "resolution": resolved.get(p.key)})
        for p in problems
        if include_resolved or p.key not in resolved
    ]


async def resolve(actor: Actor, key: str, note: str) -> Problem:
    """Mark a problem of the report resolved, with a note of what was done."""
    _require(actor)
    if len(note) > MAX_NOTE:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, f"The note is at most {MAX_NOTE} characters.", "input", "note"
        )
    problem = next(
        (p for p in await error_report(actor, include_resolved=True) if p.key == key), None
    )
    if problem is None:
        raise DomainError.one(
            ErrorCode.NOT_FOUND,
            "The report has no such problem now: it may have been fixed already.",
            "input",
            "key",
        )
    if problem.resolution is not None:
        raise DomainError.one(
            ErrorCode.ALREADY_RESOLVED, "That problem is marked resolved already.", "input", "key"
        )
    async with in_transaction():
        resolution = await ErrorResolution.create(
            key=key,
            resolved_at=clock.now(),
            resolved_by_id=actor.user_id,
            resolved_by_email=actor.email,
            note=note.strip(),
        )
        await audit.record(
            actor,
            "error_report.resolve",
            target_type=problem.object_type,
            target_id=problem.object_id,
            after={"key": key, "code": problem.code, "note": resolution.note},
        )
    return Problem(**{**problem.__dict__, "resolution": resolution})


# --- entry errors -------------------------------------------------------------------------------


async def _entries_at_deleted_centres() -> list[Problem]:
    rows = (
        await Entry.filter(status=EntryStatus.ENTERED, candidate__centre__deleted_at__isnull=False)
        .annotate(entries=Count("id"))
        .group_by("candidate__centre_id", "candidate__centre__code", "series__code")
        .limit(MAX_PER_CHECK)
        .values("candidate__centre_id", "candidate__centre__code", "series__code", "entries")
    )
    return [
        Problem(
            key=f"ENTRY_AT_DELETED_CENTRE:{r['candidate__centre_id']}:{r['series__code']}",
            kind=ErrorKind.ENTRY,
            code="ENTRY_AT_DELETED_CENTRE",
            message=f"{r['entries']} live entr{'y' if r['entries'] == 1 else 'ies'} for "
            f"{r['series__code']} at the deleted centre {r['candidate__centre__code']}: "
            "withdraw them, or undo the centre's delete.",
            object_type="Organisation",
            object_id=r["candidate__centre_id"],
            at=None,
        )
        for r in rows
    ]


async def _results_of_withdrawn_entries() -> list[Problem]:
    results = (
        await Result.filter(entry__status=EntryStatus.WITHDRAWN)
        .select_related("entry__candidate__centre", "entry__syllabus", "entry__series")
        .order_by("-loaded_at", "-id")
        .limit(MAX_PER_CHECK)
    )
    return [
        Problem(
            key=f"RESULT_ON_WITHDRAWN_ENTRY:{r.entry_id}",
            kind=ErrorKind.ENTRY,
            code="RESULT_ON_WITHDRAWN_ENTRY",
            message=f"A result ({r.grade}) is loaded for a withdrawn entry: candidate "
            f"{r.entry.candidate.candidate_number} at {r.entry.candidate.centre.code}, "
            f"{r.entry.syllabus.code} in {r.entry.series.code}.",
            object_type="Entry",
            object_id=r.entry_id,
            at=r.loaded_at,
        )
        for r in results
    ]


# --- key time errors ----------------------------------------------------------------------------


async def _key_times_out_of_order() -> list[Problem]:
    return [
        Problem(
            key=f"KEY_TIMES_OUT_OF_ORDER:{s.id}:{s.credentials_open_at.isoformat()}",
            kind=ErrorKind.KEY_TIME,
            code="KEY_TIMES_OUT_OF_ORDER",
            message=f"{s.code}: results credentials open ({s.credentials_open_at:%Y-%m-%d %H:%M}"
            f" UTC) after the results release ({s.results_release_at:%Y-%m-%d %H:%M} UTC), so "
            "candidates could not sign in when their results come out.",
            object_type="Series",
            object_id=s.id,
            at=s.results_release_at,
        )
        for s in await Series.all().limit(MAX_PER_CHECK)
        if s.credentials_open_at > s.results_release_at
    ]


async def _results_missing_after_release() -> list[Problem]:
    rows = (
        await Entry.filter(
            status=EntryStatus.ENTERED,
            result=None,
            series__results_release_at__lte=clock.now(),
            candidate__centre__deleted_at__isnull=True,
        )
        .annotate(entries=Count("id"))
        .group_by("series_id", "series__code", "candidate__centre__code")
        .limit(MAX_PER_CHECK)
        .values("series_id", "series__code", "candidate__centre__code", "entries")
    )
    return [
        Problem(
            key=f"RESULTS_MISSING:{r['series_id']}:{r['candidate__centre__code']}",
            kind=ErrorKind.KEY_TIME,
            code="RESULTS_MISSING_AFTER_RELEASE",
            message=f"{r['series__code']}'s results release has passed, but {r['entries']} "
            f"live entr{'y' if r['entries'] == 1 else 'ies'} at {r['candidate__centre__code']} "
            "have no result.",
            object_type="Series",
            object_id=r["series_id"],
            at=None,
        )
        for r in rows
    ]


# --- other errors -------------------------------------------------------------------------------


async def _failed_jobs() -> list[Problem]:
    jobs = await Job.filter(status=JobStatus.FAILED).order_by("-id").limit(MAX_PER_CHECK)
    return [
        Problem(
            key=f"JOB_FAILED:{j.id}",
            kind=ErrorKind.OTHER,
            code="JOB_FAILED",
            message=f"The {j.kind} job failed: {j.error_message or j.error_code or 'no reason'}.",
            object_type="Job",
            object_id=j.id,
            at=j.heartbeat_at or j.started_at or j.created_at,
        )
        for j in jobs
    ]


async def _undelivered_email() -> list[Problem]:
    messages = (
        await OutboxMessage.filter(status=DeliveryStatus.FAILED)
        .order_by("-failed_at", "-id")
        .limit(MAX_PER_CHECK)
        .only("id", "recipient", "subject", "last_error", "failed_at")
    )
    return [
        Problem(
            key=f"EMAIL_UNDELIVERED:{m.id}",
            kind=ErrorKind.OTHER,
            code="EMAIL_UNDELIVERED",
            message=f"The email {m.subject!r} to {m.recipient} could not be delivered: "
            f"{m.last_error or 'no reason given'}. resendEmail sends it again.",
            object_type="UndeliveredEmail",
            object_id=m.id,
            at=m.failed_at,
        )
        for m in messages
    ]

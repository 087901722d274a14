"""Audit reports and the sign-in event log (the board admin site's "Reports: Audit Reports,
Event Logs").

Board admins read everything. An exams officer reads the audit events of their organisation
(organisation_id is theirs or, at an associate, one of its associate centres) and the sign-ins
of the people who are members there now; nobody else reads either. Each list is authorized once,
by scoping its query to those organisations, never row by row; reading events by id keeps
that scope, so the module is over 400 lines rather than split from the rule it shares.

Exports run as a job ("audit.export") that writes one CSV. The rows are fixed when the export
is asked for (those up to the newest id then), so the file does not depend on when the job runs.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.audit import AuditEvent, SignInEvent, SignInOutcome
from models.jobs import Job
from models.organisations import Organisation
from models.users import Membership
from policies import Actor, Authorizer, Forbidden, Target
from resolvers.core import audit, clock, jobs
from resolvers.core.csv_export import CsvWriter
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.organisation_access import organisations_for, require_organisation
from resolvers.core.pages import Page, check_page

KIND = "audit.export"
MAX_EXPORT_ROWS = 200_000
# Rows read per query while writing an export: memory stays flat however big the log is.
CHUNK = 2_000

AUDIT_COLUMNS = (
    "at",
    "actor_email",
    "action",
    "organisation",
    "target_type",
    "target_id",
    "before",
    "after",
    "request_id",
)
SIGN_IN_COLUMNS = ("at", "email", "outcome", "ip_address", "user_agent", "request_id")


@dataclass(frozen=True)
class AuditFilter:
    organisation_code: str | None = None
    actor_email: str | None = None
    action: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class SignInFilter:
    organisation_code: str | None = None
    email: str | None = None
    outcome: SignInOutcome | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Scope:
    """The organisations whose records the actor reads (None: every one, for the board), and
    the one an export is audited at."""

    organisation_ids: tuple[int, ...] | None
    home_id: int | None


async def _scope(actor: Actor, code: str | None, *field: str) -> Scope:
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    if code and code.strip():
        organisation = await require_organisation(
            actor, code, "audit", "read", *field, "organisationCode"
        )
        return Scope((organisation.id,), organisation.id)
    if authorizer.allows("audit", "read"):
        return Scope(None, None)
    # One decision per organisation the actor acts for (a handful), not one per row.
    readable = [
        o
        for o in await organisations_for(actor)
        if authorizer.allows("audit", "read", Target.of(o))
    ]
    if not readable:
        raise authorizer.refusal("audit", "read")
    own = {p.organisation_id for p in actor.placements}
    home = next((o.id for o in readable if o.id in own), readable[0].id)
    return Scope(tuple(o.id for o in readable), home)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _check_range(start: datetime | None, end: datetime | None, *field: str) -> None:
    if start is not None and end is not None and start >= end:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, "'from' must be before 'to'.", *field, "from"
        )


def _audit_query(
    ids: tuple[int, ...] | list[int] | None,
    actor_email: str | None,
    action: str | None,
    start: datetime | None,
    end: datetime | None,
) -> QuerySet[AuditEvent]:
    query = AuditEvent.all()
    if ids is not None:
        query = query.filter(organisation_id__in=list(ids))
    if actor_email and actor_email.strip():
        query = query.filter(actor_email__iexact=actor_email.strip())
    if action and action.strip():
        query = query.filter(action__startswith=action.strip())
    if start is not None:
        query = query.filter(at__gte=start)
    if end is not None:
        query = query.filter(at__lt=end)
    return query


def _sign_in_query(
    ids: tuple[int, ...] | list[int] | None,
    email: str | None,
    outcome: str | None,
    start: datetime | None,
    end: datetime | None,
) -> QuerySet[SignInEvent]:
    query = SignInEvent.all()
    if ids is not None:
        members = Membership.filter(organisation_id__in=list(ids)).values("user_id")
        query = query.filter(user_id__in=Subquery(members))
    if email and email.strip():
        query = query.filter(email__iexact=email.strip())
    if outcome:
        query = query.filter(outcome=SignInOutcome(outcome))
    if start is not None:
        query = query.filter(at__gte=start)
    if end is not None:
        query = query.filter(at__lt=end)
    return query


async def _page(query: QuerySet[Any], limit: int, offset: int) -> Page[Any]:
    check_page(limit, offset)
    total = await query.count()
    items = await query.order_by("-at", "-id").offset(offset).limit(limit)
    return Page(items=list(items), total=total, offset=offset)


async def list_audit_events(
    actor: Actor, filter: AuditFilter, *, limit: int = 20, offset: int = 0
) -> Page[AuditEvent]:
    """Audit events, newest first."""
    scope = await _scope(actor, filter.organisation_code, "filter")
    start, end = _utc(filter.start), _utc(filter.end)
    _check_range(start, end, "filter")
    query = _audit_query(scope.organisation_ids, filter.actor_email, filter.action, start, end)
    return await _page(query, limit, offset)


async def list_sign_in_events(
    actor: Actor, filter: SignInFilter, *, limit: int = 20, offset: int = 0
) -> Page[SignInEvent]:
    """Sign-in attempts, newest first."""
    scope = await _scope(actor, filter.organisation_code, "filter")
    start, end = _utc(filter.start), _utc(filter.end)
    _check_range(start, end, "filter")
    query = _sign_in_query(scope.organisation_ids, filter.email, filter.outcome, start, end)
    return await _page(query, limit, offset)


async def _ids_scope(actor: Actor) -> Scope | None:
    """The lists' scope without an organisation code (every one they could ask for), or None
    for someone who reads none."""
    Authorizer(actor).require_signed_in()
    try:
        return await _scope(actor, None)
    except Forbidden:
        return None


async def audit_events_by_ids(actor: Actor, event_ids: list[int]) -> dict[int, AuditEvent]:
    """The audit events list_audit_events shows the actor (the board: all; an exams officer:
    those of the organisations they read), in one query."""
    scope = await _ids_scope(actor)
    if scope is None:
        return {}
    query = _audit_query(scope.organisation_ids, None, None, None, None).filter(id__in=event_ids)
    return {event.id: event for event in await query}


async def sign_in_events_by_ids(actor: Actor, event_ids: list[int]) -> dict[int, SignInEvent]:
    """The sign-in events list_sign_in_events shows the actor (the board: all; an exams
    officer: those of their organisations' members now), in one query."""
    scope = await _ids_scope(actor)
    if scope is None:
        return {}
    query = _sign_in_query(scope.organisation_ids, None, None, None, None).filter(id__in=event_ids)
    return {event.id: event for event in await query}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def export_audit_events(actor: Actor, filter: AuditFilter) -> Job:
    scope = await _scope(actor, filter.organisation_code, "input", "filter")
    start, end = _utc(filter.start), _utc(filter.end)
    _check_range(start, end, "input", "filter")
    query = _audit_query(scope.organisation_ids, filter.actor_email, filter.action, start, end)
    payload = {
        "log": "audit",
        "actorEmail": filter.actor_email,
        "action": filter.action,
    }
    return await _queue_export(actor, scope, query, payload, filter.organisation_code, start, end)


async def export_sign_in_events(actor: Actor, filter: SignInFilter) -> Job:
    scope = await _scope(actor, filter.organisation_code, "input", "filter")
    start, end = _utc(filter.start), _utc(filter.end)
    _check_range(start, end, "input", "filter")
    outcome = filter.outcome.value if filter.outcome else None
    query = _sign_in_query(scope.organisation_ids, filter.email, outcome, start, end)
    payload = {"log": "sign_in", "email": filter.email, "outcome": outcome}
    return await _queue_export(actor, scope, query, payload, filter.organisation_code, start, end)


async def _queue_export(
    actor: Actor,
    scope: Scope,
    query: QuerySet[Any],
    payload: dict[str, Any],
    organisation_code: str | None,
    start: datetime | None,
    end: datetime | None,
) -> Job:
    newest = await query.order_by("-id").first().values_list("id", flat=True)
    total = await query.count()
    if total > MAX_EXPORT_ROWS:
        raise DomainError.one(
            ErrorCode.TOO_MANY_ROWS,
            f"{total} rows match: narrow the filter (a shorter time range, say) to "
            f"{MAX_EXPORT_ROWS} at most.",
            "input",
            "filter",
        )
    payload = payload | {
        "organisationIds": None if scope.organisation_ids is None else list(scope.organisation_ids),
        "from": _iso(start),
        "to": _iso(end),
        "uptoId": newest or 0,
    }
    described = {
        key: value
        for key, value in (
            ("organisationCode", organisation_code),
            ("from", _iso(start)),
            ("to", _iso(end)),
            *(
                (k, v)
                for k, v in payload.items()
                if k in {"actorEmail", "action", "email", "outcome"}
            ),
        )
        if value
    }
    async with in_transaction():
        job = await jobs.enqueue(
            actor, KIND, organisation_id=scope.home_id, payload=payload, total=total
        )
        await audit.record(
            actor,
            "audit.export",
            organisation_id=scope.home_id,
            target_type="Job",
            target_id=job.id,
            after={"log": payload["log"], "filter": described, "rows": total},
        )
    jobs.wake_workers()
    return job


def _json_cell(value: object) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _when(payload: dict[str, Any], key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if value else None


async def _chunks(query: QuerySet[Any], fields: tuple[str, ...]) -> Any:
    """The rows newest first, CHUNK at a time, by keyset (not offset, which rescans)."""
    last: tuple[datetime, int] | None = None
    while True:
        page = query
        if last is not None:
            page = page.filter(Q(at__lt=last[0]) | Q(at=last[0], id__lt=last[1]))
        rows = await page.order_by("-at", "-id").limit(CHUNK).values(*fields)
        if not rows:
            return
        yield rows
        last = (rows[-1]["at"], rows[-1]["id"])


async def _write_audit_events(
    run: jobs.JobRun, writer: CsvWriter, start: datetime | None, end: datetime | None
) -> int:
    """The audit events asked for, up to the last one when the export was queued."""
    payload = run.payload
    ids = payload["organisationIds"]
    done = 0
    writer.writerow(AUDIT_COLUMNS)
    query = _audit_query(ids, payload["actorEmail"], payload["action"], start, end)
    query = query.filter(id__lte=payload["uptoId"])
    fields = (
        "id",
        "at",
        "actor_email",
        "action",
        "organisation_id",
        "target_type",
        "target_id",
        "before",
        "after",
        "request_id",
    )
    async for rows in _chunks(query, fields):
        codes = dict(
            await Organisation.filter(
                id__in={r["organisation_id"] for r in rows if r["organisation_id"]}
            ).values_list("id", "code")
        )
        writer.writerows(
            [
                r["at"].isoformat(),
                r["actor_email"],
                r["action"],
                codes.get(r["organisation_id"]),
                r["target_type"],
                r["target_id"],
                _json_cell(r["before"]),
                _json_cell(r["after"]),
                r["request_id"],
            ]
            for r in rows
        )
        done += len(rows)
        await run.progress(done, stage="Writing the CSV")
    return done


async def _write_sign_in_events(
    run: jobs.JobRun, writer: CsvWriter, start: datetime | None, end: datetime | None
) -> int:
    """The sign-in events asked for, up to the last one when the export was queued."""
    payload = run.payload
    ids = payload["organisationIds"]
    done = 0
    writer.writerow(SIGN_IN_COLUMNS)
    query = _sign_in_query(ids, payload["email"], payload["outcome"], start, end)
    query = query.filter(id__lte=payload["uptoId"])
    fields = ("id", "at", "email", "outcome", "ip_address", "user_agent", "request_id")
    async for rows in _chunks(query, fields):
        writer.writerows(
            [
                r["at"].isoformat(),
                r["email"],
                SignInOutcome(r["outcome"]).value,
                r["ip_address"],
                r["user_agent"],
                r["request_id"],
            ]
            for r in rows
        )
        done += len(rows)
        await run.progress(done, stage="Writing the CSV")
    return done


async def write_export(run: jobs.JobRun) -> dict[str, Any]:
    """The job: the matching rows as CSV, with a header row, kept as the job's file."""
    payload = run.payload
    start, end = _when(payload, "from"), _when(payload, "to")
    writer = CsvWriter()
    if payload["log"] == "audit":
        done = await _write_audit_events(run, writer, start, end)
        name = f"audit-events-{clock.now():%Y%m%d-%H%M%S}.csv"
    else:
        done = await _write_sign_in_events(run, writer, start, end)
        name = f"sign-in-events-{clock.now():%Y%m%d-%H%M%S}.csv"
    content = writer.getvalue()
    async with in_transaction():
        await run.add_file(name, "text/csv", content)
    return {"log": payload["log"], "rows": done, "file": name}

"""The candidate results website's two requests, as examdesk answers them: signInCandidate (the
credential, the throttling counts, the keyed digest of the password, the access checks, then the
session, the sign-in event and the audit event in one transaction) and candidateResults.

A results password is random (about 50 bits), so it is stored as a keyed SHA-256 digest, not an
argon2id hash (resolvers/core/credential_secrets.py): checking one costs microseconds.
"""

import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from . import clock
from .auth import (
    CANDIDATE_FIELDS,
    CREDENTIAL_FIELDS,
    ORGANISATION_FIELDS,
    Actor,
    hash_token,
    joined,
    plain,
)
from .db import Database, in_list, moment
from .staff import AUDIT, Refused

NOTICE = (
    "The results displayed are for information only. You must not print screenshots of your "
    "results to share with universities."
)
INVALID = (
    "The username or password is incorrect, or this username no longer gives access to "
    "results. Ask your exams officer if you need help."
)
THROTTLED = "Too many failed sign-in attempts. Wait 15 minutes and try again."
MAX_USERNAME = 64
MAX_FAILURES = 5
MAX_FAILURES_PER_ADDRESS = 50
WINDOW = timedelta(minutes=15)
_RC = "results_credential"
_SERIES_COLUMNS = (
    "id",
    "code",
    "created_at",
    "credentials_open_at",
    "year",
    "month",
    "month_number",
    "results_release_at",
)
CREDENTIAL_BY_USERNAME = (
    f"SELECT {plain(_RC, CREDENTIAL_FIELDS)},"
    f"{joined(f'{_RC}__candidate', CANDIDATE_FIELDS)},"
    f"{joined(f'{_RC}__candidate__centre', ORGANISATION_FIELDS)} "
    f'FROM "{_RC}" LEFT OUTER JOIN "candidate" "{_RC}__candidate" '
    f'ON "{_RC}__candidate"."id"="{_RC}"."candidate_id" '
    f'LEFT OUTER JOIN "organisation" "{_RC}__candidate__centre" '
    f'ON "{_RC}__candidate__centre"."id"="{_RC}__candidate"."centre_id" '
    f'WHERE "{_RC}"."username"=? LIMIT ?'
)
FAILURES_BY_NAME = (
    'SELECT COUNT(*) FROM "sign_in_event" WHERE "email"=? AND "at">=? AND "outcome"=?'
)
FAILURES_BY_ADDRESS = (
    'SELECT COUNT(*) FROM "sign_in_event" WHERE "ip_address"=? AND "at">=? AND "outcome"=?'
)
ACCESS_ON = (
    'SELECT 1 FROM "results_access" WHERE "centre_id"=? AND "series_id"=? AND "status" IN (?,?) '
    "LIMIT ?"
)
STILL_ENTERED = (
    'SELECT 1 FROM "entry" WHERE "candidate_id"=? AND "series_id"=? AND "status"=? LIMIT ?'
)
NEW_SESSION = (
    'INSERT INTO "candidate_session" ("token_hash","created_at","expires_at","revoked_at",'
    '"credential_id") VALUES (?,?,?,?,?)'
)
SIGN_IN_EVENT = (
    'INSERT INTO "sign_in_event" ("at","email","user_id","outcome","ip_address","user_agent",'
    '"request_id") VALUES (?,?,?,?,?,?,?)'
)
FAILED_ATTEMPTS = f'UPDATE "{_RC}" SET "failed_attempts"=? WHERE "id"=?'
LOCK = f'UPDATE "{_RC}" SET "failed_attempts"=?,"locked_until"=? WHERE "id"=?'
CANDIDATE = (
    f"SELECT {plain('candidate', CANDIDATE_FIELDS)},"
    f"{joined('candidate__centre', ORGANISATION_FIELDS)} "
    'FROM "candidate" LEFT OUTER JOIN "organisation" "candidate__centre" '
    'ON "candidate__centre"."id"="candidate"."centre_id" WHERE "candidate"."id"=? '
    'ORDER BY "candidate"."centre_id" ASC,"candidate"."candidate_number" ASC LIMIT ?'
)
LIVE_CREDENTIALS = (
    f"SELECT {plain(_RC, CREDENTIAL_FIELDS)},{joined(f'{_RC}__series', _SERIES_COLUMNS)} "
    f'FROM "{_RC}" LEFT OUTER JOIN "series" "{_RC}__series" '
    f'ON "{_RC}__series"."id"="{_RC}"."series_id" WHERE "{_RC}"."id" IN '
    f'(SELECT "{_RC}"."id" "id" FROM "{_RC}" LEFT OUTER JOIN "candidate" "{_RC}__candidate" '
    f'ON "{_RC}__candidate"."id"="{_RC}"."candidate_id" LEFT OUTER JOIN "entry" '
    f'ON "{_RC}__candidate"."id"="entry"."candidate_id" WHERE "{_RC}"."candidate_id"=? '
    f'AND "{_RC}"."revoked_at" IS NULL AND "entry"."status"=? '
    f'AND "{_RC}"."series_id"="entry"."series_id")'
)
ACCESSES = (
    'SELECT "id","agreed_by_id","updated_at","updated_by_id","agreed_at","series_id",'
    '"contact_phone","centre_id","contact_email","delay_hours","status","contact_name" '
    'FROM "results_access" WHERE "centre_id"=? AND "series_id" IN {} AND "status" IN (?,?)'
)
VISIBLE_ENTRIES = (
    'SELECT "entry"."syllabus_id","entry"."id","entry"."series_id","entry"."created_at",'
    '"entry"."candidate_id","entry"."entry_code","entry"."test_session_id","entry"."status",'
    '"entry"."withdrawn_at","entry__syllabus"."id" "entry__syllabus.id",'
    '"entry__syllabus"."title" "entry__syllabus.title","entry__syllabus"."code" '
    '"entry__syllabus.code" FROM "entry" LEFT OUTER JOIN "syllabus" "entry__syllabus" '
    'ON "entry__syllabus"."id"="entry"."syllabus_id" WHERE "entry"."candidate_id"=? '
    'AND "entry"."series_id" IN {} AND "entry"."status"=?'
)
GRADES = 'SELECT "id","loaded_at","entry_id","mark","grade" FROM "result" WHERE "entry_id" IN '


def _failed(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"signInCandidate": {"token": None, "expiresAt": None, "errors": errors}}


async def sign_in_candidate(
    db: Database, settings: Any, client: tuple[str | None, str | None], variables: dict[str, Any]
) -> dict[str, Any]:
    """`client` is the caller's address and user agent, for the sign-in event."""
    address, agent = client
    request_id = secrets.token_hex(8)
    name = variables["input"]["username"].strip().lower()
    logged = name[:MAX_USERNAME]
    credential = (
        await db.row(CREDENTIAL_BY_USERNAME, name, 2) if len(name) <= MAX_USERNAME else None
    )
    now = clock.now()
    since = db.stored(now - WINDOW)
    outcome = "CANDIDATE_INVALID_CREDENTIALS"
    if credential is not None:
        locked = moment(credential["locked_until"])
        throttled = locked is not None and locked > now
    else:
        throttled = await db.value(FAILURES_BY_NAME, logged, since, outcome) >= MAX_FAILURES
    if not throttled and address is not None:
        by_address = await db.value(FAILURES_BY_ADDRESS, address, since, outcome)
        throttled = by_address >= MAX_FAILURES_PER_ADDRESS
    event = (agent or "")[:300] or None, request_id
    if throttled:
        await db.insert(
            SIGN_IN_EVENT, db.stored(now), logged, None, "CANDIDATE_THROTTLED", address, *event
        )
        return _failed([{"code": "SIGN_IN_THROTTLED", "message": THROTTLED}])
    stored = credential["password_digest"] if credential else "-"
    password = variables["input"]["password"].strip().upper()
    right = hmac.compare_digest(hash_token(settings.secret_key, password), stored)
    valid = (
        credential is not None
        and right
        and credential["revoked_at"] is None
        and credential[f"{_RC}__candidate__centre.deleted_at"] is None
        and await _access_is_on(db, credential)
    )
    now = clock.now()
    if not valid:
        async with db.transaction() as tx:
            await tx.insert(SIGN_IN_EVENT, tx.stored(now), logged, None, outcome, address, *event)
            if credential is not None:
                failures = credential["failed_attempts"] + 1
                if failures >= MAX_FAILURES:
                    await tx.rows(LOCK, 0, tx.stored(now + WINDOW), credential["id"])
                else:
                    await tx.rows(FAILED_ATTEMPTS, failures, credential["id"])
        return _failed([{"code": "INVALID_CREDENTIALS", "message": INVALID}])
    assert credential is not None
    return await _open_session(db, settings, credential, now, logged, address, event)


async def _access_is_on(db: Database, credential: dict[str, Any]) -> bool:
    centre_id = credential[f"{_RC}__candidate.centre_id"]
    series_id = credential["series_id"]
    if await db.row(ACCESS_ON, centre_id, series_id, "ALL", "SELECTED", 1) is None:
        return False
    entered = await db.row(STILL_ENTERED, credential["candidate_id"], series_id, "ENTERED", 1)
    return entered is not None


async def _open_session(
    db: Database,
    settings: Any,
    credential: dict[str, Any],
    now: datetime,
    logged: str,
    address: str | None,
    event: tuple[str | None, str],
) -> dict[str, Any]:
    token = secrets.token_urlsafe(32)
    expires_at = now + settings.session_ttl
    candidate = f"{_RC}__candidate."
    after = {
        "username": credential["username"],
        "candidateId": credential["candidate_id"],
        "candidateNumber": credential[f"{candidate}candidate_number"],
    }
    async with db.transaction() as tx:
        await tx.insert(
            NEW_SESSION,
            hash_token(settings.secret_key, token),
            tx.stored(now),
            tx.stored(expires_at),
            None,
            credential["id"],
        )
        if credential["failed_attempts"] or credential["locked_until"]:
            await tx.rows(LOCK, 0, None, credential["id"])
        succeeded = "CANDIDATE_SUCCEEDED"
        await tx.insert(
            SIGN_IN_EVENT, tx.stored(clock.now()), logged, None, succeeded, address, *event
        )
        await tx.insert(
            AUDIT,
            tx.stored(clock.now()),
            None,
            None,
            "candidate_session.sign_in",
            credential[f"{candidate}centre_id"],
            "ResultsCredential",
            str(credential["id"]),
            None,
            tx.json(after),
            event[1],
        )
    payload = {"token": token, "expiresAt": expires_at.isoformat(), "errors": []}
    return {"signInCandidate": payload}


async def candidate_results(db: Database, actor: Actor, variables: dict[str, Any]) -> Any:
    if actor.candidate_id is None:
        code = "FORBIDDEN" if actor.user_id is not None else "UNAUTHENTICATED"
        raise Refused(code, "Sign in with your results username and password first.")
    candidate = await db.row(CANDIDATE, actor.candidate_id, 2)
    assert candidate is not None  # the session's own candidate
    centre = {k.removeprefix("candidate__centre."): v for k, v in candidate.items()}
    if not actor.allows("results", "read_own", centre):
        raise Refused("FORBIDDEN", "You do not have permission to do this.")
    credentials = await db.rows(LIVE_CREDENTIALS, candidate["id"], "ENTERED")
    series_ids = [c["series_id"] for c in credentials]
    accesses = (
        {
            a["series_id"]: a
            for a in await db.rows(
                ACCESSES.format(in_list(series_ids)),
                candidate["centre_id"],
                *series_ids,
                "ALL",
                "SELECTED",
            )
        }
        if series_ids
        else {}
    )
    now = clock.now()
    shown = sorted(
        (_series(c) for c in credentials if c["series_id"] in accesses),
        key=lambda s: (s["year"], s["month_number"]),
        reverse=True,
    )
    opens = {s["id"]: _available_from(s, accesses[s["id"]]) for s in shown}
    visible = [s["id"] for s in shown if now >= opens[s["id"]]]
    entries = (
        await db.rows(
            VISIBLE_ENTRIES.format(in_list(visible)), candidate["id"], *visible, "ENTERED"
        )
        if visible
        else []
    )
    wanted = [e["id"] for e in entries]
    grades = (
        {r["entry_id"]: r["grade"] for r in await db.rows(GRADES + in_list(wanted), *wanted)}
        if wanted
        else {}
    )
    by_series = _results_by_series(entries, grades)
    series = [
        {
            "seriesCode": s["code"],
            "availableFrom": opens[s["id"]].isoformat(),
            "available": s["id"] in visible,
            "results": by_series.get(s["id"], []),
        }
        for s in shown
    ]
    found = {
        "candidateNumber": candidate["candidate_number"],
        "fullName": f"{candidate['first_name']} {candidate['last_name']}".strip(),
        "centreName": candidate["candidate__centre.name"],
        "notice": NOTICE,
        "series": series,
    }
    return {"candidateResults": found}


def _results_by_series(
    entries: list[dict[str, Any]], grades: dict[int, str]
) -> dict[int, list[dict[str, Any]]]:
    """Each series' results, by syllabus code."""
    by_series: dict[int, list[dict[str, Any]]] = {}
    for e in sorted(entries, key=lambda e: e["entry__syllabus.code"]):
        by_series.setdefault(e["series_id"], []).append(
            {
                "syllabusCode": e["entry__syllabus.code"],
                "syllabusTitle": e["entry__syllabus.title"],
                "grade": grades.get(e["id"]),
            }
        )
    return by_series


def _available_from(series: dict[str, Any], access: dict[str, Any]) -> datetime:
    """The series' release time plus the centre's delay."""
    released = moment(series["results_release_at"])
    assert released is not None  # a required column
    return released + timedelta(hours=access["delay_hours"])


def _series(credential: dict[str, Any]) -> dict[str, Any]:
    prefix = f"{_RC}__series."
    return {k.removeprefix(prefix): v for k, v in credential.items() if k.startswith(prefix)}

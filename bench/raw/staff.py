"""The staff requests the benchmark sends, answered as examdesk answers them: its statements, in
its order, and the same JSON for the documents in raw/documents.py.

Each handler takes the resolved actor and the request's variables and returns the `data` object
(or raises Refused, for the answers the benchmark never times).
"""

import base64
import json
import secrets
from datetime import datetime
from typing import Any

from . import clock
from .auth import MEMBERSHIP, ORGANISATION_COLUMNS, USER_FIELDS, Actor, joined
from .db import Database, in_list, moment

ORGANISATION_BY_CODE = (
    f'SELECT {ORGANISATION_COLUMNS} FROM "organisation" WHERE "code"=? ORDER BY "code" ASC LIMIT ?'
)
CANDIDATE_COUNT = 'SELECT COUNT(*) FROM "candidate" WHERE "centre_id"=?'
CANDIDATE_PAGE = (
    'SELECT "id" "id","centre_id" "centre_id","candidate_number" "candidate_number","uci" "uci",'
    '"first_name" "first_name","last_name" "last_name","username" "username" FROM "candidate" '
    'WHERE "centre_id"=? ORDER BY "candidate_number" ASC,"id" ASC LIMIT ? OFFSET ?'
)
ENTRIES = (
    'SELECT "id" "id","candidate_id" "candidate_id","series_id" "series_id",'
    '"syllabus_id" "syllabus_id","entry_code" "entry_code","status" "status",'
    '"withdrawn_at" "withdrawn_at" FROM "entry" WHERE "candidate_id" IN '
)
SERIES = (
    'SELECT "credentials_open_at","id","created_at","code","year","month_number","month",'
    '"results_release_at" FROM "series" WHERE "id" IN {} ORDER BY "year" DESC,"month_number" DESC'
)
SYLLABUSES = 'SELECT "id","title","code" FROM "syllabus" WHERE "id" IN {} ORDER BY "code" ASC'
RESULTS = 'SELECT "id","loaded_at","entry_id","mark","grade" FROM "result" WHERE "entry_id" IN '
AUDIT = (
    'INSERT INTO "audit_event" ("at","actor_user_id","actor_email","action","organisation_id",'
    '"target_type","target_id","before","after","request_id") VALUES (?,?,?,?,?,?,?,?,?,?)'
)
MEMBER_COUNT = 'SELECT COUNT(*) FROM "membership" WHERE "organisation_id"=?'
MEMBER_PAGE = (
    f"SELECT {MEMBERSHIP},{joined('membership__user', USER_FIELDS)} "
    'FROM "membership" LEFT OUTER JOIN "user" "membership__user" '
    'ON "membership__user"."id"="membership"."user_id" WHERE "membership"."organisation_id"=? '
    'ORDER BY "membership__user"."first_name" ASC,"membership__user"."last_name" ASC,'
    '"membership"."id" ASC LIMIT ? OFFSET ?'
)
# examdesk's statements for `me` (resolvers/identity/me.py, resolvers/core/organisation_access.py).
USER_BY_ID = (
    "SELECT id, email, first_name, last_name, status, last_login_at, totp_enabled_at "
    'FROM "user" WHERE id = ?'
)
_ORGANISATION = "id, kind, code, name, address, city, country, deleted_at, parent_id"
ACTING_FOR = (
    f"SELECT {_ORGANISATION} FROM organisation WHERE (id IN {{}} "
    "OR parent_id IN {}) AND deleted_at IS NULL ORDER BY code"
)
ORGANISATIONS_BY_ID = f"SELECT {_ORGANISATION} FROM organisation WHERE id IN {{}} ORDER BY code"


class Refused(Exception):
    """A GraphQL error: signed out or forbidden."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def global_id(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def full_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    if after is None:
        return 0
    return int(base64.b64decode(after).decode().removeprefix("offset:")) + 1


def require_staff(actor: Actor) -> None:
    if actor.candidate_id is not None:
        raise Refused("FORBIDDEN", "You do not have permission to do this.")
    if actor.user_id is None:
        raise Refused("UNAUTHENTICATED", "Sign in first.")
    if not actor.staff:
        raise Refused("FORBIDDEN", "You do not have permission to do this.")


async def organisation(db: Database, actor: Actor, code: str, obj: str, act: str) -> Any:
    """The organisation with the code, if the actor may do `act` on `obj` there."""
    require_staff(actor)
    found = await db.row(ORGANISATION_BY_CODE, code.strip().upper(), 2)
    if found is None or not actor.allows(obj, act, found):
        raise Refused("FORBIDDEN", "You do not have permission to do this.")
    return found


async def _entries(db: Database, candidate_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each candidate's entries with their series and syllabus, oldest series first."""
    rows = await db.rows(ENTRIES + in_list(candidate_ids), *candidate_ids)
    series_ids = sorted({r["series_id"] for r in rows})
    syllabus_ids = sorted({r["syllabus_id"] for r in rows})
    series = (
        {s["id"]: s for s in await db.rows(SERIES.format(in_list(series_ids)), *series_ids)}
        if series_ids
        else {}
    )
    syllabuses = (
        {s["id"]: s for s in await db.rows(SYLLABUSES.format(in_list(syllabus_ids)), *syllabus_ids)}
        if syllabus_ids
        else {}
    )
    grouped: dict[int, list[dict[str, Any]]] = {i: [] for i in candidate_ids}
    for r in rows:
        r["series"], r["syllabus"] = series[r["series_id"]], syllabuses[r["syllabus_id"]]
        grouped[r["candidate_id"]].append(r)
    for entries in grouped.values():
        entries.sort(
            key=lambda e: (
                e["series"]["year"],
                e["series"]["month_number"],
                e["syllabus"]["code"],
                e["id"],
            )
        )
    return grouped


def _visible(actor: Actor, centre: Any, series: dict[str, Any], now: datetime) -> bool:
    if actor.allows("results", "read_unreleased", centre):
        return True
    released = moment(series["results_release_at"])
    return actor.allows("results", "read", centre) and released is not None and now >= released


async def record_read(
    db: Database, actor: Actor, centre_id: int, candidates: set[int], entries: set[int]
) -> None:
    after = {"candidateIds": sorted(candidates), "entryIds": sorted(entries)}
    await db.insert(
        AUDIT,
        db.stored(clock.now()),
        actor.user_id,
        actor.email,
        "results.read",
        centre_id,
        None,
        None,
        None,
        db.json(after),
        secrets.token_hex(8),
    )


async def candidates(db: Database, actor: Actor, variables: dict[str, Any]) -> dict[str, Any]:
    centre = await organisation(db, actor, variables["code"], "entries", "read")
    first, offset = variables["first"], offset_after(variables.get("after"))
    total = await db.value(CANDIDATE_COUNT, centre["id"])
    page = await db.rows(CANDIDATE_PAGE, centre["id"], first, offset)
    ids = [c["id"] for c in page]
    entries = await _entries(db, ids) if ids else {}
    now = clock.now()
    shown = {i: [e for e in entries[i] if _visible(actor, centre, e["series"], now)] for i in ids}
    wanted = [e["id"] for i in ids for e in shown[i]]
    results = (
        {r["entry_id"]: r for r in await db.rows(RESULTS + in_list(wanted), *wanted)}
        if wanted
        else {}
    )
    read_candidates: set[int] = set()
    read_entries: set[int] = set()
    edges = []
    for c in page:
        out = []
        for e in entries[c["id"]]:
            result = results.get(e["id"])
            if result is not None:
                read_candidates.add(c["id"])
                read_entries.add(e["id"])
            out.append(
                {
                    "id": global_id("Entry", e["id"]),
                    "entryCode": e["entry_code"],
                    "status": e["status"],
                    "series": {"code": e["series"]["code"]},
                    "syllabus": {"code": e["syllabus"]["code"], "title": e["syllabus"]["title"]},
                    "result": None
                    if result is None
                    else {"grade": result["grade"], "mark": result["mark"]},
                }
            )
        node = {
            "id": global_id("Candidate", c["id"]),
            "candidateNumber": c["candidate_number"],
            "uci": c["uci"],
            "firstName": c["first_name"],
            "lastName": c["last_name"],
            "username": c["username"],
            "entries": out,
        }
        edges.append({"node": node})
    if read_entries:
        await record_read(db, actor, centre["id"], read_candidates, read_entries)
    page_info = {
        "hasNextPage": offset + len(page) < total,
        "endCursor": cursor(offset + len(page) - 1) if page else None,
    }
    return {"candidates": {"totalCount": total, "pageInfo": page_info, "edges": edges}}


async def organisation_users(
    db: Database, actor: Actor, variables: dict[str, Any]
) -> dict[str, Any]:
    centre = await organisation(db, actor, variables["organisationCode"], "users", "read")
    first, offset = variables["first"], offset_after(variables.get("after"))
    total = await db.value(MEMBER_COUNT, centre["id"])
    page = await db.rows(MEMBER_PAGE, centre["id"], first, offset)
    edges = []
    for index, m in enumerate(page):
        roles = json.loads(m["roles"])
        user = {
            "id": global_id("User", m["membership__user.id"]),
            "fullName": full_name(
                m["membership__user.first_name"], m["membership__user.last_name"]
            ),
            "email": m["membership__user.email"],
            "status": m["membership__user.status"],
        }
        node = {"user": user, "roles": roles, "isExamsOfficer": "EXAMS_OFFICER" in roles}
        edges.append({"cursor": cursor(offset + index), "node": node})
    page_info = {
        "hasNextPage": offset + len(page) < total,
        "hasPreviousPage": offset > 0,
        "endCursor": edges[-1]["cursor"] if edges else None,
    }
    return {"organisationUsers": {"totalCount": total, "pageInfo": page_info, "edges": edges}}


async def me(db: Database, actor: Actor, variables: dict[str, Any]) -> dict[str, Any]:
    require_staff(actor)
    user = await db.row(USER_BY_ID, actor.user_id)
    assert user is not None  # the session's own user
    own = [p.organisation_id for p in actor.placements if not p.deleted]
    associates = [
        p.organisation_id for p in actor.placements if not p.deleted and p.kind == "ASSOCIATE"
    ]
    parents = associates or [0]
    acting_for = (
        await db.rows(ACTING_FOR.format(in_list(own), in_list(parents)), *own, *parents)
        if own
        else []
    )
    by_id = {o["id"]: o for o in acting_for}
    missing = [p.organisation_id for p in actor.placements if p.organisation_id not in by_id]
    if missing:
        by_id |= {o["id"]: o for o in await _organisations(db, missing)}
    # As examdesk does, a parent already among the organisations is not read again.
    parent_ids = sorted(
        {o["parent_id"] for o in acting_for if o["parent_id"] not in (None, *by_id)}
    )
    parents_by_id = dict(by_id)
    if parent_ids:
        parents_by_id |= {o["id"]: o for o in await _organisations(db, parent_ids)}
    grants = [
        {"organisation": _short(by_id[p.organisation_id]), "roles": sorted(p.roles)}
        for p in actor.placements
        if not p.deleted
    ]
    organisations = [
        {
            **_short(o),
            "parent": None
            if o["parent_id"] is None
            else {"code": parents_by_id[o["parent_id"]]["code"]},
        }
        for o in acting_for
    ]
    shown = {
        "id": global_id("User", user["id"]),
        "fullName": full_name(user["first_name"], user["last_name"]),
        "email": user["email"],
        "status": user["status"],
        "totpEnabled": user["totp_enabled_at"] is not None,
    }
    return {"me": {"user": shown, "grants": grants, "organisations": organisations}}


async def _organisations(db: Database, ids: list[int]) -> list[dict[str, Any]]:
    return await db.rows(ORGANISATIONS_BY_ID.format(in_list(ids)), *ids)


def _short(organisation: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": organisation["code"],
        "name": organisation["name"],
        "kind": organisation["kind"],
    }


async def typename(db: Database, actor: Actor, variables: dict[str, Any]) -> dict[str, Any]:
    return {"__typename": "Query"}

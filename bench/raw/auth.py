"""Who a bearer token speaks for, and what they may do: examdesk's rules, without its layers.

The statements are examdesk's own (logged from its ORM): the staff session with its user, then
the user's memberships with their organisations; a token that is no staff session's is looked
up as a candidate's results website session. The rules are policies/policy.csv's for the
fields the benchmark asks for, with its role inheritance and its relations (a role held at the
organisation itself or at its associate, or at the board for everywhere).
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import clock
from .db import Database, moment

USER_FIELDS = (
    "totp_last_step",
    "id",
    "totp_enabled_at",
    "must_change_password",
    "password_hash",
    "created_at",
    "totp_secret",
    "pin",
    "last_login_at",
    "last_name",
    "temporary_password_expires_at",
    "email_verified_at",
    "status",
    "email",
    "first_name",
    "search_name",
)
ORGANISATION_FIELDS = (
    "id",
    "deleted_at",
    "kind",
    "country",
    "created_at",
    "parent_id",
    "name",
    "address",
    "code",
    "city",
)
CANDIDATE_FIELDS = (
    "username",
    "id",
    "password_hash",
    "created_at",
    "candidate_number",
    "uci",
    "centre_id",
    "last_name",
    "username_key",
    "password_sealed",
    "first_name",
    "search_name",
)
CREDENTIAL_FIELDS = (
    "id",
    "series_id",
    "created_at",
    "locked_until",
    "candidate_id",
    "password_digest",
    "password_sealed",
    "revoked_at",
    "failed_attempts",
    "username",
)


def joined(alias: str, columns: tuple[str, ...]) -> str:
    """A select_related's columns, as tortoise names them ("a"."c" "a.c")."""
    return ",".join(f'"{alias}"."{c}" "{alias}.{c}"' for c in columns)


def plain(table: str, columns: tuple[str, ...]) -> str:
    return ",".join(f'"{table}"."{c}"' for c in columns)


ORGANISATION_COLUMNS = ",".join(f'"{c}"' for c in ORGANISATION_FIELDS)
USER_COLUMNS = ",".join(f'"{c}"' for c in USER_FIELDS)
MEMBERSHIP = '"membership"."id","membership"."created_at","membership"."user_id","membership"."roles","membership"."organisation_id"'  # noqa: E501
# examdesk's actor in one statement (resolvers/identity/actors.py): the session, the two columns
# of its user a decision needs, and one row per membership with its organisation.
STAFF_SESSION_SQL = (
    "SELECT s.id, s.user_id, s.stage, s.expires_at, s.revoked_at, u.email, u.status, "
    'm.organisation_id, m.roles, o.kind, o.parent_id, o.deleted_at FROM "session" s '
    'JOIN "user" u ON u.id = s.user_id LEFT JOIN membership m ON m.user_id = s.user_id '
    "LEFT JOIN organisation o ON o.id = m.organisation_id WHERE s.token_hash = ? "
    "ORDER BY m.organisation_id"
)
# examdesk's candidate session in one statement (resolvers/identity/actors.py).
CANDIDATE_SESSION_SQL = (
    "SELECT cs.id, cs.revoked_at, cs.expires_at, rc.id AS credential_id, "
    "rc.revoked_at AS credential_revoked_at, rc.candidate_id, o.id AS centre_id, o.kind, "
    "o.parent_id, o.deleted_at FROM candidate_session cs "
    "JOIN results_credential rc ON rc.id = cs.credential_id "
    "JOIN candidate c ON c.id = rc.candidate_id JOIN organisation o ON o.id = c.centre_id "
    "WHERE cs.token_hash = ?"
)

# g lines: the exams officer holds every centre role.
_INHERITS = {
    "EXAMS_OFFICER": {
        "EXAMS_OFFICER",
        "USER_MANAGEMENT",
        "SFA_EXAMS_OFFICER",
        "ACCESS_ARRANGEMENTS",
        "GLOBAL_LISTENING",
        "SLT",
    }
}
# p lines for what is asked here: (role, relation scope). "org" is self or parent.
RULES: dict[tuple[str, str], set[tuple[str, str]]] = {
    ("entries", "read"): {("SLT", "org"), ("BOARD_ADMIN", "board")},
    ("results", "read"): {("SLT", "org"), ("BOARD_ADMIN", "board")},
    ("results", "read_unreleased"): {("BOARD_ADMIN", "board")},
    ("users", "read"): {("USER_MANAGEMENT", "org"), ("BOARD_ADMIN", "board")},
    ("results", "read_own"): {("CANDIDATE", "own")},
}
_SCOPES = {"self": {"org", "own"}, "parent": {"org"}, "board": {"board"}}


def hash_token(secret_key: str, token: str) -> str:
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Placement:
    organisation_id: int
    kind: str
    parent_id: int | None
    deleted: bool
    roles: frozenset[str]


@dataclass
class Actor:
    user_id: int | None = None
    email: str | None = None
    stage: str | None = None
    candidate_id: int | None = None
    credential_id: int | None = None
    placements: list[Placement] = field(default_factory=list)

    @property
    def staff(self) -> bool:
        return self.user_id is not None and self.stage == "FULL"

    def allows(self, obj: str, act: str, target: dict[str, Any]) -> bool:
        """policies/authorizer.py's decision for a target organisation row."""
        rules = RULES[(obj, act)]
        if target["deleted_at"] is not None:
            return False
        for p in self.placements:
            if p.deleted:
                continue
            if self.candidate_id is None and p.kind == "BOARD":
                relation = "board"
            elif p.organisation_id == target["id"]:
                relation = "self"
            elif (
                self.candidate_id is None
                and p.kind == "ASSOCIATE"
                and target["parent_id"] == p.organisation_id
            ):
                relation = "parent"
            else:
                continue
            held = set().union(*(_INHERITS.get(r, {r}) for r in p.roles)) if p.roles else set()
            if any(role in held and scope in _SCOPES[relation] for role, scope in rules):
                return True
        return False


def _live(row: dict[str, Any], now: datetime) -> bool:
    expires = moment(row["expires_at"])
    return row["revoked_at"] is None and expires is not None and expires > now


async def resolve(db: Database, secret_key: str, token: str | None) -> Actor:
    """The actor of a bearer token, as examdesk's resolve_actor finds them."""
    if not token:
        return Actor()
    token_hash = hash_token(secret_key, token)
    now = clock.now()
    rows = await db.rows(STAFF_SESSION_SQL, token_hash)
    if not rows:
        return await _candidate(db, token_hash, now)
    session = rows[0]
    if not _live(session, now) or session["status"] not in ("ACTIVE", "INVITED"):
        return Actor()
    placements = [
        Placement(
            organisation_id=m["organisation_id"],
            kind=m["kind"],
            parent_id=m["parent_id"],
            deleted=m["deleted_at"] is not None,
            roles=frozenset(json.loads(m["roles"]) if isinstance(m["roles"], str) else m["roles"]),
        )
        for m in rows
        if m["organisation_id"] is not None
    ]
    return Actor(
        user_id=session["user_id"],
        email=session["email"],
        stage=session["stage"],
        placements=placements,
    )


async def _candidate(db: Database, token_hash: str, now: datetime) -> Actor:
    """A results website session (examdesk then tries a started test's token: not here)."""
    row = await db.row(CANDIDATE_SESSION_SQL, token_hash)
    if row is None or not _live(row, now):
        return Actor()
    if row["credential_revoked_at"] is not None or row["deleted_at"] is not None:
        return Actor()
    placement = Placement(
        organisation_id=row["centre_id"],
        kind=row["kind"],
        parent_id=row["parent_id"],
        deleted=False,
        roles=frozenset({"CANDIDATE"}),
    )
    return Actor(
        candidate_id=row["candidate_id"],
        credential_id=row["credential_id"],
        placements=[placement],
    )

"""What every cell of the permission matrix needs: the app the cells share, the people and
organisations a cell works on, the snapshot a refused call must leave unchanged, and the shape
of a call prepared for a cell.

The cells share one app and one seeded database per test module (seeding and signing in for each
of the hundreds of cells would make the suite slow, on PostgreSQL especially). Cells that change
things work on people created for that cell alone, and a cell that soft-deletes an organisation
undoes it before it ends, so the cells do not depend on one another or on their order.
"""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from strawberry import relay

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from models.audit import AuditEvent
from models.exams import Entry
from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import Organisation, OrganisationKind
from models.test_sessions import TestSession
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.database import POSTGRES_URL, create_schema_directly, reset_postgres
from tests.helpers.days import TEST_DAY
from tests.helpers.graphql import GraphQLClient, UploadFile
from tests.permission_matrix.table import ACTORS


@dataclass
class World:
    gql: GraphQLClient
    tokens: dict[str, str]


@asynccontextmanager
async def open_world(directory: Path) -> AsyncIterator[World]:
    """The app on the demo data (a SQLite file in `directory`, or the test PostgreSQL), with
    every actor of the table signed in."""
    if POSTGRES_URL:
        await reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite://{directory / 'examdesk.sqlite3'}"
    await create_schema_directly(url)
    settings = Settings(
        database_url=url,
        fast_password_hashing=True,
        public_url="http://examdesk.test",
        mail_poll_seconds=0.05,
    )
    app = create_app(settings)
    # The demo's series are named after the day it is seeded on, and the cells name them: seed
    # on the tests' own day, whatever the calendar says (the world outlives each test's clock).
    clock.travel_to(TEST_DAY)
    async with app.router.lifespan_context(app):
        await seed_demo()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
            gql = GraphQLClient(http)
            tokens = {actor: await gql.sign_in(email) for actor, email in ACTORS.items()}
            yield World(gql=gql, tokens=tokens)


# --- Helpers ----------------------------------------------------------------------------------


def unique(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}"


def global_id(user_id: int) -> str:
    return relay.to_base64("User", user_id)


async def kind_of(code: str) -> OrganisationKind:
    return (await Organisation.get(code=code)).kind


def grantable_role(kind: OrganisationKind) -> str:
    """A role that exists at this kind of organisation and a manager there may grant."""
    return "BOARD_ADMIN" if kind is OrganisationKind.BOARD else "SFA_TEACHER"


async def make_member(code: str, *roles: str) -> User:
    """A person created for one cell, belonging to `code`."""
    organisation = await Organisation.get(code=code)
    user = await User.create(
        email=f"{unique('victim')}@example.test",
        first_name="Val",
        last_name="Victim",
        status=UserStatus.ACTIVE,
    )
    await Membership.create(user=user, organisation=organisation, roles=list(roles))
    return user


@asynccontextmanager
async def soft_deleted(code: str) -> AsyncIterator[None]:
    """Soft-delete an organisation the way the board will (there is no API for it yet)."""
    await Organisation.filter(code=code).update(deleted_at=clock.now())
    try:
        yield
    finally:
        await Organisation.filter(code=code).update(deleted_at=None)


async def snapshot() -> tuple[Any, ...]:
    """Everything a permission failure must leave alone."""
    return (
        await User.all()
        .order_by("id")
        .values_list(
            "id",
            "email",
            "first_name",
            "last_name",
            "status",
            "password_hash",
            "must_change_password",
            "email_verified_at",
        ),
        await Membership.all()
        .order_by("id")
        .values_list("id", "user_id", "organisation_id", "roles"),
        await Organisation.all().order_by("id").values_list("id", "code", "deleted_at"),
        await AuditEvent.all().count(),
        await OutboxMessage.all().count(),
        # Only resendEmail takes a message out of FAILED (delivery moves the others on its own).
        await OutboxMessage.filter(status=DeliveryStatus.FAILED).order_by("id").values_list("id"),
        await TestSession.all()
        .order_by("id")
        .values_list("id", "centre_id", "name", "starts_at", "status"),
        await Entry.all().order_by("id").values_list("id", "status", "test_session_id"),
    )


async def send(gql: GraphQLClient, call: "Call", token: str | None) -> dict[str, Any]:
    """The call as its client sends it: with its files as a multipart request, if it has a
    token to send them with."""
    if call.files and token:
        response = await gql.upload(call.query, call.variables, call.files, token)
        assert response.status_code == 200, response.text
        return response.json()
    return await gql.post(call.query, call.variables, token)


def error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None


def error_reason(body: dict[str, Any]) -> str | None:
    """The first error's extensions.reason: why it was refused."""
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("reason") if errors else None


async def person_who_can_sign_in(code: str, roles: list[str], **fields: Any) -> str:
    """A person at `code` with the demo password, holding exactly `roles`; their email."""
    email = f"{unique('person')}@example.test"
    user = await User.create(
        email=email,
        first_name="Pat",
        last_name="Person",
        password_hash=hash_password(DEMO_PASSWORD),
        status=UserStatus.ACTIVE,
        email_verified_at=clock.now(),
        **fields,
    )
    await Membership.create(user=user, organisation=await Organisation.get(code=code), roles=roles)
    return email


# --- Calls ------------------------------------------------------------------------------------

ERRORS = "errors { code field message }"
MEMBER = "organisationUser { user { email firstName lastName } roles }"


@dataclass
class Call:
    """One operation prepared for one cell: the request, and what it should change."""

    query: str
    variables: dict[str, Any]
    field: str
    # Checks an allowed answer's data and the database after it.
    verify: Callable[[Any], Awaitable[None]]
    # Puts back what the cell changed that other cells rely on.
    cleanup: Callable[[], Awaitable[None]] | None = None
    # Files sent as a multipart request (variable path -> file) by a caller with a token; a
    # caller without one sends the variables as JSON, where the file is a placeholder text.
    files: dict[str, UploadFile] | None = None


# How a domain's module prepares one operation for one cell: (organisation code, its kind, a
# role a manager may grant there, the cell's expectation) -> the call.
Preparer = Callable[[str, OrganisationKind, str, str], Awaitable[Call]]

"""The permission matrix, through the real app: actor x operation x target organisation.

Every cell of MATRIX runs as its own test against the demo data. Allowed cells must answer with
data and no errors (and, for mutations, change the database as asked); forbidden cells must
answer FORBIDDEN and leave the database exactly as it was.

The cells share one app and one seeded database for the module (seeding and signing in for each
of 480 cells would make the suite slow, on PostgreSQL especially). Cells that change things
work on people created for that cell alone, and a cell that soft-deletes an organisation undoes
it before it ends, so the cells do not depend on one another or on their order.
"""

import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from strawberry import relay

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from models.audit import AuditEvent
from models.mail import DeliveryStatus, OutboxMessage
from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.database import POSTGRES_URL, reset_postgres
from tests.helpers.graphql import GraphQLClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

# --- The actors -------------------------------------------------------------------------------

ACTORS: dict[str, str] = {
    "board": "admin@exb.example",
    "eo": "eo@aa101.example",
    "users": "users@aa101.example",
    "sfa_eo": "sfa.eo@aa101.example",
    "teacher": "teacher@aa101.example",
    "aa": "aa@aa101.example",
    "slt": "slt@aa101.example",
    "inv": "inv@aa101.example",
    "as_eo": "eo@as100.example",
    "as_users": "users@as100.example",
}
HOME = {"board": "EXB", "as_eo": "AS100", "as_users": "AS100"}


def target_code(actor: str, target: str) -> str:
    """The organisation a column means for an actor.

    own     - where the actor holds their roles (EXB for the board admin)
    assoc   - AS101, an associate centre of the associate AS100
    other   - BB202, a centre nobody in the table belongs to
    deleted - the actor's own organisation, soft-deleted for the cell (AA101 for the board
              admin: soft-deleting the board itself is not a thing the board does)
    """
    home = HOME.get(actor, "AA101")
    if target == "deleted":
        return "AA101" if actor == "board" else home
    return {"own": home, "assoc": "AS101", "other": "BB202"}[target]


# --- The matrix -------------------------------------------------------------------------------
#
# Y  allowed: data, no errors, and the change made
# F  FORBIDDEN GraphQL error, nothing changed
# D  payload error ORGANISATION_DELETED, nothing changed (nobody is added to a deleted one)
# I  payload error INVALID_INPUT, nothing changed (the exam board has no exams officer)
# roles:    G readable and every role grantable except EXAMS_OFFICER and GLOBAL_LISTENING
#           R readable, nothing grantable
# services: the services `mayOpen` says yes to (SFA, AA, UM, GL), or "none"

MATRIX = """
operation              actor     own           assoc      other  deleted
organisations          board     Y             Y          Y      Y
organisations          eo        F             F          F      F
organisations          users     F             F          F      F
organisations          sfa_eo    F             F          F      F
organisations          teacher   F             F          F      F
organisations          aa        F             F          F      F
organisations          slt       F             F          F      F
organisations          inv       F             F          F      F
organisations          as_eo     F             F          F      F
organisations          as_users  F             F          F      F

organisation           board     Y             Y          Y      Y
organisation           eo        Y             F          F      F
organisation           users     Y             F          F      F
organisation           sfa_eo    Y             F          F      F
organisation           teacher   Y             F          F      F
organisation           aa        Y             F          F      F
organisation           slt       Y             F          F      F
organisation           inv       Y             F          F      F
organisation           as_eo     Y             Y          F      F
organisation           as_users  Y             Y          F      F

organisationUsers      board     Y             Y          Y      Y
organisationUsers      eo        Y             F          F      F
organisationUsers      users     Y             F          F      F
organisationUsers      sfa_eo    F             F          F      F
organisationUsers      teacher   F             F          F      F
organisationUsers      aa        F             F          F      F
organisationUsers      slt       F             F          F      F
organisationUsers      inv       F             F          F      F
organisationUsers      as_eo     Y             Y          F      F
organisationUsers      as_users  Y             Y          F      F

organisationUser       board     Y             Y          Y      Y
organisationUser       eo        Y             F          F      F
organisationUser       users     Y             F          F      F
organisationUser       sfa_eo    F             F          F      F
organisationUser       teacher   F             F          F      F
organisationUser       aa        F             F          F      F
organisationUser       slt       F             F          F      F
organisationUser       inv       F             F          F      F
organisationUser       as_eo     Y             Y          F      F
organisationUser       as_users  Y             Y          F      F

roles                  board     G             G          G      G
roles                  eo        G             F          F      F
roles                  users     G             F          F      F
roles                  sfa_eo    R             F          F      F
roles                  teacher   R             F          F      F
roles                  aa        R             F          F      F
roles                  slt       R             F          F      F
roles                  inv       R             F          F      F
roles                  as_eo     G             G          F      F
roles                  as_users  G             G          F      F

services               board     none          none       none   none
services               eo        SFA,AA,UM,GL  F          F      F
services               users     UM            F          F      F
services               sfa_eo    SFA           F          F      F
services               teacher   SFA           F          F      F
services               aa        AA            F          F      F
services               slt       none          F          F      F
services               inv       none          F          F      F
services               as_eo     SFA,AA,UM,GL  SFA,AA,UM  F      F
services               as_users  UM            UM         F      F

inviteUser             board     Y             Y          Y      D
inviteUser             eo        Y             F          F      F
inviteUser             users     Y             F          F      F
inviteUser             sfa_eo    F             F          F      F
inviteUser             teacher   F             F          F      F
inviteUser             aa        F             F          F      F
inviteUser             slt       F             F          F      F
inviteUser             inv       F             F          F      F
inviteUser             as_eo     Y             Y          F      F
inviteUser             as_users  Y             Y          F      F

updateUserRoles        board     Y             Y          Y      Y
updateUserRoles        eo        Y             F          F      F
updateUserRoles        users     Y             F          F      F
updateUserRoles        sfa_eo    F             F          F      F
updateUserRoles        teacher   F             F          F      F
updateUserRoles        aa        F             F          F      F
updateUserRoles        slt       F             F          F      F
updateUserRoles        inv       F             F          F      F
updateUserRoles        as_eo     Y             Y          F      F
updateUserRoles        as_users  Y             Y          F      F

updateUser             board     Y             Y          Y      Y
updateUser             eo        Y             F          F      F
updateUser             users     Y             F          F      F
updateUser             sfa_eo    F             F          F      F
updateUser             teacher   F             F          F      F
updateUser             aa        F             F          F      F
updateUser             slt       F             F          F      F
updateUser             inv       F             F          F      F
updateUser             as_eo     Y             Y          F      F
updateUser             as_users  Y             Y          F      F

removeUser             board     Y             Y          Y      Y
removeUser             eo        Y             F          F      F
removeUser             users     Y             F          F      F
removeUser             sfa_eo    F             F          F      F
removeUser             teacher   F             F          F      F
removeUser             aa        F             F          F      F
removeUser             slt       F             F          F      F
removeUser             inv       F             F          F      F
removeUser             as_eo     Y             Y          F      F
removeUser             as_users  Y             Y          F      F

registerUser           board     Y             Y          Y      D
registerUser           eo        F             F          F      F
registerUser           users     F             F          F      F
registerUser           sfa_eo    F             F          F      F
registerUser           teacher   F             F          F      F
registerUser           aa        F             F          F      F
registerUser           slt       F             F          F      F
registerUser           inv       F             F          F      F
registerUser           as_eo     F             F          F      F
registerUser           as_users  F             F          F      F

designateExamsOfficer  board     I             Y          Y      D
designateExamsOfficer  eo        F             F          F      F
designateExamsOfficer  users     F             F          F      F
designateExamsOfficer  sfa_eo    F             F          F      F
designateExamsOfficer  teacher   F             F          F      F
designateExamsOfficer  aa        F             F          F      F
designateExamsOfficer  slt       F             F          F      F
designateExamsOfficer  inv       F             F          F      F
designateExamsOfficer  as_eo     F             F          F      F
designateExamsOfficer  as_users  F             F          F      F

undeliveredEmails      board     Y             Y          Y      Y
undeliveredEmails      eo        F             F          F      F
undeliveredEmails      users     F             F          F      F
undeliveredEmails      sfa_eo    F             F          F      F
undeliveredEmails      teacher   F             F          F      F
undeliveredEmails      aa        F             F          F      F
undeliveredEmails      slt       F             F          F      F
undeliveredEmails      inv       F             F          F      F
undeliveredEmails      as_eo     F             F          F      F
undeliveredEmails      as_users  F             F          F      F

resendEmail            board     Y             Y          Y      Y
resendEmail            eo        F             F          F      F
resendEmail            users     F             F          F      F
resendEmail            sfa_eo    F             F          F      F
resendEmail            teacher   F             F          F      F
resendEmail            aa        F             F          F      F
resendEmail            slt       F             F          F      F
resendEmail            inv       F             F          F      F
resendEmail            as_eo     F             F          F      F
resendEmail            as_users  F             F          F      F

setPassword            board     Y             Y          Y      Y
setPassword            eo        Y             F          F      F
setPassword            users     Y             F          F      F
setPassword            sfa_eo    F             F          F      F
setPassword            teacher   F             F          F      F
setPassword            aa        F             F          F      F
setPassword            slt       F             F          F      F
setPassword            inv       F             F          F      F
setPassword            as_eo     Y             Y          F      F
setPassword            as_users  Y             Y          F      F

setEmail               board     Y             Y          Y      Y
setEmail               eo        Y             F          F      F
setEmail               users     F             F          F      F
setEmail               sfa_eo    F             F          F      F
setEmail               teacher   F             F          F      F
setEmail               aa        F             F          F      F
setEmail               slt       F             F          F      F
setEmail               inv       F             F          F      F
setEmail               as_eo     Y             Y          F      F
setEmail               as_users  F             F          F      F

setOfficerPassword     board     Y             Y          Y      Y
setOfficerPassword     eo        F             F          F      F
setOfficerPassword     users     F             F          F      F
setOfficerPassword     sfa_eo    F             F          F      F
setOfficerPassword     teacher   F             F          F      F
setOfficerPassword     aa        F             F          F      F
setOfficerPassword     slt       F             F          F      F
setOfficerPassword     inv       F             F          F      F
setOfficerPassword     as_eo     F             F          F      F
setOfficerPassword     as_users  F             F          F      F

setOfficerEmail        board     Y             Y          Y      Y
setOfficerEmail        eo        F             F          F      F
setOfficerEmail        users     F             F          F      F
setOfficerEmail        sfa_eo    F             F          F      F
setOfficerEmail        teacher   F             F          F      F
setOfficerEmail        aa        F             F          F      F
setOfficerEmail        slt       F             F          F      F
setOfficerEmail        inv       F             F          F      F
setOfficerEmail        as_eo     F             F          F      F
setOfficerEmail        as_users  F             F          F      F

setSharedPassword      board     Y             Y          Y      Y
setSharedPassword      eo        F             F          F      F
setSharedPassword      users     F             F          F      F
setSharedPassword      sfa_eo    F             F          F      F
setSharedPassword      teacher   F             F          F      F
setSharedPassword      aa        F             F          F      F
setSharedPassword      slt       F             F          F      F
setSharedPassword      inv       F             F          F      F
setSharedPassword      as_eo     F             F          F      F
setSharedPassword      as_users  F             F          F      F
"""


@dataclass(frozen=True)
class Cell:
    operation: str
    actor: str
    target: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.operation}-{self.actor}-{self.target}"


def parse_matrix(text: str) -> list[Cell]:
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    assert header[:2] == ["operation", "actor"]
    targets = header[2:]
    cells: list[Cell] = []
    for row in rows:
        assert len(row) == len(header), row
        operation, actor, *values = row
        cells.extend(Cell(operation, actor, t, v) for t, v in zip(targets, values, strict=True))
    return cells


CELLS = parse_matrix(MATRIX)

# --- The shared app ---------------------------------------------------------------------------


@dataclass
class World:
    gql: GraphQLClient
    tokens: dict[str, str]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    if POSTGRES_URL:
        await reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('matrix') / 'examdesk.sqlite3'}"
    settings = Settings(
        database_url=url,
        fast_password_hashing=True,
        public_url="http://examdesk.test",
        mail_poll_seconds=0.05,
    )
    app = create_app(settings)
    clock.reset()
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
    )


def error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None


# --- The operations ---------------------------------------------------------------------------

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


async def prepare(operation: str, code: str, expected: str) -> Call:
    kind = await kind_of(code)
    role = grantable_role(kind)

    if operation == "organisations":

        async def verify(data: Any) -> None:
            assert code in [n["code"] for n in data["nodes"]]

        return Call(
            "query($s: String) { organisations(filter: {search: $s, includeDeleted: true}) "
            "{ totalCount nodes { code isDeleted } } }",
            {"s": code},
            "organisations",
            verify,
        )

    if operation == "organisation":

        async def verify(data: Any) -> None:
            assert data["code"] == code

        return Call(
            "query($c: String!) { organisation(code: $c) { code isDeleted } }",
            {"c": code},
            "organisation",
            verify,
        )

    if operation == "organisationUsers":
        victim = await make_member(code, role)

        async def verify(data: Any) -> None:
            assert data["totalCount"] == 1
            assert data["nodes"][0]["user"]["email"] == victim.email
            assert data["nodes"][0]["roles"] == [role]

        return Call(
            "query($c: String!, $s: String) { organisationUsers(organisationCode: $c, "
            "filter: {search: $s}) { totalCount nodes { user { email } roles } } }",
            {"c": code, "s": victim.email},
            "organisationUsers",
            verify,
        )

    if operation == "organisationUser":
        victim = await make_member(code, role)

        async def verify(data: Any) -> None:
            assert data == {"user": {"email": victim.email}, "roles": [role]}

        return Call(
            "query($c: String!, $id: ID!) { organisationUser(organisationCode: $c, userId: $id) "
            "{ user { email } roles } }",
            {"c": code, "id": global_id(victim.id)},
            "organisationUser",
            verify,
        )

    if operation == "roles":

        async def verify(data: Any) -> None:
            grantable = {r["role"]: r["grantable"] for r in data}
            if kind is OrganisationKind.BOARD:
                assert set(grantable) == {"BOARD_ADMIN"}
            else:
                assert "BOARD_ADMIN" not in grantable
                assert grantable["EXAMS_OFFICER"] is False
                assert grantable["GLOBAL_LISTENING"] is False
            never = {"EXAMS_OFFICER", "GLOBAL_LISTENING"}
            assert grantable == {name: expected == "G" and name not in never for name in grantable}

        return Call(
            "query($c: String!) { roles(organisationCode: $c) { role grantable } }",
            {"c": code},
            "roles",
            verify,
        )

    if operation == "services":
        short = {
            "SFA": "SUBMIT_FOR_ASSESSMENT",
            "AA": "ACCESS_ARRANGEMENTS",
            "UM": "USER_MANAGEMENT",
            "GL": "GLOBAL_LISTENING",
        }

        async def verify(data: Any) -> None:
            opens = set() if expected == "none" else {short[s] for s in expected.split(",")}
            assert {s["service"] for s in data} == set(short.values())
            assert {s["service"] for s in data if s["mayOpen"]} == opens

        return Call(
            "query($c: String!) { services(organisationCode: $c) { service mayOpen } }",
            {"c": code},
            "services",
            verify,
        )

    if operation == "inviteUser":
        email = f"{unique('invited')}@example.test"

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            assert data["outcome"] == "INVITED"
            user = await User.get(email=email)
            assert user.status is UserStatus.INVITED
            membership = await Membership.get(user_id=user.id, organisation__code=code)
            assert membership.roles == [role]

        return Call(
            f"mutation($input: InviteUserInput!) {{ inviteUser(input: $input) "
            f"{{ outcome {MEMBER} {ERRORS} }} }}",
            {
                "input": {
                    "organisationCode": code,
                    "firstName": "Ivy",
                    "lastName": "Invited",
                    "email": email,
                    "roles": [role],
                }
            },
            "inviteUser",
            verify,
        )

    if operation == "updateUserRoles":
        victim = await make_member(code)

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            assert data["organisationUser"]["roles"] == [role]
            membership = await Membership.get(user_id=victim.id, organisation__code=code)
            assert membership.roles == [role]

        return Call(
            f"mutation($input: UpdateUserRolesInput!) {{ updateUserRoles(input: $input) "
            f"{{ {MEMBER} {ERRORS} }} }}",
            {"input": {"organisationCode": code, "userId": global_id(victim.id), "roles": [role]}},
            "updateUserRoles",
            verify,
        )

    if operation == "updateUser":
        victim = await make_member(code, role)

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            user = await User.get(id=victim.id)
            assert (user.first_name, user.last_name) == ("Renata", "Renamed")

        return Call(
            f"mutation($input: UpdateUserInput!) {{ updateUser(input: $input) "
            f"{{ {MEMBER} {ERRORS} }} }}",
            {
                "input": {
                    "organisationCode": code,
                    "userId": global_id(victim.id),
                    "firstName": "Renata",
                    "lastName": "Renamed",
                }
            },
            "updateUser",
            verify,
        )

    if operation == "removeUser":
        victim = await make_member(code, role)

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            assert data["removedUserId"] == global_id(victim.id)
            assert not await Membership.exists(user_id=victim.id)
            assert await User.exists(id=victim.id)  # the account stays

        return Call(
            f"mutation($input: RemoveUserInput!) {{ removeUser(input: $input) "
            f"{{ removedUserId {ERRORS} }} }}",
            {"input": {"organisationCode": code, "userId": global_id(victim.id)}},
            "removeUser",
            verify,
        )

    if operation == "registerUser":
        email = f"{unique('registered')}@example.test"

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            user = await User.get(email=email)
            assert user.status is UserStatus.PENDING_ACTIVATION
            assert await Membership.exists(user_id=user.id, organisation__code=code)

        return Call(
            f"mutation($input: RegisterUserInput!) {{ registerUser(input: $input) "
            f"{{ {MEMBER} {ERRORS} }} }}",
            {
                "input": {
                    "organisationCode": code,
                    "firstName": "Rex",
                    "lastName": "Registered",
                    "email": email,
                    "roles": [role],
                }
            },
            "registerUser",
            verify,
        )

    if operation == "designateExamsOfficer":
        email = f"{unique('designated')}@example.test"
        # Designating takes the role from the demo's exams officer there: give it back after.
        previous = await Membership.filter(organisation__code=code).values_list("id", "roles")

        async def cleanup() -> None:
            for membership_id, roles in previous:
                await Membership.filter(id=membership_id).update(roles=roles)

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            assert data["examsOfficer"]["email"] == email
            user = await User.get(email=email)
            membership = await Membership.get(user_id=user.id, organisation__code=code)
            assert membership.roles == ["EXAMS_OFFICER"]

        return Call(
            f"mutation($input: DesignateExamsOfficerInput!) {{ designateExamsOfficer"
            f"(input: $input) {{ examsOfficer {{ email }} {ERRORS} }} }}",
            {
                "input": {
                    "organisationCode": code,
                    "email": email,
                    "firstName": "Dee",
                    "lastName": "Designated",
                }
            },
            "designateExamsOfficer",
            verify,
            cleanup,
        )

    if operation in {"undeliveredEmails", "resendEmail"}:
        # The board's alone, wherever the actor belongs: the target column changes nothing.
        failed = await OutboxMessage.create(
            recipient=f"{unique('undelivered')}@example.test",
            subject="Lost",
            body="secret",
            template="INVITATION",
            status=DeliveryStatus.FAILED,
            queued_at=clock.now(),
            next_attempt_at=clock.now(),
            attempts=3,
            last_error="451 try later",
            failed_at=clock.now(),
        )
        email_id = relay.to_base64("UndeliveredEmail", failed.id)

    if operation == "undeliveredEmails":

        async def verify(data: Any) -> None:
            assert email_id in [n["id"] for n in data["nodes"]]

        return Call(
            "{ undeliveredEmails(filter: {failedOnly: true}, first: 100) "
            "{ totalCount nodes { id recipient lastError } } }",
            {},
            "undeliveredEmails",
            verify,
        )

    if operation == "resendEmail":

        async def verify(data: Any) -> None:
            assert data["errors"] == []
            assert data["email"] == {"id": email_id, "status": "PENDING"}
            assert (await OutboxMessage.get(id=failed.id)).status is not DeliveryStatus.FAILED

        return Call(
            f"mutation($input: ResendEmailInput!) {{ resendEmail(input: $input) "
            f"{{ email {{ id status }} {ERRORS} }} }}",
            {"input": {"id": email_id}},
            "resendEmail",
            verify,
        )

    if operation.startswith("set"):
        return await _set_credentials(operation, code, kind, role)

    raise AssertionError(f"no such operation {operation}")


# Credentials (issue 9 part 2, policies/credentials.py): updateUserAccount setting the password
# or email of someone holding a role the caller could give (setPassword, setEmail), the role
# only the board gives there (setOfficer...: the exams officer; at the board itself, a board
# admin), or roles at a centre nobody in the table belongs to as well (setSharedPassword).
SET_PASSWORD = "Lantern-Harbour-2026"


async def _set_credentials(operation: str, code: str, kind: OrganisationKind, role: str) -> Call:
    if operation.startswith("setOfficer") and kind is not OrganisationKind.BOARD:
        role = "EXAMS_OFFICER"
    victim = await make_member(code, role)
    if operation == "setSharedPassword":
        await Membership.create(
            user=victim, organisation=await Organisation.get(code="CC303"), roles=["SLT"]
        )
    old_email = victim.email
    if operation.endswith("Email"):
        change = {"email": f"{unique('moved')}@example.test"}
    else:
        change = {"password": SET_PASSWORD}

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        user = await User.get(id=victim.id)
        # Either way the next sign-in needs the code emailed to the person, who is told.
        assert user.email_verified_at is None
        if "email" in change:
            assert user.email == change["email"]
            told = {old_email, change["email"]}
        else:
            assert user.must_change_password
            assert user.password_hash is not None
            told = {old_email}
        recipients = await OutboxMessage.filter(recipient__in=told).values_list(
            "recipient", flat=True
        )
        assert set(recipients) == told

    return Call(
        f"mutation($input: UpdateUserAccountInput!) {{ updateUserAccount(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {"input": {"organisationCode": code, "userId": global_id(victim.id), **change}},
        "updateUserAccount",
        verify,
    )


OPERATIONS = sorted({cell.operation for cell in CELLS})
PAYLOAD_ERRORS = {"D": "ORGANISATION_DELETED", "I": "INVALID_INPUT"}


@asynccontextmanager
async def cell_target(target: str, code: str) -> AsyncIterator[None]:
    if target == "deleted":
        async with soft_deleted(code):
            yield
    else:
        yield


@asynccontextmanager
async def _cleaning_up(call: Call) -> AsyncIterator[None]:
    try:
        yield
    finally:
        if call.cleanup is not None:
            await call.cleanup()


# --- The tests --------------------------------------------------------------------------------


async def test_the_matrix_is_complete() -> None:
    cells = {(c.operation, c.actor, c.target) for c in CELLS}
    expected = set(itertools.product(OPERATIONS, ACTORS, ("own", "assoc", "other", "deleted")))
    assert cells == expected
    assert len(cells) == len(CELLS)  # no cell twice
    assert len(OPERATIONS) == 19


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
async def test_matrix(world: World, cell: Cell) -> None:
    code = target_code(cell.actor, cell.target)
    call = await prepare(cell.operation, code, cell.expected)
    async with cell_target(cell.target, code), _cleaning_up(call):
        before = await snapshot()
        body = await world.gql.post(call.query, call.variables, world.tokens[cell.actor])
        if cell.expected == "F":
            assert error_code(body) == "FORBIDDEN", body
            assert (body.get("data") or {}).get(call.field) is None, body
            assert await snapshot() == before, "a forbidden call changed the database"
        elif cell.expected in PAYLOAD_ERRORS:
            assert not body.get("errors"), body
            codes = [e["code"] for e in body["data"][call.field]["errors"]]
            assert codes == [PAYLOAD_ERRORS[cell.expected]], body
            assert await snapshot() == before, "a refused call changed the database"
        else:
            assert not body.get("errors"), body
            await call.verify(body["data"][call.field])


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_signed_out_callers_must_sign_in(world: World, operation: str) -> None:
    call = await prepare(operation, "AA101", "Y")
    before = await snapshot()
    for token in (None, "not-a-real-token"):
        body = await world.gql.post(call.query, call.variables, token)
        assert error_code(body) == "UNAUTHENTICATED", body
    assert await snapshot() == before


# --- Rules the matrix does not show -----------------------------------------------------------

MANAGERS = {
    "board": "AA101",
    "eo": "AA101",
    "users": "AA101",
    "as_eo": "AS101",
    "as_users": "AS101",
}


@pytest.mark.parametrize("role", ["GLOBAL_LISTENING", "EXAMS_OFFICER"])
@pytest.mark.parametrize("actor", list(MANAGERS))
@pytest.mark.parametrize("mutation", ["inviteUser", "updateUserRoles"])
async def test_the_exams_officers_roles_cannot_be_granted(
    world: World, mutation: str, actor: str, role: str
) -> None:
    code = MANAGERS[actor]
    call = await prepare(mutation, code, "Y")
    # Asked for alongside a grantable role, the whole request is refused, not half done.
    call.variables["input"]["roles"] = ["SFA_TEACHER", role]
    before = await snapshot()
    body = await world.gql.post(call.query, call.variables, world.tokens[actor])
    assert not body.get("errors"), body
    errors = body["data"][call.field]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("ROLE_NOT_GRANTABLE", ["input", "roles", "1"])
    ], errors
    assert body["data"][call.field]["organisationUser"] is None
    assert await snapshot() == before


async def test_nobody_grants_global_listening_to_the_exams_officer_either(world: World) -> None:
    eo = await User.get(email="eo@aa101.example")
    before = await snapshot()
    body = await world.gql.post(
        f"mutation($input: UpdateUserRolesInput!) {{ updateUserRoles(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": "AA101",
                "userId": global_id(eo.id),
                "roles": ["EXAMS_OFFICER", "GLOBAL_LISTENING"],
            }
        },
        world.tokens["board"],
    )
    codes = [e["code"] for e in body["data"]["updateUserRoles"]["errors"]]
    assert codes == ["ROLE_NOT_GRANTABLE", "ROLE_NOT_GRANTABLE"]
    assert await snapshot() == before


async def test_a_user_manager_cannot_touch_another_centres_users(world: World) -> None:
    token = world.tokens["users"]
    teacher = await User.get(email="teacher@bb202.example")
    for operation in (
        "organisationUsers",
        "organisationUser",
        "inviteUser",
        "updateUserRoles",
        "updateUser",
        "removeUser",
        "roles",
        "services",
        "organisation",
    ):
        call = await prepare(operation, "BB202", "Y")
        if "id" in call.variables:
            call.variables["id"] = global_id(teacher.id)
        elif "userId" in call.variables.get("input", {}):
            call.variables["input"]["userId"] = global_id(teacher.id)
        before = await snapshot()
        body = await world.gql.post(call.query, call.variables, token)
        assert error_code(body) == "FORBIDDEN", (operation, body)
        assert await snapshot() == before, operation
    # Naming their own centre does not reach the other centre's people either.
    body = await world.gql.post(
        f"mutation($input: RemoveUserInput!) {{ removeUser(input: $input) "
        f"{{ removedUserId {ERRORS} }} }}",
        {"input": {"organisationCode": "AA101", "userId": global_id(teacher.id)}},
        token,
    )
    assert [e["code"] for e in body["data"]["removeUser"]["errors"]] == ["NOT_A_MEMBER"]
    assert await Membership.exists(user_id=teacher.id, organisation__code="BB202")


async def test_the_associates_user_manager_manages_an_associate_centres_users(
    world: World,
) -> None:
    token = world.tokens["as_users"]
    gql = world.gql
    email = f"{unique('as101.new')}@example.test"
    invited = await gql.ok(
        f"mutation($input: InviteUserInput!) {{ inviteUser(input: $input) "
        f"{{ outcome {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": "AS101",
                "firstName": "Amani",
                "lastName": "Otieno",
                "email": email,
                "roles": ["SFA_TEACHER"],
            }
        },
        token,
    )
    assert invited["inviteUser"]["errors"] == []
    user = await User.get(email=email)
    member_id = global_id(user.id)

    listed = await gql.ok(
        'query { organisationUsers(organisationCode: "AS101", first: 50) '
        "{ nodes { user { email } roles } } }",
        token=token,
    )
    emails = {n["user"]["email"] for n in listed["organisationUsers"]["nodes"]}
    assert {"eo@as101.example", email} <= emails

    roles = await gql.ok(
        f"mutation($input: UpdateUserRolesInput!) {{ updateUserRoles(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": "AS101",
                "userId": member_id,
                "roles": ["SFA_TEACHER", "ACCESS_ARRANGEMENTS"],
            }
        },
        token,
    )
    assert roles["updateUserRoles"]["organisationUser"]["roles"] == [
        "ACCESS_ARRANGEMENTS",
        "SFA_TEACHER",
    ]
    renamed = await gql.ok(
        f"mutation($input: UpdateUserInput!) {{ updateUser(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": "AS101",
                "userId": member_id,
                "firstName": "Amani",
                "lastName": "Wanjiru",
            }
        },
        token,
    )
    assert renamed["updateUser"]["organisationUser"]["user"]["lastName"] == "Wanjiru"

    # The associate centre's exams officer keeps the role nobody but the board changes.
    centre_eo = await User.get(email="eo@as101.example")
    kept = await gql.ok(
        f"mutation($input: UpdateUserRolesInput!) {{ updateUserRoles(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": "AS101",
                "userId": global_id(centre_eo.id),
                "roles": ["SLT"],
            }
        },
        token,
    )
    assert kept["updateUserRoles"]["organisationUser"]["roles"] == ["EXAMS_OFFICER", "SLT"]
    await Membership.filter(user_id=centre_eo.id).update(roles=["EXAMS_OFFICER"])

    removed = await gql.ok(
        f"mutation($input: RemoveUserInput!) {{ removeUser(input: $input) "
        f"{{ removedUserId {ERRORS} }} }}",
        {"input": {"organisationCode": "AS101", "userId": member_id}},
        token,
    )
    assert removed["removeUser"]["errors"] == []
    assert not await Membership.exists(user_id=user.id)


UNKNOWN_CODE_OPERATIONS = [
    "organisationUsers",
    "roles",
    "services",
    "inviteUser",
    "registerUser",
    "designateExamsOfficer",
    "organisation",
]


@pytest.mark.parametrize("operation", UNKNOWN_CODE_OPERATIONS)
@pytest.mark.parametrize("actor", ["eo", "users", "teacher", "as_users"])
async def test_an_unknown_code_is_forbidden_for_centre_staff(
    world: World, actor: str, operation: str
) -> None:
    # Centre staff must not learn which codes exist: the answer is the same as for a centre
    # that is somebody else's.
    call = await prepare(operation, "AA101", "Y")
    _set_code(call, "ZZ999")
    before = await snapshot()
    body = await world.gql.post(call.query, call.variables, world.tokens[actor])
    assert error_code(body) == "FORBIDDEN", body
    assert await snapshot() == before


@pytest.mark.parametrize("operation", UNKNOWN_CODE_OPERATIONS)
async def test_an_unknown_code_is_not_found_for_a_board_admin(world: World, operation: str) -> None:
    call = await prepare(operation, "AA101", "Y")
    _set_code(call, "ZZ999")
    before = await snapshot()
    body = await world.gql.post(call.query, call.variables, world.tokens["board"])
    if operation == "organisation":
        # A nullable lookup answers "no such organisation" with null.
        assert body == {"data": {"organisation": None}}
    elif "input" in call.variables:
        assert not body.get("errors"), body
        errors = body["data"][call.field]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [
            ("NOT_FOUND", ["input", "organisationCode"])
        ]
    else:
        assert error_code(body) == "NOT_FOUND", body
    assert await snapshot() == before


def _set_code(call: Call, code: str) -> None:
    if "input" in call.variables:
        call.variables["input"]["organisationCode"] = code
    else:
        call.variables["c"] = code


USERS_QUERY = "query($c: String!) { organisationUsers(organisationCode: $c) { totalCount } }"
ME_QUERY = "{ me { grants { organisation { code } roles } organisations { code } } }"


async def test_soft_deleting_an_organisation_takes_access_away_at_once(world: World) -> None:
    gql, token = world.gql, world.tokens["users"]
    assert (await gql.ok(USERS_QUERY, {"c": "AA101"}, token))["organisationUsers"]
    async with soft_deleted("AA101"):
        # The same session, the very next request.
        body = await gql.post(USERS_QUERY, {"c": "AA101"}, token)
        assert error_code(body) == "FORBIDDEN", body
        me = (await gql.ok(ME_QUERY, token=token))["me"]
        assert me == {"grants": [], "organisations": []}
        # The board still sees it, to undo the deletion.
        board = await gql.ok(USERS_QUERY, {"c": "AA101"}, world.tokens["board"])
        assert board["organisationUsers"]["totalCount"] > 0
    # Undone: access is back, again at once.
    assert (await gql.ok(USERS_QUERY, {"c": "AA101"}, token))["organisationUsers"]


@pytest.mark.parametrize("deleted_code", ["AS100", "AS101"])
async def test_soft_deleting_an_associate_or_its_centre_stops_the_associates_reach(
    world: World, deleted_code: str
) -> None:
    gql, token = world.gql, world.tokens["as_users"]
    assert (await gql.ok(USERS_QUERY, {"c": "AS101"}, token))["organisationUsers"]
    async with soft_deleted(deleted_code):
        body = await gql.post(USERS_QUERY, {"c": "AS101"}, token)
        assert error_code(body) == "FORBIDDEN", body
        me = (await gql.ok(ME_QUERY, token=token))["me"]
        assert "AS101" not in [o["code"] for o in me["organisations"]]
        # The associate centre's own exams officer keeps access unless their centre went.
        eo_token = await gql.sign_in("eo@as101.example")
        body = await gql.post(USERS_QUERY, {"c": "AS101"}, eo_token)
        if deleted_code == "AS101":
            assert error_code(body) == "FORBIDDEN", body
        else:
            assert not body.get("errors"), body
    assert (await gql.ok(USERS_QUERY, {"c": "AS101"}, token))["organisationUsers"]


async def _person_who_can_sign_in(code: str, roles: list[str], **fields: Any) -> str:
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


async def test_a_session_still_signing_in_may_do_nothing(world: World) -> None:
    # A user manager who has not yet set a new password: their session is not FULL.
    email = await _person_who_can_sign_in("AA101", ["USER_MANAGEMENT"], must_change_password=True)
    signed = (
        await world.gql.ok(
            "mutation($input: SignInInput!) { signIn(input: $input) { token stage } }",
            {"input": {"email": email, "password": DEMO_PASSWORD}},
        )
    )["signIn"]
    assert signed["stage"] == "PASSWORD_CHANGE_REQUIRED"
    for operation in OPERATIONS:
        call = await prepare(operation, "AA101", "Y")
        before = await snapshot()
        body = await world.gql.post(call.query, call.variables, signed["token"])
        assert error_code(body) == "FORBIDDEN", (operation, body)
        assert await snapshot() == before, operation


async def test_a_stray_global_listening_grant_opens_nothing(world: World) -> None:
    # GLOBAL_LISTENING cannot be granted through the API; one put straight into the database
    # (an import, a hand edit) must not open the confidential materials either.
    email = await _person_who_can_sign_in("AA101", ["GLOBAL_LISTENING"])
    token = await world.gql.sign_in(email)
    services = (
        await world.gql.ok(
            'query { services(organisationCode: "AA101") { service mayOpen } }', token=token
        )
    )["services"]
    assert [s["service"] for s in services if s["mayOpen"]] == []


RENAME = (
    f"mutation($input: UpdateUserInput!) {{ updateUser(input: $input) {{ {MEMBER} {ERRORS} }} }}"
)


async def test_a_user_manager_cannot_rename_an_account_another_organisation_shares(
    world: World,
) -> None:
    # Inviting an existing account only adds roles here (seed 002, option 2) ...
    gql, token = world.gql, world.tokens["users"]
    other_eo = await User.get(email="eo@bb202.example")
    invited = await gql.ok(
        f"mutation($input: InviteUserInput!) {{ inviteUser(input: $input) "
        f"{{ outcome {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "X",
                "lastName": "Y",
                "email": other_eo.email,
                "roles": ["SLT"],
            }
        },
        token,
    )
    assert invited["inviteUser"]["outcome"] == "ROLES_ADDED_TO_EXISTING_ACCOUNT"
    rename = {
        "organisationCode": "AA101",
        "userId": global_id(other_eo.id),
        "firstName": "Mickey",
        "lastName": "Mouse",
    }
    try:
        # ... and does not let AA101 rename BB202's exams officer everywhere.
        before = await snapshot()
        body = await gql.post(RENAME, {"input": rename}, token)
        assert error_code(body) == "FORBIDDEN", body
        assert await snapshot() == before
        # Someone who manages users at both may (the board admin).
        renamed = await gql.ok(RENAME, {"input": rename}, world.tokens["board"])
        assert renamed["updateUser"]["organisationUser"]["user"]["firstName"] == "Mickey"
    finally:
        await Membership.filter(user_id=other_eo.id, organisation__code="AA101").delete()
        await User.filter(id=other_eo.id).update(
            first_name=other_eo.first_name, last_name=other_eo.last_name
        )


async def test_the_associate_renames_people_of_its_own_and_its_centres(world: World) -> None:
    # Someone at both the associate and one of its centres: the associate manages both.
    email = await _person_who_can_sign_in("AS100", ["SLT"])
    user = await User.get(email=email)
    await Membership.create(
        user=user, organisation=await Organisation.get(code="AS101"), roles=["SFA_TEACHER"]
    )
    rename = {
        "organisationCode": "AS101",
        "userId": global_id(user.id),
        "firstName": "Nia",
        "lastName": "Kamau",
    }
    renamed = await world.gql.ok(RENAME, {"input": rename}, world.tokens["as_users"])
    assert renamed["updateUser"]["errors"] == []
    assert (await User.get(id=user.id)).full_name == "Nia Kamau"

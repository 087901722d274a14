"""Every user-management mutation is audited, in its own transaction (DESIGN.md sections 2, 6).

A mutation that succeeds writes exactly one AuditEvent: who (actor), what (action), where
(organisation), to whom (target), the state before and after, and the request id the response
carries in X-Request-ID. A refused mutation (FORBIDDEN, or a payload error) writes nothing and
changes nothing; a mutation that fails halfway leaves nothing behind.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from models.audit import AuditEvent
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.users import Membership, User
from resolvers.core import audit
from resolvers.people import users
from tests.helpers.graphql import GraphQLClient

INVITE = """mutation($input: InviteUserInput!) { inviteUser(input: $input) {
  outcome organisationUser { user { email } roles } errors { code field } } }"""
REGISTER = """mutation($input: RegisterUserInput!) { registerUser(input: $input) {
  organisationUser { user { email status } roles } errors { code field } } }"""
UPDATE_ROLES = """mutation($input: UpdateUserRolesInput!) { updateUserRoles(input: $input) {
  organisationUser { user { email } roles } errors { code field } } }"""
UPDATE_USER = """mutation($input: UpdateUserInput!) { updateUser(input: $input) {
  organisationUser { user { firstName lastName } } errors { code field } } }"""
REMOVE = """mutation($input: RemoveUserInput!) { removeUser(input: $input) {
  removedUserId errors { code field } } }"""
DESIGNATE = """mutation($input: DesignateExamsOfficerInput!) {
  designateExamsOfficer(input: $input) {
  examsOfficer { email } previousExamsOfficers { email } invited errors { code field } } }"""


async def user_id(email: str) -> int:
    return (await User.get(email=email)).id


async def global_user_id(email: str) -> str:
    return to_base64("User", await user_id(email))


async def org_id(code: str) -> int:
    return (await Organisation.get(code=code)).id


async def state() -> dict[str, Any]:
    """Everything a user-management mutation can change, as plain values."""
    return {
        "users": await User.all()
        .order_by("id")
        .values(
            "id",
            "email",
            "first_name",
            "last_name",
            "status",
            "password_hash",
            "must_change_password",
        ),
        "memberships": await Membership.all()
        .order_by("id")
        .values("id", "user_id", "organisation_id", "roles"),
        "outbox": await OutboxMessage.all().order_by("id").values_list("id", "recipient"),
        "audit": await AuditEvent.all().order_by("id").values_list("id", flat=True),
    }


async def mutate(
    http: httpx.AsyncClient, query: str, input: dict[str, Any], token: str
) -> tuple[dict[str, Any], str]:
    """Post a mutation; return the whole body and the response's X-Request-ID."""
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": {"input": input}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json(), response.headers["x-request-id"]


# --- Mutations that succeed: one audit event each --------------------------------------------


@dataclass(frozen=True)
class Case:
    actor: str
    query: str
    field: str
    input: Callable[[], Awaitable[dict[str, Any]]]
    action: str
    organisation: str
    target: str  # the email of the person the mutation is about
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def constant(value: dict[str, Any]) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def make() -> dict[str, Any]:
        return value

    return make


def with_user(email: str, **rest: Any) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def make() -> dict[str, Any]:
        return {**rest, "userId": await global_user_id(email)}

    return make


def person(email: str, first: str, last: str, status: str, roles: list[str]) -> dict[str, Any]:
    return {"email": email, "firstName": first, "lastName": last, "status": status, "roles": roles}


SUCCEEDING = {
    "invite_new_person": Case(
        "users@aa101.example",
        INVITE,
        "inviteUser",
        constant(
            {
                "organisationCode": "AA101",
                "firstName": "Nora",
                "lastName": "Ephron",
                "email": "Nora.Ephron@AA101.example",
                "roles": ["SFA_TEACHER", "SLT"],
            }
        ),
        "user.invite",
        "AA101",
        "nora.ephron@aa101.example",
        None,
        {
            **person(
                "nora.ephron@aa101.example", "Nora", "Ephron", "INVITED", ["SFA_TEACHER", "SLT"]
            ),
            "outcome": "INVITED",
        },
    ),
    "invite_existing_account": Case(
        "users@aa101.example",
        INVITE,
        "inviteUser",
        constant(
            {
                "organisationCode": "AA101",
                "firstName": "Donald",
                "lastName": "Duck",
                "email": "teacher@bb202.example",
                "roles": ["INVIGILATOR"],
            }
        ),
        "user.invite",
        "AA101",
        "teacher@bb202.example",
        person("teacher@bb202.example", "Donald", "Duck", "ACTIVE", []),
        {
            **person("teacher@bb202.example", "Donald", "Duck", "ACTIVE", ["INVIGILATOR"]),
            "outcome": "ROLES_ADDED_TO_EXISTING_ACCOUNT",
        },
    ),
    "register": Case(
        "admin@exb.example",
        REGISTER,
        "registerUser",
        constant(
            {
                "organisationCode": "CC303",
                "firstName": "Mae",
                "lastName": "Jemison",
                "email": "mae@cc303.example",
                "roles": ["SLT"],
            }
        ),
        "user.register",
        "CC303",
        "mae@cc303.example",
        None,
        person("mae@cc303.example", "Mae", "Jemison", "PENDING_ACTIVATION", ["SLT"]),
    ),
    "update_roles": Case(
        "users@aa101.example",
        UPDATE_ROLES,
        "updateUserRoles",
        with_user(
            "teacher@aa101.example", organisationCode="AA101", roles=["SFA_TEACHER", "INVIGILATOR"]
        ),
        "user.update_roles",
        "AA101",
        "teacher@aa101.example",
        person("teacher@aa101.example", "Donald", "Duck", "ACTIVE", ["SFA_TEACHER"]),
        person("teacher@aa101.example", "Donald", "Duck", "ACTIVE", ["INVIGILATOR", "SFA_TEACHER"]),
    ),
    "update_names": Case(
        "users@aa101.example",
        UPDATE_USER,
        "updateUser",
        with_user(
            "teacher@aa101.example", organisationCode="AA101", firstName="Daisy", lastName="Duck"
        ),
        "user.update_names",
        "AA101",
        "teacher@aa101.example",
        person("teacher@aa101.example", "Donald", "Duck", "ACTIVE", ["SFA_TEACHER"]),
        person("teacher@aa101.example", "Daisy", "Duck", "ACTIVE", ["SFA_TEACHER"]),
    ),
    "remove": Case(
        "users@aa101.example",
        REMOVE,
        "removeUser",
        with_user("inv@aa101.example", organisationCode="AA101"),
        "user.remove_from_organisation",
        "AA101",
        "inv@aa101.example",
        person("inv@aa101.example", "Grace", "Hopper", "ACTIVE", ["INVIGILATOR"]),
        None,
    ),
    "designate_exams_officer": Case(
        "admin@exb.example",
        DESIGNATE,
        "designateExamsOfficer",
        constant({"organisationCode": "AA101", "email": "users@aa101.example"}),
        "organisation.designate_exams_officer",
        "AA101",
        "users@aa101.example",
        {"examsOfficers": ["eo@aa101.example"]},
        {"examsOfficer": "users@aa101.example", "invited": False},
    ),
}


@pytest.mark.parametrize("name", SUCCEEDING)
async def test_a_mutation_writes_one_audit_event(
    demo, http: httpx.AsyncClient, gql: GraphQLClient, name: str
) -> None:
    case = SUCCEEDING[name]
    token = await gql.sign_in(case.actor)
    latest = await AuditEvent.all().order_by("-id").first()
    since = latest.id if latest else 0

    body, request_id = await mutate(http, case.query, await case.input(), token)

    assert not body.get("errors"), body
    assert body["data"][case.field]["errors"] == []
    events = await AuditEvent.filter(id__gt=since)
    assert len(events) == 1, [(e.action, e.request_id) for e in events]
    event = events[0]
    assert event.request_id == request_id
    assert event.actor_user_id == await user_id(case.actor)
    assert event.actor_email == case.actor
    assert event.action == case.action
    assert event.organisation_id == await org_id(case.organisation)
    assert event.target_type == "User"
    assert event.target_id == str(await user_id(case.target))
    assert event.before == case.before
    assert event.after == case.after


async def test_the_request_id_a_client_sends_is_the_one_audited(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("users@aa101.example")
    response = await http.post(
        "/graphql",
        json={
            "query": UPDATE_ROLES,
            "variables": {
                "input": await with_user(
                    "teacher@aa101.example", organisationCode="AA101", roles=["SLT"]
                )()
            },
        },
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "support-case-4711"},
    )
    assert response.headers["x-request-id"] == "support-case-4711"
    assert response.json()["data"]["updateUserRoles"]["errors"] == []
    event = await AuditEvent.get(request_id="support-case-4711")
    assert event.action == "user.update_roles"


# --- Refused mutations: nothing written, nothing changed -------------------------------------


@dataclass(frozen=True)
class Refusal:
    actor: str
    query: str
    field: str
    input: Callable[[], Awaitable[dict[str, Any]]]
    code: str  # FORBIDDEN is a GraphQL error; every other code is a payload error


REFUSED = {
    "invite_without_the_role": Refusal(
        "teacher@aa101.example",
        INVITE,
        "inviteUser",
        constant(
            {
                "organisationCode": "AA101",
                "firstName": "A",
                "lastName": "B",
                "email": "a.b@aa101.example",
                "roles": ["SLT"],
            }
        ),
        "FORBIDDEN",
    ),
    "invite_at_another_centre": Refusal(
        "users@aa101.example",
        INVITE,
        "inviteUser",
        constant(
            {
                "organisationCode": "BB202",
                "firstName": "A",
                "lastName": "B",
                "email": "a.b@bb202.example",
                "roles": ["SLT"],
            }
        ),
        "FORBIDDEN",
    ),
    "invite_granting_global_listening": Refusal(
        "users@aa101.example",
        INVITE,
        "inviteUser",
        constant(
            {
                "organisationCode": "AA101",
                "firstName": "A",
                "lastName": "B",
                "email": "a.b@aa101.example",
                "roles": ["SLT", "GLOBAL_LISTENING"],
            }
        ),
        "ROLE_NOT_GRANTABLE",
    ),
    "invite_existing_account_as_exams_officer": Refusal(
        "users@aa101.example",
        INVITE,
        "inviteUser",
        constant(
            {
                "organisationCode": "AA101",
                "firstName": "Donald",
                "lastName": "Duck",
                "email": "teacher@bb202.example",
                "roles": ["EXAMS_OFFICER"],
            }
        ),
        "ROLE_NOT_GRANTABLE",
    ),
    "register_by_a_centre": Refusal(
        "users@aa101.example",
        REGISTER,
        "registerUser",
        constant(
            {
                "organisationCode": "AA101",
                "firstName": "A",
                "lastName": "B",
                "email": "a.b@aa101.example",
            }
        ),
        "FORBIDDEN",
    ),
    "register_an_email_in_use": Refusal(
        "admin@exb.example",
        REGISTER,
        "registerUser",
        constant(
            {
                "organisationCode": "CC303",
                "firstName": "A",
                "lastName": "B",
                "email": "TEACHER@aa101.example",
            }
        ),
        "EMAIL_IN_USE",
    ),
    "update_roles_granting_global_listening": Refusal(
        "users@aa101.example",
        UPDATE_ROLES,
        "updateUserRoles",
        with_user("teacher@aa101.example", organisationCode="AA101", roles=["GLOBAL_LISTENING"]),
        "ROLE_NOT_GRANTABLE",
    ),
    "update_roles_at_another_centre": Refusal(
        "users@aa101.example",
        UPDATE_ROLES,
        "updateUserRoles",
        with_user("teacher@bb202.example", organisationCode="BB202", roles=["SLT"]),
        "FORBIDDEN",
    ),
    "update_roles_without_the_role": Refusal(
        "slt@aa101.example",
        UPDATE_ROLES,
        "updateUserRoles",
        with_user("teacher@aa101.example", organisationCode="AA101", roles=["SLT"]),
        "FORBIDDEN",
    ),
    "update_names_blank": Refusal(
        "users@aa101.example",
        UPDATE_USER,
        "updateUser",
        with_user(
            "teacher@aa101.example", organisationCode="AA101", firstName=" ", lastName="Duck"
        ),
        "NAME_REQUIRED",
    ),
    "update_names_of_a_non_member": Refusal(
        "users@aa101.example",
        UPDATE_USER,
        "updateUser",
        with_user("teacher@bb202.example", organisationCode="AA101", firstName="X", lastName="Y"),
        "NOT_A_MEMBER",
    ),
    "remove_self": Refusal(
        "users@aa101.example",
        REMOVE,
        "removeUser",
        with_user("users@aa101.example", organisationCode="AA101"),
        "CANNOT_REMOVE_SELF",
    ),
    "remove_the_exams_officer": Refusal(
        "users@aa101.example",
        REMOVE,
        "removeUser",
        with_user("eo@aa101.example", organisationCode="AA101"),
        "CANNOT_REMOVE_EXAMS_OFFICER",
    ),
    "remove_at_another_centre": Refusal(
        "users@aa101.example",
        REMOVE,
        "removeUser",
        with_user("inv@bb202.example", organisationCode="BB202"),
        "FORBIDDEN",
    ),
    "designate_by_a_centre": Refusal(
        "eo@aa101.example",
        DESIGNATE,
        "designateExamsOfficer",
        constant({"organisationCode": "AA101", "email": "users@aa101.example"}),
        "FORBIDDEN",
    ),
    "designate_at_the_board": Refusal(
        "admin@exb.example",
        DESIGNATE,
        "designateExamsOfficer",
        constant({"organisationCode": "EXB", "email": "users@aa101.example"}),
        "INVALID_INPUT",
    ),
}


@pytest.mark.parametrize("name", REFUSED)
async def test_a_refused_mutation_writes_nothing(
    demo, http: httpx.AsyncClient, gql: GraphQLClient, name: str
) -> None:
    case = REFUSED[name]
    token = await gql.sign_in(case.actor)
    variables = await case.input()
    before = await state()

    body, request_id = await mutate(http, case.query, variables, token)

    if case.code == "FORBIDDEN":
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    else:
        assert not body.get("errors"), body
        codes = [e["code"] for e in body["data"][case.field]["errors"]]
        assert case.code in codes, body
    assert await state() == before
    assert not await AuditEvent.exists(request_id=request_id)


# --- Failing halfway: the transaction leaves nothing behind ----------------------------------


async def _failing_record(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the audit trail is unavailable")


@pytest.mark.parametrize("name", SUCCEEDING)
async def test_a_mutation_failing_at_its_audit_event_leaves_nothing_behind(
    demo,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    """The audit event is written last, after the rows and the emails: all must go."""
    case = SUCCEEDING[name]
    token = await gql.sign_in(case.actor)
    variables = await case.input()
    before = await state()
    monkeypatch.setattr(audit, "record", _failing_record)

    body, request_id = await mutate(http, case.query, variables, token)

    assert body["errors"][0]["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": request_id,
    }
    assert "the audit trail is unavailable" in caplog.text
    assert await state() == before


async def test_an_invitation_failing_after_the_user_was_created_leaves_no_trace(
    demo, http: httpx.AsyncClient, gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example of the brief, checked row by row: no user, no membership, no email."""
    token = await gql.sign_in("users@aa101.example")
    created: list[int] = []

    async def record_then_fail(*args: Any, **kwargs: Any) -> None:
        # By now invite_user has created the user, the membership and the outbox message.
        user = await User.get(email="late.failure@aa101.example")
        created.append(user.id)
        assert await Membership.exists(user_id=user.id)
        assert await OutboxMessage.exists(recipient="late.failure@aa101.example")
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(audit, "record", record_then_fail)
    body, _ = await mutate(
        http,
        INVITE,
        {
            "organisationCode": "AA101",
            "firstName": "Late",
            "lastName": "Failure",
            "email": "late.failure@aa101.example",
            "roles": ["SLT"],
        },
        token,
    )

    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert len(created) == 1
    assert not await User.exists(email="late.failure@aa101.example")
    assert not await Membership.exists(user_id=created[0])
    assert not await OutboxMessage.exists(recipient="late.failure@aa101.example")


async def test_a_role_change_keeps_and_audits_a_change_made_meanwhile(
    demo, http: httpx.AsyncClient, gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between checking the request and writing, the board makes the person exams officer
    (another request, perhaps in another process). The role change must keep that role, which
    a user manager can neither grant nor take away, and the audit's "before" must show it."""
    token = await gql.sign_in("users@aa101.example")
    teacher = await User.get(email="teacher@aa101.example")
    start_transaction = users.in_transaction

    @asynccontextmanager
    async def designated_meanwhile(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        await Membership.filter(user_id=teacher.id, organisation_id=await org_id("AA101")).update(
            roles=["EXAMS_OFFICER", "SFA_TEACHER"]
        )
        async with start_transaction(*args, **kwargs) as connection:
            yield connection

    monkeypatch.setattr(users, "in_transaction", designated_meanwhile)
    body, request_id = await mutate(
        http,
        UPDATE_ROLES,
        {
            "organisationCode": "AA101",
            "userId": to_base64("User", teacher.id),
            "roles": ["SLT"],
        },
        token,
    )

    assert body["data"]["updateUserRoles"]["errors"] == [], body
    membership = await Membership.get(user_id=teacher.id, organisation_id=await org_id("AA101"))
    assert membership.roles == ["EXAMS_OFFICER", "SLT"]
    event = await AuditEvent.get(request_id=request_id)
    assert event.before["roles"] == ["EXAMS_OFFICER", "SFA_TEACHER"]
    assert event.after["roles"] == ["EXAMS_OFFICER", "SLT"]

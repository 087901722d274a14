"""Staff accounts (seed 004) through the real app: creating with a chosen password, editing,
deleting for good after typing DELETE, and who may do each."""

import re
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from strawberry import relay

from examdesk.demo import seed_demo
from models.audit import AuditEvent, SignInEvent
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.sessions import OneTimeCode, Session
from models.users import Membership, User, UserStatus
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox
from tests.people.helpers import UPLOAD, upload

CREATE = """
mutation($input: CreateUserAccountInput!) { createUserAccount(input: $input) {
  reminder
  organisationUser { roles user { id email firstName lastName status } organisation { code } }
  errors { code message field }
} }"""
UPDATE = """
mutation($input: UpdateUserAccountInput!) { updateUserAccount(input: $input) {
  organisationUser { user { email firstName lastName } }
  errors { code message field }
} }"""
DELETE = """
mutation($input: DeleteUserAccountInput!) { deleteUserAccount(input: $input) {
  deletedUserId errors { code message field }
} }"""
TEMPLATE = """
query($format: UserUploadTemplateFormat!) { userUploadTemplate(format: $format) {
  name contentType url urlExpiresAt
} }"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) { token stage errors { code } } }"""
SET_NEW_PASSWORD = """
mutation($input: SetNewPasswordInput!) {
  setNewPassword(input: $input) { stage errors { code } }
}"""
VERIFY = """
mutation($input: CodeInput!) { verifyEmailCode(input: $input) { stage errors { code } } }"""
ME = "{ me { user { email } } }"

PASSWORD = "Lantern-Harbour-2026"
NEW_PASSWORD = "Orchard-Meadow-8841"


def gid(user_id: int) -> str:
    return relay.to_base64("User", user_id)


def account(**overrides: Any) -> dict[str, Any]:
    return {
        "organisationCode": "AA101",
        "firstName": "Rosalind",
        "lastName": "Franklin",
        "email": "rosalind.franklin@aa101.example",
        "password": PASSWORD,
        "roles": ["SLT"],
        **overrides,
    }


async def sign_in(gql: GraphQLClient, email: str, password: str) -> dict[str, Any]:
    data = await gql.ok(SIGN_IN, {"input": {"email": email, "password": password}})
    return data["signIn"]


async def make_member(code: str, email: str, *roles: str, password: str = PASSWORD) -> User:
    user = await User.create(
        email=email,
        first_name="Val",
        last_name="Victim",
        status=UserStatus.ACTIVE,
        password_hash=hash_password(password),
        email_verified_at=None,
    )
    organisation = await Organisation.get(code=code)
    await Membership.create(user=user, organisation=organisation, roles=list(roles))
    return user


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def snapshot() -> tuple[Any, ...]:
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
        ),
        await Membership.all().order_by("id").values_list("id", "user_id", "roles"),
        await Session.all().order_by("id").values_list("id", "revoked_at"),
        await AuditEvent.all().count(),
        await OutboxMessage.all().count(),
    )


@pytest.fixture
async def eo(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("eo@aa101.example")


@pytest.fixture
async def manager(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("users@aa101.example")


# --- creating ---------------------------------------------------------------------------------


async def test_a_user_manager_creates_an_account_that_must_change_its_password(
    gql: GraphQLClient, manager: str
) -> None:
    payload = (await gql.ok(CREATE, {"input": account()}, token=manager))["createUserAccount"]
    assert payload["errors"] == []
    member = payload["organisationUser"]
    assert member["roles"] == ["SLT"]
    assert member["user"]["status"] == "ACTIVE"
    assert "rosalind.franklin@aa101.example" in payload["reminder"]
    assert "change the password" in payload["reminder"]
    user = await User.get(email="rosalind.franklin@aa101.example")
    assert user.must_change_password
    assert user.email_verified_at is None
    event = await AuditEvent.get(action="user.create_account", target_id=str(user.id))
    assert PASSWORD not in str(event.before) + str(event.after)
    assert event.after["mustChangePassword"] is True
    # No email: the manager passes the login details on (the seed's note).
    assert not await OutboxMessage.filter(recipient=user.email).exists()
    signed_in = await sign_in(gql, user.email, PASSWORD)
    assert signed_in["stage"] == "PASSWORD_CHANGE_REQUIRED"


async def test_an_account_for_a_registered_email_is_refused_naming_it(
    gql: GraphQLClient, manager: str
) -> None:
    before = await snapshot()
    payload = (await gql.ok(CREATE, {"input": account(email="SLT@bb202.example")}, token=manager))[
        "createUserAccount"
    ]
    assert codes(payload) == ["EMAIL_IN_USE"]
    assert "slt@bb202.example" in payload["errors"][0]["message"]
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"password": "short"}, ["PASSWORD_TOO_WEAK"]),
        ({"password": "Rosalind-Franklin-1"}, ["PASSWORD_TOO_WEAK"]),
        ({"password": ""}, ["VALUE_REQUIRED"]),
        ({"email": "not an email"}, ["EMAIL_INVALID"]),
        ({"firstName": " ", "lastName": ""}, ["NAME_REQUIRED", "NAME_REQUIRED"]),
        ({"roles": []}, ["ROLES_REQUIRED"]),
        ({"roles": ["EXAMS_OFFICER"]}, ["ROLE_NOT_GRANTABLE"]),
        ({"roles": ["GLOBAL_LISTENING"]}, ["ROLE_NOT_GRANTABLE"]),
    ],
)
async def test_every_field_is_checked_and_nothing_is_written(
    gql: GraphQLClient, manager: str, overrides: dict[str, Any], expected: list[str]
) -> None:
    before = await snapshot()
    payload = (await gql.ok(CREATE, {"input": account(**overrides)}, token=manager))[
        "createUserAccount"
    ]
    assert codes(payload) == expected
    assert payload["organisationUser"] is None
    assert await snapshot() == before


async def test_the_first_sign_in_sets_a_password_then_confirms_the_email(
    mail_app: Starlette, mailbox: Mailbox
) -> None:
    await seed_demo()
    transport = httpx.ASGITransport(app=mail_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        gql = GraphQLClient(http)
        manager = await gql.sign_in("users@aa101.example")
        await gql.ok(CREATE, {"input": account()}, token=manager)
        first = await sign_in(gql, "rosalind.franklin@aa101.example", PASSWORD)
        assert first["stage"] == "PASSWORD_CHANGE_REQUIRED"
        token = first["token"]
        body = await gql.post(ME, token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        changed = (
            await gql.ok(SET_NEW_PASSWORD, {"input": {"newPassword": NEW_PASSWORD}}, token=token)
        )["setNewPassword"]
        assert changed == {"stage": "VERIFICATION_REQUIRED", "errors": []}
        [message] = await mailbox.wait_for("rosalind.franklin@aa101.example")
        code = re.search(r"verification code is (\d{6})", message.get_content()).group(1)
        verified = (await gql.ok(VERIFY, {"input": {"code": code}}, token=token))["verifyEmailCode"]
        assert verified == {"stage": "FULL", "errors": []}
        me = await gql.ok(ME, token=token)
        assert me["me"]["user"]["email"] == "rosalind.franklin@aa101.example"


# --- editing ----------------------------------------------------------------------------------


async def test_a_user_manager_edits_names_and_password_and_sessions_end(
    gql: GraphQLClient, manager: str
) -> None:
    victim = await make_member("AA101", "val@aa101.example", "SLT")
    old_session = (await sign_in(gql, victim.email, PASSWORD))["token"]
    payload = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "firstName": "  Valerie ",
                    "password": NEW_PASSWORD,
                }
            },
            token=manager,
        )
    )["updateUserAccount"]
    assert payload["errors"] == []
    assert payload["organisationUser"]["user"]["firstName"] == "Valerie"
    assert payload["organisationUser"]["user"]["lastName"] == "Victim"
    body = await gql.post(ME, token=old_session)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await sign_in(gql, victim.email, PASSWORD))["errors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    assert (await sign_in(gql, victim.email, NEW_PASSWORD))["stage"] == ("PASSWORD_CHANGE_REQUIRED")
    event = await AuditEvent.get(action="user.update_account", target_id=str(victim.id))
    assert event.after["passwordChanged"] is True
    assert NEW_PASSWORD not in str(event.after)


async def test_a_weak_new_password_is_refused(gql: GraphQLClient, manager: str) -> None:
    victim = await make_member("AA101", "weak@aa101.example", "SLT")
    before = await snapshot()
    payload = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "password": "password1",
                }
            },
            token=manager,
        )
    )["updateUserAccount"]
    assert codes(payload) == ["PASSWORD_TOO_WEAK"]
    assert await snapshot() == before


async def test_a_user_manager_may_not_change_an_email(gql: GraphQLClient, manager: str) -> None:
    victim = await make_member("AA101", "mail@aa101.example", "SLT")
    before = await snapshot()
    body = await gql.post(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(victim.id),
                "email": "new@aa101.example",
            }
        },
        token=manager,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot() == before
    # The same email sent back unchanged (a whole form) is no change of email.
    payload = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "email": "MAIL@aa101.example",
                    "lastName": "Vector",
                }
            },
            token=manager,
        )
    )["updateUserAccount"]
    assert payload["errors"] == []


async def test_the_centre_admin_changes_an_email_but_never_their_own(
    gql: GraphQLClient, eo: str
) -> None:
    victim = await make_member("AA101", "old@aa101.example", "SLT")
    await sign_in(gql, victim.email, PASSWORD)
    payload = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "email": " New@AA101.example ",
                }
            },
            token=eo,
        )
    )["updateUserAccount"]
    assert payload["errors"] == []
    assert payload["organisationUser"]["user"]["email"] == "new@aa101.example"
    assert await Session.filter(user_id=victim.id, revoked_at=None).count() == 0

    taken = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "email": "slt@aa101.example",
                }
            },
            token=eo,
        )
    )["updateUserAccount"]
    assert codes(taken) == ["EMAIL_IN_USE"]
    bad = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "email": "nope",
                }
            },
            token=eo,
        )
    )["updateUserAccount"]
    assert codes(bad) == ["EMAIL_INVALID"]

    me = await User.get(email="eo@aa101.example")
    before = await snapshot()
    own = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(me.id),
                    "email": "boss@aa101.example",
                }
            },
            token=eo,
        )
    )["updateUserAccount"]
    assert codes(own) == ["EMAIL_CHANGE_OWN_REFUSED"]
    assert await snapshot() == before


async def test_editing_someone_who_also_belongs_elsewhere_is_forbidden(
    gql: GraphQLClient, manager: str
) -> None:
    bb_slt = await User.get(email="slt@bb202.example")
    await Membership.create(
        user=bb_slt, organisation=await Organisation.get(code="AA101"), roles=["SLT"]
    )
    body = await gql.post(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(bb_slt.id),
                "password": NEW_PASSWORD,
            }
        },
        token=manager,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- deleting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["delete", "DELETE ", "", " DELETE", "Delete"])
async def test_delete_needs_exactly_delete(gql: GraphQLClient, eo: str, typed: str) -> None:
    victim = await make_member("AA101", "typo@aa101.example", "INVIGILATOR")
    before = await snapshot()
    payload = (
        await gql.ok(
            DELETE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "confirmation": typed,
                }
            },
            token=eo,
        )
    )["deleteUserAccount"]
    assert codes(payload) == ["DELETE_NOT_CONFIRMED"]
    assert payload["errors"][0]["field"] == ["input", "confirmation"]
    assert payload["deletedUserId"] is None
    assert await snapshot() == before


async def test_the_centre_admin_deletes_an_account_for_good(
    gql: GraphQLClient, eo: str, manager: str
) -> None:
    victim = await make_member("AA101", "gone@aa101.example", "INVIGILATOR")
    token = (await sign_in(gql, victim.email, PASSWORD))["token"]  # a session, a code, an email
    assert await OneTimeCode.filter(user_id=victim.id).exists()
    await sign_in(gql, victim.email, "Wrong-Password-1")
    renamed = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "firstName": "Valentina",
                }
            },
            token=manager,
        )
    )["updateUserAccount"]
    assert renamed["errors"] == []

    payload = (
        await gql.ok(
            DELETE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "confirmation": "DELETE",
                }
            },
            token=eo,
        )
    )["deleteUserAccount"]
    assert payload == {"deletedUserId": gid(victim.id), "errors": []}

    assert not await User.filter(id=victim.id).exists()
    assert not await Membership.filter(user_id=victim.id).exists()
    assert not await Session.filter(user_id=victim.id).exists()
    assert not await OneTimeCode.filter(user_id=victim.id).exists()
    assert not await OutboxMessage.filter(recipient=victim.email).exists()
    assert not await SignInEvent.filter(email=victim.email).exists()
    assert not await SignInEvent.filter(user_id=victim.id).exists()
    deleted = await AuditEvent.get(action="user.delete_account", target_id=str(victim.id))
    assert deleted.actor_email == "eo@aa101.example"
    trail = await AuditEvent.filter(target_type="User", target_id=str(victim.id)).values(
        "action", "actor_user_id", "actor_email", "before", "after"
    )
    assert {"session.sign_in", "user.update_account", "user.delete_account"} <= {
        e["action"] for e in trail
    }
    text = str(trail).lower()
    for personal in (victim.email, "valentina", "victim"):
        assert personal not in text, trail
    assert all(e["actor_email"] is None for e in trail if e["actor_user_id"] == victim.id)
    # The deleted person can no longer sign in, nor use the session they had.
    assert (await sign_in(gql, victim.email, PASSWORD))["errors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    body = await gql.post(ME, token=token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_delete_refuses_self_the_exams_officer_and_shared_accounts(
    gql: GraphQLClient, demo: Starlette
) -> None:
    as_eo = await gql.sign_in("eo@as100.example")
    me = await User.get(email="eo@as100.example")
    as101_eo = await User.get(email="eo@as101.example")
    shared = await User.get(email="slt@bb202.example")
    await Membership.create(
        user=shared, organisation=await Organisation.get(code="AS101"), roles=["SLT"]
    )
    before = await snapshot()
    for code, user, expected in (
        ("AS100", me, "CANNOT_DELETE_SELF"),
        ("AS101", as101_eo, "CANNOT_REMOVE_EXAMS_OFFICER"),
        ("AS101", shared, "ACCOUNT_SHARED"),
    ):
        payload = (
            await gql.ok(
                DELETE,
                {
                    "input": {
                        "organisationCode": code,
                        "userId": gid(user.id),
                        "confirmation": "DELETE",
                    }
                },
                token=as_eo,
            )
        )["deleteUserAccount"]
        assert codes(payload) == [expected], payload
    assert await snapshot() == before


# --- who may do what --------------------------------------------------------------------------

ACTORS = {
    "centre_admin": "eo@aa101.example",
    "user_manager": "users@aa101.example",
    "slt": "slt@aa101.example",
    "invigilator": "inv@aa101.example",
    "teacher": "teacher@aa101.example",
    "board_admin": "admin@exb.example",
    "other_centre": "eo@bb202.example",
}
# Y: allowed at AA101; F: FORBIDDEN, nothing changed.
PERMISSIONS = {
    #                 centre_admin user_manager slt  invigilator teacher board_admin other_centre
    "create": "Y Y F F F F F",
    "edit_names": "Y Y F F F Y F",
    "edit_password": "Y Y F F F Y F",
    "edit_email": "Y F F F F Y F",
    "delete": "Y Y F F F F F",
    "upload": "Y Y F F F F F",
    "template": "Y Y F F F F Y",
}
CELLS = [
    (operation, actor, allowed == "Y")
    for operation, row in PERMISSIONS.items()
    for actor, allowed in zip(ACTORS, row.split(), strict=True)
]


async def _attempt(
    gql: GraphQLClient, http: httpx.AsyncClient, token: str, operation: str, victim: User
) -> dict[str, Any]:
    target = {"organisationCode": "AA101", "userId": gid(victim.id)}
    if operation == "create":
        return await gql.post(
            CREATE, {"input": account(email="new.person@aa101.example")}, token=token
        )
    if operation == "edit_names":
        return await gql.post(UPDATE, {"input": {**target, "lastName": "Renamed"}}, token=token)
    if operation == "edit_password":
        return await gql.post(UPDATE, {"input": {**target, "password": NEW_PASSWORD}}, token=token)
    if operation == "edit_email":
        return await gql.post(
            UPDATE, {"input": {**target, "email": "moved@aa101.example"}}, token=token
        )
    if operation == "delete":
        return await gql.post(DELETE, {"input": {**target, "confirmation": "DELETE"}}, token=token)
    if operation == "template":
        return await gql.post(TEMPLATE, {"format": "CSV"}, token=token)
    response = await upload(
        http,
        token,
        "first_name,last_name,email,password,role\n"
        "Nia,Nova,nia.nova@aa101.example,Comet-Trail-5521,INV\n",
        query=UPLOAD,
        dryRun=True,
    )
    return response.json()


@pytest.mark.parametrize(
    ("operation", "actor", "allowed"), CELLS, ids=[f"{o}-{a}" for o, a, _ in CELLS]
)
async def test_permissions(
    gql: GraphQLClient,
    http: httpx.AsyncClient,
    demo: Starlette,
    operation: str,
    actor: str,
    allowed: bool,
) -> None:
    victim = await make_member("AA101", "target@aa101.example", "INVIGILATOR")
    token = await gql.sign_in(ACTORS[actor])
    before = await snapshot()
    body = await _attempt(gql, http, token, operation, victim)
    if not allowed:
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        assert body["data"] is None
        assert await snapshot() == before
        return
    assert not body.get("errors"), body
    [payload] = body["data"].values()
    assert payload.get("errors", []) == [], payload
    if operation == "template":
        assert payload["url"]
    elif operation == "delete":
        assert not await User.filter(id=victim.id).exists()
    elif operation == "edit_email":
        assert (await User.get(id=victim.id)).email == "moved@aa101.example"
    elif operation == "edit_password":
        assert (await User.get(id=victim.id)).must_change_password
    elif operation == "edit_names":
        assert (await User.get(id=victim.id)).last_name == "Renamed"
    elif operation == "create":
        assert await User.filter(email="new.person@aa101.example").exists()
    elif operation == "upload":
        assert payload["rowsRead"] == 1
        assert payload["dryRun"] is True

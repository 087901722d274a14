"""User managers delete accounts for good (seed 002: User Management may "create, edit, and
delete other accounts"), with the Centre Admin's typed DELETE confirmation (seed 004), and only
accounts policies/deletion.py leaves in their reach: every refused case through /graphql."""

from typing import Any

import pytest
from starlette.applications import Starlette
from strawberry import relay

from models.audit import AuditEvent
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.sessions import Session
from models.users import Membership, User, UserStatus
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient

DELETE = """
mutation($input: DeleteUserAccountInput!) { deleteUserAccount(input: $input) {
  deletedUserId errors { code message field }
} }"""


def gid(user_id: int) -> str:
    return relay.to_base64("User", user_id)


async def make_member(code: str, email: str, *roles: str) -> User:
    user = await User.create(
        email=email,
        first_name="Val",
        last_name="Victim",
        status=UserStatus.ACTIVE,
        password_hash=hash_password("Lantern-Harbour-2026"),
    )
    organisation = await Organisation.get(code=code)
    await Membership.create(user=user, organisation=organisation, roles=list(roles))
    return user


async def snapshot() -> tuple[Any, ...]:
    return (
        await User.all().order_by("id").values_list("id", "email", "status"),
        await Membership.all().order_by("id").values_list("id", "user_id", "roles"),
        await Session.all().order_by("id").values_list("id", "revoked_at"),
        await AuditEvent.all().count(),
        await OutboxMessage.all().count(),
    )


async def delete(
    gql: GraphQLClient, token: str, code: str, user: User, confirmation: str = "DELETE"
) -> dict[str, Any]:
    return await gql.post(
        DELETE,
        {"input": {"organisationCode": code, "userId": gid(user.id), "confirmation": confirmation}},
        token=token,
    )


@pytest.fixture
async def manager(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("users@aa101.example")


@pytest.mark.parametrize(
    "roles",
    [
        ("INVIGILATOR",),
        ("SFA_TEACHER", "ACCESS_ARRANGEMENTS"),
        ("USER_MANAGEMENT",),  # another user manager: a role they could grant
        (),  # a member with no role yet
    ],
)
async def test_a_user_manager_deletes_an_account_whose_every_role_they_could_grant(
    gql: GraphQLClient, manager: str, roles: tuple[str, ...]
) -> None:
    victim = await make_member("AA101", "gone@aa101.example", *roles)
    payload = (await delete(gql, manager, "AA101", victim))["data"]["deleteUserAccount"]
    assert payload == {"deletedUserId": gid(victim.id), "errors": []}
    assert not await User.exists(id=victim.id)
    assert not await Membership.exists(user_id=victim.id)
    event = await AuditEvent.get(action="user.delete_account", target_id=str(victim.id))
    assert event.actor_email == "users@aa101.example"


async def test_a_user_manager_types_delete_too(gql: GraphQLClient, manager: str) -> None:
    victim = await make_member("AA101", "kept@aa101.example", "INVIGILATOR")
    before = await snapshot()
    for typed in ("", "delete", "DELETE ", "Delete"):
        payload = (await delete(gql, manager, "AA101", victim, typed))["data"]["deleteUserAccount"]
        assert [e["code"] for e in payload["errors"]] == ["DELETE_NOT_CONFIRMED"]
        assert payload["errors"][0]["field"] == ["input", "confirmation"]
        # The payload warns what goes with the account before DELETE confirms it.
        assert payload["errors"][0]["message"].endswith(
            "0 certificates and 0 assessment attempts will be deleted with "
            f"{victim.full_name or victim.email}'s account."
        )
    assert await snapshot() == before


async def test_a_user_manager_may_not_delete_themselves_the_exams_officer_or_a_shared_account(
    gql: GraphQLClient, manager: str
) -> None:
    me = await User.get(email="users@aa101.example")
    officer = await User.get(email="eo@aa101.example")
    shared = await make_member("AA101", "shared@aa101.example", "SLT")
    await Membership.create(
        user=shared, organisation=await Organisation.get(code="BB202"), roles=["SLT"]
    )
    # Belonging elsewhere without a role there still makes the account that place's too.
    placed = await make_member("AA101", "placed@aa101.example", "SLT")
    await Membership.create(user=placed, organisation=await Organisation.get(code="CC303"))
    before = await snapshot()
    for user, expected in (
        (me, "CANNOT_DELETE_SELF"),
        (officer, "CANNOT_REMOVE_EXAMS_OFFICER"),
        (shared, "ACCOUNT_SHARED"),
        (placed, "ACCOUNT_SHARED"),
    ):
        payload = (await delete(gql, manager, "AA101", user))["data"]["deleteUserAccount"]
        assert [e["code"] for e in payload["errors"]] == [expected], payload
        assert payload["errors"][0]["field"] == ["input", "userId"]
        # The other organisation is never named: the manager may not know of it.
        assert "Bayview" not in payload["errors"][0]["message"]
        assert "Cedar" not in payload["errors"][0]["message"]
    assert await snapshot() == before


async def test_a_user_manager_may_not_delete_someone_holding_a_role_they_could_not_grant(
    gql: GraphQLClient, manager: str
) -> None:
    # Global Listening is the exams officer's alone; should anyone else hold it, it is
    # still out of a user manager's reach.
    listener = await make_member("AA101", "listener@aa101.example", "SLT", "GLOBAL_LISTENING")
    before = await snapshot()
    body = await delete(gql, manager, "AA101", listener)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "GLOBAL_LISTENING" in body["errors"][0]["message"]
    assert await snapshot() == before


async def test_a_user_manager_may_not_delete_at_another_centre(
    gql: GraphQLClient, manager: str
) -> None:
    victim = await make_member("BB202", "elsewhere@bb202.example", "INVIGILATOR")
    before = await snapshot()
    body = await delete(gql, manager, "BB202", victim)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot() == before


async def test_an_associates_user_manager_deletes_at_its_associate_centre(
    gql: GraphQLClient, demo: Starlette
) -> None:
    token = await gql.sign_in("users@as100.example")
    victim = await make_member("AS101", "gone@as101.example", "SLT")
    officer = await User.get(email="eo@as101.example")
    payload = (await delete(gql, token, "AS101", victim))["data"]["deleteUserAccount"]
    assert payload["errors"] == []
    assert not await User.exists(id=victim.id)
    refused = (await delete(gql, token, "AS101", officer))["data"]["deleteUserAccount"]
    assert [e["code"] for e in refused["errors"]] == ["CANNOT_REMOVE_EXAMS_OFFICER"]


@pytest.mark.parametrize("email", ["slt@aa101.example", "teacher@aa101.example"])
async def test_who_does_not_manage_users_may_not_delete(
    gql: GraphQLClient, demo: Starlette, email: str
) -> None:
    token = await gql.sign_in(email)
    victim = await make_member("AA101", "kept@aa101.example", "INVIGILATOR")
    before = await snapshot()
    body = await delete(gql, token, "AA101", victim)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot() == before

"""The people domain's part of the permission matrix (an organisation's users, their roles and
accounts), and the rules about people it does not show: roles nobody grants, a user manager's
reach, and renaming an account several organisations share."""

from typing import Any

import pytest

from models.organisations import Organisation
from models.users import Membership, User
from tests.helpers.graphql import GraphQLClient
from tests.permission_matrix.calls import check_signed_out, prepare, run_cell
from tests.permission_matrix.table import Cell, cells_of, operations_of
from tests.permission_matrix.world import (
    ERRORS,
    MEMBER,
    World,
    error_code,
    global_id,
    person_who_can_sign_in,
    snapshot,
    unique,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("cell", cells_of("people"), ids=[c.id for c in cells_of("people")])
async def test_matrix(world: World, cell: Cell) -> None:
    await run_cell(world, cell)


@pytest.mark.parametrize("operation", operations_of("people"))
async def test_signed_out_callers_must_sign_in(world: World, operation: str) -> None:
    await check_signed_out(world, operation)


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


async def _at_as101(gql: GraphQLClient, token: str, mutation: str, **fields: Any) -> Any:
    """`mutation` (one of the Manage Users mutations below) at AS101, insisting on no errors."""
    return await gql.ok(mutation, {"input": {"organisationCode": "AS101", **fields}}, token)


INVITE = (
    f"mutation($input: InviteUserInput!) {{ inviteUser(input: $input) "
    f"{{ outcome {MEMBER} {ERRORS} }} }}"
)
UPDATE_ROLES = (
    f"mutation($input: UpdateUserRolesInput!) {{ updateUserRoles(input: $input) "
    f"{{ {MEMBER} {ERRORS} }} }}"
)
REMOVE = (
    f"mutation($input: RemoveUserInput!) {{ removeUser(input: $input) "
    f"{{ removedUserId {ERRORS} }} }}"
)


async def test_the_associates_user_manager_manages_an_associate_centres_users(
    world: World,
) -> None:
    token = world.tokens["as_users"]
    gql = world.gql
    email = f"{unique('as101.new')}@example.test"
    invited = await _at_as101(
        gql,
        token,
        INVITE,
        firstName="Amani",
        lastName="Otieno",
        email=email,
        roles=["SFA_TEACHER"],
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

    roles = await _at_as101(
        gql, token, UPDATE_ROLES, userId=member_id, roles=["SFA_TEACHER", "ACCESS_ARRANGEMENTS"]
    )
    assert roles["updateUserRoles"]["organisationUser"]["roles"] == [
        "ACCESS_ARRANGEMENTS",
        "SFA_TEACHER",
    ]
    renamed = await _at_as101(
        gql, token, RENAME, userId=member_id, firstName="Amani", lastName="Wanjiru"
    )
    assert renamed["updateUser"]["organisationUser"]["user"]["lastName"] == "Wanjiru"

    # The associate centre's exams officer keeps the role nobody but the board changes.
    centre_eo = await User.get(email="eo@as101.example")
    kept = await _at_as101(gql, token, UPDATE_ROLES, userId=global_id(centre_eo.id), roles=["SLT"])
    assert kept["updateUserRoles"]["organisationUser"]["roles"] == ["EXAMS_OFFICER", "SLT"]
    await Membership.filter(user_id=centre_eo.id).update(roles=["EXAMS_OFFICER"])

    removed = await _at_as101(gql, token, REMOVE, userId=member_id)
    assert removed["removeUser"]["errors"] == []
    assert not await Membership.exists(user_id=user.id)


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
    email = await person_who_can_sign_in("AS100", ["SLT"])
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

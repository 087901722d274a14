"""The network domain's part of the permission matrix (organisations, their roles and services),
and the rules about organisations it does not show: unknown codes, soft deletion, and a stray
Global Listening grant."""

import pytest

from tests.permission_matrix.calls import check_signed_out, prepare, run_cell
from tests.permission_matrix.table import Cell, cells_of, operations_of
from tests.permission_matrix.world import (
    Call,
    World,
    error_code,
    person_who_can_sign_in,
    snapshot,
    soft_deleted,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("cell", cells_of("network"), ids=[c.id for c in cells_of("network")])
async def test_matrix(world: World, cell: Cell) -> None:
    await run_cell(world, cell)


@pytest.mark.parametrize("operation", operations_of("network"))
async def test_signed_out_callers_must_sign_in(world: World, operation: str) -> None:
    await check_signed_out(world, operation)


# --- Rules the matrix does not show -----------------------------------------------------------

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


async def test_a_stray_global_listening_grant_opens_nothing(world: World) -> None:
    # GLOBAL_LISTENING cannot be granted through the API; one put straight into the database
    # (an import, a hand edit) must not open the confidential materials either.
    email = await person_who_can_sign_in("AA101", ["GLOBAL_LISTENING"])
    token = await world.gql.sign_in(email)
    services = (
        await world.gql.ok(
            'query { services(organisationCode: "AA101") { service mayOpen } }', token=token
        )
    )["services"]
    assert [s["service"] for s in services if s["mayOpen"]] == []

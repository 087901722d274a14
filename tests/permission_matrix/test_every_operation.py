"""What holds for every operation of the permission matrix: the table is complete, each
operation belongs to one domain that knows how to call it, and a session still signing in may
do none of them."""

import itertools

import pytest

from examdesk.demo import DEMO_PASSWORD
from tests.permission_matrix.calls import PREPARERS, prepare
from tests.permission_matrix.table import (
    ACTORS,
    CELLS,
    DOMAINS,
    OPERATIONS,
)
from tests.permission_matrix.world import (
    World,
    error_code,
    person_who_can_sign_in,
    send,
    snapshot,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_the_matrix_is_complete() -> None:
    cells = {(c.operation, c.actor, c.target) for c in CELLS}
    expected = set(itertools.product(OPERATIONS, ACTORS, ("own", "assoc", "other", "deleted")))
    assert cells == expected
    assert len(cells) == len(CELLS)  # no cell twice
    assert len(OPERATIONS) == 46
    domains = [operation for operations in DOMAINS.values() for operation in operations]
    assert sorted(domains) == OPERATIONS  # each operation in exactly one domain
    assert set(PREPARERS) == set(OPERATIONS)


async def test_a_session_still_signing_in_may_do_nothing(world: World) -> None:
    # A user manager who has not yet set a new password: their session is not FULL.
    email = await person_who_can_sign_in("AA101", ["USER_MANAGEMENT"], must_change_password=True)
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
        body = await send(world.gql, call, signed["token"])
        assert error_code(body) == "FORBIDDEN", (operation, body)
        assert await snapshot() == before, operation

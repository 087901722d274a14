"""Every operation of the permission matrix, prepared for a cell by its domain's module
(network_calls.py, people_calls.py, admin_calls.py, exams_calls.py, session_calls.py,
training_calls.py, services_calls.py), and a cell or a signed-out call run."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from policies import Reason
from tests.permission_matrix import (
    admin_calls,
    exams_calls,
    network_calls,
    people_calls,
    services_calls,
    session_calls,
    training_calls,
)
from tests.permission_matrix.table import Cell, target_code
from tests.permission_matrix.viewer_can_probes import PROBES, viewer_may
from tests.permission_matrix.world import (
    Call,
    Preparer,
    World,
    error_code,
    error_reason,
    grantable_role,
    kind_of,
    send,
    snapshot,
    soft_deleted,
)

PREPARERS: dict[str, Preparer] = {
    **network_calls.CALLS,
    **people_calls.CALLS,
    **admin_calls.CALLS,
    **exams_calls.CALLS,
    **session_calls.CALLS,
    **training_calls.CALLS,
    **services_calls.CALLS,
}


async def prepare(operation: str, code: str, expected: str) -> Call:
    """`operation` ready to send at `code`, for a cell expecting `expected`."""
    kind = await kind_of(code)
    preparer = PREPARERS.get(operation)
    if preparer is None:
        raise AssertionError(f"no such operation {operation}")
    return await preparer(code, kind, grantable_role(kind), expected)


PAYLOAD_ERRORS = {"D": "ORGANISATION_DELETED", "I": "INVALID_INPUT", "C": "NOT_A_CENTRE"}


@asynccontextmanager
async def _cell_target(target: str, code: str) -> AsyncIterator[None]:
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


# --- Running a cell ---------------------------------------------------------------------------


async def run_cell(world: World, cell: Cell) -> None:
    """Send the cell's operation as its actor, at its target, and check the answer and the
    database."""
    code = target_code(cell.actor, cell.target)
    call = await prepare(cell.operation, code, cell.expected)
    async with _cell_target(cell.target, code), _cleaning_up(call):
        before = await snapshot()
        told = await _viewer_may(world, cell, call, code)
        body = await send(world.gql, call, world.tokens[cell.actor])
        if told is not None:
            # What permissions/viewerCan said before the call is what the call then met.
            assert told == (error_code(body) != "FORBIDDEN"), (told, body)
        if cell.expected == "F":
            assert error_code(body) == "FORBIDDEN", body
            assert error_reason(body) in set(Reason), body
            assert (body.get("data") or {}).get(call.field) is None, body
            assert await snapshot() == before, "a forbidden call changed the database"
        elif cell.expected in PAYLOAD_ERRORS:
            _assert_refused(body, call, PAYLOAD_ERRORS[cell.expected])
            assert await snapshot() == before, "a refused call changed the database"
        else:
            assert not body.get("errors"), body
            await call.verify(body["data"][call.field])


async def _viewer_may(world: World, cell: Cell, call: Call, code: str) -> bool | None:
    """The viewerCan answer about the cell's call, for the operations that have one."""
    if cell.operation not in PROBES:
        return None
    return await viewer_may(world.gql, cell.operation, call, code, world.tokens[cell.actor])


def _assert_refused(body: dict[str, Any], call: Call, code: str) -> None:
    """A mutation says why in its payload; a query has no payload, so in a GraphQL error."""
    if call.query.lstrip().startswith("mutation"):
        assert not body.get("errors"), body
        assert [e["code"] for e in body["data"][call.field]["errors"]] == [code], body
    else:
        assert error_code(body) == code, body


async def check_signed_out(world: World, operation: str) -> None:
    """Without a token, or with one that is not real, the operation must ask to sign in and
    change nothing."""
    call = await prepare(operation, "AA101", "Y")
    before = await snapshot()
    for token in (None, "not-a-real-token"):
        body = await send(world.gql, call, token)
        assert error_code(body) == "UNAUTHENTICATED", body
        assert error_reason(body) == Reason.NOT_SIGNED_IN, body
    assert await snapshot() == before

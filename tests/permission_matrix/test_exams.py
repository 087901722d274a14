"""The exams domain's part of the permission matrix: entering candidates and withdrawing
entries are the centre's exams officer's (or its associate's); loading results, the board's."""

import pytest

from tests.permission_matrix.calls import check_signed_out, run_cell
from tests.permission_matrix.table import Cell, cells_of, operations_of
from tests.permission_matrix.world import World

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("cell", cells_of("exams"), ids=[c.id for c in cells_of("exams")])
async def test_matrix(world: World, cell: Cell) -> None:
    await run_cell(world, cell)


@pytest.mark.parametrize("operation", operations_of("exams"))
async def test_signed_out_callers_must_sign_in(world: World, operation: str) -> None:
    await check_signed_out(world, operation)

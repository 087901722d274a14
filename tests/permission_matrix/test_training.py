"""The training domain's part of the permission matrix: the Assessment Access screen is the
Centre Admin's, and what deleting an account takes with it is for whoever may delete it."""

import pytest

from tests.permission_matrix.calls import check_signed_out, run_cell
from tests.permission_matrix.table import Cell, cells_of, operations_of
from tests.permission_matrix.world import World

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("cell", cells_of("training"), ids=[c.id for c in cells_of("training")])
async def test_matrix(world: World, cell: Cell) -> None:
    await run_cell(world, cell)


@pytest.mark.parametrize("operation", operations_of("training"))
async def test_signed_out_callers_must_sign_in(world: World, operation: str) -> None:
    await check_signed_out(world, operation)

"""The app and demo data the permission matrix's cells share, one per test module."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.permission_matrix.world import World, open_world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    async with open_world(tmp_path_factory.mktemp("matrix")) as shared:
        yield shared

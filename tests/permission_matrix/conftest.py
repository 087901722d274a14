"""The app and demo data the permission matrix's cells share, one per test module."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.helpers.database import sqlite_folder
from tests.permission_matrix.world import World, open_world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    with sqlite_folder(tmp_path_factory.mktemp("matrix")) as folder:
        async with open_world(folder) as shared:
            yield shared

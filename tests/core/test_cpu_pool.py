"""The CPU pool (resolvers/core/cpu.py): jobs' heavy steps run in other processes, one per core,
and a pool whose process died is replaced rather than failing every job after."""

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from resolvers.core import cpu
from resolvers.identity.passwords import hash_passwords, verify_password


async def test_work_runs_in_other_processes_and_comes_back_in_order() -> None:
    try:
        assert await cpu.run(os.getpid) != os.getpid()
        calls = [([f"Harbour-{i}-Light"], True) for i in range(5)]
        reported: list[int] = []

        async def each_done(hashes: list[str]) -> None:
            reported.append(len(hashes))

        hashed = await cpu.run_each(hash_passwords, calls, each_done)
        assert reported == [1, 1, 1, 1, 1]
        assert [verify_password(h, f"Harbour-{i}-Light") for i, [h] in enumerate(hashed)] == [
            True
        ] * 5
    finally:
        await cpu.shutdown()


async def test_a_pool_whose_process_died_is_replaced() -> None:
    try:
        with pytest.raises(BrokenProcessPool):
            await cpu.run(os._exit, 1)
        assert await cpu.run(os.getpid) != os.getpid()
    finally:
        await cpu.shutdown()

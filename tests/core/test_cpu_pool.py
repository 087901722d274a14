"""The CPU pool (resolvers/core/cpu.py): jobs' heavy steps run in other processes, one per core,
and a pool whose process died is replaced rather than failing every job after."""

import asyncio
import os
import signal
import sys
from concurrent.futures.process import BrokenProcessPool

import pytest

from resolvers.core import cpu
from resolvers.identity.passwords import hash_passwords, verify_password
from tests.helpers.processes import PROJECT_ROOT, START_TIMEOUT


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


# A process that makes the pool, prints the pid of the pool's process, and is killed outright.
KILLED_WITH_ITS_POOL = """
import asyncio, os, signal
from resolvers.core import cpu
print(asyncio.run(cpu.run(os.getpid)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_the_pools_processes_end_when_the_process_that_made_it_is_killed() -> None:
    made = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        KILLED_WITH_ITS_POOL,
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await asyncio.wait_for(made.communicate(), START_TIMEOUT)
    assert made.returncode == -signal.SIGKILL
    pool_process = int(output)
    async with asyncio.timeout(START_TIMEOUT):
        while _alive(pool_process):  # noqa: ASYNC110 (another process, nothing to await)
            await asyncio.sleep(0.1)

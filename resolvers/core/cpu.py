"""CPU-heavy steps of jobs (argon2 hashing of bulk uploads, PDF letters) in a pool of processes,
one per core this process may use: a job then uses every core, and the event loop goes on.

The pool is made when a job first needs it, in the process running the job (a worker, or a
server that runs jobs), and the app shell shuts it down when that process stops (`shutdown`).
Its processes come from a fork server (spawned where there is none), never forked from this
process: forking a process that runs threads (asyncio's, the database driver's) can copy a lock
some thread holds into the child. What runs there is a plain function of the module that owns
the work; its arguments and result are pickled, so they are plain data, and it reads no
process-wide state (resolvers.core.config is not configured in the pool's processes: pass what
it needs, such as fast_password_hashing).
"""

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger("examdesk.jobs")

T = TypeVar("T")

# Imported once by the fork server, so that the pool's processes start with them loaded.
_PRELOAD = ["resolvers.identity.passwords", "resolvers.results_website.credential_letters"]

_pool: ProcessPoolExecutor | None = None


def cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _pool_now() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
        else:
            context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(max_workers=cores(), mp_context=context)
    return _pool


def submit(function: Callable[..., T], *args: Any) -> "asyncio.Future[T]":
    """Run `function(*args)` in the pool; cancelling the future drops it if it has not started
    (one that has runs to its end in its process, and its result is dropped)."""
    return asyncio.get_running_loop().run_in_executor(_pool_now(), function, *args)


async def run(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in the pool."""
    return (await run_each(function, [args]))[0]


async def run_each(
    function: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    each_done: Callable[[T], Awaitable[object]] | None = None,
) -> list[T]:
    """`function(*call)` for every call, all handed to the pool at once (its processes take
    them in turn), with their results in the calls' order; `each_done` is awaited with each
    result in that order (to report progress). Cancelled or failing, the calls not started are
    dropped. A pool whose process died (killed for memory, say) fails the calls and is replaced
    for the next ones."""
    global _pool
    futures = [submit(function, *call) for call in calls]
    results: list[T] = []
    try:
        for future in futures:
            results.append(await future)
            if each_done is not None:
                await each_done(results[-1])
    except BrokenProcessPool:
        log.exception("a process of the CPU pool died; the pool is started again")
        _pool = None
        raise
    finally:
        for future in futures:
            future.cancel()
    return results


async def shutdown() -> None:
    """Stop the pool's processes (at the end of the process that made it): work not started is
    dropped; a step running finishes first."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

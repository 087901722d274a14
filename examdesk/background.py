"""A task that does one pass of work, then sleeps until woken or the poll interval passes."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("examdesk")

Subscribe = Callable[[Callable[[], None]], Callable[[], None]]


class BackgroundLoop:
    def __init__(
        self,
        name: str,
        work: Callable[[], Awaitable[object]],
        subscribe: Subscribe,
        poll_seconds: float,
    ) -> None:
        self.name = name
        self.work = work
        self.subscribe = subscribe
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._wake = asyncio.Event()
        self._unsubscribe = self.subscribe(self._wake.set)
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        # Told twice, by the flag and by cancelling: Python 3.11's asyncio.wait_for could swallow
        # a cancel arriving as its wait ended, and a loop that missed it would run on forever.
        self._stopping = True
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self.work()
            except Exception:
                log.exception("%s: a pass failed", self.name)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            self._wake.clear()

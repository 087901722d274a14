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

    def start(self) -> None:
        self._wake = asyncio.Event()
        self._unsubscribe = self.subscribe(self._wake.set)
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.work()
            except Exception:
                log.exception("%s: a pass failed", self.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()

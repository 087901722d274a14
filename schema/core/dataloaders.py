"""DataLoaders that live for one request. Each domain defines its own in its dataloaders.py,
named <Target>By<Key>Loader; `SomeLoader.of(info.context)` is this request's one, made on first
use. Never share one across requests: it caches what it loaded, as the actor saw it.

A list's root field may `fill` a loader for its whole page at once; the rows' fields then
`peek` at it and resolve without awaiting, which on a long list saves a round of the event loop
per row and field."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Final, Self, TypeVar

from strawberry.dataloader import DataLoader

from schema.core.context import Context

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


class Missing:
    """What `peek` answers for a key the loader has not loaded yet."""


MISSING: Final = Missing()


class RequestLoader(DataLoader[K, V]):
    def __init__(self, context: Context) -> None:
        super().__init__(load_fn=self.load_batch)
        self.context = context

    async def load_batch(self, keys: Sequence[K]) -> list[V]:
        """The values of the keys, in their order (None where a key names nothing)."""
        raise NotImplementedError

    async def fill(self, keys: Sequence[K]) -> list[V]:
        """The keys' values, those not loaded yet in one batch, kept as `load` keeps them. Unlike
        `load_many`, no future is awaited per key: nothing waits on them but `peek`."""
        wanted = [key for key in dict.fromkeys(keys) if self.cache_map.get(key) is None]
        if wanted:
            # A key another field began loading meanwhile keeps that load's future.
            self.prime_many(dict(zip(wanted, await self.load_batch(wanted), strict=True)))
        futures = [self.cache_map.get(key) for key in keys]
        if all(future.done() for future in futures):  # type: ignore[union-attr]
            return [future.result() for future in futures]  # type: ignore[union-attr]
        return list(await asyncio.gather(*futures))  # type: ignore[arg-type]

    def peek(self, key: K) -> V | Missing:
        """The key's value if this request has already loaded it, MISSING if not (or if
        loading it failed: `load` then raises the error where the field can report it)."""
        future = self.cache_map.get(key)
        if future is None or not future.done() or future.cancelled() or future.exception():
            return MISSING
        return future.result()

    def now_or_later(self, key: K, convert: Callable[[V], R]) -> R | Awaitable[R]:
        """The key's value converted: at once if this request has loaded it, or else the
        awaitable that loads it. For a resolver that is not `async`, whose list filled the
        loader first: graphql-core awaits what it returns only when it must."""
        found = self.peek(key)
        if found is MISSING:
            return self._later(key, convert)
        return convert(found)  # type: ignore[arg-type]

    async def _later(self, key: K, convert: Callable[[V], R]) -> R:
        return convert(await self.load(key))

    @classmethod
    def of(cls, context: Context) -> Self:
        found = context.loaders.get(cls)
        if found is None:
            found = context.loaders[cls] = cls(context)
        return found

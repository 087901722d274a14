"""DataLoaders that live for one request. Each domain defines its own in its dataloaders.py,
named <Target>By<Key>Loader; `SomeLoader.of(info.context)` is this request's one, made on first
use. Never share one across requests: it caches what it loaded, as the actor saw it."""

from collections.abc import Sequence
from typing import Self, TypeVar

from strawberry.dataloader import DataLoader

from schema.core.context import Context

K = TypeVar("K")
V = TypeVar("V")


class RequestLoader(DataLoader[K, V]):
    def __init__(self, context: Context) -> None:
        super().__init__(load_fn=self.load_batch)
        self.context = context

    async def load_batch(self, keys: Sequence[K]) -> list[V]:
        """The values of the keys, in their order (None where a key names nothing)."""
        raise NotImplementedError

    @classmethod
    def of(cls, context: Context) -> Self:
        found = context.loaders.get(cls)
        if found is None:
            found = context.loaders[cls] = cls(context)
        return found

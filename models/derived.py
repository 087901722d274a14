"""Columns a model derives from its own other columns (a folded name, a username key), written by
the model itself on create, on save and in bulk_create (which builds the instances but saves
none), so a search or a unique index over them holds and no use case can forget one."""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from tortoise.backends.base.client import BaseDBAsyncClient

# A derived column: the columns it is made from, and how.
Derivation = tuple[tuple[str, ...], Callable[..., str]]


class DerivedColumns:
    """Mixed into a model; each mixin in its bases declares DERIVED = {column: derivation}."""

    DERIVED: ClassVar[dict[str, Derivation]] = {}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._derive()

    @classmethod
    def _derivations(cls) -> dict[str, Derivation]:
        found: dict[str, Derivation] = {}
        for base in reversed(cls.__mro__):
            found.update(base.__dict__.get("DERIVED", {}))
        return found

    def _derive(self) -> None:
        for column, (sources, derive) in self._derivations().items():
            setattr(self, column, derive(*(getattr(self, s) or "" for s in sources)))

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        self._derive()
        if update_fields is not None:
            named = set(update_fields)
            update_fields = [
                *named,
                *(c for c, (sources, _) in self._derivations().items() if named & set(sources)),
            ]
        await super().save(
            using_db=using_db,
            update_fields=update_fields,
            force_create=force_create,
            force_update=force_update,
        )

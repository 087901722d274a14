"""Per-request DataLoaders, named <Target>By<Key>Loader. Never share one across requests."""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.organisations import Organisation


async def _organisations_by_id(ids: Sequence[int]) -> list[Organisation | None]:
    rows = {o.id: o for o in await Organisation.filter(id__in=list(ids))}
    return [rows.get(i) for i in ids]


class OrganisationByIdLoader(DataLoader[int, Organisation | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=_organisations_by_id)


class Loaders:
    def __init__(self) -> None:
        self.organisation_by_id = OrganisationByIdLoader()


__all__ = ["Loaders", "OrganisationByIdLoader"]

"""Per-request DataLoaders, named <Target>By<Key>Loader. Never share one across requests."""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.exams import Result
from models.organisations import Organisation


async def _organisations_by_id(ids: Sequence[int]) -> list[Organisation | None]:
    rows = {o.id: o for o in await Organisation.filter(id__in=list(ids))}
    return [rows.get(i) for i in ids]


async def _results_by_entry_id(entry_ids: Sequence[int]) -> list[Result | None]:
    rows = {r.entry_id: r for r in await Result.filter(entry_id__in=list(entry_ids))}
    return [rows.get(i) for i in entry_ids]


class OrganisationByIdLoader(DataLoader[int, Organisation | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=_organisations_by_id)


class ResultByEntryIdLoader(DataLoader[int, Result | None]):
    """Only for entries whose results the resolver has already said the actor may see."""

    def __init__(self) -> None:
        super().__init__(load_fn=_results_by_entry_id)


class Loaders:
    def __init__(self) -> None:
        self.organisation_by_id = OrganisationByIdLoader()
        self.result_by_entry_id = ResultByEntryIdLoader()


__all__ = ["Loaders", "OrganisationByIdLoader", "ResultByEntryIdLoader"]

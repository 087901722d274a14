"""The network's per-request DataLoaders (see schema/core/dataloaders.py)."""

from collections.abc import Sequence

from models.organisations import Organisation
from schema.core.dataloaders import RequestLoader


class OrganisationByIdLoader(RequestLoader[int, Organisation | None]):
    async def load_batch(self, ids: Sequence[int]) -> list[Organisation | None]:
        rows = {o.id: o for o in await Organisation.filter(id__in=list(ids))}
        return [rows.get(i) for i in ids]

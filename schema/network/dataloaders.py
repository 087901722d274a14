"""The network's per-request DataLoaders (see schema/core/dataloaders.py)."""

from collections.abc import Sequence

from models.organisations import Organisation
from resolvers.core.organisation_access import OrganisationRow
from schema.core.dataloaders import RequestLoader


# What it holds is read for its attributes only: `me` primes it with the rows it read
# (OrganisationRow), other fields with the models they loaded.
class OrganisationByIdLoader(RequestLoader[int, Organisation | OrganisationRow | None]):
    async def load_batch(self, ids: Sequence[int]) -> list[Organisation | OrganisationRow | None]:
        rows = {o.id: o for o in await Organisation.filter(id__in=list(ids))}
        return [rows.get(i) for i in ids]

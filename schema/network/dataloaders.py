"""The network's per-request DataLoaders (see schema/core/dataloaders.py), and the viewerCan of
an object that belongs to an organisation, which reads the organisation through them."""

from collections.abc import Awaitable, Sequence
from typing import Any

from models.organisations import Organisation
from policies import Target
from resolvers.core.organisation_access import OrganisationRow
from schema.core.context import Info
from schema.core.dataloaders import RequestLoader
from schema.core.viewer_can import answers_at


# What it holds is read for its attributes only: `me` primes it with the rows it read
# (OrganisationRow), other fields with the models they loaded.
class OrganisationByIdLoader(RequestLoader[int, Organisation | OrganisationRow | None]):
    async def load_batch(self, ids: Sequence[int]) -> list[Organisation | OrganisationRow | None]:
        rows = {o.id: o for o in await Organisation.filter(id__in=list(ids))}
        return [rows.get(i) for i in ids]


def at_centre(info: Info, centre_id: int, kind: Any) -> Any | Awaitable[Any]:
    """An object's viewerCan (of type `kind`) at the organisation it belongs to: at once if
    this request has read the organisation, as a list does for its page, or else the awaitable
    that reads it (batched with the other rows')."""

    def decided(organisation: Organisation | None) -> Any:
        return answers_at(info, kind, Target.of(organisation) if organisation else None)

    return OrganisationByIdLoader.of(info.context).now_or_later(centre_id, decided)

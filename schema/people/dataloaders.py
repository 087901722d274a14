"""The people domain's per-request DataLoaders (see schema/core/dataloaders.py)."""

from collections.abc import Sequence

from policies import Holding
from resolvers.identity import credentials
from schema.core.dataloaders import RequestLoader


class HoldingsByUserIdLoader(RequestLoader[int, list[Holding]]):
    """Every organisation each person belongs to, with their roles there: what decides who may
    set their credentials or delete their account (OrganisationUser.viewerCan)."""

    async def load_batch(self, user_ids: Sequence[int]) -> list[list[Holding]]:
        found = await credentials.holdings_of_many(list(user_ids))
        return [found[user_id] for user_id in user_ids]

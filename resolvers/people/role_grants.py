"""Who granted each role a person holds at an organisation, and when: a place's role_grants,
as the access review (resolvers/people/access_review.py) reports them. Whatever gives or takes
roles writes them through regranted, so a role held keeps the record of its grant."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from policies import Actor
from resolvers.core import clock


@dataclass(frozen=True)
class Grantor:
    """Who grants roles, and when, as a place's role_grants records it."""

    user_id: int | None
    email: str | None
    at: datetime

    @classmethod
    def of(cls, actor: Actor) -> "Grantor":
        return cls(actor.user_id, actor.email, clock.now())

    def record(self) -> dict[str, object]:
        return {"byId": self.user_id, "byEmail": self.email, "at": self.at.isoformat()}


def regranted(
    grants: Mapping[str, dict[str, object]],
    held: Iterable[str],
    roles: Iterable[str],
    by: Grantor | None,
) -> dict[str, dict[str, object]]:
    """The role_grants of a place that held `held` and now holds `roles`: a role it held keeps
    its record (or its lack of one: granted before grants were recorded), a new one is recorded
    as given by `by`, and a role gone loses its record, so that one given again later is not
    dated by the first grant."""
    kept = set(held)
    granted: dict[str, dict[str, object]] = {}
    for role in sorted(set(roles)):
        if role in kept:
            if role in grants:
                granted[role] = dict(grants[role])
        elif by is not None:
            granted[role] = by.record()
    return granted

"""Taking users out of centres, one or many at once (the upload report's "Delete Extra Users"),
and the undo.

A removal takes the place only: the account and its other places stay. The place is kept, with
its roles, as a RemovedPlace, so that the undo gives it back as it was. Many at once are checked
first and written all or none.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.organisations import Organisation
from models.users import Membership, RemovedPlace
from policies import Actor
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.network.centre_users import CentreUserRow, user_row
from resolvers.network.centres import require_board_centre
from resolvers.people import accounts, role_grants
from resolvers.people.users import member_snapshot

# The most places one request names: a report's list, not the whole site.
MAX_PLACES_AT_ONCE = 1000

FieldAt = Callable[[int, str], tuple[str, ...]]


@dataclass(frozen=True)
class Removal:
    centre_code: str
    user_id: int
    email: str
    # The account stays, but with no organisation it opens nothing.
    last_membership: bool


async def remove_centre_users(
    actor: Actor, places: list[tuple[str, int]], at: FieldAt
) -> list[Removal]:
    """Take each user out of that centre only: every place, or, if any cannot be, none."""
    found = await _memberships(actor, places, at)
    async with in_transaction():
        removed = await Membership.filter(id__in=[m.id for m in found]).delete()
        if removed != len(found):
            raise _concurrent()
        now = clock.now()
        await RemovedPlace.bulk_create(
            [
                RemovedPlace(
                    user_id=m.user_id,
                    organisation_id=m.organisation_id,
                    roles=m.roles,
                    role_grants=m.role_grants,
                    removed_at=now,
                )
                for m in found
            ]
        )
        remaining = await _remaining_places({m.user_id for m in found})
        for m in found:
            await audit.record(
                actor,
                "centre.remove_user",
                organisation_id=m.organisation_id,
                target_type="User",
                target_id=m.user_id,
                before=member_snapshot(m.user, m.roles),
                after={"remainingOrganisations": remaining.get(m.user_id, 0)},
            )
    return [
        Removal(
            centre_code=m.organisation.code,
            user_id=m.user_id,
            email=m.user.email,
            last_membership=not remaining.get(m.user_id),
        )
        for m in found
    ]


async def undo_remove_centre_users(
    actor: Actor, places: list[tuple[str, int]], at: FieldAt
) -> list[CentreUserRow]:
    """Give each removed place back with the roles it had: all of them, or none."""
    restoring = await _removed_places(actor, places, at)
    async with in_transaction():
        now = clock.now()
        ids = [r.id for r in restoring]
        if await RemovedPlace.filter(id__in=ids, restored_at=None).update(restored_at=now) != len(
            ids
        ):
            raise _concurrent()
        await accounts.place_many(
            ((r.user_id, r.organisation_id, r.roles) for r in restoring),
            by=role_grants.Grantor.of(actor),
            kept={(r.user_id, r.organisation_id): r.role_grants for r in restoring},
        )
        for r in restoring:
            await audit.record(
                actor,
                "centre.undo_remove_user",
                organisation_id=r.organisation_id,
                target_type="User",
                target_id=r.user_id,
                after=member_snapshot(r.user, r.roles),
            )
    return [user_row(r.user, r.organisation_id, r.roles) for r in restoring]


async def _centres(
    actor: Actor, places: list[tuple[str, int]], at: FieldAt
) -> dict[str, Organisation]:
    if not places or len(places) > MAX_PLACES_AT_ONCE:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            f"Give from 1 to {MAX_PLACES_AT_ONCE} places (a centre and a user).",
            "input",
            "places",
        )
    centres: dict[str, Organisation] = {}
    for index, (code, _) in enumerate(places):
        # A report lists many people at few centres: each centre is looked up once.
        if code not in centres:
            centres[code] = await require_board_centre(actor, code, *at(index, "code"))
    return centres


async def _memberships(
    actor: Actor, places: list[tuple[str, int]], at: FieldAt
) -> list[Membership]:
    """Each place's membership, found; every missing one reported at once."""
    centres = await _centres(actor, places, at)
    # Every place in one query, not one per row.
    held = {
        (m.organisation_id, m.user_id): m
        for m in await Membership.filter(
            organisation_id__in=[c.id for c in centres.values()],
            user_id__in=[user_id for _, user_id in places],
        ).select_related("user")
    }
    found: dict[int, Membership] = {}
    errors: list[UserError] = []
    for index, (code, user_id) in enumerate(places):
        centre = centres[code]
        membership = held.get((centre.id, user_id))
        if membership is None:
            errors.append(
                UserError(
                    ErrorCode.NOT_A_MEMBER,
                    f"That user does not belong to {centre.name}.",
                    at(index, "userId"),
                )
            )
            continue
        membership.organisation = centre
        found[membership.id] = membership
    if errors:
        raise DomainError(errors)
    return list(found.values())


async def _removed_places(
    actor: Actor, places: list[tuple[str, int]], at: FieldAt
) -> list[RemovedPlace]:
    """Each place's latest removal not yet undone, with the place still free."""
    centres = await _centres(actor, places, at)
    centre_ids = [c.id for c in centres.values()]
    user_ids = [user_id for _, user_id in places]
    # Two queries for every place: the removals not undone (the latest wins) and the places
    # held again since.
    latest: dict[tuple[int, int], RemovedPlace] = {}
    for removal in (
        await RemovedPlace.filter(
            organisation_id__in=centre_ids, user_id__in=user_ids, restored_at=None
        )
        .order_by("id")
        .select_related("user")
    ):
        latest[(removal.organisation_id, removal.user_id)] = removal
    back = set(
        await Membership.filter(organisation_id__in=centre_ids, user_id__in=user_ids).values_list(
            "organisation_id", "user_id"
        )
    )
    found: dict[int, RemovedPlace] = {}
    errors: list[UserError] = []
    for index, (code, user_id) in enumerate(places):
        centre = centres[code]
        removal = latest.get((centre.id, user_id))
        if removal is None or (centre.id, user_id) in back:
            errors.append(
                UserError(
                    ErrorCode.NOT_REMOVED,
                    f"That user was not removed from {centre.name}, or is back there already: "
                    "there is nothing to undo.",
                    at(index, "userId"),
                )
            )
            continue
        found[removal.id] = removal
    if errors:
        raise DomainError(errors)
    return list(found.values())


async def _remaining_places(user_ids: set[int]) -> dict[int, int]:
    rows = await Membership.filter(user_id__in=list(user_ids)).values_list("user_id", flat=True)
    counts: dict[int, int] = {}
    for user_id in rows:
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def _concurrent() -> DomainError:
    return DomainError.one(
        ErrorCode.CONCURRENT_CHANGE,
        "Another change to these users' places happened at the same time: nothing was "
        "changed; look again and retry.",
        "input",
    )

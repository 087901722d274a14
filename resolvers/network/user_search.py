"""The board's "Admin -> Users": one person across every centre, by name or email ("which
centres is x on?"), with each place and its roles."""

from dataclasses import dataclass
from datetime import datetime

from models.users import Membership, User, UserStatus
from policies import Actor, Authorizer
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.pages import Page, check_page
from resolvers.core.search import word_filters


@dataclass(frozen=True)
class Place:
    organisation_code: str
    organisation_name: str
    roles: list[str]
    deleted: bool


@dataclass(frozen=True)
class PersonPlaces:
    user_id: int
    email: str
    first_name: str
    last_name: str
    status: UserStatus
    pin: str | None
    last_login_at: datetime | None
    places: list[Place]


async def search_users(
    actor: Actor, search: str, *, limit: int = 15, offset: int = 0
) -> Page[PersonPlaces]:
    """Everyone whose name (accents and case ignored) or email holds every word of `search`,
    by email, each with every organisation they belong to."""
    Authorizer(actor).require("users", "read")
    check_page(limit, offset)
    filters = word_filters(search, User, fields=("email",))
    if not filters:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT, "Type part of a name or an email address.", "search"
        )
    query = User.filter(*filters)
    total = await query.count()
    people = await query.order_by("email", "id").offset(offset).limit(limit)
    # Every place of the page's people in one query, not one per person.
    places: dict[int, list[Place]] = {}
    for m in (
        await Membership.filter(user_id__in=[p.id for p in people])
        .select_related("organisation")
        .order_by("organisation__code")
    ):
        places.setdefault(m.user_id, []).append(
            Place(
                organisation_code=m.organisation.code,
                organisation_name=m.organisation.name,
                roles=sorted(m.roles or []),
                deleted=m.organisation.deleted_at is not None,
            )
        )
    items = [
        PersonPlaces(
            user_id=p.id,
            email=p.email,
            first_name=p.first_name,
            last_name=p.last_name,
            status=p.status,
            pin=p.pin,
            last_login_at=p.last_login_at,
            places=places.get(p.id, []),
        )
        for p in people
    ]
    return Page(items=items, total=total, offset=offset)

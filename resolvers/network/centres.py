"""The board's "Manage centres": centres' details, soft delete and undo (their users:
resolvers/network/centre_users.py).

A soft delete keeps the centre and its people; the Authorizer grants nothing at a deleted
organisation, and grants are read for every request, so its users lose access at once and get
it back with the undo, without signing in again.
"""

import re
from collections.abc import Callable
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.organisations import Organisation, OrganisationKind
from policies import Actor, Authorizer
from policies.viewer_can import MANAGE_CENTRES
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.network.organisations import require_centre

# One rule for a centre number, whether typed in createCentre or read from a spreadsheet.
CENTRE_CODE = re.compile(r"^[A-Z0-9]{2,16}$")
CENTRE_CODE_RULE = "2 to 16 letters and digits, e.g. AA101"
# The most centres one bulk delete or undo names: a report's list, not the whole site.
MAX_CENTRES_AT_ONCE = 1000
# Column sizes of models/organisations.py.
_LIMITS = {"name": 200, "address": 300, "city": 100, "country": 100}


async def create_centre(
    actor: Actor,
    *,
    code: str,
    name: str,
    address: str = "",
    city: str = "",
    country: str = "",
    associate_code: str | None = None,
) -> Organisation:
    """A new centre, or an associate centre when the associate is given."""
    Authorizer(actor).require(*MANAGE_CENTRES)
    errors: list[UserError] = []
    normalised = code.strip().upper()
    if not CENTRE_CODE.match(normalised):
        errors.append(
            UserError(
                ErrorCode.CENTRE_CODE_INVALID,
                f"The centre number must be {CENTRE_CODE_RULE}.",
                ("input", "code"),
            )
        )
    elif await Organisation.exists(code=normalised):
        errors.append(_code_taken(normalised))
    details, detail_errors = _check_details(name=name, address=address, city=city, country=country)
    errors.extend(detail_errors)
    parent = await _associate(associate_code, errors)
    if errors:
        raise DomainError(errors)
    try:
        async with in_transaction():
            centre = await Organisation.create(
                kind=OrganisationKind.CENTRE, code=normalised, parent=parent, **details
            )
            await audit.record(
                actor,
                "centre.create",
                organisation_id=centre.id,
                target_type="Organisation",
                target_id=centre.id,
                after=_snapshot(centre),
            )
    except IntegrityError:
        # Another request took the code between the check and the insert.
        raise DomainError([_code_taken(normalised)]) from None
    return centre


async def update_centre(
    actor: Actor,
    *,
    code: str,
    name: str | None = None,
    address: str | None = None,
    city: str | None = None,
    country: str | None = None,
) -> Organisation:
    """Change a centre's name and location; what is not given stays. Deleted centres too: the
    board may correct them before undoing the deletion."""
    centre = await require_board_centre(actor, code)
    given = {"name": name, "address": address, "city": city, "country": country}
    current = {key: getattr(centre, key) for key in given}
    details, errors = _check_details(
        **{key: current[key] if value is None else value for key, value in given.items()}
    )
    if errors:
        raise DomainError(errors)
    async with in_transaction():
        before = _snapshot(centre)
        for key, value in details.items():
            setattr(centre, key, value)
        await centre.save(update_fields=list(details))
        await audit.record(
            actor,
            "centre.update",
            organisation_id=centre.id,
            target_type="Organisation",
            target_id=centre.id,
            before=before,
            after=_snapshot(centre),
        )
    return centre


async def delete_centre(actor: Actor, *, code: str) -> Organisation:
    """Soft delete: the centre is flagged, its users keep their places but lose all access."""
    [centre] = await _set_deleted(actor, [code], deleted=True, at=lambda _: ("input", "code"))
    return centre


async def undo_delete_centre(actor: Actor, *, code: str) -> Organisation:
    """Restore a soft-deleted centre: its users' roles count again from their next request."""
    [centre] = await _set_deleted(actor, [code], deleted=False, at=lambda _: ("input", "code"))
    return centre


async def delete_centres(actor: Actor, codes: list[str]) -> list[Organisation]:
    """Soft delete several centres at once (the upload report's "Delete Missing Centres"): all
    of them, or, if any cannot be, none."""
    return await _set_deleted(actor, codes, deleted=True, at=_nth_code)


async def undo_delete_centres(actor: Actor, codes: list[str]) -> list[Organisation]:
    """Restore several soft-deleted centres at once: all of them or none."""
    return await _set_deleted(actor, codes, deleted=False, at=_nth_code)


def _nth_code(index: int) -> tuple[str, ...]:
    return ("input", "codes", str(index))


async def _set_deleted(
    actor: Actor, codes: list[str], *, deleted: bool, at: Callable[[int], tuple[str, ...]]
) -> list[Organisation]:
    centres = await _centres_to_flag(actor, codes, deleted, at)
    async with in_transaction():
        deleted_at = clock.now() if deleted else None
        # Conditional, so two requests at once cannot both succeed (nor record two events).
        changed = await Organisation.filter(
            id__in=[c.id for c in centres], deleted_at__isnull=deleted
        ).update(deleted_at=deleted_at)
        if changed != len(centres):
            raise DomainError.one(
                ErrorCode.CONCURRENT_CHANGE,
                "Another change to these centres happened at the same time: nothing was "
                "changed; look again and retry.",
                "input",
            )
        for centre in centres:
            before = _snapshot(centre)
            centre.deleted_at = deleted_at
            await audit.record(
                actor,
                "centre.delete" if deleted else "centre.undo_delete",
                organisation_id=centre.id,
                target_type="Organisation",
                target_id=centre.id,
                before=before,
                after=_snapshot(centre),
            )
    return centres


async def _centres_to_flag(
    actor: Actor, codes: list[str], deleted: bool, at: Callable[[int], tuple[str, ...]]
) -> list[Organisation]:
    """Every centre named, each checked (found, and not already as asked); all errors at once."""
    if not codes or len(codes) > MAX_CENTRES_AT_ONCE:
        raise DomainError.one(
            ErrorCode.INVALID_INPUT,
            f"Give from 1 to {MAX_CENTRES_AT_ONCE} centre numbers.",
            "input",
            "codes",
        )
    centres: dict[int, Organisation] = {}
    errors: list[UserError] = []
    for index, code in enumerate(codes):
        centre = await require_board_centre(actor, code, *at(index))
        if (centre.deleted_at is not None) is deleted:
            errors.append(
                UserError(
                    ErrorCode.ORGANISATION_DELETED
                    if deleted
                    else ErrorCode.ORGANISATION_NOT_DELETED,
                    f"{centre.name} is {'already' if deleted else 'not'} deleted.",
                    at(index),
                )
            )
        centres[centre.id] = centre
    if errors:
        raise DomainError(errors)
    return list(centres.values())


async def require_board_centre(actor: Actor, code: str, *field: str) -> Organisation:
    """The centre, for the board; soft-deleted ones included (they are restored from here)."""
    return await require_centre(
        actor, code, *MANAGE_CENTRES, *(field or ("input", "code")), deleted_too=True
    )


async def _associate(code: str | None, errors: list[UserError]) -> Organisation | None:
    """The live associate an associate centre belongs to; problems go to `errors`."""
    if code is None or not code.strip():
        return None
    field = ("input", "associateCode")
    associate = await Organisation.get_or_none(code=code.strip().upper())
    if associate is None:
        errors.append(
            UserError(ErrorCode.NOT_FOUND, f"No organisation has the code {code!r}.", field)
        )
    elif associate.kind is not OrganisationKind.ASSOCIATE:
        errors.append(
            UserError(ErrorCode.NOT_AN_ASSOCIATE, f"{associate.name} is not an associate.", field)
        )
    elif associate.deleted_at is not None:
        errors.append(
            UserError(ErrorCode.ORGANISATION_DELETED, f"{associate.name} is deleted.", field)
        )
    return associate


def _check_details(**given: str) -> tuple[dict[str, str], list[UserError]]:
    """A centre's name (required) and location, with spaces tidied; every problem at once."""
    values: dict[str, str] = {}
    errors: list[UserError] = []
    for key, value in given.items():
        cleaned = " ".join(value.split())
        field = ("input", key)
        if key == "name" and not cleaned:
            errors.append(UserError(ErrorCode.NAME_REQUIRED, "The centre name is required.", field))
        elif len(cleaned) > _LIMITS[key]:
            errors.append(
                UserError(
                    ErrorCode.INVALID_INPUT,
                    f"{key.capitalize()} must be at most {_LIMITS[key]} characters.",
                    field,
                )
            )
        else:
            values[key] = cleaned
    return values, errors


def _code_taken(code: str) -> UserError:
    return UserError(
        ErrorCode.CENTRE_CODE_TAKEN,
        f"The centre number {code} is already in use.",
        ("input", "code"),
    )


def _snapshot(centre: Organisation) -> dict[str, Any]:
    return {
        "code": centre.code,
        "name": centre.name,
        "address": centre.address,
        "city": centre.city,
        "country": centre.country,
        "parentId": centre.parent_id,
        "deletedAt": centre.deleted_at.isoformat() if centre.deleted_at else None,
    }

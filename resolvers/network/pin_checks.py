"""The board's phone support checks a caller's PIN: the 6-digit number every account gets when
it opens (resolvers/people/accounts.py), which the board hands to the person with their account
(the centres upload's PIN file, addCentreUser). A caller who gives the account's email and the
right PIN is its owner, so support may then, say, send the activation email again.

Each check is audited; five wrong PINs for one account within an hour lock further checks of it
for the rest of that hour, so a PIN cannot be guessed by calling again and again.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from models.audit import AuditEvent
from models.users import User, UserStatus
from policies import Actor, Authorizer
from resolvers.core import audit, clock
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.identity.accounts import normalise_email

MAX_WRONG = 5
WINDOW = timedelta(hours=1)
_MISMATCH = "user.pin_mismatch"


@dataclass(frozen=True)
class PinCheck:
    matches: bool
    email: str
    status: UserStatus


async def check_pin(actor: Actor, *, email: str, pin: str) -> PinCheck:
    """Whether `pin` is the PIN of the account with this email."""
    Authorizer(actor).require("users", "verify_pin")
    user = await User.get_or_none(email=normalise_email(email))
    if user is None:
        raise DomainError.one(
            ErrorCode.NOT_FOUND, "No account has that email address.", "input", "email"
        )
    wrong = await AuditEvent.filter(
        action=_MISMATCH, target_id=str(user.id), at__gte=clock.now() - WINDOW
    ).count()
    if wrong >= MAX_WRONG:
        raise DomainError.one(
            ErrorCode.PIN_LOCKED,
            f"{MAX_WRONG} wrong PINs were given for {user.email} in the last hour: ask the "
            "caller to call again later.",
            "input",
            "pin",
        )
    matches = user.pin is not None and secrets.compare_digest(pin.strip(), user.pin)
    async with in_transaction():
        await audit.record(
            actor,
            "user.pin_matched" if matches else _MISMATCH,
            target_type="User",
            target_id=user.id,
            # Never the PIN itself: it is a credential.
            after={"matches": matches},
        )
    return PinCheck(matches=matches, email=user.email, status=user.status)

"""A username names one candidate across an institution: an associate and all its client
venues (its centres). Used again at the same venue it links to that candidate; used at another
venue of the institution it would link the account with another venue's candidate's tests, so
it is refused, without saying whose it is (that candidate is another venue's business).
Independent centres (no associate) answer for their own usernames only."""

from collections.abc import Sequence

from models.exams import Candidate
from models.organisations import Organisation
from models.usernames import username_key
from resolvers.core import uploads
from resolvers.core.errors import ErrorCode, UserError


async def held_at_other_venues(centre: Organisation, usernames: Sequence[str]) -> set[str]:
    """The username keys among `usernames` that candidates at the institution's other venues
    hold."""
    if centre.parent_id is None or not usernames:
        return set()
    keys = sorted({username_key(name) for name in usernames})
    return await uploads.taken(
        Candidate,
        "username_key",
        keys,
        centre__parent_id=centre.parent_id,
        centre_id__not=centre.id,
    )


def held_at_other_venue(username: str, *field: str) -> UserError:
    return UserError(
        ErrorCode.USERNAME_IN_USE_AT_VENUE,
        f"The username {username} belongs to a candidate at another venue of this "
        "institution. Usernames are unique across the institution and its client venues: "
        "give this candidate a username of their own.",
        field,
    )

"""Two lookups shared by every package that works on a series' candidates: a series by its code,
and the list search over candidates.

They sit in core, below the domain packages, because both exams and results_website need them
while exams also calls into results_website (entering a candidate gives results access when the
centre chose ALL); kept in exams, they would make the two packages import each other.
"""

from tortoise.expressions import Q

from models.exams import Candidate, Series
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.search import word_filters

# Besides the name (accents and case ignored), what a search of candidates looks in.
SEARCH_FIELDS = ("candidate_number", "uci", "username")


async def find_series(code: str, *field: str) -> Series:
    """The series with this code; no authorization (series are not secret)."""
    series = await Series.get_or_none(code=code.strip().upper())
    if series is None:
        raise DomainError.one(ErrorCode.SERIES_NOT_FOUND, f"There is no series {code!r}.", *field)
    return series


def candidate_search(
    search: str | None, *, via: str = "", fields: tuple[str, ...] = SEARCH_FIELDS
) -> list[Q]:
    """Filters for a search of candidates: each word must appear in the name or in one of
    `fields` (reached through `via`, e.g. "candidate__" from an entry)."""
    return word_filters(search, Candidate, via=via, fields=fields)

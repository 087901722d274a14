"""A centre's candidates: the list, and what the actor may see of their entries.

The list is authorized once, by the same rule as a series' entries (entries/read at the
centre), and scoped to that centre in the query. A candidate's entries and their results ask the
Authorizer again, which answers from the decisions it keeps for the request, never with a query
per row.
"""

from dataclasses import dataclass

from tortoise.expressions import Subquery

from models.exams import Candidate, Entry
from models.organisations import Organisation
from policies import Actor, Authorizer, Target
from resolvers.core.exam_lookups import candidate_search, find_series
from resolvers.core.organisation_access import require_organisation
from resolvers.core.pages import Page, check_page

# A page of candidates may be longer than other lists: exams officers print whole cohorts.
MAX_CANDIDATE_PAGE = 500

# What a list needs of a candidate; never the password hash.
CANDIDATE_FIELDS = (
    "id",
    "centre_id",
    "candidate_number",
    "uci",
    "first_name",
    "last_name",
    "username",
)


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """A candidate as a list shows it: plain values read as such, no model built per row."""

    id: int
    centre_id: int
    candidate_number: str
    uci: str | None
    first_name: str
    last_name: str
    username: str


async def candidates_by_ids(actor: Actor, candidate_ids: list[int]) -> dict[int, Candidate]:
    """Those of the candidates list_candidates would show at their centre (entries/read
    there), in one query for them and one for their centres."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    found = await Candidate.filter(id__in=candidate_ids).only(*CANDIDATE_FIELDS)
    centres = {
        centre.id: centre
        for centre in await Organisation.filter(id__in={c.centre_id for c in found})
    }
    return {
        candidate.id: candidate
        for candidate in found
        if authorizer.allows("entries", "read", Target.of(centres[candidate.centre_id]))
    }


def require_entries_read(actor: Actor, centre: Organisation) -> None:
    """Refuse unless the actor may read entries at the centre. The Authorizer keeps the decision
    for the request, so every row of a list asks without cost."""
    Authorizer(actor).require("entries", "read", Target.of(centre))


async def list_candidates(
    actor: Actor,
    *,
    centre_code: str,
    search: str | None = None,
    series_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Organisation, Page[CandidateRow]]:
    """The centre's candidates by candidate number, and the centre.

    The search words must each appear in the name, number, UCI or username; with a series, only
    candidates with an entry (entered or withdrawn) in it.
    """
    centre = await require_organisation(actor, centre_code, "entries", "read", "centreCode")
    series = await find_series(series_code, "filter", "seriesCode") if series_code else None
    check_page(limit, offset, maximum=MAX_CANDIDATE_PAGE)
    query = Candidate.filter(centre_id=centre.id)
    if series is not None:
        query = query.filter(
            id__in=Subquery(
                Entry.filter(series_id=series.id, candidate__centre_id=centre.id).values(
                    "candidate_id"
                )
            )
        )
    query = query.filter(*candidate_search(search))
    total = await query.count()
    rows = (
        await query.order_by("candidate_number", "id")
        .offset(offset)
        .limit(limit)
        .values(*CANDIDATE_FIELDS)
    )
    return centre, Page(items=[CandidateRow(**row) for row in rows], total=total, offset=offset)

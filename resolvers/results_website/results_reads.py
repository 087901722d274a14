"""Who looked: every read of candidates' results goes into the audit trail.

Results reach a response through several fields (a series' entries, a centre's candidates, a
payload's entry). Each place that hands out a result notes it here, on the request's
ResultsReads; at the end of the operation (schema/core/extensions/results_reads.py) one audit event
per centre says who saw which candidates' results. Nothing is written when no result was shown,
and results hidden before their release are never noted, since they are not shown.

A candidate reading their own results can call `note` too: the event is then
"results.read_own", with the candidate as its target.
"""

from dataclasses import dataclass, field

from policies import Actor
from resolvers.core import audit

READ = "results.read"
READ_OWN = "results.read_own"


@dataclass
class _Shown:
    candidate_ids: set[int] = field(default_factory=set)
    entry_ids: set[int] = field(default_factory=set)


class ResultsReads:
    """The results one request has shown so far, by centre. One instance per request."""

    def __init__(self) -> None:
        self._by_centre: dict[int, _Shown] = {}

    def note(self, *, centre_id: int, candidate_id: int, entry_id: int) -> None:
        """A result of this candidate's entry is in the response."""
        shown = self._by_centre.get(centre_id)
        if shown is None:
            shown = self._by_centre[centre_id] = _Shown()
        shown.candidate_ids.add(candidate_id)
        shown.entry_ids.add(entry_id)

    def __bool__(self) -> bool:
        return bool(self._by_centre)

    def drain(self) -> dict[int, _Shown]:
        """What was noted, forgetting it (so an operation's reads are written once)."""
        taken, self._by_centre = self._by_centre, {}
        return taken


async def record(actor: Actor, reads: ResultsReads) -> int:
    """Write one audit event per centre whose results were shown; return how many."""
    taken = reads.drain()
    for centre_id in sorted(taken):
        shown = taken[centre_id]
        own = actor.is_candidate
        await audit.record(
            actor,
            READ_OWN if own else READ,
            organisation_id=centre_id,
            target_type="Candidate" if own else None,
            target_id=actor.candidate_id if own else None,
            after={
                "candidateIds": sorted(shown.candidate_ids),
                "entryIds": sorted(shown.entry_ids),
            },
        )
    return len(taken)

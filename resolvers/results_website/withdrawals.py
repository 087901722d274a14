"""A candidate withdrawn from a series loses their results access for it at once.

Results access is for candidates entered in the series at the centre. When a withdrawal leaves a
candidate with no live entry in the series, their credential for it is revoked and their
sessions on the results website end, in the withdrawal's own transaction, so that no count, list,
letter or sign-in goes on treating them as having access. Entering them again gives access back
only as the centre's choice does for any candidate entered (ALL: the same username and password).
"""

from models.exams import Candidate, Entry, EntryStatus, Series
from models.results_access import ResultsCredential
from policies import Actor
from resolvers.core import audit
from resolvers.results_website.results_credentials import revoke


async def end_access_if_withdrawn(actor: Actor, candidate: Candidate, series: Series) -> int:
    """Call inside the transaction that withdraws the candidate's entry: revoke their credential
    for the series if they have no live entry left in it. Returns how many were revoked."""
    # The credential is locked before the entries are read: of two withdrawals of the
    # candidate's last two entries at the same moment, the second then sees the first's.
    credential = await ResultsCredential.select_for_update().get_or_none(
        candidate_id=candidate.id, series_id=series.id, revoked_at=None
    )
    if credential is None or await Entry.exists(
        candidate_id=candidate.id, series_id=series.id, status=EntryStatus.ENTERED
    ):
        return 0
    revoked = await revoke(candidate.centre_id, series.id, [candidate.id])
    await audit.record(
        actor,
        "results_credential.revoke",
        organisation_id=candidate.centre_id,
        target_type="ResultsCredential",
        target_id=credential.id,
        after={
            "username": credential.username,
            "candidateId": candidate.id,
            "candidateNumber": candidate.candidate_number,
            "series": series.code,
            "reason": "withdrawn",
        },
    )
    return revoked

"""Issuing and taking back the candidates' results credentials.

Each candidate with access holds a ResultsCredential per series: a readable username and a
generated password, stored only as a digest and sealed (resolvers/core/credential_secrets.py).
Taking access away revokes the credential and signs the candidate out; giving it back restores
the same username and password, so the letter the candidate already holds works again. Only an
explicit reissue gives a new password (and signs the candidate out).
"""

import secrets
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.exams import Candidate, Entry, EntryStatus, Series
from models.organisations import Organisation
from models.results_access import (
    AccessStatus,
    CandidateSession,
    ResultsAccess,
    ResultsCredential,
)
from resolvers.core import clock, credential_secrets

# The username's random part: four characters nobody misreads, in lower case.
USERNAME_ALPHABET = credential_secrets.ALPHABET.lower()
USERNAME_RANDOM_LENGTH = 4
BATCH = 500
# What giving access back changes on a revoked credential; a reissue also changes the password.
_RESTORED_FIELDS = ["revoked_at", "failed_attempts", "locked_until"]
_REISSUED_FIELDS = [*_RESTORED_FIELDS, "password_digest", "password_sealed", "created_at"]


def entered_candidates(series_id: int) -> Subquery:
    """The ids of the candidates entered (not withdrawn) in the series."""
    return Subquery(
        Entry.filter(series_id=series_id, status=EntryStatus.ENTERED).values("candidate_id")
    )


async def grant_new_candidates(centre_id: int, series_id: int) -> int:
    """When the centre gives ALL candidates access to the series, create the credentials of
    the candidates entered since (and of any whose access was revoked). Returns how many.

    Call it after entering candidates; it does nothing for NONE or SELECTED, or before the
    series' credentials time.
    """
    access = await ResultsAccess.get_or_none(centre_id=centre_id, series_id=series_id)
    if access is None or access.status is not AccessStatus.ALL:
        return 0
    series = await Series.get(id=series_id)
    if clock.now() < series.credentials_open_at:
        return 0
    centre = await Organisation.get(id=centre_id)
    candidate_ids = await Candidate.filter(
        centre_id=centre_id, id__in=entered_candidates(series_id)
    ).values_list("id", flat=True)
    return await grant(centre, series, list(candidate_ids))


def _random_part() -> str:
    return "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(USERNAME_RANDOM_LENGTH))


async def _new_usernames(prefixes: list[str]) -> list[str]:
    """Unique usernames such as aa101-0042-k7qm: readable, but not guessable from the candidate.

    One query per round; a clash (about one in a million per name) only costs another round.
    """
    chosen: list[str] = [""] * len(prefixes)
    pending = list(range(len(prefixes)))
    taken_in_batch: set[str] = set()
    while pending:
        proposals = {index: f"{prefixes[index]}-{_random_part()}" for index in pending}
        taken = set(
            await ResultsCredential.filter(username__in=list(set(proposals.values()))).values_list(
                "username", flat=True
            )
        )
        retry: list[int] = []
        for index, username in proposals.items():
            if username in taken or username in taken_in_batch:
                retry.append(index)
            else:
                chosen[index] = username
                taken_in_batch.add(username)
        pending = retry
    return chosen


async def _usernames_for(centre: Organisation, candidate_ids: list[int]) -> list[str]:
    if not candidate_ids:
        return []
    numbers = dict(
        await Candidate.filter(id__in=candidate_ids).values_list("id", "candidate_number")
    )
    prefix = centre.code.lower()
    return await _new_usernames([f"{prefix}-{numbers[i]}" for i in candidate_ids])


def _new_credential(
    candidate_id: int, series: Series, username: str, now: datetime
) -> ResultsCredential:
    password = credential_secrets.new_password()
    return ResultsCredential(
        candidate_id=candidate_id,
        series_id=series.id,
        username=username,
        password_digest=credential_secrets.digest(password),
        password_sealed=credential_secrets.seal(password),
        created_at=now,
    )


def _restore(credential: ResultsCredential) -> None:
    credential.revoked_at = None
    credential.failed_attempts = 0
    credential.locked_until = None


def _reissue(credential: ResultsCredential, now: datetime) -> None:
    # A reissue is a new password: the old paper must not open the results again.
    _restore(credential)
    password = credential_secrets.new_password()
    credential.password_digest = credential_secrets.digest(password)
    credential.password_sealed = credential_secrets.seal(password)
    credential.created_at = now


async def grant(
    centre: Organisation, series: Series, candidate_ids: list[int], *, reissue: bool = False
) -> int:
    """Credentials for these candidates: new ones, and revoked ones given back with their
    password. With `reissue`, every one of them that already has a credential gets a new
    password and is signed out. Returns how many credentials were created or changed."""
    if not candidate_ids:
        return 0
    existing = {
        c.candidate_id: c
        for c in await ResultsCredential.filter(series_id=series.id, candidate_id__in=candidate_ids)
    }
    missing = [i for i in candidate_ids if i not in existing]
    changed = [
        existing[i]
        for i in candidate_ids
        if i in existing and (reissue or existing[i].revoked_at is not None)
    ]
    if not missing and not changed:
        return 0
    usernames = await _usernames_for(centre, missing)
    now = clock.now()
    rows = [
        _new_credential(candidate_id, series, username, now)
        for candidate_id, username in zip(missing, usernames, strict=True)
    ]
    for credential in changed:
        if reissue:
            _reissue(credential, now)
        else:
            _restore(credential)
    async with in_transaction():
        if rows:
            await ResultsCredential.bulk_create(rows, batch_size=BATCH)
        if changed:
            fields = _REISSUED_FIELDS if reissue else _RESTORED_FIELDS
            await ResultsCredential.bulk_update(changed, fields=fields, batch_size=BATCH)
        if reissue and changed:
            # Sessions opened with the old password end with it.
            await CandidateSession.filter(
                credential_id__in=[c.id for c in changed], revoked_at=None
            ).update(revoked_at=now)
    return len(rows) + len(changed)


async def revoke(centre_id: int, series_id: int, candidate_ids: list[int] | None = None) -> int:
    """Take access away (all the centre's candidates in the series, or these), signing them out."""
    if candidate_ids is not None and not candidate_ids:
        return 0
    query = ResultsCredential.filter(
        series_id=series_id, candidate__centre_id=centre_id, revoked_at=None
    )
    if candidate_ids is not None:
        query = query.filter(candidate_id__in=candidate_ids)
    ids = list(await query.values_list("id", flat=True))
    if not ids:
        return 0
    now = clock.now()
    await ResultsCredential.filter(id__in=ids).update(revoked_at=now)
    await CandidateSession.filter(credential_id__in=ids, revoked_at=None).update(revoked_at=now)
    return len(ids)

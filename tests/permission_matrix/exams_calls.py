"""How the exams domain's operations in the permission matrix are called and checked: entering a
candidate at the target organisation, and withdrawing or loading the result of an entry written
straight into the database there (at the board or an associate too, since what is checked is
who may act where, and an entry answers to its candidate's organisation)."""

import uuid
from typing import Any

from strawberry import relay

from models.exams import Candidate, Entry, EntryStatus, Result, Series, Syllabus
from models.organisations import Organisation, OrganisationKind
from tests.permission_matrix.world import ERRORS, Call, Preparer, unique

SERIES = "2026-NOV"


async def _entry_at(code: str) -> Entry:
    """A candidate at `code` entered for one syllabus, made for one cell."""
    organisation = await Organisation.get(code=code)
    tag = uuid.uuid4().hex[:8].upper()
    number = 1000 + int(tag[:4], 16) % 9000
    while await Candidate.exists(centre=organisation, candidate_number=str(number)):
        number = 1000 + (number + 1) % 9000
    candidate = await Candidate.create(
        centre=organisation,
        candidate_number=str(number),
        first_name="Matrix",
        last_name="Entry",
        username=f"entry_{tag}",
        password_hash="not-used-here",
    )
    return await Entry.create(
        candidate=candidate,
        series=await Series.get(code=SERIES),
        syllabus=await Syllabus.get(code="0580"),
        entry_code=f"{tag[:4]}-{tag[4:]}",
    )


async def _enter_candidate(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    username = unique("entered").replace(".", "_")

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert await Entry.exists(
            candidate__username=username, candidate__centre__code=code, series__code=SERIES
        )

    return Call(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        f"{{ candidate {{ id }} {ERRORS} }} }}",
        {
            "input": {
                "centreCode": code,
                "seriesCode": SERIES,
                "syllabusCodes": ["0500"],
                "username": username,
                "firstName": "Enid",
                "lastName": "Entered",
                "password": "Permit2026",
            }
        },
        "enterCandidate",
        verify,
    )


async def _withdraw_entry(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    entry = await _entry_at(code)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert (await Entry.get(id=entry.id)).status is EntryStatus.WITHDRAWN

    return Call(
        "mutation($input: WithdrawEntryInput!) { withdrawEntry(input: $input) "
        f"{{ entry {{ status }} {ERRORS} }} }}",
        {"input": {"entryId": relay.to_base64("Entry", entry.id)}},
        "withdrawEntry",
        verify,
    )


async def _load_result(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    entry = await _entry_at(code)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert (await Result.get(entry_id=entry.id)).grade == "B"

    return Call(
        "mutation($input: LoadResultInput!) { loadResult(input: $input) "
        f"{{ result {{ grade }} {ERRORS} }} }}",
        {"input": {"entryId": relay.to_base64("Entry", entry.id), "grade": "B"}},
        "loadResult",
        verify,
    )


CALLS: dict[str, Preparer] = {
    "enterCandidate": _enter_candidate,
    "withdrawEntry": _withdraw_entry,
    "loadResult": _load_result,
}

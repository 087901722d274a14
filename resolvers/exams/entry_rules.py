"""The rules every entry follows, whether typed in one at a time (entries.py) or uploaded
(bulk_entries.py): entry codes, a new candidate's details, a username that links the entries to
an existing candidate, and entering a withdrawn entry again."""

import secrets
from collections.abc import Callable

from models.exams import Candidate, Entry, EntryStatus, Series, Syllabus
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.exams.candidates import check_candidate_number, check_candidate_password, check_uci
from resolvers.identity.accounts import check_name

# No 0/O, 1/I/L: nothing a candidate can misread when typing the code.
ENTRY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_entry_code() -> str:
    """Eight characters from the unambiguous alphabet, shown as XXXX-XXXX."""
    raw = "".join(secrets.choice(ENTRY_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


# Entry codes checked against the database per query (bulk uploads ask for thousands).
_CODE_CHECK_BATCH = 1_000


async def free_entry_codes(count: int) -> list[str]:
    """Codes no entry has yet. Collisions are rare (31^8 codes), so checking once suffices."""
    while True:
        codes = sorted({new_entry_code() for _ in range(count)})
        if len(codes) != count:
            continue
        for start in range(0, count, _CODE_CHECK_BATCH):
            if await Entry.exists(entry_code__in=codes[start : start + _CODE_CHECK_BATCH]):
                break
        else:
            return codes


def collect(errors: list[UserError], check: Callable[[], str]) -> str | None:
    """Run one check, keeping its errors with the others so that all are reported at once."""
    try:
        return check()
    except DomainError as error:
        errors.extend(error.errors)
        return None


def clean_syllabus_codes(codes: list[str]) -> list[str]:
    """The codes upper-cased, without repeats, in the order given."""
    wanted: list[str] = []
    for code in codes:
        cleaned = code.strip().upper()
        if cleaned not in wanted:
            wanted.append(cleaned)
    return wanted


def check_new_candidate(
    *,
    first_name: str,
    last_name: str,
    password: str | None,
    uci: str | None,
    at: Callable[[str], tuple[str, ...]],
) -> tuple[dict[str, str | None], list[UserError]]:
    """A new candidate's names, password and UCI (not the number), each error on `at(field)`."""
    errors: list[UserError] = []
    values: dict[str, str | None] = {}
    values["first_name"] = collect(
        errors, lambda: check_name(first_name, "First name", *at("firstName"))
    )
    values["last_name"] = collect(
        errors, lambda: check_name(last_name, "Last name", *at("lastName"))
    )
    if password is None:
        errors.append(
            UserError(
                ErrorCode.CANDIDATE_PASSWORD_INVALID,
                "A new candidate needs a password.",
                at("password"),
            )
        )
    else:
        collect(errors, lambda: check_candidate_password(password, *at("password")))
    values["uci"] = collect(errors, lambda: check_uci(uci, *at("uci"))) if uci else None
    return values, errors


def check_linked_number(
    existing: Candidate,
    username: str,
    candidate_number: str | None,
    at: Callable[[str], tuple[str, ...]],
) -> list[UserError]:
    """A number given with an existing username must be that candidate's own."""
    errors: list[UserError] = []
    if candidate_number is not None:
        number = collect(
            errors, lambda: check_candidate_number(candidate_number, *at("candidateNumber"))
        )
        if number is not None and number != existing.candidate_number:
            errors.append(
                UserError(
                    ErrorCode.CANDIDATE_NUMBER_TAKEN,
                    f"The username {username} belongs to candidate {existing.candidate_number}, "
                    f"not {number}.",
                    at("candidateNumber"),
                )
            )
    return errors


def check_reentries(
    existing: Candidate,
    series: Series,
    syllabuses: list[Syllabus],
    previous: list[Entry],
    at: Callable[[int], tuple[str, ...]],
) -> tuple[list[UserError], dict[int, Entry]]:
    """An existing candidate's earlier entries for these syllabuses: still entered is an error
    (on `at(index)`), withdrawn ones are brought back (returned by syllabus id)."""
    errors: list[UserError] = []
    reinstate: dict[int, Entry] = {}
    by_syllabus = {e.syllabus_id: e for e in previous}
    for index, syllabus in enumerate(syllabuses):
        entry = by_syllabus.get(syllabus.id)
        if entry is None:
            continue
        if entry.status is EntryStatus.ENTERED:
            errors.append(
                UserError(
                    ErrorCode.ALREADY_ENTERED,
                    f"{existing.full_name} is already entered for {syllabus.code} in "
                    f"{series.code}.",
                    at(index),
                )
            )
        else:
            # Entering a withdrawn entry again brings it back, entry code and all.
            reinstate[syllabus.id] = entry
    return errors, reinstate

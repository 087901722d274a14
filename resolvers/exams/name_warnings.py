"""Warnings, not errors, about a reused username: a centre that types the username of a
candidate it has already, with other names, may be linking a different person to that
candidate's tests. The entry is still made (the username is the centre's choice); the answer
says so, so the centre can check."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from models.exams import Candidate
from models.search import fold


class EntryWarningCode(StrEnum):
    NAME_DIFFERS = "NAME_DIFFERS"


@dataclass(frozen=True)
class EntryWarning:
    code: EntryWarningCode
    message: str
    field: tuple[str, ...] = ()


def names_differ(
    linked: Candidate,
    first_name: str | None,
    last_name: str | None,
    at: Callable[[str], tuple[str, ...]],
) -> list[EntryWarning]:
    """A NAME_DIFFERS warning, `at` the input field of the first name that differs, if a typed
    name is not the linked candidate's. Case and accents alone do not count ("jose garcia" is
    José García), and a name left blank says nothing."""
    differing = [
        name
        for name, typed, held in (
            ("firstName", first_name, linked.first_name),
            ("lastName", last_name, linked.last_name),
        )
        if fold(typed or "") and fold(typed or "") != fold(held)
    ]
    if not differing:
        return []
    typed_name = f"{first_name or ''} {last_name or ''}".strip()
    return [
        EntryWarning(
            EntryWarningCode.NAME_DIFFERS,
            f"The username {linked.username} belongs to candidate {linked.candidate_number} "
            f"{linked.full_name}, not {typed_name}: these entries go to that candidate, with "
            "any tests they took before. If this is a different person, give them a username "
            "of their own.",
            at(differing[0]),
        )
    ]

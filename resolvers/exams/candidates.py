"""The rules for a candidate's details: username, password, candidate number, UCI.

Username: 1 to 500 characters, each of them an ASCII letter or digit, one of @ _ - . or one of
the diacritic letters the seed lists; every other character is refused, and the message names
it. Text is compared in Unicode NFC, so an accented letter typed as a letter plus a combining
accent counts as the listed letter. Usernames are unique per centre, compared exactly.

Password: at least 8 characters, with at least one upper-case letter and one digit; nothing else.
Only its argon2id hash is kept.

UCI (Unique Candidate Identifier): up to 20 letters and digits, kept upper-case, and one
candidate's across the board: a new candidate may not take a UCI another candidate holds, at
any centre. Saying who holds it names the candidate's number to their own centre only.
"""

import string
import unicodedata

from models.exams import Candidate, CandidateNumberLock
from models.organisations import Organisation
from resolvers.core import clock
from resolvers.core.errors import DomainError, ErrorCode, UserError

USERNAME_MAX_LENGTH = 500
PASSWORD_MIN_LENGTH = 8
MAX_CANDIDATE_NUMBER = 9999

# Exactly the seed's "Supported diacritic characters" (its plain "a" is ASCII already).
SUPPORTED_DIACRITICS = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāĂăĄą"
)
# The seed's "Characters that are supported by default".
SUPPORTED_PUNCTUATION = frozenset("@_-.")
USERNAME_ALPHABET = (
    frozenset(string.ascii_letters + string.digits) | SUPPORTED_PUNCTUATION | SUPPORTED_DIACRITICS
)

# The seed's list of unsupported characters; anything else outside the alphabet is refused too.
LISTED_UNSUPPORTED = "!£\"#$%'()*+,/:;<=>?[\\]^`{|}~&"

_NAMES = {" ": "space", "\t": "tab", "\n": "line break", "\r": "carriage return"}


def _describe(character: str) -> str:
    """How a refused character is named in a message: itself if visible, else its name."""
    if character in _NAMES:
        return _NAMES[character]
    if not character.isprintable() or unicodedata.category(character).startswith("Z"):
        return f"U+{ord(character):04X}"
    return f'"{character}"'


def unsupported_characters(username: str) -> list[str]:
    """The distinct characters the username may not contain, in order of appearance."""
    seen: list[str] = []
    for character in unicodedata.normalize("NFC", username):
        if character not in USERNAME_ALPHABET and character not in seen:
            seen.append(character)
    return seen


def check_username(username: str, *field: str) -> str:
    """The username in NFC, or a USERNAME_INVALID error saying what is wrong."""
    value = unicodedata.normalize("NFC", username)
    problems: list[str] = []
    if not value:
        problems.append("The username is required (1 to 500 characters).")
    elif len(value) > USERNAME_MAX_LENGTH:
        problems.append(
            f"The username is {len(value)} characters long; at most {USERNAME_MAX_LENGTH} "
            "are allowed."
        )
    refused = unsupported_characters(value)
    if refused:
        named = ", ".join(_describe(c) for c in refused)
        noun = "this character" if len(refused) == 1 else "these characters"
        problems.append(
            f"The username cannot contain {noun}: {named}. Use letters, digits, @ _ - . and "
            "the supported accented letters."
        )
    if problems:
        raise DomainError([UserError(ErrorCode.USERNAME_INVALID, p, field) for p in problems])
    return value


def candidate_password_problems(password: str) -> list[str]:
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"be at least {PASSWORD_MIN_LENGTH} characters long")
    if not any(c.isupper() for c in password):
        problems.append("contain an upper-case letter")
    if not any(c in string.digits for c in password):
        problems.append("contain a digit")
    return problems


def check_candidate_password(password: str, *field: str) -> str:
    problems = candidate_password_problems(password)
    if problems:
        raise DomainError.one(
            ErrorCode.CANDIDATE_PASSWORD_INVALID,
            "The candidate's password must " + ", ".join(problems) + ".",
            *field,
        )
    return password


def check_candidate_number(value: str, *field: str) -> str:
    """A candidate number of 1 to 4 digits, returned zero-padded to four (42 -> 0042)."""
    cleaned = value.strip()
    if (
        not cleaned
        or len(cleaned) > 4
        or not all(c in string.digits for c in cleaned)
        or not 1 <= int(cleaned) <= MAX_CANDIDATE_NUMBER
    ):
        raise DomainError.one(
            ErrorCode.CANDIDATE_NUMBER_INVALID,
            "The candidate number is 1 to 4 digits, from 0001 to 9999.",
            *field,
        )
    return cleaned.zfill(4)


def clean_uci(value: str) -> str:
    """A UCI as it is kept and compared: upper-case, without surrounding spaces."""
    return value.strip().upper()


def check_uci(value: str, *field: str) -> str:
    """A Unique Candidate Identifier: letters and digits, kept upper-case."""
    cleaned = clean_uci(value)
    if not 1 <= len(cleaned) <= 20 or not cleaned.isascii() or not cleaned.isalnum():
        raise DomainError.one(
            ErrorCode.UCI_INVALID, "The UCI is up to 20 letters and digits.", *field
        )
    return cleaned


def uci_in_use(uci: str, holder: Candidate, centre: Organisation, *field: str) -> UserError:
    """The UCI_IN_USE error for entering a candidate at `centre` with the UCI `holder` has.

    Nothing about another centre's candidates reaches the centre entering one: a holder there
    is only "a candidate at another centre"."""
    if holder.centre_id == centre.id:
        who = f"candidate {holder.candidate_number} at {centre.code}"
    else:
        who = "a candidate at another centre"
    return UserError(ErrorCode.UCI_IN_USE, f"The UCI {uci} already belongs to {who}.", field)


async def check_uci_free(uci: str, centre: Organisation, *field: str) -> list[UserError]:
    """A checked UCI for a new candidate at `centre`: no error if no candidate holds it."""
    holder = await Candidate.get_or_none(uci=uci)
    return [] if holder is None else [uci_in_use(uci, holder, centre, *field)]


async def next_candidate_number(centre_id: int) -> str | None:
    """One more than the highest number in use at the centre; after 9999, the lowest gap."""
    # Zero-padded text sorts like the numbers, so the highest is one indexed lookup.
    top = (
        await Candidate.filter(centre_id=centre_id)
        .order_by("-candidate_number")
        .limit(1)
        .values_list("candidate_number", flat=True)
    )
    highest = int(str(top[0])) if top else 0
    if highest < MAX_CANDIDATE_NUMBER:
        return str(highest + 1).zfill(4)
    used = {
        int(n)
        for n in await Candidate.filter(centre_id=centre_id).values_list(
            "candidate_number", flat=True
        )
    }
    for number in range(1, MAX_CANDIDATE_NUMBER + 1):
        if number not in used:
            return str(number).zfill(4)
    return None


async def lock_candidate_numbers(centre_id: int) -> None:
    """Inside a transaction that picks candidate numbers at the centre, before it reads the
    numbers in use: write the centre's lock row (an upsert), so that such transactions at one
    centre take turns until each commits (PostgreSQL holds the row lock, SQLite its write
    lock). Each then reads the numbers committed before it, and none picks a number another is
    writing."""
    await CandidateNumberLock.bulk_create(
        [CandidateNumberLock(centre_id=centre_id, taken_at=clock.now())],
        on_conflict=["centre_id"],
        update_fields=["taken_at"],
    )


async def allocate_candidate_number(centre_id: int) -> str | None:
    """next_candidate_number, safe against entries at the same centre at the same moment: call
    it as the first statement of the transaction that creates the candidate."""
    await lock_candidate_numbers(centre_id)
    return await next_candidate_number(centre_id)

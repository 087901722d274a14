"""Password hashing (argon2id) and the password policy.

The policy, documented in the README: 10 to 128 characters, with at least one upper-case letter,
one lower-case letter and one digit (stricter than the seed's 8 characters, one upper case and
one digit); not a common password, even with digits or symbols added at either end or with
look-alike characters ("P4ssw0rd"); and not containing the person's name, email address or a
piece of it (four letters or more).
"""

import re
import secrets
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode, UserError

MIN_LENGTH = 10
MAX_LENGTH = 128
# The policy in words, for the pages and messages that show it.
PASSWORD_RULES = (
    f"be {MIN_LENGTH} to {MAX_LENGTH} characters long",
    "contain an upper-case letter, a lower-case letter and a digit",
    "not be a common password, even with digits, symbols or look-alike characters added",
    "not contain your name or email address",
)


@cache
def _hasher(fast: bool) -> tuple[PasswordHasher, str]:
    """The hasher for the configured cost, and a hash of a random password made with it."""
    if fast:
        hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    else:
        # argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane):
        # as strong against guessing as the library's 64 MiB default by OWASP's measure,
        # and about 18 ms instead of 110 ms here, which a 2,000-candidate upload needs.
        hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
    # Made with the hasher, not on the first unknown email: that request would otherwise
    # take two hashes' time and stand out from a wrong password's one.
    return hasher, hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    hasher, _ = _hasher(current().fast_password_hashing)
    return hasher.hash(password)


def hash_passwords(passwords: Sequence[str], fast: bool) -> list[str]:
    """Many hashes at once, in a process of the CPU pool (resolvers/core/cpu.py), where the
    configuration is not set: hence `fast` (fast_password_hashing) given."""
    hasher, _ = _hasher(fast)
    return [hasher.hash(password) for password in passwords]


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and say no."""
    hasher, dummy_hash = _hasher(current().fast_password_hashing)
    if password_hash is None:
        password_hash = dummy_hash
        password = password + "\0never"
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    text = (files("resolvers.identity") / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


_TRAILING = re.compile(r"[\d\W_]+$")
_LEADING = re.compile(r"^[\d\W_]+")
# Look-alike characters people put in a common word ("P4ssw0rd", "Sunsh1ne"); "1" is read both
# as "i" and as "l".
_LOOK_ALIKES = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_AS_I = str.maketrans({**_LOOK_ALIKES, "1": "i"})
_AS_L = str.maketrans({**_LOOK_ALIKES, "1": "l"})


def _common_forms(lowered: str) -> set[str]:
    """The password, the word inside its leading and trailing digits and symbols, and that
    word with look-alike characters read as letters."""
    core = _LEADING.sub("", _TRAILING.sub("", lowered))
    return {lowered, core, core.translate(_AS_I), core.translate(_AS_L)}


def password_problems(password: str, *, personal: tuple[str, ...] = ()) -> list[str]:
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"be at most {MAX_LENGTH} characters long")
    if not re.search(r"[A-Z]", password):
        problems.append("contain an upper-case letter")
    if not re.search(r"[a-z]", password):
        problems.append("contain a lower-case letter")
    if not re.search(r"\d", password):
        problems.append("contain a digit")
    lowered = password.lower()
    if _common_forms(lowered) & _common_passwords():
        problems.append("not be a common password")
    readable = {lowered, lowered.translate(_AS_I), lowered.translate(_AS_L)}
    for word in personal:
        word = word.lower()
        if len(word) >= 4 and any(word in form for form in readable):
            problems.append("not contain your name or email address")
            break
    return problems


def check_password_policy(password: str, *, field: str, personal: tuple[str, ...] = ()) -> None:
    problems = password_problems(password, personal=personal)
    if problems:
        raise DomainError(
            [
                UserError(
                    ErrorCode.PASSWORD_TOO_WEAK,
                    "The password must " + ", ".join(problems) + ".",
                    ("input", field),
                )
            ]
        )


def personal_words(email: str, first_name: str, last_name: str) -> tuple[str, ...]:
    """The words of a person a password must not contain: the email's local part, each piece
    of it ("anakin" and "skywalker" of anakin.skywalker@...), and the names."""
    local = email.split("@", 1)[0]
    pieces = tuple(p for p in re.split(r"[^0-9A-Za-z]+", local) if p)
    words = (local, *pieces, first_name, last_name, *first_name.split(), *last_name.split())
    return tuple(dict.fromkeys(words))


_ALPHABET_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_ALPHABET_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"


def temporary_password() -> str:
    """A random password that meets the policy and is easy to copy from an email."""
    alphabet = _ALPHABET_UPPER + _ALPHABET_LOWER + _DIGITS
    while True:
        groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4)]
        candidate = "-".join(groups)
        if not password_problems(candidate):
            return candidate

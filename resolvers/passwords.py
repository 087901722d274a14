"""Password hashing (argon2id) and the password policy.

The policy, documented in the README: 10 to 128 characters, with at least one upper-case letter,
one lower-case letter and one digit (stricter than the seed's 8 characters, one upper case and
one digit); not a common password, even with digits or symbols added at the end; and not built
from the person's own email address or name.
"""

import re
import secrets
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from resolvers.config import current
from resolvers.errors import DomainError, ErrorCode, UserError

MIN_LENGTH = 10
MAX_LENGTH = 128

_hasher: PasswordHasher | None = None
_dummy_hash: str | None = None


def _get_hasher() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        if current().fast_password_hashing:
            _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        else:
            _hasher = PasswordHasher()  # argon2id with the library's recommended parameters
    return _hasher


def reset_hasher() -> None:
    global _hasher, _dummy_hash
    _hasher = None
    _dummy_hash = None


def hash_password(password: str) -> str:
    return _get_hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and say no."""
    global _dummy_hash
    hasher = _get_hasher()
    if password_hash is None:
        if _dummy_hash is None:
            _dummy_hash = hasher.hash(secrets.token_urlsafe(16))
        password_hash = _dummy_hash
        password = password + "\0never"
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    text = (files("resolvers") / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


_TRAILING = re.compile(r"[\d\W_]+$")
_LEADING = re.compile(r"^[\d\W_]+")


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
    core = _LEADING.sub("", _TRAILING.sub("", lowered))
    common = _common_passwords()
    if lowered in common or core in common or core.replace("0", "o").replace("@", "a") in common:
        problems.append("not be a common password")
    for word in personal:
        word = word.lower()
        if len(word) >= 4 and word in lowered:
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
    return (email.split("@", 1)[0], first_name, last_name)


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

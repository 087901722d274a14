"""Random secrets that are handed out once and stored only as hashes."""

import hashlib
import hmac
import secrets

import pyotp

from resolvers.core.config import current


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Keyed, so a copy of the database alone cannot be matched against guessed tokens."""
    key = current().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def new_code_secret() -> str:
    return pyotp.random_base32()


def code_for(secret: str) -> str:
    """The six-digit code an email carries, derived from a one-time secret."""
    return pyotp.HOTP(secret).at(0)


def code_matches(secret: str, code: str) -> bool:
    return pyotp.HOTP(secret).verify(code.strip().replace(" ", ""), 0)

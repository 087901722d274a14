"""Generated results passwords: a digest to check sign-ins, a sealed copy to print again."""

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from resolvers.core.config import current
from resolvers.core.tokens import hash_token

# No 0/O, 1/I/L: candidates copy these from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 10  # 31^10, about 50 bits: random, so a keyed digest is enough to store it


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


def digest(password: str) -> str:
    return hash_token(password.strip().upper())


def matches(password: str, stored_digest: str) -> bool:
    return secrets.compare_digest(digest(password), stored_digest)


def sealer(purpose: str) -> Fernet:
    """Encryption under a key derived from the secret key, one key per purpose, for secrets
    that must be read back later (never for passwords people choose once they are hashed)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"examdesk {purpose}".encode()
    ).derive(current().secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


_CREDENTIALS = "results credentials"


def seal(password: str) -> str:
    return sealer(_CREDENTIALS).encrypt(password.encode()).decode()


def unseal(sealed: str) -> str:
    """The password again. Fails if the secret key changed since it was sealed."""
    try:
        return sealer(_CREDENTIALS).decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise ValueError("sealed with another secret key") from error

"""Candidates' test passwords, which their centre chooses: hashed to check a test start, and
sealed (under a key of their own purpose) so that the session's log-in sheet can print them
again. Never kept in the clear."""

from cryptography.fernet import InvalidToken

from resolvers.core.credential_secrets import sealer

# Not the results credentials' key: a leak of one purpose's key opens nothing of the other.
_PURPOSE = "candidate test passwords"


def seal(password: str) -> str:
    return sealer(_PURPOSE).encrypt(password.encode()).decode()


def unseal(sealed: str) -> str:
    """The password again. ValueError if the secret key changed since it was sealed."""
    try:
        return sealer(_PURPOSE).decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise ValueError("sealed with another secret key") from error

"""Process-wide settings the use cases need, set once by the app shell at start-up."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass
class ResolverConfig:
    public_url: str = "http://127.0.0.1:8000"
    session_ttl: timedelta = timedelta(hours=12)
    fast_password_hashing: bool = False
    # Keys the hashes of session tokens and emailed links: rotating it signs everyone out.
    secret_key: str = "examdesk-development-secret-do-not-use-in-production"


_current = ResolverConfig()


def configure(config: ResolverConfig) -> None:
    global _current
    _current = config


def current() -> ResolverConfig:
    return _current

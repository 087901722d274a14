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
    # Where the invitation's "Sign in to your account" link goes; None: this server's sign-in
    # page (examdesk/sign_in_pages.py).
    sign_in_url: str | None = None
    # How long a password someone else set works before the person must be sent a new one.
    temporary_password_lifetime: timedelta = timedelta(days=7)

    @property
    def sign_in_page(self) -> str:
        return self.sign_in_url or f"{self.public_url}/sign-in"


_current = ResolverConfig()


def configure(config: ResolverConfig) -> None:
    global _current
    _current = config


def current() -> ResolverConfig:
    return _current

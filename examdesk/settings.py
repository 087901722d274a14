"""Settings, read from the environment once at start-up."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite://examdesk.sqlite3"
_DEVELOPMENT_SECRET = "examdesk-development-secret-do-not-use-in-production"


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = _DEVELOPMENT_SECRET
    smtp_url: str | None = None
    mail_from: str = "examdesk <no-reply@examdesk.invalid>"
    public_url: str = "http://127.0.0.1:8000"
    mode: Mode = Mode.DEVELOPMENT
    session_ttl: timedelta = timedelta(hours=12)
    # Fast hashing parameters exist for the test suite only; production refuses them.
    fast_password_hashing: bool = False
    mail_poll_seconds: float = 1.0
    # How long undeliverable mail is retried before it is FAILED (kept, for a board admin to
    # resend): long enough to outlast an SMTP outage over a weekend.
    mail_give_up_after: timedelta = timedelta(days=3)
    cors_origins: tuple[str, ...] = ()
    # Multipart uploads (CSV files) may be this big; every other request body 1 MB.
    max_upload_bytes: int = 20_000_000
    # GraphiQL on GET /graphql from a browser; None: on in development, off in production.
    graphiql: bool | None = None
    # The invitation's sign-in link; None: this server's page at <public URL>/sign-in.
    sign_in_url: str | None = None
    temporary_password_lifetime: timedelta = timedelta(days=7)
    # Run only documents registered with `examdesk register-documents` (by hash or by text).
    trusted_documents_only: bool = False
    # Whether `examdesk serve` also runs the background work (jobs, mail): off (`serve
    # --no-worker`, EXAMDESK_NO_WORKER=1) when `examdesk worker` processes do it.
    run_worker: bool = True

    @property
    def production(self) -> bool:
        return self.mode is Mode.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        # GraphiQL sends documents of its own, which a trusted-documents-only server refuses.
        if self.trusted_documents_only:
            return False
        return not self.production if self.graphiql is None else self.graphiql

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        try:
            mode = Mode(env.get("EXAMDESK_MODE", Mode.DEVELOPMENT).lower())
        except ValueError as exc:
            raise SettingsError("EXAMDESK_MODE must be development or production") from exc
        secret = env.get("EXAMDESK_SECRET_KEY", "")
        if mode is Mode.PRODUCTION and len(secret) < 32:
            raise SettingsError("EXAMDESK_SECRET_KEY must be set to 32+ characters in production")
        smtp_url = env.get("EXAMDESK_SMTP_URL") or None
        if smtp_url and urlsplit(smtp_url).scheme not in {"smtp", "smtps", "smtp+starttls"}:
            raise SettingsError(
                "EXAMDESK_SMTP_URL must start with smtp://, smtps:// or smtp+starttls://"
            )
        try:
            ttl_hours = float(env.get("EXAMDESK_SESSION_HOURS", "12"))
        except ValueError as exc:
            raise SettingsError("EXAMDESK_SESSION_HOURS must be a number") from exc
        fast = env.get("EXAMDESK_FAST_PASSWORD_HASHING", "") == "1"
        try:
            max_upload_bytes = int(env.get("EXAMDESK_MAX_UPLOAD_BYTES", "20000000"))
        except ValueError as exc:
            raise SettingsError("EXAMDESK_MAX_UPLOAD_BYTES must be a number of bytes") from exc
        try:
            give_up_hours = float(env.get("EXAMDESK_MAIL_GIVE_UP_HOURS", "72"))
        except ValueError as exc:
            raise SettingsError("EXAMDESK_MAIL_GIVE_UP_HOURS must be a number") from exc
        if not give_up_hours >= 1:
            raise SettingsError("EXAMDESK_MAIL_GIVE_UP_HOURS must be at least 1")
        graphiql = env.get("EXAMDESK_GRAPHIQL", "")
        if graphiql not in {"", "0", "1"}:
            raise SettingsError("EXAMDESK_GRAPHIQL must be 1 (on) or 0 (off)")
        if fast and mode is Mode.PRODUCTION:
            raise SettingsError("EXAMDESK_FAST_PASSWORD_HASHING is for tests, not production")
        return cls(
            database_url=env.get("EXAMDESK_DATABASE_URL", DEFAULT_DATABASE_URL),
            secret_key=secret or _DEVELOPMENT_SECRET,
            smtp_url=smtp_url,
            mail_from=env.get("EXAMDESK_MAIL_FROM", cls.mail_from),
            public_url=env.get("EXAMDESK_PUBLIC_URL", cls.public_url).rstrip("/"),
            mode=mode,
            session_ttl=timedelta(hours=ttl_hours),
            fast_password_hashing=fast,
            cors_origins=tuple(
                o.strip() for o in env.get("EXAMDESK_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            max_upload_bytes=max_upload_bytes,
            mail_give_up_after=timedelta(hours=give_up_hours),
            graphiql=None if graphiql == "" else graphiql == "1",
            sign_in_url=_sign_in_url(env),
            temporary_password_lifetime=_temporary_password_lifetime(env),
            trusted_documents_only=_trusted_documents_only(env),
            run_worker=_run_worker(env),
        )


def _trusted_documents_only(env: Mapping[str, str]) -> bool:
    only = env.get("EXAMDESK_TRUSTED_DOCUMENTS_ONLY", "")
    if only not in {"", "0", "1"}:
        raise SettingsError("EXAMDESK_TRUSTED_DOCUMENTS_ONLY must be 1 (on) or 0 (off)")
    if only == "1" and env.get("EXAMDESK_GRAPHIQL") == "1":
        raise SettingsError(
            "EXAMDESK_GRAPHIQL=1 cannot work with EXAMDESK_TRUSTED_DOCUMENTS_ONLY=1: GraphiQL "
            "sends documents that are not registered"
        )
    return only == "1"


def _run_worker(env: Mapping[str, str]) -> bool:
    no_worker = env.get("EXAMDESK_NO_WORKER", "")
    if no_worker not in {"", "0", "1"}:
        raise SettingsError("EXAMDESK_NO_WORKER must be 1 (leave jobs and mail to workers) or 0")
    return no_worker != "1"


def _sign_in_url(env: Mapping[str, str]) -> str | None:
    url = env.get("EXAMDESK_SIGN_IN_URL", "").strip()
    if url and urlsplit(url).scheme not in {"http", "https"}:
        raise SettingsError("EXAMDESK_SIGN_IN_URL must start with http:// or https://")
    return url or None


def _temporary_password_lifetime(env: Mapping[str, str]) -> timedelta:
    try:
        days = float(env.get("EXAMDESK_TEMPORARY_PASSWORD_DAYS", "7"))
    except ValueError as exc:
        raise SettingsError("EXAMDESK_TEMPORARY_PASSWORD_DAYS must be a number") from exc
    if not days > 0:
        raise SettingsError("EXAMDESK_TEMPORARY_PASSWORD_DAYS must be more than 0")
    return timedelta(days=days)

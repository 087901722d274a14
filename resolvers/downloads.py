"""Files out by short-lived signed URL: /files/<token> serves one file, and audits it.

A token names a file (a job's JobFile or an uploaded StoredFile), the user it was minted for and
its expiry, signed with HMAC-SHA256 under a key derived from the secret key. It is minted only
after the permission check (`job_files` for a job's creator; `stored_file_link` by the code that
decided the actor may read the file), so a valid token is the permission; it lives a few
minutes, and the route checks again that its user is still active (and, for a job's file, that
they created the job). Every download is an audit event.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from models.files import StoredFile
from models.jobs import Job, JobFile, JobStatus
from models.users import User, UserStatus
from policies import Actor, RequestMeta
from resolvers import audit, clock
from resolvers.config import current

URL_TTL = timedelta(minutes=5)
_PURPOSE = b"examdesk file download v1"
# The columns a listing needs: never the bytes themselves.
_LISTED = ("id", "job_id", "name", "content_type", "size", "created_at")


class FileKind(StrEnum):
    JOB = "j"
    STORED = "s"


class LinkInvalid(Exception):
    """Forged, tampered, malformed, or naming a file or user that no longer exists."""


class LinkExpired(Exception):
    """Signed by us, but its time is over: ask for a new link."""


@dataclass(frozen=True)
class FileLink:
    file: JobFile | StoredFile
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class Download:
    file: JobFile | StoredFile
    job: Job | None


def _key() -> bytes:
    return hmac.new(current().secret_key.encode(), _PURPOSE, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(
    file_id: int, user_id: int, expires_at: datetime, kind: FileKind = FileKind.JOB
) -> str:
    """`<payload>.<mac>`, both base64url: payload is `kind:file_id:user_id:expiry` (unix
    seconds)."""
    payload = f"{kind.value}:{file_id}:{user_id}:{int(expires_at.timestamp())}".encode("ascii")
    mac = hmac.new(_key(), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(mac)}"


def verify(token: str) -> tuple[FileKind, int, int]:
    """The (kind, file id, user id) a token names; LinkInvalid or LinkExpired otherwise."""
    try:
        encoded_payload, encoded_mac = token.split(".")
        payload, mac = _unb64(encoded_payload), _unb64(encoded_mac)
    except (ValueError, binascii.Error):
        raise LinkInvalid() from None
    expected = hmac.new(_key(), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise LinkInvalid()
    try:
        kind_text, *numbers = payload.decode("ascii").split(":")
        kind = FileKind(kind_text)
        file_id, user_id, expiry = (int(part) for part in numbers)
    except (ValueError, UnicodeDecodeError):
        raise LinkInvalid() from None
    if clock.now() >= datetime.fromtimestamp(expiry, UTC):
        raise LinkExpired()
    return kind, file_id, user_id


def _link(file: JobFile | StoredFile, user_id: int, kind: FileKind = FileKind.JOB) -> FileLink:
    # Whole seconds, so that urlExpiresAt is exactly the expiry the token carries.
    expires_at = (clock.now() + URL_TTL).replace(microsecond=0)
    token = sign(file.id, user_id, expires_at, kind)
    return FileLink(file, f"{current().public_url.rstrip('/')}/files/{token}", expires_at)


def may_download(actor: Actor, job: Job) -> bool:
    """Only the job's creator gets its files.

    The board may follow any job (resolvers.jobs.get_job) to help with progress and errors, but
    a job's files can hold secrets meant for one centre (candidates' passwords), so links are
    minted for the person who asked for the work alone.
    """
    return actor.user_id is not None and not actor.is_candidate and (
        job.created_by_id == actor.user_id
    )


async def job_files(actor: Actor, job: Job) -> list[FileLink]:
    """The files of a SUCCEEDED job, each with a fresh link minted for this actor.

    Empty while the job is queued, running or failed, and for anyone but its creator.
    """
    if job.status is not JobStatus.SUCCEEDED or not may_download(actor, job):
        return []
    assert actor.user_id is not None
    files = await JobFile.filter(job_id=job.id).order_by("id").only(*_LISTED)
    return [_link(file, actor.user_id) for file in files]


async def shared_file_link(
    actor: Actor, *, owner_type: str, version: int, make: Callable[[], tuple[str, str, bytes]]
) -> FileLink:
    """A link to a file everyone gets the same copy of (a template, a sample), stored on first
    use as (name, content type, bytes) from `make`; call it after the permission check.

    Bump `version` when the file changes. Two first requests at once store two identical
    rows; the first is used.
    """
    stored = await StoredFile.filter(owner_type=owner_type, owner_id=version).order_by("id").first()
    if stored is None:
        name, content_type, content = make()
        stored = await StoredFile.create(
            owner_type=owner_type, owner_id=version, organisation_id=None, name=name,
            content_type=content_type, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), content=content, created_at=clock.now(),
        )
    return stored_file_link(actor, stored)


def stored_file_link(actor: Actor, file: StoredFile) -> FileLink:
    """A link to an uploaded file, for an actor the caller has already allowed to read it."""
    if actor.user_id is None:
        raise LinkInvalid()
    return _link(file, actor.user_id, FileKind.STORED)


async def open_download(token: str, request: RequestMeta) -> Download:
    """The file a valid token names, after recording its download in the audit trail."""
    kind, file_id, user_id = verify(token)
    user = await User.get_or_none(id=user_id)
    if user is None or user.status is not UserStatus.ACTIVE:
        raise LinkInvalid()
    actor = Actor(request=request, user_id=user.id, email=user.email)
    if kind is FileKind.STORED:
        return await _open_stored(actor, file_id)
    file = await JobFile.get_or_none(id=file_id)
    if file is None:
        raise LinkInvalid()
    job = await Job.get(id=file.job_id)
    if job.created_by_id != user.id:
        raise LinkInvalid()
    result = job.result if isinstance(job.result, dict) else {}
    await audit.record(
        actor, "job_file.download", organisation_id=job.organisation_id,
        target_type="JobFile", target_id=file.id,
        after={
            "jobId": job.id, "jobKind": job.kind, "fileName": file.name, "size": file.size,
            "candidateIds": result.get("candidateIds"), "at": clock.now().isoformat(),
        },
    )
    return Download(file=file, job=job)


async def _open_stored(actor: Actor, file_id: int) -> Download:
    file = await StoredFile.get_or_none(id=file_id)
    if file is None:
        raise LinkInvalid()
    await audit.record(
        actor, "stored_file.download", organisation_id=file.organisation_id,
        target_type="StoredFile", target_id=file.id,
        after={
            "ownerType": file.owner_type, "ownerId": file.owner_id, "fileName": file.name,
            "size": file.size, "at": clock.now().isoformat(),
        },
    )
    return Download(file=file, job=None)


__all__ = [
    "URL_TTL", "Download", "FileKind", "FileLink", "LinkExpired", "LinkInvalid", "job_files",
    "may_download", "open_download", "shared_file_link", "sign", "stored_file_link", "verify",
]

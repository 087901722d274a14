"""Files out by short-lived signed URL: /files/<token> serves one file, and audits it.

A token names a file (a job's JobFile or an uploaded StoredFile), the user it was minted for,
the right it was minted under (an action on an object at an organisation, policies.Right) and
its expiry, signed with HMAC-SHA256 under a key derived from the secret key. It is minted only
after the permission check, by the code that made it, with the right that check used. A token
outlives the request that minted it, and people lose roles and leave centres: so the route
asks the Authorizer again, with the user's memberships as they are at that moment, whether
they still hold that right (and, for a job's file, that they created the job and the right is
the one the job needs). A link lives a few minutes; every download is an audit event.
"""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from models.files import StoredFile
from models.jobs import Job, JobFile, JobStatus
from policies import Actor, Authorizer, RequestMeta, Right
from resolvers.core import audit, clock, jobs, rights
from resolvers.core.config import current

URL_TTL = timedelta(minutes=5)
# v2: the payload carries the right; links minted before it are refused.
_PURPOSE = b"examdesk file download v2"
# The columns a listing needs: never the bytes themselves.
_LISTED = ("id", "job_id", "name", "content_type", "size", "created_at")
# What deciding who may fetch a job's files needs of the job: never its payload or result.
_ENTITLING = ("id", "kind", "organisation_id", "created_by_id")


class FileKind(StrEnum):
    JOB = "j"
    STORED = "s"


class LinkInvalid(Exception):
    """Forged, tampered, malformed, or naming a file or user that no longer exists."""


class LinkExpired(Exception):
    """Signed by us, but its time is over: ask for a new link."""


class LinkRevoked(Exception):
    """Signed by us and in time, but its holder no longer has the right it was minted under."""


@dataclass(frozen=True)
class Claim:
    """What a valid token says: this file, for this user, under this right."""

    kind: FileKind
    file_id: int
    user_id: int
    right: Right


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
    file_id: int,
    user_id: int,
    right: Right,
    expires_at: datetime,
    kind: FileKind = FileKind.JOB,
) -> str:
    """`<payload>.<mac>`, both base64url: payload is compact JSON of the kind, file id, user id,
    right (object, action, organisation id) and expiry (unix seconds)."""
    fields = {
        "k": kind.value,
        "f": file_id,
        "u": user_id,
        "r": [right.obj, right.act, right.organisation_id],
        "e": int(expires_at.timestamp()),
    }
    payload = json.dumps(fields, separators=(",", ":")).encode("ascii")
    mac = hmac.new(_key(), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(mac)}"


def verify(token: str) -> Claim:
    """What a token names; LinkInvalid or LinkExpired otherwise."""
    try:
        encoded_payload, encoded_mac = token.split(".")
        payload, mac = _unb64(encoded_payload), _unb64(encoded_mac)
    except (ValueError, binascii.Error):
        raise LinkInvalid() from None
    expected = hmac.new(_key(), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise LinkInvalid()
    try:
        fields = json.loads(payload)
        obj, act, organisation_id = fields["r"]
        claim = Claim(
            kind=FileKind(fields["k"]),
            file_id=int(fields["f"]),
            user_id=int(fields["u"]),
            right=Right(
                str(obj), str(act), None if organisation_id is None else int(organisation_id)
            ),
        )
        expiry = int(fields["e"])
    except (ValueError, TypeError, KeyError):
        raise LinkInvalid() from None
    if clock.now() >= datetime.fromtimestamp(expiry, UTC):
        raise LinkExpired()
    return claim


def _link(
    file: JobFile | StoredFile, user_id: int, right: Right, kind: FileKind = FileKind.JOB
) -> FileLink:
    # Whole seconds, so that urlExpiresAt is exactly the expiry the token carries.
    expires_at = (clock.now() + URL_TTL).replace(microsecond=0)
    token = sign(file.id, user_id, right, expires_at, kind)
    return FileLink(file, f"{current().public_url.rstrip('/')}/files/{token}", expires_at)


async def job_files(actor: Actor, job: Job) -> list[FileLink]:
    """The files of a SUCCEEDED job, each with a fresh link minted for this actor.

    Empty while the job is queued, running or failed, and for anyone but its creator while
    they hold the right the job needs. The board may follow any job (resolvers.core.jobs.get_job)
    to help with progress and errors, but a job's files can hold secrets meant for one centre
    (candidates' passwords), so links are minted for the person who asked for the work alone.
    """
    right = jobs.right_of(job)
    if (
        job.status is not JobStatus.SUCCEEDED
        or right is None
        or not await jobs.creator_entitled(actor, job)
    ):
        return []
    assert actor.user_id is not None
    files = await JobFile.filter(job_id=job.id).order_by("id").only(*_LISTED)
    return [_link(file, actor.user_id, right) for file in files]


async def job_files_by_ids(actor: Actor, file_ids: list[int]) -> dict[int, FileLink]:
    """Those of the files job_files shows the actor (a SUCCEEDED job's, to its creator while
    they hold the right it needs), each with a fresh link; three queries at most."""
    Authorizer(actor).require_signed_in()
    if actor.user_id is None:
        return {}
    files = await JobFile.filter(
        id__in=file_ids, job__created_by_id=actor.user_id, job__status=JobStatus.SUCCEEDED
    ).only(*_LISTED)
    if not files:
        return {}
    owners = await Job.filter(id__in={file.job_id for file in files}).only(*_ENTITLING)
    entitled = {job.id: jobs.right_of(job) for job in await jobs.entitled_jobs(actor, owners)}
    return {
        file.id: _link(file, actor.user_id, right)
        for file in files
        if (right := entitled.get(file.job_id)) is not None
    }


async def shared_file_link(
    actor: Actor,
    right: Right,
    *,
    owner_type: str,
    version: int,
    make: Callable[[], tuple[str, str, bytes]],
) -> FileLink:
    """A link to a file everyone gets the same copy of (a template, a sample), stored on first
    use as (name, content type, bytes) from `make`; call it after the permission check, with
    the right that check found.

    Bump `version` when the file changes. Two first requests at once store two identical
    rows; the first is used.
    """
    stored = await StoredFile.filter(owner_type=owner_type, owner_id=version).order_by("id").first()
    if stored is None:
        name, content_type, content = make()
        stored = await StoredFile.create(
            owner_type=owner_type,
            owner_id=version,
            organisation_id=None,
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            created_at=clock.now(),
        )
    return stored_file_link(actor, stored, right)


def stored_file_link(actor: Actor, file: StoredFile, right: Right) -> FileLink:
    """A link to an uploaded file, for an actor the caller has already allowed to read it
    because they hold `right`; the link works while they still do."""
    if actor.user_id is None:
        raise LinkInvalid()
    return _link(file, actor.user_id, right, FileKind.STORED)


async def open_download(token: str, request: RequestMeta) -> Download:
    """The file a valid token names, if its holder still holds the right it was minted under,
    after recording its download in the audit trail."""
    claim = verify(token)
    actor = await rights.holder(claim.user_id, request)
    if actor is None:
        raise LinkInvalid()
    if claim.kind is FileKind.STORED:
        file = await StoredFile.get_or_none(id=claim.file_id)
        if file is None:
            raise LinkInvalid()
        await _require(actor, claim.right)
        return await _open_stored(actor, file)
    job_file = await JobFile.get_or_none(id=claim.file_id)
    if job_file is None:
        raise LinkInvalid()
    job = await Job.get(id=job_file.job_id)
    if job.created_by_id != actor.user_id or jobs.right_of(job) != claim.right:
        raise LinkInvalid()
    await _require(actor, claim.right)
    result = job.result if isinstance(job.result, dict) else {}
    await audit.record(
        actor,
        "job_file.download",
        organisation_id=job.organisation_id,
        target_type="JobFile",
        target_id=job_file.id,
        after={
            "jobId": job.id,
            "jobKind": job.kind,
            "fileName": job_file.name,
            "size": job_file.size,
            "candidateIds": result.get("candidateIds"),
            "at": clock.now().isoformat(),
        },
    )
    return Download(file=job_file, job=job)


async def _require(actor: Actor, right: Right) -> None:
    if not await rights.holds(actor, right):
        raise LinkRevoked()


async def _open_stored(actor: Actor, file: StoredFile) -> Download:
    await audit.record(
        actor,
        "stored_file.download",
        organisation_id=file.organisation_id,
        target_type="StoredFile",
        target_id=file.id,
        after={
            "ownerType": file.owner_type,
            "ownerId": file.owner_id,
            "fileName": file.name,
            "size": file.size,
            "at": clock.now().isoformat(),
        },
    )
    return Download(file=file, job=None)

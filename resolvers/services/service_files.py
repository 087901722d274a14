"""Files uploaded to the centre services (Submit for Assessment, Access Arrangements).

The type comes from the name's extension and must match the file's first bytes: the client's
Content-Type is not trusted, so a renamed executable is not stored as a PDF. Files are kept in
the database (StoredFile), so each one has a size cap well under the upload cap.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from models.files import StoredFile
from resolvers.core import clock
from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.core.errors import DomainError, ErrorCode, UserError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# The columns a listing needs: never the bytes themselves.
LISTED = ("id", "owner_type", "owner_id", "organisation_id", "name", "content_type", "size")


def _zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


def _mp3(data: bytes) -> bool:
    return data.startswith(b"ID3") or data[:2] in {b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"}


def _iso_media(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


def _text(data: bytes) -> bool:
    """UTF-8 text (a byte-order mark allowed) without NUL bytes, which text never holds."""
    try:
        return "\x00" not in data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False


@dataclass(frozen=True)
class FileType:
    content_type: str
    looks_right: Callable[[bytes], bool]


_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _pdf),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _zip
    ),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _zip
    ),
    "jpg": FileType("image/jpeg", _jpeg),
    "jpeg": FileType("image/jpeg", _jpeg),
    "png": FileType("image/png", _png),
    "mp3": FileType("audio/mpeg", _mp3),
    "m4a": FileType("audio/mp4", _iso_media),
    "mp4": FileType("video/mp4", _iso_media),
    "txt": FileType("text/plain; charset=utf-8", _text),
}
# Candidates' work may be written, drawn, spoken or filmed.
SUBMISSION_TYPES = frozenset(_TYPES.keys() - {"txt"})
# Evidence for an application: reports and letters, scanned or not.
EVIDENCE_TYPES = frozenset({"pdf", "docx", "jpg", "jpeg", "png"})
# Help documents: guides, forms, screenshots and notes.
HELP_DOCUMENT_TYPES = frozenset({"pdf", "docx", "xlsx", "png", "txt"})


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


async def check_files(
    uploads: Sequence[Any], allowed: frozenset[str], *field: str, max_files: int = MAX_FILES
) -> list[CheckedFile]:
    """Every upload read and checked; all problems reported at once, each on its file."""
    if len(uploads) > max_files:
        raise DomainError.one(
            ErrorCode.TOO_MANY_FILES, f"Send at most {max_files} files at a time.", *field
        )
    checked: list[CheckedFile] = []
    errors: list[UserError] = []
    for index, upload in enumerate(uploads):
        path = (*field, str(index)) if max_files > 1 else field
        content = await upload_bytes(upload)
        name = (upload_name(upload) or f"file-{index + 1}").replace("/", "_").replace("\\", "_")
        problem = _problem(name, content, allowed)
        if problem is not None:
            errors.append(UserError(problem[0], problem[1], path))
            continue
        extension = name.rsplit(".", 1)[-1].lower()
        checked.append(CheckedFile(name, _TYPES[extension].content_type, content))
    if errors:
        raise DomainError(errors)
    return checked


def _problem(name: str, content: bytes, allowed: frozenset[str]) -> tuple[ErrorCode, str] | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kinds = ", ".join(sorted(allowed))
    if extension not in allowed:
        return ErrorCode.FILE_TYPE_NOT_ALLOWED, f"{name}: send one of these types: {kinds}."
    if not content:
        return ErrorCode.FILE_EMPTY, f"{name} is empty."
    if len(content) > MAX_FILE_BYTES:
        return (
            ErrorCode.FILE_TOO_LARGE,
            f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.",
        )
    if not _TYPES[extension].looks_right(content):
        return (
            ErrorCode.FILE_TYPE_NOT_ALLOWED,
            f"{name} is not a .{extension} file: its content is of another type.",
        )
    return None


async def store_files(
    files: Sequence[CheckedFile],
    *,
    owner_type: str,
    owner_id: int,
    organisation_id: int | None,
    uploaded_by_id: int | None,
) -> list[StoredFile]:
    """Write the files for their owner; call inside the owner's transaction."""
    now = clock.now()
    return [
        await StoredFile.create(
            owner_type=owner_type,
            owner_id=owner_id,
            organisation_id=organisation_id,
            name=file.name[:255],
            content_type=file.content_type,
            size=len(file.content),
            sha256=hashlib.sha256(file.content).hexdigest(),
            content=file.content,
            uploaded_by_id=uploaded_by_id,
            created_at=now,
        )
        for file in files
    ]


async def files_of(owner_type: str, owner_ids: Sequence[int]) -> dict[int, list[StoredFile]]:
    """The files of many owners in one query, without their bytes, in upload order."""
    grouped: dict[int, list[StoredFile]] = {owner_id: [] for owner_id in owner_ids}
    if not owner_ids:
        return grouped
    rows = (
        await StoredFile.filter(owner_type=owner_type, owner_id__in=list(owner_ids))
        .order_by("id")
        .only(*LISTED)
    )
    for row in rows:
        grouped[row.owner_id].append(row)
    return grouped


def file_names(files: Sequence[StoredFile]) -> str:
    return ", ".join(file.name for file in files)


async def rekeyed(owner_type: str, owner_id: int) -> StoredFile | None:
    """The owner's file stored again under a new row, the old row deleted: every link to the
    old row (resolvers/core/downloads.py names the row) stops working; call inside the
    change's transaction."""
    old = await StoredFile.filter(owner_type=owner_type, owner_id=owner_id).first()
    if old is None:
        return None
    content = bytes(old.content)
    copy = await StoredFile.create(
        owner_type=owner_type,
        owner_id=owner_id,
        organisation_id=old.organisation_id,
        name=old.name,
        content_type=old.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=old.uploaded_by_id,
        created_at=old.created_at,
    )
    await StoredFile.filter(id=old.id).delete()
    return copy

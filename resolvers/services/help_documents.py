"""Help documents (the board admin site's "Help Document Upload"): the board uploads, edits and
deletes guides for the people who use examdesk; each is for everyone signed in, or for the
holders of some roles.

Who reads which is two rules. The policy says who reads help documents at all (`help_documents,
read`: every member of an organisation, where they are a member; the board, which manages them,
reads every one). The audience is this module's rule: a member reads the documents for everyone
and those for a role they hold at an organisation where they may read, as the policy counts
holding (the exams officer holds every centre role: policies.held_roles). A list is one query
whatever the documents, its roles and files one more each.

A download link is minted for the organisation whose roles let the person read the document,
and asked again when used (resolvers/core/downloads.py): it stops working when they leave it.
Replacing the file or changing the audience stores the file under a new row, so links handed
out before stop working (404) and nobody keeps a link to a document no longer meant for them.
Every download is audited as any stored file's (`stored_file.download`).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.files import StoredFile
from models.help_documents import HELP_DOCUMENT_FILE_OWNER, HelpDocument, HelpDocumentRole
from policies import Actor, Authorizer, Forbidden, Reason, Right, Role, Target, held_roles
from policies.viewer_can import MANAGE_HELP_DOCUMENTS
from resolvers.core import audit, clock
from resolvers.core.downloads import FileLink, stored_file_link
from resolvers.core.errors import DomainError, ErrorCode, UserError
from resolvers.core.pages import Page, check_page
from resolvers.services.service_files import (
    HELP_DOCUMENT_TYPES,
    CheckedFile,
    check_files,
    rekeyed,
    store_files,
)

OWNER_TYPE = HELP_DOCUMENT_FILE_OWNER
MAX_TITLE = 200
_FILE_COLUMNS = ("id", "owner_id", "name", "content_type", "size", "sha256")
_ROLE_ORDER = list(Role)


@dataclass(frozen=True, slots=True)
class HelpDocumentRow:
    id: int
    title: str
    for_everyone: bool
    roles: tuple[Role, ...]
    created_at: datetime
    updated_at: datetime | None
    file: StoredFile | None
    link: FileLink | None = None


@dataclass(frozen=True)
class Reader:
    """What a person may read: every document (the board), or those for everyone and for the
    roles they hold at each organisation where they may read help documents."""

    everything: bool
    roles_at: dict[int, frozenset[str]]

    def right_for(self, row: HelpDocumentRow) -> Right | None:
        """The right a link to the document is minted under; None if it is not theirs."""
        if self.everything:
            return Right("help_documents", "manage", None)
        for organisation_id, roles in sorted(self.roles_at.items()):
            if row.for_everyone or roles & set(row.roles):
                return Right("help_documents", "read", organisation_id)
        return None


def reader(actor: Actor) -> Reader:
    """The actor as a reader of help documents; FORBIDDEN for someone who is no member."""
    authorizer = Authorizer(actor)
    authorizer.require_signed_in()
    if authorizer.allows("help_documents", "manage"):
        return Reader(everything=True, roles_at={})
    roles_at = {
        p.organisation_id: held_roles(p.roles)
        for p in actor.placements
        if authorizer.allows(
            "help_documents",
            "read",
            Target(id=p.organisation_id, kind=p.kind, parent_id=p.parent_id, deleted=p.deleted),
        )
    }
    if not roles_at:
        raise Forbidden(reason=Reason.NO_ROLE_HERE)
    return Reader(everything=False, roles_at=roles_at)


async def list_help_documents(
    actor: Actor, *, limit: int = 50, offset: int = 0, with_links: bool = False
) -> Page[HelpDocumentRow]:
    """The help documents meant for the actor (the board: all), by title."""
    who = reader(actor)
    check_page(limit, offset)
    query = HelpDocument.all()
    if not who.everything:
        held = sorted(set().union(*who.roles_at.values()))
        for_roles = HelpDocumentRole.filter(role__in=held).values("document_id")
        query = query.filter(Q(for_everyone=True) | Q(id__in=Subquery(for_roles)))
    total = await query.count()
    documents = await query.order_by("title", "id").offset(offset).limit(limit)
    rows = await _rows(documents)
    if with_links:
        rows = [_linked(actor, who, row) for row in rows]
    return Page(items=rows, total=total, offset=offset)


async def help_documents_by_ids(
    actor: Actor, document_ids: list[int]
) -> dict[int, HelpDocumentRow]:
    """The help documents list_help_documents shows the actor (the board: all), with their
    links as it mints them; one query for them, one for their roles and one for their files."""
    Authorizer(actor).require_signed_in()
    try:
        who = reader(actor)
    except Forbidden:
        return {}
    query = HelpDocument.filter(id__in=document_ids)
    if not who.everything:
        held = sorted(set().union(*who.roles_at.values()))
        for_roles = HelpDocumentRole.filter(role__in=held).values("document_id")
        query = query.filter(Q(for_everyone=True) | Q(id__in=Subquery(for_roles)))
    rows = await _rows(list(await query))
    return {row.id: _linked(actor, who, row) for row in rows}


def _linked(actor: Actor, who: Reader, row: HelpDocumentRow) -> HelpDocumentRow:
    right = who.right_for(row)
    if row.file is None or right is None:
        return row
    return replace(row, link=stored_file_link(actor, row.file, right))


async def _rows(documents: list[HelpDocument]) -> list[HelpDocumentRow]:
    ids = [d.id for d in documents]
    roles: dict[int, list[Role]] = {i: [] for i in ids}
    files: dict[int, StoredFile] = {}
    if ids:
        for link in await HelpDocumentRole.filter(document_id__in=ids).values(
            "document_id", "role"
        ):
            roles[link["document_id"]].append(Role(link["role"]))
        stored = await StoredFile.filter(owner_type=OWNER_TYPE, owner_id__in=ids).only(
            *_FILE_COLUMNS
        )
        files = {f.owner_id: f for f in stored}
    return [
        HelpDocumentRow(
            id=d.id,
            title=d.title,
            for_everyone=d.for_everyone,
            roles=tuple(sorted(roles[d.id], key=_ROLE_ORDER.index)),
            created_at=d.created_at,
            updated_at=d.updated_at,
            file=files.get(d.id),
        )
        for d in documents
    ]


def _checked_details(
    title: str, for_everyone: bool, roles: list[Role]
) -> tuple[str, tuple[Role, ...]]:
    """The tidied title and the audience's roles in catalogue order, or every problem."""
    title = " ".join(title.split())
    audience = tuple(sorted(set(roles), key=_ROLE_ORDER.index))
    errors: list[UserError] = []
    if not title or len(title) > MAX_TITLE:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                f"The title is required, at most {MAX_TITLE} characters.",
                ("input", "title"),
            )
        )
    if for_everyone and audience:
        errors.append(
            UserError(
                ErrorCode.INVALID_INPUT,
                "A document for everyone names no roles: leave roles empty.",
                ("input", "roles"),
            )
        )
    elif not for_everyone and not audience:
        errors.append(
            UserError(
                ErrorCode.AUDIENCE_REQUIRED,
                "Say who the document is for: forEveryone, or at least one role.",
                ("input", "roles"),
            )
        )
    if errors:
        raise DomainError(errors)
    return title, audience


async def _checked_file(file: Any) -> CheckedFile:
    [checked] = await check_files([file], HELP_DOCUMENT_TYPES, "input", "file", max_files=1)
    return checked


def _snapshot(row: HelpDocumentRow) -> dict[str, Any]:
    file = row.file
    return {
        "title": row.title,
        "forEveryone": row.for_everyone,
        "roles": [role.value for role in row.roles],
        "fileId": file.id if file else None,
        "fileName": file.name if file else None,
        "size": file.size if file else None,
        "sha256": file.sha256 if file else None,
    }


async def _store(document_id: int, file: CheckedFile, actor: Actor) -> StoredFile:
    [stored] = await store_files(
        [file],
        owner_type=OWNER_TYPE,
        owner_id=document_id,
        organisation_id=None,
        uploaded_by_id=actor.user_id,
    )
    return stored


async def upload_help_document(
    actor: Actor, *, title: str, for_everyone: bool, roles: list[Role], file: Any
) -> HelpDocumentRow:
    """Board admins: a new help document, for everyone or for the roles named."""
    Authorizer(actor).require(*MANAGE_HELP_DOCUMENTS)
    title, audience = _checked_details(title, for_everyone, roles)
    checked = await _checked_file(file)
    now = clock.now()
    async with in_transaction():
        document = await HelpDocument.create(
            title=title, for_everyone=for_everyone, uploaded_by_id=actor.user_id, created_at=now
        )
        await HelpDocumentRole.bulk_create(
            [HelpDocumentRole(document_id=document.id, role=role.value) for role in audience]
        )
        stored = await _store(document.id, checked, actor)
        row = HelpDocumentRow(document.id, title, for_everyone, audience, now, None, stored)
        await audit.record(
            actor,
            "help_document.upload",
            target_type="HelpDocument",
            target_id=document.id,
            after=_snapshot(row),
        )
    return row


async def _existing(actor: Actor, document_id: int) -> HelpDocumentRow:
    Authorizer(actor).require(*MANAGE_HELP_DOCUMENTS)
    rows = await _rows(list(await HelpDocument.filter(id=document_id)))
    if not rows:
        raise DomainError.one(ErrorCode.NOT_FOUND, "There is no such help document.", "input", "id")
    return rows[0]


async def update_help_document(
    actor: Actor,
    *,
    document_id: int,
    title: str,
    for_everyone: bool,
    roles: list[Role],
    file: Any = None,
) -> HelpDocumentRow:
    """Board admins: a help document's title and audience, and its file if one is sent. A new
    file or audience ends the links handed out before."""
    before = await _existing(actor, document_id)
    title, audience = _checked_details(title, for_everyone, roles)
    checked = await _checked_file(file) if file is not None else None
    now = clock.now()
    async with in_transaction():
        changed = await HelpDocument.filter(id=document_id).update(
            title=title, for_everyone=for_everyone, updated_at=now
        )
        if not changed:
            raise DomainError.one(
                ErrorCode.CONCURRENT_CHANGE, "The document was deleted meanwhile.", "input", "id"
            )
        stored = before.file
        if checked is not None:
            await StoredFile.filter(owner_type=OWNER_TYPE, owner_id=document_id).delete()
            stored = await _store(document_id, checked, actor)
        elif (for_everyone, audience) != (before.for_everyone, before.roles):
            stored = await rekeyed(OWNER_TYPE, document_id)
        await HelpDocumentRole.filter(document_id=document_id).delete()
        await HelpDocumentRole.bulk_create(
            [HelpDocumentRole(document_id=document_id, role=role.value) for role in audience]
        )
        after = replace(
            before,
            title=title,
            for_everyone=for_everyone,
            roles=audience,
            updated_at=now,
            file=stored,
        )
        await audit.record(
            actor,
            "help_document.update",
            target_type="HelpDocument",
            target_id=document_id,
            before=_snapshot(before),
            after=_snapshot(after),
        )
    return after


async def delete_help_document(actor: Actor, *, document_id: int) -> HelpDocumentRow:
    """Board admins: delete a help document and its file; links to it stop working."""
    before = await _existing(actor, document_id)
    async with in_transaction():
        await HelpDocumentRole.filter(document_id=document_id).delete()
        deleted = await HelpDocument.filter(id=document_id).delete()
        if not deleted:
            raise DomainError.one(
                ErrorCode.CONCURRENT_CHANGE, "The document was deleted meanwhile.", "input", "id"
            )
        await StoredFile.filter(owner_type=OWNER_TYPE, owner_id=document_id).delete()
        await audit.record(
            actor,
            "help_document.delete",
            target_type="HelpDocument",
            target_id=document_id,
            before=_snapshot(before),
        )
    return before

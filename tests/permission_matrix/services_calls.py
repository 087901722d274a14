"""How the services domain's operations in the permission matrix are called and checked:
managing resources (edit, replace the file, delete, withdraw) and help documents (list,
upload, edit, delete). All but helpDocuments are the board's wherever; helpDocuments is every
member's, wherever they are a member."""

from datetime import timedelta
from typing import Any

from strawberry import relay

from models.exams import Series
from models.files import StoredFile
from models.help_documents import HelpDocument
from models.organisations import OrganisationKind
from models.releases import Release, Resource, ResourceService
from resolvers.core import clock
from tests.permission_matrix.world import ERRORS, Call, Preparer, unique

TEXT = ("matrix.txt", b"The matrix's file.", "text/plain")


async def _stored(owner_type: str, owner_id: int) -> None:
    await StoredFile.create(
        owner_type=owner_type,
        owner_id=owner_id,
        name="before.txt",
        content_type="text/plain",
        size=6,
        sha256="0" * 64,
        content=b"before",
        created_at=clock.now(),
    )


async def _resource(*, released: bool = False) -> tuple[Resource, str]:
    """A resource of the demo series with a file, released an hour ago if asked; its id."""
    series = await Series.get(code="2026-NOV")
    resource = await Resource.create(
        series_id=series.id,
        service=ResourceService.GENERAL,
        title=unique("Resource"),
        created_at=clock.now(),
    )
    await _stored("Resource", resource.id)
    if released:
        await Release.create(
            resource_id=resource.id,
            release_at=clock.now() - timedelta(hours=1),
            all_centres=True,
            created_at=clock.now(),
        )
    return resource, relay.to_base64("Resource", resource.id)


async def _help_document() -> tuple[HelpDocument, str]:
    """A help document for everyone, with a file; its id."""
    document = await HelpDocument.create(
        title=unique("Help"), for_everyone=True, created_at=clock.now()
    )
    await _stored("HelpDocument", document.id)
    return document, relay.to_base64("HelpDocument", document.id)


async def _update_resource(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    resource, resource_id = await _resource()

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert (await Resource.get(id=resource.id)).title == "Renamed"

    return Call(
        f"mutation($input: UpdateResourceInput!) {{ updateResource(input: $input) "
        f"{{ resource {{ id title }} {ERRORS} }} }}",
        {"input": {"id": resource_id, "title": "Renamed"}},
        "updateResource",
        verify,
    )


async def _replace_resource_file(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    resource, resource_id = await _resource()

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        stored = await StoredFile.get(owner_type="Resource", owner_id=resource.id)
        assert (stored.name, stored.content) == (TEXT[0], TEXT[1])

    return Call(
        f"mutation($input: ReplaceResourceFileInput!) {{ replaceResourceFile(input: $input) "
        f"{{ resource {{ id fileName }} {ERRORS} }} }}",
        # Sent signed out or still signing in as JSON, the file as text: refused before read.
        {"input": {"id": resource_id, "file": "text"}},
        "replaceResourceFile",
        verify,
        files={"input.file": TEXT},
    )


async def _delete_resource(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    resource, resource_id = await _resource()

    async def verify(data: Any) -> None:
        assert data == {"deletedResourceId": resource_id, "errors": []}
        assert not await Resource.exists(id=resource.id)
        assert not await StoredFile.exists(owner_type="Resource", owner_id=resource.id)

    return Call(
        f"mutation($input: DeleteResourceInput!) {{ deleteResource(input: $input) "
        f"{{ deletedResourceId {ERRORS} }} }}",
        {"input": {"id": resource_id}},
        "deleteResource",
        verify,
    )


async def _withdraw_resource(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    resource, resource_id = await _resource(released=True)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert (await Resource.get(id=resource.id)).withdrawn_at is not None

    return Call(
        f"mutation($input: WithdrawResourceInput!) {{ withdrawResource(input: $input) "
        f"{{ resource {{ id withdrawnAt }} {ERRORS} }} }}",
        {"input": {"id": resource_id}},
        "withdrawResource",
        verify,
    )


async def _help_documents(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    document, document_id = await _help_document()

    async def verify(data: Any) -> None:
        nodes = {n["id"]: n for n in data["nodes"]}
        assert nodes[document_id]["title"] == document.title
        assert nodes[document_id]["download"]["url"]

    return Call(
        "{ helpDocuments(first: 100) { totalCount nodes { id title download { url } } } }",
        {},
        "helpDocuments",
        verify,
        cleanup=document.delete,
    )


async def _upload_help_document(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    title = unique("Uploaded help")

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["helpDocument"]["title"] == title

    async def cleanup() -> None:
        await HelpDocument.filter(title=title).delete()

    return Call(
        f"mutation($input: UploadHelpDocumentInput!) {{ uploadHelpDocument(input: $input) "
        f"{{ helpDocument {{ id title }} {ERRORS} }} }}",
        {"input": {"title": title, "forEveryone": True, "file": "text"}},
        "uploadHelpDocument",
        verify,
        cleanup=cleanup,
        files={"input.file": TEXT},
    )


async def _update_help_document(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    document, document_id = await _help_document()

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["helpDocument"]["roles"] == ["SLT"]

    return Call(
        f"mutation($input: UpdateHelpDocumentInput!) {{ updateHelpDocument(input: $input) "
        f"{{ helpDocument {{ id roles }} {ERRORS} }} }}",
        {"input": {"id": document_id, "title": document.title, "roles": ["SLT"]}},
        "updateHelpDocument",
        verify,
        cleanup=document.delete,
    )


async def _delete_help_document(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    document, document_id = await _help_document()

    async def verify(data: Any) -> None:
        assert data == {"deletedHelpDocumentId": document_id, "errors": []}
        assert not await HelpDocument.exists(id=document.id)

    async def cleanup() -> None:
        await HelpDocument.filter(id=document.id).delete()

    return Call(
        f"mutation($input: DeleteHelpDocumentInput!) {{ deleteHelpDocument(input: $input) "
        f"{{ deletedHelpDocumentId {ERRORS} }} }}",
        {"input": {"id": document_id}},
        "deleteHelpDocument",
        verify,
        cleanup=cleanup,
    )


CALLS: dict[str, Preparer] = {
    "updateResource": _update_resource,
    "replaceResourceFile": _replace_resource_file,
    "deleteResource": _delete_resource,
    "withdrawResource": _withdraw_resource,
    "helpDocuments": _help_documents,
    "uploadHelpDocument": _upload_help_document,
    "updateHelpDocument": _update_help_document,
    "deleteHelpDocument": _delete_help_document,
}

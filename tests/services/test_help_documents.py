"""Help documents (seed 003 "Help Document Upload"): the board uploads, edits and deletes them;
each signed-in member lists and downloads those for everyone and for a role they hold anywhere;
the links handed out end when the file or the audience changes, or the document goes."""

from typing import Any

import httpx
import pytest

from examdesk.demo import DEMO_PASSWORD
from models.audit import AuditEvent
from models.files import StoredFile
from models.help_documents import HelpDocument, HelpDocumentRole
from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient

BOARD = "admin@exb.example"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
DOCX = b"PK\x03\x04" + b"\x00" * 26
UPLOAD = """mutation($input: UploadHelpDocumentInput!) { uploadHelpDocument(input: $input) {
  helpDocument { id title forEveryone roles fileName contentType size } errors { code field } } }"""
UPDATE = """mutation($input: UpdateHelpDocumentInput!) { updateHelpDocument(input: $input) {
  helpDocument { id title forEveryone roles fileName } errors { code field } } }"""
DELETE = """mutation($input: DeleteHelpDocumentInput!) { deleteHelpDocument(input: $input) {
  deletedHelpDocumentId errors { code field } } }"""
LIST = """{ helpDocuments { totalCount nodes { id title download { url } } } }"""


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in(BOARD)


async def post(
    gql: GraphQLClient,
    token: str,
    query: str,
    variables: dict[str, Any],
    file: tuple[str, bytes] | None = None,
) -> dict[str, Any]:
    """A mutation, as a multipart request when it carries a file."""
    if file is None:
        return await gql.post(query, {"input": variables}, token)
    response = await gql.upload(
        query,
        {"input": variables},
        {"input.file": (file[0], file[1], "application/octet-stream")},
        token,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def add(
    gql: GraphQLClient, token: str, title: str, roles: list[str], file: tuple[str, bytes]
) -> dict[str, Any]:
    variables = {"title": title, "forEveryone": not roles, "roles": roles}
    body = await post(gql, token, UPLOAD, variables, file)
    payload = body["data"]["uploadHelpDocument"]
    assert payload["errors"] == [], body
    return payload["helpDocument"]


async def titles(gql: GraphQLClient, token: str) -> list[str]:
    data = await gql.ok(LIST, token=token)
    return [n["title"] for n in data["helpDocuments"]["nodes"]]


async def link(gql: GraphQLClient, token: str, title: str) -> str:
    data = await gql.ok(LIST, token=token)
    [node] = [n for n in data["helpDocuments"]["nodes"] if n["title"] == title]
    return str(node["download"]["url"]).removeprefix("http://examdesk.test")


async def person(email: str, places: dict[str, list[str]]) -> str:
    user = await User.create(
        email=email,
        first_name="Pat",
        last_name="Person",
        password_hash=hash_password(DEMO_PASSWORD),
        status=UserStatus.ACTIVE,
        email_verified_at=clock.now(),
    )
    for code, roles in places.items():
        organisation = await Organisation.get(code=code)
        await Membership.create(user=user, organisation=organisation, roles=roles)
    return email


async def snapshot() -> tuple[Any, ...]:
    return (
        await HelpDocument.all().order_by("id").values(),
        await HelpDocumentRole.all().order_by("id").values(),
        await StoredFile.all().order_by("id").values("id", "owner_id", "sha256"),
        await AuditEvent.filter(action__startswith="help_document").count(),
    )


@pytest.fixture
async def documents(board: str, gql: GraphQLClient) -> dict[str, dict[str, Any]]:
    made = {}
    for title, roles, file in (
        ("Getting started", [], ("getting started.txt", b"Welcome to examdesk.")),
        ("Results for SLT", ["SLT"], ("slt.pdf", PDF)),
        ("Invigilation", ["INVIGILATOR"], ("invigilation.png", PNG)),
        ("Global Listening guide", ["GLOBAL_LISTENING", "SFA_TEACHER"], ("gl.docx", DOCX)),
    ):
        made[title] = await add(gql, board, title, roles, file)
    return made


async def test_each_person_sees_what_is_meant_for_their_roles(
    documents: dict[str, dict[str, Any]], board: str, gql: GraphQLClient
) -> None:
    assert documents["Results for SLT"]["roles"] == ["SLT"]
    assert documents["Global Listening guide"]["roles"] == ["SFA_TEACHER", "GLOBAL_LISTENING"]
    assert documents["Getting started"]["contentType"] == "text/plain; charset=utf-8"
    everyone = "Getting started"
    expected = {
        BOARD: ["Getting started", "Global Listening guide", "Invigilation", "Results for SLT"],
        # The exams officer holds every centre role: SLT and Global Listening among them.
        "eo@aa101.example": ["Getting started", "Global Listening guide", "Results for SLT"],
        "slt@aa101.example": [everyone, "Results for SLT"],
        "inv@aa101.example": [everyone, "Invigilation"],
        "teacher@aa101.example": [everyone, "Global Listening guide"],
        "users@aa101.example": [everyone],
        # Any role held anywhere: SLT at one centre, invigilator at another.
        await person("two.places@example.test", {"AA101": ["SLT"], "BB202": ["INVIGILATOR"]}): [
            everyone,
            "Invigilation",
            "Results for SLT",
        ],
        # A direct grant of Global Listening opens nothing, here as everywhere.
        await person("direct.gl@example.test", {"AA101": ["GLOBAL_LISTENING"]}): [everyone],
    }
    for email, wanted in expected.items():
        assert await titles(gql, await gql.sign_in(email)) == wanted, email
    # Signed out: sign in first.
    body = await gql.post(LIST)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_member_of_a_deleted_centre_only_reads_nothing(
    documents: dict[str, dict[str, Any]], gql: GraphQLClient
) -> None:
    token = await gql.sign_in("slt@aa101.example")
    await Organisation.filter(code="AA101").update(deleted_at=clock.now())
    body = await gql.post(LIST, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_downloading_is_audited_and_ends_with_membership(
    documents: dict[str, dict[str, Any]], gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    slt = await gql.sign_in("slt@aa101.example")
    url = await link(gql, slt, "Results for SLT")
    got = await http.get(url)
    assert (got.status_code, got.content) == (200, PDF)
    event = await AuditEvent.get(action="stored_file.download")
    assert (event.actor_email, event.after["ownerType"]) == ("slt@aa101.example", "HelpDocument")
    await Membership.filter(user__email="slt@aa101.example").delete()
    assert (await http.get(url)).status_code == 403


async def test_upload_refusals_change_nothing(board: str, gql: GraphQLClient) -> None:
    before = await snapshot()
    good = {"title": "Guide", "forEveryone": True, "roles": []}
    for change, file, errors in (
        ({}, ("guide.exe", b"MZ"), [("FILE_TYPE_NOT_ALLOWED", ["input", "file"])]),
        ({}, ("guide.pdf", b"MZ not a pdf"), [("FILE_TYPE_NOT_ALLOWED", ["input", "file"])]),
        ({}, ("guide.txt", b"bin\x00ary"), [("FILE_TYPE_NOT_ALLOWED", ["input", "file"])]),
        ({}, ("guide.pdf", b""), [("FILE_EMPTY", ["input", "file"])]),
        (
            {},
            ("guide.pdf", PDF + b"x" * (10 * 1024 * 1024)),
            [("FILE_TOO_LARGE", ["input", "file"])],
        ),
        ({"forEveryone": False}, ("guide.pdf", PDF), [("AUDIENCE_REQUIRED", ["input", "roles"])]),
        ({"roles": ["SLT"]}, ("guide.pdf", PDF), [("INVALID_INPUT", ["input", "roles"])]),
        (
            {"title": "  ", "forEveryone": False},
            ("guide.pdf", PDF),
            [("INVALID_INPUT", ["input", "title"]), ("AUDIENCE_REQUIRED", ["input", "roles"])],
        ),
    ):
        body = await post(gql, board, UPLOAD, {**good, **change}, file)
        payload = body["data"]["uploadHelpDocument"]
        assert [(e["code"], e["field"]) for e in payload["errors"]] == errors, (change, file[0])
    assert await snapshot() == before


async def test_editing_the_audience_or_file_ends_old_links(
    documents: dict[str, dict[str, Any]], board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    slt = await gql.sign_in("slt@aa101.example")
    doc = documents["Results for SLT"]
    url = await link(gql, slt, "Results for SLT")
    # A new title only: the link goes on working.
    data = await post(
        gql, board, UPDATE, {"id": doc["id"], "title": "SLT results", "roles": ["SLT"]}
    )
    assert data["data"]["updateHelpDocument"]["errors"] == []
    assert (await http.get(url)).status_code == 200
    # For invigilators now: SLT no longer lists it, and their link ends.
    data = await post(
        gql, board, UPDATE, {"id": doc["id"], "title": "SLT results", "roles": ["INVIGILATOR"]}
    )
    assert data["data"]["updateHelpDocument"]["helpDocument"]["roles"] == ["INVIGILATOR"]
    assert await titles(gql, slt) == ["Getting started"]
    assert (await http.get(url)).status_code == 404
    inv = await gql.sign_in("inv@aa101.example")
    url = await link(gql, inv, "SLT results")
    # A new file: the old link ends, the new one serves it.
    body = await post(
        gql,
        board,
        UPDATE,
        {"id": doc["id"], "title": "SLT results", "roles": ["INVIGILATOR"]},
        ("v2.txt", b"second edition"),
    )
    assert body["data"]["updateHelpDocument"]["helpDocument"]["fileName"] == "v2.txt"
    assert (await http.get(url)).status_code == 404
    assert (await http.get(await link(gql, inv, "SLT results"))).content == b"second edition"
    assert await StoredFile.filter(owner_type="HelpDocument", owner_id__isnull=False).count() == 4
    events = await AuditEvent.filter(action="help_document.update").order_by("id")
    assert [(e.before["roles"], e.after["roles"]) for e in events] == [
        (["SLT"], ["SLT"]),
        (["SLT"], ["INVIGILATOR"]),
        (["INVIGILATOR"], ["INVIGILATOR"]),
    ]
    # A bad edit changes nothing.
    before = await snapshot()
    body = await post(
        gql, board, UPDATE, {"id": doc["id"], "title": "X", "roles": []}, ("v3.exe", b"MZ")
    )
    codes = [e["code"] for e in body["data"]["updateHelpDocument"]["errors"]]
    assert codes == ["AUDIENCE_REQUIRED"]
    assert await snapshot() == before


async def test_deleting_removes_the_file(
    documents: dict[str, dict[str, Any]], board: str, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    doc = documents["Invigilation"]
    url = await link(gql, await gql.sign_in("inv@aa101.example"), "Invigilation")
    data = await gql.ok(DELETE, {"input": {"id": doc["id"]}}, board)
    assert data["deleteHelpDocument"] == {"deletedHelpDocumentId": doc["id"], "errors": []}
    assert (await http.get(url)).status_code == 404
    assert await HelpDocument.all().count() == 3
    assert await StoredFile.filter(owner_type="HelpDocument").count() == 3
    assert await HelpDocumentRole.filter(role="INVIGILATOR").count() == 0
    event = await AuditEvent.get(action="help_document.delete")
    assert event.before["title"] == "Invigilation"
    again = await gql.ok(DELETE, {"input": {"id": doc["id"]}}, board)
    assert again["deleteHelpDocument"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["input", "id"]}
    ]


async def test_only_the_board_manages_help_documents(
    documents: dict[str, dict[str, Any]], gql: GraphQLClient
) -> None:
    doc = documents["Getting started"]
    before = await snapshot()
    for email in ("eo@aa101.example", "users@aa101.example", "eo@as100.example"):
        token = await gql.sign_in(email)
        for query, variables, file in (
            (UPLOAD, {"title": "T", "forEveryone": True}, ("t.txt", b"t")),
            (UPDATE, {"id": doc["id"], "title": "T", "forEveryone": True}, None),
            (DELETE, {"id": doc["id"]}, None),
        ):
            body = await post(gql, token, query, variables, file)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert await snapshot() == before


async def test_the_list_stays_flat(board: str, gql: GraphQLClient, count_queries: Any) -> None:
    token = await gql.sign_in("eo@aa101.example")
    statements = []
    for total in (2, 30):
        for n in range(total - await HelpDocument.all().count()):
            document = await HelpDocument.create(
                title=f"{n:03d}", for_everyone=n % 2 == 0, created_at=clock.now()
            )
            if n % 2:
                await HelpDocumentRole.create(document=document, role="SLT")
            await StoredFile.create(
                owner_type="HelpDocument",
                owner_id=document.id,
                name="f.txt",
                content_type="text/plain",
                size=1,
                sha256="0" * 64,
                content=b"x",
                created_at=clock.now(),
            )
        with count_queries() as counter:
            data = await gql.ok(LIST, token=token)
        assert data["helpDocuments"]["totalCount"] == total
        statements.append(len(counter.statements))
    assert statements[0] == statements[1], statements

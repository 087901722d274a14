"""The candidates' log-in sheet of a test session: the exams officer of its venue (or of the
venue's associate) alone asks for it; the job makes a PDF with one block per entered candidate
and a CSV of the same details (formulas escaped), read back here; withdrawn entries are left
out; the passwords come from their sealed copies, which never hold them in the clear."""

import csv
import io
from typing import Any

import pypdf
import pytest
from strawberry import relay
from tortoise import Tortoise

from models.audit import AuditEvent
from models.exams import Candidate, Entry, EntryStatus
from models.organisations import Organisation
from resolvers.core import candidate_passwords, credential_secrets
from resolvers.test_sessions.login_sheet_pages import COLUMNS, NOT_AVAILABLE
from tests.helpers.graphql import GraphQLClient
from tests.test_sessions.session_setup import Entered, enter_candidate, make_session

CREATE = """
mutation($input: CreateLogInSheetInput!) { createLogInSheet(input: $input) {
  job { id kind status total }
  errors { code message field }
} }"""
JOB = """
query($id: ID!) { job(id: $id) {
  id status done total errorCode errorMessage result
  files { name contentType size url }
} }"""
EO = "eo@aa101.example"


def _gid(session_id: int) -> str:
    return str(relay.GlobalID("TestSession", str(session_id)))


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def _create(gql: GraphQLClient, token: str | None, session_id: int) -> dict:
    return await gql.post(CREATE, {"input": {"testSessionId": _gid(session_id)}}, token)


async def _files(gql: GraphQLClient, http: Any, token: str, session_id: int) -> dict[str, Any]:
    """The sheet's files, downloaded: name -> response."""
    created = (await _create(gql, token, session_id))["data"]["createLogInSheet"]
    assert created["errors"] == [], created
    assert created["job"]["kind"] == "test_sessions.login_sheet"
    job = await gql.wait_for_job(created["job"]["id"], token, query=JOB, timeout=30)
    assert job["status"] == "SUCCEEDED", job
    return {f["name"]: await http.get(f["url"]) for f in job["files"]} | {"job": job}


def _pdf_blocks(content: bytes) -> list[str]:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return [" ".join(block.split()) for block in text.split("Candidate test log-in details")[1:]]


@pytest.fixture
async def eo(demo, gql: GraphQLClient) -> str:
    return await gql.sign_in(EO)


async def _older_candidate(code: str = "AA101") -> Entered:
    """A candidate entered before passwords were sealed: no sealed copy, nothing to print."""
    centre = await Organisation.get(code=code)
    candidate = await Candidate.create(
        centre=centre,
        candidate_number="0777",
        first_name='=HYPERLINK("http://evil.example")',
        last_name="Old",
        username="@old_username",
        password_hash="not-used-here",
    )
    session_less = await Entry.create(
        candidate=candidate,
        series_id=(await Entry.first()).series_id,  # type: ignore[union-attr]
        syllabus_id=(await Entry.first()).syllabus_id,  # type: ignore[union-attr]
        entry_code="OLDC-0777",
    )
    return Entered(
        entry_id=session_less.id,
        entry_gid="",
        candidate_number="0777",
        username="@old_username",
        password=NOT_AVAILABLE,
        entry_code="OLDC-0777",
        first_name=candidate.first_name,
        last_name="Old",
    )


async def test_the_exams_officer_gets_every_entered_candidates_details(
    gql: GraphQLClient, http: Any, eo: str
) -> None:
    zoe = await enter_candidate(
        gql,
        eo,
        username="AA101_Zoe",
        password="Zoë-Secret26",
        first_name="Zoë",
        last_name="Ångström",
    )
    nia = await enter_candidate(gql, eo, username="AA101_Nia", password="-Secret2026")
    gone = await enter_candidate(gql, eo, username="AA101_Gone", password="Gone20266")
    old = await _older_candidate()
    session = await make_session(entries=(zoe, nia, gone, old))
    await Entry.filter(id=gone.entry_id).update(status=EntryStatus.WITHDRAWN)

    files = await _files(gql, http, eo, session.id)
    job = files.pop("job")
    stem = f"login-sheet-AA101-{session.id}"
    assert set(files) == {f"{stem}.pdf", f"{stem}.csv"}
    by_number = sorted((zoe, nia, old), key=lambda e: e.candidate_number)
    candidate_ids = {e.entry_id: (await Entry.get(id=e.entry_id)).candidate_id for e in by_number}
    assert job["result"]["candidateIds"] == [candidate_ids[e.entry_id] for e in by_number]

    pdf = files[f"{stem}.pdf"]
    assert pdf.headers["content-type"] == "application/pdf"
    blocks = _pdf_blocks(pdf.content)
    assert len(blocks) == 3
    for block, entered in zip(blocks, by_number, strict=True):
        for expected in (
            f"{entered.first_name} {entered.last_name}",
            entered.candidate_number,
            entered.username,
            entered.password,
            entered.entry_code,
            "Morning sitting",
            "23 November 2026, 11:00 UTC to 12:30 UTC",
            "AA Dummy Centre A (AA101)",
        ):
            assert expected in block, f"{expected!r} not in {block!r}"
    assert gone.password not in " ".join(blocks)

    sheet = files[f"{stem}.csv"]
    assert sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert [r[1] for r in rows[1:]] == [e.candidate_number for e in by_number]
    by_code = {r[4]: dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_code[nia.entry_code]["password"] == "'-Secret2026"  # not a formula
    assert by_code[zoe.entry_code]["password"] == "Zoë-Secret26"
    assert by_code[zoe.entry_code]["candidate_name"] == "Zoë Ångström"
    assert by_code[old.entry_code]["candidate_name"].startswith("'=HYPERLINK")
    assert by_code[old.entry_code]["username"] == "'@old_username"
    assert by_code[old.entry_code]["password"] == NOT_AVAILABLE
    assert by_code[zoe.entry_code]["starts_at"] == "2026-11-23T11:00:00+00:00"
    assert by_code[zoe.entry_code]["venue"] == "AA Dummy Centre A (AA101)"
    assert gone.entry_code not in by_code

    request = await AuditEvent.get(action="test_session.login_sheet_request")
    assert request.target_id == str(session.id)
    assert request.after["candidates"] == 3
    downloads = await AuditEvent.filter(action="job_file.download").count()
    assert downloads == 2


async def test_an_associates_exams_officer_gets_its_centres_sheets(
    gql: GraphQLClient, http: Any, demo
) -> None:
    venue_eo = await gql.sign_in("eo@as101.example")
    entered = await enter_candidate(gql, venue_eo, username="AS101_Cand", centre="AS101")
    session = await make_session("AS101", entries=(entered,))
    files = await _files(gql, http, await gql.sign_in("eo@as100.example"), session.id)
    assert entered.password in " ".join(
        _pdf_blocks(files[f"login-sheet-AS101-{session.id}.pdf"].content)
    )


@pytest.mark.parametrize(
    "email",
    ["admin@exb.example", "slt@aa101.example", "users@aa101.example", "eo@bb202.example"],
)
async def test_nobody_else_gets_the_sheet(gql: GraphQLClient, eo: str, email: str) -> None:
    entered = await enter_candidate(gql, eo, username="AA101_Secret")
    session = await make_session(entries=(entered,))
    token = await gql.sign_in(email)
    before = await AuditEvent.all().count()
    assert _code(await _create(gql, token, session.id)) == "FORBIDDEN"
    assert await AuditEvent.all().count() == before


async def test_what_else_is_refused(gql: GraphQLClient, eo: str) -> None:
    assert _code(await _create(gql, None, 1)) == "UNAUTHENTICATED"
    # A session that does not exist answers as another centre's would.
    assert _code(await _create(gql, eo, 999_999)) == "FORBIDDEN"
    body = await gql.post(
        CREATE, {"input": {"testSessionId": str(relay.GlobalID("User", "1"))}}, eo
    )
    assert [e["code"] for e in body["data"]["createLogInSheet"]["errors"]] == ["INVALID_INPUT"]
    empty = await make_session(name="Nobody yet")
    refused = (await _create(gql, eo, empty.id))["data"]["createLogInSheet"]
    assert [e["code"] for e in refused["errors"]] == ["NO_SESSION_ENTRIES"]
    assert refused["job"] is None


async def _every_stored_value() -> str:
    """Every value of every row of every table, as text."""
    found = []
    for model in Tortoise.apps["models"].values():
        for row in await model.all().values():
            found.extend(repr(value) for value in row.values())
    return "\n".join(found)


async def test_the_database_never_holds_a_centres_password_in_the_clear(
    gql: GraphQLClient, http: Any, eo: str
) -> None:
    entered = await enter_candidate(gql, eo, username="AA101_Clear", password="Unguessable7Q")
    candidate = await Candidate.get(username="AA101_Clear")
    assert candidate.password_sealed is not None
    assert candidate_passwords.unseal(candidate.password_sealed) == entered.password
    assert "Unguessable7Q" not in await _every_stored_value()

    # From a file too: sealed in the job while it waits, sealed again for the sheet.
    upload = (
        "first_name,last_name,username,password,syllabus_codes\n"
        "Kofi,Mensah,AA101_FromFile,FileSecret7Q,0500\n"
    )
    response = await gql.upload(
        """mutation($input: EnterCandidatesFromCsvInput!) { enterCandidatesFromCsv(input: $input) {
          job { id } errors { code message } } }""",
        {"input": {"centreCode": "AA101", "seriesCode": "2026-NOV"}},
        {"input.file": ("candidates.csv", upload.encode(), "text/csv")},
        eo,
    )
    body = response.json()
    assert not body.get("errors"), body
    job_id = body["data"]["enterCandidatesFromCsv"]["job"]["id"]
    assert (await gql.wait_for_job(job_id, eo, timeout=30))["status"] == "SUCCEEDED"
    from_file = await Candidate.get(username="AA101_FromFile")
    assert candidate_passwords.unseal(from_file.password_sealed or "") == "FileSecret7Q"
    assert "FileSecret7Q" not in await _every_stored_value()


async def test_a_password_sealed_for_another_purpose_is_not_printed(
    gql: GraphQLClient, http: Any, eo: str
) -> None:
    """The results credentials' key does not open a test password's seal, nor the reverse."""
    entered = await enter_candidate(gql, eo, username="AA101_OtherKey", password="OtherKey26")
    await Candidate.filter(username="AA101_OtherKey").update(
        password_sealed=credential_secrets.seal(entered.password)
    )
    session = await make_session(entries=(entered,))
    files = await _files(gql, http, eo, session.id)
    rows = list(
        csv.reader(
            io.StringIO(files[f"login-sheet-AA101-{session.id}.csv"].content.decode("utf-8-sig"))
        )
    )
    assert rows[1][3] == NOT_AVAILABLE
    with pytest.raises(ValueError, match="another secret key"):
        credential_secrets.unseal(candidate_passwords.seal(entered.password))

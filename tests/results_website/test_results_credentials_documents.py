"""'Confidential examination results information' PDFs: who may ask, what the job makes, and
what the documents say, read back page by page with pypdf."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pypdf
import pytest
from starlette.applications import Starlette

from models.audit import AuditEvent
from models.exams import Candidate, Entry, EntryStatus, Series, Syllabus
from models.jobs import Job, JobFile, JobStatus
from models.organisations import Organisation
from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
from models.users import User
from policies import Actor, RequestMeta
from resolvers.core import clock, credential_secrets, jobs
from resolvers.results_website import credential_documents, credential_letters
from tests.helpers.graphql import GraphQLClient

CREATE = """
mutation($input: CreateResultsCredentialsDocumentsInput!) {
  createResultsCredentialsDocuments(input: $input) {
    job { id kind status total stage }
    errors { code message field }
  }
}
"""
JOB = """
query($id: ID!) {
  job(id: $id) {
    id status done total stage percent errorCode errorMessage result
    files { id name contentType size url urlExpiresAt }
  }
}
"""
CONTACT = ("Zoë Ångström", "+65 6123 4567", "results@aa101.example")
# Names the PDFs must print with their accents, and the zip must spell in plain letters.
EXTRA_CANDIDATES = (("0042", "Zoë", "Ångström"), ("0043", "Łukasz", "Wiśniewski"))


@dataclass(frozen=True)
class Credential:
    candidate_id: int
    number: str
    first_name: str
    last_name: str
    username: str
    password: str


async def _entered(candidate: Candidate, series: Series) -> None:
    if not await Entry.exists(candidate=candidate, series=series, status=EntryStatus.ENTERED):
        await Entry.create(
            candidate=candidate,
            series=series,
            syllabus=await Syllabus.get(code="0580"),
            entry_code=f"T{series.id:03d}{candidate.id:05d}",
        )


async def give_access(
    centre_code: str,
    series_code: str,
    numbers: list[str],
    *,
    contact: tuple[str, str | None, str | None] = CONTACT,
    delay_hours: int = 24,
) -> list[Credential]:
    """Until the tests use updateResultsAccess: the rows it would write, by hand. Credentials
    are for candidates entered in the series, so each one not entered yet is entered here."""
    centre = await Organisation.get(code=centre_code)
    series = await Series.get(code=series_code)
    now = clock.now()
    await ResultsAccess.update_or_create(
        centre=centre,
        series=series,
        defaults={
            "status": AccessStatus.SELECTED,
            "agreed_at": now,
            "contact_name": contact[0],
            "contact_phone": contact[1],
            "contact_email": contact[2],
            "delay_hours": delay_hours,
            "updated_at": now,
        },
    )
    made = []
    for number in numbers:
        candidate = await Candidate.get(centre=centre, candidate_number=number)
        await _entered(candidate, series)
        password = credential_secrets.new_password()
        username = f"{centre_code.lower()}-{series_code.lower()}-{number}"
        await ResultsCredential.create(
            candidate=candidate,
            series=series,
            username=username,
            password_digest=credential_secrets.digest(password),
            password_sealed=credential_secrets.seal(password),
            created_at=now,
        )
        made.append(
            Credential(
                candidate.id, number, candidate.first_name, candidate.last_name, username, password
            )
        )
    return made


async def add_candidates(centre_code: str, people: tuple[tuple[str, str, str], ...]) -> None:
    centre = await Organisation.get(code=centre_code)
    for number, first, last in people:
        await Candidate.create(
            centre=centre,
            candidate_number=number,
            first_name=first,
            last_name=last,
            username=f"{first}.{last}".lower(),
            password_hash="not-used-here",
        )


async def request_documents(
    gql: GraphQLClient, token: str, centre: str = "AA101", series: str = "2026-NOV"
) -> dict[str, Any]:
    data = await gql.ok(CREATE, {"input": {"centreCode": centre, "seriesCode": series}}, token)
    return data["createResultsCredentialsDocuments"]


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def assert_page_shows(text: str, credential: Credential) -> None:
    flat = " ".join(text.split())
    for expected in (
        "Confidential examination results information",
        "AA Dummy Centre A",
        "AA101",
        "2026-NOV",
        f"{credential.first_name} {credential.last_name}",
        credential.number,
        credential.username,
        credential.password,
        *CONTACT,
        # The release (13 January 2027, 06:00 UTC) plus the centre's 24 hours.
        "14 January 2027 at 06:00 UTC",
        "http://examdesk.test",
        "The results displayed are for information only. You must not print screenshots of "
        "your results from the candidate results website to share with universities.",
    ):
        assert expected in flat, f"{expected!r} not on the page: {flat}"


async def test_the_exams_officer_gets_a_pdf_and_a_zip_of_every_active_credential(
    demo: Starlette, gql: GraphQLClient, http: Any
) -> None:
    await add_candidates("AA101", EXTRA_CANDIDATES)
    # Out of order on purpose: the documents follow the candidate number.
    granted = await give_access("AA101", "2026-NOV", ["0043", "0002", "0042", "0001", "0004"])
    revoked = next(c for c in granted if c.number == "0004")
    await ResultsCredential.filter(username=revoked.username).update(revoked_at=clock.now())
    active = sorted((c for c in granted if c is not revoked), key=lambda c: c.number)
    token = await gql.sign_in("eo@aa101.example")

    response = await http.post(
        "/graphql",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "query": CREATE,
            "variables": {"input": {"centreCode": "aa101", "seriesCode": "2026-nov"}},
        },
    )
    payload = response.json()["data"]["createResultsCredentialsDocuments"]
    assert payload["errors"] == []
    assert payload["job"]["kind"] == "results_credentials.documents"
    assert payload["job"]["total"] == 4
    event = await AuditEvent.get(action="results_credentials.documents_request")
    assert event.request_id == response.headers["x-request-id"]
    assert event.after == {"centre": "AA101", "series": "2026-NOV", "candidates": 4}

    job = await gql.wait_for_job(payload["job"]["id"], token, timeout=30, query=JOB)
    assert job["status"] == "SUCCEEDED", job
    assert (job["done"], job["total"], job["percent"]) == (4, 4, 100)
    assert job["result"]["candidateIds"] == [c.candidate_id for c in active]
    assert job["result"]["candidates"] == 4
    files = {f["name"]: f for f in job["files"]}
    assert set(files) == {
        "results-credentials-AA101-2026-NOV.pdf",
        "results-credentials-AA101-2026-NOV.zip",
    }

    combined = await http.get(files["results-credentials-AA101-2026-NOV.pdf"]["url"])
    assert combined.status_code == 200
    assert combined.headers["content-type"] == "application/pdf"
    assert len(combined.content) == files["results-credentials-AA101-2026-NOV.pdf"]["size"]
    pages = pdf_pages(combined.content)
    assert len(pages) == 4
    for text, credential in zip(pages, active, strict=True):
        assert_page_shows(text, credential)
    assert revoked.password not in " ".join(pages)
    assert "Zoë Ångström" in " ".join(pages[2].split())
    assert "Łukasz Wiśniewski" in " ".join(pages[3].split())

    archive = await http.get(files["results-credentials-AA101-2026-NOV.zip"]["url"])
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as members:
        assert members.namelist() == [
            "0001-Okafor-Amara.pdf",
            "0002-Garcia-Jose.pdf",
            "0042-Angstrom-Zoe.pdf",
            "0043-Wisniewski-Lukasz.pdf",
        ]
        for name, credential in zip(members.namelist(), active, strict=True):
            single = pdf_pages(members.read(name))
            assert len(single) == 1, name
            assert_page_shows(single[0], credential)
            others = [c.password for c in active if c is not credential]
            assert not any(password in single[0] for password in others), name


async def test_contact_details_print_what_the_centre_gave(
    demo: Starlette, gql: GraphQLClient, http: Any
) -> None:
    """Phone only, no delay: no email line, and the release time as published."""
    await give_access(
        "AA101", "2026-NOV", ["0001"], contact=("Mr Tan", "+65 6000 0000", None), delay_hours=0
    )
    token = await gql.sign_in("eo@aa101.example")
    requested = await request_documents(gql, token)
    job = await gql.wait_for_job(requested["job"]["id"], token, timeout=30, query=JOB)
    pdf = next(f for f in job["files"] if f["name"].endswith(".pdf"))
    text = " ".join(pdf_pages((await http.get(pdf["url"])).content)[0].split())
    assert "Mr Tan" in text
    assert "Telephone: +65 6000 0000" in text
    assert "Email:" not in text
    assert "13 January 2027 at 06:00 UTC" in text


async def test_no_active_credential_is_refused_with_a_clear_error(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    payload = await request_documents(gql, token, series="2025-NOV")
    assert payload["job"] is None
    [error] = payload["errors"]
    assert error["code"] == "NO_ACTIVE_CREDENTIALS"
    assert "give candidates access" in error["message"]
    assert error["field"] == ["input", "seriesCode"]

    [credential] = await give_access("AA101", "2025-NOV", ["0001"])
    await ResultsCredential.filter(username=credential.username).update(revoked_at=clock.now())
    payload = await request_documents(gql, token, series="2025-NOV")
    assert [e["code"] for e in payload["errors"]] == ["NO_ACTIVE_CREDENTIALS"]
    assert not await Job.exists(kind=credential_documents.KIND)
    assert not await AuditEvent.exists(action="results_credentials.documents_request")


async def test_an_unknown_series_is_a_payload_error(demo: Starlette, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@aa101.example")
    payload = await request_documents(gql, token, series="1999-JUN")
    assert [e["code"] for e in payload["errors"]] == ["SERIES_NOT_FOUND"]


@pytest.mark.parametrize(
    "email",
    [
        "slt@aa101.example",
        "teacher@aa101.example",
        "inv@aa101.example",
        "users@aa101.example",
        "eo@bb202.example",
        "admin@exb.example",
    ],
)
async def test_only_the_centres_exams_officer_may_ask(
    demo: Starlette, gql: GraphQLClient, email: str
) -> None:
    await give_access("AA101", "2026-NOV", ["0001"])
    body = await gql.post(
        CREATE,
        {"input": {"centreCode": "AA101", "seriesCode": "2026-NOV"}},
        await gql.sign_in(email),
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert not await Job.exists(kind=credential_documents.KIND)


async def test_signed_out_callers_are_told_to_sign_in(demo: Starlette, gql: GraphQLClient) -> None:
    body = await gql.post(CREATE, {"input": {"centreCode": "AA101", "seriesCode": "2026-NOV"}})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_the_associates_exams_officer_may_ask_for_its_associate_centre(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """Allowed through (the parent relation), then told that nobody there has credentials."""
    payload = await request_documents(
        gql, await gql.sign_in("eo@as100.example"), centre="AS101", series="2026-JUN"
    )
    assert [e["code"] for e in payload["errors"]] == ["NO_ACTIVE_CREDENTIALS"]


async def test_unreadable_passwords_fail_the_job_and_write_no_file(
    demo: Starlette, gql: GraphQLClient
) -> None:
    await give_access("AA101", "2026-NOV", ["0001", "0002"])
    await ResultsCredential.filter(username="aa101-2026-nov-0002").update(
        password_sealed="sealed-under-an-old-key"
    )
    token = await gql.sign_in("eo@aa101.example")
    requested = await request_documents(gql, token)
    job = await gql.wait_for_job(requested["job"]["id"], token, timeout=30, query=JOB)
    assert job["status"] == "FAILED"
    assert job["errorCode"] == "CREDENTIALS_UNREADABLE"
    assert "secret key changed" in job["errorMessage"]
    assert job["files"] == []
    assert await JobFile.all().count() == 0


class RecordingRun(jobs.JobRun):
    """The real JobRun, also keeping every progress report it was given."""

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.reports: list[tuple[int, int | None, str | None]] = []

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.reports.append((done, total, stage))
        await super().progress(done, total, stage)


async def _run_directly(centre: Organisation, series: Series) -> RecordingRun:
    user_id = await _officer_id()
    actor = Actor(request=RequestMeta(request_id="test-direct"), user_id=user_id)
    job = await Job.create(
        kind=credential_documents.KIND,
        organisation_id=centre.id,
        created_by_id=actor.user_id,
        payload={"centreId": centre.id, "seriesId": series.id},
        status=JobStatus.RUNNING,
        created_at=clock.now(),
    )
    run = RecordingRun(job)
    await credential_documents.render_documents(run)
    return run


async def _officer_id() -> int:
    return (await User.get(email="eo@aa101.example")).id


async def test_progress_is_reported_per_chunk_while_writing(
    demo: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(credential_documents, "CHUNK", 2)
    await give_access("AA101", "2026-NOV", ["0001", "0002", "0003", "0004"][:3])
    centre, series = await Organisation.get(code="AA101"), await Series.get(code="2026-NOV")
    run = await _run_directly(centre, series)
    assert run.reports == [
        (0, 3, "Writing PDFs"),
        (2, 3, "Writing PDFs"),
        (3, 3, "Writing PDFs"),
        (3, 3, "Saving files"),
    ]


async def test_loading_the_credentials_costs_the_same_queries_for_more_candidates(
    demo: Starlette, count_queries: Any
) -> None:
    centre, series = await Organisation.get(code="AA101"), await Series.get(code="2026-NOV")
    await add_candidates("AA101", EXTRA_CANDIDATES)

    async def selects() -> int:
        with count_queries() as counter:
            await _run_directly(centre, series)
        return sum(1 for s in counter.statements if s.lstrip().upper().startswith("SELECT"))

    await give_access("AA101", "2026-NOV", ["0001"])
    few = await selects()
    await give_access("AA101", "2026-NOV", ["0002", "0004", "0042", "0043"])
    assert await selects() == few


UPDATE_ACCESS = """
mutation($input: UpdateResultsAccessInput!) {
  updateResultsAccess(input: $input) { credentialsCreated errors { code message } }
}
"""
SIGN_IN_CANDIDATE = """
mutation($input: SignInCandidateInput!) {
  signInCandidate(input: $input) { token errors { code message } }
}
"""


async def test_end_to_end_the_printed_details_sign_the_candidates_in(
    demo: Starlette, gql: GraphQLClient, http: Any
) -> None:
    """Give ALL candidates access, print their letters, and sign in with what is printed."""
    token = await gql.sign_in("eo@aa101.example")
    updated = (
        await gql.ok(
            UPDATE_ACCESS,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "status": "ALL",
                    "agreed": True,
                    "contactName": "Anakin Skywalker",
                    "contactEmail": "exams@aa101.example",
                    "delayHours": 2,
                }
            },
            token,
        )
    )["updateResultsAccess"]
    assert updated["errors"] == []
    # Entered in 2026-NOV at AA101: 0001 Amara Okafor, 0002 José García, 0004 Björn Åkesson.
    assert updated["credentialsCreated"] == 3

    requested = await request_documents(gql, token)
    job = await gql.wait_for_job(requested["job"]["id"], token, timeout=30, query=JOB)
    assert job["status"] == "SUCCEEDED", job
    pdf = next(f for f in job["files"] if f["name"].endswith(".pdf"))
    pages = [" ".join(page.split()) for page in pdf_pages((await http.get(pdf["url"])).content)]
    assert [p.split("Candidate number ")[1][:4] for p in pages] == ["0001", "0002", "0004"]
    assert "Björn Åkesson" in pages[2]
    assert "13 January 2027 at 08:00 UTC" in pages[0]
    for page in pages:
        assert "Anakin Skywalker" in page
        assert "Email: exams@aa101.example" in page
        username = page.split("Username ")[1].split()[0]
        password = page.split("Password ")[1].split()[0]
        signed_in = (
            await gql.ok(SIGN_IN_CANDIDATE, {"input": {"username": username, "password": password}})
        )["signInCandidate"]
        assert signed_in["errors"] == [], (username, signed_in)
        assert signed_in["token"]


@pytest.mark.parametrize(
    ("first", "last", "embeds_font"),
    [("Amara", "Okafor", False), ("Zoë", "Ångström", False), ("Łukasz", "Wiśniewski", True)],
)
def test_a_single_letter_embeds_the_unicode_font_only_when_a_name_needs_it(
    first: str, last: str, embeds_font: bool
) -> None:
    letter = credential_documents.Letter(
        centre_name="Lakeside School",
        centre_code="AA101",
        series_code="2026-NOV",
        website="http://examdesk.test/",
        available_from=clock.now(),
        contact_name="Ana Ruiz",
        contact_phone=None,
        contact_email="results@aa101.example",
    )
    sheet = credential_documents.Sheet(
        candidate_id=1,
        candidate_number="0042",
        first_name=first,
        last_name=last,
        username="aa101-0042-k7qm",
        password="ABCDEFGHJK",
    )
    content = credential_letters.render_single(letter, sheet)
    reader = pypdf.PdfReader(io.BytesIO(content))
    [page] = reader.pages
    assert f"{first} {last}" in " ".join(page.extract_text().split())
    # fpdf2 embeds a TrueType font as a Type0 font; the PDF core fonts are never embedded.
    subtypes = {font.get_object()["/Subtype"] for font in page["/Resources"]["/Font"].values()}
    assert ("/Type0" in subtypes) is embeds_font
    assert len(content) > 10_000 if embeds_font else len(content) < 4_000

"""Submit for Assessment through the real app: multipart uploads, who is emailed (read from the
loopback SMTP server), validation, who sees which submissions, and flat query counts."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from models.audit import AuditEvent
from models.exams import Series, Syllabus
from models.files import StoredFile
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.services import Submission, SubmissionKind
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox
from tests.services.sending_files import PDF, delivered, graphql_code, post_files

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

SUBMIT = """
mutation($input: SubmitForAssessmentInput!) {
  submitForAssessment(input: $input) {
    submission {
      id reference kind status note submittedAt
      centre { code } series { code } syllabus { code }
      candidate { candidateNumber fullName }
      submittedBy { email }
      files { name contentType size url }
    }
    errors { code message field }
  }
}"""
SUBMISSIONS = """
query($centre: String!, $series: String, $syllabus: String) {
  submissions(centreCode: $centre, seriesCode: $series, syllabusCode: $syllabus) {
    totalCount
    nodes {
      reference kind syllabus { code } series { code } candidate { candidateNumber }
      submittedBy { email } files { name size url }
    }
  }
}"""


def submission_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "syllabusCode": "0580",
        "kind": "WORK",
        "candidateNumber": "0002",
        "note": "Portfolio, term 1",
    }
    values.update(overrides)
    return values


async def submit(
    http: httpx.AsyncClient,
    token: str,
    files: list[tuple[str, bytes]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    files = [("essay.pdf", PDF)] if files is None else files
    variables = {"input": {**submission_input(**overrides), "files": [None] * len(files)}}
    return await post_files(
        http,
        token,
        SUBMIT,
        variables,
        {f"input.files.{i}": file for i, file in enumerate(files)},
    )


async def add_staff(
    email: str, code: str, role: str, status: UserStatus = UserStatus.ACTIVE
) -> None:
    """Another person at a centre, with one role."""
    organisation = await Organisation.get(code=code)
    user = await User.create(
        email=email,
        first_name="Extra",
        last_name=role.title(),
        status=status,
        password_hash=hash_password("Another-Pass-2026"),
        email_verified_at=clock.now(),
    )
    await Membership.create(user=user, organisation=organisation, roles=[role])


@pytest.fixture
def mail_http(mail_client: GraphQLClient) -> httpx.AsyncClient:
    """The conftest `mail_client`'s httpx client: the app delivering to loopback SMTP."""
    return mail_client.http


# --- Who is emailed ---------------------------------------------------------------------------


async def test_a_teachers_submission_emails_the_sfa_exams_officers_and_that_teacher_only(
    mail_http: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await add_staff("second.sfa@aa101.example", "AA101", "SFA_EXAMS_OFFICER")
    await add_staff("second.teacher@aa101.example", "AA101", "SFA_TEACHER")
    await add_staff("gone.sfa@aa101.example", "AA101", "SFA_EXAMS_OFFICER", UserStatus.DISABLED)
    gql = GraphQLClient(mail_http)
    token = await gql.sign_in("teacher@aa101.example")

    body = await submit(mail_http, token, files=[("essay.pdf", PDF), ("diagram.png", PNG)])

    payload = body["data"]["submitForAssessment"]
    assert payload["errors"] == [], payload
    submission = payload["submission"]
    assert submission["candidate"] == {"candidateNumber": "0002", "fullName": "José García"}
    assert [f["name"] for f in submission["files"]] == ["essay.pdf", "diagram.png"]
    assert [f["contentType"] for f in submission["files"]] == ["application/pdf", "image/png"]
    officers = {"eo@aa101.example", "sfa.eo@aa101.example", "second.sfa@aa101.example"}
    recipients = await delivered(mailbox, officers | {"teacher@aa101.example"})
    # Nobody else: not the other teacher, the disabled officer, other roles or other centres.
    assert recipients == officers | {"teacher@aa101.example"}
    [received] = mailbox.to("sfa.eo@aa101.example")
    assert "Donald Duck has made a submission for" in received.get_content()
    assert "Submitted: candidate work" in received.get_content()
    assert "0002 José García" in received.get_content()
    assert "essay.pdf, diagram.png" in received.get_content()
    [confirmation] = mailbox.to("teacher@aa101.example")
    assert confirmation["Subject"] == "We have received your candidate work for 0580"
    assert submission["reference"] in confirmation.get_content()


async def test_an_sfa_exams_officers_submission_emails_the_sfa_exams_officers(
    mail_http: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    gql = GraphQLClient(mail_http)
    token = await gql.sign_in("sfa.eo@bb202.example")

    body = await submit(
        mail_http,
        token,
        centreCode="BB202",
        kind="SAMPLE",
        candidateNumber=None,
        syllabusCode="0620",
    )

    assert body["data"]["submitForAssessment"]["errors"] == []
    officers = {"eo@bb202.example", "sfa.eo@bb202.example"}
    # The submitter is one of them: the notification, not a second confirmation.
    assert await delivered(mailbox, officers) == officers
    assert len(mailbox.to("sfa.eo@bb202.example")) == 1
    assert "Submitted: sample\r\n" in mailbox.to("eo@bb202.example")[0].get_content()
    assert mailbox.to("eo@bb202.example")[0]["Subject"] == (
        "Submit for Assessment: sample for 0620 submitted at BB202"
    )


async def test_a_teachers_sample_is_confirmed_in_plain_words(
    mail_http: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    token = await GraphQLClient(mail_http).sign_in("teacher@bb202.example")

    body = await submit(
        mail_http,
        token,
        centreCode="BB202",
        kind="SAMPLE",
        candidateNumber=None,
        syllabusCode="0620",
    )

    assert body["data"]["submitForAssessment"]["errors"] == []
    await delivered(mailbox, {"teacher@bb202.example"})
    [confirmation] = mailbox.to("teacher@bb202.example")
    assert confirmation["Subject"] == "We have received your sample for 0620"


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "files", "expected"),
    [
        ({"seriesCode": "2031-JUN"}, None, [("SERIES_NOT_FOUND", "seriesCode")]),
        ({"syllabusCode": "9999"}, None, [("SYLLABUS_NOT_FOUND", "syllabusCode")]),
        ({"candidateNumber": "0077"}, None, [("CANDIDATE_NOT_FOUND", "candidateNumber")]),
        ({"candidateNumber": "12345"}, None, [("CANDIDATE_NUMBER_INVALID", "candidateNumber")]),
        # 0001 is entered in 2026-NOV, but for 0620 only.
        ({"candidateNumber": "0001"}, None, [("CANDIDATE_NOT_ENTERED", "candidateNumber")]),
        # 0002's 2026-JUN entry for 0610 was withdrawn.
        (
            {"candidateNumber": "0002", "seriesCode": "2026-JUN", "syllabusCode": "0610"},
            None,
            [("CANDIDATE_NOT_ENTERED", "candidateNumber")],
        ),
        ({"candidateNumber": None}, None, [("CANDIDATE_REQUIRED", "candidateNumber")]),
        (
            {
                "candidateNumber": None,
                "kind": "SAMPLE",
                "syllabusCode": "0610",
                "seriesCode": "2025-NOV",
            },
            None,
            [("NO_ENTRIES_FOR_SYLLABUS", "syllabusCode")],
        ),
        ({}, [], [("FILES_REQUIRED", "files")]),
        ({}, [("run.exe", b"MZ\x90\x00")], [("FILE_TYPE_NOT_ALLOWED", "files.0")]),
        (
            {},
            [("essay.pdf", PDF), ("fake.pdf", b"MZ\x90\x00")],
            [("FILE_TYPE_NOT_ALLOWED", "files.1")],
        ),
        ({}, [("empty.pdf", b"")], [("FILE_EMPTY", "files.0")]),
        ({}, [("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))], [("FILE_TOO_LARGE", "files.0")]),
        ({}, [("essay.pdf", PDF)] * 11, [("TOO_MANY_FILES", "files")]),
        ({"note": "x" * 2001}, None, [("INPUT_TOO_LONG", "note")]),
        (
            {"seriesCode": "2031-JUN", "syllabusCode": "9999"},
            [("a.txt", b"text")],
            [
                ("SERIES_NOT_FOUND", "seriesCode"),
                ("SYLLABUS_NOT_FOUND", "syllabusCode"),
                ("FILE_TYPE_NOT_ALLOWED", "files.0"),
            ],
        ),
    ],
)
async def test_bad_submissions_are_refused_and_write_nothing(
    demo: Starlette,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    overrides: dict[str, Any],
    files: list[tuple[str, bytes]] | None,
    expected: list[tuple[str, str]],
) -> None:
    token = await gql.sign_in("teacher@aa101.example")

    body = await submit(http, token, files=files, **overrides)

    payload = body["data"]["submitForAssessment"]
    assert payload["submission"] is None
    got = [(e["code"], ".".join(e["field"][1:])) for e in payload["errors"]]
    assert got == expected, payload["errors"]
    assert await Submission.all().count() == 0
    assert await StoredFile.all().count() == 0
    assert await OutboxMessage.all().count() == 0


async def test_a_submission_needs_a_multipart_upload(demo: Starlette, gql: GraphQLClient) -> None:
    token = await gql.sign_in("teacher@aa101.example")
    body = await gql.post(
        SUBMIT, {"input": {**submission_input(), "files": ["text, not a file"]}}, token
    )
    assert body["data"]["submitForAssessment"]["errors"][0]["code"] == "FILE_UNREADABLE"


async def test_a_submission_is_audited_with_its_files_and_who_was_told(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("teacher@aa101.example")
    body = await submit(http, token)
    assert body["data"]["submitForAssessment"]["errors"] == []
    event = await AuditEvent.get(action="submission.create")
    assert event.actor_email == "teacher@aa101.example"
    assert event.after["candidateNumber"] == "0002"
    assert [f["name"] for f in event.after["files"]] == ["essay.pdf"]
    assert event.after["notified"] == ["eo@aa101.example", "sfa.eo@aa101.example"]


async def test_submitted_files_download_through_their_signed_links(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("teacher@aa101.example")
    await submit(http, token)
    officer = await gql.sign_in("sfa.eo@aa101.example")
    data = await gql.ok(SUBMISSIONS, {"centre": "AA101"}, officer)
    [file] = data["submissions"]["nodes"][0]["files"]
    response = await http.get(file["url"].removeprefix("http://examdesk.test"))
    assert response.status_code == 200
    assert response.content == PDF
    assert await AuditEvent.exists(
        action="stored_file.download", actor_email="sfa.eo@aa101.example"
    )


# --- Who may do what --------------------------------------------------------------------------

OTHER_CENTRE = "eo@bb202.example"
# Who may submit at AA101: Y allowed, F FORBIDDEN.
SUBMIT_TABLE = {
    "eo@aa101.example": "Y",
    "sfa.eo@aa101.example": "Y",
    "teacher@aa101.example": "Y",
    "aa@aa101.example": "F",
    "slt@aa101.example": "F",
    "inv@aa101.example": "F",
    "users@aa101.example": "F",
    "admin@exb.example": "F",
    OTHER_CENTRE: "F",
}
# Which of AA101's submissions each reads: all, own, or F (FORBIDDEN).
LIST_TABLE = {
    "eo@aa101.example": "all",
    "sfa.eo@aa101.example": "all",
    "teacher@aa101.example": "own",
    "aa@aa101.example": "F",
    "slt@aa101.example": "F",
    "inv@aa101.example": "F",
    "users@aa101.example": "F",
    "admin@exb.example": "all",
    OTHER_CENTRE: "F",
}


async def test_who_may_submit_for_assessment(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    for email, expected in SUBMIT_TABLE.items():
        before = await Submission.all().count()
        body = await submit(http, await gql.sign_in(email))
        if expected == "Y":
            assert body["data"]["submitForAssessment"]["errors"] == [], (email, body)
            assert await Submission.all().count() == before + 1, email
        else:
            assert graphql_code(body) == "FORBIDDEN", (email, body)
            assert await Submission.all().count() == before, email


async def test_who_sees_which_submissions(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    for email in ("teacher@aa101.example", "sfa.eo@aa101.example", "eo@aa101.example"):
        body = await submit(http, await gql.sign_in(email))
        assert body["data"]["submitForAssessment"]["errors"] == []
    # BB202's submission never shows at AA101.
    await submit(
        http,
        await gql.sign_in("teacher@bb202.example"),
        centreCode="BB202",
        syllabusCode="0620",
        candidateNumber="0002",
    )
    for email, expected in LIST_TABLE.items():
        body = await gql.post(SUBMISSIONS, {"centre": "AA101"}, await gql.sign_in(email))
        if expected == "F":
            assert graphql_code(body) == "FORBIDDEN", (email, body)
            continue
        assert not body.get("errors"), (email, body)
        submitters = [n["submittedBy"]["email"] for n in body["data"]["submissions"]["nodes"]]
        if expected == "own":
            assert submitters == [email], email
        else:
            assert submitters == [
                "eo@aa101.example",
                "sfa.eo@aa101.example",
                "teacher@aa101.example",
            ], email


async def test_a_deleted_centre_submits_nothing(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("teacher@aa101.example")
    await Organisation.filter(code="AA101").update(deleted_at=clock.now())
    body = await submit(http, token)
    assert graphql_code(body) == "FORBIDDEN"


async def test_the_list_filters_by_series_and_syllabus(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("sfa.eo@aa101.example")
    await submit(http, token)
    await submit(http, token, syllabusCode="0500", candidateNumber="0004")
    await submit(http, token, seriesCode="2026-JUN", syllabusCode="0580", candidateNumber="0003")
    for variables, count in (
        ({"series": "2026-NOV"}, 2),
        ({"syllabus": "0580"}, 2),
        ({"series": "2026-nov", "syllabus": "0500"}, 1),
        ({}, 3),
    ):
        data = await gql.ok(SUBMISSIONS, {"centre": "AA101", **variables}, token)
        assert data["submissions"]["totalCount"] == count, variables


# --- No N+1 -----------------------------------------------------------------------------------


async def _add_submissions(count: int) -> None:
    centre = await Organisation.get(code="AA101")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0580")
    teacher = await User.get(email="teacher@aa101.example")
    for index in range(count):
        submission = await Submission.create(
            centre=centre,
            series=series,
            syllabus=syllabus,
            kind=SubmissionKind.SAMPLE,
            submitted_by=teacher,
            submitted_at=clock.now(),
        )
        for number in range(2):
            await StoredFile.create(
                owner_type="Submission",
                owner_id=submission.id,
                organisation=centre,
                name=f"{index}-{number}.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256="0" * 64,
                content=PDF,
                created_at=clock.now(),
            )


async def test_the_list_costs_the_same_queries_however_many_submissions(
    demo: Starlette, gql: GraphQLClient, count_queries: Callable[..., Any]
) -> None:
    token = await gql.sign_in("sfa.eo@aa101.example")
    counts = []
    for added in (2, 12):
        await _add_submissions(added)
        with count_queries() as counter:
            data = await gql.ok(SUBMISSIONS, {"centre": "AA101"}, token)
        assert len(data["submissions"]["nodes"]) == min(15, (2 if added == 2 else 14))
        counts.append(len(counter.statements))
    assert counts[0] == counts[1], counts

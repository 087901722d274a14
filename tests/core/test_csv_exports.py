"""CSV files the server writes cannot run formulas in a spreadsheet (OWASP CSV injection): a
value starting with = + - @ TAB or CR comes out behind a single quote, in every kind of file,
while a plain number such as a negative mark stays a number."""

import csv
import io
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from models.audit import AuditEvent
from models.users import User
from resolvers.core import clock
from resolvers.core.csv_export import csv_bytes, safe_cell
from tests.helpers.graphql import GraphQLClient

FORMULA = '=HYPERLINK("http://x","y")'
JOB = "query($id: ID!) { job(id: $id) { status errorMessage files { name url } } }"
BOARD = "admin@exb.example"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-5+A1", "'-5+A1"),
        ("-", "'-"),
        # Plain numbers are read as numbers and run nothing: a negative mark must stay one.
        ("-5", "-5"),
        ("+3", "+3"),
        ("-2.5", "-2.5"),
        (-5, "-5"),
        (0, "0"),
        ("Zoë Ångström", "Zoë Ångström"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_a_cell_is_escaped_unless_it_is_safe(value: object, written: str) -> None:
    assert safe_cell(value) == written
    [[read]] = list(csv.reader(io.StringIO(csv_bytes([[value]]).decode("utf-8-sig"))))
    assert read == written


async def _file_rows(gql: GraphQLClient, token: str, job_id: str) -> list[list[str]]:
    job = await gql.wait_for_job(job_id, token, timeout=30, query=JOB)
    assert job["status"] == "SUCCEEDED", job
    files = [f for f in job["files"] if f["name"].endswith(".csv")]
    assert len(files) == 1, job
    response = await gql.http.get(files[0]["url"])
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _cells(rows: list[list[str]]) -> set[str]:
    return {cell for row in rows for cell in row}


async def _upload(
    gql: GraphQLClient,
    token: str,
    query: str,
    variables: dict[str, Any],
    content: bytes,
    filename: str,
) -> dict[str, Any]:
    return await gql.upload_ok(
        query, {"input": variables}, {"input.file": (filename, content, "text/csv")}, token
    )


async def test_every_export_writes_a_formula_as_text(
    demo: Starlette, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    board = await gql.sign_in(BOARD)
    eo = await gql.sign_in("eo@aa101.example")

    # Audit events: who did it.
    await AuditEvent.create(at=clock.now(), action="user.invite", actor_email=FORMULA)
    queued = await gql.ok(
        "mutation($input: ExportAuditEventsInput!) { exportAuditEvents(input: $input) "
        "{ job { id } errors { code } } }",
        {"input": {"filter": {"action": "user.invite"}}},
        board,
    )
    audit_rows = await _file_rows(gql, board, queued["exportAuditEvents"]["job"]["id"])
    assert "'" + FORMULA in _cells(audit_rows)

    # Sign-in events: the browser's User-Agent is the caller's to choose.
    response = await http.post(
        "/graphql",
        headers={"User-Agent": FORMULA},
        json={
            "query": "mutation($input: SignInInput!) { signIn(input: $input) { stage } }",
            "variables": {"input": {"email": "nobody@aa101.example", "password": "Wrong-pass-1"}},
        },
    )
    assert response.status_code == 200
    queued = await gql.ok(
        "mutation($input: ExportSignInEventsInput!) { exportSignInEvents(input: $input) "
        "{ job { id } errors { code } } }",
        {"input": {"filter": {}}},
        board,
    )
    sign_in_rows = await _file_rows(gql, board, queued["exportSignInEvents"]["job"]["id"])
    assert "'" + FORMULA in _cells(sign_in_rows)

    # The staff summary: a member's name.
    await User.filter(email="inv@aa101.example").update(first_name=FORMULA)
    queued = await gql.ok(
        "mutation($input: ExportStaffSummaryInput!) { exportStaffSummary(input: $input) "
        "{ job { id } errors { code } } }",
        {"input": {"organisationCode": "AA101"}},
        eo,
    )
    summary_rows = await _file_rows(gql, eo, queued["exportStaffSummary"]["job"]["id"])
    assert "'" + FORMULA in _cells(summary_rows)

    # Entry codes: a candidate's name from the exams officer's file.
    entries = io.StringIO()
    csv.writer(entries).writerows(
        [
            ["first_name", "last_name", "username", "password", "syllabus_codes"],
            [FORMULA, "Doe", "formula_1", "Secret01Pass", "0500"],
        ]
    )
    entered = await _upload(
        gql,
        eo,
        "mutation($input: EnterCandidatesFromCsvInput!) { enterCandidatesFromCsv("
        "input: $input) { job { id } errors { code message } } }",
        {"centreCode": "AA101", "seriesCode": "2026-NOV"},
        entries.getvalue().encode(),
        "candidates.csv",
    )
    assert entered["enterCandidatesFromCsv"]["errors"] == []
    code_rows = await _file_rows(gql, eo, entered["enterCandidatesFromCsv"]["job"]["id"])
    assert "'" + FORMULA + " Doe" in _cells(code_rows)

    # Centre user PINs: an email address may start with = and hold a formula.
    email = "=1+1@riverside.example"
    centres = io.StringIO()
    csv.writer(centres).writerows(
        [
            [
                "centre_number",
                "centre_name",
                "address",
                "city",
                "country",
                "user_email",
                "user_first_name",
                "user_last_name",
            ],
            [
                "ZZ901",
                "Riverside Academy",
                "1 High Street",
                "Cambridge",
                "United Kingdom",
                email,
                "Grace",
                "Hopper",
            ],
        ]
    )
    uploaded = await _upload(
        gql,
        board,
        "mutation($input: UploadCentresInput!) { uploadCentres(input: $input) "
        "{ job { id } errors { code message } } }",
        {"dryRun": False},
        centres.getvalue().encode(),
        "centres.csv",
    )
    assert uploaded["uploadCentres"]["errors"] == []
    pin_rows = await _file_rows(gql, board, uploaded["uploadCentres"]["job"]["id"])
    assert pin_rows[1][0] == "'" + email

    for rows in (audit_rows, sign_in_rows, summary_rows, code_rows, pin_rows):
        assert not [cell for cell in _cells(rows) if cell.startswith(("=", "@", "\t", "\r"))]

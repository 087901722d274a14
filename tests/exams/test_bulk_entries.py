"""Many candidates from a CSV file (issue 3): multipart uploads through the real app, every row
checked as enterCandidate checks one, all or nothing, and the job that writes a good file."""

import csv
import io
import json
from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.exams import Candidate, Entry, EntryStatus
from models.jobs import Job, JobFile, JobStatus
from resolvers.core import jobs
from resolvers.core.credential_secrets import sealer
from resolvers.exams.bulk_entries import _SEALED_FOR, KIND
from resolvers.identity.passwords import verify_password
from tests.exams.helpers import UPLOAD, upload
from tests.helpers.graphql import GraphQLClient

HEADER = "first_name,last_name,username,password,syllabus_codes,candidate_number,uci"


async def enter_file(
    http: httpx.AsyncClient, token: str, content: str | bytes, **values: Any
) -> dict[str, Any]:
    response = await upload(http, token, content, **values)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["enterCandidatesFromCsv"]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


async def counts() -> tuple[int, int, int, int]:
    return (
        await Candidate.all().count(),
        await Entry.all().count(),
        await Job.all().count(),
        await AuditEvent.all().count(),
    )


@pytest.fixture
async def eo(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("eo@aa101.example")


def row_errors(payload: dict[str, Any]) -> dict[int, list[tuple[str, str | None]]]:
    return {
        row["rowNumber"]: [(e["code"], e["column"]) for e in row["errors"]]
        for row in payload["rows"]
    }


# --- every kind of bad row, and nothing written ------------------------------------------------


async def test_every_bad_row_is_reported_on_its_row_and_nothing_is_written(
    http: httpx.AsyncClient, eo: str
) -> None:
    content = csv_text(
        "Nia,Long,good_one,Secret2026,0500 0580,,",  # 2: fine
        "Bad,Name,bad!user,Secret2026,0500,,",  # 3: username
        "Weak,Pass,weak_pass,short,0500,,",  # 4: password
        "No,Syllabus,no_syllabus,Secret2026,0500;9999,,",  # 5: unknown syllabus
        ",Nameless,nameless,Secret2026,0500,,",  # 6: first name
        "Big,Number,big_number,Secret2026,0500,12345,",  # 7: number invalid
        "Taken,Number,taken_number,Secret2026,0500,1,",  # 8: 0001 is Amara's
        "Amara,Okafor,AA101_Cand001,Secret2026,0620,,",  # 9: already entered
        "José,García,josé.garcía,Secret2026,0500,0003,",  # 10: linked, not 0003
        "Other,Long,good_one,Secret2026,0610,,",  # 11: good_one, other name
        "Ann,Dup,dup_a,Secret2026,0500,0500,",  # 12: fine
        "Bob,Dup,dup_b,Secret2026,0500,500,",  # 13: 0500 is dup_a's
        "Too,Many,too_many,Secret2026,0500,,,extra",  # 14: too many cells
        "Too,Few,too_few",  # 15: too few cells
        "Bad,Uci,bad_uci,Secret2026,0500,,AB-1",  # 16: UCI
        "No,Codes,no_codes,Secret2026,,,",  # 17: no syllabus
        "Nia,Long,good_one,Secret2026,0580,,",  # 18: 0580 again
        "No,Password,no_password,,0500,,",  # 19: password missing
    )
    before = await counts()
    payload = await enter_file(http, eo, content)
    assert await counts() == before

    assert payload["rowsRead"] == 18
    assert payload["job"] is None
    assert [e["code"] for e in payload["errors"]] == ["ROWS_INVALID"]
    assert payload["errors"][0]["field"] == ["input", "file"]
    errors = row_errors(payload)
    assert errors == {
        2: [],
        3: [("USERNAME_INVALID", "username")],
        4: [("CANDIDATE_PASSWORD_INVALID", "password")],
        5: [("SYLLABUS_NOT_FOUND", "syllabus_codes")],
        6: [("NAME_REQUIRED", "first_name")],
        7: [("CANDIDATE_NUMBER_INVALID", "candidate_number")],
        8: [("CANDIDATE_NUMBER_TAKEN", "candidate_number")],
        9: [("ALREADY_ENTERED", "syllabus_codes")],
        10: [("CANDIDATE_NUMBER_TAKEN", "candidate_number")],
        11: [("DUPLICATE_IN_FILE", "first_name")],
        12: [],
        13: [("DUPLICATE_IN_FILE", "candidate_number")],
        14: [("CSV_ROW_MALFORMED", None)],
        15: [("CSV_ROW_MALFORMED", None)],
        16: [("UCI_INVALID", "uci")],
        17: [("INVALID_INPUT", "syllabus_codes")],
        18: [("DUPLICATE_IN_FILE", "syllabus_codes")],
        19: [("CANDIDATE_PASSWORD_INVALID", "password")],
    }
    assert payload["rowsWithErrors"] == 16
    rows = {row["rowNumber"]: row for row in payload["rows"]}
    assert '"!"' in rows[3]["errors"][0]["message"]
    assert "Row 2" in rows[11]["errors"][0]["message"]
    assert "Row 12" in rows[13]["errors"][0]["message"]
    assert "needs a password" in rows[19]["errors"][0]["message"]
    assert rows[10]["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert rows[10]["candidateNumber"] == "0002"
    assert rows[12]["candidateNumber"] == "0500"
    assert rows[2]["outcome"] == "NEW_CANDIDATE"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "FILE_EMPTY"),
        (b"\n\n", "FILE_EMPTY"),
        (HEADER.encode() + b"\n", "FILE_EMPTY"),
        (b"first_name,last_name,username,syllabus_codes\nA,B,c,0500\n", "CSV_COLUMNS_INVALID"),
        ((HEADER + ",shoe_size\n").encode(), "CSV_COLUMNS_INVALID"),
        (
            b"first_name,first_name,last_name,username,password,syllabus_codes\n",
            "CSV_COLUMNS_INVALID",
        ),
        ((HEADER + "\nJos\xe9,B,c,Secret2026,0500,,\n").encode("latin-1"), "FILE_UNREADABLE"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "FILE_UNREADABLE"),
        (
            csv_text(*[f"A,B,user{i},Secret2026,0500,," for i in range(5001)]).encode(),
            "TOO_MANY_ROWS",
        ),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "missing-column",
        "unknown-column",
        "repeated-column",
        "not-utf8",
        "binary",
        "too-many-rows",
    ],
)
async def test_file_problems_are_payload_errors_and_write_nothing(
    http: httpx.AsyncClient, eo: str, content: bytes, code: str
) -> None:
    before = await counts()
    payload = await enter_file(http, eo, content)
    assert await counts() == before
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, ["input", "file"])]
    assert payload["rows"] == []
    assert payload["job"] is None


async def test_an_unknown_series_is_an_input_error(http: httpx.AsyncClient, eo: str) -> None:
    payload = await enter_file(http, eo, csv_text("A,B,c,Secret2026,0500,,"), seriesCode="2031-JUN")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("SERIES_NOT_FOUND", ["input", "seriesCode"])
    ]


async def test_exactly_5000_rows_is_allowed(http: httpx.AsyncClient, eo: str) -> None:
    content = csv_text(*[f"A,B,user{i},Secret2026,0500,," for i in range(5000)])
    payload = await enter_file(http, eo, content, dryRun=True)
    assert payload["errors"] == []
    assert payload["rowsRead"] == 5000
    assert payload["rows"][-1]["candidateNumber"] == "5004"


# --- dry run, the header's freedom, numbering ----------------------------------------------------


async def test_a_dry_run_reports_and_writes_nothing(http: httpx.AsyncClient, eo: str) -> None:
    # Excel's "CSV UTF-8": a byte-order mark, CRLF, headers in other case and order.
    content = (
        "\ufeffUsername,Syllabus_Codes,PASSWORD,First Name,last_name\r\n"
        "new_one,0500;0580,Secret2026,Nia,Long\r\n"
        "AA101_Cand003,0500,,Siti,Rahman\r\n"
        "new_two,0610,Secret2026,Ola,Nordmann\r\n"
    ).encode()
    before = await counts()
    payload = await enter_file(http, eo, content, dryRun=True)
    candidates, entries, job_count, audits = await counts()
    assert (candidates, entries, job_count) == before[:3]
    assert audits == before[3] + 1  # the check itself is recorded, nothing else
    assert payload["errors"] == []
    assert payload["dryRun"] is True
    assert payload["job"] is None
    assert [
        (r["rowNumber"], r["username"], r["candidateNumber"], r["outcome"]) for r in payload["rows"]
    ] == [
        (2, "new_one", "0005", "NEW_CANDIDATE"),
        (3, "AA101_Cand003", "0003", "LINKED_TO_EXISTING_CANDIDATE"),
        (4, "new_two", "0006", "NEW_CANDIDATE"),
    ]
    assert "already belongs to candidate 0003 Siti Rahman" in payload["rows"][1]["message"]
    assert payload["rows"][0]["syllabusCodes"] == ["0500", "0580"]
    assert (payload["newCandidates"], payload["linkedCandidates"], payload["entries"]) == (2, 1, 4)
    event = await AuditEvent.filter(action="entry.upload").order_by("-id").first()
    assert event is not None
    assert event.after["dryRun"] is True
    assert "Secret2026" not in json.dumps(event.after)


# --- a good file, written by the job -------------------------------------------------------------


async def test_fifty_rows_are_written_by_the_job_with_their_entry_codes(
    http: httpx.AsyncClient, gql: GraphQLClient, eo: str
) -> None:
    rows = [f"First{i},Last{i},bulk_{i:02d},Secret{i:02d}Pass,0500 0580,," for i in range(48)]
    rows.append("Siti,Rahman,AA101_Cand003,,0610,,")  # links by username
    rows.append("First0,Last0,bulk_00,Secret00Pass,0620,,")  # one candidate, a second row
    candidates_before, entries_before, _, _ = await counts()

    payload = await enter_file(http, eo, csv_text(*rows), filename="november.csv")
    assert payload["errors"] == [], payload
    assert payload["rowsRead"] == 50
    assert payload["job"]["status"] == "QUEUED"
    assert payload["job"]["kind"] == KIND
    assert payload["job"]["total"] == 48
    job = await gql.wait_for_job(payload["job"]["id"], eo)
    assert job["status"] == "SUCCEEDED", job
    assert job["percent"] == 100

    result = job["result"]
    assert (
        result["candidatesCreated"],
        result["candidatesLinked"],
        result["entriesCreated"],
        result["entriesReinstated"],
    ) == (48, 1, 98, 0)
    assert await Candidate.all().count() == candidates_before + 48
    assert await Entry.all().count() == entries_before + 98
    assert [r["row"] for r in result["rows"]] == list(range(2, 52))

    written = {
        (e.candidate.username, e.syllabus.code): e
        for e in await Entry.filter(
            series__code="2026-NOV", candidate__centre__code="AA101"
        ).select_related("candidate", "syllabus")
    }
    for row in result["rows"]:
        for syllabus, code in row["entryCodes"].items():
            entry = written[(row["username"], syllabus)]
            assert entry.entry_code == code
            assert entry.candidate.candidate_number == row["candidateNumber"]
            assert entry.status is EntryStatus.ENTERED
    first = await Candidate.get(centre__code="AA101", username="bulk_00")
    assert first.candidate_number == "0005"
    assert first.first_name == "First0"
    assert verify_password(first.password_hash, "Secret00Pass")
    assert set(
        await Entry.filter(candidate_id=first.id).values_list("syllabus__code", flat=True)
    ) == {"0500", "0580", "0620"}
    siti = await Candidate.get(centre__code="AA101", username="AA101_Cand003")
    assert siti.candidate_number == "0003"
    assert result["rows"][-2] == {
        "row": 50,
        "username": "AA101_Cand003",
        "candidateNumber": "0003",
        "entryCodes": {"0610": written[("AA101_Cand003", "0610")].entry_code},
    }

    # The entry codes as a file on the job, for the exams officer to hand out.
    job_id = (await Job.get(kind=KIND)).id
    [stored] = await JobFile.filter(job_id=job_id)
    assert stored.name == "entry-codes-AA101-2026-NOV.csv"
    assert stored.content_type == "text/csv"
    listed = list(csv.reader(io.StringIO(bytes(stored.content).decode("utf-8-sig"))))
    assert listed[0] == ["candidate_number", "name", "username", "syllabus_code", "entry_code"]
    assert len(listed) == 1 + 98
    assert [
        "0005",
        "First0 Last0",
        "bulk_00",
        "0500",
        written[("bulk_00", "0500")].entry_code,
    ] in listed

    # No password is left in the job once it is over; both steps are audited.
    stored_job = await Job.get(id=job_id)
    assert stored_job.payload == {}
    upload_event = await AuditEvent.get(action="entry.upload")
    write_event = await AuditEvent.get(action="entry.bulk_create")
    assert write_event.actor_user_id == upload_event.actor_user_id is not None
    assert write_event.actor_email == "eo@aa101.example"
    assert write_event.request_id == upload_event.request_id
    assert write_event.after["candidatesCreated"] == 48
    assert upload_event.after["file"] == "november.csv"


async def test_a_withdrawn_entry_is_brought_back_with_its_code(
    http: httpx.AsyncClient, gql: GraphQLClient, eo: str
) -> None:
    withdrawn = await Entry.get(
        candidate__username="josé.garcía", series__code="2026-JUN", syllabus__code="0610"
    )
    assert withdrawn.status is EntryStatus.WITHDRAWN
    payload = await enter_file(
        http, eo, csv_text("José,García,josé.garcía,,0610,,"), seriesCode="2026-JUN"
    )
    job = await gql.wait_for_job(payload["job"]["id"], eo)
    assert job["status"] == "SUCCEEDED", job
    assert job["result"]["entriesReinstated"] == 1
    assert job["result"]["rows"][0]["entryCodes"] == {"0610": withdrawn.entry_code}
    await withdrawn.refresh_from_db()
    assert withdrawn.status is EntryStatus.ENTERED
    assert withdrawn.withdrawn_at is None


async def test_a_change_made_after_the_check_fails_the_whole_job(demo: object) -> None:
    """The job checks again inside its transaction: a username taken meanwhile writes nothing."""
    from models.organisations import Organisation
    from models.users import User

    centre = await Organisation.get(code="AA101")
    series_id = (await Entry.filter(series__code="2026-NOV").first().values("series_id"))[
        "series_id"
    ]
    syllabus_id = (await Entry.filter(syllabus__code="0500").first().values("syllabus_id"))[
        "syllabus_id"
    ]
    sealed = sealer(_SEALED_FOR).encrypt(b"Secret2026").decode()

    def planned(username: str, number: str) -> dict[str, Any]:
        return {
            "row": 2,
            "username": username,
            "candidateId": None,
            "candidateNumber": number,
            "firstName": "A",
            "lastName": "B",
            "uci": None,
            "password": sealed,
            "entries": [
                {
                    "row": 2,
                    "syllabusId": syllabus_id,
                    "syllabusCode": "0500",
                    "reinstateId": None,
                    "entryCode": None,
                }
            ],
        }

    user = await User.get(email="eo@aa101.example")
    job = await Job.create(
        kind=KIND,
        organisation_id=centre.id,
        created_by_id=user.id,
        request_id="test",
        status=JobStatus.RUNNING,
        created_at=centre.created_at,
        payload={
            "centreId": centre.id,
            "centreCode": "AA101",
            "seriesId": series_id,
            "seriesCode": "2026-NOV",
            "file": None,
            "candidates": [planned("fresh_one", "0100"), planned("AA101_Cand001", "0101")],
        },
    )
    before = await counts()
    await jobs.run(job)
    await job.refresh_from_db()
    assert job.status is JobStatus.FAILED
    assert job.error_code == "CONCURRENT_CHANGE"
    assert "AA101_Cand001" in (job.error_message or "")
    assert await counts() == before
    assert not await JobFile.filter(job_id=job.id).exists()
    assert job.payload == {}


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "slt@aa101.example",
        "teacher@aa101.example",
        "eo@bb202.example",
    ],
)
async def test_only_the_centres_exams_officer_may_upload(
    demo: object, http: httpx.AsyncClient, gql: GraphQLClient, email: str
) -> None:
    token = await gql.sign_in(email)
    before = await counts()
    response = await upload(http, token, csv_text("A,B,c_1,Secret2026,0500,,"))
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await counts() == before


async def test_the_associates_exams_officer_may_upload_for_its_centre(
    demo: object, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@as100.example")
    payload = await enter_file(
        http, token, csv_text("A,B,c_1,Secret2026,0500,,"), centreCode="AS101", dryRun=True
    )
    assert payload["errors"] == []
    assert payload["rows"][0]["candidateNumber"] == "0001"


async def test_signed_out_uploads_are_refused(demo: object, http: httpx.AsyncClient) -> None:
    response = await upload(http, None, csv_text("A,B,c_1,Secret2026,0500,,"))
    assert response.status_code == 400


# --- the multipart request's guards ---------------------------------------------------------------


async def test_a_multipart_request_without_the_custom_header_is_refused(
    http: httpx.AsyncClient, eo: str
) -> None:
    before = await counts()
    response = await upload(
        http, eo, csv_text("A,B,c_1,Secret2026,0500,,"), headers={"X-Examdesk-Upload": ""}
    )
    assert response.status_code == 400
    assert "X-Examdesk-Upload" in response.text
    # What a cross-site form would send: no Authorization, no custom header.
    response = await http.post(
        "/graphql",
        data={"operations": json.dumps({"query": UPLOAD, "variables": {}}), "map": "{}"},
        files={"0": ("a.csv", b"x", "text/csv")},
    )
    assert response.status_code == 400
    assert await counts() == before


@pytest.mark.parametrize(
    "client_header",
    [{"Apollo-Require-Preflight": "true"}, {"X-Apollo-Operation-Name": "EnterCandidates"}],
)
async def test_an_apollo_clients_upload_is_accepted(
    http: httpx.AsyncClient, eo: str, client_header: dict[str, str]
) -> None:
    # Apollo Client's upload link marks its requests with its own header, not ours.
    response = await upload(
        http,
        eo,
        csv_text("Ada,Lovelace,apollo_1,Secret2026,0500,,"),
        headers={"X-Examdesk-Upload": "", **client_header},
        dryRun=True,
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["enterCandidatesFromCsv"]["errors"] == []


async def test_a_file_sent_as_json_text_is_refused(gql: GraphQLClient, eo: str) -> None:
    data = await gql.ok(
        UPLOAD,
        {"input": {"centreCode": "AA101", "seriesCode": "2026-NOV", "file": HEADER}},
        token=eo,
    )
    assert [e["code"] for e in data["enterCandidatesFromCsv"]["errors"]] == ["FILE_UNREADABLE"]


async def test_uploads_have_their_own_larger_cap(http: httpx.AsyncClient, eo: str) -> None:
    # 3 MB of file passes the upload cap (JSON bodies stop at 1 MB) and reaches the checks.
    big = csv_text(*[f"A,B,user{i},Secret2026,0500,," + " " * 500 for i in range(5001)])
    assert len(big) > 2_500_000
    payload = await enter_file(http, eo, big)
    assert [e["code"] for e in payload["errors"]] == ["TOO_MANY_ROWS"]
    # Over EXAMDESK_MAX_UPLOAD_BYTES (20 MB by default): refused before it is read.
    response = await upload(http, eo, b"x" * 20_000_001)
    assert response.status_code == 413


async def test_the_upload_cap_is_a_setting(make_app: Any) -> None:
    app = await make_app(max_upload_bytes=10_000)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as client:
        response = await upload(client, "not-a-token", b"a" * 20_000)
        assert response.status_code == 413
        response = await upload(client, "not-a-token", b"a" * 100)
        assert response.status_code == 200

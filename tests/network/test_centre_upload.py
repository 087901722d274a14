"""The board's centres spreadsheet (issue 4, seed 003): .xlsx and .csv through the real app, the
report field by field, all or nothing, the PIN file, and who may upload."""

import base64
import csv
import io
import re
import zipfile
from typing import Any

import httpx
import pytest

from models.audit import AuditEvent
from models.jobs import Job
from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.core.spreadsheets import xlsx_bytes
from resolvers.network.centre_upload import KIND, MAX_ROWS
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

REPORT = """
rowsProcessed seconds centresCreated centresUpdated usersCreated usersUpdated
missingCentres { code name action }
extraUsers { centreCode email name lastLoginAt action userId }
duplicatedUsers { email centreCodes inFile }
"""
UPLOAD = f"""
mutation($input: UploadCentresInput!) {{ uploadCentres(input: $input) {{
  dryRun report {{ {REPORT} }} job {{ id kind status total }}
  errors {{ code message field }}
}} }}"""
JOB_REPORT = f"""
query($job: ID!) {{ centresUploadReport(job: $job) {{
  job {{ status }} report {{ {REPORT} }}
}} }}"""
SAMPLE = """
query($format: SampleFormat!) { centresUploadSample(format: $format) {
  name contentType url
} }"""

HEADER = [
    "Centre_Number",
    "Centre Name",
    "ADDRESS",
    "city",
    "country",
    "user_email",
    "user_first_name",
    "user_last_name",
    "user_roles",
]
# New, renamed, unchanged and duplicated entries (see test_a_spreadsheet_...).
ROWS = [
    [
        "AA101",
        "AA Renamed Centre",
        "9 Other Road",
        "Elsewhere",
        "Nowhere",
        "eo@aa101.example",
        "",
        "",
        "",
    ],
    ["AA101", "AA Renamed Centre", "", "", "", "users@aa101.example", "", "", "SLT"],
    ["BB202", "Bayview International School", "", "", "", "teacher@bb202.example", "", "", ""],
    [
        "ZZ901",
        "Riverside Academy",
        "1 High Street",
        "Cambridge",
        "United Kingdom",
        "New1@Riverside.example",
        "Grace",
        "Hopper",
        "user_management; SFA_TEACHER",
    ],
    ["ZZ901", "Riverside Academy", "", "", "", "new2@riverside.example", "Alan", "Turing", ""],
    ["ZZ901", "Riverside Academy", "", "", "", "teacher@bb202.example", "", "", ""],
    [
        "ZZ902",
        "Hillside College",
        "22 Station Road",
        "Nairobi",
        "Kenya",
        "new1@riverside.example",
        "",
        "",
        "",
    ],
]


def csv_file(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


async def post_upload(
    http: httpx.AsyncClient,
    token: str | None,
    content: bytes,
    *,
    filename: str = "c.xlsx",
    dry_run: bool = False,
) -> httpx.Response:
    """The file as a GraphQL multipart request (GraphQLClient.upload), as a client sends it."""
    return await GraphQLClient(http).upload(
        UPLOAD,
        {"input": {"dryRun": dry_run}},
        {"input.file": (filename, content, "application/octet-stream")},
        token,
    )


async def upload(
    http: httpx.AsyncClient, token: str, content: bytes, **options: Any
) -> dict[str, Any]:
    response = await post_upload(http, token, content, **options)
    assert response.status_code == 200, response.text
    return response.json()


async def upload_ok(
    http: httpx.AsyncClient, token: str, content: bytes, **options: Any
) -> dict[str, Any]:
    body = await upload(http, token, content, **options)
    assert not body.get("errors"), body
    payload = body["data"]["uploadCentres"]
    assert payload["errors"] == [], payload
    return payload


async def snapshot() -> tuple[list[Any], ...]:
    return (
        await Organisation.all().order_by("id").values(),
        await User.all().order_by("id").values(),
        await Membership.all().order_by("id").values(),
        await Job.all().order_by("id").values_list("id", flat=True),
        await AuditEvent.all().order_by("id").values_list("id", flat=True),
    )


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("admin@exb.example")


def without_seconds(report: dict[str, Any]) -> dict[str, Any]:
    assert isinstance(report["seconds"], float)
    assert report["seconds"] >= 0
    return {k: v for k, v in report.items() if k != "seconds"}


def expected_extra() -> list[tuple[str, str]]:
    at_aa = [(f"{p}@aa101.example", "AA101") for p in ("aa", "inv", "sfa.eo", "slt", "teacher")]
    at_bb = [(f"{p}@bb202.example", "BB202") for p in ("aa", "eo", "inv", "sfa.eo", "slt", "users")]
    return at_aa + at_bb


async def test_a_spreadsheet_with_new_renamed_missing_and_duplicated_entries(
    http: httpx.AsyncClient, gql: GraphQLClient, board: str
) -> None:
    content = xlsx_bytes([HEADER, *ROWS])
    dry = await upload_ok(http, board, content, dry_run=True)
    assert dry["dryRun"] is True
    assert dry["job"] is None

    payload = await upload_ok(http, board, content, filename="centres.xlsx")
    assert payload["job"]["kind"] == KIND
    assert payload["job"]["total"] == 7
    job = await gql.wait_for_job(payload["job"]["id"], board, timeout=120)
    assert job["status"] == "SUCCEEDED", job
    assert job["percent"] == 100
    typed = await gql.ok(JOB_REPORT, {"job": payload["job"]["id"]}, token=board)
    report = typed["centresUploadReport"]["report"]

    # The dry run said what the job then did; the job's JSON result is the same report.
    assert without_seconds(dry["report"]) == without_seconds(payload["report"])
    assert without_seconds(report) == without_seconds(dry["report"])
    assert job["result"]["rowsProcessed"] == 7
    assert job["result"]["centresCreated"] == 2

    assert report["rowsProcessed"] == 7
    assert report["centresCreated"] == 2
    assert report["centresUpdated"] == 1  # AA101 renamed; BB202 unchanged
    # new2 only: new1, at two centres of the file, is duplicated and held back.
    assert report["usersCreated"] == 1
    # users@aa101 gains SLT; teacher@bb202, at BB202 and (in the file) ZZ901, is held back.
    assert report["usersUpdated"] == 1
    assert report["missingCentres"] == [
        {"code": code, "name": name, "action": "deleteCentre"}
        for code, name in [
            ("AS101", "Northbridge Lakeside School"),
            ("AS102", "Northbridge Hill Academy"),
            ("CC303", "Cedar College"),
        ]
    ]
    extra = [(u["email"], u["centreCode"]) for u in report["extraUsers"]]
    assert sorted(extra, key=lambda e: (e[1], e[0])) == expected_extra()
    assert {u["action"] for u in report["extraUsers"]} == {"removeCentreUser"}
    slt = next(u for u in report["extraUsers"] if u["email"] == "slt@aa101.example")
    assert slt["name"] == "Frida Kahlo"
    assert await User.exists(
        id=int(base64.b64decode(slt["userId"]).decode().split(":")[1]), email="slt@aa101.example"
    )
    assert report["duplicatedUsers"] == [
        {
            "email": "new1@riverside.example",
            "centreCodes": ["ZZ901", "ZZ902"],
            "inFile": ["ZZ901", "ZZ902"],
        },
        {
            "email": "teacher@bb202.example",
            "centreCodes": ["BB202", "ZZ901"],
            "inFile": ["BB202", "ZZ901"],
        },
    ]

    # Existing centres: the name only.
    aa = await Organisation.get(code="AA101")
    assert (aa.name, aa.address, aa.city, aa.country) == ("AA Renamed Centre", "", "", "Singapore")
    zz = await Organisation.get(code="ZZ901")
    assert (zz.kind.value, zz.name, zz.address, zz.city, zz.country, zz.parent_id) == (
        "CENTRE",
        "Riverside Academy",
        "1 High Street",
        "Cambridge",
        "United Kingdom",
        None,
    )
    assert (await Organisation.get(code="ZZ902")).country == "Kenya"

    # Duplicated users are reported, not created or placed.
    assert not await User.exists(email="new1@riverside.example")
    teacher = await User.get(email="teacher@bb202.example")
    assert not await Membership.exists(user_id=teacher.id, organisation__code="ZZ901")
    assert await Membership.exists(user_id=teacher.id, organisation__code="BB202")
    new2 = await User.get(email="new2@riverside.example")
    assert (new2.status, new2.password_hash) == (UserStatus.PENDING_ACTIVATION, None)
    assert new2.pin is not None
    assert len(new2.pin) == 6
    assert new2.pin.isdigit()
    users = await Membership.get(user__email="users@aa101.example", organisation__code="AA101")
    assert users.roles == ["SLT", "USER_MANAGEMENT"]

    # The PIN file: the new users' places, for the person who uploaded the file.
    [file] = job["files"]
    assert file["name"] == "centre-user-pins.csv"
    download = await http.get(file["url"])
    assert download.status_code == 200
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines == [["email", "centre", "pin"], ["new2@riverside.example", "ZZ901", new2.pin]]
    board_id = (await Organisation.get(code="EXB")).id
    event = await AuditEvent.get(action="centre.bulk_upload", organisation_id=board_id)
    assert event.before == {"names": {"AA101": "AA Dummy Centre A"}}
    assert event.after["names"] == {"AA101": "AA Renamed Centre"}
    assert event.after["centresCreated"] == ["ZZ901", "ZZ902"]
    # Each centre the file changed finds its share in its own audit log; BB202 was unchanged.
    at_centres = {
        e.organisation_id: e.after
        for e in await AuditEvent.filter(action="centre.bulk_upload").exclude(
            organisation_id=board_id
        )
    }
    ids = {o.code: o.id for o in await Organisation.filter(code__in=["AA101", "ZZ901", "ZZ902"])}
    assert at_centres == {
        ids["AA101"]: {
            "file": "centres.xlsx",
            "name": {"before": "AA Dummy Centre A", "after": "AA Renamed Centre"},
            "rolesAdded": ["users@aa101.example"],
        },
        ids["ZZ901"]: {"file": "centres.xlsx", "created": True, "usersCreated": [new2.email]},
        ids["ZZ902"]: {"file": "centres.xlsx", "created": True},
    }
    centre_log = await gql.ok(
        """query { auditEvents(filter: {organisationCode: "AA101", action: "centre.bulk"}) {
          nodes { action actorEmail after } } }""",
        token=await gql.sign_in("eo@aa101.example"),
    )
    [seen] = centre_log["auditEvents"]["nodes"]
    assert (seen["actorEmail"], seen["after"]["rolesAdded"]) == (
        "admin@exb.example",
        ["users@aa101.example"],
    )

    # The same file again changes nothing more.
    again = await upload_ok(http, board, content, dry_run=True)
    assert [
        again["report"][k]
        for k in ("centresCreated", "centresUpdated", "usersCreated", "usersUpdated")
    ] == [0, 0, 0, 0]


async def test_the_files_new_users_get_their_activation_email_and_can_activate(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    board = await gql.sign_in("admin@exb.example")
    rows = [["ZZ901", "Riverside", "", "", "", "ada@riverside.example", "Ada", "Lovelace", "SLT"]]
    payload = await upload_ok(gql.http, board, xlsx_bytes([HEADER, *rows]))
    await gql.wait_for_job(payload["job"]["id"], board, timeout=120)

    [message] = await mailbox.wait_for("ada@riverside.example")
    assert message["Subject"] == "Activate your examdesk account"
    assert message.get_content().startswith("Hello Ada,")
    code = re.search(r"email address: (\d{6})\b", message.get_content())
    assert code is not None
    activated = await gql.ok(
        """mutation($input: SetPasswordWithCodeInput!) { activateAccount(input: $input) {
          ok errors { code } } }""",
        {
            "input": {
                "email": "ada@riverside.example",
                "code": code.group(1),
                "newPassword": "Quill-Meadow-Ember-58",
            }
        },
    )
    assert activated["activateAccount"] == {"ok": True, "errors": []}
    assert (await User.get(email="ada@riverside.example")).status is UserStatus.ACTIVE


async def test_a_corrected_file_places_the_users_it_once_held_back(
    http: httpx.AsyncClient, gql: GraphQLClient, board: str
) -> None:
    first = await upload_ok(http, board, xlsx_bytes([HEADER, *ROWS]))
    await gql.wait_for_job(first["job"]["id"], board, timeout=120)
    # new1 now at one centre only; teacher@bb202 left at BB202 alone.
    corrected = [r for r in ROWS if r[5].lower() != "teacher@bb202.example" and r[0] != "ZZ902"]
    corrected.append(["ZZ902", "Hillside College", "", "", "", "", "", "", ""])

    payload = await upload_ok(http, board, xlsx_bytes([HEADER, *corrected]))
    job = await gql.wait_for_job(payload["job"]["id"], board, timeout=120)

    assert job["status"] == "SUCCEEDED", job
    report = payload["report"]
    assert report["duplicatedUsers"] == []
    assert report["usersCreated"] == 1
    new1 = await User.get(email="new1@riverside.example")
    assert new1.status is UserStatus.PENDING_ACTIVATION
    places = {
        m.organisation.code: m.roles
        for m in await Membership.filter(user_id=new1.id).select_related("organisation")
    }
    assert places == {"ZZ901": ["SFA_TEACHER", "USER_MANAGEMENT"]}


async def test_a_csv_file_with_rows_without_users(
    http: httpx.AsyncClient, gql: GraphQLClient, board: str
) -> None:
    header = ["centre_number", "centre_name", "address", "city", "country"]
    content = csv_file(
        [
            ["cc303", "Cedar College", "", "", ""],
            ["YY100", "Yew Tree School", "3 Lane", "Lima", "Peru"],
        ],
        header,
    )
    payload = await upload_ok(http, board, b"\xef\xbb\xbf" + content, filename="c.csv")
    report = payload["report"]
    assert (report["centresCreated"], report["centresUpdated"], report["usersCreated"]) == (1, 0, 0)
    # Without user columns the file says nothing about users: none is "extra".
    assert report["extraUsers"] == []
    assert report["duplicatedUsers"] == []
    job = await gql.wait_for_job(payload["job"]["id"], board, timeout=120)
    assert job["status"] == "SUCCEEDED", job
    assert (await Organisation.get(code="YY100")).city == "Lima"


async def refused(
    http: httpx.AsyncClient, token: str, content: bytes, **options: Any
) -> list[dict[str, Any]]:
    before = await snapshot()
    body = await upload(http, token, content, **options)
    assert not body.get("errors"), body
    payload = body["data"]["uploadCentres"]
    assert payload["job"] is None
    assert payload["report"] is None
    assert payload["errors"], payload
    assert await snapshot() == before, "a refused file changed the database"
    return payload["errors"]


async def test_wrong_columns_are_refused(http: httpx.AsyncClient, board: str) -> None:
    errors = await refused(http, board, csv_file([["AA101", "x"]], ["centre", "centre_name"]))
    assert [e["code"] for e in errors] == ["CSV_COLUMNS_INVALID"]
    assert "missing column centre_number" in errors[0]["message"]
    errors = await refused(http, board, xlsx_bytes([["centre_number", "name"], ["AA101", "x"]]))
    assert [e["code"] for e in errors] == ["CSV_COLUMNS_INVALID"]


@pytest.mark.parametrize("number", ["AB-12", "A", "X" * 17, "ZZ 901"])
async def test_a_centre_number_createcentre_refuses_is_refused_in_a_file_too(
    http: httpx.AsyncClient, board: str, number: str
) -> None:
    errors = await refused(
        http,
        board,
        csv_file(
            [[number, "Riverside", "", "", ""]],
            ["centre_number", "centre_name", "address", "city", "country"],
        ),
    )
    assert [(e["code"], e["field"]) for e in errors[1:]] == [
        ("CENTRE_CODE_INVALID", ["input", "file", "2", "centre_number"])
    ]
    assert "2 to 16 letters and digits" in errors[1]["message"]


async def test_bad_rows_are_reported_with_row_and_column(
    http: httpx.AsyncClient, board: str
) -> None:
    rows = [
        ["ZZ901", "Riverside", "", "", "", "not-an-email", "A", "B", ""],  # row 2
        ["ZZ902", "Hillside", "", "", "", "x@hill.example", "A", "B", "WIZARD"],  # row 3
        ["ZZ901", "Riverbank", "", "", "", "", "", "", ""],  # row 4
        ["", "Nameless", "", "", "", "", "", "", ""],  # row 5
        ["AS100", "Northbridge", "", "", "", "", "", "", ""],  # row 6
        ["ZZ903", "Third", "", "", "", "nobody@new.example", "", "", ""],  # row 7
        ["ZZ904", "Fourth", "", "", "", "y@x.example", "A", "B", "GLOBAL_LISTENING"],  # 8
        ["ZZ905", "", "", "", "", "", "", "", ""],  # row 9
    ]
    errors = await refused(http, board, xlsx_bytes([HEADER, *rows]))
    assert errors[0]["code"] == "ROWS_INVALID"
    found = [(e["code"], e["field"]) for e in errors[1:]]
    assert found == [
        ("EMAIL_INVALID", ["input", "file", "2", "user_email"]),
        ("ROLE_NOT_GRANTABLE", ["input", "file", "3", "user_roles"]),
        ("DUPLICATE_IN_FILE", ["input", "file", "4", "centre_name"]),
        ("INVALID_INPUT", ["input", "file", "5", "centre_number"]),
        # The associate's number is reported with the rows' own problems, not after them.
        ("NOT_A_CENTRE", ["input", "file", "6", "centre_number"]),
        ("NAME_REQUIRED", ["input", "file", "7", "user_first_name"]),
        ("ROLE_NOT_GRANTABLE", ["input", "file", "8", "user_roles"]),
        ("NAME_REQUIRED", ["input", "file", "9", "centre_name"]),
    ]
    assert errors[3]["message"].startswith("Row 4, centre_name: centre ZZ901 is named")
    assert "AS100 is the associate" in errors[5]["message"]
    fixed = [r for r in rows if r[0] in ("AS100", "ZZ903")]
    errors = await refused(http, board, xlsx_bytes([HEADER, *fixed]))
    assert [(e["code"], e["field"]) for e in errors[1:]] == [
        ("NOT_A_CENTRE", ["input", "file", "2", "centre_number"]),
        ("NAME_REQUIRED", ["input", "file", "3", "user_first_name"]),
    ]


async def test_a_deleted_centre_and_a_malformed_row_are_refused(
    http: httpx.AsyncClient, board: str
) -> None:
    await Organisation.filter(code="CC303").update(deleted_at=clock.now())
    errors = await refused(
        http, board, csv_file([["CC303", "Cedar", "", "", ""]], HEADER[:5]), filename="c.csv"
    )
    assert [e["code"] for e in errors] == ["ROWS_INVALID", "ORGANISATION_DELETED"]
    content = csv_file([], HEADER[:5]) + b"ZZ901,Too,many,cells,here,and,more\n"
    errors = await refused(http, board, content, filename="c.csv")
    assert [e["code"] for e in errors] == ["ROWS_INVALID", "CSV_ROW_MALFORMED"]
    assert errors[1]["field"] == ["input", "file", "2"]


async def test_files_that_are_not_spreadsheets_are_refused(
    http: httpx.AsyncClient, board: str
) -> None:
    binary = bytes(range(256)) * 4
    assert [e["code"] for e in await refused(http, board, binary)] == ["FILE_UNREADABLE"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "not a workbook")
    errors = await refused(http, board, archive.getvalue())
    assert [e["code"] for e in errors] == ["FILE_UNREADABLE"]
    assert "not an Excel or CSV file" in errors[0]["message"]
    text = b"Dear board, please add our centre.\n"
    errors = await refused(http, board, text, filename="letter.txt")
    assert [e["code"] for e in errors] == ["CSV_COLUMNS_INVALID"]
    assert [e["code"] for e in await refused(http, board, b"")] == ["FILE_EMPTY"]
    assert [e["code"] for e in await refused(http, board, xlsx_bytes([]))] == ["FILE_EMPTY"]


async def test_too_many_rows_are_refused(http: httpx.AsyncClient, board: str) -> None:
    rows = [[f"Q{i:05d}", f"Centre {i}", "", "", ""] for i in range(MAX_ROWS + 1)]
    errors = await refused(http, board, csv_file(rows, HEADER[:5]), filename="c.csv")
    assert [e["code"] for e in errors] == ["TOO_MANY_ROWS"]


async def test_a_dry_run_writes_nothing(http: httpx.AsyncClient, board: str) -> None:
    before = await snapshot()
    payload = await upload_ok(http, board, csv_file(ROWS), filename="c.csv", dry_run=True)
    assert payload["report"]["centresCreated"] == 2
    after = await snapshot()
    assert after[:4] == before[:4]
    # Only the audit event of the dry run itself.
    assert len(after[4]) == len(before[4]) + 1
    assert (await AuditEvent.all().order_by("-id").first()).action == "centre.upload"


@pytest.mark.parametrize(
    "email", ["eo@aa101.example", "users@aa101.example", "eo@as100.example", "slt@cc303.example"]
)
async def test_only_board_admins_upload_centres(
    http: httpx.AsyncClient, gql: GraphQLClient, demo: object, email: str
) -> None:
    token = await gql.sign_in(email)
    before = await snapshot()
    body = await upload(http, token, csv_file(ROWS), filename="c.csv")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await snapshot() == before
    sample = await gql.post(SAMPLE, {"format": "CSV"}, token=token)
    assert sample["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_anonymous_uploads_are_refused(http: httpx.AsyncClient, demo: object) -> None:
    before = await snapshot()
    # examdesk/graphql.py turns away a multipart request without Authorization (CSRF).
    response = await post_upload(http, None, csv_file(ROWS), filename="c.csv")
    assert response.status_code == 400
    assert await snapshot() == before


@pytest.mark.parametrize("file_format", ["XLSX", "CSV"])
async def test_the_sample_file_is_a_valid_upload(
    http: httpx.AsyncClient, gql: GraphQLClient, board: str, file_format: str
) -> None:
    sample = (await gql.ok(SAMPLE, {"format": file_format}, token=board))["centresUploadSample"]
    assert sample["name"] == f"centres-sample.{file_format.lower()}"
    content = (await http.get(sample["url"])).content
    assert content.startswith(b"PK") == (file_format == "XLSX")
    payload = await upload_ok(http, board, content, dry_run=True)
    report = payload["report"]
    assert (report["rowsProcessed"], report["centresCreated"], report["usersCreated"]) == (3, 2, 2)


async def test_ten_thousand_rows_go_through_the_job(
    http: httpx.AsyncClient, gql: GraphQLClient, board: str
) -> None:
    rows = [
        [
            f"T{i // 2:05d}",
            f"Centre {i // 2}",
            f"{i // 2} Road",
            "Town",
            "Land",
            f"user{i}@t.example",
            "First",
            f"Last{i}",
            "SLT",
        ]
        for i in range(10_000)
    ]
    payload = await upload_ok(http, board, xlsx_bytes([HEADER, *rows]))
    job = await gql.wait_for_job(payload["job"]["id"], board, timeout=120)
    assert job["status"] == "SUCCEEDED", job
    result = job["result"]
    assert (result["rowsProcessed"], result["centresCreated"], result["usersCreated"]) == (
        10_000,
        5_000,
        10_000,
    )
    assert await Organisation.filter(code__startswith="T").count() == 5_000
    assert await Membership.filter(organisation__code__startswith="T").count() == 10_000

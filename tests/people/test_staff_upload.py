"""Staff accounts in bulk (seed 004): the template, the checked upload, and the job."""

import io
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from starlette.applications import Starlette

from models.audit import AuditEvent
from models.jobs import Job
from models.users import Membership, User
from tests.helpers.graphql import GraphQLClient
from tests.people.helpers import upload

TEMPLATE = """
query($format: UserUploadTemplateFormat!) { userUploadTemplate(format: $format) {
  name contentType url
} }"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) { stage errors { code } } }"""
HEADER = "first_name,last_name,email,password,role"


async def upload_users(
    http: httpx.AsyncClient, token: str, content: str | bytes, **values: Any
) -> dict[str, Any]:
    response = await upload(http, token, content, **values)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["uploadUsers"]


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


async def counts() -> tuple[int, int, int]:
    return await User.all().count(), await Membership.all().count(), await Job.all().count()


@pytest.fixture
async def manager(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("users@aa101.example")


async def test_the_template_downloads_in_both_formats(
    gql: GraphQLClient, http: httpx.AsyncClient, manager: str
) -> None:
    csv_link = (await gql.ok(TEMPLATE, {"format": "CSV"}, token=manager))["userUploadTemplate"]
    assert csv_link["name"] == "UserUploadTemplate.csv"
    response = await http.get(csv_link["url"])
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines()[0] == HEADER

    xlsx_link = (await gql.ok(TEMPLATE, {"format": "XLSX"}, token=manager))["userUploadTemplate"]
    response = await http.get(xlsx_link["url"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER.split(",")
    # Made once: a second request hands out the same stored file.
    again = (await gql.ok(TEMPLATE, {"format": "XLSX"}, token=manager))["userUploadTemplate"]
    assert again["url"] != ""
    assert await AuditEvent.filter(action="stored_file.download").count()


@pytest.mark.parametrize("kind", ["CSV", "XLSX"])
async def test_the_template_uploaded_unchanged_creates_nobody(
    gql: GraphQLClient, http: httpx.AsyncClient, manager: str, kind: str
) -> None:
    link = (await gql.ok(TEMPLATE, {"format": kind}, token=manager))["userUploadTemplate"]
    template = (await http.get(link["url"])).content
    before = await counts()

    payload = await upload_users(http, manager, template, filename=link["name"])

    assert [e["code"] for e in payload["errors"]] == ["ROWS_INVALID"]
    [row] = payload["rows"]
    assert [(e["code"], e["column"]) for e in row["errors"]] == [("EXAMPLE_ROW", "email")]
    assert "template's example" in row["errors"][0]["message"]
    assert payload["job"] is None
    assert await counts() == before
    assert not await User.exists(email="grace.hopper@yourcentre.example")


async def test_a_file_with_bad_rows_is_reported_and_nothing_written(
    http: httpx.AsyncClient, manager: str
) -> None:
    before = await counts()
    payload = await upload_users(
        http,
        manager,
        csv_text(
            "Ada,Good,ada.good@aa101.example,Lantern-Harbour-2026,EO;SLT",  # 2: good
            "Bob,Twice,twice@aa101.example,Lantern-Harbour-2026,INV",  # 3: good
            "Bea,Twice,Twice@aa101.example,Lantern-Harbour-2026,INV",  # 4: duplicate
            "Grace,Hopper,inv@aa101.example,Lantern-Harbour-2026,INV",  # 5: registered
            "Cy,Role,cy.role@aa101.example,Lantern-Harbour-2026,TEACHER",  # 6: unknown role
            "Di,Missing,,Lantern-Harbour-2026,SLT",  # 7: missing email
            "Ed,Weak,ed.weak@aa101.example,password,SLT",  # 8: weak password
            # 9: not grantable
            "Flo,Boss,flo.boss@aa101.example,Lantern-Harbour-2026,EXAMS_OFFICER",
            ",Nameless,nameless@aa101.example,Lantern-Harbour-2026,INV",  # 10: missing name
        ),
    )
    assert payload["rowsRead"] == 9
    assert payload["rowsWithErrors"] == 7
    assert payload["job"] is None
    assert payload["reminder"] is None
    assert [e["code"] for e in payload["errors"]] == ["ROWS_INVALID"]
    found = {
        r["rowNumber"]: [(e["code"], e["column"]) for e in r["errors"]] for r in payload["rows"]
    }
    assert found == {
        2: [],
        3: [],
        4: [("DUPLICATE_IN_FILE", "email")],
        5: [("EMAIL_IN_USE", "email")],
        6: [("ROLE_UNKNOWN", "role")],
        7: [("VALUE_REQUIRED", "email")],
        8: [("PASSWORD_TOO_WEAK", "password")],
        9: [("ROLE_NOT_GRANTABLE", "role")],
        10: [("NAME_REQUIRED", "first_name")],
    }
    registered = next(r for r in payload["rows"] if r["rowNumber"] == 5)["errors"][0]["message"]
    assert "inv@aa101.example" in registered
    assert "remove this user from the file" in registered
    assert payload["rows"][0]["roles"] == ["SLT", "USER_MANAGEMENT"]
    assert await counts() == before


async def test_file_level_problems(http: httpx.AsyncClient, manager: str) -> None:
    bad_header = await upload_users(http, manager, "first_name,email\nA,a@b.example\n")
    assert [e["code"] for e in bad_header["errors"]] == ["CSV_COLUMNS_INVALID"]
    empty = await upload_users(http, manager, HEADER + "\n")
    assert [e["code"] for e in empty["errors"]] == ["FILE_EMPTY"]


async def test_thirty_users_from_a_workbook_then_sign_in_and_must_change(
    gql: GraphQLClient, http: httpx.AsyncClient, manager: str
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    people = [
        (
            f"Staff{i}",
            f"Member{i}",
            f"staff{i:02d}@aa101.example",
            f"Harbour-Light-{i}7x",
            ("INV", "SLT", "EO", "INV;SLT")[i % 4],
        )
        for i in range(30)
    ]
    for person in people:
        sheet.append(person)
    out = io.BytesIO()
    workbook.save(out)

    dry = await upload_users(http, manager, out.getvalue(), filename="staff.xlsx", dryRun=True)
    assert dry["errors"] == []
    assert dry["job"] is None
    assert dry["rowsRead"] == 30
    assert not await User.filter(email="staff00@aa101.example").exists()

    payload = await upload_users(http, manager, out.getvalue(), filename="staff.xlsx")
    assert payload["errors"] == []
    assert payload["rowsWithErrors"] == 0
    assert "password" in payload["reminder"]
    job = await gql.wait_for_job(payload["job"]["id"], manager)
    assert job["status"] == "SUCCEEDED", job
    assert job["result"]["accountsCreated"] == 30
    # Neither the sealed passwords nor anyone's details stay in the job.
    stored = await Job.get(kind="staff_upload")
    assert stored.payload == {}

    created = await User.filter(email__startswith="staff", email__endswith="@aa101.example")
    assert len(created) == 30
    assert all(u.must_change_password and u.status == "ACTIVE" for u in created)
    roles = dict(
        await Membership.filter(user__email="staff03@aa101.example").values_list(
            "user__email", "roles"
        )
    )
    assert roles == {"staff03@aa101.example": ["INVIGILATOR", "SLT"]}
    for _, _, email, password, _ in people:
        signed_in = await gql.ok(SIGN_IN, {"input": {"email": email, "password": password}})
        assert signed_in["signIn"] == {"stage": "PASSWORD_CHANGE_REQUIRED", "errors": []}

    again = await upload_users(http, manager, out.getvalue(), filename="staff.xlsx")
    assert again["rowsWithErrors"] == 30
    assert {e["code"] for r in again["rows"] for e in r["errors"]} == {"EMAIL_IN_USE"}

"""Staff progress, the user summary and its CSV download (seed 004 "Reviewing user progress")."""

import csv
import io
from typing import Any

import pytest

from models.audit import AuditEvent
from models.organisations import Organisation
from models.users import Membership, User
from tests.helpers.graphql import GraphQLClient
from tests.training.helpers import (
    ESSENTIALS,
    RIGHT,
    assessment_gid,
    section_ids,
    start,
    submit,
    take,
    user_gid,
)

EMERGENCIES = "Emergencies in the exam room"
ALL_STAFF = "Exam regulations for all staff"
PROGRESS = """
query($code: String!, $user: ID!) { staffProgress(organisationCode: $code, userId: $user) {
  user { email } roles
  assessments { assessment { title audience } status result certificate { number }
    sections { section { order title type durationMinutes questionCount passMark }
      status mark passed failedAttempts attempts { number score passed timeRanOut }
      questionsAnswered { order text given correct } } } } }
"""
SUMMARY = """
query($code: String!) { staffSummary(organisationCode: $code, first: 50) {
  totalCount nodes { user { email fullName } roles passed inProgress notStarted } } }
"""
EXPORT = """
mutation($input: ExportStaffSummaryInput!) { exportStaffSummary(input: $input) {
  job { id kind status } errors { code field } } }
"""


async def progress(gql: GraphQLClient, token: str, email: str, code: str = "AA101") -> Any:
    return await gql.post(PROGRESS, {"code": code, "user": await user_gid(email)}, token)


async def test_progress_shows_status_result_sections_failed_attempts_and_answers(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    first, second = await section_ids()
    wrong = await start(gql, inv, first)
    await submit(gql, inv, wrong["attempt"]["id"], [[0], [0], [0, 1]])
    await take(gql, inv, first, RIGHT[0])
    await take(gql, inv, second, RIGHT[1])
    # Started and not finished: in progress, nothing counted yet.
    await start(gql, inv, (await section_ids("Emergencies in the exam room"))[0])

    eo = await gql.sign_in("eo@aa101.example")
    data = (await progress(gql, eo, "inv@aa101.example"))["data"]["staffProgress"]
    assert data["user"] == {"email": "inv@aa101.example"}
    assert data["roles"] == ["INVIGILATOR"]
    emergencies, essentials = data["assessments"]
    assert emergencies["assessment"]["title"] == "Emergencies in the exam room"
    assert (emergencies["status"], emergencies["result"]) == ("IN_PROGRESS", "0/3")
    assert [s["status"] for s in emergencies["sections"]] == ["IN_PROGRESS", "NOT_STARTED"]
    assert emergencies["sections"][0]["mark"] is None
    assert essentials["status"] == "PASSED"
    assert essentials["result"] == "7/7"
    assert essentials["certificate"]["number"].startswith("TC-")
    before, during = essentials["sections"]
    assert before == {
        "section": {
            "order": 1,
            "title": "Before the exam",
            "type": "UNTIMED",
            "durationMinutes": None,
            "questionCount": 3,
            "passMark": 3,
        },
        "status": "COMPLETED",
        "mark": "3/3",
        "passed": True,
        "failedAttempts": 1,
        "attempts": [
            {"number": 1, "score": 2, "passed": False, "timeRanOut": False},
            {"number": 2, "score": 3, "passed": True, "timeRanOut": False},
        ],
        "questionsAnswered": [
            {
                "order": 1,
                "text": "When may candidates enter the exam room?",
                "given": [1],
                "correct": True,
            },
            {
                "order": 2,
                "text": "What must be on display in the room?",
                "given": [0],
                "correct": True,
            },
            {
                "order": 3,
                "text": "Which items must candidates leave outside?",
                "given": [0, 1],
                "correct": True,
            },
        ],
    }
    assert during["section"]["type"] == "TIMED"
    assert during["section"]["durationMinutes"] == 10
    assert (during["mark"], during["failedAttempts"], len(during["questionsAnswered"])) == (
        "4/4",
        0,
        4,
    )


async def test_a_failed_section_shows_the_latest_mark_and_which_answers_were_wrong(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    await take(gql, inv, (await section_ids())[0], [[1], [2], [0]])
    data = (await progress(gql, inv, "inv@aa101.example"))["data"]["staffProgress"]
    section = data["assessments"][1]["sections"][0]
    assert (section["status"], section["mark"], section["failedAttempts"]) == (
        "IN_PROGRESS",
        "1/3",
        1,
    )
    assert [q["correct"] for q in section["questionsAnswered"]] == [True, False, False]
    assert data["assessments"][1]["result"] == "0/7"


# Y allowed, F FORBIDDEN: whose progress (the invigilator's) each person may read at AA101.
READERS = {
    "eo@aa101.example": "Y",
    "users@aa101.example": "Y",
    "slt@aa101.example": "Y",
    "inv@aa101.example": "Y",
    "teacher@aa101.example": "F",
    "aa@aa101.example": "F",
    "admin@exb.example": "F",
    "eo@bb202.example": "F",
    "slt@bb202.example": "F",
}


@pytest.mark.parametrize(("email", "cell"), sorted(READERS.items()))
async def test_who_reads_progress_and_the_summary(
    demo: object, gql: GraphQLClient, email: str, cell: str
) -> None:
    token = await gql.sign_in(email)
    answers = [await progress(gql, token, "inv@aa101.example")]
    if email != "inv@aa101.example":
        answers.append(await gql.post(SUMMARY, {"code": "AA101"}, token))
        answers.append(await gql.post(EXPORT, {"input": {"organisationCode": "AA101"}}, token))
    for body in answers:
        if cell == "Y":
            assert not body.get("errors"), body
        else:
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    if email == "inv@aa101.example":
        # Their own progress, nobody else's, and not the centre's summary.
        other = await progress(gql, token, "slt@aa101.example")
        summary = await gql.post(SUMMARY, {"code": "AA101"}, token)
        export = await gql.post(EXPORT, {"input": {"organisationCode": "AA101"}}, token)
        for body in (other, summary, export):
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_nothing_of_another_centre_shows(demo: object, gql: GraphQLClient) -> None:
    """A person at two centres: each centre sees the attempts made there only."""
    inv = await User.get(email="inv@aa101.example")
    await Membership.create(
        user=inv, organisation=await Organisation.get(code="BB202"), roles=["INVIGILATOR"]
    )
    token = await gql.sign_in("inv@aa101.example")
    await take(gql, token, (await section_ids())[0], RIGHT[0])
    bb = await gql.sign_in("eo@bb202.example")
    data = (await progress(gql, bb, "inv@aa101.example", "BB202"))["data"]["staffProgress"]
    assert {a["status"] for a in data["assessments"]} == {"NOT_STARTED"}
    aa = await gql.sign_in("eo@aa101.example")
    data = (await progress(gql, aa, "inv@aa101.example"))["data"]["staffProgress"]
    assert [a["status"] for a in data["assessments"]] == ["NOT_STARTED", "IN_PROGRESS"]


async def test_the_summary_and_its_csv_count_each_users_assessments(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    await take(gql, inv, (await section_ids())[0], RIGHT[0])
    await take(gql, inv, (await section_ids())[1], RIGHT[1])
    slt = await gql.sign_in("slt@aa101.example")
    await start(gql, slt, (await section_ids("Exam regulations for all staff"))[0])
    # A name a spreadsheet would run as a formula.
    await User.filter(email="teacher@aa101.example").update(first_name="=HYPERLINK(1)")

    users = await gql.sign_in("users@aa101.example")
    summary = (await gql.ok(SUMMARY, {"code": "AA101"}, users))["staffSummary"]
    rows = {
        n["user"]["email"]: (n["passed"], n["inProgress"], n["notStarted"])
        for n in summary["nodes"]
    }
    assert summary["totalCount"] == 7
    assert rows["inv@aa101.example"] == (1, 0, 1)
    assert rows["slt@aa101.example"] == (0, 1, 2)
    assert rows["eo@aa101.example"] == (0, 0, 3)

    payload = await gql.ok(EXPORT, {"input": {"organisationCode": "AA101"}}, users)
    job = await gql.wait_for_job(payload["exportStaffSummary"]["job"]["id"], users, timeout=30)
    assert job["status"] == "SUCCEEDED", job
    (file,) = job["files"]
    response = await gql.http.get(file["url"])
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_email = {row["email"]: row for row in table}
    assert len(table) == 7
    assert by_email["inv@aa101.example"] == {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "inv@aa101.example",
        "roles": "INVIGILATOR",
        "passed": "1",
        "in_progress": "0",
        "not_started": "1",
    }
    assert by_email["teacher@aa101.example"]["first_name"] == "'=HYPERLINK(1)"
    assert await AuditEvent.filter(action="staff_summary.export_request").count() == 1


async def test_the_summary_costs_the_same_queries_for_more_people(
    demo: object, gql: GraphQLClient, count_queries: Any
) -> None:
    users = await gql.sign_in("users@aa101.example")

    async def statements() -> int:
        with count_queries() as counter:
            await gql.ok(SUMMARY, {"code": "AA101"}, users)
        return len(counter.statements)

    few = await statements()
    centre = await Organisation.get(code="AA101")
    for n in range(20):
        user = await User.create(
            email=f"staff{n}@aa101.example", first_name="Staff", last_name=str(n)
        )
        await Membership.create(user=user, organisation=centre, roles=["INVIGILATOR"])
    assert await statements() == few


async def export_full(gql: GraphQLClient, token: str) -> list[dict[str, str]]:
    variables = {"input": {"organisationCode": "AA101", "detail": "FULL"}}
    payload = (await gql.ok(EXPORT, variables, token))["exportStaffSummary"]
    job = await gql.wait_for_job(payload["job"]["id"], token, timeout=30)
    assert job["status"] == "SUCCEEDED", job
    (file,) = job["files"]
    assert file["name"] == "staff-summary-full-AA101-20261123.csv"
    response = await gql.http.get(file["url"])
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_the_full_summary_has_a_row_per_person_and_assessment(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    first, second = await section_ids()
    wrong = await start(gql, inv, first)
    await submit(gql, inv, wrong["attempt"]["id"], [[0], [0], [0, 1]])
    await take(gql, inv, first, RIGHT[0])
    last = await take(gql, inv, second, RIGHT[1])
    number = last["attempt"]["certificate"]["number"]
    slt = await gql.sign_in("slt@aa101.example")
    await take(gql, slt, (await section_ids(ALL_STAFF))[0], [[0], [0]])
    eo = await gql.sign_in("eo@aa101.example")
    await gql.ok(
        "mutation($input: SetHiddenAssessmentsInput!) { setHiddenAssessments(input: $input) "
        "{ errors { code } } }",
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await user_gid("inv@aa101.example"),
                "assessmentIds": [await assessment_gid(EMERGENCIES)],
            }
        },
        eo,
    )
    await User.filter(email="teacher@aa101.example").update(first_name="=HYPERLINK(1)")
    # Someone with no role that takes assessments, who never signed in: one row, no assessment.
    nobody = await User.create(email="nobody@aa101.example", first_name="No", last_name="Body")
    centre = await Organisation.get(code="AA101")
    await Membership.create(user=nobody, organisation=centre, roles=[])

    users = await gql.sign_in("users@aa101.example")
    table = await export_full(gql, users)
    by_person: dict[str, list[dict[str, str]]] = {}
    for row in table:
        by_person.setdefault(row["email"], []).append(row)
    assert len(by_person) == 8
    (essentials,) = by_person["inv@aa101.example"]  # Emergencies is hidden from her
    assert essentials == {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "inv@aa101.example",
        "roles": "INV",
        "centre_admin": "no",
        "last_sign_in": essentials["last_sign_in"],
        "assessment": ESSENTIALS,
        "status": "Passed",
        "result": "7/7",
        "date_passed": "2026-11-23",
        "certificate_number": number,
    }
    assert essentials["last_sign_in"].startswith("2026-11-23T")
    slt_rows = {r["assessment"]: (r["status"], r["result"]) for r in by_person["slt@aa101.example"]}
    assert slt_rows == {
        EMERGENCIES: ("Not Started", "0/3"),
        ALL_STAFF: ("In Progress", "2/3"),
        ESSENTIALS: ("Not Started", "0/7"),
    }
    assert {r["roles"] for r in by_person["slt@aa101.example"]} == {"SLT"}
    officer = by_person["eo@aa101.example"]
    assert {(r["roles"], r["centre_admin"]) for r in officer} == {("EO", "yes")}
    assert {r["roles"] for r in by_person["users@aa101.example"]} == {"EO"}
    assert {r["roles"] for r in by_person["aa@aa101.example"]} == {"ACCESS_ARRANGEMENTS"}
    assert {r["first_name"] for r in by_person["teacher@aa101.example"]} == {"'=HYPERLINK(1)"}
    assert by_person["nobody@aa101.example"] == [
        {
            **dict.fromkeys(by_person["nobody@aa101.example"][0], ""),
            "first_name": "No",
            "last_name": "Body",
            "email": "nobody@aa101.example",
            "centre_admin": "no",
        }
    ]
    event = await AuditEvent.get(action="staff_summary.export_request")
    assert event.after == {"centre": "AA101", "detail": "FULL"}


async def test_the_full_summary_is_for_who_reads_the_summary(
    demo: object, gql: GraphQLClient
) -> None:
    variables = {"input": {"organisationCode": "AA101", "detail": "FULL"}}
    for email, allowed in (
        ("slt@aa101.example", True),
        ("eo@aa101.example", True),
        ("inv@aa101.example", False),
        ("teacher@aa101.example", False),
        ("eo@bb202.example", False),
    ):
        body = await gql.post(EXPORT, variables, await gql.sign_in(email))
        if allowed:
            assert body["data"]["exportStaffSummary"]["errors"] == [], email
        else:
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", email

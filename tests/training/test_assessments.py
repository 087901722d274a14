"""Staff assessments: the board writes and publishes them, staff see those meant for them, the
Centre Admin hides invigilators' ones, and sections are taken and marked (seed 004)."""

import io
from datetime import timedelta
from typing import Any

import pypdf
import pytest

from models.assessments import Assessment, Attempt, HiddenAssessment
from models.audit import AuditEvent
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.training.helpers import (
    ESSENTIALS,
    RIGHT,
    START,
    SUBMIT,
    assessment_gid,
    section_ids,
    start,
    submit,
    take,
    user_gid,
)

MY = """
query($code: String!) { myAssessments(organisationCode: $code) {
  totalCount nodes { id title audience sections { id order title type durationMinutes
  passMark questionCount } } } }
"""
HIDE = """
mutation($input: AssessmentVisibilityInput!) { %s(input: $input) {
  hidden user { email } assessment { title } errors { code field } } }
"""
CREATE = """
mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) {
  assessment { id title published sections { title type passMark questionCount } }
  errors { code field } } }
"""
PUBLISH = """
mutation($input: AssessmentIdInput!) { %s(input: $input) {
  assessment { id published } errors { code } } }
"""


async def titles(gql: GraphQLClient, token: str, code: str = "AA101") -> list[str]:
    data = await gql.ok(MY, {"code": code}, token)
    return [n["title"] for n in data["myAssessments"]["nodes"]]


async def visibility(
    gql: GraphQLClient, token: str, mutation: str, email: str, title: str
) -> dict[str, Any]:
    return await gql.post(
        HIDE % mutation,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await user_gid(email),
                "assessmentId": await assessment_gid(title),
            }
        },
        token,
    )


async def test_an_invigilator_sees_the_invigilators_assessments_less_those_hidden(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    eo = await gql.sign_in("eo@aa101.example")
    assert await titles(gql, inv) == ["Emergencies in the exam room", ESSENTIALS]

    hidden = await visibility(gql, eo, "hideAssessment", "inv@aa101.example", ESSENTIALS)
    assert hidden["data"]["hideAssessment"] == {
        "hidden": True,
        "user": {"email": "inv@aa101.example"},
        "assessment": {"title": ESSENTIALS},
        "errors": [],
    }
    assert await titles(gql, inv) == ["Emergencies in the exam room"]
    # Hidden at AA101 only: the same person is not hidden from anywhere else, and nor is anyone
    # else at AA101.
    assert await HiddenAssessment.all().count() == 1
    started = await start(gql, inv, (await section_ids())[0])
    assert started["errors"] == [
        {"code": "ASSESSMENT_NOT_AVAILABLE", "field": ["input", "sectionId"]}
    ]

    shown = await visibility(gql, eo, "unhideAssessment", "inv@aa101.example", ESSENTIALS)
    assert shown["data"]["unhideAssessment"]["hidden"] is False
    assert await titles(gql, inv) == ["Emergencies in the exam room", ESSENTIALS]
    actions = [e.action for e in await AuditEvent.filter(action__startswith="assessment.h")]
    assert actions == ["assessment.hide"]
    assert await AuditEvent.filter(action="assessment.unhide").count() == 1


async def test_other_staff_see_every_published_assessment(demo: object, gql: GraphQLClient) -> None:
    every = ["Emergencies in the exam room", "Exam regulations for all staff", ESSENTIALS]
    for email in ("eo@aa101.example", "slt@aa101.example", "teacher@aa101.example"):
        assert await titles(gql, await gql.sign_in(email)) == every, email


async def test_hiding_is_for_the_centre_admin_invigilators_and_their_assessments(
    demo: object, gql: GraphQLClient
) -> None:
    users = await gql.sign_in("users@aa101.example")
    refused = await visibility(gql, users, "hideAssessment", "inv@aa101.example", ESSENTIALS)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    eo = await gql.sign_in("eo@aa101.example")
    not_inv = await visibility(gql, eo, "hideAssessment", "slt@aa101.example", ESSENTIALS)
    assert not_inv["data"]["hideAssessment"]["errors"] == [
        {"code": "NOT_AN_INVIGILATOR", "field": ["input", "userId"]}
    ]
    all_staff = await visibility(
        gql, eo, "hideAssessment", "inv@aa101.example", "Exam regulations for all staff"
    )
    assert all_staff["data"]["hideAssessment"]["errors"] == [
        {"code": "NOT_AN_INVIGILATORS_ASSESSMENT", "field": ["input", "assessmentId"]}
    ]
    other = await gql.sign_in("eo@bb202.example")
    elsewhere = await visibility(gql, other, "hideAssessment", "inv@aa101.example", ESSENTIALS)
    assert elsewhere["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await HiddenAssessment.all().count() == 0


async def test_a_wrong_attempt_is_kept_then_passing_issues_the_certificate(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    first, second = await section_ids()
    started = await start(gql, inv, first)
    questions = started["attempt"]["questions"]
    assert started["attempt"]["deadline"] is None
    assert [q["multiple"] for q in questions] == [False, False, True]
    assert "correct" not in str(questions)
    wrong = await submit(gql, inv, started["attempt"]["id"], [[0], [0], [0]])
    assert (wrong["attempt"]["score"], wrong["attempt"]["passed"]) == (1, False)
    again = await submit(gql, inv, started["attempt"]["id"], RIGHT[0])
    assert again["errors"] == [
        {"code": "ATTEMPT_ALREADY_SUBMITTED", "field": ["input", "attemptId"]}
    ]

    passed = await take(gql, inv, first, RIGHT[0])
    assert (passed["attempt"]["score"], passed["attempt"]["passed"]) == (3, True)
    assert passed["attempt"]["certificate"] is None
    last = await take(gql, inv, second, RIGHT[1])
    certificate = last["attempt"]["certificate"]
    assert certificate["number"].startswith("TC-2026-")
    assert await Attempt.filter(passed=False).count() == 1

    response = await gql.http.get(certificate["download"]["url"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/pdf")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in (
        "Grace Hopper",
        ESSENTIALS,
        certificate["number"],
        "AA Dummy Centre A",
        "AA101",
    ):
        assert expected in text, (expected, text)
    actions = {e.action for e in await AuditEvent.all()}
    assert {
        "assessment.section_start",
        "assessment.section_submit",
        "certificate.issue",
        "stored_file.download",
    } <= actions
    done = await start(gql, inv, first)
    assert done["errors"] == [{"code": "SECTION_ALREADY_PASSED", "field": ["input", "sectionId"]}]


async def test_a_timed_section_submitted_too_late_fails_whatever_the_score(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    started = await start(gql, inv, (await section_ids())[1])
    assert started["attempt"]["deadline"] is not None
    clock.advance(timedelta(minutes=10, seconds=31))
    late = await submit(gql, inv, started["attempt"]["id"], RIGHT[1])
    assert late["attempt"]["score"] == 4
    assert (late["attempt"]["passed"], late["attempt"]["timeRanOut"]) == (False, True)
    # Within the grace it counts.
    on_time = await start(gql, inv, (await section_ids())[1])
    clock.advance(timedelta(minutes=10, seconds=20))
    inv = await gql.sign_in("inv@aa101.example")
    ok = await submit(gql, inv, on_time["attempt"]["id"], RIGHT[1])
    assert (ok["attempt"]["passed"], ok["attempt"]["timeRanOut"]) == (True, False)


async def test_nobody_submits_someone_elses_attempt_and_answers_are_checked(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    started = await start(gql, inv, (await section_ids())[0])
    slt = await gql.sign_in("slt@aa101.example")
    body = await gql.post(
        SUBMIT, {"input": {"attemptId": started["attempt"]["id"], "answers": RIGHT[0]}}, slt
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    short = await submit(gql, inv, started["attempt"]["id"], [[1]])
    assert short["errors"] == [{"code": "ANSWERS_INVALID", "field": ["input", "answers"]}]
    bad = await submit(gql, inv, started["attempt"]["id"], [[1], [0], [7]])
    assert bad["errors"] == [{"code": "ANSWERS_INVALID", "field": ["input", "answers", "2"]}]
    assert await Attempt.filter(submitted_at__not_isnull=True).count() == 0


def _draft(**changes: Any) -> dict[str, Any]:
    section = {
        "title": "Rules",
        "passMark": 1,
        "durationMinutes": 15,
        "questions": [{"text": "Is it allowed?", "options": ["Yes", "No"], "correct": [1]}],
    }
    return {
        "title": "New rules",
        "description": "2027",
        "audience": "ALL_STAFF",
        "sections": [section],
        **changes,
    }


async def test_the_board_creates_and_publishes_an_assessment(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in("admin@exb.example")
    made = (await gql.ok(CREATE, {"input": _draft()}, board))["createAssessment"]
    assert made["errors"] == []
    assert made["assessment"]["published"] is False
    assert made["assessment"]["sections"] == [
        {"title": "Rules", "type": "TIMED", "passMark": 1, "questionCount": 1}
    ]
    slt = await gql.sign_in("slt@aa101.example")
    assert "New rules" not in await titles(gql, slt)
    published = await gql.ok(
        PUBLISH % "publishAssessment", {"input": {"assessmentId": made["assessment"]["id"]}}, board
    )
    assert published["publishAssessment"]["assessment"]["published"] is True
    assert "New rules" in await titles(gql, slt)
    inv = await gql.sign_in("inv@aa101.example")
    assert "New rules" not in await titles(gql, inv)
    await gql.ok(
        PUBLISH % "unpublishAssessment",
        {"input": {"assessmentId": made["assessment"]["id"]}},
        board,
    )
    assert "New rules" not in await titles(gql, slt)
    actions = [e.action for e in await AuditEvent.filter(target_type="Assessment").order_by("id")]
    assert actions == ["assessment.create", "assessment.publish", "assessment.unpublish"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sections": []}, ["input", "sections"]),
        (
            {"sections": [{"title": "S", "passMark": 1, "questions": []}]},
            ["input", "sections", "0", "questions"],
        ),
        (
            {
                "sections": [
                    {
                        "title": "S",
                        "passMark": 2,
                        "questions": [{"text": "Q", "options": ["a", "b"], "correct": [0]}],
                    }
                ]
            },
            ["input", "sections", "0", "passMark"],
        ),
        (
            {
                "sections": [
                    {
                        "title": "S",
                        "passMark": 0,
                        "questions": [{"text": "Q", "options": ["a", "b"], "correct": [0]}],
                    }
                ]
            },
            ["input", "sections", "0", "passMark"],
        ),
        (
            {
                "sections": [
                    {
                        "title": "S",
                        "passMark": 1,
                        "questions": [{"text": "Q", "options": ["a", "b"], "correct": [2]}],
                    }
                ]
            },
            ["input", "sections", "0", "questions", "0", "correct"],
        ),
        # Too long: refused with every text input's code (schema/core/input_rules.py), as before
        # writing.
        ({"title": "T" * 201}, ["input", "title"]),
        (
            {
                "sections": [
                    {
                        "title": "S" * 201,
                        "passMark": 1,
                        "questions": [{"text": "Q", "options": ["a", "b"], "correct": [0]}],
                    }
                ]
            },
            ["input", "sections", "0", "title"],
        ),
    ],
)
async def test_an_assessment_is_checked_before_anything_is_written(
    demo: object, gql: GraphQLClient, changes: dict[str, Any], field: list[str]
) -> None:
    board = await gql.sign_in("admin@exb.example")
    before = await Assessment.all().count()
    made = (await gql.ok(CREATE, {"input": _draft(**changes)}, board))["createAssessment"]
    assert made["assessment"] is None
    titles = [changes.get("title", ""), *(s["title"] for s in changes.get("sections", []))]
    code = "INPUT_TOO_LONG" if max(map(len, titles)) > 200 else "ASSESSMENT_INVALID"
    assert made["errors"] == [{"code": code, "field": field}]
    assert await Assessment.all().count() == before


# --- Who may do what: every operation of this file, for every kind of person -------------------

ACTORS = {
    "eo": "eo@aa101.example",
    "users": "users@aa101.example",
    "slt": "slt@aa101.example",
    "inv": "inv@aa101.example",
    "teacher": "teacher@aa101.example",
    "board": "admin@exb.example",
    "other": "eo@bb202.example",
}
# Y allowed, F FORBIDDEN. Columns in the order of ACTORS.
TABLE = {
    "myAssessments": "Y Y Y Y Y F F",
    "startSection": "Y Y Y Y Y F F",
    "hideAssessment": "Y F F F F F F",
    "createAssessment": "F F F F F Y F",
}


async def _operation(gql: GraphQLClient, token: str, operation: str) -> dict[str, Any]:
    if operation == "myAssessments":
        return await gql.post(MY, {"code": "AA101"}, token)
    if operation == "startSection":
        return await gql.post(
            START,
            {"input": {"organisationCode": "AA101", "sectionId": (await section_ids())[0]}},
            token,
        )
    if operation == "hideAssessment":
        return await visibility(gql, token, "hideAssessment", "inv@aa101.example", ESSENTIALS)
    return await gql.post(CREATE, {"input": _draft()}, token)


@pytest.mark.parametrize("operation", sorted(TABLE))
async def test_permission_table(demo: object, gql: GraphQLClient, operation: str) -> None:
    for actor, cell in zip(ACTORS, TABLE[operation].split(), strict=True):
        body = await _operation(gql, await gql.sign_in(ACTORS[actor]), operation)
        if cell == "Y":
            assert not body.get("errors"), (operation, actor, body)
            payload = body["data"][operation]
            assert payload.get("errors", []) == [], (operation, actor, payload)
        else:
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (operation, actor)

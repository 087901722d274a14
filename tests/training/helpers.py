"""Taking the demo's staff assessment through the API, shared by the training test modules."""

import base64
from typing import Any

from models.assessments import Assessment, Section
from models.users import User
from tests.helpers.graphql import GraphQLClient

START = """
mutation($input: StartSectionInput!) { startSection(input: $input) {
  attempt { id deadline questions { order text options multiple } section { title } }
  errors { code field } } }
"""


SUBMIT = """
mutation($input: SubmitSectionInput!) { submitSection(input: $input) {
  attempt { id score passed timeRanOut submittedAt certificate { id number
    download { url expiresAt } } }
  errors { code field } } }
"""


ESSENTIALS = "Invigilation essentials"

# The right answers of the demo's "Invigilation essentials", section by section.
RIGHT = ([[1], [0], [0, 1]], [[1], [1], [1], [0]])


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def section_ids(title: str = ESSENTIALS) -> list[str]:
    sections = await Section.filter(assessment__title=title).order_by("order")
    return [gid("AssessmentSection", s.id) for s in sections]


async def assessment_gid(title: str) -> str:
    return gid("Assessment", (await Assessment.get(title=title)).id)


async def user_gid(email: str) -> str:
    return gid("User", (await User.get(email=email)).id)


async def start(gql: GraphQLClient, token: str, section: str, code: str = "AA101") -> Any:
    data = await gql.ok(START, {"input": {"organisationCode": code, "sectionId": section}}, token)
    return data["startSection"]


async def submit(gql: GraphQLClient, token: str, attempt: str, answers: list) -> Any:
    data = await gql.ok(SUBMIT, {"input": {"attemptId": attempt, "answers": answers}}, token)
    return data["submitSection"]


async def take(gql: GraphQLClient, token: str, section: str, answers: list) -> Any:
    started = await start(gql, token, section)
    assert started["errors"] == [], started
    return await submit(gql, token, started["attempt"]["id"], answers)

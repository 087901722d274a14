"""Bad input gets a clear error, never an internal one (schema/core/input_rules.py, input_checks.py,
ids.py, pagination.py): one test for each input that gave INTERNAL_SERVER_ERROR, a 500 or a
stored control character before, on SQLite and PostgreSQL alike."""

import base64
import json
from typing import Any

import graphql
import httpx
import pytest
from starlette.applications import Starlette

from models.mail import OutboxMessage
from models.users import User
from schema.root import build_schema
from tests.helpers.graphql import GraphQLClient

SERIES_BY_CODE = "query($code: String!) { seriesByCode(code: $code) { code } }"
ORGANISATION = "query($code: String!) { organisation(code: $code) { code } }"
SERIES_PAGE = "query($after: String) { series(first: 5, after: $after) { totalCount } }"
SEARCH = "query($search: String) { organisations(filter: {search: $search}) { totalCount } }"
LOAD_RESULT = """mutation($input: LoadResultInput!) { loadResult(input: $input) {
  result { grade } errors { code field } } }"""
INVITE = """mutation($input: InviteUserInput!) { inviteUser(input: $input) {
  organisationUser { user { email } } errors { code field message } } }"""
CREATE_ASSESSMENT = """mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) {
  assessment { title } errors { code field } } }"""


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def global_id(type_name: str, number: int | str) -> str:
    return base64.b64encode(f"{type_name}:{number}".encode()).decode()


@pytest.fixture
async def admin(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("admin@exb.example")


@pytest.fixture
async def officer(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("eo@aa101.example")


async def test_a_series_code_longer_than_16_characters_is_too_long(
    gql: GraphQLClient, admin: str
) -> None:
    body = await gql.post(SERIES_BY_CODE, {"code": "2026-NOVEMBER-XXX"}, admin)
    assert codes(body) == ["INPUT_TOO_LONG"]
    assert body["errors"][0]["message"] == "code is too long: at most 16 characters."
    assert (await gql.ok(SERIES_BY_CODE, {"code": "X" * 16}, admin)) == {"seriesByCode": None}


async def test_an_organisation_code_longer_than_32_characters_is_too_long(
    gql: GraphQLClient, admin: str
) -> None:
    assert codes(await gql.post(ORGANISATION, {"code": "A" * 33}, admin)) == ["INPUT_TOO_LONG"]
    assert (await gql.ok(ORGANISATION, {"code": "A" * 32}, admin)) == {"organisation": None}


@pytest.mark.parametrize("offset", [2**63, 2**31 - 1, "+3", " 3"])
async def test_a_cursor_beyond_any_list_is_not_valid(
    gql: GraphQLClient, admin: str, offset: int | str
) -> None:
    after = base64.b64encode(f"offset:{offset}".encode()).decode()
    body = await gql.post(SERIES_PAGE, {"after": after}, admin)
    assert codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["message"] == "The cursor is not valid."


@pytest.mark.parametrize(
    "entry_id",
    [
        "RW50cnk6MjE0NzQ4MzY0OA==",
        global_id("Entry", 2**63),
        global_id("Entry", "-1"),
        global_id("Entry", "0"),
        global_id("Entry", " 7"),
    ],
)
async def test_an_id_beyond_the_databases_integers_is_not_an_id(
    gql: GraphQLClient, admin: str, entry_id: str
) -> None:
    payload = (await gql.ok(LOAD_RESULT, {"input": {"entryId": entry_id, "grade": "A"}}, admin))[
        "loadResult"
    ]
    assert payload == {
        "result": None,
        "errors": [{"code": "INVALID_INPUT", "field": ["input", "entryId"]}],
    }


async def test_a_nul_byte_is_refused_in_a_query_and_a_mutation(
    gql: GraphQLClient, admin: str
) -> None:
    body = await gql.post(SEARCH, {"search": "AA\x00101"}, admin)
    assert codes(body) == ["INVALID_CHARACTERS"]
    body = await gql.post(SERIES_BY_CODE, {"code": "2026\x00"}, admin)
    assert codes(body) == ["INVALID_CHARACTERS"]
    payload = (
        await gql.ok(
            LOAD_RESULT,
            {"input": {"entryId": global_id("Entry", 1), "grade": "A\x00"}},
            admin,
        )
    )["loadResult"]
    assert payload["errors"] == [{"code": "INVALID_CHARACTERS", "field": ["input", "grade"]}]


async def test_a_nul_escape_in_the_document_itself_is_refused(
    gql: GraphQLClient, admin: str
) -> None:
    body = await gql.post('{ seriesByCode(code: "2026\\u0000") { code } }', token=admin)
    assert codes(body) == ["INVALID_CHARACTERS"]


async def test_a_lone_surrogate_in_a_variable_is_refused(
    http: httpx.AsyncClient, admin: str
) -> None:
    # As a client's JSON encoder writes it: the escape of half a UTF-16 pair, alone.
    body = json.dumps({"query": SERIES_BY_CODE, "variables": {"code": "\ud800"}})
    assert '"\\ud800"' in body
    response = await http.post(
        "/graphql",
        content=body.encode(),
        headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    answer = response.json()
    assert codes(answer) == ["INVALID_CHARACTERS"]
    assert answer["errors"][0]["message"] == (
        "code contains a lone surrogate, which is not a character."
    )


async def test_a_search_over_50_kb_is_too_long(gql: GraphQLClient, admin: str) -> None:
    body = await gql.post(SEARCH, {"search": "a%" * 26_000}, admin)
    assert codes(body) == ["INPUT_TOO_LONG"]
    assert (await gql.ok(SEARCH, {"search": "a" * 100}, admin)) == {
        "organisations": {"totalCount": 0}
    }


async def test_control_characters_in_an_invitation_store_and_send_nothing(
    gql: GraphQLClient, officer: str
) -> None:
    emails_before = await OutboxMessage.all().count()
    payload = (
        await gql.ok(
            INVITE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "email": "nul\x00@aa101.example",
                    "firstName": "Ann\x07",
                    "lastName": "Lee\nSmith",
                    "roles": ["SLT"],
                }
            },
            officer,
        )
    )["inviteUser"]
    assert payload["organisationUser"] is None
    # Every problem at once, each at its field.
    assert {(e["code"], tuple(e["field"])) for e in payload["errors"]} == {
        ("INVALID_CHARACTERS", ("input", "email")),
        ("INVALID_CHARACTERS", ("input", "firstName")),
        ("INVALID_CHARACTERS", ("input", "lastName")),
    }
    assert not await User.filter(email__startswith="nul").exists()
    assert await OutboxMessage.all().count() == emails_before


async def test_free_text_keeps_line_breaks_and_tabs_that_a_title_may_not_hold(
    gql: GraphQLClient, admin: str
) -> None:
    section = {
        "title": "Rules",
        "passMark": 1,
        "questions": [{"text": "Is it\nallowed?", "options": ["Yes", "No"], "correct": [1]}],
    }
    draft = {
        "title": "New rules",
        "description": "Line one\r\n\tline two",
        "audience": "ALL_STAFF",
        "sections": [section],
    }
    made = (await gql.ok(CREATE_ASSESSMENT, {"input": draft}, admin))["createAssessment"]
    assert made == {"assessment": {"title": "New rules"}, "errors": []}
    refused = (
        await gql.ok(
            CREATE_ASSESSMENT,
            {"input": {**draft, "title": "New\nrules", "description": "bell\x07"}},
            admin,
        )
    )["createAssessment"]
    assert refused["errors"] == [
        {"code": "INVALID_CHARACTERS", "field": ["input", "title"]},
        {"code": "INVALID_CHARACTERS", "field": ["input", "description"]},
    ]


async def test_arguments_of_nested_fields_are_checked_too(gql: GraphQLClient, officer: str) -> None:
    query = """query($series: String) { candidates(centreCode: "AA101", first: 1) {
      nodes { entries(seriesCode: $series) { __typename } } } }"""
    assert codes(await gql.post(query, {"series": "2026-NOV"}, officer)) == []
    assert codes(await gql.post(query, {"series": "X" * 17}, officer)) == ["INPUT_TOO_LONG"]


def test_every_text_input_states_its_limit_in_the_schema() -> None:
    schema = build_schema()._schema
    missing = []
    for type_ in schema.type_map.values():
        if type_.name.startswith("__"):
            continue
        if isinstance(type_, graphql.GraphQLInputObjectType):
            inputs = {f"{type_.name}.{n}": f for n, f in type_.fields.items()}
        elif isinstance(type_, graphql.GraphQLObjectType):
            inputs = {
                f"{type_.name}.{field_name}({n})": a
                for field_name, field in type_.fields.items()
                for n, a in field.args.items()
            }
        else:
            continue
        for coordinate, item in inputs.items():
            named = graphql.get_named_type(item.type)
            if named.name in ("String", "ID") and "At most " not in (item.description or ""):
                missing.append(coordinate)
            if named.name == "DateTime" and "From the year 1900" not in (item.description or ""):
                missing.append(coordinate)
    assert missing == []


async def test_an_operation_name_with_a_lone_surrogate_is_unknown_not_an_error(
    http: httpx.AsyncClient, admin: str
) -> None:
    body = json.dumps({"query": "query Q { __typename }", "operationName": "Q\ud800"})
    response = await http.post(
        "/graphql",
        content=body.encode(),
        headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": 'Unknown operation named "Q?".',
                "extensions": {"code": "UNKNOWN_OPERATION_NAME"},
            }
        ]
    }


UPDATE_SERIES = """mutation($input: UpdateSeriesInput!) { updateSeries(input: $input) {
  series { resultsReleaseAt } errors { code field } } }"""


@pytest.mark.parametrize("time", ["9999-12-31T23:59:59-14:00", "3000-01-01T00:00:00Z"])
async def test_a_key_time_beyond_the_year_2999_is_refused(
    gql: GraphQLClient, admin: str, time: str
) -> None:
    # Stored, it failed on PostgreSQL (year 10000 in UTC), or later when a delay was added.
    payload = (
        await gql.ok(
            UPDATE_SERIES, {"input": {"seriesCode": "2026-NOV", "resultsReleaseAt": time}}, admin
        )
    )["updateSeries"]
    assert payload == {
        "series": None,
        "errors": [{"code": "INVALID_INPUT", "field": ["input", "resultsReleaseAt"]}],
    }


async def test_a_filter_time_a_zone_moves_before_year_one_is_refused(
    gql: GraphQLClient, admin: str
) -> None:
    query = "query($from: DateTime) { signInEvents(filter: {from: $from}) { totalCount } }"
    body = await gql.post(query, {"from": "0001-01-01T00:00:00+05:00"}, admin)
    assert codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["message"] == "from must be from the year 1900 to 2999 (UTC)."
    assert (await gql.ok(query, {"from": "1900-01-01T00:00:00Z"}, admin))["signInEvents"]

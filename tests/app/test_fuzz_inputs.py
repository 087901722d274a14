"""Property-based fuzzing of every query and mutation: nothing a client sends is an internal error.

hypothesis-graphql writes documents from the exported schema with generated argument values
(any characters, NUL and lone surrogates included); half of them are sent with those values
hoisted into JSON variables, as clients do. Each runs through the real app as a board admin, an
exams officer and a signed-out caller, on one demo database per role (mutations change it as
they go, which only widens what later examples meet). The answer must be a JSON body with a
status below 500 and no INTERNAL_SERVER_ERROR.

Bounded by EXAMDESK_FUZZ_EXAMPLES examples per caller (default 600) and a time budget per caller
(EXAMDESK_FUZZ_SECONDS, default 30), so the three runs stay under two minutes on a small machine.
"""

import base64
import json
import os
import time
from datetime import UTC, datetime
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema
from starlette.applications import Starlette

from examdesk.demo import DEMO_PASSWORD
from schema.root import build_schema
from tests.helpers.graphql import GraphQLClient

EXAMPLES = int(os.environ.get("EXAMDESK_FUZZ_EXAMPLES", "600"))
SECONDS = float(os.environ.get("EXAMDESK_FUZZ_SECONDS", "30"))

SCHEMA = build_schema()._schema

# Fields that would end the caller's own session and leave the rest of the run signed out.
SESSION_ENDERS = {"signOut", "signOutCandidate"}


def _datetimes() -> st.SearchStrategy[graphql.ValueNode]:
    moments = st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat)
    # Zones that move a time out of the years datetime holds, then the edges of the range.
    extremes = st.sampled_from(
        [
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-14:00",
            "1899-12-31T23:59:59Z",
            "2999-12-31T23:59:59Z",
            "2026-11-23",
            "not a time",
        ]
    )
    return st.one_of(moments, moments, moments, extremes, st.text(max_size=30)).map(_string)


def _string(text: str) -> graphql.ValueNode:
    return graphql.StringValueNode(value=text)


# Values the demo data holds, so that some operations get past "not found" to the rules behind.
DEMO_VALUES = [
    "EXB",
    "AS100",
    "AS101",
    "AA101",
    "BB202",
    "CC303",
    "2025-NOV",
    "2026-JUN",
    "2026-NOV",
    "0500",
    "0580",
    "0610",
    "0620",
    "0001",
    "A",
    "A*",
    "DELETE",
    "eo@aa101.example",
    "users@aa101.example",
    "admin@exb.example",
    "new.teacher@cc303.example",
    DEMO_PASSWORD,
]
# Edges: each side of the limits, characters that are refused or allowed, surrogates.
EDGE_VALUES = [
    "",
    " ",
    "x" * 16,
    "x" * 17,
    "x" * 32,
    "x" * 33,
    "x" * 101,
    "x" * 255,
    "x" * 60_000,
    "a\x00b",
    "\x00",
    "\ud800",
    "\udfff",
    "line\nbreak",
    "tab\there",
    "\x7f",
    "\u0085",
    "%",
    "_",
    "\\",
    "'; --",
    "é",
    "\U0001f600",
    "offset:-5",
]
NODE_TYPES = [
    "User",
    "Organisation",
    "Series",
    "Syllabus",
    "Candidate",
    "Entry",
    "Result",
    "Job",
    "JobFile",
    "Submission",
    "AccessArrangementApplication",
    "Resource",
    "Release",
    "Assessment",
    "AssessmentSection",
    "SectionAttempt",
    "Certificate",
    "AuditEvent",
    "Nope",
]
NODE_NUMBERS = ["1", "2", "7", "0", "-1", "2147483647", "2147483648", str(2**63), "1e3", "x"]


def _global_ids() -> st.SearchStrategy[str]:
    return st.builds(
        lambda type_name, number: base64.b64encode(f"{type_name}:{number}".encode()).decode(),
        st.sampled_from(NODE_TYPES),
        st.sampled_from(NODE_NUMBERS) | st.integers().map(str),
    )


def _cursors() -> st.SearchStrategy[str]:
    offsets = st.sampled_from(["0", "-5", str(2**31), str(2**63)]) | st.integers().map(str)
    return offsets.map(lambda offset: base64.b64encode(f"offset:{offset}".encode()).decode())


TEXT = st.text()  # any code point, lone surrogates and NUL included
CUSTOM_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "String": st.one_of(
        TEXT, st.sampled_from(DEMO_VALUES), st.sampled_from(EDGE_VALUES), _cursors()
    ).map(_string),
    "ID": st.one_of(_global_ids(), TEXT, st.sampled_from(EDGE_VALUES)).map(_string)
    | st.integers().map(lambda n: graphql.IntValueNode(value=str(n))),
    "DateTime": _datetimes(),
    # Files come only in multipart requests; in a document there can be nothing, or nonsense.
    "Upload": st.text(max_size=10).map(_string),
    "JSON": st.just(graphql.NullValueNode()),
}


def _root_fields(signed_in: bool) -> list[str]:
    names = [*SCHEMA.query_type.fields, *SCHEMA.mutation_type.fields]  # type: ignore[union-attr]
    return [name for name in names if not (signed_in and name in SESSION_ENDERS)]


def documents(signed_in: bool) -> st.SearchStrategy[graphql.DocumentNode]:
    """Operations of one root field each, every field as likely as any other."""
    return st.sampled_from(_root_fields(signed_in)).flatmap(
        lambda name: from_schema(
            SCHEMA,
            fields=[name],
            custom_scalars=CUSTOM_SCALARS,
            print_ast=lambda document: document,
            codec=None,
        )
    )


def with_variables(document: graphql.DocumentNode) -> tuple[str, dict[str, Any]]:
    """The document with its root fields' argument values moved into variables."""
    variables: dict[str, Any] = {}
    definitions: list[graphql.VariableDefinitionNode] = []
    operations = []
    for operation in document.definitions:
        assert isinstance(operation, graphql.OperationDefinitionNode)
        root = SCHEMA.get_root_type(operation.operation)
        assert root is not None
        selections = []
        for selection in operation.selection_set.selections:
            assert isinstance(selection, graphql.FieldNode)
            field = root.fields[selection.name.value]
            arguments = []
            for argument in selection.arguments:
                name = f"v{len(variables)}"
                variables[name] = graphql.value_from_ast_untyped(argument.value)
                definitions.append(
                    graphql.VariableDefinitionNode(
                        variable=graphql.VariableNode(name=graphql.NameNode(value=name)),
                        type=graphql.parse_type(str(field.args[argument.name.value].type)),
                    )
                )
                arguments.append(
                    graphql.ArgumentNode(
                        name=argument.name,
                        value=graphql.VariableNode(name=graphql.NameNode(value=name)),
                    )
                )
            selections.append(
                graphql.FieldNode(
                    alias=selection.alias,
                    name=selection.name,
                    arguments=tuple(arguments),
                    directives=selection.directives,
                    selection_set=selection.selection_set,
                )
            )
        operations.append(
            graphql.OperationDefinitionNode(
                operation=operation.operation,
                name=operation.name,
                variable_definitions=tuple(definitions),
                directives=operation.directives,
                selection_set=graphql.SelectionSetNode(selections=tuple(selections)),
            )
        )
    return graphql.print_ast(graphql.DocumentNode(definitions=tuple(operations))), variables


async def assert_no_internal_error(
    http: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> None:
    # json.dumps escapes what UTF-8 cannot carry (lone surrogates) as \\uXXXX, as browsers do.
    body = json.dumps({"query": query, "variables": variables})
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await http.post("/graphql", content=body.encode(), headers=headers)
    assert response.status_code < 500, (response.status_code, response.text, body)
    answer = response.json()
    codes = [(error.get("extensions") or {}).get("code") for error in answer.get("errors") or []]
    assert "INTERNAL_SERVER_ERROR" not in codes, (answer, body)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # One app and demo database serve every example of a run, on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(
    params=["admin@exb.example", "eo@aa101.example", None],
    ids=["board-admin", "exams-officer", "signed-out"],
)
async def caller(request: pytest.FixtureRequest, demo: Starlette, gql: GraphQLClient) -> str | None:
    """The bearer token of the run's caller (signed in once), or None for a signed-out run."""
    return await gql.sign_in(request.param) if request.param else None


@pytest.fixture
def budget_ends() -> float:
    return time.monotonic() + SECONDS


@FUZZ
@given(data=st.data(), as_variables=st.booleans())
async def test_no_generated_operation_is_an_internal_error(
    http: httpx.AsyncClient,
    caller: str | None,
    budget_ends: float,
    data: st.DataObject,
    as_variables: bool,
) -> None:
    document = data.draw(documents(signed_in=caller is not None), label="document")
    # Drawn before the budget is looked at: Hypothesis replays examples and reports a strategy
    # that draws differently on a replay as flaky, so only the sending may stop.
    if time.monotonic() > budget_ends:
        return
    if as_variables:
        query, variables = with_variables(document)
    else:
        query, variables = graphql.print_ast(document), {}
    await assert_no_internal_error(http, caller, query, variables)

"""Every connection pages both ways: first/after forwards, last/before backwards, with the
same cursors and a pageInfo that is right in either direction."""

from typing import Any

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type

from schema.root import build_schema
from tests.helpers.graphql import GraphQLClient

PAGE = """query Organisations($first: Int, $after: String, $last: Int, $before: String) {
  organisations(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }"""


async def page(gql: GraphQLClient, token: str, **arguments: Any) -> dict[str, Any]:
    return (await gql.ok(PAGE, arguments, token))["organisations"]


def codes(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


def flags(connection: dict[str, Any]) -> tuple[bool, bool]:
    info = connection["pageInfo"]
    return info["hasPreviousPage"], info["hasNextPage"]


async def test_paging_backwards_meets_paging_forwards(demo: object, gql: GraphQLClient) -> None:
    board = await gql.sign_in("admin@exb.example")
    everything = await page(gql, board, first=100)
    every_code = codes(everything)
    assert len(every_code) == everything["totalCount"] > 4
    assert flags(everything) == (False, False)

    forwards: list[str] = []
    after = None
    while True:
        current = await page(gql, board, first=3, after=after)
        assert flags(current)[0] is (after is not None)
        forwards += codes(current)
        if not current["pageInfo"]["hasNextPage"]:
            break
        after = current["pageInfo"]["endCursor"]
    assert forwards == every_code

    backwards: list[str] = []
    before = None
    while True:
        current = await page(gql, board, last=3, before=before)
        assert flags(current)[1] is (before is not None)
        backwards = codes(current) + backwards
        if not current["pageInfo"]["hasPreviousPage"]:
            break
        before = current["pageInfo"]["startCursor"]
    assert backwards == every_code


async def test_cursors_are_the_same_both_ways_and_bound_a_window(
    demo: object, gql: GraphQLClient
) -> None:
    board = await gql.sign_in("admin@exb.example")
    everything = await page(gql, board, first=100)
    cursors = [edge["cursor"] for edge in everything["edges"]]
    tail = await page(gql, board, last=2)
    assert [edge["cursor"] for edge in tail["edges"]] == cursors[-2:]
    assert flags(tail) == (True, False)
    window = await page(gql, board, first=10, after=cursors[0], before=cursors[4])
    assert codes(window) == codes(everything)[1:4]
    assert flags(window) == (True, True)
    window = await page(gql, board, last=2, after=cursors[0], before=cursors[4])
    assert codes(window) == codes(everything)[2:4]
    assert flags(window) == (True, True)
    window = await page(gql, board, last=10, after=cursors[0], before=cursors[4])
    assert codes(window) == codes(everything)[1:4]
    empty = await page(gql, board, last=3, before=cursors[0])
    assert codes(empty) == []
    assert empty["pageInfo"]["startCursor"] is None
    assert empty["totalCount"] == everything["totalCount"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"first": 2, "last": 2},
        {"last": 0},
        {"last": 101},
        {"last": 2, "before": "bm90IGEgY3Vyc29y"},
        {"last": 2, "before": "offset:3"},
    ],
)
async def test_bad_paging_arguments_are_invalid_input(
    demo: object, gql: GraphQLClient, arguments: dict[str, Any]
) -> None:
    board = await gql.sign_in("admin@exb.example")
    body = await gql.post(PAGE, arguments, board)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", body


def test_every_connection_takes_the_four_shared_paging_arguments() -> None:
    schema = build_schema()._schema
    descriptions: dict[str, set[str | None]] = {}
    connections = 0
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            if not get_named_type(field.type).name.endswith("Connection"):
                continue
            connections += 1
            for argument in ("first", "after", "last", "before"):
                assert argument in field.args, f"{graphql_type.name}.{name} lacks {argument}"
                taken = field.args[argument]
                assert not isinstance(taken.type, GraphQLNonNull), (name, argument)
                descriptions.setdefault(argument, set()).add(taken.description)
    assert connections > 20
    for argument, seen in descriptions.items():
        assert len(seen) == 1, (argument, seen)
        assert None not in seen, argument

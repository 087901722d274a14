"""The executor's short ways (schema/core/execution.py) answer exactly as strawberry's executor.

A tiny schema holds every kind of field the short ways take (attributes, methods, a Node's id,
lists of leaves, objects in attributes, lean resolvers with and without arguments) and values
that must fall back (nulls where the type forbids them, values that fail to coerce, objects of
the wrong type, resolvers that fail). Each query runs on the schema as strawberry builds it and
on the same schema with the short ways: data and errors (messages, paths, locations) must be
equal.
"""

import enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry import relay

from schema.core.execution import PlainFieldExecution, _plan_of
from schema.core.lean_resolvers import lean_resolvers


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


@strawberry.type
class Tag:
    label: str
    weight: int | None


@strawberry.type
class Item(relay.Node):
    id: relay.NodeID[int]
    name: str
    note: str | None
    colour: Colour
    colours: list[Colour]
    tag: Tag
    maybe_tag: Tag | None
    tags: list[Tag]
    strict: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError("broken on purpose")

    @strawberry.field
    def greet(self, info: strawberry.Info, word: str = "hello", times: int | None = None) -> str:
        return f"{word} {self.name} {times} {info.path.key}"

    @strawberry.field
    async def later(self, word: str | None = None) -> str:
        return f"{word} later"

    @strawberry.field
    def failing(self, info: strawberry.Info) -> str | None:
        raise RuntimeError("resolver failed")


def item(number: int, **changes: Any) -> Item:
    values: dict[str, Any] = {
        "id": number,
        "name": f"item {number}",
        "note": None,
        "colour": Colour.RED,
        "colours": [Colour.RED, Colour.BLUE],
        "tag": Tag(label="a", weight=None),
        "maybe_tag": None,
        "tags": [Tag(label="b", weight=1), Tag(label="c", weight=2)],
        "strict": "yes",
    }
    values.update(changes)
    return Item(**values)


ITEMS = [
    item(1),
    item(2, note="noted", maybe_tag=Tag(label="m", weight=3)),
    item(3, strict=None),  # null where the type forbids it
    item(4, colour="GREEN"),  # no such enum value
    item(5, colours=[Colour.RED, None]),  # a null item in a list of non-null leaves
    item(6, tag="not a tag"),  # the wrong type of object
    item(7, name=12),  # a number where a string is expected: coerced as strawberry does
    item(8, tags=[Tag(label="d", weight=None), None]),
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return ITEMS

    @strawberry.field
    def first(self) -> Item:
        return ITEMS[0]


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(query=Query)
    short = strawberry.Schema(query=Query, execution_context_class=PlainFieldExecution)
    lean_resolvers(short._schema, short.config)
    return plain, short


QUERIES = [
    "{ items { id name note colour colours shout strict } }",
    "{ items { __typename id t: tag { label weight } maybeTag { label } tags { label weight } } }",
    "{ items { name broken failing } }",
    '{ items { greet g2: greet(word: "hi", times: 3) later l2: later(word: "so") } }',
    "query($on: Boolean!) { first { ...F name @include(if: $on) } } "
    "fragment F on Item { id colour tag { ...T } } fragment T on Tag { label }",
    "{ first { id name strict colours tags { label } } }",
]


def _answer(result: Any) -> tuple[Any, list[Any]]:
    return result.data, [error.formatted for error in result.errors or []]


@pytest.mark.parametrize("query", QUERIES)
async def test_the_short_ways_answer_as_the_executor(query: str) -> None:
    plain, short = schemas()
    variables = {"on": True}
    expected = _answer(await plain.execute(query, variable_values=variables))
    assert _answer(await short.execute(query, variable_values=variables)) == expected
    assert expected[1] or "broken" not in query  # the failing cases do fail


def test_the_short_ways_are_taken_where_they_may_be() -> None:
    _, short = schemas()
    item_type = short._schema.type_map["Item"]
    assert isinstance(item_type, GraphQLObjectType)
    taken = {name for name in item_type.fields if _plan_of(item_type, name) is not None}
    # A method taking only `self` is read directly, one asking for the info or arguments is
    # called through its lean resolver; a list of objects is the executor's.
    assert taken == {
        "id",
        "name",
        "note",
        "colour",
        "colours",
        "tag",
        "maybeTag",
        "strict",
        "shout",
        "broken",
    }
    lean = {
        name
        for name, field in item_type.fields.items()
        if getattr(field.resolve, "__name__", None) == "lean_resolver"
    }
    assert lean == {"shout", "broken", "greet", "later", "failing"}

"""Every root field names exactly one guard from schema.core.permissions.GUARDS.

The guard says who may call the field at all (the public, any session, a fully signed-in one);
what they may do where is then the resolvers' business, through policies/. A field without a
guard would be open to anyone, so this test walks the built schema and fails on one.
"""

import graphql
import strawberry
from strawberry.permission import BasePermission
from strawberry.types.base import StrawberryObjectDefinition

from schema.core.permissions import GUARDS, SignedIn
from schema.root import build_schema


def unguarded_root_fields(schema: strawberry.Schema) -> list[str]:
    """Root fields (Query, Mutation, Subscription) without exactly one of GUARDS."""
    problems: list[str] = []
    for root in ("Query", "Mutation", "Subscription"):
        definition = schema.get_type_by_name(root)
        if definition is None:
            continue
        assert isinstance(definition, StrawberryObjectDefinition), root
        for field in definition.fields:
            guards = [p for p in field.permission_classes if p in GUARDS]
            if len(guards) != 1:
                names = [p.__name__ for p in field.permission_classes]
                problems.append(f"{root}.{field.graphql_name or field.name}: {names}")
    return problems


def test_every_root_field_has_exactly_one_guard() -> None:
    schema = build_schema()
    assert unguarded_root_fields(schema) == []


def test_the_walk_sees_every_root_field() -> None:
    # A walk that found no fields would pass vacuously: check it against the GraphQL schema.
    schema = build_schema()
    sdl = graphql.build_schema(schema.as_str())
    for root in ("Query", "Mutation", "Subscription"):
        definition = schema.get_type_by_name(root)
        assert isinstance(definition, StrawberryObjectDefinition)
        walked = {
            f.graphql_name or schema.config.name_converter.apply_naming_config(f.name)
            for f in definition.fields
        }
        graphql_type = sdl.get_type(root)
        assert isinstance(graphql_type, graphql.GraphQLObjectType)
        assert walked == set(graphql_type.fields), root
        assert walked


class NotAGuard(BasePermission):
    """A permission class that is not one of GUARDS."""

    def has_permission(self, source: object, info: object, **kwargs: object) -> bool:
        return True


def test_the_walk_detects_unguarded_fields() -> None:
    @strawberry.type
    class Query:
        @strawberry.field(permission_classes=[SignedIn])
        def guarded(self) -> int:
            return 1

        @strawberry.field
        def unguarded(self) -> int:
            return 2

        @strawberry.field(permission_classes=[NotAGuard])
        def wrongly_guarded(self) -> int:
            return 3

        @strawberry.field(permission_classes=[SignedIn, SignedIn])
        def guarded_twice(self) -> int:
            return 4

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def do_it(self) -> bool:
            return True

    schema = strawberry.Schema(query=Query, mutation=Mutation)
    assert unguarded_root_fields(schema) == [
        "Query.unguarded: []",
        "Query.wrongly_guarded: ['NotAGuard']",
        "Query.guarded_twice: ['SignedIn', 'SignedIn']",
        "Mutation.do_it: []",
    ]

"""Leaf fields without the executor's full round: where most of a long list's time went.

graphql-core resolves every field alike: the resolve info, strawberry's resolver wrapper, then
value completion, some twenty calls per field. A page of 50 candidates with their entries holds
some two thousand fields, nearly all of them leaves that only read an attribute (`firstName`),
call a method of the object and nothing else (`fullName`), or encode a Node's global id. For
those the value is read and coerced here, in a few calls; the executor's full path still runs
for everything else, and for any leaf whose value is null or fails to coerce, so that every
null, error and error path is the executor's own, exactly as before.

A field takes the short way only if nothing can tell the difference: no arguments, no field
extensions (permission classes are ones), strawberry's own resolver (not one that another
wrapper such as schema/core/input_checks.py replaced), a synchronous resolver that asks for
nothing but `self`, and a Scalar or Enum type.
"""

from collections.abc import Callable
from types import FunctionType
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

# The value, coerced for the response; None when the executor must take over.
Read = Callable[[Any, GraphQLObjectType], Any]

_BACKREF = "strawberry-definition"
# The resolvers strawberry gives a GraphQL field: the plain attribute's, and the general one.
_STRAWBERRY_RESOLVERS = frozenset({"_get_basic_result", "_resolver"})
# relay.Node's `id` resolver, a classmethod each Node type binds to itself.
_NODE_ID = relay.Node.__dict__["_id"].__func__
_DEFAULT_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
_DEFAULT_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]


class LeafShortcutExecution(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, reading plain leaf fields directly (see the module's words)."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        read = _reader(parent_type, field_details_list[0].node.name.value)
        # strawberry passes a manager always; one with middlewares (an extension's `resolve`)
        # must see every field.
        manager = self.middleware_manager
        if read is not None and not (manager and manager.middlewares):
            try:
                value = read(source, parent_type)
            except Exception:  # the executor reads it again, and reports what fails
                value = None
            if value is not None:
                return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


# By object type (kept alive here, so that its id is never another's), then field name.
_READERS: dict[int, tuple[GraphQLObjectType, dict[str, Read | None]]] = {}


def _reader(parent_type: GraphQLObjectType, field_name: str) -> Read | None:
    entry = _READERS.get(id(parent_type))
    if entry is None:
        entry = _READERS[id(parent_type)] = (parent_type, {})
    readers = entry[1]
    try:
        return readers[field_name]
    except KeyError:
        field = parent_type.fields.get(field_name)
        read = readers[field_name] = _plan(parent_type, field) if field is not None else None
        return read


def _plan(parent_type: GraphQLObjectType, field: GraphQLField) -> Read | None:
    """How to read the field directly, or None if only the executor may."""
    definition = field.extensions.get(_BACKREF)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if (
        not isinstance(definition, StrawberryField)
        or not isinstance(leaf, GraphQLScalarType | GraphQLEnumType)
        or field.args
        or definition.extensions
        or getattr(field.resolve, "__name__", None) not in _STRAWBERRY_RESOLVERS
    ):
        return None
    resolver = definition.base_resolver
    if resolver is None:
        return _attribute(definition.python_name, leaf)
    if getattr(resolver.wrapped_func, "__func__", None) is _NODE_ID:
        return _node_id(parent_type)
    if (
        isinstance(resolver.wrapped_func, FunctionType)
        and not resolver.is_async
        and resolver.self_parameter is not None
        and resolver.info_parameter is None
        and resolver.root_parameter is None
        and resolver.parent_parameter is None
        and not resolver.arguments
    ):
        return _method(resolver.wrapped_func, leaf)
    return None


def _attribute(name: str, leaf: GraphQLLeafType) -> Read:
    coerce = leaf.coerce_output_value

    def read(source: Any, _: GraphQLObjectType) -> Any:
        value = getattr(source, name)
        return None if value is None else coerce(value)

    return read


def _method(function: Callable[[Any], Any], leaf: GraphQLLeafType) -> Read:
    coerce = leaf.coerce_output_value

    def read(source: Any, _: GraphQLObjectType) -> Any:
        value = function(source)
        return None if value is None else coerce(value)

    return read


def _node_id(parent_type: GraphQLObjectType) -> Read | None:
    """A Node's global id as strawberry encodes it: the type's name and the NodeID field."""
    origin = parent_type.extensions[_BACKREF].origin
    if (
        origin.resolve_id.__func__ is not _DEFAULT_RESOLVE_ID
        or origin.resolve_typename.__func__ is not _DEFAULT_TYPENAME
    ):
        return None
    attribute = origin.resolve_id_attr()

    def read(source: Any, parent: GraphQLObjectType) -> Any:
        if type(source) is not origin:
            return None
        key = getattr(source, attribute)
        return None if key is None else relay.to_base64(parent.name, key)

    return read

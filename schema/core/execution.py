"""Plain fields without the executor's full round: where most of a long list's time went.

graphql-core resolves every field alike: the resolve info, strawberry's resolver wrapper, then
value completion, some twenty calls per field. A page of 50 candidates with their entries holds
some two thousand fields, nearly all of them plain: a leaf that only reads an attribute
(`firstName`), calls a method of the object and nothing else (`fullName`) or encodes a Node's
global id, a list of such leaves (`roles`), or an object held in an attribute (`series`). Those
are read here in a few calls (an object's own fields are then executed as the executor would).
Anything else takes the executor's full path, and so does any plain field whose value is null
or fails to coerce or to match its type: every null, error and error path is the executor's
own, exactly as before.

A field is plain only if nothing could tell the difference: no arguments, no field extensions
(permission classes are ones), strawberry's own resolver (not one that another wrapper such as
schema/core/input_checks.py replaced), a synchronous resolver that asks for nothing but `self`,
and no middleware in the operation.
"""

from collections.abc import Awaitable, Callable
from types import FunctionType
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.pyutils import Undefined
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField


class _Slow:
    """What a reader answers when the executor's full path must resolve the field."""


_SLOW = _Slow()

# A leaf's (or a list of leaves') value, coerced for the response; or _SLOW.
Read = Callable[[Any, GraphQLObjectType], Any]

_BACKREF = "strawberry-definition"
# The resolvers strawberry gives a GraphQL field (the plain attribute's, and the general one),
# and schema/core/lean_resolvers.py's in place of the general one.
_STRAWBERRY_RESOLVERS = frozenset({"_get_basic_result", "_resolver", "lean_resolver"})
# relay.Node's `id` resolver, a classmethod each Node type binds to itself.
_NODE_ID = relay.Node.__dict__["_id"].__func__
_DEFAULT_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
_DEFAULT_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]


class _Object:
    """A plain field holding an object: the attribute, the object's type, the field's type."""

    __slots__ = ("field_type", "name", "object_type")

    def __init__(
        self, name: str, object_type: GraphQLObjectType, field_type: GraphQLOutputType
    ) -> None:
        self.name = name
        self.object_type = object_type
        self.field_type = field_type


class _Split:
    """An object's selected fields in their order, and which of them are plain leaves."""

    __slots__ = ("grouped_field_set", "leaves", "order", "others")

    def __init__(self, grouped_field_set: Any, parent_type: GraphQLObjectType) -> None:
        self.grouped_field_set = grouped_field_set  # kept alive: its id keys the split
        self.order = list(grouped_field_set)
        self.leaves: list[tuple[str, Read]] = []
        # The other fields, for the executor, as a grouped field set of their own.
        self.others = {}
        for response_name, field_details_list in grouped_field_set.items():
            plan = _plan_of(parent_type, field_details_list[0].node.name.value)
            if plan is None or isinstance(plan, _Object):
                self.others[response_name] = field_details_list
            else:
                self.leaves.append((response_name, plan))


class PlainFieldExecution(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, reading plain fields directly (see the module's words)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # By the id of a grouped field set: the executor collects one per selection and
        # object type, shared by every object of a list.
        self._splits: dict[int, _Split] = {}
        # strawberry passes a manager always; one with middlewares (an extension's `resolve`)
        # must see every field.
        manager = self.middleware_manager
        self._plain = not (manager and manager.middlewares)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """The leaves read directly, the other fields executed, in the selection's order."""
        split = self._splits.get(id(grouped_field_set)) if self._plain else None
        if split is None:
            if not self._plain:
                return super().execute_fields(
                    parent_type, source_value, path, grouped_field_set, position_context
                )
            split = self._splits[id(grouped_field_set)] = _Split(grouped_field_set, parent_type)
        leaves = {}
        for response_name, read in split.leaves:
            try:
                value = read(source_value, parent_type)
            except Exception:
                value = _SLOW
            if value is _SLOW:  # the executor reads the whole object again, and reports
                return super().execute_fields(
                    parent_type, source_value, path, grouped_field_set, position_context
                )
            leaves[response_name] = value
        if not split.others:
            return leaves
        others = super().execute_fields(
            parent_type, source_value, path, split.others, position_context
        )
        if self.is_awaitable(others):
            return _merged_later(split.order, leaves, others)
        return _merged(split.order, leaves, others)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        plan = _plan_of(parent_type, field_details_list[0].node.name.value)
        if plan is not None and self._plain:
            if isinstance(plan, _Object):
                value = getattr(source, plan.name)
                if value is not None and not isinstance(value, Exception) and _is_a(plan, value):
                    return self._object(plan, value, field_details_list, path, position_context)
            else:
                try:
                    value = plan(source, parent_type)
                except Exception:  # the executor reads it again, and reports what fails
                    value = _SLOW
                if value is not _SLOW:
                    return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        """An object value (a list's item, a resolver's answer) straight to its fields; any
        other value, or one its type refuses, completed by the executor."""
        object_type = _object_type(return_type)
        if (
            object_type is not None
            and result is not None
            and not isinstance(result, Exception)
            and (object_type.is_type_of is None or object_type.is_type_of(result, info) is True)
        ):
            return self.collect_and_execute_subfields(
                object_type, field_details_list, path, result, position_context
            )
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _object(
        self, plan: _Object, value: Any, field_details_list: Any, path: Any, context: Any
    ) -> Any:
        """The object's fields, executed and their errors handled as execute_field would."""
        try:
            completed = self.collect_and_execute_subfields(
                plan.object_type, field_details_list, path, value, context
            )
            if self.is_awaitable(completed):
                return self._awaited(completed, plan.field_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.field_type, field_details_list, path)
            return None
        return completed

    async def _awaited(
        self,
        completed: Awaitable[Any],
        field_type: GraphQLOutputType,
        field_details_list: Any,
        path: Any,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, field_type, field_details_list, path)
            return None


def _object_type(return_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type a value of this type completes as, or None if it is not one."""
    if isinstance(return_type, GraphQLNonNull):
        return_type = return_type.of_type
    return return_type if isinstance(return_type, GraphQLObjectType) else None


def _merged(order: list[str], leaves: dict[str, Any], others: dict[str, Any]) -> dict[str, Any]:
    """The object's answer with its keys in the selection's order, as the executor gives it
    (a field it skipped, one not in the type, stays out)."""
    return {
        name: leaves[name] if name in leaves else others[name]
        for name in order
        if name in leaves or name in others
    }


async def _merged_later(
    order: list[str], leaves: dict[str, Any], others: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(order, leaves, await others)


def _is_a(plan: _Object, value: Any) -> bool:
    """The object type's check of the value, as the executor makes it (strawberry's checks
    ignore the resolve info); a type without one takes any value."""
    is_type_of = plan.object_type.is_type_of
    return is_type_of is None or is_type_of(value, None) is True


# By object type (kept alive here, so that its id is never another's), then field name.
_PLANS: dict[int, tuple[GraphQLObjectType, dict[str, Read | _Object | None]]] = {}


def _plan_of(parent_type: GraphQLObjectType, field_name: str) -> Read | _Object | None:
    entry = _PLANS.get(id(parent_type))
    if entry is None:
        entry = _PLANS[id(parent_type)] = (parent_type, {})
    plans = entry[1]
    try:
        return plans[field_name]
    except KeyError:
        field = parent_type.fields.get(field_name)
        plan = plans[field_name] = _plan(parent_type, field) if field is not None else None
        return plan


def _plan(parent_type: GraphQLObjectType, field: GraphQLField) -> Read | _Object | None:
    """How to read the field directly, or None if only the executor may."""
    definition = field.extensions.get(_BACKREF)
    if (
        not isinstance(definition, StrawberryField)
        or field.args
        or definition.extensions
        or getattr(field.resolve, "__name__", None) not in _STRAWBERRY_RESOLVERS
    ):
        return None
    nullable = not isinstance(field.type, GraphQLNonNull)
    named = field.type if nullable else field.type.of_type  # type: ignore[union-attr]
    resolver = definition.base_resolver
    if resolver is None:
        if isinstance(named, GraphQLObjectType):
            return _Object(definition.python_name, named, field.type)
        coerce = _coercion(named)
        if coerce is None:
            return None
        return _attribute(definition.python_name, coerce, nullable)
    if getattr(resolver.wrapped_func, "__func__", None) is _NODE_ID:
        return _node_id(parent_type)
    coerce = _coercion(named)
    if (
        coerce is not None
        and isinstance(resolver.wrapped_func, FunctionType)
        and not resolver.is_async
        and resolver.self_parameter is not None
        and resolver.info_parameter is None
        and resolver.root_parameter is None
        and resolver.parent_parameter is None
        and not resolver.arguments
    ):
        return _method(resolver.wrapped_func, coerce, nullable)
    return None


def _coercion(named: GraphQLOutputType) -> Callable[[Any], Any] | None:
    """How a value of a leaf type, or a list of one, is coerced; None for other types."""
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return _leaf(named)
    if isinstance(named, GraphQLList) and isinstance(named.of_type, GraphQLNonNull):
        item = named.of_type.of_type
        if isinstance(item, GraphQLScalarType | GraphQLEnumType):
            return _leaves(item)
    return None


def _leaf(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    coerce_output_value = leaf.coerce_output_value

    def coerce(value: Any) -> Any:
        coerced = coerce_output_value(value)
        return _SLOW if coerced is None or coerced is Undefined else coerced

    return coerce


def _leaves(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    one = _leaf(leaf)

    def coerce(values: Any) -> Any:
        # Only a list or tuple: reading anything else (a generator) may not be repeatable.
        if type(values) is not list and type(values) is not tuple:
            return _SLOW
        coerced = [_SLOW if value is None else one(value) for value in values]
        return _SLOW if _SLOW in coerced else coerced

    return coerce


def _attribute(name: str, coerce: Callable[[Any], Any], nullable: bool) -> Read:
    def read(source: Any, _: GraphQLObjectType) -> Any:
        value = getattr(source, name)
        if value is None:
            return None if nullable else _SLOW
        return coerce(value)

    return read


def _method(function: Callable[[Any], Any], coerce: Callable[[Any], Any], nullable: bool) -> Read:
    def read(source: Any, _: GraphQLObjectType) -> Any:
        value = function(source)
        if value is None:
            return None if nullable else _SLOW
        return coerce(value)

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
            return _SLOW
        key = getattr(source, attribute)
        return _SLOW if key is None else relay.to_base64(parent.name, key)

    return read

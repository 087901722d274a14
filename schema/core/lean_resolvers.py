"""Object fields' resolvers called directly, without strawberry's machinery around them.

strawberry wraps every resolver in one that builds its info, converts the arguments through the
input types and runs the field extensions, at every call: on a long list, once per row and
field. For a field with no extensions whose resolver takes the object, perhaps the info, and
arguments of plain scalar types only, that wrapper does no more than call the function; here
it is replaced, once on the built schema, by one that calls it directly (the same arguments,
the same info, the same errors).
"""

from collections.abc import Callable
from inspect import isasyncgenfunction
from types import FunctionType
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema
from strawberry.schema.config import StrawberryConfig
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

_BACKREF = "strawberry-definition"


def lean_resolvers(schema: GraphQLSchema, config: StrawberryConfig) -> None:
    """Call each resolver of an object's field that takes the object, perhaps the info, and
    perhaps arguments of plain scalar types (`Candidate.entries(seriesCode:)`,
    `Entry.result`) directly, as strawberry's wrapper would, without its machinery for
    converting input types at every call. Run once on the built schema, before anything wraps
    the resolvers; the roots' fields are left as they are (permission classes wrap them)."""
    roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_ in roots:
            continue
        for field in type_.fields.values():
            definition = field.extensions.get(_BACKREF)
            if isinstance(definition, StrawberryField) and _is_lean(field, definition):
                field.resolve = _lean(definition, config)


def _is_lean(field: GraphQLField, definition: StrawberryField) -> bool:
    resolver = definition.base_resolver
    return (
        resolver is not None
        and not definition.extensions
        and getattr(field.resolve, "__name__", None) in ("_resolver", "_async_resolver")
        and isinstance(resolver.wrapped_func, FunctionType)
        and not isasyncgenfunction(resolver.wrapped_func)
        and resolver.self_parameter is not None
        and resolver.root_parameter is None
        and resolver.parent_parameter is None
        and all(_is_plain(argument.type) for argument in resolver.arguments)
    )


def _is_plain(type_: object) -> bool:
    """Whether strawberry hands an argument of this type to the resolver as it comes."""
    if type(type_) is StrawberryOptional:
        type_ = type_.of_type  # type: ignore[attr-defined]
    return type_ in (str, int, float, bool)


def _lean(definition: StrawberryField, config: StrawberryConfig) -> Callable[..., Any]:
    resolver = definition.base_resolver
    assert resolver is not None
    function = resolver.wrapped_func
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    names = [
        (config.name_converter.from_argument(argument), argument.python_name)
        for argument in resolver.arguments
    ]
    info_class = config.info_class

    def lean_resolver(source: Any, info: Any, **arguments: Any) -> Any:
        kwargs = {python: arguments[name] for name, python in names if name in arguments}
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=definition)
        return function(source, **kwargs)

    return lean_resolver

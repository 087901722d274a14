"""Every text and time input of every field is checked against schema/core/input_rules.py first.

`guard_inputs` runs once on the built schema. For each field with a String, ID or DateTime
argument (directly or inside an input object or list) it writes the rule into the SDL
description of that argument or input field, and wraps the field's resolver so that the
coerced arguments are checked first: literals and variables alike, after GraphQL has coerced
them and before any permission check or resolver sees them. The check is part of the schema's
contract, like a type, so it comes before authorization, as type errors do.

A refused input never reaches a resolver, so it changes nothing. A root field whose payload
has `errors` (every mutation) answers with its payload and every problem as a typed error
(`INPUT_TOO_LONG`, `INVALID_CHARACTERS`, `INVALID_INPUT` for a time out of range) with the
`field` path, as for any other bad input; any other field's argument gives a GraphQL error with
that code. The messages never repeat the value: it may be what cannot be encoded.
"""

import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    default_field_resolver,
    get_named_type,
)

from resolvers.core.errors import DomainError, ErrorCode, UserError
from schema.core.errors import user_errors
from schema.core.input_rules import EARLIEST, END, TIME_RANGE_DESCRIPTION, TextRule, rule_for

# Line breaks and tabs: allowed in free text only.
_FREE_TEXT_CONTROLS = frozenset("\n\r\t")
_TEXT_SCALARS = frozenset({"String", "ID"})
_CHECKED_SCALARS = frozenset({*_TEXT_SCALARS, "DateTime"})


def character_problem(value: str, rule: TextRule) -> str | None:
    """Why `value` may not be used under `rule`, or None."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            return "contains a lone surrogate, which is not a character"
        if category == "Cc" and not (rule.free_text and char in _FREE_TEXT_CONTROLS):
            if char in _FREE_TEXT_CONTROLS:
                return "must be on one line, without tabs"
            return "contains a control character"
    return None


def time_problem(value: datetime) -> str | None:
    """Why the time `value` may not be used, or None. A time without a zone is taken as UTC."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # the zone moves it out of every year datetime holds
        utc = None
    if utc is None or not EARLIEST <= utc < END:
        return f"must be from the year {EARLIEST.year} to {END.year - 1} (UTC)"
    return None


def _is_checked(type_: GraphQLInputType) -> bool:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if isinstance(type_, GraphQLScalarType):
        return type_.name in _CHECKED_SCALARS
    if isinstance(type_, GraphQLInputObjectType):
        return any(_is_checked(field.type) for field in type_.fields.values())
    return False


def _rule_text(scalar: GraphQLScalarType, coordinate: str, name: str) -> str | None:
    """What the description of an input of this scalar says it may hold."""
    if scalar.name == "DateTime":
        return TIME_RANGE_DESCRIPTION
    if scalar.name in _TEXT_SCALARS:
        return rule_for(coordinate, name, is_id=scalar.name == "ID").description()
    return None


def _problems(
    type_: GraphQLInputType, value: Any, coordinate: str, name: str, path: tuple[str, ...]
) -> Iterator[UserError]:
    if value is None:
        return
    if isinstance(type_, GraphQLNonNull):
        yield from _problems(type_.of_type, value, coordinate, name, path)
    elif isinstance(type_, GraphQLList):
        # A single value where a list is expected has been coerced to a list of one already.
        for index, item in enumerate(value):
            yield from _problems(type_.of_type, item, coordinate, name, (*path, str(index)))
    elif isinstance(type_, GraphQLInputObjectType):
        for field_name, field in type_.fields.items():
            if field_name in value:
                yield from _problems(
                    field.type,
                    value[field_name],
                    f"{type_.name}.{field_name}",
                    field_name,
                    (*path, field_name),
                )
    elif isinstance(type_, GraphQLScalarType) and type_.name == "DateTime":
        problem = time_problem(value)
        if problem is not None:
            yield UserError(ErrorCode.INVALID_INPUT, f"{name} {problem}.", path)
    elif isinstance(type_, GraphQLScalarType) and type_.name in _TEXT_SCALARS:
        rule = rule_for(coordinate, name, is_id=type_.name == "ID")
        if not isinstance(value, str):  # an ID given as an integer
            value = str(value)
        if len(value) > rule.max_length:
            yield UserError(
                ErrorCode.INPUT_TOO_LONG,
                f"{name} is too long: at most {rule.max_length:,} characters.",
                path,
            )
        problem = character_problem(value, rule)
        if problem is not None:
            yield UserError(ErrorCode.INVALID_CHARACTERS, f"{name} {problem}.", path)


def _describe(item: GraphQLArgument | GraphQLInputField, limit: str | None) -> None:
    if limit is None:
        return
    if item.description and limit in item.description:
        return  # an input type used by several fields is described once
    item.description = f"{item.description} {limit}" if item.description else limit


def _describe_input_type(type_: GraphQLInputType) -> None:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if not isinstance(type_, GraphQLInputObjectType):
        return
    for field_name, field in type_.fields.items():
        named = field.type
        while isinstance(named, GraphQLNonNull | GraphQLList):
            named = named.of_type
        if isinstance(named, GraphQLScalarType):
            _describe(field, _rule_text(named, f"{type_.name}.{field_name}", field_name))
        else:
            _describe_input_type(named)


PayloadFactory = Callable[[list[UserError]], Any]


def _payload_factory(field: GraphQLField) -> PayloadFactory | None:
    """How the field answers with typed errors: its payload's class, given only `errors`."""
    type_ = field.type
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if not isinstance(type_, GraphQLObjectType) or "errors" not in type_.fields:
        return None
    if get_named_type(type_.fields["errors"].type).name != "UserError":
        return None
    payload_class = type_.extensions["strawberry-definition"].origin

    def payload(errors: list[UserError]) -> Any:
        return payload_class(errors=user_errors(DomainError(errors)))

    payload([])  # fails at start-up, not on a bad request, if a payload needs more than errors
    return payload


def _checked(
    resolve: Callable[..., Any],
    field: GraphQLField,
    parent: str,
    field_name: str,
    payload: PayloadFactory | None,
    source: Any,
    info: GraphQLResolveInfo,
    **args: Any,
) -> Any:
    problems = [
        problem
        for name, argument in field.args.items()
        if name in args
        for problem in _problems(
            argument.type, args[name], f"{parent}.{field_name}({name})", name, (name,)
        )
    ]
    if problems:
        if payload is not None:
            return payload(problems)
        raise DomainError(problems)
    return resolve(source, info, **args)


def guard_inputs(schema: GraphQLSchema) -> None:
    """Describe every text and time input's rule in the SDL and check it on every request."""
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field_name, field in type_.fields.items():
            checked = {name: arg for name, arg in field.args.items() if _is_checked(arg.type)}
            if not checked:
                continue
            for name, argument in checked.items():
                named = argument.type
                while isinstance(named, GraphQLNonNull | GraphQLList):
                    named = named.of_type
                if isinstance(named, GraphQLScalarType):
                    coordinate = f"{type_.name}.{field_name}({name})"
                    _describe(argument, _rule_text(named, coordinate, name))
                else:
                    _describe_input_type(named)
            # A root field answering with a payload (every mutation, previewEmailTemplate)
            # reports refused inputs there, as its own checks do.
            is_root = type_ in (schema.query_type, schema.mutation_type)
            payload = _payload_factory(field) if is_root else None
            field.resolve = partial(
                _checked,
                field.resolve or default_field_resolver,
                field,
                type_.name,
                field_name,
                payload,
            )

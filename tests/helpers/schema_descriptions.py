"""Which parts of a schema a frontend developer would find undocumented.

Two readings of the same rules: `undescribed` walks graphql-core's schema in Python (what most
developers run), `lint` runs graphql-schema-linter on the printed SDL. Both answer with the
linter's own messages, so that a test can require them to agree.
"""

import subprocess
from pathlib import Path

from graphql import (
    DEFAULT_DEPRECATION_REASON,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    is_specified_scalar_type,
)

from tests.helpers.node_tools import node_bin

RULES = (
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "enum-values-have-descriptions",
    "input-object-values-have-descriptions",
    "deprecations-have-a-reason",
)

_KINDS = (
    (GraphQLObjectType, "object"),
    (GraphQLInterfaceType, "interface"),
    (GraphQLUnionType, "union"),
    (GraphQLEnumType, "enum"),
    (GraphQLInputObjectType, "input object"),
    (GraphQLScalarType, "scalar"),
)


def _kind(type_: object) -> str:
    return next(kind for cls, kind in _KINDS if isinstance(type_, cls))


def _reasonless(reason: str | None) -> bool:
    # `@deprecated` with no reason reads back as the default reason.
    return reason is not None and reason in ("", DEFAULT_DEPRECATION_REASON)


def undescribed(schema: GraphQLSchema) -> list[str]:
    """The linter's messages for `schema`, found without node, sorted."""
    problems: list[str] = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or is_specified_scalar_type(type_):
            continue
        if not type_.description:
            problems.append(f"The {_kind(type_)} type `{name}` is missing a description.")
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    problems.append(f"The field `{name}.{field_name}` is missing a description.")
                if _reasonless(field.deprecation_reason):
                    problems.append(
                        f"The field `{name}.{field_name}` is deprecated but has no deprecation "
                        "reason."
                    )
                problems.extend(
                    f"The `{arg_name}` argument of `{field_name}` is missing a description."
                    for arg_name, arg in field.args.items()
                    if not arg.description
                )
        elif isinstance(type_, GraphQLInputObjectType):
            problems.extend(
                f"The input value `{name}.{field_name}` is missing a description."
                for field_name, field in type_.fields.items()
                if not field.description
            )
        elif isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                if not value.description:
                    problems.append(
                        f"The enum value `{name}.{value_name}` is missing a description."
                    )
                if _reasonless(value.deprecation_reason):
                    problems.append(
                        f"The enum value `{name}.{value_name}` is deprecated but has no "
                        "deprecation reason."
                    )
    return sorted(problems)


def lint(sdl: Path) -> list[str]:
    """graphql-schema-linter's messages for the SDL file, without place or rule, sorted."""
    completed = subprocess.run(
        [str(node_bin("graphql-schema-linter")), "-r", ",".join(RULES), "-f", "compact", str(sdl)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"graphql-schema-linter failed:\n{completed.stdout}{completed.stderr}")
    problems = []
    # "<file>:<line>:<column> <message> (<rule>)" per problem; a clean schema prints a blank line.
    for line in filter(str.strip, completed.stdout.splitlines()):
        _place, _, rest = line.partition(" ")
        message, _, _rule = rest.rpartition(" (")
        problems.append(message)
    return sorted(problems)

"""Every type, field, argument, enum value and input field of the schema is described.

The Python reading runs everywhere; graphql-schema-linter, where the node tools are installed,
reads the SDL the server prints and must find the same problems: none.
"""

from pathlib import Path

from graphql import build_schema as schema_from_sdl

from schema.root import build_schema
from tests.helpers.schema_descriptions import lint, undescribed


def _listing(problems: list[str]) -> str:
    return f"{len(problems)} parts of the schema are undocumented:\n" + "\n".join(problems)


def test_every_part_of_the_schema_has_a_description() -> None:
    problems = undescribed(build_schema()._schema)
    assert problems == [], _listing(problems)


def test_graphql_schema_linter_agrees_that_nothing_is_undocumented(tmp_path: Path) -> None:
    schema = build_schema()
    sdl = tmp_path / "schema.graphql"
    sdl.write_text(schema.as_str() + "\n", encoding="utf-8")
    linted = lint(sdl)
    assert linted == undescribed(schema._schema), (
        "graphql-schema-linter and tests/helpers/schema_descriptions.py disagree"
    )
    assert linted == [], _listing(linted)


def test_an_undescribed_field_is_found_by_both_readings(tmp_path: Path) -> None:
    sdl = tmp_path / "small.graphql"
    sdl.write_text(
        '"""Root."""\ntype Query {\n  """Described."""\n  a(x: Int): String\n'
        "  b: String @deprecated\n}\n",
        encoding="utf-8",
    )
    expected = [
        "The `x` argument of `a` is missing a description.",
        "The field `Query.b` is deprecated but has no deprecation reason.",
        "The field `Query.b` is missing a description.",
    ]
    assert undescribed(schema_from_sdl(sdl.read_text(encoding="utf-8"))) == expected
    assert lint(sdl) == expected

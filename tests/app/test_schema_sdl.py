"""schema/schema.graphql, the checked-in SDL, is the schema the server serves."""

from pathlib import Path

from schema.root import build_schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_the_checked_in_sdl_is_current() -> None:
    expected = build_schema().as_str() + "\n"
    actual = SDL.read_text(encoding="utf-8") if SDL.exists() else ""
    assert actual == expected, (
        "schema/schema.graphql is out of date with the schema in schema/. Regenerate it with\n"
        "    .venv/bin/examdesk export-schema --output schema/schema.graphql\n"
        "and commit it with the change."
    )
